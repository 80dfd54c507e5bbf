// RUN: kiln-opt --verify-diagnostics --kiln-create-entry-point="model-name=weights" %s

// Any other symbol of that name is an error.
// expected-error @+1 {{kiln-create-entry-point: model name 'weights' is already the name of a symbol}}
module {
  memref.global "private" constant @weights : memref<2xf32> = dense<[1.0, 2.0]>
  func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}
