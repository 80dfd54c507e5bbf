//===- TfIdfVectorizerRule.cpp - ONNX TfIdfVectorizer ---------------------===//
//
// Part of Kiln. TfIdfVectorizer over integer tokens, vectorized over the
// n-gram pool. For each gram length L and skip distance d, the tokens at
// s, s + d, ..., s + (L - 1) d of every start s are compared with every pool
// gram of length L at once ([rows, starts, grams]); the matches summed over
// s are the gram's count. Unigrams count once (skips do not apply to them),
// as in the ONNX reference and onnxruntime. Each gram's count is weighted
// and a constant 0/1 matrix adds it into its output column
// (`ngram_indexes`); counts are small integers, exact in f32.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/NodeContext.h"

#include "dialects/kiln/IR/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln::onnx;

/// Limits on the import-time tables ([rows, starts, grams] comparisons).
static constexpr int64_t kMaxPoolSize = int64_t(1) << 20;
static constexpr int64_t kMaxOutputSize = int64_t(1) << 20;

namespace {

/// The n-gram pool, grouped by gram length.
struct NgramPool {
  /// Tokens of the grams of length L (L = index + 1), gram after gram.
  std::vector<std::vector<int64_t>> tokens;
  /// The position of each of those grams in the whole pool (into
  /// `ngram_indexes`).
  std::vector<std::vector<int64_t>> ids;
  int64_t numGrams = 0;
};

struct TfIdfAttrs {
  int64_t minLength, maxLength, maxSkip;
  std::string mode;
  NgramPool pool;
  std::vector<int64_t> outputColumn; // ngram_indexes
  std::vector<float> weights;
  int64_t outputSize = 0;
};

} // namespace

/// Splits `pool_int64s` into grams by `ngram_counts` (the start of each
/// length's grams).
static std::optional<NgramPool>
readPool(NodeContext &ctx, ArrayRef<int64_t> pool, ArrayRef<int64_t> counts) {
  NgramPool result;
  int64_t size = pool.size();
  for (size_t i = 0; i < counts.size(); ++i) {
    int64_t begin = counts[i];
    int64_t end = i + 1 < counts.size() ? counts[i + 1] : size;
    int64_t length = i + 1;
    if (begin < 0 || begin > end || end > size) {
      ctx.emitError() << "ngram_counts must be ascending offsets into the "
                         "pool of "
                      << size << " items, got " << begin << " for length "
                      << length;
      return std::nullopt;
    }
    if ((end - begin) % length != 0) {
      ctx.emitError() << "the pool holds " << end - begin << " items for "
                      << length << "-grams, not a multiple of " << length;
      return std::nullopt;
    }
    result.tokens.emplace_back(pool.begin() + begin, pool.begin() + end);
    result.ids.emplace_back();
    for (int64_t g = 0; g < (end - begin) / length; ++g)
      result.ids.back().push_back(result.numGrams++);
  }
  return result;
}

