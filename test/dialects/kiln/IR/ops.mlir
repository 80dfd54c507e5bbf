// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// Round trip of every kiln op through the custom and the generic form. Both
// RUN lines check the custom form printed after reparsing; GENERIC checks a
// few ops in generic form to show the attributes are properties.

//===----------------------------------------------------------------------===//
// kiln.constant
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @constant_dense
// CHECK:         %[[C:.+]] = kiln.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK:         %[[I:.+]] = kiln.constant dense<{{\[}}[1, -2], [3, 4]]> : tensor<2x2xi64>
// CHECK:         %[[S:.+]] = kiln.constant dense<7> : tensor<3xui8>
// CHECK:         %[[B:.+]] = kiln.constant dense<[true, false]> : tensor<2xi1>
// CHECK:         %[[Z:.+]] = kiln.constant dense<0.000000e+00> : tensor<f32>
// CHECK:         return %[[C]], %[[I]], %[[S]], %[[B]], %[[Z]]
// GENERIC-LABEL: "func.func"
// GENERIC-SAME:    sym_name = "constant_dense"
// GENERIC:         "kiln.constant"() <{value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}> : () -> tensor<2xf32>
func.func @constant_dense() -> (tensor<2xf32>, tensor<2x2xi64>, tensor<3xui8>,
                                tensor<2xi1>, tensor<f32>) {
  %0 = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = kiln.constant dense<[[1, -2], [3, 4]]> : tensor<2x2xi64>
  %2 = kiln.constant dense<7> : tensor<3xui8>
  %3 = kiln.constant dense<[true, false]> : tensor<2xi1>
  %4 = kiln.constant dense<0.0> : tensor<f32>
  return %0, %1, %2, %3, %4
      : tensor<2xf32>, tensor<2x2xi64>, tensor<3xui8>, tensor<2xi1>, tensor<f32>
}

// CHECK-LABEL: func.func @constant_resource
// CHECK:         %[[W:.+]] = kiln.constant dense_resource<conv1.weight> : tensor<2xf32>
// CHECK:         return %[[W]]
func.func @constant_resource() -> tensor<2xf32> {
  %0 = kiln.constant dense_resource<conv1.weight> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary
// CHECK-SAME:    (%[[A:.+]]: tensor<4x1xf32>, %[[B:.+]]: tensor<3xf32>)
// CHECK:         %[[ADD:.+]] = kiln.add %[[A]], %[[B]] : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xf32>
// CHECK:         %[[SUB:.+]] = kiln.sub %[[ADD]], %[[B]] : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
// CHECK:         %[[MUL:.+]] = kiln.mul %[[B]], %[[SUB]] : tensor<3xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
// CHECK:         %[[DIV:.+]] = kiln.div %[[MUL]], %[[A]] : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
// CHECK:         %[[POW:.+]] = kiln.pow %[[DIV]], %[[DIV]] : tensor<4x3xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
// CHECK:         %[[MAX:.+]] = kiln.max %[[POW]], %[[A]] : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
// CHECK:         %[[MIN:.+]] = kiln.min %[[MAX]], %[[B]] : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
// CHECK:         return %[[MIN]]
// GENERIC-LABEL: sym_name = "binary"
// GENERIC:         "kiln.add"(%{{.+}}, %{{.+}}) : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
func.func @binary(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = kiln.add %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xf32>
  %1 = kiln.sub %0, %b : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
  %2 = kiln.mul %b, %1 : tensor<3xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
  %3 = kiln.div %2, %a : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
  %4 = kiln.pow %3, %3 : tensor<4x3xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
  %5 = kiln.max %4, %a : tensor<4x3xf32>, tensor<4x1xf32> -> tensor<4x3xf32>
  %6 = kiln.min %5, %b : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
  return %6 : tensor<4x3xf32>
}

// Integer element types and rank-0 (scalar) operands broadcast too.
// CHECK-LABEL: func.func @binary_int
// CHECK-SAME:    (%[[A:.+]]: tensor<2x3xi32>, %[[S:.+]]: tensor<i32>, %[[U:.+]]: tensor<5x1x7xui8>, %[[V:.+]]: tensor<6x1xui8>)
// CHECK:         %[[ADD:.+]] = kiln.add %[[A]], %[[S]] : tensor<2x3xi32>, tensor<i32> -> tensor<2x3xi32>
// CHECK:         %[[DIV:.+]] = kiln.div %[[U]], %[[V]] : tensor<5x1x7xui8>, tensor<6x1xui8> -> tensor<5x6x7xui8>
// CHECK:         return %[[ADD]], %[[DIV]]
func.func @binary_int(%a: tensor<2x3xi32>, %s: tensor<i32>,
                      %u: tensor<5x1x7xui8>, %v: tensor<6x1xui8>)
    -> (tensor<2x3xi32>, tensor<5x6x7xui8>) {
  %0 = kiln.add %a, %s : tensor<2x3xi32>, tensor<i32> -> tensor<2x3xi32>
  %1 = kiln.div %u, %v : tensor<5x1x7xui8>, tensor<6x1xui8> -> tensor<5x6x7xui8>
  return %0, %1 : tensor<2x3xi32>, tensor<5x6x7xui8>
}

// A dynamic dimension broadcasts with 1 to itself, with a static size to the
// static size, and with another dynamic dimension to a dynamic one.
// CHECK-LABEL: func.func @binary_dynamic
// CHECK-SAME:    (%[[A:.+]]: tensor<?x3xf32>, %[[B:.+]]: tensor<1x3xf32>, %[[C:.+]]: tensor<4x?xf32>)
// CHECK:         %[[X:.+]] = kiln.add %[[A]], %[[B]] : tensor<?x3xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
// CHECK:         %[[Y:.+]] = kiln.mul %[[A]], %[[C]] : tensor<?x3xf32>, tensor<4x?xf32> -> tensor<4x3xf32>
// CHECK:         %[[Z:.+]] = kiln.sub %[[A]], %[[A]] : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
// CHECK:         return %[[X]], %[[Y]], %[[Z]]
func.func @binary_dynamic(%a: tensor<?x3xf32>, %b: tensor<1x3xf32>,
                          %c: tensor<4x?xf32>)
    -> (tensor<?x3xf32>, tensor<4x3xf32>, tensor<?x3xf32>) {
  %0 = kiln.add %a, %b : tensor<?x3xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
  %1 = kiln.mul %a, %c : tensor<?x3xf32>, tensor<4x?xf32> -> tensor<4x3xf32>
  %2 = kiln.sub %a, %a : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3xf32>
  return %0, %1, %2 : tensor<?x3xf32>, tensor<4x3xf32>, tensor<?x3xf32>
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary
// CHECK-SAME:    (%[[X:.+]]: tensor<2x?xf32>)
// CHECK:         %[[NEG:.+]] = kiln.neg %[[X]] : tensor<2x?xf32>
// CHECK:         %[[ABS:.+]] = kiln.abs %[[NEG]] : tensor<2x?xf32>
// CHECK:         %[[EXP:.+]] = kiln.exp %[[ABS]] : tensor<2x?xf32>
// CHECK:         %[[LOG:.+]] = kiln.log %[[EXP]] : tensor<2x?xf32>
// CHECK:         %[[SQRT:.+]] = kiln.sqrt %[[LOG]] : tensor<2x?xf32>
// CHECK:         %[[RELU:.+]] = kiln.relu %[[SQRT]] : tensor<2x?xf32>
// CHECK:         %[[SIG:.+]] = kiln.sigmoid %[[RELU]] : tensor<2x?xf32>
// CHECK:         %[[TANH:.+]] = kiln.tanh %[[SIG]] : tensor<2x?xf32>
// CHECK:         %[[ERF:.+]] = kiln.erf %[[TANH]] : tensor<2x?xf32>
// CHECK:         return %[[ERF]]
// GENERIC-LABEL: sym_name = "unary"
// GENERIC:         "kiln.neg"(%{{.+}}) : (tensor<2x?xf32>) -> tensor<2x?xf32>
func.func @unary(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %0 = kiln.neg %x : tensor<2x?xf32>
  %1 = kiln.abs %0 : tensor<2x?xf32>
  %2 = kiln.exp %1 : tensor<2x?xf32>
  %3 = kiln.log %2 : tensor<2x?xf32>
  %4 = kiln.sqrt %3 : tensor<2x?xf32>
  %5 = kiln.relu %4 : tensor<2x?xf32>
  %6 = kiln.sigmoid %5 : tensor<2x?xf32>
  %7 = kiln.tanh %6 : tensor<2x?xf32>
  %8 = kiln.erf %7 : tensor<2x?xf32>
  return %8 : tensor<2x?xf32>
}

// neg and relu take signless integers, abs any integer.
// CHECK-LABEL: func.func @unary_int
// CHECK-SAME:    (%[[I:.+]]: tensor<4xi8>, %[[U:.+]]: tensor<4xui16>)
// CHECK:         %[[NEG:.+]] = kiln.neg %[[I]] : tensor<4xi8>
// CHECK:         %[[RELU:.+]] = kiln.relu %[[NEG]] : tensor<4xi8>
// CHECK:         %[[ABS:.+]] = kiln.abs %[[U]] : tensor<4xui16>
// CHECK:         return %[[RELU]], %[[ABS]]
func.func @unary_int(%i: tensor<4xi8>, %u: tensor<4xui16>)
    -> (tensor<4xi8>, tensor<4xui16>) {
  %0 = kiln.neg %i : tensor<4xi8>
  %1 = kiln.relu %0 : tensor<4xi8>
  %2 = kiln.abs %u : tensor<4xui16>
  return %1, %2 : tensor<4xi8>, tensor<4xui16>
}

// CHECK-LABEL: func.func @clip
// CHECK-SAME:    (%[[X:.+]]: tensor<8xf32>, %[[I:.+]]: tensor<?xi32>)
// CHECK:         %[[BOTH:.+]] = kiln.clip %[[X]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<8xf32>
// CHECK:         %[[MIN:.+]] = kiln.clip %[[BOTH]] {min = -1.000000e+00 : f64} : tensor<8xf32>
// CHECK:         %[[MAX:.+]] = kiln.clip %[[MIN]] {max = 1.000000e+00 : f64} : tensor<8xf32>
// CHECK:         %[[NONE:.+]] = kiln.clip %[[MAX]] : tensor<8xf32>
// CHECK:         %[[EQ:.+]] = kiln.clip %[[I]] {max = 3.000000e+00 : f64, min = 3.000000e+00 : f64} : tensor<?xi32>
// CHECK:         return %[[NONE]], %[[EQ]]
// GENERIC-LABEL: sym_name = "clip"
// GENERIC:         "kiln.clip"(%{{.+}}) <{max = 6.000000e+00 : f64, min = 0.000000e+00 : f64}> : (tensor<8xf32>) -> tensor<8xf32>
func.func @clip(%x: tensor<8xf32>, %i: tensor<?xi32>)
    -> (tensor<8xf32>, tensor<?xi32>) {
  %0 = kiln.clip %x {max = 6.0 : f64, min = 0.0 : f64} : tensor<8xf32>
  %1 = kiln.clip %0 {min = -1.0 : f64} : tensor<8xf32>
  %2 = kiln.clip %1 {max = 1.0 : f64} : tensor<8xf32>
  %3 = kiln.clip %2 : tensor<8xf32>
  %4 = kiln.clip %i {min = 3.0 : f64, max = 3.0 : f64} : tensor<?xi32>
  return %3, %4 : tensor<8xf32>, tensor<?xi32>
}

//===----------------------------------------------------------------------===//
// kiln.matmul
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[M:.+]]: tensor<2x3xf32>, %[[N:.+]]: tensor<3x4xf32>, %[[V:.+]]: tensor<3xf32>, %[[W:.+]]: tensor<4xf32>)
// CHECK:         %[[MM:.+]] = kiln.matmul %[[M]], %[[N]] : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
// CHECK:         %[[VM:.+]] = kiln.matmul %[[V]], %[[N]] : tensor<3xf32>, tensor<3x4xf32> -> tensor<4xf32>
// CHECK:         %[[MV:.+]] = kiln.matmul %[[M]], %[[V]] : tensor<2x3xf32>, tensor<3xf32> -> tensor<2xf32>
// CHECK:         %[[VV:.+]] = kiln.matmul %[[V]], %[[V]] : tensor<3xf32>, tensor<3xf32> -> tensor<f32>
// CHECK:         return %[[MM]], %[[VM]], %[[MV]], %[[VV]]
// GENERIC-LABEL: sym_name = "matmul"
// GENERIC:         "kiln.matmul"(%{{.+}}, %{{.+}}) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
func.func @matmul(%m: tensor<2x3xf32>, %n: tensor<3x4xf32>, %v: tensor<3xf32>,
                  %w: tensor<4xf32>)
    -> (tensor<2x4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<f32>) {
  %0 = kiln.matmul %m, %n : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  %1 = kiln.matmul %v, %n : tensor<3xf32>, tensor<3x4xf32> -> tensor<4xf32>
  %2 = kiln.matmul %m, %v : tensor<2x3xf32>, tensor<3xf32> -> tensor<2xf32>
  %3 = kiln.matmul %v, %v : tensor<3xf32>, tensor<3xf32> -> tensor<f32>
  return %0, %1, %2, %3 : tensor<2x4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<f32>
}

