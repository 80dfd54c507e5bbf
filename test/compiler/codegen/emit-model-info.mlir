// RUN: kiln-opt --split-input-file --kiln-rt-emit-model-info %s | FileCheck %s

// kiln-rt-emit-model-info runs on the LLVM dialect, after
// kiln-rt-emit-entry-points recorded the buffer types (kiln_rt.io_types) and
// <name>_run was converted. For each entry point it emits the constant
// kiln_model_info of runtime.h:
//   { abi_version, num_inputs, num_outputs, reserved, name, inputs, outputs,
//     workspace_size, workspace_alignment, run }
// with kiln_tensor_info { name, dtype, rank, shape } tables (dtypes numbered
// as ONNX's TensorProto.DataType), <name>_info returning it, and the
// trampoline <name>_run_generic; the entry point is erased and the model
// function becomes internal.

// Element types come from kiln_rt.element_types where recorded (ui8 -> 2),
// from the buffers otherwise; the workspace is neither input nor output.
// CHECK-NOT:   kiln_rt.entry_point
// CHECK-LABEL: llvm.func internal @main(
// CHECK-LABEL: llvm.func @net_run(

// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_inputs0_name("image\00")
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_inputs0_shape() {{.*}} : !llvm.array<4 x i64> {
// CHECK-NEXT:    %[[U:.+]] = llvm.mlir.undef : !llvm.array<4 x i64>
// CHECK-NEXT:    %[[D0:.+]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT:    %[[S0:.+]] = llvm.insertvalue %[[D0]], %[[U]][0]
// CHECK-NEXT:    %[[D1:.+]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-NEXT:    %[[S1:.+]] = llvm.insertvalue %[[D1]], %[[S0]][1]
// CHECK-NEXT:    %[[D2:.+]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-NEXT:    %[[S2:.+]] = llvm.insertvalue %[[D2]], %[[S1]][2]
// CHECK-NEXT:    %[[D3:.+]] = llvm.mlir.constant(5 : i64) : i64
// CHECK-NEXT:    %[[S3:.+]] = llvm.insertvalue %[[D3]], %[[S2]][3]
// CHECK-NEXT:    llvm.return %[[S3]] : !llvm.array<4 x i64>
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_inputs1_name("mask\00")
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_inputs1_shape() {{.*}} : !llvm.array<1 x i64> {
// CHECK-NEXT:    %[[U:.+]] = llvm.mlir.undef : !llvm.array<1 x i64>
// CHECK-NEXT:    %[[D0:.+]] = llvm.mlir.constant(4 : i64) : i64
// CHECK-NEXT:    %[[S0:.+]] = llvm.insertvalue %[[D0]], %[[U]][0]
// CHECK-NEXT:    llvm.return %[[S0]] : !llvm.array<1 x i64>

// The inputs table: image is f32 (1) of rank 4, mask ui8 (2) of rank 1.
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_inputs() {{.*}} : !llvm.array<2 x struct<(ptr, i32, i32, ptr)>> {
// CHECK-NEXT:    %[[T:.+]] = llvm.mlir.undef
// CHECK-NEXT:    %[[N0:.+]] = llvm.mlir.addressof @__kiln_net_inputs0_name : !llvm.ptr
// CHECK-NEXT:    %[[DT0:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    %[[R0:.+]] = llvm.mlir.constant(4 : i32) : i32
// CHECK-NEXT:    %[[SH0:.+]] = llvm.mlir.addressof @__kiln_net_inputs0_shape : !llvm.ptr
// CHECK-NEXT:    %[[T1:.+]] = llvm.insertvalue %[[N0]], %[[T]][0, 0]
// CHECK-NEXT:    %[[T2:.+]] = llvm.insertvalue %[[DT0]], %[[T1]][0, 1]
// CHECK-NEXT:    %[[T3:.+]] = llvm.insertvalue %[[R0]], %[[T2]][0, 2]
// CHECK-NEXT:    %[[T4:.+]] = llvm.insertvalue %[[SH0]], %[[T3]][0, 3]
// CHECK-NEXT:    %[[N1:.+]] = llvm.mlir.addressof @__kiln_net_inputs1_name : !llvm.ptr
// CHECK-NEXT:    %[[DT1:.+]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    %[[R1:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    %[[SH1:.+]] = llvm.mlir.addressof @__kiln_net_inputs1_shape : !llvm.ptr
// CHECK-NEXT:    %[[T5:.+]] = llvm.insertvalue %[[N1]], %[[T4]][1, 0]
// CHECK-NEXT:    %[[T6:.+]] = llvm.insertvalue %[[DT1]], %[[T5]][1, 1]
// CHECK-NEXT:    %[[T7:.+]] = llvm.insertvalue %[[R1]], %[[T6]][1, 2]
// CHECK-NEXT:    %[[T8:.+]] = llvm.insertvalue %[[SH1]], %[[T7]][1, 3]
// CHECK-NEXT:    llvm.return %[[T8]]

// A rank-0 output has an empty shape.
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_outputs0_name("score\00")
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_outputs0_shape() {{.*}} : !llvm.array<0 x i64> {
// CHECK-NEXT:    %[[U:.+]] = llvm.mlir.undef : !llvm.array<0 x i64>
// CHECK-NEXT:    llvm.return %[[U]] : !llvm.array<0 x i64>
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_outputs1_name("label\00")
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_outputs1_shape() {{.*}} : !llvm.array<2 x i64> {
// CHECK-NEXT:    %[[U:.+]] = llvm.mlir.undef : !llvm.array<2 x i64>
// CHECK-NEXT:    %[[D0:.+]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-NEXT:    %[[S0:.+]] = llvm.insertvalue %[[D0]], %[[U]][0]
// CHECK-NEXT:    %[[D1:.+]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT:    %[[S1:.+]] = llvm.insertvalue %[[D1]], %[[S0]][1]
// CHECK-NEXT:    llvm.return %[[S1]] : !llvm.array<2 x i64>

// The outputs table: score is f32 (1) of rank 0, label i64 (7) of rank 2.
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_outputs() {{.*}} : !llvm.array<2 x struct<(ptr, i32, i32, ptr)>> {
// CHECK:         llvm.mlir.addressof @__kiln_net_outputs0_name
// CHECK-NEXT:    llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    llvm.mlir.addressof @__kiln_net_outputs0_shape
// CHECK:         llvm.mlir.addressof @__kiln_net_outputs1_name
// CHECK-NEXT:    llvm.mlir.constant(7 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    llvm.mlir.addressof @__kiln_net_outputs1_shape

// int net_run_generic(const void *const *in, void *const *out, void *ws):
// loads in[0], in[1], out[0], out[1] and passes the workspace through.
// CHECK-LABEL: llvm.func @net_run_generic
// CHECK-SAME:    (%[[IN:.+]]: !llvm.ptr, %[[OUT:.+]]: !llvm.ptr, %[[WS:.+]]: !llvm.ptr) -> i32 {
// CHECK-NEXT:    %[[G0:.+]] = llvm.getelementptr %[[IN]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[I0:.+]] = llvm.load %[[G0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[G1:.+]] = llvm.getelementptr %[[IN]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[I1:.+]] = llvm.load %[[G1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[G2:.+]] = llvm.getelementptr %[[OUT]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[O0:.+]] = llvm.load %[[G2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[G3:.+]] = llvm.getelementptr %[[OUT]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[O1:.+]] = llvm.load %[[G3]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[ST:.+]] = llvm.call @net_run(%[[I0]], %[[I1]], %[[O0]], %[[O1]], %[[WS]])
// CHECK-NEXT:    llvm.return %[[ST]] : i32

// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_name("net\00")
// abi 1, 2 inputs, 2 outputs, reserved 0, workspace 192 bytes aligned to 64.
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_net_info() {{.*}} : !llvm.struct<(i32, i32, i32, i32, ptr, ptr, ptr, i64, i64, ptr)> {
// CHECK-NEXT:    %[[ABI:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    %[[NIN:.+]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    %[[NOUT:.+]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    %[[RES:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:    %[[NAME:.+]] = llvm.mlir.addressof @__kiln_net_name : !llvm.ptr
// CHECK-NEXT:    %[[INS:.+]] = llvm.mlir.addressof @__kiln_net_inputs : !llvm.ptr
// CHECK-NEXT:    %[[OUTS:.+]] = llvm.mlir.addressof @__kiln_net_outputs : !llvm.ptr
// CHECK-NEXT:    %[[WSZ:.+]] = llvm.mlir.constant(192 : i64) : i64
// CHECK-NEXT:    %[[ALIGN:.+]] = llvm.mlir.constant(64 : i64) : i64
// CHECK-NEXT:    %[[RUNFN:.+]] = llvm.mlir.addressof @net_run_generic : !llvm.ptr
// CHECK-NEXT:    %[[I:.+]] = llvm.mlir.undef
// CHECK-NEXT:    %[[F0:.+]] = llvm.insertvalue %[[ABI]], %[[I]][0]
// CHECK-NEXT:    %[[F1:.+]] = llvm.insertvalue %[[NIN]], %[[F0]][1]
// CHECK-NEXT:    %[[F2:.+]] = llvm.insertvalue %[[NOUT]], %[[F1]][2]
// CHECK-NEXT:    %[[F3:.+]] = llvm.insertvalue %[[RES]], %[[F2]][3]
// CHECK-NEXT:    %[[F4:.+]] = llvm.insertvalue %[[NAME]], %[[F3]][4]
// CHECK-NEXT:    %[[F5:.+]] = llvm.insertvalue %[[INS]], %[[F4]][5]
// CHECK-NEXT:    %[[F6:.+]] = llvm.insertvalue %[[OUTS]], %[[F5]][6]
// CHECK-NEXT:    %[[F7:.+]] = llvm.insertvalue %[[WSZ]], %[[F6]][7]
// CHECK-NEXT:    %[[F8:.+]] = llvm.insertvalue %[[ALIGN]], %[[F7]][8]
// CHECK-NEXT:    %[[F9:.+]] = llvm.insertvalue %[[RUNFN]], %[[F8]][9]
// CHECK-NEXT:    llvm.return %[[F9]]

// CHECK-LABEL: llvm.func @net_info() -> !llvm.ptr {
// CHECK-NEXT:    %[[P:.+]] = llvm.mlir.addressof @__kiln_net_info : !llvm.ptr
// CHECK-NEXT:    llvm.return %[[P]] : !llvm.ptr
kiln_rt.entry_point @net(@main) inputs ["image", "mask"] outputs ["score", "label"] workspace 192
    {kiln_rt.element_types = [f32, ui8, f32, i64],
     kiln_rt.io_types = [memref<1x3x2x5xf32>, memref<4xi8>, memref<f32>, memref<2x1xi64>, memref<192xi8>]}
llvm.func @main(%a: !llvm.ptr, %b: !llvm.ptr, %c: !llvm.ptr, %d: !llvm.ptr, %ws: !llvm.ptr) {
  llvm.return
}
llvm.func @net_run(%a: !llvm.ptr, %b: !llvm.ptr, %c: !llvm.ptr, %d: !llvm.ptr, %ws: !llvm.ptr) -> i32 {
  llvm.call @main(%a, %b, %c, %d, %ws) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
  %0 = llvm.mlir.constant(0 : i32) : i32
  llvm.return %0 : i32
}

// -----

// Every kiln_dtype, in the inputs' order:
//   bool 9, uint8 2, int8 3, uint16 4, int16 5, uint32 12, int32 6,
//   uint64 13, int64 7, float16 10, bfloat16 16, float64 11; output f32 1.
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_all_inputs()
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs0_name
// CHECK-NEXT:    llvm.mlir.constant(9 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs1_name
// CHECK-NEXT:    llvm.mlir.constant(2 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs2_name
// CHECK-NEXT:    llvm.mlir.constant(3 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs3_name
// CHECK-NEXT:    llvm.mlir.constant(4 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs4_name
// CHECK-NEXT:    llvm.mlir.constant(5 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs5_name
// CHECK-NEXT:    llvm.mlir.constant(12 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs6_name
// CHECK-NEXT:    llvm.mlir.constant(6 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs7_name
// CHECK-NEXT:    llvm.mlir.constant(13 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs8_name
// CHECK-NEXT:    llvm.mlir.constant(7 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs9_name
// CHECK-NEXT:    llvm.mlir.constant(10 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs10_name
// CHECK-NEXT:    llvm.mlir.constant(16 : i32) : i32
// CHECK:         llvm.mlir.addressof @__kiln_all_inputs11_name
// CHECK-NEXT:    llvm.mlir.constant(11 : i32) : i32
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_all_outputs()
// CHECK:         llvm.mlir.addressof @__kiln_all_outputs0_name
// CHECK-NEXT:    llvm.mlir.constant(1 : i32) : i32
// Without a workspace the trampoline does not pass one.
// CHECK-LABEL: llvm.func @all_run_generic
// CHECK:         llvm.call @all_run(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,)]+}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> i32
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_all_info()
// CHECK:         llvm.mlir.constant(12 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(1 : i32) : i32
// CHECK:         llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT:    llvm.mlir.constant(64 : i64) : i64
kiln_rt.entry_point @all(@model) inputs ["b", "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f16", "bf16", "f64"] outputs ["y"] workspace 0
    {kiln_rt.element_types = [i1, ui8, i8, ui16, i16, ui32, i32, ui64, i64, f16, bf16, f64, f32],
     kiln_rt.io_types = [memref<1xi1>, memref<1xi8>, memref<1xi8>, memref<1xi16>, memref<1xi16>, memref<1xi32>, memref<1xi32>,
                         memref<1xi64>, memref<1xi64>, memref<1xf16>, memref<1xbf16>, memref<1xf64>, memref<1xf32>]}
llvm.func @model(%0: !llvm.ptr, %1: !llvm.ptr, %2: !llvm.ptr, %3: !llvm.ptr, %4: !llvm.ptr, %5: !llvm.ptr, %6: !llvm.ptr,
                 %7: !llvm.ptr, %8: !llvm.ptr, %9: !llvm.ptr, %10: !llvm.ptr, %11: !llvm.ptr, %12: !llvm.ptr) {
  llvm.return
}
llvm.func @all_run(%0: !llvm.ptr, %1: !llvm.ptr, %2: !llvm.ptr, %3: !llvm.ptr, %4: !llvm.ptr, %5: !llvm.ptr, %6: !llvm.ptr,
                   %7: !llvm.ptr, %8: !llvm.ptr, %9: !llvm.ptr, %10: !llvm.ptr, %11: !llvm.ptr, %12: !llvm.ptr) -> i32 {
  %r = llvm.mlir.constant(0 : i32) : i32
  llvm.return %r : i32
}

// -----

// Without kiln_rt.element_types the buffers' types decide: i8 is int8 (3).
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_plain_inputs()
// CHECK:         llvm.mlir.addressof @__kiln_plain_inputs0_name
// CHECK-NEXT:    llvm.mlir.constant(3 : i32) : i32
// CHECK-NEXT:    llvm.mlir.constant(2 : i32) : i32
kiln_rt.entry_point @plain(@model) inputs ["x"] outputs [] workspace 0
    {kiln_rt.io_types = [memref<2x2xi8>]}
llvm.func @model(%x: !llvm.ptr) {
  llvm.return
}
llvm.func @plain_run(%x: !llvm.ptr) -> i32 {
  %r = llvm.mlir.constant(0 : i32) : i32
  llvm.return %r : i32
}
