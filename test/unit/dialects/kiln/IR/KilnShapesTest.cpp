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

TEST_CASE("poolOutputSize handles ceil_mode", "[shapes]") {
  CHECK(*poolOutputSize(32, 2, 2, 1, 0, 0, false) == 16);
  CHECK(*poolOutputSize(5, 2, 2, 1, 0, 0, false) == 2);
  CHECK(*poolOutputSize(5, 2, 2, 1, 0, 0, true) == 3);
  // ceil would add a window starting in the trailing padding: dropped.
  CHECK(*poolOutputSize(4, 2, 2, 1, 1, 1, true) == 3);
  CHECK(*poolOutputSize(112, 3, 2, 1, 1, 1, false) == 56);
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