// Batch dimensions broadcast; a 1-D operand against a batched one keeps the
// batch.
// CHECK-LABEL: func.func @matmul_batched
// CHECK-SAME:    (%[[A:.+]]: tensor<8x1x2x3xf32>, %[[B:.+]]: tensor<5x3x4xf32>, %[[V:.+]]: tensor<3xf32>, %[[C:.+]]: tensor<7x2x3xi32>, %[[D:.+]]: tensor<3x6xi32>)
// CHECK:         %[[AB:.+]] = kiln.matmul %[[A]], %[[B]] : tensor<8x1x2x3xf32>, tensor<5x3x4xf32> -> tensor<8x5x2x4xf32>
// CHECK:         %[[VB:.+]] = kiln.matmul %[[V]], %[[B]] : tensor<3xf32>, tensor<5x3x4xf32> -> tensor<5x4xf32>
// CHECK:         %[[AV:.+]] = kiln.matmul %[[A]], %[[V]] : tensor<8x1x2x3xf32>, tensor<3xf32> -> tensor<8x1x2xf32>
// CHECK:         %[[CD:.+]] = kiln.matmul %[[C]], %[[D]] : tensor<7x2x3xi32>, tensor<3x6xi32> -> tensor<7x2x6xi32>
// CHECK:         return %[[AB]], %[[VB]], %[[AV]], %[[CD]]
func.func @matmul_batched(%a: tensor<8x1x2x3xf32>, %b: tensor<5x3x4xf32>,
                          %v: tensor<3xf32>, %c: tensor<7x2x3xi32>,
                          %d: tensor<3x6xi32>)
    -> (tensor<8x5x2x4xf32>, tensor<5x4xf32>, tensor<8x1x2xf32>,
        tensor<7x2x6xi32>) {
  %0 = kiln.matmul %a, %b : tensor<8x1x2x3xf32>, tensor<5x3x4xf32> -> tensor<8x5x2x4xf32>
  %1 = kiln.matmul %v, %b : tensor<3xf32>, tensor<5x3x4xf32> -> tensor<5x4xf32>
  %2 = kiln.matmul %a, %v : tensor<8x1x2x3xf32>, tensor<3xf32> -> tensor<8x1x2xf32>
  %3 = kiln.matmul %c, %d : tensor<7x2x3xi32>, tensor<3x6xi32> -> tensor<7x2x6xi32>
  return %0, %1, %2, %3
      : tensor<8x5x2x4xf32>, tensor<5x4xf32>, tensor<8x1x2xf32>, tensor<7x2x6xi32>
}

// A dynamic contracting dimension matches anything; dynamic M, N and batch
// dimensions carry over.
// CHECK-LABEL: func.func @matmul_dynamic
// CHECK-SAME:    (%[[A:.+]]: tensor<?x?x3xf32>, %[[B:.+]]: tensor<?x4xf32>, %[[C:.+]]: tensor<2x3x?xf32>)
// CHECK:         %[[AB:.+]] = kiln.matmul %[[A]], %[[B]] : tensor<?x?x3xf32>, tensor<?x4xf32> -> tensor<?x?x4xf32>
// CHECK:         %[[AC:.+]] = kiln.matmul %[[A]], %[[C]] : tensor<?x?x3xf32>, tensor<2x3x?xf32> -> tensor<2x?x?xf32>
// CHECK:         return %[[AB]], %[[AC]]
func.func @matmul_dynamic(%a: tensor<?x?x3xf32>, %b: tensor<?x4xf32>,
                          %c: tensor<2x3x?xf32>)
    -> (tensor<?x?x4xf32>, tensor<2x?x?xf32>) {
  %0 = kiln.matmul %a, %b : tensor<?x?x3xf32>, tensor<?x4xf32> -> tensor<?x?x4xf32>
  %1 = kiln.matmul %a, %c : tensor<?x?x3xf32>, tensor<2x3x?xf32> -> tensor<2x?x?xf32>
  return %0, %1 : tensor<?x?x4xf32>, tensor<2x?x?xf32>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>, %[[S:.+]]: tensor<i64>)
