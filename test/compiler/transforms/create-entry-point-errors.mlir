// RUN: kiln-opt --split-input-file --verify-diagnostics --kiln-create-entry-point="function=forward" %s

// The function named by `function=` must exist.
// expected-error @+1 {{kiln-create-entry-point: no function 'forward'}}
module {
  func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

// Nor is a declaration enough to find it by another name.
// expected-error @+1 {{kiln-create-entry-point: no function 'forward'}}
module {
  func.func private @Forward(tensor<2xf32>) -> tensor<2xf32>
}
