//===- Passes.td - kiln to linalg conversion pass ----------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_CONVERSION_KILNTOLINALG_PASSES_TD
#define COMPILER_CONVERSION_KILNTOLINALG_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertKilnToLinalg : Pass<"convert-kiln-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower kiln ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Replaces every op of the `kiln` dialect with upstream ops on tensors:
    `linalg` structured ops (named ops where one fits: matmul, batch_matmul,
    conv_2d_nchw_fchw, pooling_nchw_max/sum, ...; `linalg.generic` with
    broadcasting indexing maps otherwise), `tensor` ops for data movement,
    `arith` and `math` for scalar bodies, and `scf.for` nests carrying a
    tensor where updates must apply in order (scatters, cumsum, top_k).
    All shapes must be static: an op with a dynamic dimension is reported
    and the pass fails.

    linalg and arith only take signless integers, so tensors of `ui8`..`ui64`
    become tensors of `i8`..`i64` (function signatures included); the kiln
    types still decide which operations are emitted (`divui`, `maxui`,
    `uitofp`, `extui`, ...).

    ```mlir
    %r = kiln.add %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xf32>
    ```
    becomes a `linalg.generic` whose `%a` map is `(d0, d1) -> (d0, 0)` and
    whose `%b` map is `(d0, d1) -> (d1)`.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

#endif // COMPILER_CONVERSION_KILNTOLINALG_PASSES_TD
