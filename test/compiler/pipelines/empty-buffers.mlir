// RUN: kiln-opt --kiln-cpu-to-llvm-pipeline %s \
// RUN:   | FileCheck %s --implicit-check-not=memref. --implicit-check-not=func.func

// A model with an input of shape 2x0x4 (reduced over the empty axis into
// its identity, 0) and an empty output of shape 3x0 reaches the LLVM
// dialect with bare pointers. It used to stop in convert-func-to-llvm
// ("'llvm.call' op 'main' does not reference a valid LLVM function"): the
// outer strides of memref<2x0x4xf32> are dynamic, which the bare-pointer
// calling convention rejects (kiln-flatten-empty-buffers).

// CHECK-LABEL: llvm.func internal @main
// CHECK-SAME:    (%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK:         llvm.store %{{.+}}, %{{.+}} : f32, !llvm.ptr
// CHECK:         llvm.return
// CHECK-LABEL: llvm.func @m_run
// CHECK-SAME:    (%[[X:[^:]+]]: !llvm.ptr, %[[Z:[^:]+]]: !llvm.ptr, %[[Y:[^:]+]]: !llvm.ptr, %[[E:[^:]+]]: !llvm.ptr, %{{[^:]+}}: !llvm.ptr) -> i32
// CHECK:         llvm.call @main(%[[X]], %[[Z]], %[[Y]], %[[E]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-LABEL: llvm.func @m_run_generic
// CHECK:         llvm.call @m_run(

#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#red = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
module {
  kiln_rt.entry_point @m(@main) inputs ["x", "z"] outputs ["y", "e"] workspace 0 {kiln_rt.element_types = [f32, f32, f32, f32]}
  func.func @main(%x: memref<2x0x4xf32> {kiln.name = "x"}, %z: memref<3x0xf32> {kiln.name = "z"}, %y: memref<2x1x4xf32> {kiln.name = "y"}, %e: memref<3x0xf32> {kiln.name = "e"}) {
    %zero = arith.constant 0.000000e+00 : f32
    linalg.fill ins(%zero : f32) outs(%y : memref<2x1x4xf32>)
    linalg.generic {indexing_maps = [#map, #red], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x : memref<2x0x4xf32>) outs(%y : memref<2x1x4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %0 = arith.addf %in, %out : f32
      linalg.yield %0 : f32
    }
    memref.copy %z, %e : memref<3x0xf32> to memref<3x0xf32>
    return
  }
}