// CHECK:         %[[R:.+]] = kiln.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK:         %[[F:.+]] = kiln.reshape %[[R]] : tensor<6x4xf32> -> tensor<24xf32>
// CHECK:         %[[U:.+]] = kiln.reshape %[[S]] : tensor<i64> -> tensor<1x1xi64>
// CHECK:         %[[E:.+]] = kiln.reshape %{{.+}} : tensor<0x3xf32> -> tensor<3x0xf32>
// CHECK:         return %[[F]], %[[U]], %[[E]]
// GENERIC-LABEL: sym_name = "reshape"
// GENERIC:         "kiln.reshape"(%{{.+}}) : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
func.func @reshape(%x: tensor<2x3x4xf32>, %s: tensor<i64>)
    -> (tensor<24xf32>, tensor<1x1xi64>, tensor<3x0xf32>) {
  %0 = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = kiln.reshape %0 : tensor<6x4xf32> -> tensor<24xf32>
  %2 = kiln.reshape %s : tensor<i64> -> tensor<1x1xi64>
  %e = kiln.constant dense<> : tensor<0x3xf32>
  %3 = kiln.reshape %e : tensor<0x3xf32> -> tensor<3x0xf32>
  return %1, %2, %3 : tensor<24xf32>, tensor<1x1xi64>, tensor<3x0xf32>
}

// CHECK-LABEL: func.func @transpose
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>, %[[D:.+]]: tensor<?x5xi8>, %[[S:.+]]: tensor<f32>)
// CHECK:         %[[T:.+]] = kiln.transpose %[[X]] [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
// CHECK:         %[[R:.+]] = kiln.transpose %[[T]] [2, 0, 1] : tensor<2x4x3xf32> -> tensor<3x2x4xf32>
// CHECK:         %[[DT:.+]] = kiln.transpose %[[D]] [1, 0] : tensor<?x5xi8> -> tensor<5x?xi8>
// CHECK:         %[[ST:.+]] = kiln.transpose %[[S]] [] : tensor<f32> -> tensor<f32>
// CHECK:         return %[[R]], %[[DT]], %[[ST]]
// GENERIC-LABEL: sym_name = "transpose"
// GENERIC:         "kiln.transpose"(%{{.+}}) <{permutation = array<i64: 0, 2, 1>}> : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
func.func @transpose(%x: tensor<2x3x4xf32>, %d: tensor<?x5xi8>, %s: tensor<f32>)
    -> (tensor<3x2x4xf32>, tensor<5x?xi8>, tensor<f32>) {
  %0 = kiln.transpose %x [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = kiln.transpose %0 [2, 0, 1] : tensor<2x4x3xf32> -> tensor<3x2x4xf32>
  %2 = kiln.transpose %d [1, 0] : tensor<?x5xi8> -> tensor<5x?xi8>
  %3 = kiln.transpose %s [] : tensor<f32> -> tensor<f32>
  return %1, %2, %3 : tensor<3x2x4xf32>, tensor<5x?xi8>, tensor<f32>
}

// CHECK-LABEL: func.func @concat
// CHECK-SAME:    (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<2x5xf32>, %[[C:.+]]: tensor<?x3xf32>, %[[D:.+]]: tensor<?x?xf32>)
// CHECK:         %[[AB:.+]] = kiln.concat %[[A]], %[[B]] axis = 1 : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
// CHECK:         %[[ONE:.+]] = kiln.concat %[[A]] axis = 0 : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK:         %[[AC:.+]] = kiln.concat %[[A]], %[[C]], %[[A]] axis = 0 : tensor<2x3xf32>, tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x3xf32>
// CHECK:         %[[DA:.+]] = kiln.concat %[[D]], %[[A]] axis = 0 : tensor<?x?xf32>, tensor<2x3xf32> -> tensor<?x3xf32>
// CHECK:         return %[[AB]], %[[ONE]], %[[AC]], %[[DA]]
// GENERIC-LABEL: sym_name = "concat"
// GENERIC:         "kiln.concat"(%{{.+}}, %{{.+}}) <{axis = 1 : i64}> : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<?x3xf32>,
                  %d: tensor<?x?xf32>)
    -> (tensor<2x8xf32>, tensor<2x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
  %0 = kiln.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
  %1 = kiln.concat %a axis = 0 : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = kiln.concat %a, %c, %a axis = 0 : tensor<2x3xf32>, tensor<?x3xf32>, tensor<2x3xf32> -> tensor<?x3xf32>
  %3 = kiln.concat %d, %a axis = 0 : tensor<?x?xf32>, tensor<2x3xf32> -> tensor<?x3xf32>
  return %0, %1, %2, %3
      : tensor<2x8xf32>, tensor<2x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}

// CHECK-LABEL: func.func @slice
// CHECK-SAME:    (%[[X:.+]]: tensor<4x6xf32>, %[[D:.+]]: tensor<?x6xf32>)
// CHECK:         %[[S:.+]] = kiln.slice %[[X]] starts [0, 1] sizes [2, 2] steps [1, 2] : tensor<4x6xf32> -> tensor<2x2xf32>
// CHECK:         %[[REV:.+]] = kiln.slice %[[X]] starts [3, 5] sizes [4, 3] steps [-1, -2] : tensor<4x6xf32> -> tensor<4x3xf32>
// CHECK:         %[[FULL:.+]] = kiln.slice %[[X]] starts [0, 0] sizes [4, 6] steps [1, 1] : tensor<4x6xf32> -> tensor<4x6xf32>
// CHECK:         %[[EMPTY:.+]] = kiln.slice %[[X]] starts [4, 0] sizes [0, 6] steps [1, 1] : tensor<4x6xf32> -> tensor<0x6xf32>
// CHECK:         %[[DYN:.+]] = kiln.slice %[[D]] starts [7, 5] sizes [3, 2] steps [2, -5] : tensor<?x6xf32> -> tensor<3x2xf32>
// CHECK:         return %[[S]], %[[REV]], %[[FULL]], %[[EMPTY]], %[[DYN]]
// GENERIC-LABEL: sym_name = "slice"
// GENERIC:         "kiln.slice"(%{{.+}}) <{sizes = array<i64: 2, 2>, starts = array<i64: 0, 1>, steps = array<i64: 1, 2>}> : (tensor<4x6xf32>) -> tensor<2x2xf32>
func.func @slice(%x: tensor<4x6xf32>, %d: tensor<?x6xf32>)
    -> (tensor<2x2xf32>, tensor<4x3xf32>, tensor<4x6xf32>, tensor<0x6xf32>,
        tensor<3x2xf32>) {
  %0 = kiln.slice %x starts [0, 1] sizes [2, 2] steps [1, 2] : tensor<4x6xf32> -> tensor<2x2xf32>
  // Negative steps walk backwards: rows 3, 2, 1, 0 and columns 5, 3, 1.
  %1 = kiln.slice %x starts [3, 5] sizes [4, 3] steps [-1, -2] : tensor<4x6xf32> -> tensor<4x3xf32>
  %2 = kiln.slice %x starts [0, 0] sizes [4, 6] steps [1, 1] : tensor<4x6xf32> -> tensor<4x6xf32>
  // An empty slice may start one past the end.
  %3 = kiln.slice %x starts [4, 0] sizes [0, 6] steps [1, 1] : tensor<4x6xf32> -> tensor<0x6xf32>
  // Bounds of a dynamic dimension are checked at run time.
  %4 = kiln.slice %d starts [7, 5] sizes [3, 2] steps [2, -5] : tensor<?x6xf32> -> tensor<3x2xf32>
  return %0, %1, %2, %3, %4
      : tensor<2x2xf32>, tensor<4x3xf32>, tensor<4x6xf32>, tensor<0x6xf32>,
        tensor<3x2xf32>
}

// CHECK-LABEL: func.func @gather
// CHECK-SAME:    (%[[E:.+]]: tensor<100x16xf32>, %[[I:.+]]: tensor<2x8xi64>, %[[J:.+]]: tensor<i32>, %[[D:.+]]: tensor<?x3x?xi8>, %[[K:.+]]: tensor<?xi32>)
// CHECK:         %[[G0:.+]] = kiln.gather %[[E]], %[[I]] axis = 0 : tensor<100x16xf32>, tensor<2x8xi64> -> tensor<2x8x16xf32>
// CHECK:         %[[G1:.+]] = kiln.gather %[[E]], %[[J]] axis = 1 : tensor<100x16xf32>, tensor<i32> -> tensor<100xf32>
// CHECK:         %[[G2:.+]] = kiln.gather %[[D]], %[[K]] axis = 1 : tensor<?x3x?xi8>, tensor<?xi32> -> tensor<?x?x?xi8>
// CHECK:         return %[[G0]], %[[G1]], %[[G2]]
// GENERIC-LABEL: sym_name = "gather"
// GENERIC:         "kiln.gather"(%{{.+}}, %{{.+}}) <{axis = 0 : i64}> : (tensor<100x16xf32>, tensor<2x8xi64>) -> tensor<2x8x16xf32>
func.func @gather(%e: tensor<100x16xf32>, %i: tensor<2x8xi64>, %j: tensor<i32>,
                  %d: tensor<?x3x?xi8>, %k: tensor<?xi32>)
    -> (tensor<2x8x16xf32>, tensor<100xf32>, tensor<?x?x?xi8>) {
  %0 = kiln.gather %e, %i axis = 0 : tensor<100x16xf32>, tensor<2x8xi64> -> tensor<2x8x16xf32>
  %1 = kiln.gather %e, %j axis = 1 : tensor<100x16xf32>, tensor<i32> -> tensor<100xf32>
  %2 = kiln.gather %d, %k axis = 1 : tensor<?x3x?xi8>, tensor<?xi32> -> tensor<?x?x?xi8>
  return %0, %1, %2 : tensor<2x8x16xf32>, tensor<100xf32>, tensor<?x?x?xi8>
}

