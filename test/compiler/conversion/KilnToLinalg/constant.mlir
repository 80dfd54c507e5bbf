// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// CHECK-LABEL: func.func @dense
// CHECK: %[[C:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @dense() -> tensor<2xf32> {
  %0 = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// Unsigned constants keep their bits under a signless type.
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: () -> tensor<3xi8>
// CHECK: arith.constant dense<[1, -1, -128]> : tensor<3xi8>
func.func @unsigned() -> tensor<3xui8> {
  %0 = kiln.constant dense<[1, 255, 128]> : tensor<3xui8>
  return %0 : tensor<3xui8>
}

// CHECK-LABEL: func.func @splat_bool
// CHECK: arith.constant dense<true> : tensor<2x2xi1>
func.func @splat_bool() -> tensor<2x2xi1> {
  %0 = kiln.constant dense<true> : tensor<2x2xi1>
  return %0 : tensor<2x2xi1>
}

// Weights stay resources (no copy of the blob in the IR).
// CHECK-LABEL: func.func @resource
// CHECK: arith.constant dense_resource<weights> : tensor<2x2xf32>
func.func @resource() -> tensor<2x2xf32> {
  %0 = kiln.constant dense_resource<weights> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @resource_unsigned
// CHECK: arith.constant dense_resource<bytes> : tensor<4xi8>
func.func @resource_unsigned() -> tensor<4xui8> {
  %0 = kiln.constant dense_resource<bytes> : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// CHECK: dialect_resources
// CHECK: weights: "0x04000000
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040",
      bytes: "0x0100000001FF807F"
    }
  }
#-}
