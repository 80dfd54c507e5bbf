// RUN: kiln-opt --split-input-file --kiln-to-kiln-rt-pipeline=model-name=m %s \
// RUN:   | kiln-opt --split-input-file --kiln-cpu-to-llvm-pipeline \
// RUN:   | FileCheck %s --implicit-check-not=memref. --implicit-check-not=linalg. \
// RUN:       --implicit-check-not=kiln_rt --implicit-check-not=func.func --implicit-check-not=scf.

// --kiln-cpu-to-llvm-pipeline (what `kiln compile` runs after the kiln_rt
// phase): GEMMs through kiln_cpu_sgemm, loops for the rest, workspace views
// as byte offsets of the workspace pointer, the checked entry point
// m_run(x, w, b, y, workspace), m_workspace_size, the model info and
// m_run_generic, all in the LLVM dialect with bare pointers.

// The MLP of kiln-to-kiln-rt.mlir: relu(x @ w + b) @ w2, relu, @ w3; the
// intermediates live at workspace offsets 0 and 64, the output is y.
// CHECK-DAG:   llvm.mlir.global private constant @[[W2:.+]](dense<5.000000e-01> : tensor<4x8xf32>)
// CHECK-DAG:   llvm.mlir.global private constant @[[W3:.+]](dense<2.500000e-01> : tensor<8x5xf32>)
// CHECK-LABEL: llvm.func internal @main
// CHECK-SAME:    (%[[X:[^:]+]]: !llvm.ptr, %[[W:[^:]+]]: !llvm.ptr, %[[B:[^:]+]]: !llvm.ptr, %[[Y:[^:]+]]: !llvm.ptr, %[[WS:[^:]+]]: !llvm.ptr)
// CHECK-DAG:     %[[W2P:.+]] = llvm.mlir.addressof @[[W2]] : !llvm.ptr
// CHECK-DAG:     %[[W3P:.+]] = llvm.mlir.addressof @[[W3]] : !llvm.ptr
// CHECK-DAG:     %[[NO:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[I2:.+]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG:     %[[I3:.+]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-DAG:     %[[I4:.+]] = llvm.mlir.constant(4 : i64) : i64
// CHECK-DAG:     %[[I5:.+]] = llvm.mlir.constant(5 : i64) : i64
// CHECK-DAG:     %[[I8:.+]] = llvm.mlir.constant(8 : i64) : i64
// CHECK-DAG:     %[[ONE:.+]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK-DAG:     %[[ZERO:.+]] = llvm.mlir.constant(0.000000e+00 : f32) : f32
// CHECK-DAG:     %[[OFF64:.+]] = llvm.mlir.constant(64 : index) : i64
// CHECK-DAG:     %[[W2E:.+]] = llvm.getelementptr %[[W2P]][0, 0, 0]
// CHECK-DAG:     %[[W3E:.+]] = llvm.getelementptr %[[W3P]][0, 0, 0]
// h1 = x @ w at workspace + 0 (m 2, n 4, k 3; the zero fill became beta 0).
// CHECK:         %[[XI:.+]] = llvm.ptrtoint %[[X]]
// CHECK-NEXT:    %[[XA:.+]] = llvm.inttoptr %[[XI]]
// CHECK-NEXT:    %[[WI:.+]] = llvm.ptrtoint %[[W]]
// CHECK-NEXT:    %[[WA:.+]] = llvm.inttoptr %[[WI]]
// CHECK-NEXT:    %[[H1I:.+]] = llvm.ptrtoint %[[WS]]
// CHECK-NEXT:    %[[H1A:.+]] = llvm.inttoptr %[[H1I]]
// CHECK-NEXT:    llvm.call @kiln_cpu_sgemm(%[[NO]], %[[NO]], %[[I2]], %[[I4]], %[[I3]], %[[ONE]], %[[XA]], %[[I3]], %[[WA]], %[[I4]], %[[ZERO]], %[[H1A]], %[[I4]])
// h1 = relu(h1 + b), in place, as loops.
// CHECK:         llvm.getelementptr %[[WS]][%{{.+}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         llvm.getelementptr %[[B]][%{{.+}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         llvm.fadd
// CHECK:         llvm.store %{{.+}}, %{{.+}} : f32, !llvm.ptr
// h2 = h1 @ w2 at workspace + 64 (m 2, n 8, k 4).
// CHECK:         %[[H2:.+]] = llvm.getelementptr %[[WS]][64] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK:         %[[H1J:.+]] = llvm.ptrtoint %[[WS]]
// CHECK-NEXT:    %[[H1B:.+]] = llvm.inttoptr %[[H1J]]
// CHECK-NEXT:    %[[W2I:.+]] = llvm.ptrtoint %[[W2E]]
// CHECK-NEXT:    %[[W2A:.+]] = llvm.inttoptr %[[W2I]]
// CHECK-NEXT:    %[[WSJ:.+]] = llvm.ptrtoint %[[WS]]
// CHECK-NEXT:    %[[H2I:.+]] = llvm.add %[[WSJ]], %[[OFF64]]
// CHECK-NEXT:    %[[H2A:.+]] = llvm.inttoptr %[[H2I]]
// CHECK-NEXT:    llvm.call @kiln_cpu_sgemm(%[[NO]], %[[NO]], %[[I2]], %[[I8]], %[[I4]], %[[ONE]], %[[H1B]], %[[I4]], %[[W2A]], %[[I8]], %[[ZERO]], %[[H2A]], %[[I8]])
// relu(h2) in place, through the lowered view.
// CHECK:         llvm.getelementptr %[[H2]][%{{.+}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         llvm.store
// y = h2 @ w3, written straight into the caller's buffer (m 2, n 5, k 8).
// CHECK:         %[[WSK:.+]] = llvm.ptrtoint %[[WS]]
// CHECK-NEXT:    %[[H2J:.+]] = llvm.add %[[WSK]], %[[OFF64]]
// CHECK-NEXT:    %[[H2B:.+]] = llvm.inttoptr %[[H2J]]
// CHECK-NEXT:    %[[W3I:.+]] = llvm.ptrtoint %[[W3E]]
// CHECK-NEXT:    %[[W3A:.+]] = llvm.inttoptr %[[W3I]]
// CHECK-NEXT:    %[[YI:.+]] = llvm.ptrtoint %[[Y]]
// CHECK-NEXT:    %[[YA:.+]] = llvm.inttoptr %[[YI]]
// CHECK-NEXT:    llvm.call @kiln_cpu_sgemm(%[[NO]], %[[NO]], %[[I2]], %[[I5]], %[[I8]], %[[ONE]], %[[H2B]], %[[I8]], %[[W3A]], %[[I5]], %[[ZERO]], %[[YA]], %[[I5]])
// CHECK-NEXT:    llvm.return