// CHECK-LABEL: func.func @cast
// CHECK-SAME:    (%[[X:.+]]: tensor<4xi64>, %[[D:.+]]: tensor<?x2xf16>)
// CHECK:         %[[F:.+]] = kiln.cast %[[X]] : tensor<4xi64> to tensor<4xf32>
// CHECK:         %[[B:.+]] = kiln.cast %[[F]] : tensor<4xf32> to tensor<4xi1>
// CHECK:         %[[U:.+]] = kiln.cast %[[D]] : tensor<?x2xf16> to tensor<?x2xui8>
// CHECK:         return %[[B]], %[[U]]
// GENERIC-LABEL: sym_name = "cast"
// GENERIC:         "kiln.cast"(%{{.+}}) : (tensor<4xi64>) -> tensor<4xf32>
func.func @cast(%x: tensor<4xi64>, %d: tensor<?x2xf16>)
    -> (tensor<4xi1>, tensor<?x2xui8>) {
  %0 = kiln.cast %x : tensor<4xi64> to tensor<4xf32>
  %1 = kiln.cast %0 : tensor<4xf32> to tensor<4xi1>
  %2 = kiln.cast %d : tensor<?x2xf16> to tensor<?x2xui8>
  return %1, %2 : tensor<4xi1>, tensor<?x2xui8>
}

//===----------------------------------------------------------------------===//
// Normalization and reductions
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @softmax
// CHECK-SAME:    (%[[X:.+]]: tensor<2x10xf32>, %[[D:.+]]: tensor<?x?xbf16>)
// CHECK:         %[[S:.+]] = kiln.softmax %[[X]] axis = 1 : tensor<2x10xf32>
// CHECK:         %[[T:.+]] = kiln.softmax %[[D]] axis = 0 : tensor<?x?xbf16>
// CHECK:         return %[[S]], %[[T]]
// GENERIC-LABEL: sym_name = "softmax"
// GENERIC:         "kiln.softmax"(%{{.+}}) <{axis = 1 : i64}> : (tensor<2x10xf32>) -> tensor<2x10xf32>
func.func @softmax(%x: tensor<2x10xf32>, %d: tensor<?x?xbf16>)
    -> (tensor<2x10xf32>, tensor<?x?xbf16>) {
  %0 = kiln.softmax %x axis = 1 : tensor<2x10xf32>
  %1 = kiln.softmax %d axis = 0 : tensor<?x?xbf16>
  return %0, %1 : tensor<2x10xf32>, tensor<?x?xbf16>
}

// CHECK-LABEL: func.func @reduce
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>, %[[I:.+]]: tensor<?x5xi32>)
// CHECK:         %[[S:.+]] = kiln.reduce_sum %[[X]] axes = [1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
// CHECK:         %[[SK:.+]] = kiln.reduce_sum %[[X]] axes = [0, 2] keep_dims : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
// CHECK:         %[[M:.+]] = kiln.reduce_mean %[[X]] axes = [0, 1, 2] : tensor<2x3x4xf32> -> tensor<f32>
// CHECK:         %[[MK:.+]] = kiln.reduce_mean %[[X]] axes = [2] keep_dims : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
// CHECK:         %[[X0:.+]] = kiln.reduce_max %[[I]] axes = [0] : tensor<?x5xi32> -> tensor<5xi32>
// CHECK:         %[[XK:.+]] = kiln.reduce_max %[[I]] axes = [0] keep_dims : tensor<?x5xi32> -> tensor<1x5xi32>
// CHECK:         %[[XD:.+]] = kiln.reduce_max %[[I]] axes = [1] : tensor<?x5xi32> -> tensor<?xi32>
// CHECK:         %[[E:.+]] = kiln.reduce_sum %[[X]] axes = [] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         return %[[S]], %[[SK]], %[[M]], %[[MK]], %[[X0]], %[[XK]], %[[XD]], %[[E]]
// GENERIC-LABEL: sym_name = "reduce"
// GENERIC:         "kiln.reduce_sum"(%{{.+}}) <{axes = array<i64: 1>}> : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
// GENERIC:         "kiln.reduce_sum"(%{{.+}}) <{axes = array<i64: 0, 2>, keep_dims}> : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
func.func @reduce(%x: tensor<2x3x4xf32>, %i: tensor<?x5xi32>)
    -> (tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>, tensor<2x3x1xf32>,
        tensor<5xi32>, tensor<1x5xi32>, tensor<?xi32>, tensor<2x3x4xf32>) {
  %0 = kiln.reduce_sum %x axes = [1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %1 = kiln.reduce_sum %x axes = [0, 2] keep_dims : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  %2 = kiln.reduce_mean %x axes = [0, 1, 2] : tensor<2x3x4xf32> -> tensor<f32>
  %3 = kiln.reduce_mean %x axes = [2] keep_dims : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
  %4 = kiln.reduce_max %i axes = [0] : tensor<?x5xi32> -> tensor<5xi32>
  %5 = kiln.reduce_max %i axes = [0] keep_dims : tensor<?x5xi32> -> tensor<1x5xi32>
  %6 = kiln.reduce_max %i axes = [1] : tensor<?x5xi32> -> tensor<?xi32>
  %7 = kiln.reduce_sum %x axes = [] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7
      : tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>, tensor<2x3x1xf32>,
        tensor<5xi32>, tensor<1x5xi32>, tensor<?xi32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @reduce_min_prod
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>, %[[I:.+]]: tensor<?x5xui8>)
// CHECK:         %[[A:.+]] = kiln.reduce_min %[[X]] axes = [1] keep_dims : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
// CHECK:         %[[B:.+]] = kiln.reduce_prod %[[X]] axes = [0, 2] : tensor<2x3x4xf32> -> tensor<3xf32>
// CHECK:         %[[C:.+]] = kiln.reduce_min %[[I]] axes = [1] : tensor<?x5xui8> -> tensor<?xui8>
// CHECK:         %[[D:.+]] = kiln.reduce_prod %[[I]] axes = [0] keep_dims : tensor<?x5xui8> -> tensor<1x5xui8>
// CHECK:         return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @reduce_min_prod(%x: tensor<2x3x4xf32>, %i: tensor<?x5xui8>)
    -> (tensor<2x1x4xf32>, tensor<3xf32>, tensor<?xui8>, tensor<1x5xui8>) {
  %0 = kiln.reduce_min %x axes = [1] keep_dims : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %1 = kiln.reduce_prod %x axes = [0, 2] : tensor<2x3x4xf32> -> tensor<3xf32>
  %2 = kiln.reduce_min %i axes = [1] : tensor<?x5xui8> -> tensor<?xui8>
  %3 = kiln.reduce_prod %i axes = [0] keep_dims : tensor<?x5xui8> -> tensor<1x5xui8>
  return %0, %1, %2, %3 : tensor<2x1x4xf32>, tensor<3xf32>, tensor<?xui8>, tensor<1x5xui8>
}

// CHECK-LABEL: func.func @arg_reduce
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>, %[[I:.+]]: tensor<?x5xi8>)
// CHECK:         %[[A:.+]] = kiln.arg_max %[[X]] axis = 1 : tensor<2x3x4xf32> -> tensor<2x4xi64>
// CHECK:         %[[B:.+]] = kiln.arg_max %[[X]] axis = 2 keep_dims select_last_index : tensor<2x3x4xf32> -> tensor<2x3x1xi64>
// CHECK:         %[[C:.+]] = kiln.arg_min %[[I]] axis = 1 keep_dims : tensor<?x5xi8> -> tensor<?x1xi64>
// CHECK:         %[[D:.+]] = kiln.arg_min %[[I]] axis = 0 select_last_index : tensor<?x5xi8> -> tensor<5xi64>
// CHECK:         return %[[A]], %[[B]], %[[C]], %[[D]]
// GENERIC-LABEL: sym_name = "arg_reduce"
// GENERIC:         "kiln.arg_max"(%{{.+}}) <{axis = 2 : i64, keep_dims, select_last_index}> : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
func.func @arg_reduce(%x: tensor<2x3x4xf32>, %i: tensor<?x5xi8>)
    -> (tensor<2x4xi64>, tensor<2x3x1xi64>, tensor<?x1xi64>, tensor<5xi64>) {
  %0 = kiln.arg_max %x axis = 1 : tensor<2x3x4xf32> -> tensor<2x4xi64>
  %1 = kiln.arg_max %x axis = 2 keep_dims select_last_index : tensor<2x3x4xf32> -> tensor<2x3x1xi64>
  %2 = kiln.arg_min %i axis = 1 keep_dims : tensor<?x5xi8> -> tensor<?x1xi64>
  %3 = kiln.arg_min %i axis = 0 select_last_index : tensor<?x5xi8> -> tensor<5xi64>
  return %0, %1, %2, %3 : tensor<2x4xi64>, tensor<2x3x1xi64>, tensor<?x1xi64>, tensor<5xi64>
}

// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8x4x4xf32>, %[[P:.+]]: tensor<8xf32>, %[[Y:.+]]: tensor<?x8xf16>, %[[Q:.+]]: tensor<?xf16>)
// CHECK:         %[[B:.+]] = kiln.batch_norm %[[X]], %[[P]], %[[P]], %[[P]], %[[P]] epsilon = 9.99999974E-6 : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8x4x4xf32>
// CHECK:         %[[C:.+]] = kiln.batch_norm %[[Y]], %[[Q]], %[[Q]], %[[Q]], %[[Q]] epsilon = 1.000000e-03 : tensor<?x8xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xf16> -> tensor<?x8xf16>
// CHECK:         return %[[B]], %[[C]]
// GENERIC-LABEL: sym_name = "batch_norm"
// GENERIC:         "kiln.batch_norm"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) <{epsilon = 9.99999974E-6 : f32}> : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
func.func @batch_norm(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>,
                      %y: tensor<?x8xf16>, %q: tensor<?xf16>)
    -> (tensor<1x8x4x4xf32>, tensor<?x8xf16>) {
  %0 = kiln.batch_norm %x, %p, %p, %p, %p epsilon = 1.0e-05
      : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
        tensor<8xf32> -> tensor<1x8x4x4xf32>
  %1 = kiln.batch_norm %y, %q, %q, %q, %q epsilon = 1.0e-03
      : tensor<?x8xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xf16>,
        tensor<?xf16> -> tensor<?x8xf16>
  return %0, %1 : tensor<1x8x4x4xf32>, tensor<?x8xf16>
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv2d
// CHECK-SAME:    (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<16x3x3x3xf32>, %[[B:.+]]: tensor<16xf32>, %[[G:.+]]: tensor<1x8x7x9xf32>, %[[GW:.+]]: tensor<4x2x3x2xf32>, %[[DW:.+]]: tensor<8x1x3x3xf32>)
// CHECK:         %[[BIAS:.+]] = kiln.conv2d %[[X]], %[[W]], %[[B]] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32> -> tensor<1x16x4x4xf32>
// CHECK:         %[[NOBIAS:.+]] = kiln.conv2d %[[X]], %[[W]] strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x6xf32>
// CHECK:         %[[GROUPED:.+]] = kiln.conv2d %[[G]], %[[GW]] strides = [1, 2] padding = [0, 1, 2, 0] dilations = [2, 1] groups = 4 : tensor<1x8x7x9xf32>, tensor<4x2x3x2xf32> -> tensor<1x4x5x5xf32>
// CHECK:         %[[DEPTHWISE:.+]] = kiln.conv2d %[[G]], %[[DW]] strides = [1, 1] padding = [1, 1, 1, 1] dilations = [1, 1] groups = 8 : tensor<1x8x7x9xf32>, tensor<8x1x3x3xf32> -> tensor<1x8x7x9xf32>
// CHECK:         return %[[BIAS]], %[[NOBIAS]], %[[GROUPED]], %[[DEPTHWISE]]
// GENERIC-LABEL: sym_name = "conv2d"
// GENERIC:         "kiln.conv2d"(%{{.+}}, %{{.+}}, %{{.+}}) <{dilations = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}> : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
// GENERIC:         "kiln.conv2d"(%{{.+}}, %{{.+}}) <{dilations = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}> : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>,
                  %b: tensor<16xf32>, %g: tensor<1x8x7x9xf32>,
                  %gw: tensor<4x2x3x2xf32>, %dw: tensor<8x1x3x3xf32>)
    -> (tensor<1x16x4x4xf32>, tensor<1x16x6x6xf32>, tensor<1x4x5x5xf32>,
        tensor<1x8x7x9xf32>) {
  %0 = kiln.conv2d %x, %w, %b strides = [2, 2] padding = [1, 1, 1, 1]
      dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32> -> tensor<1x16x4x4xf32>
  %1 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0]
      dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x6xf32>
  // H: 7 + 0 + 2 - (2 * (3 - 1) + 1) = 4, / 1 + 1 = 5.
  // W: 9 + 1 + 0 - 2 = 8, / 2 + 1 = 5.
  %2 = kiln.conv2d %g, %gw strides = [1, 2] padding = [0, 1, 2, 0]
      dilations = [2, 1] groups = 4
      : tensor<1x8x7x9xf32>, tensor<4x2x3x2xf32> -> tensor<1x4x5x5xf32>
  %3 = kiln.conv2d %g, %dw strides = [1, 1] padding = [1, 1, 1, 1]
      dilations = [1, 1] groups = 8
      : tensor<1x8x7x9xf32>, tensor<8x1x3x3xf32> -> tensor<1x8x7x9xf32>
  return %0, %1, %2, %3
      : tensor<1x16x4x4xf32>, tensor<1x16x6x6xf32>, tensor<1x4x5x5xf32>,
        tensor<1x8x7x9xf32>
}

// Dynamic batch, channels, spatial and kernel dimensions give dynamic (or
// unchecked) extents.
// CHECK-LABEL: func.func @conv2d_dynamic
// CHECK-SAME:    (%[[X:.+]]: tensor<?x3x?x8xf32>, %[[W:.+]]: tensor<16x3x3x3xf32>, %[[Y:.+]]: tensor<2x?x8x8xf32>, %[[V:.+]]: tensor<?x?x?x3xf32>, %[[B:.+]]: tensor<?xf32>)
// CHECK:         %[[A:.+]] = kiln.conv2d %[[X]], %[[W]] strides = [1, 1] padding = [1, 1, 1, 1] dilations = [1, 1] groups = 1 : tensor<?x3x?x8xf32>, tensor<16x3x3x3xf32> -> tensor<?x16x?x8xf32>
// CHECK:         %[[C:.+]] = kiln.conv2d %[[Y]], %[[V]], %[[B]] strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : tensor<2x?x8x8xf32>, tensor<?x?x?x3xf32>, tensor<?xf32> -> tensor<2x?x?x6xf32>
// CHECK:         return %[[A]], %[[C]]
func.func @conv2d_dynamic(%x: tensor<?x3x?x8xf32>, %w: tensor<16x3x3x3xf32>,
                          %y: tensor<2x?x8x8xf32>, %v: tensor<?x?x?x3xf32>,
                          %b: tensor<?xf32>)
    -> (tensor<?x16x?x8xf32>, tensor<2x?x?x6xf32>) {
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [1, 1, 1, 1]
      dilations = [1, 1] groups = 1
      : tensor<?x3x?x8xf32>, tensor<16x3x3x3xf32> -> tensor<?x16x?x8xf32>
  %1 = kiln.conv2d %y, %v, %b strides = [1, 1] padding = [0, 0, 0, 0]
      dilations = [1, 1] groups = 1
      : tensor<2x?x8x8xf32>, tensor<?x?x?x3xf32>, tensor<?xf32> -> tensor<2x?x?x6xf32>
  return %0, %1 : tensor<?x16x?x8xf32>, tensor<2x?x?x6xf32>
}

