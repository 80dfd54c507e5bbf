// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// Comparisons, logic, select, remainder, shifts and the unary math family.
// Each becomes one parallel linalg.generic with numpy-broadcasting maps.

// CHECK-DAG: #[[$BCAST_COL:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$BCAST_ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$SCALAR2:.+]] = affine_map<(d0, d1) -> ()>

// Float comparisons are ordered, except `ne`, which is true for NaN.
// CHECK-LABEL: func.func @compare_f32
// CHECK-SAME: (%[[A:.+]]: tensor<4x1xf32>, %[[B:.+]]: tensor<3xf32>)
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<4x3xi1>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[$BCAST_COL]], #[[$BCAST_ROW]], #[[$ID2]]]
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4x1xf32>, tensor<3xf32>)
// CHECK-SAME: outs(%[[EMPTY]] : tensor<4x3xi1>)
// CHECK: ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: i1):
// CHECK: %[[C:.+]] = arith.cmpf olt, %[[X]], %[[Y]] : f32
// CHECK: linalg.yield %[[C]] : i1
// CHECK: arith.cmpf une, %{{.+}}, %{{.+}} : f32
func.func @compare_f32(%a: tensor<4x1xf32>, %b: tensor<3xf32>)
    -> (tensor<4x3xi1>, tensor<4x3xi1>) {
  %0 = kiln.compare lt, %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xi1>
  %1 = kiln.compare ne, %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xi1>
  return %0, %1 : tensor<4x3xi1>, tensor<4x3xi1>
}

// Integer predicates follow the kiln signedness; ui8 becomes i8.
// CHECK-LABEL: func.func @compare_int
// CHECK-SAME: (%[[U:.+]]: tensor<3xi8>, %[[S:.+]]: tensor<3xi32>)
// CHECK: arith.cmpi ule, %{{.+}}, %{{.+}} : i8
// CHECK: arith.cmpi sge, %{{.+}}, %{{.+}} : i32
// CHECK: arith.cmpi eq, %{{.+}}, %{{.+}} : i32
func.func @compare_int(%u: tensor<3xui8>, %s: tensor<3xi32>)
    -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %0 = kiln.compare le, %u, %u : tensor<3xui8>, tensor<3xui8> -> tensor<3xi1>
  %1 = kiln.compare ge, %s, %s : tensor<3xi32>, tensor<3xi32> -> tensor<3xi1>
  %2 = kiln.compare eq, %s, %s : tensor<3xi32>, tensor<3xi32> -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// CHECK-LABEL: func.func @select
