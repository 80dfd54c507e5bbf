//===- KilnFolds.cpp - kiln op folders ------------------------------------===//
//
// Part of Kiln. Trivial folds: identities (x + 0, x * 1, transpose with the
// identity permutation, ...), compositions of the same op, and constant
// evaluation of elementwise ops on equally shaped dense constants. Graph-level
// constant folding with broadcasting lives in the graph passes.
//
// An identity folds only when broadcasting leaves the kept operand's type
// unchanged. Float `x + 0` and `x - 0` fold to `x` for either sign of zero,
// as ML compilers commonly do; IEEE arithmetic differs only in the sign of a
// zero result (`-0 + +0 = +0`).
//
//===----------------------------------------------------------------------===//

#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::kiln;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static bool isUnsigned(Type elementType) {
  auto intType = dyn_cast<IntegerType>(elementType);
  return intType && intType.isUnsigned();
}

/// True when `attr` is a splat constant of zero (of either sign for floats).
static bool isSplatZero(Attribute attr) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type elementType = splat.getElementType();
  if (isa<FloatType>(elementType))
    return splat.getSplatValue<APFloat>().isZero();
  if (isa<IntegerType>(elementType))
    return splat.getSplatValue<APInt>().isZero();
  return false;
}

/// True when `attr` is a splat constant of one (`true` for `i1`).
static bool isSplatOne(Attribute attr) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type elementType = splat.getElementType();
  if (isa<FloatType>(elementType))
    return splat.getSplatValue<APFloat>().isExactlyValue(1.0);
  if (isa<IntegerType>(elementType))
    return splat.getSplatValue<APInt>().isOne();
  return false;
}

/// Folds `op(x, c)` (or `op(c, x)`) to `x` when `c` is an identity splat and
/// the result has the type of `x`, so broadcasting did not change the shape.
static OpFoldResult foldIdentity(Value x, Attribute c, Type result,
                                 bool (*isIdentity)(Attribute)) {
  if (x.getType() == result && isIdentity(c))
    return x;
  return {};
}

using FloatFn = std::function<std::optional<APFloat>(APFloat, APFloat)>;
using IntFn =
    std::function<std::optional<APInt>(APInt, APInt, bool /*isUnsigned*/)>;

/// Evaluates a binary op on two dense constants of the same type.
static OpFoldResult foldConstantBinary(ArrayRef<Attribute> operands,
                                       Type resultType, const FloatFn &onFloat,
                                       const IntFn &onInt) {
  if (operands.size() != 2 || !operands[0] || !operands[1] ||
      !isa<DenseElementsAttr>(operands[0]) ||
      !isa<DenseElementsAttr>(operands[1]) ||
      cast<TypedAttr>(operands[0]).getType() != resultType)
    return {};
  Type elementType = getElementTypeOrSelf(resultType);
  if (isa<FloatType>(elementType) && onFloat)
    return constFoldBinaryOp<FloatAttr, APFloat, void>(
        operands,
        [&](const APFloat &a, const APFloat &b) { return onFloat(a, b); });
  if (elementType.isInteger() && !elementType.isInteger(1) && onInt) {
    bool isUns = isUnsigned(elementType);
    return constFoldBinaryOp<IntegerAttr, APInt, void>(
        operands,
        [&](const APInt &a, const APInt &b) { return onInt(a, b, isUns); });
  }
  return {};
}

//===----------------------------------------------------------------------===//
// Constants and elementwise ops
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (auto folded =
          foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatZero))
    return folded;
  if (auto folded =
          foldIdentity(getRhs(), adaptor.getLhs(), getType(), isSplatZero))
    return folded;
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> { return a + b; },
      [](APInt a, APInt b, bool) -> std::optional<APInt> { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (auto folded =
          foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatZero))
    return folded;
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> { return a - b; },
      [](APInt a, APInt b, bool) -> std::optional<APInt> { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (auto folded =
          foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatOne))
    return folded;
  if (auto folded =
          foldIdentity(getRhs(), adaptor.getLhs(), getType(), isSplatOne))
    return folded;
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> { return a * b; },
      [](APInt a, APInt b, bool) -> std::optional<APInt> { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (auto folded =
          foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatOne))
    return folded;
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> { return a / b; },
      [](APInt a, APInt b, bool isUns) -> std::optional<APInt> {
        // Division by zero (and INT_MIN / -1) is left for run time.
        if (b.isZero() || (!isUns && a.isMinSignedValue() && b.isAllOnes()))
          return std::nullopt;
        return isUns ? a.udiv(b) : a.sdiv(b);
      });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  return foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatOne);
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> {
        return llvm::maximum(a, b);
      },
      [](APInt a, APInt b, bool isUns) -> std::optional<APInt> {
        return isUns ? llvm::APIntOps::umax(a, b) : llvm::APIntOps::smax(a, b);
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return foldConstantBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> {
        return llvm::minimum(a, b);
      },
      [](APInt a, APInt b, bool isUns) -> std::optional<APInt> {
        return isUns ? llvm::APIntOps::umin(a, b) : llvm::APIntOps::smin(a, b);
      });
}

