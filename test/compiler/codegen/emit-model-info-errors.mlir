// RUN: kiln-opt --split-input-file --verify-diagnostics --kiln-rt-emit-model-info %s

// expected-error @+1 {{kiln-rt-emit-model-info: run kiln-rt-emit-entry-points first}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 0
llvm.func @main(%x: !llvm.ptr) {
  llvm.return
}

// -----

// Fewer recorded buffer types than inputs and outputs.
// expected-error @+1 {{kiln-rt-emit-model-info: run kiln-rt-emit-entry-points first}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 0 {kiln_rt.io_types = [memref<2xf32>]}
llvm.func @main(%x: !llvm.ptr, %y: !llvm.ptr) {
  llvm.return
}

// -----

// <name>_run must exist as an llvm.func (after conversion to LLVM).
// expected-error @+1 {{kiln-rt-emit-model-info: no llvm.func @m_run}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 0 {kiln_rt.io_types = [memref<2xf32>]}
llvm.func @main(%x: !llvm.ptr) {
  llvm.return
}

// -----

// expected-error @+1 {{kiln-rt-emit-model-info: element type 'i2' has no kiln_dtype}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 0 {kiln_rt.io_types = [memref<2xi2>]}
llvm.func @main(%x: !llvm.ptr) {
  llvm.return
}
llvm.func @m_run(%x: !llvm.ptr) -> i32 {
  %r = llvm.mlir.constant(0 : i32) : i32
  llvm.return %r : i32
}

// -----

// The recorded element type counts: complex has no kiln_dtype.
// expected-error @+1 {{kiln-rt-emit-model-info: element type 'complex<f32>' has no kiln_dtype}}
kiln_rt.entry_point @m(@main) inputs [] outputs ["y"] workspace 0 {kiln_rt.element_types = [complex<f32>], kiln_rt.io_types = [memref<2xf32>]}
llvm.func @main(%y: !llvm.ptr) {
  llvm.return
}
llvm.func @m_run(%y: !llvm.ptr) -> i32 {
  %r = llvm.mlir.constant(0 : i32) : i32
  llvm.return %r : i32
}
