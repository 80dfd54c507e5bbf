// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// CHECK-DAG: #[[$BACKWARD:.+]] = affine_map<(d0, d1) -> (d0 * -2 + 3, d1 * 2 + 1)>
// CHECK-DAG: #[[$ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$INDICES:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-DAG: #[[$ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$SCALAR:.+]] = affine_map<(d0) -> ()>

//===----------------------------------------------------------------------===//
// reshape: collapse/expand (views after bufferization), never a copy
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape_collapse
// CHECK: tensor.collapse_shape %{{.+}} {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
func.func @reshape_collapse(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %r = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}

// CHECK-LABEL: func.func @reshape_expand
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2, 3]] output_shape [1, 6, 2, 2] : tensor<6x4xi1> into tensor<1x6x2x2xi1>
func.func @reshape_expand(%x: tensor<6x4xi1>) -> tensor<1x6x2x2xi1> {
  %r = kiln.reshape %x : tensor<6x4xi1> -> tensor<1x6x2x2xi1>
  return %r : tensor<1x6x2x2xi1>
}

// Neither a collapse nor an expand: through 1-D.
// CHECK-LABEL: func.func @reshape_general
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
func.func @reshape_general(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %r = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  return %r : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @reshape_to_rank0
// CHECK: tensor.collapse_shape %{{.+}} [] : tensor<1x1xf32> into tensor<f32>
func.func @reshape_to_rank0(%x: tensor<1x1xf32>) -> tensor<f32> {
  %r = kiln.reshape %x : tensor<1x1xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// CHECK-LABEL: func.func @reshape_from_rank0
// CHECK: tensor.expand_shape %{{.+}} [] output_shape [1, 1, 1] : tensor<f32> into tensor<1x1x1xf32>
func.func @reshape_from_rank0(%x: tensor<f32>) -> tensor<1x1x1xf32> {
  %r = kiln.reshape %x : tensor<f32> -> tensor<1x1x1xf32>
  return %r : tensor<1x1x1xf32>
}

//===----------------------------------------------------------------------===//
// transpose, concat
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xi8>) -> tensor<4x2x3xi8>
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<4x2x3xi8>
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xi8>) outs(%[[EMPTY]] : tensor<4x2x3xi8>) permutation = [2, 0, 1]
// CHECK: return %[[T]]
func.func @transpose(%x: tensor<2x3x4xui8>) -> tensor<4x2x3xui8> {
  %r = kiln.transpose %x [2, 0, 1] : tensor<2x3x4xui8> -> tensor<4x2x3xui8>
  return %r : tensor<4x2x3xui8>
}

