// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// CHECK-DAG: #[[$ID1:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$COL:.+]] = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @sum_keep_dims
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<2x4xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<2x4xf32>)
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>) dimensions = [1]
// CHECK: (%[[IN:.+]]: f32, %[[ACC:.+]]: f32) {
// CHECK: %[[S:.+]] = arith.addf %[[IN]], %[[ACC]]
// CHECK: linalg.yield %[[S]]
// CHECK: %[[R:.+]] = tensor.expand_shape %[[SUM]] {{\[\[}}0], [1, 2]] output_shape [2, 1, 4] : tensor<2x4xf32> into tensor<2x1x4xf32>
// CHECK: return %[[R]]
func.func @sum_keep_dims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %r = kiln.reduce_sum %x axes = [1] keep_dims : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  return %r : tensor<2x1x4xf32>
}

// CHECK-LABEL: func.func @mean
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%{{.+}} : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<3xf32>) dimensions = [0, 2]
// CHECK: linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]]], {{.*}} ins(%[[SUM]] : tensor<3xf32>)
// CHECK: %[[COUNT:.+]] = arith.constant 8.000000e+00 : f32
// CHECK: arith.divf %{{.+}}, %[[COUNT]] : f32
func.func @mean(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %r = kiln.reduce_mean %x axes = [0, 2] : tensor<2x3x4xf32> -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// Integer means accumulate in i64 and truncate toward zero.
// CHECK-LABEL: func.func @mean_i8
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i64
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : i64) outs(%{{.+}} : tensor<2xi64>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<2xi64>)
// CHECK: arith.extsi %{{.+}} : i8 to i64
// CHECK: arith.addi
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xi64>) outs(%{{.+}} : tensor<2xi8>)
// CHECK: %[[COUNT:.+]] = arith.constant 3 : i64
// CHECK: %[[Q:.+]] = arith.divsi %{{.+}}, %[[COUNT]] : i64
// CHECK: arith.trunci %[[Q]] : i64 to i8
func.func @mean_i8(%x: tensor<2x3xi8>) -> tensor<2xi8> {
  %r = kiln.reduce_mean %x axes = [1] : tensor<2x3xi8> -> tensor<2xi8>
  return %r : tensor<2xi8>
}

// CHECK-LABEL: func.func @mean_ui16
// CHECK: arith.extui %{{.+}} : i16 to i64
// CHECK: arith.divui
func.func @mean_ui16(%x: tensor<2x3xui16>) -> tensor<2xui16> {
  %r = kiln.reduce_mean %x axes = [1] : tensor<2x3xui16> -> tensor<2xui16>
  return %r : tensor<2xui16>
}

// CHECK-LABEL: func.func @max_float
// CHECK: %[[LOWEST:.+]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[LOWEST]] : f32)
// CHECK: linalg.reduce
// CHECK: arith.maximumf
func.func @max_float(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %r = kiln.reduce_max %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// CHECK-LABEL: func.func @max_signed
// CHECK: %[[LOWEST:.+]] = arith.constant -2147483648 : i32
// CHECK: linalg.fill ins(%[[LOWEST]] : i32)
// CHECK: arith.maxsi
func.func @max_signed(%x: tensor<2x3xi32>) -> tensor<2xi32> {
  %r = kiln.reduce_max %x axes = [1] : tensor<2x3xi32> -> tensor<2xi32>
  return %r : tensor<2xi32>
}

// Reducing everything with keep_dims: a rank-0 reduction, then an expand.
// CHECK-LABEL: func.func @max_unsigned_all
// CHECK: %[[LOWEST:.+]] = arith.constant 0 : i8
// CHECK: %[[MAX:.+]] = linalg.reduce ins(%{{.+}} : tensor<2x3xi8>) outs(%{{.+}} : tensor<i8>) dimensions = [0, 1]
// CHECK: arith.maxui
// CHECK: tensor.expand_shape %[[MAX]] [] output_shape [1, 1] : tensor<i8> into tensor<1x1xi8>
func.func @max_unsigned_all(%x: tensor<2x3xui8>) -> tensor<1x1xui8> {
  %r = kiln.reduce_max %x axes = [0, 1] keep_dims : tensor<2x3xui8> -> tensor<1x1xui8>
  return %r : tensor<1x1xui8>
}

// CHECK-LABEL: func.func @sum_i32
// CHECK: linalg.reduce
// CHECK: arith.addi
func.func @sum_i32(%x: tensor<2x3xi32>) -> tensor<3xi32> {
  %r = kiln.reduce_sum %x axes = [0] : tensor<2x3xi32> -> tensor<3xi32>
  return %r : tensor<3xi32>
}

// The identity of min is +inf (the integer maximum, all ones for unsigned).
// CHECK-LABEL: func.func @min_float
// CHECK: %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[INF]] : f32) outs(%{{.+}} : tensor<2xf32>)
// CHECK: linalg.reduce ins(%{{.+}} : tensor<2x3xf32>) outs(%[[INIT]] : tensor<2xf32>) dimensions = [1]
// CHECK: arith.minimumf
func.func @min_float(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %r = kiln.reduce_min %x axes = [1] : tensor<2x3xf32> -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// CHECK-LABEL: func.func @min_unsigned
// CHECK: %[[HIGHEST:.+]] = arith.constant -1 : i8
// CHECK: linalg.fill ins(%[[HIGHEST]] : i8)
// CHECK: arith.minui
func.func @min_unsigned(%x: tensor<4xui8>) -> tensor<ui8> {
  %r = kiln.reduce_min %x axes = [0] : tensor<4xui8> -> tensor<ui8>
  return %r : tensor<ui8>
}

// CHECK-LABEL: func.func @min_signed
// CHECK: %[[HIGHEST:.+]] = arith.constant 2147483647 : i32
// CHECK: linalg.fill ins(%[[HIGHEST]] : i32)
// CHECK: arith.minsi
func.func @min_signed(%x: tensor<4xi32>) -> tensor<i32> {
  %r = kiln.reduce_min %x axes = [0] : tensor<4xi32> -> tensor<i32>
  return %r : tensor<i32>
}

// CHECK-LABEL: func.func @prod_keep_dims
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ONE]] : f32) outs(%{{.+}} : tensor<3xf32>)
// CHECK: %[[P:.+]] = linalg.reduce ins(%{{.+}} : tensor<2x3xf32>) outs(%[[INIT]] : tensor<3xf32>) dimensions = [0]
// CHECK: arith.mulf
// CHECK: tensor.expand_shape %[[P]] {{\[\[}}0, 1]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
func.func @prod_keep_dims(%x: tensor<2x3xf32>) -> tensor<1x3xf32> {
  %r = kiln.reduce_prod %x axes = [0] keep_dims : tensor<2x3xf32> -> tensor<1x3xf32>
  return %r : tensor<1x3xf32>
}

