// RUN: kiln-opt --split-input-file --kiln-create-entry-point %s | FileCheck %s

// kiln-create-entry-point declares the model's C entry point: names from the
// kiln.name argument and result attributes, input<i>/output<i> otherwise,
// the tensors' element types as written (ui8 stays unsigned), workspace 0.

// Names from kiln.name where present, by position otherwise; the function
// itself is left as it was.
// CHECK:       kiln_rt.entry_point @model(@main) inputs ["image", "input1", "mask"] outputs ["output0", "idx"] workspace 0
// CHECK-SAME:    {kiln_rt.element_types = [f32, ui8, i1, f32, i64]}
// Only @main, the default function, gets an entry point.
// CHECK-NOT:   kiln_rt.entry_point
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[A:.+]]: tensor<2xf32> {kiln.name = "image"}, %{{.+}}: tensor<3xui8>, %{{.+}}: tensor<1xi1> {kiln.name = "mask"})
// CHECK-SAME:    -> (tensor<2xf32>, tensor<4xi64> {kiln.name = "idx"})
// CHECK:         %[[C:.+]] = arith.constant dense<7> : tensor<4xi64>
// CHECK:         return %[[A]], %[[C]] : tensor<2xf32>, tensor<4xi64>
// CHECK-LABEL: func.func @forward
func.func @main(%a: tensor<2xf32> {kiln.name = "image"}, %b: tensor<3xui8>,
                %c: tensor<1xi1> {kiln.name = "mask"})
    -> (tensor<2xf32>, tensor<4xi64> {kiln.name = "idx"}) {
  %0 = arith.constant dense<7> : tensor<4xi64>
  return %a, %0 : tensor<2xf32>, tensor<4xi64>
}

func.func @forward(%x: tensor<8xbf16>) -> (tensor<8xf16> {kiln.name = "logits"}) {
  %0 = arith.constant dense<0.0> : tensor<8xf16>
  return %0 : tensor<8xf16>
}

// -----

// A kiln.name that is not a string is ignored; scalars and unsigned types of
// every width keep their element types; no inputs or no outputs is fine.
// CHECK:       kiln_rt.entry_point @model(@main) inputs ["input0", "input1", "input2", "input3"] outputs [] workspace 0
// CHECK-SAME:    {kiln_rt.element_types = [ui16, ui32, ui64, f64]}
// CHECK-LABEL: func.func @main
func.func @main(%a: tensor<ui16> {kiln.name = 3 : i64}, %b: tensor<2x2xui32>,
                %c: tensor<5xui64>, %d: f64) {
  return
}

// -----

// CHECK:       kiln_rt.entry_point @model(@main) inputs [] outputs ["c"] workspace 0
// CHECK-SAME:    {kiln_rt.element_types = [i8]}
// CHECK-LABEL: func.func @main
func.func @main() -> (tensor<3xi8> {kiln.name = "c"}) {
  %0 = arith.constant dense<1> : tensor<3xi8>
  return %0 : tensor<3xi8>
}
