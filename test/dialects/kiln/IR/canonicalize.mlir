// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s

// Every folder of the kiln dialect, each with the cases it must leave alone.

//===----------------------------------------------------------------------===//
// kiln.add
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @add_zero
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT:     kiln.add
// CHECK:         return %[[X]], %[[X]], %[[X]], %[[X]]
func.func @add_zero(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = kiln.constant dense<0.0> : tensor<2x3xf32>
  %negzero = kiln.constant dense<-0.0> : tensor<2x3xf32>
  // Broadcasting the zero does not change the shape of %x.
  %row = kiln.constant dense<0.0> : tensor<3xf32>
  %0 = kiln.add %x, %zero : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = kiln.add %zero, %x : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = kiln.add %x, %negzero : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = kiln.add %row, %x : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// x + 0 where the zero broadcasts x to a larger shape is not x.
// CHECK-LABEL: func.func @add_zero_that_broadcasts
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>, %[[Y:.+]]: tensor<?x3xf32>)
// CHECK-DAG:     %[[Z:.+]] = kiln.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK:         %[[A:.+]] = kiln.add %[[X]], %[[Z]] : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK:         %[[B:.+]] = kiln.add %[[Z]], %[[X]] : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
// CHECK:         %[[C:.+]] = kiln.add %[[Y]], %[[Z]] : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK:         return %[[A]], %[[B]], %[[C]], %[[Y]]
func.func @add_zero_that_broadcasts(%x: tensor<3xf32>, %y: tensor<?x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x3xf32>) {
  %zero = kiln.constant dense<0.0> : tensor<2x3xf32>
  %zero1 = kiln.constant dense<0.0> : tensor<1x3xf32>
  %0 = kiln.add %x, %zero : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = kiln.add %zero, %x : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // A dynamic dimension may be 1 at run time: the static 2 wins.
  %2 = kiln.add %y, %zero : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  // ... but against 1 it stays ?, so this one folds.
  %3 = kiln.add %y, %zero1 : tensor<?x3xf32>, tensor<1x3xf32> -> tensor<?x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @add_not_zero
// CHECK-SAME:    (%[[X:.+]]: tensor<2xf32>, %[[I:.+]]: tensor<2xi32>)
// CHECK-DAG:     %[[ONE:.+]] = kiln.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-DAG:     %[[MIXED:.+]] = kiln.constant dense<[0, 1]> : tensor<2xi32>
// CHECK:         %[[A:.+]] = kiln.add %[[X]], %[[ONE]]
// CHECK:         %[[B:.+]] = kiln.add %[[I]], %[[MIXED]]
// CHECK:         return %[[A]], %[[B]]
func.func @add_not_zero(%x: tensor<2xf32>, %i: tensor<2xi32>)
    -> (tensor<2xf32>, tensor<2xi32>) {
  %one = kiln.constant dense<1.0> : tensor<2xf32>
  %mixed = kiln.constant dense<[0, 1]> : tensor<2xi32>
  %0 = kiln.add %x, %one : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %1 = kiln.add %i, %mixed : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  return %0, %1 : tensor<2xf32>, tensor<2xi32>
}

// -----

// CHECK-LABEL: func.func @add_constants
// CHECK-DAG:     %[[F:.+]] = kiln.constant dense<[4.000000e+00, 6.500000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[I:.+]] = kiln.constant dense<[-128, 5]> : tensor<2xi8>
// CHECK-DAG:     %[[U:.+]] = kiln.constant dense<[0, 255]> : tensor<2xui8>
// CHECK-DAG:     %[[S:.+]] = kiln.constant dense<5> : tensor<2x2xi64>
// CHECK-NOT:     kiln.add
// CHECK:         return %[[F]], %[[I]], %[[U]], %[[S]]
func.func @add_constants() -> (tensor<2xf32>, tensor<2xi8>, tensor<2xui8>, tensor<2x2xi64>) {
  %a = kiln.constant dense<[1.0, 2.5]> : tensor<2xf32>
  %b = kiln.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %0 = kiln.add %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  // Integer arithmetic wraps around.
  %c = kiln.constant dense<[127, 2]> : tensor<2xi8>
  %d = kiln.constant dense<[1, 3]> : tensor<2xi8>
  %1 = kiln.add %c, %d : tensor<2xi8>, tensor<2xi8> -> tensor<2xi8>
  %e = kiln.constant dense<[255, 254]> : tensor<2xui8>
  %f = kiln.constant dense<[1, 1]> : tensor<2xui8>
  %2 = kiln.add %e, %f : tensor<2xui8>, tensor<2xui8> -> tensor<2xui8>
  %g = kiln.constant dense<2> : tensor<2x2xi64>
  %h = kiln.constant dense<3> : tensor<2x2xi64>
  %3 = kiln.add %g, %h : tensor<2x2xi64>, tensor<2x2xi64> -> tensor<2x2xi64>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2xi8>, tensor<2xui8>, tensor<2x2xi64>
}

// -----

// Constants of different shapes (broadcasting), booleans and resource blobs
// are not evaluated.
// CHECK-LABEL: func.func @add_constants_not_folded
// CHECK-DAG:     %[[A:.+]] = kiln.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[B:.+]] = kiln.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG:     %[[P:.+]] = kiln.constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG:     %[[Q:.+]] = kiln.constant dense<[false, true]> : tensor<2xi1>
// CHECK-DAG:     %[[R:.+]] = kiln.constant dense_resource<blob> : tensor<2xf32>
// CHECK:         %[[AB:.+]] = kiln.add %[[A]], %[[B]]
// CHECK:         %[[PQ:.+]] = kiln.add %[[P]], %[[Q]]
// CHECK:         %[[RA:.+]] = kiln.add %[[R]], %[[A]]
// CHECK:         return %[[AB]], %[[PQ]], %[[RA]]
func.func @add_constants_not_folded() -> (tensor<2x2xf32>, tensor<2xi1>, tensor<2xf32>) {
  %a = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = kiln.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %0 = kiln.add %a, %b : tensor<2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  %p = kiln.constant dense<[true, false]> : tensor<2xi1>
  %q = kiln.constant dense<[false, true]> : tensor<2xi1>
  %1 = kiln.add %p, %q : tensor<2xi1>, tensor<2xi1> -> tensor<2xi1>
  %r = kiln.constant dense_resource<blob> : tensor<2xf32>
  %2 = kiln.add %r, %a : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<2xi1>, tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F00000040"
    }
  }
