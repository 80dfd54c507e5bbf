// RUN: kiln-opt --verify-diagnostics --kiln-create-entry-point="model-name=my-net" %s

// The model name must be a C identifier: the entry point's verifier rejects
// it at the function's location.
// expected-error @+1 {{'kiln_rt.entry_point' op name 'my-net' is not a C identifier}}
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
