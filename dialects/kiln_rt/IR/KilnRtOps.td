//===- KilnRtOps.td - kiln_rt dialect operations -----------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_RT_IR_KILNRTOPS_TD
#define DIALECTS_KILN_RT_IR_KILNRTOPS_TD

include "dialects/kiln_rt/IR/KilnRtDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ViewLikeInterface.td"

def KilnRt_EntryPointOp : KilnRt_Op<"entry_point",
    [Symbol, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "The C entry points of a compiled model";
  let description = [{
    Declares that `function` is the body of a model called `sym_name`.
    Before bufferization the function maps the input tensors to the output
    tensors. Afterwards it takes, in order, one static-shape memref per
    input, one per output, and (when `workspace_size` > 0) the workspace as
    `memref<workspace_size x i8>`, and returns nothing. Lowering to LLVM
    emits

    - `int <sym_name>_run(const T *in..., T *out..., void *workspace)`, which
      rejects null pointers and a misaligned workspace with a status code and
      a message for `kiln_last_error()`, then runs `function`;
    - `size_t <sym_name>_workspace_size(void)`;
    - `const kiln_model_info *<sym_name>_info(void)` describing the I/O.

    ```mlir
    kiln_rt.entry_point @mlp(@main) inputs ["x"] outputs ["y"] workspace 4096
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, FlatSymbolRefAttr:$function,
                   StrArrayAttr:$input_names, StrArrayAttr:$output_names,
                   I64Attr:$workspace_size);
  let assemblyFormat = [{
    $sym_name `(` $function `)` `inputs` $input_names `outputs` $output_names
    `workspace` $workspace_size attr-dict
  }];
  let hasVerifier = 1;
}

def KilnRt_WorkspaceViewOp : KilnRt_Op<"workspace_view",
    [Pure, DeclareOpInterfaceMethods<ViewLikeOpInterface>]> {
  let summary = "A tensor's buffer inside the workspace arena";
  let description = [{
    Returns the buffer that lives at byte `offset` of the workspace. Memory
    planning assigns offsets (multiples of 64) so that buffers whose lifetimes
    overlap never overlap in memory; the view must fit in the workspace.

    ```mlir
    %t = kiln_rt.workspace_view %ws[128] : memref<4096xi8> to memref<8x16xf32>
    ```
  }];
  let arguments = (ins MemRefRankOf<[I8], [1]>:$workspace, I64Attr:$offset);
  let results = (outs AnyStaticShapeMemRef:$result);
  let assemblyFormat = [{
    $workspace `[` $offset `]` attr-dict `:` type($workspace) `to` type($result)
  }];
  let hasVerifier = 1;
}

#endif // DIALECTS_KILN_RT_IR_KILNRTOPS_TD
