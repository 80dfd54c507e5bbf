// Comparisons, logic, select, remainder, shifts, sign and rounding, end to
// end. Written by hand; the expected values are numpy's (np.less, np.where,
// np.mod, np.fmod, np.right_shift, np.sign, np.round), not Kiln's.
// RUN: kiln-opt --convert-kiln-to-linalg %s | %linalg-to-llvm \
// RUN:   | %run-main | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

// compare lt with NaN: false; ne with NaN: true; [2,1] vs [3] broadcasts.
func.func @compare_nan(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x3xi32> {
  %lt = kiln.compare lt, %a, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<2x3xi1>
  %ne = kiln.compare ne, %a, %b : tensor<2x1xf32>, tensor<3xf32> -> tensor<2x3xi1>
  %l = kiln.cast %lt : tensor<2x3xi1> to tensor<2x3xi32>
  %n = kiln.cast %ne : tensor<2x3xi1> to tensor<2x3xi32>
  %two = kiln.constant dense<2> : tensor<i32>
  %s = kiln.mul %n, %two : tensor<2x3xi32>, tensor<i32> -> tensor<2x3xi32>
  %r = kiln.add %l, %s : tensor<2x3xi32>, tensor<2x3xi32> -> tensor<2x3xi32>
  return %r : tensor<2x3xi32>
}

// ui8 comparisons are unsigned: 200 > 100.
func.func @compare_ui8(%a: tensor<2xui8>, %b: tensor<2xui8>) -> tensor<2xi32> {
  %gt = kiln.compare gt, %a, %b : tensor<2xui8>, tensor<2xui8> -> tensor<2xi1>
  %r = kiln.cast %gt : tensor<2xi1> to tensor<2xi32>
  return %r : tensor<2xi32>
}

// not(and(p, q) xor or(p, q)).
func.func @logic(%p: tensor<4xi1>, %q: tensor<4xi1>) -> tensor<4xi32> {
  %a = kiln.and %p, %q : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %o = kiln.or %p, %q : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %x = kiln.xor %a, %o : tensor<4xi1>, tensor<4xi1> -> tensor<4xi1>
  %n = kiln.not %x : tensor<4xi1>
  %r = kiln.cast %n : tensor<4xi1> to tensor<4xi32>
  return %r : tensor<4xi32>
}

// select with a [2,1] condition, a [3] and a scalar value.
func.func @select(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %r = kiln.select %c, %a, %b : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// Floored and truncated integer remainders; x % 0 = 0.
func.func @mod_i32(%a: tensor<5xi32>, %b: tensor<5xi32>) -> tensor<2x5xi32> {
  %m = kiln.mod %a, %b : tensor<5xi32>, tensor<5xi32> -> tensor<5xi32>
  %f = kiln.mod %a, %b {fmod} : tensor<5xi32>, tensor<5xi32> -> tensor<5xi32>
  %m2 = kiln.reshape %m : tensor<5xi32> -> tensor<1x5xi32>
  %f2 = kiln.reshape %f : tensor<5xi32> -> tensor<1x5xi32>
  %r = kiln.concat %m2, %f2 axis = 0 : tensor<1x5xi32>, tensor<1x5xi32> -> tensor<2x5xi32>
  return %r : tensor<2x5xi32>
}

// fmod of floats takes the sign of the dividend.
func.func @fmod_f32(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %r = kiln.mod %a, %b {fmod} : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// Shifts of ui8, including by 8 (all bits out).
func.func @shifts(%a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<6xi32> {
  %l = kiln.shift_left %a, %b : tensor<3xui8>, tensor<3xui8> -> tensor<3xui8>
  %r = kiln.shift_right %a, %b : tensor<3xui8>, tensor<3xui8> -> tensor<3xui8>
  %c = kiln.concat %l, %r axis = 0 : tensor<3xui8>, tensor<3xui8> -> tensor<6xui8>
  %i = kiln.cast %c : tensor<6xui8> to tensor<6xi32>
  return %i : tensor<6xi32>
}

// sign keeps zeros and NaN; round takes halves to even.
func.func @sign_round(%x: tensor<6xf32>) -> tensor<2x6xf32> {
  %s = kiln.sign %x : tensor<6xf32>
  %r = kiln.round %x : tensor<6xf32>
  %s2 = kiln.reshape %s : tensor<6xf32> -> tensor<1x6xf32>
  %r2 = kiln.reshape %r : tensor<6xf32> -> tensor<1x6xf32>
  %c = kiln.concat %s2, %r2 axis = 0 : tensor<1x6xf32>, tensor<1x6xf32> -> tensor<2x6xf32>
  return %c : tensor<2x6xf32>
}

// CHECK-LABEL: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[\[}}3, 0, 2],
// CHECK-NEXT: [2, 2, 2{{\]\]}}
// CHECK-LABEL: rank = 1 offset = 0 sizes = [2]
// CHECK-NEXT: [1, 0]
// CHECK-LABEL: rank = 1 offset = 0 sizes = [4]
// CHECK-NEXT: [1, 0, 0, 1]
// CHECK-LABEL: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[\[}}1, 2, 3],
// CHECK-NEXT: [9, 9, 9{{\]\]}}
// CHECK-LABEL: rank = 2 offset = 0 sizes = [2, 5]
// CHECK-NEXT: {{\[\[}}1, -1, 2, -1, 0],
// CHECK-NEXT: [1, 3, -1, -1, 0{{\]\]}}
// CHECK-LABEL: rank = 1 offset = 0 sizes = [3]
// CHECK-NEXT: [1.5, -1.5, 0.5]
// CHECK-LABEL: rank = 1 offset = 0 sizes = [6]
// CHECK-NEXT: [2, 128, 0, 0, 32, 0]
// CHECK-LABEL: rank = 2 offset = 0 sizes = [2, 6]
// CHECK-NEXT: {{\[\[}}1, -1, 0, -0, nan, 1],
// CHECK-NEXT: [2, -2, 0, -0, nan, 2{{\]\]}}
func.func @main() {
  %a0 = kiln.constant dense<[[0.0], [0x7FC00000]]> : tensor<2x1xf32>
  %b0 = kiln.constant dense<[1.0, 0.0, 0x7FC00000]> : tensor<3xf32>
  %r0 = func.call @compare_nan(%a0, %b0) : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xi32>
  %u0 = tensor.cast %r0 : tensor<2x3xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u0) : (tensor<*xi32>) -> ()

  %a1 = kiln.constant dense<[200, 3]> : tensor<2xui8>
  %b1 = kiln.constant dense<[100, 4]> : tensor<2xui8>
  %r1 = func.call @compare_ui8(%a1, %b1) : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xi32>
  %u1 = tensor.cast %r1 : tensor<2xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u1) : (tensor<*xi32>) -> ()

  %p2 = kiln.constant dense<[true, true, false, false]> : tensor<4xi1>
  %q2 = kiln.constant dense<[true, false, true, false]> : tensor<4xi1>
  %r2 = func.call @logic(%p2, %q2) : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi32>
  %u2 = tensor.cast %r2 : tensor<4xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u2) : (tensor<*xi32>) -> ()

  %c3 = kiln.constant dense<[[true], [false]]> : tensor<2x1xi1>
  %a3 = kiln.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b3 = kiln.constant dense<9.0> : tensor<f32>
  %r3 = func.call @select(%c3, %a3, %b3) : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %u3 = tensor.cast %r3 : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  %a4 = kiln.constant dense<[7, 7, -7, -7, 5]> : tensor<5xi32>
  %b4 = kiln.constant dense<[3, -4, 3, -3, 0]> : tensor<5xi32>
  %r4 = func.call @mod_i32(%a4, %b4) : (tensor<5xi32>, tensor<5xi32>) -> tensor<2x5xi32>
  %u4 = tensor.cast %r4 : tensor<2x5xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u4) : (tensor<*xi32>) -> ()

  %a5 = kiln.constant dense<[5.5, -5.5, 0.5]> : tensor<3xf32>
  %b5 = kiln.constant dense<[2.0, 2.0, -1.0]> : tensor<3xf32>
  %r5 = func.call @fmod_f32(%a5, %b5) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %u5 = tensor.cast %r5 : tensor<3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()

  %a6 = kiln.constant dense<[1, 64, 255]> : tensor<3xui8>
  %b6 = kiln.constant dense<[1, 1, 8]> : tensor<3xui8>
  %r6 = func.call @shifts(%a6, %b6) : (tensor<3xui8>, tensor<3xui8>) -> tensor<6xi32>
  %u6 = tensor.cast %r6 : tensor<6xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u6) : (tensor<*xi32>) -> ()

  %x7 = kiln.constant dense<[2.5, -2.5, 0.0, -0.0, 0x7FC00000, 1.5]> : tensor<6xf32>
  %r7 = func.call @sign_round(%x7) : (tensor<6xf32>) -> tensor<2x6xf32>
  %u7 = tensor.cast %r7 : tensor<2x6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()
  return
}