// arg_max: one reduction carrying (best value, its index); the first of
// equal values wins, and a NaN beats any number unless a NaN came first.
// CHECK-LABEL: func.func @arg_max
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[VINIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i64
// CHECK: %[[IINIT:.+]] = linalg.fill ins(%[[ZERO]] : i64) outs(%{{.+}} : tensor<2xi64>)
// CHECK: %[[R:.+]]:2 = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]] : tensor<2x3xf32>) outs(%[[VINIT]], %[[IINIT]] : tensor<2xf32>, tensor<2xi64>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %[[BEST:.+]]: f32, %[[BESTI:.+]]: i64):
// CHECK: %[[GT:.+]] = arith.cmpf ogt, %[[IN]], %[[BEST]] : f32
// CHECK: %[[NAN:.+]] = arith.cmpf uno, %[[IN]], %[[IN]] : f32
// CHECK: %[[NUM:.+]] = arith.cmpf ord, %[[BEST]], %[[BEST]] : f32
// CHECK: %[[FIRSTNAN:.+]] = arith.andi %[[NAN]], %[[NUM]] : i1
// CHECK: %[[TAKE:.+]] = arith.ori %[[GT]], %[[FIRSTNAN]] : i1
// CHECK: %[[I:.+]] = linalg.index 1 : index
// CHECK: %[[I64:.+]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[V:.+]] = arith.select %[[TAKE]], %[[IN]], %[[BEST]] : f32
// CHECK: %[[NI:.+]] = arith.select %[[TAKE]], %[[I64]], %[[BESTI]] : i64
// CHECK: linalg.yield %[[V]], %[[NI]] : f32, i64
// CHECK: tensor.expand_shape %[[R]]#1 {{\[\[}}0, 1]] output_shape [2, 1] : tensor<2xi64> into tensor<2x1xi64>
func.func @arg_max(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %r = kiln.arg_max %x axis = 1 keep_dims : tensor<2x3xf32> -> tensor<2x1xi64>
  return %r : tensor<2x1xi64>
}

// arg_min of integers with select_last_index: `<=` keeps the last tie.
// CHECK-LABEL: func.func @arg_min_last
// CHECK: %[[HIGHEST:.+]] = arith.constant 2147483647 : i32
// CHECK: linalg.fill ins(%[[HIGHEST]] : i32)
// CHECK: linalg.generic {indexing_maps = [#[[$ID2]], #[[$COL]], #[[$COL]]], iterator_types = ["reduction", "parallel"]}
// CHECK: %[[TAKE:.+]] = arith.cmpi sle, %{{.+}}, %{{.+}} : i32
// CHECK: linalg.index 0 : index
// CHECK: arith.select %[[TAKE]]
func.func @arg_min_last(%x: tensor<3x2xi32>) -> tensor<2xi64> {
  %r = kiln.arg_min %x axis = 0 select_last_index : tensor<3x2xi32> -> tensor<2xi64>
  return %r : tensor<2xi64>
}

// Unsigned elements compare unsigned.
// CHECK-LABEL: func.func @arg_max_unsigned
// CHECK: arith.constant 0 : i8
// CHECK: arith.cmpi ugt
func.func @arg_max_unsigned(%x: tensor<4xui8>) -> tensor<i64> {
  %r = kiln.arg_max %x axis = 0 : tensor<4xui8> -> tensor<i64>
  return %r : tensor<i64>
}

// Sums, means and products of f16 and bf16 accumulate in f32 and round once.
// CHECK-LABEL: func.func @mean_f16
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<2xf32>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<2xf32>)
// CHECK: %[[W:.+]] = arith.extf %{{.+}} : f16 to f32
// CHECK: arith.addf %[[W]], %{{.+}} : f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>) outs(%{{.+}} : tensor<2xf16>)
// CHECK: %[[Q:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK: arith.truncf %[[Q]] : f32 to f16
func.func @mean_f16(%x: tensor<2x3xf16>) -> tensor<2xf16> {
  %r = kiln.reduce_mean %x axes = [1] : tensor<2x3xf16> -> tensor<2xf16>
  return %r : tensor<2xf16>
}

// CHECK-LABEL: func.func @prod_bf16
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ONE]] : f32)
// CHECK: arith.extf %{{.+}} : bf16 to f32
// CHECK: arith.mulf
// CHECK: arith.truncf %{{.+}} : f32 to bf16
func.func @prod_bf16(%x: tensor<4xbf16>) -> tensor<bf16> {
  %r = kiln.reduce_prod %x axes = [0] : tensor<4xbf16> -> tensor<bf16>
  return %r : tensor<bf16>
}