/// Evaluates a bitwise binary op on two dense integer constants of the
/// result's type (`i1` included).
static OpFoldResult foldConstantBitwise(
    ArrayRef<Attribute> operands, Type resultType,
    llvm::function_ref<APInt(const APInt &, const APInt &)> fn) {
  if (operands.size() != 2 ||
      !isa_and_nonnull<DenseElementsAttr>(operands[0]) ||
      !isa_and_nonnull<DenseElementsAttr>(operands[1]) ||
      cast<TypedAttr>(operands[0]).getType() != resultType ||
      cast<TypedAttr>(operands[1]).getType() != resultType)
    return {};
  return constFoldBinaryOp<IntegerAttr, APInt, void>(
      operands, [&](const APInt &a, const APInt &b) { return fn(a, b); });
}

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getLhs().getType() == getType())
    return getLhs();
  return foldConstantBitwise(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a & b; });
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getLhs().getType() == getType())
    return getLhs();
  if (auto folded =
          foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatZero))
    return folded;
  return foldConstantBitwise(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a | b; });
}

OpFoldResult XorOp::fold(FoldAdaptor adaptor) {
  if (auto folded =
          foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatZero))
    return folded;
  return foldConstantBitwise(
      adaptor.getOperands(), getType(),
      [](const APInt &a, const APInt &b) { return a ^ b; });
}

OpFoldResult ShiftLeftOp::fold(FoldAdaptor adaptor) {
  return foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatZero);
}

OpFoldResult ShiftRightOp::fold(FoldAdaptor adaptor) {
  return foldIdentity(getLhs(), adaptor.getRhs(), getType(), isSplatZero);
}

OpFoldResult NotOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NotOp>())
    return inner.getInput();
  return {};
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  Type type = getType();
  // Both choices the same value: the condition does not matter.
  if (getTrueValue() == getFalseValue() && getTrueValue().getType() == type)
    return getTrueValue();
  auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getCondition());
  if (!splat)
    return {};
  Value chosen = splat.getSplatValue<bool>() ? getTrueValue() : getFalseValue();
  if (chosen.getType() == type)
    return chosen;
  return {};
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  if (!isa_and_nonnull<DenseElementsAttr>(adaptor.getInput()))
    return {};
  if (isa<FloatType>(getType().getElementType()))
    return constFoldUnaryOp<FloatAttr, APFloat, void>(
        adaptor.getOperands(), [](const APFloat &a) { return -a; });
  return constFoldUnaryOp<IntegerAttr, APInt, void>(
      adaptor.getOperands(), [](const APInt &a) { return -a; });
}

OpFoldResult AbsOp::fold(FoldAdaptor) {
  if (getInput().getDefiningOp<AbsOp>() ||
      isUnsigned(getType().getElementType()))
    return getInput();
  return {};
}

OpFoldResult ReluOp::fold(FoldAdaptor) {
  if (getInput().getDefiningOp<ReluOp>())
    return getInput();
  return {};
}

OpFoldResult ClipOp::fold(FoldAdaptor) {
  if (!getMinAttr() && !getMaxAttr())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  return {};
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // A splat constant broadcasts to a splat of the larger shape.
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getInput()))
    return SplatElementsAttr::get(getType(), splat.getSplatValue<Attribute>());
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPermutation();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getInput();
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    // transpose(transpose(x, p), q) == transpose(x, p o q).
    ArrayRef<int64_t> innerPerm = inner.getPermutation();
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(innerPerm[p]);
    getInputMutable().assign(inner.getInput());
    setPermutation(composed);
    return getResult();
  }
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getInput()))
    return splat.resizeSplat(getType());
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  // A slice of the input's type that starts at 0 reads every element in
  // order: staying in bounds forces step 1 wherever the extent exceeds 1,
  // and the step of an extent-1 dimension does not matter. (Starting
  // elsewhere, it may be a reversal.)
  if (getInput().getType() == getType() &&
      llvm::all_of(getStarts(), [](int64_t start) { return start == 0; }))
    return getInput();
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getInput()))
    return splat.resizeSplat(getType());
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// A reduction whose result has the input's type is the identity: its axes
/// are empty, or they all have extent 1 and `keep_dims` keeps them. The sum,
/// mean, maximum, minimum and product of one element are that element.
template <typename ReduceOp>
static OpFoldResult foldIdentityReduce(ReduceOp op) {
  if (op.getInput().getType() == op.getType())
    return op.getInput();
  return {};
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor) {
  return foldIdentityReduce(*this);
}
OpFoldResult ReduceMeanOp::fold(FoldAdaptor) {
  return foldIdentityReduce(*this);
}
OpFoldResult ReduceMaxOp::fold(FoldAdaptor) {
  return foldIdentityReduce(*this);
}
OpFoldResult ReduceMinOp::fold(FoldAdaptor) {
  return foldIdentityReduce(*this);
}
OpFoldResult ReduceProdOp::fold(FoldAdaptor) {
  return foldIdentityReduce(*this);
}