#-}

//===----------------------------------------------------------------------===//
// kiln.sub
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @sub_zero
// CHECK-SAME:    (%[[X:.+]]: tensor<4xi32>)
// CHECK:         %[[Z:.+]] = kiln.constant dense<0> : tensor<4xi32>
// CHECK:         %[[R:.+]] = kiln.sub %[[Z]], %[[X]]
// CHECK:         return %[[X]], %[[R]]
func.func @sub_zero(%x: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>) {
  %zero = kiln.constant dense<0> : tensor<4xi32>
  %0 = kiln.sub %x, %zero : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  // 0 - x is not x.
  %1 = kiln.sub %zero, %x : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return %0, %1 : tensor<4xi32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @sub_constants
// CHECK-DAG:     %[[F:.+]] = kiln.constant dense<[-2.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG:     %[[U:.+]] = kiln.constant dense<[255, 1]> : tensor<2xui8>
// CHECK-NOT:     kiln.sub
// CHECK:         return %[[F]], %[[U]]
func.func @sub_constants() -> (tensor<2xf32>, tensor<2xui8>) {
  %a = kiln.constant dense<[1.0, 2.5]> : tensor<2xf32>
  %b = kiln.constant dense<[3.0, 2.0]> : tensor<2xf32>
  %0 = kiln.sub %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %c = kiln.constant dense<[0, 3]> : tensor<2xui8>
  %d = kiln.constant dense<[1, 2]> : tensor<2xui8>
  %1 = kiln.sub %c, %d : tensor<2xui8>, tensor<2xui8> -> tensor<2xui8>
  return %0, %1 : tensor<2xf32>, tensor<2xui8>
}

//===----------------------------------------------------------------------===//
// kiln.mul
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @mul_one
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf16>, %[[U:.+]]: tensor<5xui8>, %[[B:.+]]: tensor<5xi1>)
// CHECK-NOT:     kiln.mul
// CHECK:         return %[[X]], %[[X]], %[[U]], %[[B]]
func.func @mul_one(%x: tensor<2x3xf16>, %u: tensor<5xui8>, %b: tensor<5xi1>)
    -> (tensor<2x3xf16>, tensor<2x3xf16>, tensor<5xui8>, tensor<5xi1>) {
  %one = kiln.constant dense<1.0> : tensor<1x3xf16>
  %0 = kiln.mul %x, %one : tensor<2x3xf16>, tensor<1x3xf16> -> tensor<2x3xf16>
  %1 = kiln.mul %one, %x : tensor<1x3xf16>, tensor<2x3xf16> -> tensor<2x3xf16>
  %uone = kiln.constant dense<1> : tensor<5xui8>
  %2 = kiln.mul %u, %uone : tensor<5xui8>, tensor<5xui8> -> tensor<5xui8>
  // For booleans, x * true is x.
  %true = kiln.constant dense<true> : tensor<5xi1>
  %3 = kiln.mul %true, %b : tensor<5xi1>, tensor<5xi1> -> tensor<5xi1>
  return %0, %1, %2, %3 : tensor<2x3xf16>, tensor<2x3xf16>, tensor<5xui8>, tensor<5xi1>
}

// -----