// CHECK-LABEL: func.func @max_pool2d
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8x32x32xf32>, %[[Y:.+]]: tensor<2x4x5x5xi8>, %[[D:.+]]: tensor<?x4x?x9xf32>)
// CHECK:         %[[P:.+]] = kiln.max_pool2d %[[X]] kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] dilations = [1, 1] : tensor<1x8x32x32xf32> -> tensor<1x8x16x16xf32>
// CHECK:         %[[FLOOR:.+]] = kiln.max_pool2d %[[Y]] kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] dilations = [1, 1] : tensor<2x4x5x5xi8> -> tensor<2x4x2x2xi8>
// CHECK:         %[[CEIL:.+]] = kiln.max_pool2d %[[Y]] kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] dilations = [1, 1] ceil_mode : tensor<2x4x5x5xi8> -> tensor<2x4x3x3xi8>
// CHECK:         %[[DIL:.+]] = kiln.max_pool2d %[[D]] kernel = [3, 2] strides = [1, 3] padding = [1, 0, 1, 1] dilations = [2, 2] : tensor<?x4x?x9xf32> -> tensor<?x4x?x3xf32>
// CHECK:         return %[[P]], %[[FLOOR]], %[[CEIL]], %[[DIL]]
// GENERIC-LABEL: sym_name = "max_pool2d"
// GENERIC:         "kiln.max_pool2d"(%{{.+}}) <{ceil_mode, dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}> : (tensor<2x4x5x5xi8>) -> tensor<2x4x3x3xi8>
func.func @max_pool2d(%x: tensor<1x8x32x32xf32>, %y: tensor<2x4x5x5xi8>,
                      %d: tensor<?x4x?x9xf32>)
    -> (tensor<1x8x16x16xf32>, tensor<2x4x2x2xi8>, tensor<2x4x3x3xi8>,
        tensor<?x4x?x3xf32>) {
  %0 = kiln.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
      dilations = [1, 1] : tensor<1x8x32x32xf32> -> tensor<1x8x16x16xf32>
  %1 = kiln.max_pool2d %y kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
      dilations = [1, 1] : tensor<2x4x5x5xi8> -> tensor<2x4x2x2xi8>
  %2 = kiln.max_pool2d %y kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
      dilations = [1, 1] ceil_mode : tensor<2x4x5x5xi8> -> tensor<2x4x3x3xi8>
  // W: 9 + 0 + 1 - (2 * (2 - 1) + 1) = 7, / 3 + 1 = 3.
  %3 = kiln.max_pool2d %d kernel = [3, 2] strides = [1, 3] padding = [1, 0, 1, 1]
      dilations = [2, 2] : tensor<?x4x?x9xf32> -> tensor<?x4x?x3xf32>
  return %0, %1, %2, %3
      : tensor<1x8x16x16xf32>, tensor<2x4x2x2xi8>, tensor<2x4x3x3xi8>,
        tensor<?x4x?x3xf32>
}

// CHECK-LABEL: func.func @avg_pool2d
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8x9x9xf32>, %[[Y:.+]]: tensor<1x1x4x5xf32>)
// CHECK:         %[[INC:.+]] = kiln.avg_pool2d %[[X]] kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] count_include_pad : tensor<1x8x9x9xf32> -> tensor<1x8x5x5xf32>
// CHECK:         %[[EXC:.+]] = kiln.avg_pool2d %[[X]] kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] : tensor<1x8x9x9xf32> -> tensor<1x8x5x5xf32>
// CHECK:         %[[CEIL:.+]] = kiln.avg_pool2d %[[Y]] kernel = [2, 3] strides = [3, 3] padding = [0, 0, 0, 2] dilations = [1, 1] ceil_mode : tensor<1x1x4x5xf32> -> tensor<1x1x2x2xf32>
// CHECK:         %[[BOTH:.+]] = kiln.avg_pool2d %[[Y]] kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] ceil_mode count_include_pad : tensor<1x1x4x5xf32> -> tensor<1x1x3x3xf32>
// CHECK:         return %[[INC]], %[[EXC]], %[[CEIL]], %[[BOTH]]
// GENERIC-LABEL: sym_name = "avg_pool2d"
// GENERIC:         "kiln.avg_pool2d"(%{{.+}}) <{count_include_pad, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}> : (tensor<1x8x9x9xf32>) -> tensor<1x8x5x5xf32>
func.func @avg_pool2d(%x: tensor<1x8x9x9xf32>, %y: tensor<1x1x4x5xf32>)
    -> (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x1x2x2xf32>,
        tensor<1x1x3x3xf32>) {
  %0 = kiln.avg_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1]
      dilations = [1, 1] count_include_pad
      : tensor<1x8x9x9xf32> -> tensor<1x8x5x5xf32>
  %1 = kiln.avg_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1]
      dilations = [1, 1] : tensor<1x8x9x9xf32> -> tensor<1x8x5x5xf32>
  // W: ceil((5 + 2 - 3) / 3) + 1 = 3 windows, but the third would start at
  // 6, inside the trailing padding, and is dropped. H: ceil((4 - 2) / 3) + 1
  // = 2, and the second window starts at 3, inside the input.
  %2 = kiln.avg_pool2d %y kernel = [2, 3] strides = [3, 3] padding = [0, 0, 0, 2]
      dilations = [1, 1] ceil_mode : tensor<1x1x4x5xf32> -> tensor<1x1x2x2xf32>
  // H: ceil((4 + 2 - 3) / 2) + 1 = 3, W: (5 + 2 - 3) / 2 + 1 = 3.
  %3 = kiln.avg_pool2d %y kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1]
      dilations = [1, 1] ceil_mode count_include_pad
      : tensor<1x1x4x5xf32> -> tensor<1x1x3x3xf32>
  return %0, %1, %2, %3
      : tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x1x2x2xf32>,
        tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func.func @global_avg_pool
// CHECK-SAME:    (%[[X:.+]]: tensor<1x512x7x7xf32>, %[[Y:.+]]: tensor<?x3x5xf16>, %[[Z:.+]]: tensor<2x?x4x?x6xf32>)
// CHECK:         %[[A:.+]] = kiln.global_avg_pool %[[X]] : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
// CHECK:         %[[B:.+]] = kiln.global_avg_pool %[[Y]] : tensor<?x3x5xf16> -> tensor<?x3x1xf16>
// CHECK:         %[[C:.+]] = kiln.global_avg_pool %[[Z]] : tensor<2x?x4x?x6xf32> -> tensor<2x?x1x1x1xf32>
// CHECK:         return %[[A]], %[[B]], %[[C]]
// GENERIC-LABEL: sym_name = "global_avg_pool"
// GENERIC:         "kiln.global_avg_pool"(%{{.+}}) : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
func.func @global_avg_pool(%x: tensor<1x512x7x7xf32>, %y: tensor<?x3x5xf16>,
                           %z: tensor<2x?x4x?x6xf32>)
    -> (tensor<1x512x1x1xf32>, tensor<?x3x1xf16>, tensor<2x?x1x1x1xf32>) {
  %0 = kiln.global_avg_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  %1 = kiln.global_avg_pool %y : tensor<?x3x5xf16> -> tensor<?x3x1xf16>
  %2 = kiln.global_avg_pool %z : tensor<2x?x4x?x6xf32> -> tensor<2x?x1x1x1xf32>
  return %0, %1, %2
      : tensor<1x512x1x1xf32>, tensor<?x3x1xf16>, tensor<2x?x1x1x1xf32>
}

//===----------------------------------------------------------------------===//
// 3-D convolution and pooling
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv3d
// CHECK-SAME:    (%[[X:.+]]: tensor<1x4x6x8x8xf32>, %[[W:.+]]: tensor<6x2x3x3x3xf32>, %[[B:.+]]: tensor<6xf32>, %[[D:.+]]: tensor<?x4x?x8x8xf32>)
// CHECK:         %[[G:.+]] = kiln.conv3d %[[X]], %[[W]], %[[B]] strides = [1, 2, 2] padding = [1, 0, 0, 1, 1, 1] dilations = [1, 1, 1] groups = 2 : tensor<1x4x6x8x8xf32>, tensor<6x2x3x3x3xf32>, tensor<6xf32> -> tensor<1x6x6x4x4xf32>
// CHECK:         %[[DYN:.+]] = kiln.conv3d %[[D]], %[[W]] strides = [1, 1, 1] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 2, 1] groups = 2 : tensor<?x4x?x8x8xf32>, tensor<6x2x3x3x3xf32> -> tensor<?x6x?x4x6xf32>
// CHECK:         return %[[G]], %[[DYN]]
// GENERIC-LABEL: sym_name = "conv3d"
// GENERIC:         "kiln.conv3d"(%{{.+}}, %{{.+}}, %{{.+}}) <{dilations = array<i64: 1, 1, 1>, groups = 2 : i64, padding = array<i64: 1, 0, 0, 1, 1, 1>, strides = array<i64: 1, 2, 2>}> : (tensor<1x4x6x8x8xf32>, tensor<6x2x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x4x4xf32>
func.func @conv3d(%x: tensor<1x4x6x8x8xf32>, %w: tensor<6x2x3x3x3xf32>,
                  %b: tensor<6xf32>, %d: tensor<?x4x?x8x8xf32>)
    -> (tensor<1x6x6x4x4xf32>, tensor<?x6x?x4x6xf32>) {
  // D: 6 + 2 - 3 + 1 = 6; H and W: (8 + 1 - 3) / 2 + 1 = 4.
  %0 = kiln.conv3d %x, %w, %b strides = [1, 2, 2] padding = [1, 0, 0, 1, 1, 1]
      dilations = [1, 1, 1] groups = 2
      : tensor<1x4x6x8x8xf32>, tensor<6x2x3x3x3xf32>, tensor<6xf32> -> tensor<1x6x6x4x4xf32>
  // H: 8 - (2 * 2 + 1) + 1 = 4.
  %1 = kiln.conv3d %d, %w strides = [1, 1, 1] padding = [0, 0, 0, 0, 0, 0]
      dilations = [1, 2, 1] groups = 2
      : tensor<?x4x?x8x8xf32>, tensor<6x2x3x3x3xf32> -> tensor<?x6x?x4x6xf32>
  return %0, %1 : tensor<1x6x6x4x4xf32>, tensor<?x6x?x4x6xf32>
}

