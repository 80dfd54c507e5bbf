// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// Broadcasting maps: a size-1 dimension that broadcasts reads index 0 and
// missing leading dimensions are dropped.
// CHECK-DAG: #[[$BCAST_COL:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$BCAST_ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ID1:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$SCALAR:.+]] = affine_map<(d0) -> ()>

// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.+]]: tensor<4x1xf32>, %[[B:.+]]: tensor<3xf32>)
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<4x3xf32>
// CHECK: %[[R:.+]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[$BCAST_COL]], #[[$BCAST_ROW]], #[[$ID2]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4x1xf32>, tensor<3xf32>)
// CHECK-SAME: outs(%[[EMPTY]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[S:.+]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
func.func @add_broadcast(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %r = kiln.add %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @sub_scalar_i32
// CHECK: linalg.generic {indexing_maps = [#[[$ID1]], #[[$SCALAR]], #[[$ID1]]]
// CHECK: arith.subi %{{.+}}, %{{.+}} : i32
func.func @sub_scalar_i32(%a: tensor<3xi32>, %b: tensor<i32>) -> tensor<3xi32> {
  %r = kiln.sub %a, %b : tensor<3xi32>, tensor<i32> -> tensor<3xi32>
  return %r : tensor<3xi32>
}

// CHECK-LABEL: func.func @mul
// CHECK: arith.mulf
// CHECK: arith.muli %{{.+}}, %{{.+}} : i64
func.func @mul(%a: tensor<2xf16>, %b: tensor<2xi64>) -> (tensor<2xf16>, tensor<2xi64>) {
  %r = kiln.mul %a, %a : tensor<2xf16>, tensor<2xf16> -> tensor<2xf16>
  %s = kiln.mul %b, %b : tensor<2xi64>, tensor<2xi64> -> tensor<2xi64>
  return %r, %s : tensor<2xf16>, tensor<2xi64>
}

// CHECK-LABEL: func.func @div_f32
// CHECK: arith.divf
func.func @div_f32(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %r = kiln.div %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// Signed division: x / 0 = 0 and x / -1 = -x instead of undefined behaviour.
// CHECK-LABEL: func.func @div_signed
// CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %{{.+}}: i32):
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i32
// CHECK: %[[ONE:.+]] = arith.constant 1 : i32
// CHECK: %[[IS_ZERO:.+]] = arith.cmpi eq, %[[Y]], %[[ZERO]]
// CHECK: %[[MINUS_ONE:.+]] = arith.constant -1 : i32
// CHECK: %[[IS_MINUS_ONE:.+]] = arith.cmpi eq, %[[Y]], %[[MINUS_ONE]]
// CHECK: %[[SPECIAL:.+]] = arith.ori %[[IS_ZERO]], %[[IS_MINUS_ONE]]
// CHECK: %[[DIVISOR:.+]] = arith.select %[[SPECIAL]], %[[ONE]], %[[Y]]
// CHECK: %[[Q:.+]] = arith.divsi %[[X]], %[[DIVISOR]]
// CHECK: %[[NEG:.+]] = arith.subi %[[ZERO]], %[[X]]
// CHECK: %[[Q2:.+]] = arith.select %[[IS_MINUS_ONE]], %[[NEG]], %[[Q]]
// CHECK: %[[Q3:.+]] = arith.select %[[IS_ZERO]], %[[ZERO]], %[[Q2]]
// CHECK: linalg.yield %[[Q3]]
func.func @div_signed(%a: tensor<2xi32>, %b: tensor<2xi32>) -> tensor<2xi32> {
  %r = kiln.div %a, %b : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  return %r : tensor<2xi32>
}

// Unsigned tensors become signless ones, in the signature too; the kiln type
// still selects the unsigned operations.
// CHECK-LABEL: func.func @div_unsigned
// CHECK-SAME: (%{{.+}}: tensor<2xi8>, %{{.+}}: tensor<2xi8>) -> tensor<2xi8>
// CHECK: arith.divui
// CHECK-NOT: arith.divsi
func.func @div_unsigned(%a: tensor<2xui8>, %b: tensor<2xui8>) -> tensor<2xui8> {
  %r = kiln.div %a, %b : tensor<2xui8>, tensor<2xui8> -> tensor<2xui8>
  return %r : tensor<2xui8>
}

// CHECK-LABEL: func.func @pow
// CHECK: math.powf %{{.+}}, %{{.+}} : f32
func.func @pow(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %r = kiln.pow %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// CHECK-LABEL: func.func @max_min
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.maxui %{{.+}}, %{{.+}} : i16
// CHECK: arith.minui %{{.+}}, %{{.+}} : i1
func.func @max_min(%f: tensor<2xf32>, %g: tensor<2xf32>, %i: tensor<2xi32>, %j: tensor<2xi32>,
                   %u: tensor<2xui16>, %v: tensor<2xui16>, %b: tensor<2xi1>, %c: tensor<2xi1>)
    -> (tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xui16>, tensor<2xi1>) {
  %0 = kiln.max %f, %g : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %1 = kiln.min %f, %g : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %2 = kiln.max %i, %j : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  %3 = kiln.min %i, %j : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  %4 = kiln.max %u, %v : tensor<2xui16>, tensor<2xui16> -> tensor<2xui16>
  %5 = kiln.min %b, %c : tensor<2xi1>, tensor<2xi1> -> tensor<2xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xui16>, tensor<2xi1>
}

// CHECK-LABEL: func.func @neg
// CHECK: arith.negf
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i8
// CHECK: arith.subi %[[ZERO]], %{{.+}} : i8
func.func @neg(%f: tensor<2xf32>, %i: tensor<2xi8>) -> (tensor<2xf32>, tensor<2xi8>) {
  %0 = kiln.neg %f : tensor<2xf32>
  %1 = kiln.neg %i : tensor<2xi8>
  return %0, %1 : tensor<2xf32>, tensor<2xi8>
}

// abs and relu are the identity on unsigned tensors: no generic.
// CHECK-LABEL: func.func @abs
// CHECK-SAME: %[[F:[^:]+]]: tensor<2xf32>, %[[I:[^:]+]]: tensor<2xi32>, %[[U:[^:]+]]: tensor<2xi8>
// CHECK: math.absf
// CHECK: math.absi
// CHECK-NOT: linalg.generic
// CHECK: return %{{.+}}, %{{.+}}, %[[U]]
func.func @abs(%f: tensor<2xf32>, %i: tensor<2xi32>, %u: tensor<2xui8>) -> (tensor<2xf32>, tensor<2xi32>, tensor<2xui8>) {
  %0 = kiln.abs %f : tensor<2xf32>
  %1 = kiln.abs %i : tensor<2xi32>
  %2 = kiln.abs %u : tensor<2xui8>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xi32>, tensor<2xui8>
}

// CHECK-LABEL: func.func @relu
// CHECK-SAME: %{{[^:]+}}: tensor<2xf32>, %{{[^:]+}}: tensor<2xi32>, %[[B:[^:]+]]: tensor<2xi1>
// CHECK: %[[FZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.maximumf %{{.+}}, %[[FZERO]] : f32
// CHECK: %[[IZERO:.+]] = arith.constant 0 : i32
// CHECK: arith.maxsi %{{.+}}, %[[IZERO]] : i32
// CHECK: return %{{.+}}, %{{.+}}, %[[B]]
func.func @relu(%f: tensor<2xf32>, %i: tensor<2xi32>, %b: tensor<2xi1>) -> (tensor<2xf32>, tensor<2xi32>, tensor<2xi1>) {
  %0 = kiln.relu %f : tensor<2xf32>
  %1 = kiln.relu %i : tensor<2xi32>
  %2 = kiln.relu %b : tensor<2xi1>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xi32>, tensor<2xi1>
}

// CHECK-LABEL: func.func @math
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.tanh
// CHECK: math.erf
func.func @math(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %0 = kiln.exp %x : tensor<2xf32>
  %1 = kiln.log %x : tensor<2xf32>
  %2 = kiln.sqrt %x : tensor<2xf32>
  %3 = kiln.tanh %x : tensor<2xf32>
  %4 = kiln.erf %x : tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// CHECK-LABEL: func.func @sigmoid
// CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[NEG:.+]] = arith.negf %[[X]]
// CHECK: %[[EXP:.+]] = math.exp %[[NEG]]
// CHECK: %[[DEN:.+]] = arith.addf %[[ONE]], %[[EXP]]
// CHECK: %[[R:.+]] = arith.divf %[[ONE]], %[[DEN]]
// CHECK: linalg.yield %[[R]]
func.func @sigmoid(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = kiln.sigmoid %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @clip_f32
// CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[A:.+]] = arith.maximumf %[[X]], %[[LO]]
// CHECK: %[[HI:.+]] = arith.constant 6.000000e+00 : f32
// CHECK: %[[B:.+]] = arith.minimumf %[[A]], %[[HI]]
// CHECK: linalg.yield %[[B]]
func.func @clip_f32(%x: tensor<8xf32>) -> tensor<8xf32> {
  %r = kiln.clip %x {max = 6.0 : f64, min = 0.0 : f64} : tensor<8xf32>
  return %r : tensor<8xf32>
}

// Integer bounds round inward and saturate; a bound beyond the type clamps
// nothing and is dropped.
// CHECK-LABEL: func.func @clip_i8
// CHECK-NOT: arith.maxsi
// CHECK: %[[HI:.+]] = arith.constant 6 : i8
// CHECK: arith.minsi %{{.+}}, %[[HI]] : i8
func.func @clip_i8(%x: tensor<4xi8>) -> tensor<4xi8> {
  %r = kiln.clip %x {max = 6.5 : f64, min = -200.0 : f64} : tensor<4xi8>
  return %r : tensor<4xi8>
}

// CHECK-LABEL: func.func @clip_ui8
// CHECK: %[[LO:.+]] = arith.constant 11 : i8
// CHECK: arith.maxui %{{.+}}, %[[LO]] : i8
// CHECK-NOT: arith.minui
func.func @clip_ui8(%x: tensor<4xui8>) -> tensor<4xui8> {
  %r = kiln.clip %x {min = 10.2 : f64, max = 1000.0 : f64} : tensor<4xui8>
  return %r : tensor<4xui8>
}

// CHECK-LABEL: func.func @clip_nothing
// CHECK-SAME: (%[[X:.+]]: tensor<4xi8>)
// CHECK-NEXT: return %[[X]]
func.func @clip_nothing(%x: tensor<4xi8>) -> tensor<4xi8> {
  %r = kiln.clip %x {min = -300.0 : f64} : tensor<4xi8>
  return %r : tensor<4xi8>
}