static std::optional<TfIdfAttrs> readAttrs(NodeContext &ctx) {
  TfIdfAttrs attrs;
  attrs.minLength = ctx.getInt("min_gram_length", 0);
  attrs.maxLength = ctx.getInt("max_gram_length", 0);
  attrs.maxSkip = ctx.getInt("max_skip_count", 0);
  attrs.mode = ctx.getString("mode", "");
  auto counts = ctx.getInts("ngram_counts");
  auto indexes = ctx.getInts("ngram_indexes");
  auto pool = ctx.getInts("pool_int64s");
  auto weights = ctx.getFloats("weights");
  if (ctx.hasFailed())
    return std::nullopt;
  if (ctx.hasAttr("pool_strings")) {
    ctx.emitUnsupported() << "pool_strings (string tensors)";
    return std::nullopt;
  }
  if (!pool || !counts || !indexes) {
    ctx.emitError() << "needs the 'pool_int64s', 'ngram_counts' and "
                       "'ngram_indexes' attributes";
    return std::nullopt;
  }
  if (attrs.mode != "TF" && attrs.mode != "IDF" && attrs.mode != "TFIDF") {
    ctx.emitError() << "mode must be TF, IDF or TFIDF, got '" << attrs.mode
                    << "'";
    return std::nullopt;
  }
  if (attrs.minLength < 1 || attrs.maxLength < attrs.minLength ||
      attrs.maxSkip < 0 ||
      attrs.maxLength > static_cast<int64_t>(counts->size())) {
    ctx.emitError() << "needs 1 <= min_gram_length <= max_gram_length <= "
                       "the number of ngram_counts ("
                    << counts->size() << ") and max_skip_count >= 0, got "
                    << attrs.minLength << ", " << attrs.maxLength << ", "
                    << attrs.maxSkip;
    return std::nullopt;
  }
  if (static_cast<int64_t>(pool->size()) > kMaxPoolSize) {
    ctx.emitUnsupported() << "a pool of more than " << kMaxPoolSize << " items";
    return std::nullopt;
  }
  auto grams = readPool(ctx, *pool, *counts);
  if (!grams)
    return std::nullopt;
  attrs.pool = std::move(*grams);
  if (static_cast<int64_t>(indexes->size()) != attrs.pool.numGrams) {
    ctx.emitError() << "ngram_indexes has " << indexes->size()
                    << " entries for " << attrs.pool.numGrams
                    << " n-grams in the pool";
    return std::nullopt;
  }
  for (int64_t column : *indexes) {
    if (column < 0 || column >= kMaxOutputSize) {
      ctx.emitError() << "ngram_indexes entry " << column << " is out of range";
      return std::nullopt;
    }
    attrs.outputSize = std::max(attrs.outputSize, column + 1);
  }
  attrs.outputColumn = std::move(*indexes);
  if (weights) {
    if (static_cast<int64_t>(weights->size()) != attrs.pool.numGrams) {
      ctx.emitError() << "weights has " << weights->size() << " entries for "
                      << attrs.pool.numGrams << " n-grams in the pool";
      return std::nullopt;
    }
    attrs.weights = std::move(*weights);
  }
  return attrs;
}

/// Counts [rows, grams of length L] of the length-L grams at skip distance
/// `skip` in `tokens` [rows, C] (int64); null when no gram fits.
static Value countGrams(NodeContext &ctx, Value tokens, int64_t length,
                        int64_t skip, ArrayRef<int64_t> gramTokens) {
  auto type = cast<RankedTensorType>(tokens.getType());
  int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
  int64_t starts = columns - (length - 1) * skip;
  int64_t numGrams = gramTokens.size() / length;
  if (starts <= 0)
    return {};
  Type i64 = type.getElementType();
  Value match;
  for (int64_t j = 0; j < length; ++j) {
    Value window = ctx.create<kiln::SliceOp>(
        tokens, ArrayRef<int64_t>{0, j * skip}, ArrayRef<int64_t>{rows, starts},
        ArrayRef<int64_t>{1, 1});
    HostTensor gramToken(i64, {1, 1, numGrams});
    for (int64_t g = 0; g < numGrams; ++g)
      gramToken.setFromInt(g, gramTokens[g * length + j]);
    Value equal = ctx.create<kiln::CompareOp>(
        kiln::ComparePredicate::eq,
        ctx.createReshape(window, {rows, starts, 1}),
        ctx.createConstant(gramToken));
    match = match ? ctx.create<kiln::AndOp>(match, equal) : equal;
  }
  Type f32 = Float32Type::get(ctx.getContext());
  Value hits = ctx.createWithType<kiln::CastOp>(
      RankedTensorType::get({rows, starts, numGrams}, f32), match);
  return ctx.create<kiln::ReduceSumOp>(hits, ArrayRef<int64_t>{1},
                                       /*keep_dims=*/false);
}

/// The [numGrams, outputSize] 0/1 matrix that adds each length-L gram's
/// value into its output column.
static Value buildColumnMap(NodeContext &ctx, const TfIdfAttrs &attrs,
                            int64_t length) {
  ArrayRef<int64_t> ids = attrs.pool.ids[length - 1];
  HostTensor map(Float32Type::get(ctx.getContext()),
                 {static_cast<int64_t>(ids.size()), attrs.outputSize});
  for (auto [g, id] : llvm::enumerate(ids))
    map.setFromDouble(g * attrs.outputSize + attrs.outputColumn[id], 1.0);
  return ctx.createConstant(map);
}