// CHECK-LABEL: func.func @mul_not_one
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>, %[[I:.+]]: tensor<3xi8>)
// CHECK-DAG:     %[[TWO:.+]] = kiln.constant dense<2.000000e+00> : tensor<3xf32>
// CHECK-DAG:     %[[ONES:.+]] = kiln.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[M1:.+]] = kiln.constant dense<-1> : tensor<3xi8>
// CHECK:         %[[A:.+]] = kiln.mul %[[X]], %[[TWO]]
// CHECK:         %[[B:.+]] = kiln.mul %[[X]], %[[ONES]] : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK:         %[[C:.+]] = kiln.mul %[[I]], %[[M1]]
// CHECK:         return %[[A]], %[[B]], %[[C]]
func.func @mul_not_one(%x: tensor<3xf32>, %i: tensor<3xi8>)
    -> (tensor<3xf32>, tensor<2x3xf32>, tensor<3xi8>) {
  %two = kiln.constant dense<2.0> : tensor<3xf32>
  %ones = kiln.constant dense<1.0> : tensor<2x3xf32>
  %m1 = kiln.constant dense<-1> : tensor<3xi8>
  %0 = kiln.mul %x, %two : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  // The one broadcasts %x to 2x3.
  %1 = kiln.mul %x, %ones : tensor<3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = kiln.mul %i, %m1 : tensor<3xi8>, tensor<3xi8> -> tensor<3xi8>
  return %0, %1, %2 : tensor<3xf32>, tensor<2x3xf32>, tensor<3xi8>
}

// -----

// CHECK-LABEL: func.func @mul_constants
// CHECK-DAG:     %[[F:.+]] = kiln.constant dense<[3.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[I:.+]] = kiln.constant dense<[-6, 0]> : tensor<2xi16>
// CHECK-NOT:     kiln.mul
// CHECK:         return %[[F]], %[[I]]
func.func @mul_constants() -> (tensor<2xf32>, tensor<2xi16>) {
  %a = kiln.constant dense<[1.5, 0.5]> : tensor<2xf32>
  %b = kiln.constant dense<[2.0, -2.0]> : tensor<2xf32>
  %0 = kiln.mul %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %c = kiln.constant dense<[2, 0]> : tensor<2xi16>
  %d = kiln.constant dense<[-3, 7]> : tensor<2xi16>
  %1 = kiln.mul %c, %d : tensor<2xi16>, tensor<2xi16> -> tensor<2xi16>
  return %0, %1 : tensor<2xf32>, tensor<2xi16>
}

//===----------------------------------------------------------------------===//
// kiln.div
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @div_one
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>, %[[I:.+]]: tensor<4xi64>)
// CHECK:         %[[ONE:.+]] = kiln.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK:         %[[R:.+]] = kiln.div %[[ONE]], %[[X]]
// CHECK:         return %[[X]], %[[R]], %[[I]]
func.func @div_one(%x: tensor<4xf32>, %i: tensor<4xi64>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi64>) {
  %one = kiln.constant dense<1.0> : tensor<4xf32>
  %0 = kiln.div %x, %one : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  // 1 / x is not x.
  %1 = kiln.div %one, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %ione = kiln.constant dense<1> : tensor<i64>
  %2 = kiln.div %i, %ione : tensor<4xi64>, tensor<i64> -> tensor<4xi64>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xi64>
}

// -----

// Integer division truncates toward zero and follows the signedness of the
// element type; float division by zero is IEEE.
// CHECK-LABEL: func.func @div_constants
// CHECK-DAG:     %[[F:.+]] = kiln.constant dense<[0x7F800000, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG:     %[[S:.+]] = kiln.constant dense<[3, -3, -18]> : tensor<3xi8>
// CHECK-DAG:     %[[U:.+]] = kiln.constant dense<[3, 3, 66]> : tensor<3xui8>
// CHECK-NOT:     kiln.div
// CHECK:         return %[[F]], %[[S]], %[[U]]
func.func @div_constants() -> (tensor<2xf32>, tensor<3xi8>, tensor<3xui8>) {
  %a = kiln.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %b = kiln.constant dense<[0.0, 4.0]> : tensor<2xf32>
  %0 = kiln.div %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  // -56 is the i8 with the bits of 200.
  %c = kiln.constant dense<[7, -7, -56]> : tensor<3xi8>
  %d = kiln.constant dense<[2, 2, 3]> : tensor<3xi8>
  %1 = kiln.div %c, %d : tensor<3xi8>, tensor<3xi8> -> tensor<3xi8>
  %e = kiln.constant dense<[7, 6, 200]> : tensor<3xui8>
  %f = kiln.constant dense<[2, 2, 3]> : tensor<3xui8>
  %2 = kiln.div %e, %f : tensor<3xui8>, tensor<3xui8> -> tensor<3xui8>
  return %0, %1, %2 : tensor<2xf32>, tensor<3xi8>, tensor<3xui8>
}

// -----

