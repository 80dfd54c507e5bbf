// RUN: kiln-opt --kiln-create-entry-point="model-name=net function=forward" %s | FileCheck %s

// `function=` picks the model function, `model-name=` the C name; other
// functions get no entry point.

// CHECK:       kiln_rt.entry_point @net(@forward) inputs ["input0"] outputs ["logits"] workspace 0
// CHECK-SAME:    {kiln_rt.element_types = [bf16, f16]}
// CHECK-NOT:   kiln_rt.entry_point
// CHECK-LABEL: func.func @main
func.func @main(%x: tensor<2xf32> {kiln.name = "x"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// CHECK-LABEL: func.func @forward
// CHECK-SAME:    (%{{.+}}: tensor<8xbf16>) -> (tensor<8xf16> {kiln.name = "logits"})
func.func @forward(%x: tensor<8xbf16>) -> (tensor<8xf16> {kiln.name = "logits"}) {
  %0 = arith.constant dense<0.0> : tensor<8xf16>
  return %0 : tensor<8xf16>
}