/// TF, IDF or TFIDF of the counts [rows, grams] of the length-L grams. The
/// i-th weight belongs to the i-th n-gram of the pool (as the ONNX spec
/// says and onnxruntime does; the Python reference indexes them by output
/// column, which agrees when ngram_indexes is the identity).
static Value applyWeighting(NodeContext &ctx, const TfIdfAttrs &attrs,
                            int64_t length, Value counts) {
  if (attrs.mode == "TF")
    return counts;
  Type f32 = Float32Type::get(ctx.getContext());
  Value weights;
  if (!attrs.weights.empty()) {
    ArrayRef<int64_t> ids = attrs.pool.ids[length - 1];
    HostTensor table(f32, {static_cast<int64_t>(ids.size())});
    for (auto [g, id] : llvm::enumerate(ids))
      table.setFromDouble(g, attrs.weights[id]);
    weights = ctx.createConstant(table);
  }
  if (attrs.mode == "TFIDF")
    return weights ? ctx.create<kiln::MulOp>(counts, weights) : counts;
  // IDF: the weight (or 1) where the gram occurs at all.
  Value zero = ctx.createScalar(0, f32);
  Value seen =
      ctx.create<kiln::CompareOp>(kiln::ComparePredicate::gt, counts, zero);
  return ctx.create<kiln::SelectOp>(
      seen, weights ? weights : ctx.createScalar(1, f32), zero);
}

static void importTfIdfVectorizer(NodeContext &ctx) {
  if (!ctx.checkNumInputs(1, 1))
    return;
  RankedTensorType type = ctx.getInputType(0);
  auto attrs = readAttrs(ctx);
  if (!type || !attrs)
    return;
  auto elementType = dyn_cast<IntegerType>(type.getElementType());
  if (!elementType ||
      (elementType.getWidth() != 32 && elementType.getWidth() != 64)) {
    ctx.emitUnsupported() << "TfIdfVectorizer of " << type
                          << " (Kiln supports int32 and int64 tokens)";
    return;
  }
  if (type.getRank() < 1 || type.getRank() > 2 || !type.hasStaticShape()) {
    ctx.emitError() << "input must be [C] or [B, C] with a static shape, got "
                    << type;
    return;
  }
  int64_t rows = type.getRank() == 2 ? type.getDimSize(0) : 1;
  int64_t columns = type.getShape().back();
  Type i64 = IntegerType::get(ctx.getContext(), 64);
  Type f32 = Float32Type::get(ctx.getContext());
  Value tokens = ctx.createReshape(ctx.getInput(0), {rows, columns});
  if (elementType.getWidth() != 64)
    tokens = ctx.createWithType<kiln::CastOp>(
        RankedTensorType::get({rows, columns}, i64), tokens);
  Value result;
  for (int64_t length = attrs->minLength; length <= attrs->maxLength;
       ++length) {
    ArrayRef<int64_t> gramTokens = attrs->pool.tokens[length - 1];
    if (gramTokens.empty())
      continue;
    Value counts;
    int64_t maxSkipDistance = length == 1 ? 1 : attrs->maxSkip + 1;
    for (int64_t skip = 1; skip <= maxSkipDistance; ++skip) {
      Value atSkip = countGrams(ctx, tokens, length, skip, gramTokens);
      if (atSkip)
        counts = counts ? ctx.create<kiln::AddOp>(counts, atSkip) : atSkip;
    }
    if (!counts)
      continue;
    Value columns =
        ctx.create<kiln::MatMulOp>(applyWeighting(ctx, *attrs, length, counts),
                                   buildColumnMap(ctx, *attrs, length));
    result = result ? ctx.create<kiln::AddOp>(result, columns) : columns;
  }
  if (!result) // No gram fits in a row: every count is 0.
    result = ctx.createWithType<kiln::BroadcastToOp>(
        RankedTensorType::get({rows, attrs->outputSize}, f32),
        ctx.createScalar(0, f32));
  if (type.getRank() == 1)
    result = ctx.createReshape(result, {attrs->outputSize});
  ctx.setOutput(0, result);
}

void mlir::kiln::onnx::addTfIdfVectorizerRules(ImportRuleMap &rules) {
  rules["TfIdfVectorizer"] = importTfIdfVectorizer;
}
