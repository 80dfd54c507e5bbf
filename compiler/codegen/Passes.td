//===- Passes.td - Backend-neutral codegen passes ----------*- tablegen -*-===//
//
// Part of Kiln. Lowering of the kiln_rt dialect: the C entry points, the
// model info tables and the workspace views, shared by the CPU and GPU
// backends.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_CODEGEN_PASSES_TD
#define COMPILER_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def EmitEntryPoints : Pass<"kiln-rt-emit-entry-points", "ModuleOp"> {
  let summary = "Emit `<name>_run` and `<name>_workspace_size`";
  let description = [{
    For each `kiln_rt.entry_point`, adds `func.func @<name>_run`, which takes
    the model function's buffers, reports null or misaligned pointers through
    `kiln_set_last_error` with a status code, and otherwise calls the model
    function and returns 0; and `func.func @<name>_workspace_size`. Records
    the buffer types on the entry point (`kiln_rt.io_types`) for the model
    info emitted after conversion to LLVM. Run on bufferized code, before
    conversion to LLVM with the bare-pointer calling convention.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::func::FuncDialect"];
}

def LowerWorkspaceViews : Pass<"kiln-rt-lower-workspace-views", "ModuleOp"> {
  let summary = "Lower kiln_rt.workspace_view to memref.view";
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def CopyReturnedBuffers : Pass<"kiln-copy-returned-buffers", "ModuleOp"> {
  let summary = "Give every returned buffer its own allocation";
  let description = [{
    Prepares bufferized functions for `buffer-results-to-out-params` with
    `hoist-static-allocs`, which writes results directly into the caller's
    output buffers but only handles results that are distinct `memref.alloc`
    ops. A returned argument (Identity), a global (a constant output), a view
    or a buffer returned twice is copied into a fresh allocation first.
  }];
}

def LowerStridedCopies : Pass<"kiln-lower-strided-copies", "ModuleOp"> {
  let summary = "Turn memref.copy of strided buffers into linalg.copy";
  let description = [{
    The LLVM lowering turns copies between contiguous buffers into memcpy,
    but calls an MLIR runtime helper (`memrefCopy`) for anything else.
    Generated libraries must not depend on MLIR's runtime, so strided copies
    become `linalg.copy`, which lowers to loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def FlattenEmptyBuffers : Pass<"kiln-flatten-empty-buffers", "ModuleOp"> {
  let summary = "Pass buffers with no elements between functions as memref<0xT>";
  let description = [{
    MLIR's canonical strides of an identity-layout memref with a zero-size
    dimension are dynamic outside that dimension (memref<2x0x4xf32> is
    strided<[?, 4, 1]>), which the bare-pointer calling convention rejects:
    convert-func-to-llvm would leave such a function unconverted. Every
    such argument or result of a `func.func` becomes a rank-1 `memref<0xT>`
    (a plain pointer, never dereferenced) and is turned back into the
    original type with `memref.reinterpret_cast` in the callee and at each
    `func.call`. Run before conversion to LLVM, after the entry points are
    emitted.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def EmitModelInfo : Pass<"kiln-rt-emit-model-info", "ModuleOp"> {
  let summary = "Emit `<name>_info` and the generic run trampoline";
  let description = [{
    After conversion to the LLVM dialect: for each `kiln_rt.entry_point`,
    emits the constant `kiln_model_info` table (names, dtypes, shapes,
    workspace size; layout of runtime/include/kiln/runtime.h), the function
    `<name>_info` returning it, and `<name>_run_generic`, which unpacks
    pointer arrays and calls `<name>_run`. Erases the entry point.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // COMPILER_CODEGEN_PASSES_TD
