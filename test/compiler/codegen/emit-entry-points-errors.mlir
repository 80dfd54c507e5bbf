// RUN: kiln-opt --split-input-file --verify-diagnostics --kiln-rt-emit-entry-points %s

// The model function must be bufferized into out-parameters and planned.
// expected-error @+1 {{kiln-rt-emit-entry-points: expects the bufferized, memory-planned model function}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<4xf32>) -> memref<4xf32> {
  return %x : memref<4xf32>
}

// -----

// An entry point whose function is already an llvm.func is rejected (this
// used to crash).
// expected-error @+1 {{kiln-rt-emit-entry-points: expects the bufferized, memory-planned model function}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 0
llvm.func @main(%x: !llvm.ptr) {
  llvm.return
}
