//===- KilnShapesTest.cpp - Tests for the shared shape rules --------------===//
//
// Part of Kiln. Expected values are worked out by hand from the numpy and
// ONNX definitions.
//
//===----------------------------------------------------------------------===//

#include "dialects/kiln/IR/KilnShapes.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include <catch2/catch.hpp>

using namespace mlir::kiln;
using Shape = llvm::SmallVector<int64_t>;
static constexpr int64_t kDyn = mlir::ShapedType::kDynamic;

TEST_CASE("broadcastShapes follows numpy rules", "[shapes]") {
  CHECK(*broadcastShapes({4, 1}, {3}) == Shape{4, 3});
  CHECK(*broadcastShapes({}, {2, 3}) == Shape{2, 3});
  CHECK(*broadcastShapes({5, 1, 7}, {6, 1}) == Shape{5, 6, 7});
  CHECK(*broadcastShapes({kDyn, 3}, {1, 3}) == Shape{kDyn, 3});
  CHECK(*broadcastShapes({kDyn}, {4}) == Shape{4});
  CHECK_FALSE(broadcastShapes({2, 3}, {4, 3}).has_value());
  CHECK_FALSE(broadcastShapes({3}, {4}).has_value());
}

TEST_CASE("matmulShape follows numpy matmul", "[shapes]") {
  CHECK(*matmulShape({2, 3}, {3, 4}) == Shape{2, 4});
  CHECK(*matmulShape({3}, {3, 4}) == Shape{4});
  CHECK(*matmulShape({2, 3}, {3}) == Shape{2});
  CHECK(*matmulShape({3}, {3}) == Shape{});
  CHECK(*matmulShape({8, 1, 2, 3}, {5, 3, 4}) == Shape{8, 5, 2, 4});
  CHECK_FALSE(matmulShape({2, 3}, {4, 5}).has_value());
  CHECK_FALSE(matmulShape({}, {3}).has_value());
  CHECK_FALSE(matmulShape({2, 2, 3}, {3, 3, 4}).has_value());
}

TEST_CASE("convOutputSize matches the ONNX formula", "[shapes]") {
  CHECK(*convOutputSize(224, 7, 2, 1, 3, 3) == 112);
  CHECK(*convOutputSize(5, 3, 1, 2, 0, 0) == 1);
  CHECK(*convOutputSize(kDyn, 3, 1, 1, 1, 1) == kDyn);
  CHECK_FALSE(convOutputSize(2, 3, 1, 1, 0, 0).has_value());
  CHECK_FALSE(convOutputSize(8, 3, 0, 1, 0, 0).has_value());
}

TEST_CASE("convOutputSize handles dynamic kernels and empty inputs",
          "[shapes]") {
  // A dynamic filter extent leaves the output extent unknown.
  CHECK(*convOutputSize(8, kDyn, 1, 1, 0, 0) == kDyn);
  CHECK(*convOutputSize(kDyn, kDyn, 2, 1, 0, 0) == kDyn);
  // Padding alone can hold the window.
  CHECK(*convOutputSize(0, 3, 1, 1, 2, 1) == 1);
  CHECK_FALSE(convOutputSize(0, 3, 1, 1, 1, 1).has_value());
  CHECK_FALSE(convOutputSize(0, 3, 1, 1, 0, 0).has_value());
}

TEST_CASE("convOutputSize rejects bad attributes", "[shapes]") {
  CHECK_FALSE(convOutputSize(8, 0, 1, 1, 0, 0).has_value());
  CHECK_FALSE(convOutputSize(8, 3, 1, 0, 0, 0).has_value());
  CHECK_FALSE(convOutputSize(8, 3, -1, 1, 0, 0).has_value());
  CHECK_FALSE(convOutputSize(8, 3, 1, 1, -1, 0).has_value());
  CHECK_FALSE(convOutputSize(8, 3, 1, 1, 0, -1).has_value());
  // Even with a dynamic input, attributes are checked.
  CHECK_FALSE(convOutputSize(kDyn, 3, 0, 1, 0, 0).has_value());
  CHECK_FALSE(convOutputSize(kDyn, 0, 1, 1, 0, 0).has_value());
}

