//===- EinsumRule.cpp - Import of ONNX Einsum -----------------------------===//
//
// Part of Kiln. Einsum (opset 12+) as a composition of kiln ops, exact for
// every equation: implicit and explicit outputs, repeated labels in one
// operand (diagonals), `...` with numpy broadcasting, labels summed away,
// and any number of operands.
//
// Each operand is first normalized on its own: a repeated label becomes a
// diagonal (the two dimensions moved last, flattened to n*n and sliced with
// step n+1), a broadcast `...` dimension of size 1 is dropped, and a label
// that no other operand and not the output uses is summed. The operands are
// then folded left to right: labels both sides share and still need become
// batch dimensions, shared labels needed no more are contracted by one
// (batched) kiln.matmul, and a product without a contraction is a
// broadcasting kiln.mul. A final transpose orders the output.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::kiln::onnx;

namespace {

/// Labels 0-51 are the letters A-Z, a-z; label kEllipsisBase + k is the
/// k-th dimension (from the left) of the broadcast `...` dimensions.
constexpr int kEllipsisBase = 52;

/// One operand during the composition: its value and one label per
/// dimension.
struct Term {
  Value value;
  SmallVector<int> labels;
};

/// A parsed subscript: letter labels with the ellipsis position (-1: none).
struct Subscript {
  SmallVector<int> letters;
  int ellipsisAt = -1;
};

} // namespace

static int letterLabel(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return 26 + (c - 'a');
  return -1;
}

static char labelName(int label) {
  return static_cast<char>(label < 26 ? 'A' + label : 'a' + (label - 26));
}

/// Parses one subscript (spaces already removed).
static std::optional<Subscript> parseSubscript(NodeContext &ctx,
                                               StringRef text) {
  Subscript result;
  for (size_t i = 0; i < text.size();) {
    if (text.substr(i).starts_with("...")) {
      if (result.ellipsisAt >= 0) {
        ctx.emitError() << "equation term '" << text
                        << "' has more than one '...'";
        return std::nullopt;
      }
      result.ellipsisAt = result.letters.size();
      i += 3;
      continue;
    }
    int label = letterLabel(text[i]);
    if (label < 0) {
      ctx.emitError() << "equation term '" << text
                      << "' has the invalid character '" << text[i]
                      << "' (labels are letters)";
      return std::nullopt;
    }
    result.letters.push_back(label);
    ++i;
  }
  return result;
}