// m_run: every pointer checked in order (status 1), the workspace's alignment
// (status 3), then the model; 0 on success.
// CHECK-LABEL: llvm.func @m_run
// CHECK-SAME:    (%[[X:[^:]+]]: !llvm.ptr, %[[W:[^:]+]]: !llvm.ptr, %[[B:[^:]+]]: !llvm.ptr, %[[Y:[^:]+]]: !llvm.ptr, %[[WS:[^:]+]]: !llvm.ptr) -> i32 {
// CHECK-DAG:     %[[E0:.+]] = llvm.mlir.addressof @__kiln_m_error_0_1
// CHECK-DAG:     %[[E1:.+]] = llvm.mlir.addressof @__kiln_m_error_1_1
// CHECK-DAG:     %[[E2:.+]] = llvm.mlir.addressof @__kiln_m_error_2_1
// CHECK-DAG:     %[[E3:.+]] = llvm.mlir.addressof @__kiln_m_error_3_1
// CHECK-DAG:     %[[E4:.+]] = llvm.mlir.addressof @__kiln_m_error_4_1
// CHECK-DAG:     %[[E5:.+]] = llvm.mlir.addressof @__kiln_m_error_4_3
// CHECK-DAG:     %[[S1:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG:     %[[S3:.+]] = llvm.mlir.constant(3 : i32) : i32
// CHECK-DAG:     %[[OK:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[A64:.+]] = llvm.mlir.constant(64 : index) : i64
// CHECK-DAG:     %[[NULL:.+]] = llvm.mlir.constant(0 : index) : i64
// CHECK:         llvm.ptrtoint %[[X]]
// CHECK:         llvm.cond_br %{{.+}}, ^[[FAIL:[^(]+]](%[[E0]], %[[S1]] : !llvm.ptr, i32)
// CHECK:       ^[[FAIL]](%[[MSG:[^:]+]]: !llvm.ptr, %[[CODE:[^:]+]]: i32):
// CHECK-NEXT:    llvm.call @kiln_set_last_error(%[[MSG]])
// CHECK-NEXT:    llvm.return %[[CODE]] : i32
// CHECK:         llvm.ptrtoint %[[W]]
// CHECK:         llvm.cond_br %{{.+}}, ^[[FAIL]](%[[E1]], %[[S1]] : !llvm.ptr, i32)
// CHECK:         llvm.ptrtoint %[[B]]
// CHECK:         llvm.cond_br %{{.+}}, ^[[FAIL]](%[[E2]], %[[S1]] : !llvm.ptr, i32)
// CHECK:         llvm.ptrtoint %[[Y]]
// CHECK:         llvm.cond_br %{{.+}}, ^[[FAIL]](%[[E3]], %[[S1]] : !llvm.ptr, i32)
// CHECK:         %[[WSI:.+]] = llvm.ptrtoint %[[WS]]
// CHECK-NEXT:    %[[ISNULL:.+]] = llvm.icmp "eq" %[[WSI]], %[[NULL]]
// CHECK-NEXT:    llvm.cond_br %[[ISNULL]], ^[[FAIL]](%[[E4]], %[[S1]] : !llvm.ptr, i32)
// CHECK:         %[[REM:.+]] = llvm.urem %[[WSI]], %[[A64]]
// CHECK-NEXT:    %[[MIS:.+]] = llvm.icmp "ne" %[[REM]], %[[NULL]]
// CHECK-NEXT:    llvm.cond_br %[[MIS]], ^[[FAIL]](%[[E5]], %[[S3]] : !llvm.ptr, i32)
// CHECK:         llvm.call @main(%[[X]], %[[W]], %[[B]], %[[Y]], %[[WS]])
// CHECK-NEXT:    llvm.return %[[OK]] : i32

