// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// The verifiers of kiln_rt.entry_point and kiln_rt.workspace_view.

// expected-error @+1 {{'kiln_rt.entry_point' op name '2fast' is not a C identifier}}
kiln_rt.entry_point @"2fast"(@main) inputs [] outputs [] workspace 0
func.func @main() {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op name 'my-model' is not a C identifier}}
kiln_rt.entry_point @"my-model"(@main) inputs [] outputs [] workspace 0
func.func @main() {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op name 'model.v2' is not a C identifier}}
kiln_rt.entry_point @"model.v2"(@main) inputs [] outputs [] workspace 0
func.func @main() {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op name '' is not a C identifier}}
kiln_rt.entry_point @""(@main) inputs [] outputs [] workspace 0
func.func @main() {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op workspace size must be non-negative}}
kiln_rt.entry_point @m(@main) inputs [] outputs [] workspace -64
func.func @main() {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op refers to 'missing', which is not a function}}
kiln_rt.entry_point @m(@missing) inputs [] outputs [] workspace 0

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op refers to 'data', which is not a function}}
kiln_rt.entry_point @m(@data) inputs [] outputs [] workspace 0
memref.global "private" constant @data : memref<2xf32> = dense<[1.0, 2.0]>

// -----

// Tensor form: two inputs named, but the function takes one tensor.
// expected-error @+1 {{'kiln_rt.entry_point' op expects 'main' to map 2 tensors to 1 tensors, or to take 3 memref arguments (inputs, outputs) and return nothing; its type is '(tensor<2xf32>) -> tensor<2xf32>'}}
kiln_rt.entry_point @m(@main) inputs ["x", "y"] outputs ["z"] workspace 0
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// Tensor form: one output named, but the function returns two.
// expected-error @+1 {{'kiln_rt.entry_point' op expects 'main' to map 1 tensors to 1 tensors, or to take 2 memref arguments (inputs, outputs) and return nothing; its type is '(tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  return %x, %x : tensor<2xf32>, tensor<2xf32>
}

// -----

// Buffer form: the workspace argument is missing.
// expected-error @+1 {{'kiln_rt.entry_point' op expects 'main' to map 1 tensors to 1 tensors, or to take 3 memref arguments (inputs, outputs, workspace) and return nothing; its type is '(memref<2xf32>, memref<2xf32>) -> ()'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 128
func.func @main(%x: memref<2xf32>, %y: memref<2xf32>) {
  return
}

// -----

// Buffer form: a workspace argument although the workspace is empty.
// expected-error @+1 {{'kiln_rt.entry_point' op expects 'main' to map 1 tensors to 1 tensors, or to take 2 memref arguments (inputs, outputs) and return nothing; its type is '(memref<2xf32>, memref<2xf32>, memref<64xi8>) -> ()'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<2xf32>, %y: memref<2xf32>, %ws: memref<64xi8>) {
  return
}

// -----

// Buffer form with the right count that still returns something.
// expected-error @+1 {{'kiln_rt.entry_point' op expects 'main' to map 1 tensors to 1 tensors, or to take 2 memref arguments (inputs, outputs) and return nothing; its type is '(memref<2xf32>, memref<2xf32>) -> memref<2xf32>'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<2xf32>, %y: memref<2xf32>) -> memref<2xf32> {
  return %x : memref<2xf32>
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op argument 0 of 'main' must be a static-shape memref with the identity layout, got 'memref<?x4xf32>'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<?x4xf32>, %y: memref<2x4xf32>) {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op argument 1 of 'main' must be a static-shape memref with the identity layout, got 'memref<2x4xf32, strided<[8, 1]>>'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<2x4xf32>, %y: memref<2x4xf32, strided<[8, 1]>>) {
  return
}

// -----

// Tensors where buffers are expected (the tensor form returns its outputs).
// expected-error @+1 {{'kiln_rt.entry_point' op argument 1 of 'main' must be a static-shape memref with the identity layout, got 'tensor<2xf32>'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<2xf32>, %y: tensor<2xf32>) {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op workspace argument must be memref<128xi8>, got 'memref<64xi8>'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 128
func.func @main(%x: memref<2xf32>, %ws: memref<64xi8>) {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op workspace argument must be memref<128xi8>, got 'memref<32xf32>'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 128
func.func @main(%x: memref<2xf32>, %ws: memref<32xf32>) {
  return
}

// -----

// expected-error @+1 {{'kiln_rt.entry_point' op workspace argument must be memref<128xi8>, got 'memref<2x64xi8>'}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 128
func.func @main(%x: memref<2xf32>, %ws: memref<2x64xi8>) {
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op offset 32 is not a non-negative multiple of 64}}
  %0 = kiln_rt.workspace_view %ws[32] : memref<256xi8> to memref<4xf32>
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op offset -64 is not a non-negative multiple of 64}}
  %0 = kiln_rt.workspace_view %ws[-64] : memref<256xi8> to memref<4xf32>
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // 16 x 4 bytes at 192 end at 256: fits. 17 x 4 do not.
  %0 = kiln_rt.workspace_view %ws[192] : memref<256xi8> to memref<16xf32>
  // expected-error @+1 {{'kiln_rt.workspace_view' op view of 68 bytes at offset 192 does not fit the workspace of 256 bytes}}
  %1 = kiln_rt.workspace_view %ws[192] : memref<256xi8> to memref<17xf32>
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op view of 64 bytes at offset 256 does not fit the workspace of 256 bytes}}
  %0 = kiln_rt.workspace_view %ws[256] : memref<256xi8> to memref<2x8xi32>
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // i1 elements take a byte each: 257 bytes.
  // expected-error @+1 {{'kiln_rt.workspace_view' op view of 257 bytes at offset 0 does not fit the workspace of 256 bytes}}
  %0 = kiln_rt.workspace_view %ws[0] : memref<256xi8> to memref<257xi1>
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op result must have the identity layout}}
  %0 = kiln_rt.workspace_view %ws[0] : memref<256xi8> to memref<2x4xf32, strided<[8, 1]>>
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op result must have the identity layout}}
  %0 = kiln_rt.workspace_view %ws[0] : memref<256xi8> to memref<2x4xf32, affine_map<(d0, d1) -> (d1, d0)>>
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op result #0 must be statically shaped memref of any type values, but got 'memref<?xf32>'}}
  %0 = kiln_rt.workspace_view %ws[0] : memref<256xi8> to memref<?xf32>
  return
}

// -----

func.func @view(%ws: memref<64xf32>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op operand #0 must be 1D memref of 8-bit signless integer values, but got 'memref<64xf32>'}}
  %0 = kiln_rt.workspace_view %ws[0] : memref<64xf32> to memref<4xf32>
  return
}

// -----

// Only ASCII letters, digits and underscores make a C identifier.
// expected-error @+1 {{'kiln_rt.entry_point' op name 'café' is not a C identifier}}
kiln_rt.entry_point @"café"(@main) inputs [] outputs [] workspace 0
func.func @main() {
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op result element type must be an integer or a float, got 'index'}}
  %0 = kiln_rt.workspace_view %ws[0] : memref<256xi8> to memref<16xindex>
  return
}

// -----

func.func @view(%ws: memref<256xi8>) {
  // expected-error @+1 {{'kiln_rt.workspace_view' op result element type must be an integer or a float, got 'vector<4xf32>'}}
  %0 = kiln_rt.workspace_view %ws[0] : memref<256xi8> to memref<2xvector<4xf32>>
  return
}
