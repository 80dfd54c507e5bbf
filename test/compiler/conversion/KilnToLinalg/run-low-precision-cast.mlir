// kiln.cast to and from 8- and 4-bit floats, end to end (software rounding
// in integer arith). Written by hand; the expected bit patterns and values
// come from ml_dtypes through the ONNX reference (onnx.numpy_helper's
// saturate_cast for saturate=1, astype for saturate=0), not from Kiln.
// RUN: kiln-opt --convert-kiln-to-linalg %s | %linalg-to-llvm \
// RUN:   | %run-main | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

// The inputs of the f8 tests: 0.4789, 1e6, NaN, inf, -inf, -1e-7, 460, 470,
// 2^-9, 2^-10, 1.5 * 2^-10, -0.

// Saturating: overflow and infinities go to +-448; NaN is 0x7F; -1e-7 is
// -0; ties round to even (2^-10 is half the smallest subnormal).
// CHECK-LABEL: rank = 1 offset = 0 sizes = [12]
// CHECK-NEXT: [47, 126, 127, 126, -2, -128, 126, 126, 1, 0, 1, -128]
func.func @e4m3fn_saturate(%x: tensor<12xf32>) -> tensor<12xi32> {
  %r = kiln.cast %x : tensor<12xf32> to tensor<12xf8E4M3FN>
  %b = arith.bitcast %r : tensor<12xf8E4M3FN> to tensor<12xi8>
  %p = kiln.cast %b : tensor<12xi8> to tensor<12xi32>
  return %p : tensor<12xi32>
}

// Not saturating: f8E4M3FN has no infinity, so overflow becomes NaN; 460
// still rounds down to 448, 470 up past it.
// CHECK-LABEL: rank = 1 offset = 0 sizes = [12]
// CHECK-NEXT: [47, 127, 127, 127, -1, -128, 126, 127, 1, 0, 1, -128]
func.func @e4m3fn_no_saturate(%x: tensor<12xf32>) -> tensor<12xi32> {
  %r = kiln.cast %x {kiln.saturate = false} : tensor<12xf32> to tensor<12xf8E4M3FN>
  %b = arith.bitcast %r : tensor<12xf8E4M3FN> to tensor<12xi8>
  %p = kiln.cast %b : tensor<12xi8> to tensor<12xi32>
  return %p : tensor<12xi32>
}

// FNUZ: NaN and unsaturated overflow are 0x80, and there is no -0.
// CHECK-LABEL: rank = 1 offset = 0 sizes = [12]
// CHECK-NEXT: [55, -128, -128, -128, -128, 0, -128, -128, 2, 1, 2, 0]
func.func @e4m3fnuz_no_saturate(%x: tensor<12xf32>) -> tensor<12xi32> {
  %r = kiln.cast %x {kiln.saturate = false} : tensor<12xf32> to tensor<12xf8E4M3FNUZ>
  %b = arith.bitcast %r : tensor<12xf8E4M3FNUZ> to tensor<12xi8>
  %p = kiln.cast %b : tensor<12xi8> to tensor<12xi32>
  return %p : tensor<12xi32>
}

// f8E5M2 has infinities: unsaturated overflow is +-inf (0x7C).
// CHECK-LABEL: rank = 1 offset = 0 sizes = [12]
// CHECK-NEXT: [56, 124, 126, 124, -4, -128, 95, 95, 24, 20, 22, -128]
func.func @e5m2_no_saturate(%x: tensor<12xf32>) -> tensor<12xi32> {
  %r = kiln.cast %x {kiln.saturate = false} : tensor<12xf32> to tensor<12xf8E5M2>
  %b = arith.bitcast %r : tensor<12xf8E5M2> to tensor<12xi8>
  %p = kiln.cast %b : tensor<12xi8> to tensor<12xi32>
  return %p : tensor<12xi32>
}

// CHECK-LABEL: rank = 1 offset = 0 sizes = [12]
// CHECK-NEXT: [60, 127, -128, 127, -1, 0, 99, 99, 28, 24, 26, 0]
func.func @e5m2fnuz_saturate(%x: tensor<12xf32>) -> tensor<12xi32> {
  %r = kiln.cast %x : tensor<12xf32> to tensor<12xf8E5M2FNUZ>
  %b = arith.bitcast %r : tensor<12xf8E5M2FNUZ> to tensor<12xi8>
  %p = kiln.cast %b : tensor<12xi8> to tensor<12xi32>
  return %p : tensor<12xi32>
}

