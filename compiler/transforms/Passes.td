//===- Passes.td - Kiln graph and buffer passes ------------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_TRANSFORMS_PASSES_TD
#define COMPILER_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def CreateEntryPoint : Pass<"kiln-create-entry-point", "ModuleOp"> {
  let summary = "Declare the model's C entry point";
  let description = [{
    Adds a `kiln_rt.entry_point` for the model function, taking input and
    output names from the function's `kiln.name` argument and result
    attributes (falling back to `input<i>` / `output<i>`). Run before
    bufferization; memory planning later fills in the workspace size.
  }];
  let options = [
    Option<"modelName", "model-name", "std::string", /*default=*/"\"model\"",
           "C identifier prefix of the generated entry points">,
    Option<"functionName", "function", "std::string", /*default=*/"\"main\"",
           "The function holding the model">,
  ];
  let dependentDialects = ["::mlir::kiln_rt::KilnRtDialect"];
}

def PlanMemory : Pass<"kiln-plan-memory", "ModuleOp"> {
  let summary = "Place intermediate buffers in one workspace arena";
  let description = [{
    Replaces every `memref.alloc` in an entry point's function with a
    `kiln_rt.workspace_view` into a workspace argument appended to the
    function, and records the arena's size on the `kiln_rt.entry_point`.
    Buffers whose live ranges do not overlap share memory: live ranges run
    from the allocation to the last use of the buffer or of any view of it,
    in program order; placement is greedy by decreasing size at 64-byte
    aligned offsets. Dynamic shapes and allocations inside nested regions
    are rejected.
  }];
  let dependentDialects = ["::mlir::kiln_rt::KilnRtDialect"];
}

#endif // COMPILER_TRANSFORMS_PASSES_TD
