//===- KilnRtDialect.td - The kiln_rt dialect --------------*- tablegen -*-===//
//
// Part of Kiln. The run-time view of a compiled model.
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_RT_IR_KILNRTDIALECT_TD
#define DIALECTS_KILN_RT_IR_KILNRTDIALECT_TD

include "mlir/IR/OpBase.td"

def KilnRt_Dialect : Dialect {
  let name = "kiln_rt";
  let cppNamespace = "::mlir::kiln_rt";
  let summary = "The run-time view of a compiled Kiln model";
  let description = [{
    `kiln_rt` describes what a compiled model looks like to the program that
    links it: the entry point and its C ABI (`<name>_run`, `<name>_info`,
    `<name>_workspace_size`), the workspace arena that holds every
    intermediate tensor, and views into it. It sits between bufferized code
    and the LLVM dialect; both the CPU and the GPU backends lower through it,
    so the ABI and the C header generator exist once.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

class KilnRt_Op<string mnemonic, list<Trait> traits = []>
    : Op<KilnRt_Dialect, mnemonic, traits>;

#endif // DIALECTS_KILN_RT_IR_KILNRTDIALECT_TD