// Decoding: each f8 format back to f32 (NaN, infinity, -0 included).
// CHECK-LABEL: rank = 1 offset = 0 sizes = [6]
// CHECK-NEXT: [0.46875, 448, nan, -448, -0, 0.5]
func.func @e4m3fn_round_trip(%x: tensor<6xf32>) -> tensor<6xf32> {
  %r = kiln.cast %x : tensor<6xf32> to tensor<6xf8E4M3FN>
  %p = kiln.cast %r : tensor<6xf8E4M3FN> to tensor<6xf32>
  return %p : tensor<6xf32>
}

// CHECK-LABEL: rank = 1 offset = 0 sizes = [6]
// CHECK-NEXT: [0.5, inf, nan, -inf, -0, 0.5]
func.func @e5m2_round_trip(%x: tensor<6xf32>) -> tensor<6xf32> {
  %r = kiln.cast %x {kiln.saturate = false} : tensor<6xf32> to tensor<6xf8E5M2>
  %p = kiln.cast %r : tensor<6xf8E5M2> to tensor<6xf32>
  return %p : tensor<6xf32>
}

// CHECK-LABEL: rank = 1 offset = 0 sizes = [6]
// CHECK-NEXT: [0.46875, nan, nan, nan, 0, 0.5]
func.func @e4m3fnuz_round_trip(%x: tensor<6xf32>) -> tensor<6xf32> {
  %r = kiln.cast %x {kiln.saturate = false} : tensor<6xf32> to tensor<6xf8E4M3FNUZ>
  %p = kiln.cast %r : tensor<6xf8E4M3FNUZ> to tensor<6xf32>
  return %p : tensor<6xf32>
}

// float4e2m1 (si4) always saturates to +-6; ties to even (0.25 -> 0,
// 2.5 -> 2, 5 -> 4); ml_dtypes turns NaN into -0 and -NaN into 0.
// CHECK-LABEL: rank = 1 offset = 0 sizes = [12]
// CHECK-NEXT: [0, 0.5, 2, 4, 4, 6, -6, -0, 0, 6, -0.5, 0]
func.func @f4e2m1_round_trip(%x: tensor<12xf32>) -> tensor<12xf32> {
  %r = kiln.cast %x : tensor<12xf32> to tensor<12xsi4>
  %p = kiln.cast %r : tensor<12xsi4> to tensor<12xf32>
  return %p : tensor<12xf32>
}

// f16 sources widen exactly first (65504 overflows f8E5M2 to inf).
// CHECK-LABEL: rank = 1 offset = 0 sizes = [4]
// CHECK-NEXT: [124, 1, -126, 46]
func.func @f16_to_e5m2(%x: tensor<4xf16>) -> tensor<4xi32> {
  %r = kiln.cast %x {kiln.saturate = false} : tensor<4xf16> to tensor<4xf8E5M2>
  %b = arith.bitcast %r : tensor<4xf8E5M2> to tensor<4xi8>
  %p = kiln.cast %b : tensor<4xi8> to tensor<4xi32>
  return %p : tensor<4xi32>
}

// f64 sources round once, from f64.
// CHECK-LABEL: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: [77, -125, 127]
func.func @f64_to_e4m3fnuz(%x: tensor<3xf64>) -> tensor<3xi32> {
  %r = kiln.cast %x : tensor<3xf64> to tensor<3xf8E4M3FNUZ>
  %b = arith.bitcast %r : tensor<3xf8E4M3FNUZ> to tensor<3xi8>
  %p = kiln.cast %b : tensor<3xi8> to tensor<3xi32>
  return %p : tensor<3xi32>
}

// Integers go through f64.
// CHECK-LABEL: rank = 1 offset = 0 sizes = [4]
// CHECK-NEXT: [-50, 108, 121, 88]
func.func @i32_to_e4m3fn(%x: tensor<4xi32>) -> tensor<4xi32> {
  %r = kiln.cast %x : tensor<4xi32> to tensor<4xf8E4M3FN>
  %b = arith.bitcast %r : tensor<4xf8E4M3FN> to tensor<4xi8>
  %p = kiln.cast %b : tensor<4xi8> to tensor<4xi32>
  return %p : tensor<4xi32>
}

// Float to int4 and uint4 wraps around (numpy's astype).
// CHECK-LABEL: rank = 1 offset = 0 sizes = [4]
// CHECK-NEXT: [7, -8, -3, -7]
func.func @f32_to_i4(%x: tensor<4xf32>) -> tensor<4xi32> {
  %r = kiln.cast %x : tensor<4xf32> to tensor<4xi4>
  %p = kiln.cast %r : tensor<4xi4> to tensor<4xi32>
  return %p : tensor<4xi32>
}

