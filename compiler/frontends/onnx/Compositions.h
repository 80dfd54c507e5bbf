//===- Compositions.h - Kiln op compositions shared by rules ----*- C++ -*-===//
//
// Part of Kiln. Internal to the ONNX frontend: builders that more than one
// family of import rules uses.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_FRONTENDS_ONNX_COMPOSITIONS_H
#define COMPILER_FRONTENDS_ONNX_COMPOSITIONS_H

#include "compiler/frontends/onnx/NodeContext.h"

namespace mlir::kiln::onnx {

/// log(softmax(x)) along `axis` as (x - max) - log(sum(exp(x - max))): no
/// exp overflows, and tiny probabilities do not round to log(0).
mlir::Value buildLogSoftmax(NodeContext &ctx, mlir::Value x, int64_t axis);

/// What LayerNormalization and RMSNormalization share: the normalized axes
/// (from `axis`, default -1, to the last), `epsilon` and the `stash_type`
/// the statistics are computed in.
struct NormalizationAttrs {
  llvm::SmallVector<int64_t> axes;
  float epsilon;
  mlir::Type stashType;
};

/// Reads and checks those attributes for an input of `type` (rank >= 1);
/// nullopt after an error.
std::optional<NormalizationAttrs>
getNormalizationAttrs(NodeContext &ctx, mlir::RankedTensorType type);

} // namespace mlir::kiln::onnx

#endif // COMPILER_FRONTENDS_ONNX_COMPOSITIONS_H
