//===- LinearAlgebraRules.cpp - ONNX Det ----------------------------------===//
//
// Part of Kiln. Det as Gaussian elimination with partial pivoting (what
// LAPACK's getrf, behind numpy.linalg.det, does), unrolled over the static
// matrix size and vectorized over the batch: each step picks the row with
// the largest magnitude in the pivot column at run time, swaps it up with
// selects, and eliminates below it. The determinant is the product of the
// pivots, negated once per swap.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"

#include "dialects/kiln/IR/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

/// Unrolling emits O(n) ops per step; beyond this a loop-based op is needed.
static constexpr int64_t kMaxDetSize = 64;

namespace {

/// Builds the elimination for matrices [..., n, n] of one float type.
class DetBuilder {
public:
  DetBuilder(NodeContext &ctx, RankedTensorType type)
      : ctx(ctx), shape(type.getShape()), elementType(type.getElementType()),
        rank(type.getRank()), n(shape.back()) {}

  Value build(Value matrix);

private:
  /// `value[..., rows, cols]` for static row and column ranges.
  Value slice(Value value, int64_t row, int64_t rows, int64_t col,
              int64_t cols) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> starts(rank, 0), sizes(type.getShape()),
        steps(rank, 1);
    starts[rank - 2] = row;
    starts[rank - 1] = col;
    sizes[rank - 2] = rows;
    sizes[rank - 1] = cols;
    return ctx.create<kiln::SliceOp>(value, starts, sizes, steps);
  }
  Value scalar(double value) { return ctx.createScalar(value, elementType); }
  Value compare(kiln::ComparePredicate predicate, Value lhs, Value rhs) {
    return ctx.create<kiln::CompareOp>(predicate, lhs, rhs);
  }
  /// Swaps row k with the row of largest magnitude in column k at or below
  /// it; flips `sign` when they differ.
  Value pivotRows(Value matrix, int64_t k, Value &sign);

  NodeContext &ctx;
  ArrayRef<int64_t> shape;
  Type elementType;
  int64_t rank, n;
  Value rowIndex; // [n, 1] i64: 0, 1, ..., n-1
};

} // namespace

Value DetBuilder::pivotRows(Value matrix, int64_t k, Value &sign) {
  Type i64 = IntegerType::get(ctx.getContext(), 64);
  Value column = ctx.create<kiln::AbsOp>(slice(matrix, 0, n, k, 1));
  // Rows above k are done: give them -1 so they never win.
  Value candidate = ctx.create<kiln::SelectOp>(
      compare(kiln::ComparePredicate::ge, rowIndex, ctx.createScalar(k, i64)),
      column, scalar(-1));
  Value pivot = ctx.create<kiln::ArgMaxOp>(candidate, rank - 2,
                                           /*keep_dims=*/true,
                                           /*select_last_index=*/false);
  SmallVector<int64_t> rowShape(shape);
  rowShape[rank - 2] = 1;
  Value pivotIndex = ctx.createWithType<kiln::BroadcastToOp>(
      RankedTensorType::get(rowShape, i64), pivot);
  Value pivotRow = ctx.create<kiln::GatherElementsOp>(
      matrix, pivotIndex, ctx.getBuilder().getI64IntegerAttr(rank - 2));
  Value rowK = slice(matrix, k, 1, 0, n);
  Value isRowK =
      compare(kiln::ComparePredicate::eq, rowIndex, ctx.createScalar(k, i64));
  Value isPivotRow = compare(kiln::ComparePredicate::eq, rowIndex, pivot);
  Value swapped = ctx.create<kiln::SelectOp>(
      isRowK, pivotRow, ctx.create<kiln::SelectOp>(isPivotRow, rowK, matrix));
  Value stays =
      compare(kiln::ComparePredicate::eq, pivot, ctx.createScalar(k, i64));
  sign = ctx.create<kiln::SelectOp>(stays, sign, ctx.create<kiln::NegOp>(sign));
  return swapped;
}

Value DetBuilder::build(Value matrix) {
  Type i64 = IntegerType::get(ctx.getContext(), 64);
  HostTensor rows(i64, {n, 1});
  for (int64_t i = 0; i < n; ++i)
    rows.setFromInt(i, i);
  rowIndex = ctx.createConstant(rows);
  Value sign = scalar(1);
  Value det = scalar(1);
  for (int64_t k = 0; k < n && !ctx.hasFailed(); ++k) {
    matrix = pivotRows(matrix, k, sign);
    Value pivot = slice(matrix, k, 1, k, 1);
    det = ctx.create<kiln::MulOp>(det, pivot);
    if (k + 1 == n)
      break;
    // A zero pivot means the rest of its column is zero too (it was the
    // largest): the determinant is 0; divide by 1 to keep NaN out.
    Value zero = scalar(0);
    Value safePivot = ctx.create<kiln::SelectOp>(
        compare(kiln::ComparePredicate::eq, pivot, zero), scalar(1), pivot);
    Value factors = ctx.create<kiln::SelectOp>(
        compare(kiln::ComparePredicate::gt, rowIndex, ctx.createScalar(k, i64)),
        ctx.create<kiln::DivOp>(slice(matrix, 0, n, k, 1), safePivot), zero);
    Value update = ctx.create<kiln::MulOp>(factors, slice(matrix, k, 1, 0, n));
    matrix = ctx.create<kiln::SubOp>(matrix, update);
  }
  // The pivots carry the batch shape: det is [..., 1, 1].
  det = ctx.create<kiln::MulOp>(det, sign);
  return det ? ctx.createReshape(det, shape.drop_back(2)) : Value();
}

static void importDet(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  if (!type)
    return;
  if (!isa<FloatType>(type.getElementType()) || type.getRank() < 2) {
    ctx.emitError() << "input must be a float tensor of rank >= 2, got "
                    << type;
    return;
  }
  if (!type.hasStaticShape()) {
    ctx.emitUnsupported() << "Det of the dynamic shape " << type;
    return;
  }
  int64_t n = type.getShape().back();
  if (type.getShape()[type.getRank() - 2] != n) {
    ctx.emitError() << "the last two dimensions must be equal (square "
                       "matrices), got "
                    << type;
    return;
  }
  if (n > kMaxDetSize) {
    ctx.emitUnsupported() << "Det of " << n << "x" << n
                          << " matrices (Kiln unrolls the elimination up to "
                          << kMaxDetSize << "x" << kMaxDetSize << ")";
    return;
  }
  auto resultType = RankedTensorType::get(type.getShape().drop_back(2),
                                          type.getElementType());
  if (n == 0 || type.getNumElements() == 0) {
    // The determinant of a 0x0 matrix is 1; an empty batch has no matrices.
    ctx.setOutput(
        0, ctx.createWithType<kiln::BroadcastToOp>(
               resultType, ctx.createScalar(1, resultType.getElementType())));
    return;
  }
  ctx.setOutput(0, DetBuilder(ctx, type).build(ctx.getInput(0)));
}

void mlir::kiln::onnx::addLinearAlgebraRules(ImportRuleMap &rules) {
  rules["Det"] = importDet;
}
