// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// CHECK-DAG: #[[$LHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[$RHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$VLHS:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[$VRHS:.+]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[$VOUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<3x4xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<2x4xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<2x4xf32>)
// CHECK: %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>)
// CHECK: return %[[R]]
func.func @matmul_2d(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %r = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @dot
// CHECK: linalg.dot ins(%{{.+}}, %{{.+}} : tensor<4xf32>, tensor<4xf32>) outs(%{{.+}} : tensor<f32>)
func.func @dot(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<f32> {
  %r = kiln.matmul %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// CHECK-LABEL: func.func @vecmat
// CHECK: linalg.vecmat ins(%{{.+}}, %{{.+}} : tensor<4xf32>, tensor<4x5xf32>) outs(%{{.+}} : tensor<5xf32>)
func.func @vecmat(%a: tensor<4xf32>, %b: tensor<4x5xf32>) -> tensor<5xf32> {
  %r = kiln.matmul %a, %b : tensor<4xf32>, tensor<4x5xf32> -> tensor<5xf32>
  return %r : tensor<5xf32>
}

// Batch dimensions of a lhs times a matrix or vector fold into M.
// CHECK-LABEL: func.func @matvec_batched
// CHECK: %[[A:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[MV:.+]] = linalg.matvec ins(%[[A]], %{{.+}} : tensor<6x4xf32>, tensor<4xf32>) outs(%{{.+}} : tensor<6xf32>)
// CHECK: tensor.expand_shape %[[MV]] {{\[\[}}0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
func.func @matvec_batched(%a: tensor<2x3x4xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  %r = kiln.matmul %a, %b : tensor<2x3x4xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @matmul_3d_2d_i32
// CHECK: %[[A:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2]] : tensor<2x3x4xi32> into tensor<6x4xi32>
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i32
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[A]], %{{.+}} : tensor<6x4xi32>, tensor<4x5xi32>) outs(%{{.+}} : tensor<6x5xi32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xi32> into tensor<2x3x5xi32>
func.func @matmul_3d_2d_i32(%a: tensor<2x3x4xi32>, %b: tensor<4x5xi32>) -> tensor<2x3x5xi32> {
  %r = kiln.matmul %a, %b : tensor<2x3x4xi32>, tensor<4x5xi32> -> tensor<2x3x5xi32>
  return %r : tensor<2x3x5xi32>
}

// Equal batch dimensions collapse into one for batch_matmul.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: %[[A:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2], [3]] : tensor<2x2x3x4xf32> into tensor<4x3x4xf32>
// CHECK: %[[B:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2], [3]] : tensor<2x2x4x5xf32> into tensor<4x4x5xf32>
// CHECK: %[[BMM:.+]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<4x3x4xf32>, tensor<4x4x5xf32>) outs(%{{.+}} : tensor<4x3x5xf32>)
// CHECK: tensor.expand_shape %[[BMM]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 2, 3, 5]
func.func @batch_matmul(%a: tensor<2x2x3x4xf32>, %b: tensor<2x2x4x5xf32>) -> tensor<2x2x3x5xf32> {
  %r = kiln.matmul %a, %b : tensor<2x2x3x4xf32>, tensor<2x2x4x5xf32> -> tensor<2x2x3x5xf32>
  return %r : tensor<2x2x3x5xf32>
}

// CHECK-LABEL: func.func @batch_matmul_3d
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.batch_matmul ins(%{{.+}}, %{{.+}} : tensor<2x3x4xf32>, tensor<2x4x5xf32>)
// CHECK-NOT: tensor.expand_shape
func.func @batch_matmul_3d(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %r = kiln.matmul %a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32> -> tensor<2x3x5xf32>
  return %r : tensor<2x3x5xf32>
}

// Broadcast batch dimensions: a generic contraction.
// CHECK-LABEL: func.func @broadcast_batch
// CHECK: %[[INIT:.+]] = linalg.fill
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME: outs(%[[INIT]] : tensor<2x5x3x6xf32>)
// CHECK: ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK: %[[P:.+]] = arith.mulf %[[X]], %[[Y]]
// CHECK: %[[S:.+]] = arith.addf %[[ACC]], %[[P]]
// CHECK: linalg.yield %[[S]]
func.func @broadcast_batch(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %r = kiln.matmul %a, %b : tensor<2x1x3x4xf32>, tensor<5x4x6xf32> -> tensor<2x5x3x6xf32>
  return %r : tensor<2x5x3x6xf32>
}

// A vector lhs with a batched rhs: its dimension is removed from the loops.
// CHECK-LABEL: func.func @vector_batched
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[$VLHS]], #[[$VRHS]], #[[$VOUT]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.muli
// CHECK: arith.addi
func.func @vector_batched(%a: tensor<4xi64>, %b: tensor<2x4x6xi64>) -> tensor<2x6xi64> {
  %r = kiln.matmul %a, %b : tensor<4xi64>, tensor<2x4x6xi64> -> tensor<2x6xi64>
  return %r : tensor<2x6xi64>
}