// Empty inputs are skipped.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:[^:]+]]: tensor<2x3xf32>, %{{[^:]+}}: tensor<2x0xf32>, %[[C:[^:]+]]: tensor<2x5xf32>)
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[X:.+]] = tensor.insert_slice %[[A]] into %[[EMPTY]][0, 0] [2, 3] [1, 1]
// CHECK-NEXT: %[[Y:.+]] = tensor.insert_slice %[[C]] into %[[X]][0, 3] [2, 5] [1, 1]
// CHECK-NEXT: return %[[Y]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x0xf32>, %c: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %r = kiln.concat %a, %b, %c axis = 1 : tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @slice_forward
// CHECK: tensor.extract_slice %{{.+}}[0, 1] [2, 2] [1, 2] : tensor<4x6xf32> to tensor<2x2xf32>
func.func @slice_forward(%x: tensor<4x6xf32>) -> tensor<2x2xf32> {
  %r = kiln.slice %x starts [0, 1] sizes [2, 2] steps [1, 2] : tensor<4x6xf32> -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// A negative step with a single element is still a forward slice.
// CHECK-LABEL: func.func @slice_single
// CHECK: tensor.extract_slice %{{.+}}[3, 0] [1, 6] [1, 1] : tensor<4x6xf32> to tensor<1x6xf32>
func.func @slice_single(%x: tensor<4x6xf32>) -> tensor<1x6xf32> {
  %r = kiln.slice %x starts [3, 0] sizes [1, 6] steps [-1, 1] : tensor<4x6xf32> -> tensor<1x6xf32>
  return %r : tensor<1x6xf32>
}

// CHECK-LABEL: func.func @slice_backward
// CHECK-SAME: (%[[X:.+]]: tensor<4x6xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$BACKWARD]], #[[$ID2]]]
// CHECK-SAME: ins(%[[X]] : tensor<4x6xf32>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]]
func.func @slice_backward(%x: tensor<4x6xf32>) -> tensor<2x3xf32> {
  %r = kiln.slice %x starts [3, 1] sizes [2, 3] steps [-2, 2] : tensor<4x6xf32> -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @slice_whole
// CHECK-SAME: (%[[X:.+]]: tensor<4x6xf32>)
// CHECK-NEXT: return %[[X]]
func.func @slice_whole(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %r = kiln.slice %x starts [0, 0] sizes [4, 6] steps [1, 1] : tensor<4x6xf32> -> tensor<4x6xf32>
  return %r : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @slice_empty
// CHECK: %[[E:.+]] = tensor.empty() : tensor<0x6xf32>
// CHECK-NEXT: return %[[E]]
func.func @slice_empty(%x: tensor<4x6xf32>) -> tensor<0x6xf32> {
  %r = kiln.slice %x starts [4, 0] sizes [0, 6] steps [-1, 1] : tensor<4x6xf32> -> tensor<0x6xf32>
  return %r : tensor<0x6xf32>
}

//===----------------------------------------------------------------------===//
// gather
//===----------------------------------------------------------------------===//

// Negative indices count from the end; out-of-range ones are clamped so the
// read stays inside the tensor.
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[DATA:.+]]: tensor<3x4x5xf32>, %[[IDX:.+]]: tensor<2x2xi64>)
// CHECK: linalg.generic {indexing_maps = [#[[$INDICES]], #[[$ID4]]]
// CHECK-SAME: ins(%[[IDX]] : tensor<2x2xi64>)
// CHECK: ^bb0(%[[I:.+]]: i64, %{{.+}}: f32):
// CHECK: %[[INDEX:.+]] = arith.index_cast %[[I]] : i64 to index
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[SIZE:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[LAST:.+]] = arith.constant 3 : index
// CHECK: %[[NEG:.+]] = arith.cmpi slt, %[[INDEX]], %[[ZERO]]
// CHECK: %[[WRAPPED:.+]] = arith.addi %[[INDEX]], %[[SIZE]]
// CHECK: %[[NORM:.+]] = arith.select %[[NEG]], %[[WRAPPED]], %[[INDEX]]
// CHECK: %[[LOW:.+]] = arith.maxsi %[[NORM]], %[[ZERO]]
// CHECK: %[[CLAMPED:.+]] = arith.minsi %[[LOW]], %[[LAST]]
// CHECK: %[[D0:.+]] = linalg.index 0
// CHECK: %[[D3:.+]] = linalg.index 3
// CHECK: %[[V:.+]] = tensor.extract %[[DATA]][%[[D0]], %[[CLAMPED]], %[[D3]]]
// CHECK: linalg.yield %[[V]]
func.func @gather(%data: tensor<3x4x5xf32>, %idx: tensor<2x2xi64>) -> tensor<3x2x2x5xf32> {
  %r = kiln.gather %data, %idx axis = 1 : tensor<3x4x5xf32>, tensor<2x2xi64> -> tensor<3x2x2x5xf32>
  return %r : tensor<3x2x2x5xf32>
}

// CHECK-LABEL: func.func @gather_scalar_index
// CHECK: linalg.generic {indexing_maps = [#[[$SCALAR]], #{{.+}}]
// CHECK: arith.index_cast %{{.+}} : i32 to index
// CHECK: tensor.extract %{{.+}}[%{{.+}}, %{{.+}}] : tensor<3x4xi8>
func.func @gather_scalar_index(%data: tensor<3x4xui8>, %idx: tensor<i32>) -> tensor<4xui8> {
  %r = kiln.gather %data, %idx axis = 0 : tensor<3x4xui8>, tensor<i32> -> tensor<4xui8>
  return %r : tensor<4xui8>
}
