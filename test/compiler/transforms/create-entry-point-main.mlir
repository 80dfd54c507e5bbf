// RUN: kiln-opt --kiln-create-entry-point="model-name=main" %s | FileCheck %s

// A model named like its function (main.onnx is `main` by default) shares
// the module's symbol table with it: the function is renamed.
// CHECK:       kiln_rt.entry_point @main(@[[FN:main_[0-9]+]]) inputs ["x"] outputs ["output0"] workspace 0
// CHECK:       func.func @[[FN]](
// CHECK-SAME:    %{{.+}}: tensor<2xf32> {kiln.name = "x"}) -> tensor<2xf32>
// CHECK-NOT:   func.func @main(
func.func @main(%x: tensor<2xf32> {kiln.name = "x"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
