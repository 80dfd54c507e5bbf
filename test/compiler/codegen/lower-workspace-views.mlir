// RUN: kiln-opt --allow-unregistered-dialect --kiln-rt-lower-workspace-views %s | FileCheck %s

// Each kiln_rt.workspace_view becomes a memref.view of the workspace at its
// byte offset; the entry point is left for later passes.

// CHECK:       kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 448
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:.+]]: memref<8x4xf32>, %[[Y:.+]]: memref<8x4xf32>, %[[WS:.+]]: memref<448xi8>)
// CHECK-NEXT:    %[[OFF0:.+]] = arith.constant 0 : index
// CHECK-NEXT:    %[[A:.+]] = memref.view %[[WS]][%[[OFF0]]][] : memref<448xi8> to memref<8x4xf32>
// CHECK-NEXT:    memref.copy %[[X]], %[[A]]
// CHECK-NEXT:    %[[OFF128:.+]] = arith.constant 128 : index
// CHECK-NEXT:    %[[B:.+]] = memref.view %[[WS]][%[[OFF128]]][] : memref<448xi8> to memref<8x4xf32>
// CHECK-NEXT:    memref.copy %[[A]], %[[B]]
// CHECK-NEXT:    %[[OFF384:.+]] = arith.constant 384 : index
// CHECK-NEXT:    %[[C:.+]] = memref.view %[[WS]][%[[OFF384]]][] : memref<448xi8> to memref<i1>
// CHECK-NEXT:    %[[OFF256:.+]] = arith.constant 256 : index
// CHECK-NEXT:    %[[D:.+]] = memref.view %[[WS]][%[[OFF256]]][] : memref<448xi8> to memref<2x4x8xi8>
// CHECK-NEXT:    memref.copy %[[B]], %[[Y]]
// CHECK-NEXT:    return
// CHECK-NOT:   kiln_rt.workspace_view
kiln_rt.entry_point @m(@main) inputs ["x"] outputs ["y"] workspace 448
func.func @main(%x: memref<8x4xf32>, %y: memref<8x4xf32>, %ws: memref<448xi8>) {
  %a = kiln_rt.workspace_view %ws[0] : memref<448xi8> to memref<8x4xf32>
  memref.copy %x, %a : memref<8x4xf32> to memref<8x4xf32>
  %b = kiln_rt.workspace_view %ws[128] : memref<448xi8> to memref<8x4xf32>
  memref.copy %a, %b : memref<8x4xf32> to memref<8x4xf32>
  %c = kiln_rt.workspace_view %ws[384] : memref<448xi8> to memref<i1>
  %d = kiln_rt.workspace_view %ws[256] : memref<448xi8> to memref<2x4x8xi8>
  memref.copy %b, %y : memref<8x4xf32> to memref<8x4xf32>
  return
}

// Views anywhere in the module are lowered, nested ones included.
// CHECK-LABEL: func.func @nested
// CHECK-SAME:    (%[[WS:.+]]: memref<?xi8>, %[[COND:.+]]: i1)
// CHECK-NEXT:    scf.if %[[COND]] {
// CHECK-NEXT:      %[[OFF:.+]] = arith.constant 64 : index
// CHECK-NEXT:      %[[V:.+]] = memref.view %[[WS]][%[[OFF]]][] : memref<?xi8> to memref<16xf32>
// CHECK-NEXT:      "test.use"(%[[V]])
func.func @nested(%ws: memref<?xi8>, %cond: i1) {
  scf.if %cond {
    %v = kiln_rt.workspace_view %ws[64] : memref<?xi8> to memref<16xf32>
    "test.use"(%v) : (memref<16xf32>) -> ()
  }
  return
}
