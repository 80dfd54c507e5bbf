//===- Passes.td - CPU codegen passes ----------------------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_CODEGEN_CPU_PASSES_TD
#define COMPILER_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def UseCpuMicrokernels : Pass<"kiln-cpu-use-microkernels", "ModuleOp"> {
  let summary = "Call the runtime's tuned kernels for matrix products";
  let description = [{
    Replaces `linalg.matmul` and `linalg.batch_matmul` on f32 buffers whose
    rows are contiguous with calls to `kiln_cpu_sgemm` (runtime.h), the
    runtime's packed, threaded GEMM. A zero `linalg.fill` of the result right
    before the product becomes `beta = 0`. Other products are left for the
    generic lowering. Runs on bufferized code.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // COMPILER_CODEGEN_CPU_PASSES_TD