static ArrayRef<int64_t> getShape(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

static Value transposeIfNeeded(NodeContext &ctx, Value value,
                               ArrayRef<int64_t> permutation) {
  bool identity = true;
  for (auto [i, p] : llvm::enumerate(permutation))
    identity &= static_cast<int64_t>(i) == p;
  if (identity || !value)
    return value;
  return ctx.create<kiln::TransposeOp>(value, permutation);
}

/// Permutes `term` so its labels are `order` (a permutation of them).
static void permuteTo(NodeContext &ctx, Term &term, ArrayRef<int> order) {
  SmallVector<int64_t> permutation;
  for (int label : order)
    permutation.push_back(llvm::find(term.labels, label) - term.labels.begin());
  term.value = transposeIfNeeded(ctx, term.value, permutation);
  term.labels.assign(order.begin(), order.end());
}

/// Sums `term` over the dimensions whose labels satisfy `drop`.
template <typename Pred>
static void sumOut(NodeContext &ctx, Term &term, Pred drop) {
  SmallVector<int64_t> axes;
  SmallVector<int> kept;
  for (auto [i, label] : llvm::enumerate(term.labels)) {
    if (drop(label))
      axes.push_back(i);
    else
      kept.push_back(label);
  }
  if (axes.empty() || !term.value)
    return;
  term.value = ctx.create<kiln::ReduceSumOp>(term.value, axes, false);
  term.labels = kept;
}

/// Replaces a label repeated in `term` by its diagonal, until none is.
static void takeDiagonals(NodeContext &ctx, Term &term) {
  while (term.value) {
    int repeated = -1;
    for (int label : term.labels)
      if (llvm::count(term.labels, label) > 1) {
        repeated = label;
        break;
      }
    if (repeated < 0)
      return;
    // Move two copies last: [..., n, n] -> [..., n * n] -> step n + 1.
    SmallVector<int64_t> permutation;
    SmallVector<int> labels;
    SmallVector<int64_t> copies;
    for (auto [i, label] : llvm::enumerate(term.labels)) {
      if (label == repeated && copies.size() < 2) {
        copies.push_back(i);
        continue;
      }
      permutation.push_back(i);
      labels.push_back(label);
    }
    permutation.append(copies.begin(), copies.end());
    Value moved = transposeIfNeeded(ctx, term.value, permutation);
    if (!moved)
      return;
    SmallVector<int64_t> shape(getShape(moved));
    int64_t n = shape.back();
    shape.pop_back();
    shape.back() = n * n;
    Value flat = ctx.createReshape(moved, shape);
    SmallVector<int64_t> starts(shape.size(), 0), sizes(shape),
        steps(shape.size(), 1);
    sizes.back() = n;
    steps.back() = n + 1;
    term.value = ctx.create<kiln::SliceOp>(flat, starts, sizes, steps);
    labels.push_back(repeated);
    term.labels = labels;
  }
}

/// Multiplies two normalized terms, summing the shared labels that
/// `needed` does not contain.
static Term contract(NodeContext &ctx, Term lhs, Term rhs,
                     const llvm::SmallSet<int, 16> &needed,
                     const llvm::DenseMap<int, int64_t> &sizes) {
  auto inLhs = [&](int l) { return llvm::is_contained(lhs.labels, l); };
  auto inRhs = [&](int l) { return llvm::is_contained(rhs.labels, l); };
  // A label of one side only that nothing needs is summed first.
  sumOut(ctx, lhs, [&](int l) { return !inRhs(l) && !needed.contains(l); });
  sumOut(ctx, rhs, [&](int l) { return !inLhs(l) && !needed.contains(l); });

  SmallVector<int> batch, contracted, lhsOnly, rhsOnly;
  for (int l : lhs.labels) {
    if (!inRhs(l))
      lhsOnly.push_back(l);
    else if (needed.contains(l))
      batch.push_back(l);
    else
      contracted.push_back(l);
  }
  for (int l : rhs.labels)
    if (!inLhs(l))
      rhsOnly.push_back(l);
  auto product = [&](ArrayRef<int> labels) {
    int64_t p = 1;
    for (int l : labels)
      p *= sizes.lookup(l);
    return p;
  };
  auto shapeOf = [&](ArrayRef<int> labels) {
    SmallVector<int64_t> shape;
    for (int l : labels)
      shape.push_back(sizes.lookup(l));
    return shape;
  };

  Term result;
  result.labels = llvm::to_vector(llvm::concat<int>(batch, lhsOnly, rhsOnly));
  if (contracted.empty()) {
    // An elementwise (outer) product: align and broadcast.
    permuteTo(ctx, lhs, llvm::to_vector(llvm::concat<int>(batch, lhsOnly)));
    permuteTo(ctx, rhs, llvm::to_vector(llvm::concat<int>(batch, rhsOnly)));
    SmallVector<int64_t> lhsShape = shapeOf(lhs.labels);
    lhsShape.append(rhsOnly.size(), 1);
    SmallVector<int64_t> rhsShape = shapeOf(batch);
    rhsShape.append(lhsOnly.size(), 1);
    llvm::append_range(rhsShape, shapeOf(rhsOnly));
    result.value =
        ctx.create<kiln::MulOp>(ctx.createReshape(lhs.value, lhsShape),
                                ctx.createReshape(rhs.value, rhsShape));
    return result;
  }
  permuteTo(ctx, lhs,
            llvm::to_vector(llvm::concat<int>(batch, lhsOnly, contracted)));
  permuteTo(ctx, rhs,
            llvm::to_vector(llvm::concat<int>(batch, contracted, rhsOnly)));
  int64_t b = product(batch), m = product(lhsOnly), k = product(contracted),
          n = product(rhsOnly);
  Value a = ctx.createReshape(lhs.value, {b, m, k});
  Value c = ctx.createReshape(rhs.value, {b, k, n});
  if (b == 1) {
    a = ctx.createReshape(a, {m, k});
    c = ctx.createReshape(c, {k, n});
  }
  Value prod = ctx.create<kiln::MatMulOp>(a, c);
  result.value = ctx.createReshape(prod, shapeOf(result.labels));
  return result;
}

static void importEinsum(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1u << 16))
    return;
  std::string equation = ctx.getString("equation", "");
  if (ctx.hasFailed())
    return;
  if (!ctx.hasAttr("equation")) {
    ctx.emitError() << "attribute 'equation' is required";
    return;
  }
  std::string text;
  for (char c : equation)
    if (c != ' ')
      text.push_back(c);

  // Split "lhs->rhs" and the lhs into terms.
  StringRef all(text);
  size_t arrow = all.find("->");
  StringRef lhsText = all.substr(0, arrow);
  std::optional<StringRef> outText;
  if (arrow != StringRef::npos) {
    outText = all.substr(arrow + 2);
    if (outText->contains("->")) {
      ctx.emitError() << "equation '" << equation << "' has more than one '->'";
      return;
    }
  }
  SmallVector<StringRef> termTexts;
  lhsText.split(termTexts, ',', -1, /*KeepEmpty=*/true);
  unsigned numInputs = ctx.getNumInputs();
  if (termTexts.size() != numInputs) {
    ctx.emitError() << "equation '" << equation << "' has " << termTexts.size()
                    << " input term(s) for " << numInputs << " input(s)";
    return;
  }

  // Operands: values, types and labels.
  SmallVector<Term> terms;
  Type elementType;
  int64_t ellipsisRank = 0;
  SmallVector<Subscript> subscripts;
  for (unsigned i = 0; i < numInputs; ++i) {
    auto subscript = parseSubscript(ctx, termTexts[i]);
    Value value = ctx.getInput(i);
    if (!subscript || !value)
      return;
    auto type = cast<RankedTensorType>(value.getType());
    if (!type.hasStaticShape()) {
      ctx.emitUnsupported() << "input " << i << " has a dynamic shape " << type;
      return;
    }
    if (!isa<FloatType, IntegerType>(type.getElementType())) {
      ctx.emitError() << "input " << i << " must be numeric, got " << type;
      return;
    }
    if (i == 0)
      elementType = type.getElementType();
    else if (type.getElementType() != elementType) {
      ctx.emitError() << "all inputs must have one element type, got "
                      << elementType << " and " << type.getElementType();
      return;
    }
    if (llvm::is_contained(type.getShape(), 0)) {
      ctx.emitUnsupported() << "input " << i << " has a zero-sized dimension";
      return;
    }
    int64_t letters = subscript->letters.size();
    if (subscript->ellipsisAt < 0 ? type.getRank() != letters
                                  : type.getRank() < letters) {
      ctx.emitError() << "equation term '" << termTexts[i] << "' has "
                      << letters << " label(s)"
                      << (subscript->ellipsisAt < 0 ? "" : " and '...'")
                      << " but input " << i << " has rank " << type.getRank();
      return;
    }
    if (subscript->ellipsisAt >= 0)
      ellipsisRank = std::max(ellipsisRank, type.getRank() - letters);
    subscripts.push_back(*subscript);
    terms.push_back({value, {}});
  }

  // Labels per dimension; `...` dimensions align from the right.
  llvm::DenseMap<int, int64_t> sizes;
  for (unsigned i = 0; i < numInputs; ++i) {
    const Subscript &s = subscripts[i];
    ArrayRef<int64_t> shape = getShape(terms[i].value);
    int64_t ellipsisDims = shape.size() - s.letters.size();
    SmallVector<int> &labels = terms[i].labels;
    for (int64_t j = 0; j < static_cast<int64_t>(s.letters.size()); ++j) {
      if (j == s.ellipsisAt)
        for (int64_t e = 0; e < ellipsisDims; ++e)
          labels.push_back(kEllipsisBase + ellipsisRank - ellipsisDims + e);
      labels.push_back(s.letters[j]);
    }
    if (s.ellipsisAt == static_cast<int>(s.letters.size()))
      for (int64_t e = 0; e < ellipsisDims; ++e)
        labels.push_back(kEllipsisBase + ellipsisRank - ellipsisDims + e);
    for (auto [label, size] : llvm::zip(labels, shape)) {
      auto [it, inserted] = sizes.try_emplace(label, size);
      if (inserted || it->second == size)
        continue;
      if (label >= kEllipsisBase && (it->second == 1 || size == 1)) {
        it->second = std::max(it->second, size);
        continue;
      }
      auto diag = ctx.emitError() << "equation '" << equation << "': ";
      if (label < kEllipsisBase)
        diag << "label '" << labelName(label) << "'";
      else
        diag << "a '...' dimension";
      diag << " has sizes " << it->second << " and " << size;
      return;
    }
  }

  // The output labels.
  SmallVector<int> output;
  if (outText) {
    auto subscript = parseSubscript(ctx, *outText);
    if (!subscript)
      return;
    for (auto [j, label] : llvm::enumerate(subscript->letters)) {
      if (static_cast<int>(j) == subscript->ellipsisAt)
        for (int64_t e = 0; e < ellipsisRank; ++e)
          output.push_back(kEllipsisBase + e);
      if (!sizes.count(label) || llvm::is_contained(output, label)) {
        ctx.emitError() << "equation '" << equation << "': output label '"
                        << labelName(label) << "' "
                        << (sizes.count(label) ? "is repeated"
                                               : "is not an input label");
        return;
      }
      output.push_back(label);
    }
    if (subscript->ellipsisAt == static_cast<int>(subscript->letters.size()))
      for (int64_t e = 0; e < ellipsisRank; ++e)
        output.push_back(kEllipsisBase + e);
    if (subscript->ellipsisAt < 0 && ellipsisRank > 0) {
      // numpy and onnxruntime reject this too: '...' is never summed.
      ctx.emitError() << "equation '" << equation
                      << "': the inputs' '...' stands for " << ellipsisRank
                      << " dimension(s), so the output must contain '...'";
      return;
    }
  } else {
    // Implicit: the `...` dimensions, then the letters used once, sorted.
    for (int64_t e = 0; e < ellipsisRank; ++e)
      output.push_back(kEllipsisBase + e);
    for (int label = 0; label < kEllipsisBase; ++label) {
      int uses = 0;
      for (const Term &t : terms)
        uses += llvm::count(t.labels, label);
      if (uses == 1)
        output.push_back(label);
    }
  }

  // Normalize each operand on its own.
  llvm::SmallSet<int, 16> outputSet;
  for (int l : output)
    outputSet.insert(l);
  for (unsigned i = 0; i < numInputs; ++i) {
    Term &term = terms[i];
    takeDiagonals(ctx, term);
    if (ctx.hasFailed())
      return;
    // Drop `...` dimensions of size 1 that broadcast against a larger size.
    SmallVector<int> kept;
    SmallVector<int64_t> keptShape;
    for (auto [label, size] : llvm::zip(term.labels, getShape(term.value))) {
      if (label >= kEllipsisBase && size == 1 && sizes.lookup(label) != 1)
        continue;
      kept.push_back(label);
      keptShape.push_back(size);
    }
    term.value = ctx.createReshape(term.value, keptShape);
    term.labels = kept;
    sumOut(ctx, term, [&](int l) {
      if (outputSet.contains(l))
        return false;
      for (unsigned j = 0; j < numInputs; ++j)
        if (j != i && llvm::is_contained(terms[j].labels, l))
          return false;
      return true;
    });
  }

  // Fold the operands left to right.
  Term acc = terms[0];
  for (unsigned i = 1; i < numInputs && !ctx.hasFailed(); ++i) {
    llvm::SmallSet<int, 16> needed = outputSet;
    for (unsigned j = i + 1; j < numInputs; ++j)
      for (int l : terms[j].labels)
        needed.insert(l);
    acc = contract(ctx, acc, terms[i], needed, sizes);
  }
  if (ctx.hasFailed() || !acc.value)
    return;
  sumOut(ctx, acc, [&](int l) { return !outputSet.contains(l); });
  // Output labels a broadcast dropped everywhere cannot occur: a `...`
  // dimension is only dropped where another operand has it larger.
  permuteTo(ctx, acc, output);
  ctx.setOutput(0, acc.value);
}

void mlir::kiln::onnx::addEinsumRules(ImportRuleMap &rules) {
  rules["Einsum"] = importEinsum;
}
