// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// Round trip of kiln_rt.entry_point and kiln_rt.workspace_view, through the
// custom and the generic form; the generic form is also checked as printed.

// Before bufferization: the function maps the input tensors to the outputs.
// CHECK:      kiln_rt.entry_point @tensors(@tensor_main) inputs ["x", "y"] outputs ["z"] workspace 0
// GENERIC:    "kiln_rt.entry_point"() <{function = @tensor_main, input_names = ["x", "y"], output_names = ["z"], sym_name = "tensors", workspace_size = 0 : i64}> : () -> ()
kiln_rt.entry_point @tensors(@tensor_main) inputs ["x", "y"] outputs ["z"] workspace 0

// After memory planning: inputs, outputs, then the workspace.
// CHECK:      kiln_rt.entry_point @_mlp2(@main) inputs ["x"] outputs ["y", "aux"] workspace 4096 {kiln_rt.element_types = [f32, f32, ui8]}
// GENERIC:    "kiln_rt.entry_point"() <{function = @main, input_names = ["x"], output_names = ["y", "aux"], sym_name = "_mlp2", workspace_size = 4096 : i64}> {kiln_rt.element_types = [f32, f32, ui8]} : () -> ()
kiln_rt.entry_point @_mlp2(@main) inputs ["x"] outputs ["y", "aux"] workspace 4096 {kiln_rt.element_types = [f32, f32, ui8]}

// Without a workspace there is no workspace argument; no inputs is fine.
// CHECK:      kiln_rt.entry_point @constant_model(@no_workspace) inputs [] outputs ["c"] workspace 0
kiln_rt.entry_point @constant_model(@no_workspace) inputs [] outputs ["c"] workspace 0

// The generic form parses too.
// CHECK:      kiln_rt.entry_point @generic(@no_workspace) inputs [] outputs ["c"] workspace 0
"kiln_rt.entry_point"() <{function = @no_workspace, input_names = [], output_names = ["c"], sym_name = "generic", workspace_size = 0 : i64}> : () -> ()

// After conversion to LLVM the model function is an llvm.func.
// CHECK:      kiln_rt.entry_point @lowered(@llvm_main) inputs ["a"] outputs ["b"] workspace 64
kiln_rt.entry_point @lowered(@llvm_main) inputs ["a"] outputs ["b"] workspace 64

// CHECK-LABEL: func.func @tensor_main
func.func @tensor_main(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%{{.+}}: memref<2x4xf32>, %{{.+}}: memref<2x3xf32>, %{{.+}}: memref<2x3xi8>, %[[WS:.+]]: memref<4096xi8>)
func.func @main(%x: memref<2x4xf32>, %y: memref<2x3xf32>, %aux: memref<2x3xi8>, %ws: memref<4096xi8>) {
  // CHECK:      %[[A:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<4096xi8> to memref<8x16xf32>
  // GENERIC:    "kiln_rt.workspace_view"(%{{.+}}) <{offset = 0 : i64}> : (memref<4096xi8>) -> memref<8x16xf32>
  %a = kiln_rt.workspace_view %ws[0] : memref<4096xi8> to memref<8x16xf32>
  // CHECK-NEXT: %[[B:.+]] = kiln_rt.workspace_view %[[WS]][128] : memref<4096xi8> to memref<8x16xf32>
  // GENERIC:    "kiln_rt.workspace_view"(%{{.+}}) <{offset = 128 : i64}> : (memref<4096xi8>) -> memref<8x16xf32>
  %b = kiln_rt.workspace_view %ws[128] : memref<4096xi8> to memref<8x16xf32>
  // A view that ends exactly at the end of the workspace (4032 + 64 bytes).
  // CHECK-NEXT: %[[C:.+]] = kiln_rt.workspace_view %[[WS]][4032] : memref<4096xi8> to memref<16xf32>
  %c = kiln_rt.workspace_view %ws[4032] : memref<4096xi8> to memref<16xf32>
  // Rank 0, i1 (a byte each), bf16 and i8 element types.
  // CHECK-NEXT: kiln_rt.workspace_view %[[WS]][64] : memref<4096xi8> to memref<i64>
  %d = kiln_rt.workspace_view %ws[64] : memref<4096xi8> to memref<i64>
  // CHECK-NEXT: kiln_rt.workspace_view %[[WS]][192] : memref<4096xi8> to memref<3x5xi1>
  %e = kiln_rt.workspace_view %ws[192] : memref<4096xi8> to memref<3x5xi1>
  // CHECK-NEXT: kiln_rt.workspace_view %[[WS]][256] : memref<4096xi8> to memref<7xbf16>
  %f = kiln_rt.workspace_view %ws[256] : memref<4096xi8> to memref<7xbf16>
  // CHECK-NEXT: kiln_rt.workspace_view %[[WS]][320] : memref<4096xi8> to memref<2x3xi8>
  %g = kiln_rt.workspace_view %ws[320] : memref<4096xi8> to memref<2x3xi8>
  // The generic form parses too.
  // CHECK-NEXT: kiln_rt.workspace_view %[[WS]][384] : memref<4096xi8> to memref<4xf32>
  %h = "kiln_rt.workspace_view"(%ws) <{offset = 384 : i64}> : (memref<4096xi8>) -> memref<4xf32>
  // CHECK-NEXT: memref.copy %[[A]], %[[B]]
  memref.copy %a, %b : memref<8x16xf32> to memref<8x16xf32>
  return
}

// CHECK-LABEL: func.func @no_workspace
// CHECK-SAME:    (%{{.+}}: memref<3xf32>)
func.func @no_workspace(%c: memref<3xf32>) {
  return
}

// A workspace of unknown size: the fit cannot be checked.
// CHECK-LABEL: func.func @dynamic_workspace
// CHECK-SAME:    (%[[WS:.+]]: memref<?xi8>)
// CHECK:       kiln_rt.workspace_view %[[WS]][1024] : memref<?xi8> to memref<64x64xf32>
func.func @dynamic_workspace(%ws: memref<?xi8>) {
  %a = kiln_rt.workspace_view %ws[1024] : memref<?xi8> to memref<64x64xf32>
  return
}

// CHECK-LABEL: llvm.func @llvm_main
llvm.func @llvm_main(%a: !llvm.ptr, %b: !llvm.ptr, %ws: !llvm.ptr) {
  llvm.return
}
