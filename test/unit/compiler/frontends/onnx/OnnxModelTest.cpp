//===- OnnxModelTest.cpp - Tests for reading ONNX tensor data -------------===//
//
// Part of Kiln. Expected bytes are written out by hand from the ONNX
// TensorProto encoding rules (onnx.proto comments on each data field).
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/OnnxModel.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <catch2/catch.hpp>

#include <cstring>

using namespace mlir::kiln::onnx;
using TP = ::onnx::TensorProto;

namespace {
/// Writes a minimal model file into a fresh temporary directory.
struct TempModel {
  llvm::SmallString<128> dir, path;
  TempModel() {
    REQUIRE(!llvm::sys::fs::createUniqueDirectory("kiln-unit", dir));
    path = dir;
    llvm::sys::path::append(path, "model.onnx");
    ::onnx::ModelProto model;
    model.set_ir_version(8);
    model.add_opset_import()->set_version(13);
    model.mutable_graph()->set_name("g");
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    REQUIRE(!ec);
    os << model.SerializeAsString();
  }
  ~TempModel() { llvm::sys::fs::remove_directories(dir); }
};

template <typename T> std::vector<char> bytesOf(std::initializer_list<T> v) {
  std::vector<char> out(v.size() * sizeof(T));
  std::memcpy(out.data(), std::data(v), out.size());
  return out;
}
} // namespace

TEST_CASE("checkedElementCount rejects bad dimensions", "[onnx]") {
  CHECK(*checkedElementCount({2, 3, 4}) == 24);
  CHECK(*checkedElementCount({}) == 1);
  CHECK(*checkedElementCount({7, 0}) == 0);
  auto negative = checkedElementCount({2, -1});
  CHECK(!negative);
  llvm::consumeError(negative.takeError());
  auto huge = checkedElementCount({kMaxDimension + 1});
  CHECK(!huge);
  llvm::consumeError(huge.takeError());
  auto overflow = checkedElementCount({1 << 30, 1 << 30, 1 << 30});
  CHECK(!overflow);
  llvm::consumeError(overflow.takeError());
}

TEST_CASE("OnnxModel::load reads the opset", "[onnx]") {
  TempModel temp;
  auto model = OnnxModel::load(temp.path);
  REQUIRE(static_cast<bool>(model));
  CHECK((*model)->opsetVersion() == 13);
  CHECK((*model)->path() == temp.path.str());
}

TEST_CASE("readTensorData decodes every typed field", "[onnx]") {
  TempModel temp;
  auto model = OnnxModel::load(temp.path);
  REQUIRE(static_cast<bool>(model));

  SECTION("int32_data narrows to int8") {
    TP t;
    t.set_data_type(TP::INT8);
    t.add_dims(3);
    for (int v : {-1, 2, -128})
      t.add_int32_data(v);
    auto data = readTensorData(t, **model);
    REQUIRE(static_cast<bool>(data));
    CHECK(*data == bytesOf<int8_t>({-1, 2, -128}));
  }
  SECTION("int32_data holds float16 bit patterns") {
    TP t;
    t.set_data_type(TP::FLOAT16);
    t.add_dims(2);
    t.add_int32_data(0x3C00); // 1.0
    t.add_int32_data(0xC000); // -2.0
    auto data = readTensorData(t, **model);
    REQUIRE(static_cast<bool>(data));
    CHECK(*data == bytesOf<uint16_t>({0x3C00, 0xC000}));
  }
  SECTION("bool values normalize to 0/1") {
    TP t;
    t.set_data_type(TP::BOOL);
    t.add_dims(3);
    for (int v : {0, 1, 5})
      t.add_int32_data(v);
    auto data = readTensorData(t, **model);
    REQUIRE(static_cast<bool>(data));
    CHECK(*data == bytesOf<uint8_t>({0, 1, 1}));
  }
  SECTION("uint64_data holds uint32") {
    TP t;
    t.set_data_type(TP::UINT32);
    t.add_dims(2);
    t.add_uint64_data(7);
    t.add_uint64_data(0xFFFFFFFFu);
    auto data = readTensorData(t, **model);
    REQUIRE(static_cast<bool>(data));
    CHECK(*data == bytesOf<uint32_t>({7, 0xFFFFFFFFu}));
  }
  SECTION("raw_data must match the shape") {
    TP t;
    t.set_data_type(TP::FLOAT);
    t.add_dims(2);
    t.set_raw_data(std::string(4, '\0'));
    auto data = readTensorData(t, **model);
    REQUIRE(!data);
    CHECK(llvm::toString(data.takeError()) ==
          "raw data holds 4 bytes but the shape needs 8");
  }
  SECTION("strings are unsupported") {
    TP t;
    t.set_data_type(TP::STRING);
    t.add_dims(1);
    t.add_string_data("hi");
    auto data = readTensorData(t, **model);
    REQUIRE(!data);
    CHECK(llvm::toString(data.takeError()) ==
          "unsupported ONNX data type string");
  }
}

TEST_CASE("getElementType maps ONNX types to MLIR types", "[onnx]") {
  mlir::MLIRContext context;
  CHECK(getElementType(&context, TP::FLOAT).isF32());
  CHECK(getElementType(&context, TP::BFLOAT16).isBF16());
  CHECK(getElementType(&context, TP::BOOL).isInteger(1));
  CHECK(getElementType(&context, TP::UINT8).isUnsignedInteger(8));
  CHECK(getElementType(&context, TP::INT64).isSignlessInteger(64));
  CHECK(!getElementType(&context, TP::STRING));
  CHECK(!getElementType(&context, TP::COMPLEX64));
  CHECK(getElementByteWidth(TP::BOOL) == 1);
  CHECK(getElementByteWidth(TP::DOUBLE) == 8);
  CHECK(getDataTypeName(TP::FLOAT16) == "float16");
}