// Integer division by zero, and the overflowing INT_MIN / -1, are left for
// run time.
// CHECK-LABEL: func.func @div_constants_not_folded
// CHECK-DAG:     %[[A:.+]] = kiln.constant dense<[1, 2]> : tensor<2xi32>
// CHECK-DAG:     %[[B:.+]] = kiln.constant dense<[1, 0]> : tensor<2xi32>
// CHECK-DAG:     %[[U:.+]] = kiln.constant dense<[4, 5]> : tensor<2xui32>
// CHECK-DAG:     %[[UZ:.+]] = kiln.constant dense<[2, 0]> : tensor<2xui32>
// CHECK-DAG:     %[[MIN:.+]] = kiln.constant dense<-128> : tensor<1xi8>
// CHECK-DAG:     %[[M1:.+]] = kiln.constant dense<-1> : tensor<1xi8>
// CHECK:         %[[D0:.+]] = kiln.div %[[A]], %[[B]]
// CHECK:         %[[D1:.+]] = kiln.div %[[U]], %[[UZ]]
// CHECK:         %[[D2:.+]] = kiln.div %[[MIN]], %[[M1]]
// CHECK:         return %[[D0]], %[[D1]], %[[D2]]
func.func @div_constants_not_folded() -> (tensor<2xi32>, tensor<2xui32>, tensor<1xi8>) {
  %a = kiln.constant dense<[1, 2]> : tensor<2xi32>
  %b = kiln.constant dense<[1, 0]> : tensor<2xi32>
  %0 = kiln.div %a, %b : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  %u = kiln.constant dense<[4, 5]> : tensor<2xui32>
  %uz = kiln.constant dense<[2, 0]> : tensor<2xui32>
  %1 = kiln.div %u, %uz : tensor<2xui32>, tensor<2xui32> -> tensor<2xui32>
  %min = kiln.constant dense<-128> : tensor<1xi8>
  %m1 = kiln.constant dense<-1> : tensor<1xi8>
  %2 = kiln.div %min, %m1 : tensor<1xi8>, tensor<1xi8> -> tensor<1xi8>
  return %0, %1, %2 : tensor<2xi32>, tensor<2xui32>, tensor<1xi8>
}

//===----------------------------------------------------------------------===//
// kiln.pow
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @pow_one
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>)
// CHECK:         %[[TWO:.+]] = kiln.constant dense<2.000000e+00> : tensor<3xf32>
// CHECK:         %[[SQ:.+]] = kiln.pow %[[X]], %[[TWO]]
// CHECK:         return %[[X]], %[[SQ]]
func.func @pow_one(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %one = kiln.constant dense<1.0> : tensor<3xf32>
  %two = kiln.constant dense<2.0> : tensor<3xf32>
  %0 = kiln.pow %x, %one : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %1 = kiln.pow %x, %two : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

//===----------------------------------------------------------------------===//
// kiln.max, kiln.min
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @max_min_same_operand
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>, %[[Y:.+]]: tensor<3xf32>)
// CHECK:         %[[MAX:.+]] = kiln.max %[[X]], %[[Y]]
// CHECK:         %[[MIN:.+]] = kiln.min %[[X]], %[[Y]]
// CHECK:         return %[[X]], %[[X]], %[[MAX]], %[[MIN]]
func.func @max_min_same_operand(%x: tensor<3xf32>, %y: tensor<3xf32>)
    -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0 = kiln.max %x, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %1 = kiln.min %x, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %2 = kiln.max %x, %y : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %3 = kiln.min %x, %y : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// NaN propagates; integers compare with the signedness of the element type.