// CHECK-SAME: (%[[C:.+]]: tensor<2x1xi1>, %[[A:.+]]: tensor<3xf32>, %[[B:.+]]: tensor<f32>)
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[$BCAST_COL]], #[[$BCAST_ROW]], #[[$SCALAR2]], #[[$ID2]]]
// CHECK-SAME: ins(%[[C]], %[[A]], %[[B]] : tensor<2x1xi1>, tensor<3xf32>, tensor<f32>)
// CHECK: ^bb0(%[[P:.+]]: i1, %[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[R:.+]] = arith.select %[[P]], %[[X]], %[[Y]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @select(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>)
    -> tensor<2x3xf32> {
  %0 = kiln.select %c, %a, %b : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @logic
// CHECK: arith.andi %{{.+}}, %{{.+}} : i1
// CHECK: arith.ori %{{.+}}, %{{.+}} : i1
// CHECK: arith.xori %{{.+}}, %{{.+}} : i1
// CHECK: %[[TRUE:.+]] = arith.constant true
// CHECK: arith.xori %{{.+}}, %[[TRUE]] : i1
func.func @logic(%p: tensor<3xi1>, %q: tensor<3xi1>) -> tensor<3xi1> {
  %0 = kiln.and %p, %q : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  %1 = kiln.or %0, %q : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  %2 = kiln.xor %1, %p : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  %3 = kiln.not %2 : tensor<3xi1>
  return %3 : tensor<3xi1>
}

// Shifts by the bit width or more shift every bit out instead of being poison.
// CHECK-LABEL: func.func @shifts
// CHECK: ^bb0(%[[X:.+]]: i8, %[[N:.+]]: i8, %{{.+}}: i8):
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i8
// CHECK: %[[WIDTH:.+]] = arith.constant 8 : i8
// CHECK: %[[FAR:.+]] = arith.cmpi uge, %[[N]], %[[WIDTH]] : i8
// CHECK: %[[AMOUNT:.+]] = arith.select %[[FAR]], %[[ZERO]], %[[N]] : i8
// CHECK: %[[SHL:.+]] = arith.shli %[[X]], %[[AMOUNT]] : i8
// CHECK: arith.select %[[FAR]], %[[ZERO]], %[[SHL]] : i8
// CHECK: arith.shrui
// CHECK: arith.shrsi
func.func @shifts(%a: tensor<3xui8>, %b: tensor<3xui8>, %s: tensor<3xi32>)
    -> (tensor<3xui8>, tensor<3xui8>, tensor<3xi32>) {
  %0 = kiln.shift_left %a, %b : tensor<3xui8>, tensor<3xui8> -> tensor<3xui8>
  %1 = kiln.shift_right %a, %b : tensor<3xui8>, tensor<3xui8> -> tensor<3xui8>
  %2 = kiln.shift_right %s, %s : tensor<3xi32>, tensor<3xi32> -> tensor<3xi32>
  return %0, %1, %2 : tensor<3xui8>, tensor<3xui8>, tensor<3xi32>
}

// Floored integer remainder: a non-zero remainder whose sign differs from
// the divisor's moves by one divisor. fmod on floats is arith.remf.
// CHECK-LABEL: func.func @mod
// CHECK: %[[REM:.+]] = arith.remsi %{{.+}}, %[[D:.+]] : i32
// CHECK: %[[ADJ:.+]] = arith.addi %[[REM]], %[[D]] : i32
// CHECK: arith.select %{{.+}}, %[[ADJ]], %[[REM]] : i32
// CHECK: arith.remf %{{.+}}, %{{.+}} : f32
func.func @mod(%a: tensor<3xi32>, %x: tensor<3xf32>)
    -> (tensor<3xi32>, tensor<3xf32>) {
  %0 = kiln.mod %a, %a : tensor<3xi32>, tensor<3xi32> -> tensor<3xi32>
  %1 = kiln.mod %x, %x {fmod} : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %0, %1 : tensor<3xi32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @unary_math
// CHECK: math.floor
// CHECK: math.ceil
// CHECK: math.roundeven
// CHECK: math.sin
// CHECK: math.cos
// CHECK: math.tan
// CHECK: math.asin
// CHECK: math.acos
// CHECK: math.atan
// CHECK: math.sinh
// CHECK: math.cosh
// CHECK: math.asinh
// CHECK: math.acosh
// CHECK: math.atanh
func.func @unary_math(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = kiln.floor %x : tensor<2xf32>
  %1 = kiln.ceil %0 : tensor<2xf32>
  %2 = kiln.round %1 : tensor<2xf32>
  %3 = kiln.sin %2 : tensor<2xf32>
  %4 = kiln.cos %3 : tensor<2xf32>
  %5 = kiln.tan %4 : tensor<2xf32>
  %6 = kiln.asin %5 : tensor<2xf32>
  %7 = kiln.acos %6 : tensor<2xf32>
  %8 = kiln.atan %7 : tensor<2xf32>
  %9 = kiln.sinh %8 : tensor<2xf32>
  %10 = kiln.cosh %9 : tensor<2xf32>
  %11 = kiln.asinh %10 : tensor<2xf32>
  %12 = kiln.acosh %11 : tensor<2xf32>
  %13 = kiln.atanh %12 : tensor<2xf32>
  return %13 : tensor<2xf32>
}

// sign: NaN and zeros pass through for floats.
// CHECK-LABEL: func.func @sign
// CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[POS:.+]] = arith.cmpf ogt, %[[X]], %{{.+}} : f32
// CHECK: %[[NEG:.+]] = arith.cmpf olt, %[[X]], %{{.+}} : f32
// CHECK: %[[NX:.+]] = arith.select %[[NEG]], %{{.+}}, %[[X]] : f32
// CHECK: arith.select %[[POS]], %{{.+}}, %[[NX]] : f32
// CHECK: arith.cmpi sgt
// CHECK: arith.cmpi slt
func.func @sign(%x: tensor<2xf32>, %i: tensor<2xi64>)
    -> (tensor<2xf32>, tensor<2xi64>) {
  %0 = kiln.sign %x : tensor<2xf32>
  %1 = kiln.sign %i : tensor<2xi64>
  return %0, %1 : tensor<2xf32>, tensor<2xi64>
}
