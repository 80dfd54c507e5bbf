// RUN: kiln-opt --split-input-file --verify-diagnostics --kiln-plan-memory %s

kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 0
func.func @main(%x: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  // expected-error @+1 {{kiln-plan-memory: cannot place a buffer of type 'memref<?xf32>' (needs a static shape, the identity layout and integer or float elements)}}
  %a = memref.alloc(%n) : memref<?xf32>
  memref.copy %x, %a : memref<?xf32> to memref<?xf32>
  return
}

// -----

kiln_rt.entry_point @m(@main) inputs [] outputs [] workspace 0
func.func @main() {
  // expected-error @+1 {{kiln-plan-memory: cannot place a buffer of type 'memref<4x4xf32, strided<[1, 4]>>' (needs a static shape, the identity layout and integer or float elements)}}
  %a = memref.alloc() : memref<4x4xf32, strided<[1, 4]>>
  return
}

// -----

kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 0
func.func @main(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error @+1 {{kiln-plan-memory: allocation inside a nested region}}
    %a = memref.alloc() : memref<4xf32>
    memref.copy %x, %a : memref<4xf32> to memref<4xf32>
  }
  return
}

// -----

// expected-error @+1 {{kiln-plan-memory: entry point without a body}}
kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 0
func.func private @main(memref<4xf32>)

// -----

kiln_rt.entry_point @m(@main) inputs ["x"] outputs [] workspace 0
// expected-error @+1 {{kiln-plan-memory: expects a single-block body}}
func.func @main(%x: memref<4xf32>) {
  cf.br ^next
^next:
  %a = memref.alloc() : memref<4xf32>
  return
}

// -----

// Buffer sizes come from element bit widths, which index has not.
kiln_rt.entry_point @m(@main) inputs [] outputs [] workspace 0
func.func @main() {
  // expected-error @+1 {{kiln-plan-memory: cannot place a buffer of type 'memref<16xindex>' (needs a static shape, the identity layout and integer or float elements)}}
  %a = memref.alloc() : memref<16xindex>
  return
}
