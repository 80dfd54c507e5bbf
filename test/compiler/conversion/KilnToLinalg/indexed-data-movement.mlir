// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// broadcast_to and the gathers become parallel linalg.generics (gathers
// extract from the data with wrapped and clamped indices); scatters, cumsum
// and top_k become scf.for nests that carry the result tensor, so updates
// apply in order.

// CHECK-DAG: #[[$BCAST:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// CHECK-LABEL: func.func @broadcast_to
// CHECK-SAME: %[[X:.+]]: tensor<3x1xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$BCAST]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<3x1xf32>)
func.func @broadcast_to(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %r = kiln.broadcast_to %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @broadcast_to_same
// CHECK-NOT: linalg.generic
// CHECK: return %arg0
func.func @broadcast_to_same(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = kiln.broadcast_to %x : tensor<3xf32> -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// Index -1 wraps to 2, then clamps into [0, 2].
// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[I:[^:]+]]: tensor<2x2xi64>
// CHECK: linalg.generic {{.+}} ins(%[[I]] : tensor<2x2xi64>)
// CHECK: ^bb0(%[[IN:.+]]: i64, %{{.+}}: f32):
// CHECK: %[[ROW:.+]] = linalg.index 0 : index
// CHECK: %[[IDX:.+]] = arith.index_cast %[[IN]] : i64 to index
// CHECK: %[[NEG:.+]] = arith.cmpi slt, %[[IDX]], %{{.+}} : index
// CHECK: %[[WRAP:.+]] = arith.addi %[[IDX]], %{{.+}} : index
// CHECK: %[[SEL:.+]] = arith.select %[[NEG]], %[[WRAP]], %[[IDX]] : index
// CHECK: %[[LO:.+]] = arith.maxsi %[[SEL]]
// CHECK: %[[HI:.+]] = arith.minsi %[[LO]]
// CHECK: tensor.extract %[[X]][%[[ROW]], %[[HI]]] : tensor<2x3xf32>
func.func @gather_elements(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>) -> tensor<2x2xf32> {
  %r = kiln.gather_elements %x, %i axis = 1 : tensor<2x3xf32>, tensor<2x2xi64> -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// Unsigned data: the max reduction is maxui; out-of-range indices skip.
// CHECK-LABEL: func.func @scatter_elements
// CHECK-SAME: %[[X:[^:]+]]: tensor<3xi8>, %[[I:[^:]+]]: tensor<2xi32>, %[[U:[^:]+]]: tensor<2xi8>
// CHECK: %[[R:[^ ]+]] = scf.for %[[K:[^ ]+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[X]]) -> (tensor<3xi8>)
// CHECK: tensor.extract %[[I]][%[[K]]] : tensor<2xi32>
// CHECK: %[[UPD:.+]] = tensor.extract %[[U]][%[[K]]] : tensor<2xi8>
// CHECK: %[[OK:.+]] = arith.andi
// CHECK: scf.if %[[OK]] -> (tensor<3xi8>)
// CHECK: %[[OLD:.+]] = tensor.extract %[[ACC]]
// CHECK: %[[NEW:.+]] = arith.maxui %[[OLD]], %[[UPD]] : i8
// CHECK: tensor.insert %[[NEW]] into %[[ACC]]
// CHECK: } else {
// CHECK: scf.yield %[[ACC]] : tensor<3xi8>
// CHECK: return %[[R]]
func.func @scatter_elements(%x: tensor<3xui8>, %i: tensor<2xi32>, %u: tensor<2xui8>) -> tensor<3xui8> {
  %r = kiln.scatter_elements %x, %i, %u axis = 0 reduction = max : tensor<3xui8>, tensor<2xi32>, tensor<2xui8> -> tensor<3xui8>
  return %r : tensor<3xui8>
}

// CHECK-LABEL: func.func @gather_nd
// CHECK-SAME: %[[X:[^:]+]]: tensor<2x3xf32>, %[[I:[^:]+]]: tensor<4x2xi64>
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<4xf32>)
// CHECK: %[[ROW:.+]] = linalg.index 0 : index
// CHECK: tensor.extract %[[I]][%[[ROW]], %{{.+}}] : tensor<4x2xi64>
// CHECK: %[[A:.+]] = arith.minsi
// CHECK: tensor.extract %[[I]][%[[ROW]], %{{.+}}] : tensor<4x2xi64>
// CHECK: %[[B:.+]] = arith.minsi
// CHECK: tensor.extract %[[X]][%[[A]], %[[B]]] : tensor<2x3xf32>
func.func @gather_nd(%x: tensor<2x3xf32>, %i: tensor<4x2xi64>) -> tensor<4xf32> {
  %r = kiln.gather_nd %x, %i batch_dims = 0 : tensor<2x3xf32>, tensor<4x2xi64> -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// One loop per update dimension: tuples, then the row of each slice.
// CHECK-LABEL: func.func @scatter_nd
// CHECK: scf.for %[[T:[^ ]+]] = {{.+}} -> (tensor<4x3xf32>)
// CHECK: scf.for %[[C:[^ ]+]] = {{.+}} -> (tensor<4x3xf32>)
// CHECK: scf.if
// CHECK: arith.addf
// CHECK: tensor.insert %{{.+}} into %{{.+}}[%{{.+}}, %[[C]]] : tensor<4x3xf32>
func.func @scatter_nd(%x: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %r = kiln.scatter_nd %x, %i, %u reduction = add : tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32> -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// Exclusive: the running sum before the element is written.
// CHECK-LABEL: func.func @cumsum
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i32
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}, %[[SUM:.+]] = %[[ZERO]]) -> (tensor<2x3xi32>, i32)
// CHECK: %[[E:.+]] = tensor.extract
// CHECK: %[[NEXT:.+]] = arith.addi %[[SUM]], %[[E]] : i32
// CHECK: %[[W:.+]] = tensor.insert %[[SUM]] into
// CHECK: scf.yield %[[W]], %[[NEXT]] : tensor<2x3xi32>, i32
func.func @cumsum(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %r = kiln.cumsum %x axis = 1 exclusive : tensor<2x3xi32>
  return %r : tensor<2x3xi32>
}

// cumprod: the same loop, starting from 1 and multiplying.
// CHECK-LABEL: func.func @cumprod
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f64
// CHECK: scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}, %[[PROD:.+]] = %[[ONE]]) -> (tensor<2x3xf64>, f64)
// CHECK: %[[E:.+]] = tensor.extract
// CHECK: %[[NEXT:.+]] = arith.mulf %[[PROD]], %[[E]] : f64
// CHECK: %[[W:.+]] = tensor.insert %[[NEXT]] into
// CHECK: scf.yield %[[W]], %[[NEXT]] : tensor<2x3xf64>, f64
func.func @cumprod(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %r = kiln.cumprod %x axis = 1 : tensor<2x3xf64>
  return %r : tensor<2x3xf64>
}

// k passes over the slice, each carrying the best (value, index) so far.
// CHECK-LABEL: func.func @top_k
// CHECK: scf.for {{.+}} -> (tensor<2xf32>, tensor<2xi64>, f32, index)
// CHECK: scf.for {{.+}} -> (f32, index)
// CHECK: arith.cmpf ogt
// CHECK: arith.index_cast %{{.+}} : index to i64
func.func @top_k(%x: tensor<4xf32>) -> (tensor<2xf32>, tensor<2xi64>) {
  %v, %i = kiln.top_k %x k = 2 axis = 0 : tensor<4xf32> -> tensor<2xf32>, tensor<2xi64>
  return %v, %i : tensor<2xf32>, tensor<2xi64>
}
