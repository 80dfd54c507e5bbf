// RUN: kiln-opt --split-input-file --kiln-plan-memory %s | FileCheck %s

// kiln-plan-memory places every memref.alloc of an entry point's function at
// a fixed offset of one workspace argument. A buffer lives from its alloc to
// the last top-level op that uses it or any memref derived from it (op
// indices below count the top-level ops of the body from 0). Buffers take
// their size rounded up to 64 bytes and are placed largest first (ties in
// program order) at the lowest 64-aligned offset that overlaps no placed
// buffer live at the same time. The workspace size is the highest end.

// A chain of copies: each buffer dies two ops after the next one is born, so
// the first and the third share memory.
//   a: [0, 3] 256 B -> 0;  b: [2, 5] 256 B -> 256 (a is live);
//   c: [4, 6] 256 B -> 0   (only b is live);  workspace 512.
// CHECK:       kiln_rt.entry_point @chain(@main) inputs ["x"] outputs ["y"] workspace 512
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.+]]: memref<64xf32>, %[[Y:.+]]: memref<64xf32>, %[[WS:.+]]: memref<512xi8> {kiln.name = "workspace"}) {
// CHECK-NEXT:    %[[A:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<512xi8> to memref<64xf32>
// CHECK-NEXT:    memref.copy %[[X]], %[[A]]
// CHECK-NEXT:    %[[B:.+]] = kiln_rt.workspace_view %[[WS]][256] : memref<512xi8> to memref<64xf32>
// CHECK-NEXT:    memref.copy %[[A]], %[[B]]
// CHECK-NEXT:    %[[C:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<512xi8> to memref<64xf32>
// CHECK-NEXT:    memref.copy %[[B]], %[[C]]
// CHECK-NEXT:    memref.copy %[[C]], %[[Y]]
// CHECK-NEXT:    return
kiln_rt.entry_point @chain(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<64xf32>, %y: memref<64xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  memref.copy %x, %a : memref<64xf32> to memref<64xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  memref.copy %a, %b : memref<64xf32> to memref<64xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  memref.copy %b, %c : memref<64xf32> to memref<64xf32>
  memref.copy %c, %y : memref<64xf32> to memref<64xf32>
  return
}

// -----

// Largest first, lowest free offset, holes reused.
//   g: [0, 4]  256 B (its subview is read at 4) -> 0
//   h: [2, 10] 128 B, overlaps g                 -> 256
//   j: [5, 10] 128 B, overlaps h only            -> 0
//   i: [7, 11]  64 B, overlaps h (256..384) and j (0..128) -> 128
// workspace 384.
// CHECK:       kiln_rt.entry_point @pack(@main) inputs ["x"] outputs ["y"] workspace 384
// CHECK-LABEL: func.func @main
// CHECK-SAME:    %[[WS:[^ ]+]]: memref<384xi8> {kiln.name = "workspace"})
// CHECK-NEXT:    %[[G:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<384xi8> to memref<64xf32>
// CHECK:         %[[H:.+]] = kiln_rt.workspace_view %[[WS]][256] : memref<384xi8> to memref<32xf32>
// CHECK-NEXT:    memref.subview %[[G]][0] [32] [1]
// CHECK:         %[[J:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<384xi8> to memref<32xf32>
// CHECK-NEXT:    memref.copy %[[H]], %[[J]]
// CHECK-NEXT:    %[[I:.+]] = kiln_rt.workspace_view %[[WS]][128] : memref<384xi8> to memref<16xf32>
// CHECK:         linalg.add ins(%{{.+}}, %{{.+}} : memref<16xf32, strided<[1], offset: 16>>, memref<16xf32, strided<[1]>>) outs(%[[I]] : memref<16xf32>)
kiln_rt.entry_point @pack(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<64xf32>, %y: memref<16xf32>) {
  %g = memref.alloc() : memref<64xf32>
  memref.copy %x, %g : memref<64xf32> to memref<64xf32>
  %h = memref.alloc() : memref<32xf32>
  %gs = memref.subview %g[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
  memref.copy %gs, %h : memref<32xf32, strided<[1]>> to memref<32xf32>
  %j = memref.alloc() : memref<32xf32>
  memref.copy %h, %j : memref<32xf32> to memref<32xf32>
  %i = memref.alloc() : memref<16xf32>
  %hs = memref.subview %h[16] [16] [1] : memref<32xf32> to memref<16xf32, strided<[1], offset: 16>>
  %js = memref.subview %j[0] [16] [1] : memref<32xf32> to memref<16xf32, strided<[1]>>
  linalg.add ins(%hs, %js : memref<16xf32, strided<[1], offset: 16>>, memref<16xf32, strided<[1]>>)
             outs(%i : memref<16xf32>)
  memref.copy %i, %y : memref<16xf32> to memref<16xf32>
  return
}

// -----

// Views keep their buffer alive: %a is last used directly by the
// collapse_shape (2), but the subview of that is read at 5, so %b (born at 4)
// may not share its memory. %c (born at 7) may.
//   a: [0, 5] 64 B -> 0;  b: [4, 8] 64 B -> 64;  c: [7, 9] 64 B -> 0.
// CHECK:       kiln_rt.entry_point @alias(@main) inputs ["x"] outputs ["y"] workspace 128
// CHECK-LABEL: func.func @main
// CHECK-SAME:    %[[WS:[^ ]+]]: memref<128xi8> {kiln.name = "workspace"})
// CHECK-NEXT:    %[[A:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<128xi8> to memref<4x4xf32>
// CHECK-NEXT:    memref.copy %{{.+}}, %[[A]]
// CHECK-NEXT:    %[[FLAT:.+]] = memref.collapse_shape %[[A]] {{\[\[}}0, 1]] : memref<4x4xf32> into memref<16xf32>
// CHECK-NEXT:    %[[TAIL:.+]] = memref.subview %[[FLAT]][12] [4] [1]
// CHECK-NEXT:    %[[B:.+]] = kiln_rt.workspace_view %[[WS]][64] : memref<128xi8> to memref<4xf32>
// CHECK-NEXT:    memref.copy %[[TAIL]], %[[B]]
// CHECK-NEXT:    %[[C:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<128xi8> to memref<4xf32>
// CHECK-NEXT:    memref.copy %[[B]], %[[C]]
kiln_rt.entry_point @alias(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<4x4xf32>, %y: memref<4xf32>) {
  %a = memref.alloc() : memref<4x4xf32>
  memref.copy %x, %a : memref<4x4xf32> to memref<4x4xf32>
  %flat = memref.collapse_shape %a [[0, 1]] : memref<4x4xf32> into memref<16xf32>
  %tail = memref.subview %flat[12] [4] [1] : memref<16xf32> to memref<4xf32, strided<[1], offset: 12>>
  %b = memref.alloc() : memref<4xf32>
  memref.copy %tail, %b : memref<4xf32, strided<[1], offset: 12>> to memref<4xf32>
  %c = memref.alloc() : memref<4xf32>
  memref.copy %b, %c : memref<4xf32> to memref<4xf32>
  memref.copy %c, %y : memref<4xf32> to memref<4xf32>
  return
}

// -----

// A use inside a loop counts at the loop, a top-level op.
//   a: [3, 6] -> 0;  b: [5, 8] -> 64;  c: [7, 9] -> 0 (a is dead by then).
// CHECK:       kiln_rt.entry_point @loop(@main) inputs ["x"] outputs ["y"] workspace 128
// CHECK-LABEL: func.func @main
// CHECK:         %[[A:.+]] = kiln_rt.workspace_view %{{.+}}[0] : memref<128xi8> to memref<8xf32>
// CHECK:         %[[B:.+]] = kiln_rt.workspace_view %{{.+}}[64] : memref<128xi8> to memref<8xf32>
// CHECK-NEXT:    scf.for
// CHECK-NEXT:      memref.load %[[A]]
// CHECK-NEXT:      memref.store %{{.+}}, %[[B]]
// CHECK:         %[[C:.+]] = kiln_rt.workspace_view %{{.+}}[0] : memref<128xi8> to memref<8xf32>
// CHECK-NEXT:    memref.copy %[[B]], %[[C]]
kiln_rt.entry_point @loop(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<8xf32>, %y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %a = memref.alloc() : memref<8xf32>
  memref.copy %x, %a : memref<8xf32> to memref<8xf32>
  %b = memref.alloc() : memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %a[%i] : memref<8xf32>
    memref.store %v, %b[%i] : memref<8xf32>
  }
  %c = memref.alloc() : memref<8xf32>
  memref.copy %b, %c : memref<8xf32> to memref<8xf32>
  memref.copy %c, %y : memref<8xf32> to memref<8xf32>
  return
}

// -----

// Deallocations are erased and do not lengthen lifetimes (the caller owns
// the workspace): a: [0, 3] -> 0, b: [2, 5] -> 64, c: [4, 6] -> 0.
// CHECK:       kiln_rt.entry_point @dealloc(@main) inputs ["x"] outputs ["y"] workspace 128
// CHECK-LABEL: func.func @main
// CHECK:         kiln_rt.workspace_view %{{.+}}[0] : memref<128xi8> to memref<16xf32>
// CHECK:         kiln_rt.workspace_view %{{.+}}[64] : memref<128xi8> to memref<16xf32>
// CHECK:         kiln_rt.workspace_view %{{.+}}[0] : memref<128xi8> to memref<16xf32>
// CHECK-NOT:     memref.dealloc
// CHECK:         return
kiln_rt.entry_point @dealloc(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<16xf32>, %y: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %x, %a : memref<16xf32> to memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  memref.copy %a, %b : memref<16xf32> to memref<16xf32>
  %c = memref.alloc() : memref<16xf32>
  memref.copy %b, %c : memref<16xf32> to memref<16xf32>
  memref.copy %c, %y : memref<16xf32> to memref<16xf32>
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  memref.dealloc %c : memref<16xf32>
  return
}

// -----

// Sizes round up to 64 bytes (i1 takes a byte, an empty buffer still 64):
// f32 4 B, 3xi1 3 B, 17xf32 68 B, 0xf32 0 B, 2x3xbf16 12 B, 16xi64 128 B.
// All are live at the call: 128-byte buffers first, then in program order.
//   c -> 0, f -> 128, a -> 256, b -> 320, d -> 384, e -> 448; workspace 512.
// CHECK:       kiln_rt.entry_point @sizes(@main) inputs [] outputs [] workspace 512
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[WS:.+]]: memref<512xi8> {kiln.name = "workspace"})
// CHECK-NEXT:    %[[A:.+]] = kiln_rt.workspace_view %[[WS]][256] : memref<512xi8> to memref<f32>
// CHECK-NEXT:    %[[B:.+]] = kiln_rt.workspace_view %[[WS]][320] : memref<512xi8> to memref<3xi1>
// CHECK-NEXT:    %[[C:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<512xi8> to memref<17xf32>
// CHECK-NEXT:    %[[D:.+]] = kiln_rt.workspace_view %[[WS]][384] : memref<512xi8> to memref<0xf32>
// CHECK-NEXT:    %[[E:.+]] = kiln_rt.workspace_view %[[WS]][448] : memref<512xi8> to memref<2x3xbf16>
// CHECK-NEXT:    %[[F:.+]] = kiln_rt.workspace_view %[[WS]][128] : memref<512xi8> to memref<16xi64>
// CHECK-NEXT:    call @sink(%[[A]], %[[B]], %[[C]], %[[D]], %[[E]], %[[F]])
kiln_rt.entry_point @sizes(@main) inputs [] outputs [] workspace 0
func.func private @sink(memref<f32>, memref<3xi1>, memref<17xf32>, memref<0xf32>, memref<2x3xbf16>, memref<16xi64>)
func.func @main() {
  %a = memref.alloc() : memref<f32>
  %b = memref.alloc() : memref<3xi1>
  %c = memref.alloc() : memref<17xf32>
  %d = memref.alloc() : memref<0xf32>
  %e = memref.alloc() : memref<2x3xbf16>
  %f = memref.alloc() : memref<16xi64>
  call @sink(%a, %b, %c, %d, %e, %f) : (memref<f32>, memref<3xi1>, memref<17xf32>, memref<0xf32>, memref<2x3xbf16>, memref<16xi64>) -> ()
  return
}

// -----

// Nothing to place: no workspace argument, a workspace of 0. Functions that
// are not entry points are left alone.
// CHECK:       kiln_rt.entry_point @none(@main) inputs ["x"] outputs ["y"] workspace 0
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.+]]: memref<4xf32>, %[[Y:.+]]: memref<4xf32>) {
// CHECK-NEXT:    memref.copy %[[X]], %[[Y]]
// CHECK-LABEL: func.func @helper
// CHECK-SAME:    () {
// CHECK-NEXT:    memref.alloc() : memref<4xf32>
kiln_rt.entry_point @none(@main) inputs ["x"] outputs ["y"] workspace 0
func.func @main(%x: memref<4xf32>, %y: memref<4xf32>) {
  memref.copy %x, %y : memref<4xf32> to memref<4xf32>
  return
}
func.func @helper() {
  %a = memref.alloc() : memref<4xf32>
  return
}