// CHECK-LABEL: func.func @pool3d
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8x5x5x5xf32>, %[[Y:.+]]: tensor<2x3x4x4x4xui8>)
// CHECK:         %[[M:.+]] = kiln.max_pool3d %[[X]] kernel = [2, 2, 2] strides = [2, 2, 2] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] ceil_mode : tensor<1x8x5x5x5xf32> -> tensor<1x8x3x3x3xf32>
// CHECK:         %[[U:.+]] = kiln.max_pool3d %[[Y]] kernel = [3, 1, 2] strides = [1, 1, 1] padding = [1, 0, 0, 1, 0, 1] dilations = [1, 1, 2] : tensor<2x3x4x4x4xui8> -> tensor<2x3x4x4x3xui8>
// CHECK:         %[[A:.+]] = kiln.avg_pool3d %[[X]] kernel = [3, 3, 3] strides = [2, 2, 2] padding = [1, 1, 1, 1, 1, 1] dilations = [1, 1, 1] count_include_pad : tensor<1x8x5x5x5xf32> -> tensor<1x8x3x3x3xf32>
// CHECK:         return %[[M]], %[[U]], %[[A]]
// GENERIC-LABEL: sym_name = "pool3d"
// GENERIC:         "kiln.max_pool3d"(%{{.+}}) <{ceil_mode, dilations = array<i64: 1, 1, 1>, kernel = array<i64: 2, 2, 2>, padding = array<i64: 0, 0, 0, 0, 0, 0>, strides = array<i64: 2, 2, 2>}> : (tensor<1x8x5x5x5xf32>) -> tensor<1x8x3x3x3xf32>
// GENERIC:         "kiln.avg_pool3d"(%{{.+}}) <{count_include_pad, dilations = array<i64: 1, 1, 1>, kernel = array<i64: 3, 3, 3>, padding = array<i64: 1, 1, 1, 1, 1, 1>, strides = array<i64: 2, 2, 2>}> : (tensor<1x8x5x5x5xf32>) -> tensor<1x8x3x3x3xf32>
func.func @pool3d(%x: tensor<1x8x5x5x5xf32>, %y: tensor<2x3x4x4x4xui8>)
    -> (tensor<1x8x3x3x3xf32>, tensor<2x3x4x4x3xui8>, tensor<1x8x3x3x3xf32>) {
  // ceil((5 - 2) / 2) + 1 = 3.
  %0 = kiln.max_pool3d %x kernel = [2, 2, 2] strides = [2, 2, 2]
      padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] ceil_mode
      : tensor<1x8x5x5x5xf32> -> tensor<1x8x3x3x3xf32>
  // D: 4 + 2 - 3 + 1 = 4; W: 4 + 1 - 3 + 1 = 3.
  %1 = kiln.max_pool3d %y kernel = [3, 1, 2] strides = [1, 1, 1]
      padding = [1, 0, 0, 1, 0, 1] dilations = [1, 1, 2]
      : tensor<2x3x4x4x4xui8> -> tensor<2x3x4x4x3xui8>
  %2 = kiln.avg_pool3d %x kernel = [3, 3, 3] strides = [2, 2, 2]
      padding = [1, 1, 1, 1, 1, 1] dilations = [1, 1, 1] count_include_pad
      : tensor<1x8x5x5x5xf32> -> tensor<1x8x3x3x3xf32>
  return %0, %1, %2
      : tensor<1x8x3x3x3xf32>, tensor<2x3x4x4x3xui8>, tensor<1x8x3x3x3xf32>
}

// CHECK-LABEL: func.func @max_pool_indices
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8x5x5xf32>, %[[L:.+]]: tensor<2x3x9xi8>, %[[V:.+]]: tensor<1x2x4x4x4xui8>)
// CHECK:         %[[A:.+]] = kiln.max_pool_indices %[[X]] kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] dilations = [1, 1] ceil_mode column_major : tensor<1x8x5x5xf32> -> tensor<1x8x3x3xi64>
// CHECK:         %[[B:.+]] = kiln.max_pool_indices %[[L]] kernel = [3] strides = [2] padding = [1, 1] dilations = [1] : tensor<2x3x9xi8> -> tensor<2x3x5xi64>
// CHECK:         %[[C:.+]] = kiln.max_pool_indices %[[V]] kernel = [2, 2, 2] strides = [2, 2, 2] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] : tensor<1x2x4x4x4xui8> -> tensor<1x2x2x2x2xi64>
// CHECK:         return %[[A]], %[[B]], %[[C]]
// GENERIC-LABEL: sym_name = "max_pool_indices"
// GENERIC:         "kiln.max_pool_indices"(%{{.+}}) <{ceil_mode, column_major, dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}> : (tensor<1x8x5x5xf32>) -> tensor<1x8x3x3xi64>
func.func @max_pool_indices(%x: tensor<1x8x5x5xf32>, %l: tensor<2x3x9xi8>,
                            %v: tensor<1x2x4x4x4xui8>)
    -> (tensor<1x8x3x3xi64>, tensor<2x3x5xi64>, tensor<1x2x2x2x2xi64>) {
  %0 = kiln.max_pool_indices %x kernel = [2, 2] strides = [2, 2]
      padding = [0, 0, 0, 0] dilations = [1, 1] ceil_mode column_major
      : tensor<1x8x5x5xf32> -> tensor<1x8x3x3xi64>
  // (9 + 2 - 3) / 2 + 1 = 5.
  %1 = kiln.max_pool_indices %l kernel = [3] strides = [2] padding = [1, 1]
      dilations = [1] : tensor<2x3x9xi8> -> tensor<2x3x5xi64>
  %2 = kiln.max_pool_indices %v kernel = [2, 2, 2] strides = [2, 2, 2]
      padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1]
      : tensor<1x2x4x4x4xui8> -> tensor<1x2x2x2x2xi64>
  return %0, %1, %2
      : tensor<1x8x3x3xi64>, tensor<2x3x5xi64>, tensor<1x2x2x2x2xi64>
}

// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8x4x4xf32>, %[[W:.+]]: tensor<8x3x3x3xf32>, %[[B:.+]]: tensor<3xf32>, %[[L:.+]]: tensor<2x4x5xf32>, %[[LW:.+]]: tensor<4x2x3xf32>)
// CHECK:         %[[A:.+]] = kiln.conv_transpose %[[X]], %[[W]], %[[B]] strides = [2, 2] padding = [1, 1, 1, 1] output_padding = [1, 1] dilations = [1, 1] groups = 1 : tensor<1x8x4x4xf32>, tensor<8x3x3x3xf32>, tensor<3xf32> -> tensor<1x3x8x8xf32>
// CHECK:         %[[G:.+]] = kiln.conv_transpose %[[L]], %[[LW]] strides = [3] padding = [0, 2] output_padding = [0] dilations = [2] groups = 2 : tensor<2x4x5xf32>, tensor<4x2x3xf32> -> tensor<2x4x15xf32>
// CHECK:         return %[[A]], %[[G]]
// GENERIC-LABEL: sym_name = "conv_transpose"
// GENERIC:         "kiln.conv_transpose"(%{{.+}}, %{{.+}}, %{{.+}}) <{dilations = array<i64: 1, 1>, groups = 1 : i64, output_padding = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}> : (tensor<1x8x4x4xf32>, tensor<8x3x3x3xf32>, tensor<3xf32>) -> tensor<1x3x8x8xf32>
func.func @conv_transpose(%x: tensor<1x8x4x4xf32>, %w: tensor<8x3x3x3xf32>,
                          %b: tensor<3xf32>, %l: tensor<2x4x5xf32>,
                          %lw: tensor<4x2x3xf32>)
    -> (tensor<1x3x8x8xf32>, tensor<2x4x15xf32>) {
  // (4 - 1) * 2 + 2 + 1 + 1 - 2 = 8.
  %0 = kiln.conv_transpose %x, %w, %b strides = [2, 2] padding = [1, 1, 1, 1]
      output_padding = [1, 1] dilations = [1, 1] groups = 1
      : tensor<1x8x4x4xf32>, tensor<8x3x3x3xf32>, tensor<3xf32> -> tensor<1x3x8x8xf32>
  // (5 - 1) * 3 + 2 * 2 + 1 - 2 = 15; 2 groups of 2 -> 2 channels.
  %1 = kiln.conv_transpose %l, %lw strides = [3] padding = [0, 2]
      output_padding = [0] dilations = [2] groups = 2
      : tensor<2x4x5xf32>, tensor<4x2x3xf32> -> tensor<2x4x15xf32>
  return %0, %1 : tensor<1x3x8x8xf32>, tensor<2x4x15xf32>
}