// CHECK-LABEL: llvm.func @m_workspace_size() -> i64 {
// CHECK-NEXT:    %[[SIZE:.+]] = llvm.mlir.constant(128 : i64) : i64
// CHECK-NEXT:    llvm.return %[[SIZE]] : i64

// CHECK:       llvm.func @kiln_cpu_sgemm(i32, i32, i64, i64, i64, f32, !llvm.ptr, i64, !llvm.ptr, i64, f32, !llvm.ptr, i64)
// CHECK:       llvm.func @kiln_set_last_error(!llvm.ptr)
// CHECK-DAG:   @__kiln_m_error_0_1("m_run: input 'x' is NULL\00")
// CHECK-DAG:   @__kiln_m_error_3_1("m_run: output 'y' is NULL\00")
// CHECK-DAG:   @__kiln_m_error_4_1("m_run: workspace (128 bytes) is NULL\00")
// CHECK-DAG:   @__kiln_m_error_4_3("m_run: workspace (128 bytes) is not aligned to 64 bytes\00")

// CHECK-LABEL: llvm.func @m_run_generic
// CHECK-SAME:    (%[[IN:[^:]+]]: !llvm.ptr, %[[OUT:[^:]+]]: !llvm.ptr, %[[WS:[^:]+]]: !llvm.ptr) -> i32 {
// CHECK:         %[[RC:.+]] = llvm.call @m_run(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %[[WS]])
// CHECK-NEXT:    llvm.return %[[RC]] : i32

