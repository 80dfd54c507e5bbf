// RUN: kiln-opt --split-input-file --kiln-rt-emit-entry-points %s | FileCheck %s

// kiln-rt-emit-entry-points adds `<name>_run`, which checks every pointer in
// argument order (NULL: status 1, KILN_ERROR_NULL_POINTER; a workspace not
// aligned to 64 bytes: status 3, KILN_ERROR_MISALIGNED), reports failures
// through kiln_set_last_error and otherwise calls the now private model
// function and returns 0 (KILN_OK); and `<name>_workspace_size`.

// CHECK:       kiln_rt.entry_point @net(@main) inputs ["x"] outputs ["y"] workspace 128
// CHECK-SAME:    kiln_rt.io_types = [memref<4xf32>, memref<2x2xf32>, memref<128xi8>]

// The model function loses its public visibility and argument names.
// CHECK-LABEL: func.func private @main
// CHECK-SAME:    (%{{[^:]+}}: memref<4xf32>, %{{[^:]+}}: memref<2x2xf32>, %{{[^:]+}}: memref<128xi8>) {

// CHECK-LABEL: func.func @net_run
// CHECK-SAME:    (%[[X:.+]]: memref<4xf32>, %[[Y:.+]]: memref<2x2xf32>, %[[WS:.+]]: memref<128xi8>) -> i32 {
// CHECK-NEXT:    %[[ZERO0:.+]] = arith.constant 0 : index
// CHECK-NEXT:    %[[PX:.+]] = memref.extract_aligned_pointer_as_index %[[X]] : memref<4xf32> -> index
// CHECK-NEXT:    %[[NX:.+]] = arith.cmpi eq, %[[PX]], %[[ZERO0]] : index
// CHECK-NEXT:    cf.cond_br %[[NX]], ^[[ERRX:.+]], ^[[OKX:[^ ]+]]
// CHECK-NEXT:  ^[[ERRX]]:
// CHECK-NEXT:    %[[MX:.+]] = llvm.mlir.addressof @__kiln_net_error_0_1 : !llvm.ptr
// CHECK-NEXT:    llvm.call @kiln_set_last_error(%[[MX]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    %[[C1X:.+]] = arith.constant 1 : i32
// CHECK-NEXT:    return %[[C1X]] : i32
// CHECK-NEXT:  ^[[OKX]]:
// CHECK-NEXT:    %[[ZERO1:.+]] = arith.constant 0 : index
// CHECK-NEXT:    %[[PY:.+]] = memref.extract_aligned_pointer_as_index %[[Y]] : memref<2x2xf32> -> index
// CHECK-NEXT:    %[[NY:.+]] = arith.cmpi eq, %[[PY]], %[[ZERO1]] : index
// CHECK-NEXT:    cf.cond_br %[[NY]], ^[[ERRY:.+]], ^[[OKY:[^ ]+]]
// CHECK-NEXT:  ^[[ERRY]]:
// CHECK-NEXT:    %[[MY:.+]] = llvm.mlir.addressof @__kiln_net_error_1_1 : !llvm.ptr
// CHECK-NEXT:    llvm.call @kiln_set_last_error(%[[MY]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    %[[C1Y:.+]] = arith.constant 1 : i32
// CHECK-NEXT:    return %[[C1Y]] : i32
// CHECK-NEXT:  ^[[OKY]]:
// CHECK-NEXT:    %[[ZERO2:.+]] = arith.constant 0 : index
// CHECK-NEXT:    %[[PW:.+]] = memref.extract_aligned_pointer_as_index %[[WS]] : memref<128xi8> -> index
// CHECK-NEXT:    %[[NW:.+]] = arith.cmpi eq, %[[PW]], %[[ZERO2]] : index
// CHECK-NEXT:    cf.cond_br %[[NW]], ^[[ERRW:.+]], ^[[OKW:[^ ]+]]
// CHECK-NEXT:  ^[[ERRW]]:
// CHECK-NEXT:    %[[MW:.+]] = llvm.mlir.addressof @__kiln_net_error_2_1 : !llvm.ptr
// CHECK-NEXT:    llvm.call @kiln_set_last_error(%[[MW]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    %[[C1W:.+]] = arith.constant 1 : i32
// CHECK-NEXT:    return %[[C1W]] : i32
// The workspace alone is also checked for 64-byte alignment.
// CHECK-NEXT:  ^[[OKW]]:
// CHECK-NEXT:    %[[C64:.+]] = arith.constant 64 : index
// CHECK-NEXT:    %[[REM:.+]] = arith.remui %[[PW]], %[[C64]] : index
// CHECK-NEXT:    %[[ZERO3:.+]] = arith.constant 0 : index
// CHECK-NEXT:    %[[MIS:.+]] = arith.cmpi ne, %[[REM]], %[[ZERO3]] : index
// CHECK-NEXT:    cf.cond_br %[[MIS]], ^[[ERRA:.+]], ^[[CALLBB:[^ ]+]]
// CHECK-NEXT:  ^[[ERRA]]:
// CHECK-NEXT:    %[[MA:.+]] = llvm.mlir.addressof @__kiln_net_error_2_3 : !llvm.ptr
// CHECK-NEXT:    llvm.call @kiln_set_last_error(%[[MA]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    %[[C3:.+]] = arith.constant 3 : i32
// CHECK-NEXT:    return %[[C3]] : i32
// CHECK-NEXT:  ^[[CALLBB]]:
// CHECK-NEXT:    call @main(%[[X]], %[[Y]], %[[WS]]) : (memref<4xf32>, memref<2x2xf32>, memref<128xi8>) -> ()
// CHECK-NEXT:    %[[OK:.+]] = arith.constant 0 : i32
// CHECK-NEXT:    return %[[OK]] : i32
// CHECK-NEXT:  }

