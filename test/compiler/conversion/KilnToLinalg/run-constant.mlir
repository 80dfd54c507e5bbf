// kiln.constant, end to end: dense_resource weights reach memref.global and
// the LLVM module; unsigned constants keep their bits.
// Expected values decoded by hand from the blobs: 0x3F800000 = 1.0,
// 0x40000000 = 2.0, 0x40400000 = 3.0, 0x40800000 = 4.0; the ui8 blob holds
// 01 FF 80 7F after its 4-byte alignment header.
// RUN: kiln-opt --convert-kiln-to-linalg %s | %linalg-to-llvm \
// RUN:   | %run-main | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

// Called, so that no folder sees the constant.
func.func @widen(%x: tensor<4xui8>) -> tensor<4xi32> {
  %0 = kiln.cast %x : tensor<4xui8> to tensor<4xi32>
  return %0 : tensor<4xi32>
}

func.func @main() {
  // CHECK-LABEL: rank = 2 offset = 0 sizes = [2, 2]
  // CHECK-NEXT: {{\[\[}}1, 2],
  // CHECK-NEXT: [3, 4{{\]\]}}
  %w = kiln.constant dense_resource<weights> : tensor<2x2xf32>
  %wu = tensor.cast %w : tensor<2x2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%wu) : (tensor<*xf32>) -> ()

  // CHECK-LABEL: rank = 1 offset = 0 sizes = [4]
  // CHECK-NEXT: [1, 255, 128, 127]
  %b = kiln.constant dense_resource<bytes> : tensor<4xui8>
  %bw = func.call @widen(%b) : (tensor<4xui8>) -> tensor<4xi32>
  %bu = tensor.cast %bw : tensor<4xi32> to tensor<*xi32>
  func.call @printMemrefI32(%bu) : (tensor<*xi32>) -> ()

  // CHECK-LABEL: rank = 1 offset = 0 sizes = [3]
  // CHECK-NEXT: [200, 0, 7]
  %d = kiln.constant dense<[200, 0, 7, 9]> : tensor<4xui8>
  %dw = func.call @widen(%d) : (tensor<4xui8>) -> tensor<4xi32>
  %ds = tensor.extract_slice %dw[0] [3] [1] : tensor<4xi32> to tensor<3xi32>
  %du = tensor.cast %ds : tensor<3xi32> to tensor<*xi32>
  func.call @printMemrefI32(%du) : (tensor<*xi32>) -> ()
  return
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040",
      bytes: "0x0100000001FF807F"
    }
  }
#-}