//===----------------------------------------------------------------------===//
// Comparisons, logic, select, remainder and shifts
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @compare
// CHECK-SAME:    (%[[A:.+]]: tensor<4x1xf32>, %[[B:.+]]: tensor<3xf32>, %[[I:.+]]: tensor<3xui8>)
// CHECK:         %[[EQ:.+]] = kiln.compare eq, %[[A]], %[[B]] : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xi1>
// CHECK:         %[[NE:.+]] = kiln.compare ne, %[[A]], %[[B]] : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xi1>
// CHECK:         %[[LT:.+]] = kiln.compare lt, %[[B]], %[[B]] : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
// CHECK:         %[[LE:.+]] = kiln.compare le, %[[I]], %[[I]] : tensor<3xui8>, tensor<3xui8> -> tensor<3xi1>
// CHECK:         %[[GT:.+]] = kiln.compare gt, %[[I]], %[[I]] : tensor<3xui8>, tensor<3xui8> -> tensor<3xi1>
// CHECK:         %[[GE:.+]] = kiln.compare ge, %[[A]], %[[A]] : tensor<4x1xf32>, tensor<4x1xf32> -> tensor<4x1xi1>
// CHECK:         return %[[EQ]], %[[NE]], %[[LT]], %[[LE]], %[[GT]], %[[GE]]
// GENERIC-LABEL: sym_name = "compare"
// GENERIC:         "kiln.compare"(%{{.+}}, %{{.+}}) <{predicate = 0 : i64}> : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>
func.func @compare(%a: tensor<4x1xf32>, %b: tensor<3xf32>, %i: tensor<3xui8>)
    -> (tensor<4x3xi1>, tensor<4x3xi1>, tensor<3xi1>, tensor<3xi1>,
        tensor<3xi1>, tensor<4x1xi1>) {
  %0 = kiln.compare eq, %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xi1>
  %1 = kiln.compare ne, %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xi1>
  %2 = kiln.compare lt, %b, %b : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  %3 = kiln.compare le, %i, %i : tensor<3xui8>, tensor<3xui8> -> tensor<3xi1>
  %4 = kiln.compare gt, %i, %i : tensor<3xui8>, tensor<3xui8> -> tensor<3xi1>
  %5 = kiln.compare ge, %a, %a : tensor<4x1xf32>, tensor<4x1xf32> -> tensor<4x1xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4x3xi1>, tensor<4x3xi1>, tensor<3xi1>,
      tensor<3xi1>, tensor<3xi1>, tensor<4x1xi1>
}

// CHECK-LABEL: func.func @logic
// CHECK-SAME:    (%[[P:.+]]: tensor<2x3xi1>, %[[Q:.+]]: tensor<3xi1>, %[[N:.+]]: tensor<4xi32>)
// CHECK:         %[[AND:.+]] = kiln.and %[[P]], %[[Q]] : tensor<2x3xi1>, tensor<3xi1> -> tensor<2x3xi1>
// CHECK:         %[[OR:.+]] = kiln.or %[[AND]], %[[Q]] : tensor<2x3xi1>, tensor<3xi1> -> tensor<2x3xi1>
// CHECK:         %[[XOR:.+]] = kiln.xor %[[OR]], %[[P]] : tensor<2x3xi1>, tensor<2x3xi1> -> tensor<2x3xi1>
// CHECK:         %[[NOT:.+]] = kiln.not %[[XOR]] : tensor<2x3xi1>
// CHECK:         %[[BITS:.+]] = kiln.not %[[N]] : tensor<4xi32>
// CHECK:         %[[SHL:.+]] = kiln.shift_left %[[BITS]], %[[N]] : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
// CHECK:         %[[SHR:.+]] = kiln.shift_right %[[SHL]], %[[N]] : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
// CHECK:         return %[[NOT]], %[[SHR]]
func.func @logic(%p: tensor<2x3xi1>, %q: tensor<3xi1>, %n: tensor<4xi32>)
    -> (tensor<2x3xi1>, tensor<4xi32>) {
  %0 = kiln.and %p, %q : tensor<2x3xi1>, tensor<3xi1> -> tensor<2x3xi1>
  %1 = kiln.or %0, %q : tensor<2x3xi1>, tensor<3xi1> -> tensor<2x3xi1>
  %2 = kiln.xor %1, %p : tensor<2x3xi1>, tensor<2x3xi1> -> tensor<2x3xi1>
  %3 = kiln.not %2 : tensor<2x3xi1>
  %4 = kiln.not %n : tensor<4xi32>
  %5 = kiln.shift_left %4, %n : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %6 = kiln.shift_right %5, %n : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return %3, %6 : tensor<2x3xi1>, tensor<4xi32>
}

// CHECK-LABEL: func.func @select
// CHECK-SAME:    (%[[C:.+]]: tensor<2x1xi1>, %[[A:.+]]: tensor<3xf32>, %[[B:.+]]: tensor<f32>)
// CHECK:         %[[R:.+]] = kiln.select %[[C]], %[[A]], %[[B]] : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
// CHECK:         return %[[R]]
func.func @select(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>)
    -> tensor<2x3xf32> {
  %0 = kiln.select %c, %a, %b : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @mod
// CHECK:         kiln.mod %{{.+}}, %{{.+}} : tensor<6xi32>, tensor<6xi32> -> tensor<6xi32>
// CHECK:         kiln.mod %{{.+}}, %{{.+}} {fmod} : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
func.func @mod(%a: tensor<6xi32>, %x: tensor<4xf32>, %y: tensor<f32>)
    -> (tensor<6xi32>, tensor<4xf32>) {
  %0 = kiln.mod %a, %a : tensor<6xi32>, tensor<6xi32> -> tensor<6xi32>
  %1 = kiln.mod %x, %y {fmod} : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  return %0, %1 : tensor<6xi32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @unary_math
// CHECK:         kiln.floor %{{.+}} : tensor<2xf32>
// CHECK:         kiln.ceil %{{.+}} : tensor<2xf32>
// CHECK:         kiln.round %{{.+}} : tensor<2xf32>
// CHECK:         kiln.sign %{{.+}} : tensor<2xf32>
// CHECK:         kiln.sin %{{.+}} : tensor<2xf32>
// CHECK:         kiln.cos %{{.+}} : tensor<2xf32>
// CHECK:         kiln.tan %{{.+}} : tensor<2xf32>
// CHECK:         kiln.asin %{{.+}} : tensor<2xf32>
// CHECK:         kiln.acos %{{.+}} : tensor<2xf32>
// CHECK:         kiln.atan %{{.+}} : tensor<2xf32>
// CHECK:         kiln.sinh %{{.+}} : tensor<2xf32>
// CHECK:         kiln.cosh %{{.+}} : tensor<2xf32>
// CHECK:         kiln.asinh %{{.+}} : tensor<2xf32>
// CHECK:         kiln.acosh %{{.+}} : tensor<2xf32>
// CHECK:         kiln.atanh %{{.+}} : tensor<2xf32>
// CHECK:         kiln.sign %{{.+}} : tensor<2xi64>
func.func @unary_math(%x: tensor<2xf32>, %i: tensor<2xi64>)
    -> (tensor<2xf32>, tensor<2xi64>) {
  %0 = kiln.floor %x : tensor<2xf32>
  %1 = kiln.ceil %0 : tensor<2xf32>
  %2 = kiln.round %1 : tensor<2xf32>
  %3 = kiln.sign %2 : tensor<2xf32>
  %4 = kiln.sin %3 : tensor<2xf32>
  %5 = kiln.cos %4 : tensor<2xf32>
  %6 = kiln.tan %5 : tensor<2xf32>
  %7 = kiln.asin %6 : tensor<2xf32>
  %8 = kiln.acos %7 : tensor<2xf32>
  %9 = kiln.atan %8 : tensor<2xf32>
  %10 = kiln.sinh %9 : tensor<2xf32>
  %11 = kiln.cosh %10 : tensor<2xf32>
  %12 = kiln.asinh %11 : tensor<2xf32>
  %13 = kiln.acosh %12 : tensor<2xf32>
  %14 = kiln.atanh %13 : tensor<2xf32>
  %15 = kiln.sign %i : tensor<2xi64>
  return %14, %15 : tensor<2xf32>, tensor<2xi64>
}

// The resource blob: alignment 4, then the little-endian f32 values 1.0, 2.0.
// CHECK:       {-#
// CHECK-NEXT:    dialect_resources: {
// CHECK-NEXT:      builtin: {
// CHECK-NEXT:        conv1.weight: "0x040000000000803F00000040"
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:  #-}
{-#
  dialect_resources: {
    builtin: {
      conv1.weight: "0x040000000000803F00000040"
    }
  }
#-}