// CHECK-LABEL: func.func @net_workspace_size() -> i64 {
// CHECK-NEXT:    %[[SIZE:.+]] = arith.constant 128 : i64
// CHECK-NEXT:    return %[[SIZE]] : i64

// CHECK:       llvm.func @kiln_set_last_error(!llvm.ptr)
// CHECK-DAG:   llvm.mlir.global internal constant @__kiln_net_error_0_1("net_run: input 'x' is NULL\00")
// CHECK-DAG:   llvm.mlir.global internal constant @__kiln_net_error_1_1("net_run: output 'y' is NULL\00")
// CHECK-DAG:   llvm.mlir.global internal constant @__kiln_net_error_2_1("net_run: workspace (128 bytes) is NULL\00")
// CHECK-DAG:   llvm.mlir.global internal constant @__kiln_net_error_2_3("net_run: workspace (128 bytes) is not aligned to 64 bytes\00")
kiln_rt.entry_point @net(@main) inputs ["x"] outputs ["y"] workspace 128
func.func @main(%x: memref<4xf32> {kiln.name = "x"}, %y: memref<2x2xf32> {kiln.name = "y"},
                %ws: memref<128xi8> {kiln.name = "workspace"}) {
  %v = kiln_rt.workspace_view %ws[64] : memref<128xi8> to memref<2x2xf32>
  %flat = memref.expand_shape %x [[0, 1]] output_shape [2, 2] : memref<4xf32> into memref<2x2xf32>
  memref.copy %flat, %v : memref<2x2xf32> to memref<2x2xf32>
  memref.copy %v, %y : memref<2x2xf32> to memref<2x2xf32>
  return
}

// -----

// Without a workspace: one null check per input and output, no alignment
// check, and a workspace size of 0. `add_run` still ends with the workspace
// pointer the header declares; nothing reads it.
// CHECK:       kiln_rt.entry_point @add(@model) inputs ["a", "b"] outputs ["sum"] workspace 0
// CHECK-SAME:    kiln_rt.io_types = [memref<2x3xf32>, memref<2x3xf32>, memref<2x3xi8>]
// CHECK-LABEL: func.func private @model
// CHECK-LABEL: func.func @add_run
// CHECK-SAME:    (%[[A:.+]]: memref<2x3xf32>, %[[B:.+]]: memref<2x3xf32>, %[[S:.+]]: memref<2x3xi8>, %{{.+}}: memref<0xi8>) -> i32 {
// CHECK:         memref.extract_aligned_pointer_as_index %[[A]]
// CHECK:         llvm.mlir.addressof @__kiln_add_error_0_1
// CHECK:         memref.extract_aligned_pointer_as_index %[[B]]
// CHECK:         llvm.mlir.addressof @__kiln_add_error_1_1
// CHECK:         memref.extract_aligned_pointer_as_index %[[S]]
// CHECK:         llvm.mlir.addressof @__kiln_add_error_2_1
// CHECK-NOT:     arith.remui
// CHECK:         call @model(%[[A]], %[[B]], %[[S]]) : (memref<2x3xf32>, memref<2x3xf32>, memref<2x3xi8>) -> ()
// CHECK-LABEL: func.func @add_workspace_size() -> i64 {
// CHECK-NEXT:    %[[SIZE:.+]] = arith.constant 0 : i64
// CHECK-NEXT:    return %[[SIZE]] : i64
// CHECK-DAG:   llvm.mlir.global internal constant @__kiln_add_error_0_1("add_run: input 'a' is NULL\00")
// CHECK-DAG:   llvm.mlir.global internal constant @__kiln_add_error_1_1("add_run: input 'b' is NULL\00")
// CHECK-DAG:   llvm.mlir.global internal constant @__kiln_add_error_2_1("add_run: output 'sum' is NULL\00")
// CHECK-NOT:   llvm.mlir.global
kiln_rt.entry_point @add(@model) inputs ["a", "b"] outputs ["sum"] workspace 0
func.func @model(%a: memref<2x3xf32>, %b: memref<2x3xf32>, %s: memref<2x3xi8>) {
  return
}

// -----

// kiln_set_last_error is declared once for several entry points.
// CHECK-LABEL: func.func @one_run
// CHECK-LABEL: func.func @one_workspace_size
// CHECK-LABEL: func.func @two_run
// CHECK:         call @f2(
// CHECK-LABEL: func.func @two_workspace_size
// CHECK-NEXT:    arith.constant 64 : i64
// CHECK:       llvm.func @kiln_set_last_error
// CHECK-NOT:   llvm.func @kiln_set_last_error
kiln_rt.entry_point @one(@f1) inputs ["x"] outputs [] workspace 0
kiln_rt.entry_point @two(@f2) inputs ["x"] outputs [] workspace 64
func.func @f1(%x: memref<f32>) {
  return
}
func.func @f2(%x: memref<f32>, %ws: memref<64xi8>) {
  return
}