// abi 1, 3 inputs, 1 output, workspace 128 bytes aligned to 64, run.
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_m_info()
// CHECK-DAG:     %[[ABI:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG:     %[[NIN:.+]] = llvm.mlir.constant(3 : i32) : i32
// CHECK-DAG:     %[[RES:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[WSZ:.+]] = llvm.mlir.constant(128 : i64) : i64
// CHECK-DAG:     %[[AL:.+]] = llvm.mlir.constant(64 : i64) : i64
// CHECK-DAG:     %[[GENERIC:.+]] = llvm.mlir.addressof @m_run_generic : !llvm.ptr
// CHECK:         llvm.insertvalue %[[ABI]], %{{.+}}[0]
// CHECK-NEXT:    llvm.insertvalue %[[NIN]], %{{.+}}[1]
// CHECK-NEXT:    llvm.insertvalue %[[ABI]], %{{.+}}[2]
// CHECK-NEXT:    llvm.insertvalue %[[RES]], %{{.+}}[3]
// CHECK:         llvm.insertvalue %[[WSZ]], %{{.+}}[7]
// CHECK-NEXT:    llvm.insertvalue %[[AL]], %{{.+}}[8]
// CHECK-NEXT:    llvm.insertvalue %[[GENERIC]], %{{.+}}[9]
// CHECK-LABEL: llvm.func @m_info() -> !llvm.ptr {
// CHECK-NEXT:    %[[INFO:.+]] = llvm.mlir.addressof @__kiln_m_info : !llvm.ptr
// CHECK-NEXT:    llvm.return %[[INFO]] : !llvm.ptr
func.func @main(%x: tensor<2x3xf32> {kiln.name = "x"}, %w: tensor<3x4xf32> {kiln.name = "w"},
                %b: tensor<4xf32> {kiln.name = "b"}) -> (tensor<2x5xf32> {kiln.name = "y"}) {
  %0 = kiln.matmul %x, %w : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  %1 = kiln.add %0, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  %2 = kiln.relu %1 : tensor<2x4xf32>
  %w2 = kiln.constant dense<0.5> : tensor<4x8xf32>
  %3 = kiln.matmul %2, %w2 : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x8xf32>
  %4 = kiln.relu %3 : tensor<2x8xf32>
  %w3 = kiln.constant dense<0.25> : tensor<8x5xf32>
  %5 = kiln.matmul %4, %w3 : tensor<2x8xf32>, tensor<8x5xf32> -> tensor<2x5xf32>
  return %5 : tensor<2x5xf32>
}

// -----

// uint8 in, float32 and bool out, no workspace: m_run(pixels, scaled,
// nonzero, workspace) checks three pointers and no alignment and ignores the
// workspace pointer the header declares; the info keeps the original element
// types (uint8 2, float32 1, bool 9) and records no workspace.
// CHECK-LABEL: llvm.func internal @main
// CHECK-SAME:    (%[[P:[^:]+]]: !llvm.ptr, %[[S:[^:]+]]: !llvm.ptr, %[[NZ:[^:]+]]: !llvm.ptr)
// CHECK:         llvm.load %{{.+}} : !llvm.ptr -> i8
// CHECK-NEXT:    llvm.uitofp %{{.+}} : i8 to f32
// CHECK:         llvm.fcmp "une"
// CHECK:         llvm.store %{{.+}}, %{{.+}} : i1, !llvm.ptr
// CHECK-LABEL: llvm.func @m_run
// CHECK-SAME:    (%{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr) -> i32 {
// CHECK-NOT:     llvm.urem
// CHECK:         llvm.call @main
// CHECK-LABEL: llvm.func @m_workspace_size() -> i64 {
// CHECK-NEXT:    %[[SIZE:.+]] = llvm.mlir.constant(0 : i64) : i64
// CHECK-NEXT:    llvm.return %[[SIZE]] : i64
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_m_inputs()
// CHECK-DAG:     %[[U8:.+]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-DAG:     %[[RANK1:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK:         llvm.insertvalue %[[U8]], %{{.+}}[0, 1]
// CHECK-NEXT:    llvm.insertvalue %[[RANK1]], %{{.+}}[0, 2]
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_m_outputs()
// CHECK-DAG:     %[[F32:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG:     %[[BOOL:.+]] = llvm.mlir.constant(9 : i32) : i32
// CHECK:         llvm.insertvalue %[[F32]], %{{.+}}[0, 1]
// CHECK:         llvm.insertvalue %[[BOOL]], %{{.+}}[1, 1]
// CHECK-LABEL: llvm.func @m_run_generic
// CHECK:         llvm.call @m_run(%{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,)]+}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> i32
// CHECK-LABEL: llvm.mlir.global internal constant @__kiln_m_info()
// CHECK:         llvm.mlir.constant(0 : i64) : i64
// CHECK-LABEL: llvm.func @m_info()
func.func @main(%u: tensor<4xui8> {kiln.name = "pixels"})
    -> (tensor<4xf32> {kiln.name = "scaled"}, tensor<4xi1> {kiln.name = "nonzero"}) {
  %f = kiln.cast %u : tensor<4xui8> to tensor<4xf32>
  %b = kiln.cast %f : tensor<4xf32> to tensor<4xi1>
  return %f, %b : tensor<4xf32>, tensor<4xi1>
}