// CHECK-LABEL: func.func @max_min_constants
// CHECK-DAG:     %[[FMAX:.+]] = kiln.constant dense<[2.000000e+00, 0x7FC00000]> : tensor<2xf32>
// CHECK-DAG:     %[[FMIN:.+]] = kiln.constant dense<[1.000000e+00, 0x7FC00000]> : tensor<2xf32>
// CHECK-DAG:     %[[SMAX:.+]] = kiln.constant dense<[1, 5]> : tensor<2xi8>
// CHECK-DAG:     %[[SMIN:.+]] = kiln.constant dense<[-1, 3]> : tensor<2xi8>
// CHECK-DAG:     %[[UMAX:.+]] = kiln.constant dense<[255, 5]> : tensor<2xui8>
// CHECK-DAG:     %[[UMIN:.+]] = kiln.constant dense<[1, 3]> : tensor<2xui8>
// CHECK-NOT:     kiln.max
// CHECK-NOT:     kiln.min
// CHECK:         return %[[FMAX]], %[[FMIN]], %[[SMAX]], %[[SMIN]], %[[UMAX]], %[[UMIN]]
func.func @max_min_constants()
    -> (tensor<2xf32>, tensor<2xf32>, tensor<2xi8>, tensor<2xi8>, tensor<2xui8>,
        tensor<2xui8>) {
  %a = kiln.constant dense<[1.0, 0x7FC00000]> : tensor<2xf32>
  %b = kiln.constant dense<[2.0, 0.0]> : tensor<2xf32>
  %0 = kiln.max %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %1 = kiln.min %a, %b : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %c = kiln.constant dense<[-1, 5]> : tensor<2xi8>
  %d = kiln.constant dense<[1, 3]> : tensor<2xi8>
  %2 = kiln.max %c, %d : tensor<2xi8>, tensor<2xi8> -> tensor<2xi8>
  %3 = kiln.min %c, %d : tensor<2xi8>, tensor<2xi8> -> tensor<2xi8>
  %e = kiln.constant dense<[255, 5]> : tensor<2xui8>
  %f = kiln.constant dense<[1, 3]> : tensor<2xui8>
  %4 = kiln.max %e, %f : tensor<2xui8>, tensor<2xui8> -> tensor<2xui8>
  %5 = kiln.min %e, %f : tensor<2xui8>, tensor<2xui8> -> tensor<2xui8>
  return %0, %1, %2, %3, %4, %5
      : tensor<2xf32>, tensor<2xf32>, tensor<2xi8>, tensor<2xi8>, tensor<2xui8>,
        tensor<2xui8>
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @neg_neg
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>, %[[Y:.+]]: tensor<3xi32>)
// CHECK:         %[[N:.+]] = kiln.neg %[[Y]]
// CHECK-NOT:     kiln.neg
// CHECK:         return %[[X]], %[[N]]
func.func @neg_neg(%x: tensor<3xf32>, %y: tensor<3xi32>) -> (tensor<3xf32>, tensor<3xi32>) {
  %0 = kiln.neg %x : tensor<3xf32>
  %1 = kiln.neg %0 : tensor<3xf32>
  %2 = kiln.neg %y : tensor<3xi32>
  return %1, %2 : tensor<3xf32>, tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @neg_constants
// CHECK-DAG:     %[[F:.+]] = kiln.constant dense<[-1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[I:.+]] = kiln.constant dense<[-128, -5]> : tensor<2xi8>
// CHECK-DAG:     %[[S:.+]] = kiln.constant dense<-3> : tensor<2x2xi32>
// CHECK-NOT:     kiln.neg
// CHECK:         return %[[F]], %[[I]], %[[S]]
func.func @neg_constants() -> (tensor<2xf32>, tensor<2xi8>, tensor<2x2xi32>) {
  %a = kiln.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %0 = kiln.neg %a : tensor<2xf32>
  // -(-128) wraps to -128.
  %b = kiln.constant dense<[-128, 5]> : tensor<2xi8>
  %1 = kiln.neg %b : tensor<2xi8>
  %c = kiln.constant dense<3> : tensor<2x2xi32>
  %2 = kiln.neg %c : tensor<2x2xi32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xi8>, tensor<2x2xi32>
}

// -----

// CHECK-LABEL: func.func @abs
// CHECK-SAME:    (%[[U:.+]]: tensor<4xui8>, %[[X:.+]]: tensor<4xf32>, %[[I:.+]]: tensor<4xi8>)
// CHECK:         %[[A:.+]] = kiln.abs %[[X]]
// CHECK:         %[[B:.+]] = kiln.abs %[[I]]
// CHECK-NOT:     kiln.abs
// CHECK:         return %[[U]], %[[A]], %[[B]]
func.func @abs(%u: tensor<4xui8>, %x: tensor<4xf32>, %i: tensor<4xi8>)
    -> (tensor<4xui8>, tensor<4xf32>, tensor<4xi8>) {
  // |x| of an unsigned x is x.
  %0 = kiln.abs %u : tensor<4xui8>
  // abs is idempotent.
  %1 = kiln.abs %x : tensor<4xf32>
  %2 = kiln.abs %1 : tensor<4xf32>
  // Signed integers keep their abs.
  %3 = kiln.abs %i : tensor<4xi8>
  return %0, %2, %3 : tensor<4xui8>, tensor<4xf32>, tensor<4xi8>
}

// -----

// CHECK-LABEL: func.func @relu_relu
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK:         %[[R:.+]] = kiln.relu %[[X]]
// CHECK-NOT:     kiln.relu
// CHECK:         return %[[R]], %[[R]]
func.func @relu_relu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = kiln.relu %x : tensor<4xf32>
  %1 = kiln.relu %0 : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @clip
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK:         %[[LO:.+]] = kiln.clip %[[X]] {min = 0.000000e+00 : f64} : tensor<4xf32>
// CHECK:         %[[HI:.+]] = kiln.clip %[[X]] {max = 6.000000e+00 : f64} : tensor<4xf32>
// CHECK:         return %[[X]], %[[LO]], %[[HI]]
func.func @clip(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // Without bounds clip is the identity.
  %0 = kiln.clip %x : tensor<4xf32>
  %1 = kiln.clip %x {min = 0.0 : f64} : tensor<4xf32>
  %2 = kiln.clip %x {max = 6.0 : f64} : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// kiln.reshape
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT:     kiln.reshape
// CHECK:         return %[[X]], %[[X]]
func.func @reshape_identity(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = kiln.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  // A round trip through another shape is also the identity.
  %1 = kiln.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %2 = kiln.reshape %1 : tensor<6xf32> -> tensor<2x3xf32>
  return %0, %2 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[R:.+]] = kiln.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NOT:     kiln.reshape
// CHECK:         return %[[R]]
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = kiln.reshape %0 : tensor<24xf32> -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant
// CHECK-DAG:     %[[D:.+]] = kiln.constant dense<{{\[}}[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
// CHECK-DAG:     %[[S:.+]] = kiln.constant dense<5.000000e-01> : tensor<3x2xf32>
// CHECK-DAG:     %[[R:.+]] = kiln.constant dense_resource<blob> : tensor<2xf32>
// CHECK:         %[[RR:.+]] = kiln.reshape %[[R]] : tensor<2xf32> -> tensor<1x2xf32>
// CHECK:         return %[[D]], %[[S]], %[[RR]]
func.func @reshape_constant() -> (tensor<2x3xi32>, tensor<3x2xf32>, tensor<1x2xf32>) {
  %a = kiln.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi32>
  %0 = kiln.reshape %a : tensor<6xi32> -> tensor<2x3xi32>
  %b = kiln.constant dense<0.5> : tensor<6xf32>
  %1 = kiln.reshape %b : tensor<6xf32> -> tensor<3x2xf32>
  // Resource blobs are not copied.
  %r = kiln.constant dense_resource<blob> : tensor<2xf32>
  %2 = kiln.reshape %r : tensor<2xf32> -> tensor<1x2xf32>
  return %0, %1, %2 : tensor<2x3xi32>, tensor<3x2xf32>, tensor<1x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F00000040"
    }
  }
#-}

//===----------------------------------------------------------------------===//
// kiln.transpose
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf32>, %[[S:.+]]: tensor<f32>)
// CHECK-NOT:     kiln.transpose
// CHECK:         return %[[X]], %[[S]]
func.func @transpose_identity(%x: tensor<2x3xf32>, %s: tensor<f32>) -> (tensor<2x3xf32>, tensor<f32>) {
  %0 = kiln.transpose %x [0, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = kiln.transpose %s [] : tensor<f32> -> tensor<f32>
  return %0, %1 : tensor<2x3xf32>, tensor<f32>
}

// -----

// transpose(transpose(x, p), q) is transpose(x, [p[q[0]], p[q[1]], ...]).
// CHECK-LABEL: func.func @transpose_transpose
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[T:.+]] = kiln.transpose %[[X]] [1, 0, 2] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
// CHECK-NOT:     kiln.transpose
// CHECK:         return %[[T]]
func.func @transpose_transpose(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  %0 = kiln.transpose %x [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = kiln.transpose %0 [2, 0, 1] : tensor<2x4x3xf32> -> tensor<3x2x4xf32>
  return %1 : tensor<3x2x4xf32>
}

// -----

// A permutation followed by its inverse cancels.
// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NOT:     kiln.transpose
// CHECK:         return %[[X]]
func.func @transpose_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.transpose %x [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = kiln.transpose %0 [2, 0, 1] : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// A splat transposes to a splat; other constants are left alone.
// CHECK-LABEL: func.func @transpose_constant
// CHECK-DAG:     %[[S:.+]] = kiln.constant dense<7> : tensor<3x2xi32>
// CHECK-DAG:     %[[D:.+]] = kiln.constant dense<{{\[}}[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
// CHECK:         %[[T:.+]] = kiln.transpose %[[D]] [1, 0]
// CHECK:         return %[[S]], %[[T]]
func.func @transpose_constant() -> (tensor<3x2xi32>, tensor<3x2xi32>) {
  %s = kiln.constant dense<7> : tensor<2x3xi32>
  %0 = kiln.transpose %s [1, 0] : tensor<2x3xi32> -> tensor<3x2xi32>
  %d = kiln.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %1 = kiln.transpose %d [1, 0] : tensor<2x3xi32> -> tensor<3x2xi32>
  return %0, %1 : tensor<3x2xi32>, tensor<3x2xi32>
}

//===----------------------------------------------------------------------===//
// kiln.concat
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @concat_single
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf32>)
// CHECK:         %[[C:.+]] = kiln.concat %[[X]], %[[X]] axis = 0
// CHECK:         return %[[X]], %[[C]]
func.func @concat_single(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<4x3xf32>) {
  %0 = kiln.concat %x axis = 1 : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = kiln.concat %x, %x axis = 0 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<4x3xf32>
}

//===----------------------------------------------------------------------===//
// kiln.slice
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @slice_full
// CHECK-SAME:    (%[[X:.+]]: tensor<4x1xf32>)
// CHECK-NOT:     kiln.slice
// CHECK:         return %[[X]], %[[X]]
func.func @slice_full(%x: tensor<4x1xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>) {
  %0 = kiln.slice %x starts [0, 0] sizes [4, 1] steps [1, 1] : tensor<4x1xf32> -> tensor<4x1xf32>
  // The step of an extent-1 dimension does not matter.
  %1 = kiln.slice %x starts [0, 0] sizes [4, 1] steps [1, -3] : tensor<4x1xf32> -> tensor<4x1xf32>
  return %0, %1 : tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// CHECK-LABEL: func.func @slice_not_full
// CHECK-SAME:    (%[[X:.+]]: tensor<4x1xf32>)
// CHECK:         %[[REV:.+]] = kiln.slice %[[X]] starts [3, 0] sizes [4, 1] steps [-1, 1]
// CHECK:         %[[PART:.+]] = kiln.slice %[[X]] starts [1, 0] sizes [2, 1] steps [1, 1]
// CHECK:         return %[[REV]], %[[PART]]
func.func @slice_not_full(%x: tensor<4x1xf32>) -> (tensor<4x1xf32>, tensor<2x1xf32>) {
  // Same type, but reversed.
  %0 = kiln.slice %x starts [3, 0] sizes [4, 1] steps [-1, 1] : tensor<4x1xf32> -> tensor<4x1xf32>
  %1 = kiln.slice %x starts [1, 0] sizes [2, 1] steps [1, 1] : tensor<4x1xf32> -> tensor<2x1xf32>
  return %0, %1 : tensor<4x1xf32>, tensor<2x1xf32>
}

// -----

// CHECK-LABEL: func.func @slice_constant
// CHECK-DAG:     %[[S:.+]] = kiln.constant dense<2.500000e+00> : tensor<2x1xf32>
// CHECK-DAG:     %[[D:.+]] = kiln.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
// CHECK:         %[[T:.+]] = kiln.slice %[[D]] starts [1] sizes [2] steps [1]
// CHECK:         return %[[S]], %[[T]]
func.func @slice_constant() -> (tensor<2x1xf32>, tensor<2xi32>) {
  %s = kiln.constant dense<2.5> : tensor<4x3xf32>
  %0 = kiln.slice %s starts [3, 2] sizes [2, 1] steps [-2, 1] : tensor<4x3xf32> -> tensor<2x1xf32>
  %d = kiln.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %1 = kiln.slice %d starts [1] sizes [2] steps [1] : tensor<4xi32> -> tensor<2xi32>
  return %0, %1 : tensor<2x1xf32>, tensor<2xi32>
}

//===----------------------------------------------------------------------===//
// kiln.cast
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @cast
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK:         %[[C:.+]] = kiln.cast %[[X]] : tensor<4xf32> to tensor<4xf16>
// CHECK:         return %[[X]], %[[C]]
func.func @cast(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf16>) {
  %0 = kiln.cast %x : tensor<4xf32> to tensor<4xf32>
  %1 = kiln.cast %x : tensor<4xf32> to tensor<4xf16>
  return %0, %1 : tensor<4xf32>, tensor<4xf16>
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @reduce_identity
// CHECK-SAME:    (%[[X:.+]]: tensor<2x1x3xf32>, %[[I:.+]]: tensor<?x1xi32>)
// CHECK-NOT:     kiln.reduce
// CHECK:         return %[[X]], %[[X]], %[[X]], %[[X]], %[[I]]
func.func @reduce_identity(%x: tensor<2x1x3xf32>, %i: tensor<?x1xi32>)
    -> (tensor<2x1x3xf32>, tensor<2x1x3xf32>, tensor<2x1x3xf32>,
        tensor<2x1x3xf32>, tensor<?x1xi32>) {
  %0 = kiln.reduce_sum %x axes = [] : tensor<2x1x3xf32> -> tensor<2x1x3xf32>
  %1 = kiln.reduce_mean %x axes = [] keep_dims : tensor<2x1x3xf32> -> tensor<2x1x3xf32>
  %2 = kiln.reduce_max %x axes = [] : tensor<2x1x3xf32> -> tensor<2x1x3xf32>
  // Reducing extent-1 dimensions with keep_dims changes nothing either.
  %3 = kiln.reduce_sum %x axes = [1] keep_dims : tensor<2x1x3xf32> -> tensor<2x1x3xf32>
  %4 = kiln.reduce_max %i axes = [1] keep_dims : tensor<?x1xi32> -> tensor<?x1xi32>
  return %0, %1, %2, %3, %4
      : tensor<2x1x3xf32>, tensor<2x1x3xf32>, tensor<2x1x3xf32>,
        tensor<2x1x3xf32>, tensor<?x1xi32>
}

// -----

// CHECK-LABEL: func.func @reduce_min_prod_identity
// CHECK-SAME:    (%[[X:.+]]: tensor<2x1x3xf32>)
// CHECK:         %[[P:.+]] = kiln.reduce_prod %[[X]] axes = [2] keep_dims
// CHECK:         return %[[X]], %[[X]], %[[P]]
func.func @reduce_min_prod_identity(%x: tensor<2x1x3xf32>)
    -> (tensor<2x1x3xf32>, tensor<2x1x3xf32>, tensor<2x1x1xf32>) {
  %0 = kiln.reduce_min %x axes = [] : tensor<2x1x3xf32> -> tensor<2x1x3xf32>
  %1 = kiln.reduce_prod %x axes = [1] keep_dims : tensor<2x1x3xf32> -> tensor<2x1x3xf32>
  %2 = kiln.reduce_prod %x axes = [2] keep_dims : tensor<2x1x3xf32> -> tensor<2x1x1xf32>
  return %0, %1, %2 : tensor<2x1x3xf32>, tensor<2x1x3xf32>, tensor<2x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_not_identity
// CHECK-SAME:    (%[[X:.+]]: tensor<2x1x3xf32>, %[[D:.+]]: tensor<?x3xf32>)
// CHECK:         %[[A:.+]] = kiln.reduce_sum %[[X]] axes = [1] : tensor<2x1x3xf32> -> tensor<2x3xf32>
// CHECK:         %[[B:.+]] = kiln.reduce_mean %[[X]] axes = [2] keep_dims : tensor<2x1x3xf32> -> tensor<2x1x1xf32>
// CHECK:         %[[C:.+]] = kiln.reduce_max %[[D]] axes = [0] keep_dims : tensor<?x3xf32> -> tensor<1x3xf32>
// CHECK:         return %[[A]], %[[B]], %[[C]]
func.func @reduce_not_identity(%x: tensor<2x1x3xf32>, %d: tensor<?x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x1x1xf32>, tensor<1x3xf32>) {
  // Extent 1, but the dimension is dropped: a reshape, not the identity.
  %0 = kiln.reduce_sum %x axes = [1] : tensor<2x1x3xf32> -> tensor<2x3xf32>
  %1 = kiln.reduce_mean %x axes = [2] keep_dims : tensor<2x1x3xf32> -> tensor<2x1x1xf32>
  // A dynamic extent is not known to be 1.
  %2 = kiln.reduce_max %d axes = [0] keep_dims : tensor<?x3xf32> -> tensor<1x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x1x1xf32>, tensor<1x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Logic, shifts and select
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @logic_identities
// CHECK-SAME:    (%[[P:.+]]: tensor<3xi1>, %[[N:.+]]: tensor<3xi32>)
// CHECK-NOT:     kiln.and
// CHECK-NOT:     kiln.or
// CHECK-NOT:     kiln.xor
// CHECK-NOT:     kiln.not
// CHECK-NOT:     kiln.shift
// CHECK:         return %[[P]], %[[P]], %[[N]], %[[P]], %[[N]], %[[N]]
func.func @logic_identities(%p: tensor<3xi1>, %n: tensor<3xi32>)
    -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi32>, tensor<3xi1>, tensor<3xi32>,
        tensor<3xi32>) {
  %zero = kiln.constant dense<0> : tensor<3xi32>
  %0 = kiln.and %p, %p : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  %1 = kiln.or %p, %p : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  %2 = kiln.xor %n, %zero : tensor<3xi32>, tensor<3xi32> -> tensor<3xi32>
  %3 = kiln.not %p : tensor<3xi1>
  %4 = kiln.not %3 : tensor<3xi1>
  %5 = kiln.shift_left %n, %zero : tensor<3xi32>, tensor<3xi32> -> tensor<3xi32>
  %6 = kiln.shift_right %n, %zero : tensor<3xi32>, tensor<3xi32> -> tensor<3xi32>
  return %0, %1, %2, %4, %5, %6 : tensor<3xi1>, tensor<3xi1>, tensor<3xi32>,
      tensor<3xi1>, tensor<3xi32>, tensor<3xi32>
}

// CHECK-LABEL: func.func @logic_constants
// CHECK-DAG:     %[[AND:.+]] = kiln.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG:     %[[XOR:.+]] = kiln.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK:         return %[[AND]], %[[XOR]]
func.func @logic_constants() -> (tensor<3xi1>, tensor<3xi1>) {
  %a = kiln.constant dense<[true, true, false]> : tensor<3xi1>
  %b = kiln.constant dense<[true, false, true]> : tensor<3xi1>
  %0 = kiln.and %a, %b : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  %1 = kiln.xor %a, %b : tensor<3xi1>, tensor<3xi1> -> tensor<3xi1>
  return %0, %1 : tensor<3xi1>, tensor<3xi1>
}

// CHECK-LABEL: func.func @select_folds
// CHECK-SAME:    (%[[C:.+]]: tensor<3xi1>, %[[A:.+]]: tensor<3xf32>, %[[B:.+]]: tensor<3xf32>, %[[S:.+]]: tensor<f32>)
// CHECK:         %[[KEEP:.+]] = kiln.select %[[C]], %[[S]], %[[S]] : tensor<3xi1>, tensor<f32>, tensor<f32> -> tensor<3xf32>
// CHECK:         %[[MIXED:.+]] = kiln.select %[[C]], %[[A]], %[[B]]
// CHECK:         return %[[A]], %[[B]], %[[A]], %[[KEEP]], %[[MIXED]]
func.func @select_folds(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf32>,
                        %s: tensor<f32>)
    -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>) {
  %t = kiln.constant dense<true> : tensor<3xi1>
  %f = kiln.constant dense<false> : tensor<i1>
  %0 = kiln.select %t, %a, %b : tensor<3xi1>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %1 = kiln.select %f, %a, %b : tensor<i1>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  %2 = kiln.select %c, %a, %a : tensor<3xi1>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  // Broadcasting changes the type: kept.
  %3 = kiln.select %c, %s, %s : tensor<3xi1>, tensor<f32>, tensor<f32> -> tensor<3xf32>
  %4 = kiln.select %c, %a, %b : tensor<3xi1>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %0, %1, %2, %3, %4
      : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}