// CHECK-LABEL: rank = 1 offset = 0 sizes = [4]
// CHECK-NEXT: [7, 8, 13, 9]
func.func @f32_to_ui4(%x: tensor<4xf32>) -> tensor<4xi32> {
  %r = kiln.cast %x : tensor<4xf32> to tensor<4xui4>
  %p = kiln.cast %r : tensor<4xui4> to tensor<4xi32>
  return %p : tensor<4xi32>
}

func.func @main() {
  %f8in = kiln.constant dense<[0.4789254665, 1.0e+06, 0x7FC00000, 0x7F800000, 0xFF800000, -1.0e-07, 460.0, 470.0, 0.001953125, 0.0009765625, 0.00146484375, -0.0]> : tensor<12xf32>
  %r0 = func.call @e4m3fn_saturate(%f8in) : (tensor<12xf32>) -> tensor<12xi32>
  %u0 = tensor.cast %r0 : tensor<12xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u0) : (tensor<*xi32>) -> ()
  %r1 = func.call @e4m3fn_no_saturate(%f8in) : (tensor<12xf32>) -> tensor<12xi32>
  %u1 = tensor.cast %r1 : tensor<12xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u1) : (tensor<*xi32>) -> ()
  %r2 = func.call @e4m3fnuz_no_saturate(%f8in) : (tensor<12xf32>) -> tensor<12xi32>
  %u2 = tensor.cast %r2 : tensor<12xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u2) : (tensor<*xi32>) -> ()
  %r3 = func.call @e5m2_no_saturate(%f8in) : (tensor<12xf32>) -> tensor<12xi32>
  %u3 = tensor.cast %r3 : tensor<12xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u3) : (tensor<*xi32>) -> ()
  %r4 = func.call @e5m2fnuz_saturate(%f8in) : (tensor<12xf32>) -> tensor<12xi32>
  %u4 = tensor.cast %r4 : tensor<12xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u4) : (tensor<*xi32>) -> ()

  %rtin = kiln.constant dense<[0.4789254665, 1.0e+06, 0x7FC00000, 0xFF800000, -1.0e-07, 0.5]> : tensor<6xf32>
  %r5 = func.call @e4m3fn_round_trip(%rtin) : (tensor<6xf32>) -> tensor<6xf32>
  %u5 = tensor.cast %r5 : tensor<6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()
  %r6 = func.call @e5m2_round_trip(%rtin) : (tensor<6xf32>) -> tensor<6xf32>
  %u6 = tensor.cast %r6 : tensor<6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()
  %r7 = func.call @e4m3fnuz_round_trip(%rtin) : (tensor<6xf32>) -> tensor<6xf32>
  %u7 = tensor.cast %r7 : tensor<6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()

  %f4in = kiln.constant dense<[0.25, 0.26, 2.5, 3.5, 5.0, 7.5, -100.0, 0x7FC00000, 0xFFC00000, 0x7F800000, -0.3, 1.0e-30]> : tensor<12xf32>
  %r8 = func.call @f4e2m1_round_trip(%f4in) : (tensor<12xf32>) -> tensor<12xf32>
  %u8 = tensor.cast %r8 : tensor<12xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u8) : (tensor<*xf32>) -> ()

  %h = kiln.constant dense<[65504.0, 1.0e-05, -3.0517578125e-05, 0.1]> : tensor<4xf16>
  %r9 = func.call @f16_to_e5m2(%h) : (tensor<4xf16>) -> tensor<4xi32>
  %u9 = tensor.cast %r9 : tensor<4xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u9) : (tensor<*xi32>) -> ()
  %d = kiln.constant dense<[3.14159, -2.5e-03, 1.0e+300]> : tensor<3xf64>
  %r10 = func.call @f64_to_e4m3fnuz(%d) : (tensor<3xf64>) -> tensor<3xi32>
  %u10 = tensor.cast %r10 : tensor<3xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u10) : (tensor<*xi32>) -> ()
  %i = kiln.constant dense<[-7, 100, 300, 17]> : tensor<4xi32>
  %r11 = func.call @i32_to_e4m3fn(%i) : (tensor<4xi32>) -> tensor<4xi32>
  %u11 = tensor.cast %r11 : tensor<4xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u11) : (tensor<*xi32>) -> ()
  %w = kiln.constant dense<[-9.0, 8.0, -3.0, 9.0]> : tensor<4xf32>
  %r12 = func.call @f32_to_i4(%w) : (tensor<4xf32>) -> tensor<4xi32>
  %u12 = tensor.cast %r12 : tensor<4xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u12) : (tensor<*xi32>) -> ()
  %r13 = func.call @f32_to_ui4(%w) : (tensor<4xf32>) -> tensor<4xi32>
  %u13 = tensor.cast %r13 : tensor<4xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u13) : (tensor<*xi32>) -> ()
  return
}
