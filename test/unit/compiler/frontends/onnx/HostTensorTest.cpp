//===- HostTensorTest.cpp - Tests for import-time constants ---------------===//
//
// Part of Kiln. Expected values follow ONNX Cast semantics (truncation
// toward zero, two's-complement wrap-around for narrow integers).
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/HostTensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include <catch2/catch.hpp>

#include <cstring>

using namespace mlir;
using namespace mlir::kiln::onnx;

TEST_CASE("HostTensor converts like ONNX Cast", "[onnx]") {
  MLIRContext context;
  Builder b(&context);

  HostTensor i8(b.getIntegerType(8), {3});
  i8.setFromInt(0, 300);     // wraps to 44
  i8.setFromDouble(1, -2.7); // truncates to -2
  i8.setFromInt(2, 255);     // wraps to -1
  CHECK(i8.toInts() == std::vector<int64_t>{44, -2, -1});

  HostTensor u8(b.getIntegerType(8, /*isSigned=*/false), {1});
  u8.setFromInt(0, -1);
  CHECK(u8.getInt(0) == 255);

  HostTensor flags(b.getI1Type(), {2});
  flags.setFromDouble(0, 0.5);
  flags.setFromInt(1, 0);
  CHECK(flags.toInts() == std::vector<int64_t>{1, 0});

  HostTensor f32(b.getF32Type(), {1});
  f32.setFromDouble(0, 0.1); // rounds to float precision
  CHECK(f32.getDouble(0) == static_cast<double>(0.1f));
}

TEST_CASE("HostTensor round-trips bytes and attributes", "[onnx]") {
  MLIRContext context;
  Builder b(&context);
  int32_t values[] = {-5, 7, 1 << 20};
  std::vector<char> bytes(sizeof(values));
  std::memcpy(bytes.data(), values, sizeof(values));
  auto type = RankedTensorType::get({3}, b.getI32Type());
  auto tensor = HostTensor::fromBytes(type, bytes);
  REQUIRE(tensor);
  CHECK(tensor->toInts() == std::vector<int64_t>{-5, 7, 1 << 20});

  DenseElementsAttr attr = tensor->toAttr();
  CHECK(attr.getType() == type);
  auto back = HostTensor::fromAttr(attr);
  REQUIRE(back);
  CHECK(back->toInts() == tensor->toInts());

  auto reshaped = tensor->reshaped({3, 1});
  CHECK(reshaped.getShape() == ArrayRef<int64_t>{3, 1});

  auto tooLarge = RankedTensorType::get({kMaxHostElements + 1}, b.getI8Type());
  std::vector<char> big(kMaxHostElements + 1, 0);
  CHECK(!HostTensor::fromBytes(tooLarge, big));
}
