// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// ONNX Cast semantics; the kiln element types pick the signedness.

// CHECK-LABEL: func.func @float_to_int
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.fptoui %{{.+}} : f32 to i8
func.func @float_to_int(%x: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xui8>) {
  %0 = kiln.cast %x : tensor<4xf32> to tensor<4xi32>
  %1 = kiln.cast %x : tensor<4xf32> to tensor<4xui8>
  return %0, %1 : tensor<4xi32>, tensor<4xui8>
}

// CHECK-LABEL: func.func @int_to_float
// CHECK: arith.sitofp %{{.+}} : i64 to f32
// CHECK: arith.uitofp %{{.+}} : i8 to f16
// CHECK: arith.uitofp %{{.+}} : i1 to f32
func.func @int_to_float(%i: tensor<4xi64>, %u: tensor<4xui8>, %b: tensor<4xi1>)
    -> (tensor<4xf32>, tensor<4xf16>, tensor<4xf32>) {
  %0 = kiln.cast %i : tensor<4xi64> to tensor<4xf32>
  %1 = kiln.cast %u : tensor<4xui8> to tensor<4xf16>
  %2 = kiln.cast %b : tensor<4xi1> to tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf16>, tensor<4xf32>
}

// CHECK-LABEL: func.func @float_to_float
// CHECK: arith.extf %{{.+}} : f16 to f32
// CHECK: arith.truncf %{{.+}} : f64 to f32
// Same width, other format: through f32.
// CHECK: %[[WIDE:.+]] = arith.extf %{{.+}} : f16 to f32
// CHECK: arith.truncf %[[WIDE]] : f32 to bf16
func.func @float_to_float(%h: tensor<4xf16>, %d: tensor<4xf64>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xbf16>) {
  %0 = kiln.cast %h : tensor<4xf16> to tensor<4xf32>
  %1 = kiln.cast %d : tensor<4xf64> to tensor<4xf32>
  %2 = kiln.cast %h : tensor<4xf16> to tensor<4xbf16>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xbf16>
}

// CHECK-LABEL: func.func @int_to_int
// CHECK: arith.extsi %{{.+}} : i8 to i32
// CHECK: arith.extui %{{.+}} : i8 to i64
// CHECK: arith.extui %{{.+}} : i1 to i32
// CHECK: arith.trunci %{{.+}} : i32 to i8
func.func @int_to_int(%s: tensor<4xi8>, %u: tensor<4xui8>, %b: tensor<4xi1>, %w: tensor<4xi32>)
    -> (tensor<4xi32>, tensor<4xi64>, tensor<4xi32>, tensor<4xi8>) {
  %0 = kiln.cast %s : tensor<4xi8> to tensor<4xi32>
  %1 = kiln.cast %u : tensor<4xui8> to tensor<4xi64>
  %2 = kiln.cast %b : tensor<4xi1> to tensor<4xi32>
  %3 = kiln.cast %w : tensor<4xi32> to tensor<4xi8>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi64>, tensor<4xi32>, tensor<4xi8>
}

// To bool: any non-zero value (NaN included) is true.
// CHECK-LABEL: func.func @to_bool
// CHECK: %[[FZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.cmpf une, %{{.+}}, %[[FZERO]] : f32
// CHECK: %[[IZERO:.+]] = arith.constant 0 : i64
// CHECK: arith.cmpi ne, %{{.+}}, %[[IZERO]] : i64
func.func @to_bool(%f: tensor<4xf32>, %i: tensor<4xi64>) -> (tensor<4xi1>, tensor<4xi1>) {
  %0 = kiln.cast %f : tensor<4xf32> to tensor<4xi1>
  %1 = kiln.cast %i : tensor<4xi64> to tensor<4xi1>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// Signedness only: the bits stay, nothing is emitted.
// CHECK-LABEL: func.func @sign_only
// CHECK-SAME: (%[[X:.+]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK-NEXT: return %[[X]]
func.func @sign_only(%x: tensor<4xi8>) -> tensor<4xui8> {
  %0 = kiln.cast %x : tensor<4xi8> to tensor<4xui8>
  return %0 : tensor<4xui8>
}

// kiln.bitcast: arith.bitcast per element; between types that differ only
// in signedness (signless after conversion) nothing is left.
// CHECK-LABEL: func.func @bitcast
// CHECK-SAME: %[[X:.+]]: tensor<4xf32>
// CHECK: linalg.generic {{.+}} ins(%[[X]] : tensor<4xf32>)
// CHECK: arith.bitcast %{{.+}} : f32 to i32
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @bitcast(%x: tensor<4xf32>) -> tensor<4xui32> {
  %0 = kiln.bitcast %x : tensor<4xf32> to tensor<4xi32>
  %1 = kiln.bitcast %0 : tensor<4xi32> to tensor<4xui32>
  return %1 : tensor<4xui32>
}