TEST_CASE("convOutputSize does not overflow", "[shapes]") {
  // dilation * (kernel - 1) + 1 and input + pads overflow int64.
  CHECK_FALSE(convOutputSize(8, 3, 1, INT64_MAX, 0, 0).has_value());
  CHECK_FALSE(convOutputSize(8, INT64_MAX, 1, 2, 0, 0).has_value());
  CHECK_FALSE(convOutputSize(8, 3, 1, 1, INT64_MAX, 1).has_value());
  CHECK_FALSE(convOutputSize(INT64_MAX, 1, 1, 1, 1, 0).has_value());
  // Large but representable extents work.
  CHECK(*convOutputSize(INT64_MAX - 2, 3, 1, 1, 1, 1) == INT64_MAX - 2);
  CHECK(*convOutputSize(8, 1, INT64_MAX, 1, 0, 0) == 1);
}

TEST_CASE("poolOutputSize handles ceil_mode", "[shapes]") {
  CHECK(*poolOutputSize(32, 2, 2, 1, 0, 0, false) == 16);
  CHECK(*poolOutputSize(5, 2, 2, 1, 0, 0, false) == 2);
  CHECK(*poolOutputSize(5, 2, 2, 1, 0, 0, true) == 3);
  // (4 + 2 - 2) / 2 is exact: ceil adds nothing.
  CHECK(*poolOutputSize(4, 2, 2, 1, 1, 1, true) == 3);
  CHECK(*poolOutputSize(112, 3, 2, 1, 1, 1, false) == 56);
  CHECK(*poolOutputSize(112, 3, 2, 1, 1, 1, true) == 57);
}

TEST_CASE("poolOutputSize drops a ceil window in the trailing padding",
          "[shapes]") {
  // Floor: (5 + 2 - 2) / 3 + 1 = 2 windows, at 0 and 3. Ceil adds one at 6,
  // which starts in the trailing padding (6 >= 5 + 0) and is dropped.
  CHECK(*poolOutputSize(5, 2, 3, 1, 0, 2, false) == 2);
  CHECK(*poolOutputSize(5, 2, 3, 1, 0, 2, true) == 2);
  // Same with pads 1, 1: the third window starts at input index 6 - 1 = 5.
  CHECK(*poolOutputSize(5, 2, 3, 1, 1, 1, true) == 2);
  // With pads 2, 0 it starts at input index 6 - 2 = 4, inside: kept.
  CHECK(*poolOutputSize(5, 2, 3, 1, 2, 0, false) == 2);
  CHECK(*poolOutputSize(5, 2, 3, 1, 2, 0, true) == 3);
  // An empty input keeps no window at all.
  CHECK(*poolOutputSize(0, 1, 1, 1, 0, 1, false) == 1);
  CHECK(*poolOutputSize(0, 1, 1, 1, 0, 1, true) == 0);
}

TEST_CASE("poolOutputSize handles dynamic and bad extents", "[shapes]") {
  CHECK(*poolOutputSize(kDyn, 2, 2, 1, 0, 0, true) == kDyn);
  CHECK(*poolOutputSize(kDyn, 2, 2, 1, 0, 0, false) == kDyn);
  CHECK_FALSE(poolOutputSize(1, 3, 1, 1, 0, 0, true).has_value());
  CHECK_FALSE(poolOutputSize(4, 2, 0, 1, 0, 0, true).has_value());
  CHECK_FALSE(poolOutputSize(8, 3, 1, INT64_MAX, 0, 0, true).has_value());
  // The start of the extra ceil window, 2 * 2^62, overflows int64: it lies
  // past the input and is dropped.
  CHECK(*poolOutputSize(INT64_MAX - 1, 2, int64_t(1) << 62, 1, 0, 0, true) ==
        2);
  CHECK(*poolOutputSize(INT64_MAX - 1, 2, INT64_MAX, 1, 0, 0, true) == 1);
}

TEST_CASE("numElements and isPermutation", "[shapes]") {
  CHECK(*numElements({2, 3, 4}) == 24);
  CHECK(*numElements({}) == 1);
  CHECK(*numElements({0, 5}) == 0);
  CHECK_FALSE(numElements({kDyn, 2}).has_value());
  CHECK_FALSE(numElements({INT64_MAX, 2}).has_value());
  CHECK(isPermutation({2, 0, 1}, 3));
  CHECK_FALSE(isPermutation({0, 0, 1}, 3));
  CHECK_FALSE(isPermutation({0, 1}, 3));
  CHECK_FALSE(isPermutation({0, 3, 1}, 3));
}
