//===- LossRules.cpp - ONNX loss functions --------------------------------===//
//
// Part of Kiln. NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss as
// compositions of kiln ops. The class of each element is picked with a
// one-hot mask (target == iota over the class axis) and a sum over that
// axis: exact, and with static shapes the iota is an import-time constant.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/Compositions.h"
#include "compiler/frontends/onnx/NodeContext.h"

#include "dialects/kiln/IR/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

namespace {

/// What both losses share: the attributes and the class weights.
struct LossOperands {
  Value logProb; // [N, C, d1, ...]
  Value target;  // [N, d1, ...], int32 or int64
  Value weight;  // [C] or null
  std::string reduction;
  std::optional<int64_t> ignoreIndex;
};

} // namespace

/// Checks ranks and types: input [N, C, d...] float, target [N, d...]
/// integer, weight [C] of the input's type.
static LogicalResult checkLossTypes(NodeContext &ctx, RankedTensorType input,
                                    RankedTensorType target,
                                    RankedTensorType weight) {
  if (!isa<FloatType>(input.getElementType()) || input.getRank() < 2 ||
      !input.hasStaticShape())
    return ctx.emitError() << "the scores must be a float tensor of rank >= 2 "
                              "with a static shape, not "
                           << input;
  auto targetElement = dyn_cast<IntegerType>(target.getElementType());
  SmallVector<int64_t> expected(input.getShape());
  expected.erase(expected.begin() + 1);
  if (!targetElement || targetElement.getWidth() < 32 ||
      target.getShape() != ArrayRef<int64_t>(expected))
    return ctx.emitError() << "the target must be an int32 or int64 tensor "
                              "of the scores' shape without the class "
                              "dimension ("
                           << input << "), not " << target;
  if (weight && (weight.getElementType() != input.getElementType() ||
                 weight.getShape() != ArrayRef<int64_t>{input.getDimSize(1)}))
    return ctx.emitError() << "the weights must be a 1-D tensor of "
                           << input.getDimSize(1) << " "
                           << input.getElementType() << ", not " << weight;
  return success();
}

/// NegativeLogLikelihoodLoss on log-probabilities.
static Value buildNllLoss(NodeContext &ctx, const LossOperands &operands) {
  auto inputType = cast<RankedTensorType>(operands.logProb.getType());
  auto targetType = cast<RankedTensorType>(operands.target.getType());
  Type floatType = inputType.getElementType();
  int64_t rank = inputType.getRank(), classes = inputType.getDimSize(1);

  // One-hot mask [N, C, d...]: target (with a unit class axis) == iota.
  SmallVector<int64_t> unitClassShape(inputType.getShape());
  unitClassShape[1] = 1;
  Value target = ctx.createReshape(operands.target, unitClassShape);
  SmallVector<int64_t> iotaShape(rank, 1);
  iotaShape[1] = classes;
  HostTensor iota(targetType.getElementType(), iotaShape);
  for (int64_t c = 0; c < classes; ++c)
    iota.setFromInt(c, c);
  Value mask = ctx.create<kiln::CompareOp>(kiln::ComparePredicate::eq, target,
                                           ctx.createConstant(iota));
  Value zero = ctx.createScalar(0, floatType);
  SmallVector<int64_t> classAxis = {1};
  auto pick = [&](Value values) {
    return ctx.create<kiln::ReduceSumOp>(
        ctx.create<kiln::SelectOp>(mask, values, zero), classAxis,
        /*keep_dims=*/false);
  };
  Value loss = ctx.create<kiln::NegOp>(pick(operands.logProb));

  // The weight of each element's class (1 without weights), 0 where the
  // target is ignore_index.
  Value weight;
  if (operands.weight) {
    SmallVector<int64_t> weightShape(rank, 1);
    weightShape[1] = classes;
    weight = pick(ctx.createReshape(operands.weight, weightShape));
    loss = ctx.create<kiln::MulOp>(loss, weight);
  }
  if (operands.ignoreIndex) {
    Value ignore =
        ctx.createScalar(*operands.ignoreIndex, targetType.getElementType());
    Value valid = ctx.create<kiln::CompareOp>(kiln::ComparePredicate::ne,
                                              operands.target, ignore);
    loss = ctx.create<kiln::SelectOp>(valid, loss, zero);
    Value one = ctx.createScalar(1, floatType);
    weight = ctx.create<kiln::SelectOp>(valid, weight ? weight : one, zero);
  }

  if (operands.reduction == "none")
    return loss;
  SmallVector<int64_t> all = llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
  Value sum = ctx.create<kiln::ReduceSumOp>(loss, all, /*keep_dims=*/false);
  if (operands.reduction == "sum")
    return sum;
  // mean: divided by the total weight of the elements counted.
  if (!weight)
    return ctx.create<kiln::ReduceMeanOp>(loss, all, /*keep_dims=*/false);
  Value total = ctx.create<kiln::ReduceSumOp>(weight, all, /*keep_dims=*/false);
  return ctx.create<kiln::DivOp>(sum, total);
}

/// The attributes and weights of either loss; false after an error.
static bool getLossOperands(NodeContext &ctx, Value scores,
                            LossOperands &operands) {
  operands.reduction = ctx.getString("reduction", "mean");
  if (operands.reduction != "none" && operands.reduction != "sum" &&
      operands.reduction != "mean") {
    ctx.emitError() << "reduction must be none, sum or mean, not '"
                    << operands.reduction << "'";
    return false;
  }
  if (ctx.hasAttr("ignore_index"))
    operands.ignoreIndex = ctx.getInt("ignore_index", 0);
  RankedTensorType scoresType = cast<RankedTensorType>(scores.getType());
  RankedTensorType targetType = ctx.getInputType(1);
  RankedTensorType weightType;
  if (ctx.hasInput(2) && !(weightType = ctx.getInputType(2)))
    return false;
  if (!targetType ||
      failed(checkLossTypes(ctx, scoresType, targetType, weightType)))
    return false;
  operands.target = ctx.getInput(1);
  operands.weight = weightType ? ctx.getInput(2) : Value();
  return operands.target && (!weightType || operands.weight);
}

static void importNegativeLogLikelihoodLoss(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  LossOperands operands;
  operands.logProb = ctx.getInput(0);
  if (!operands.logProb || !getLossOperands(ctx, operands.logProb, operands))
    return;
  ctx.setOutput(0, buildNllLoss(ctx, operands));
}

static void importSoftmaxCrossEntropyLoss(NodeContext &ctx) {
  if (!ctx.checkNumInputs(2, 3))
    return;
  Value scores = ctx.getInput(0);
  LossOperands operands;
  if (!scores || !getLossOperands(ctx, scores, operands))
    return;
  operands.logProb = buildLogSoftmax(ctx, scores, /*axis=*/1);
  ctx.setOutput(0, buildNllLoss(ctx, operands));
  ctx.setOutput(1, operands.logProb);
}

void mlir::kiln::onnx::addLossRules(ImportRuleMap &rules) {
  rules["NegativeLogLikelihoodLoss"] = importNegativeLogLikelihoodLoss;
  rules["SoftmaxCrossEntropyLoss"] = importSoftmaxCrossEntropyLoss;
}
