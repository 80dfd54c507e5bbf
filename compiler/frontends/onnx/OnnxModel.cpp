//===- OnnxModel.cpp - Loading untrusted ONNX model files -----------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontends/onnx/OnnxModel.h"
#include "dialects/kiln/IR/LowPrecisionTypes.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir::kiln::onnx;
using llvm::Expected;
using llvm::StringRef;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

OnnxModel::OnnxModel() : model(std::make_unique<::onnx::ModelProto>()) {}
OnnxModel::~OnnxModel() = default;

Expected<std::unique_ptr<OnnxModel>> OnnxModel::load(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read the model: " + buffer.getError().message());
  StringRef bytes = (*buffer)->getBuffer();
  if (bytes.empty())
    return makeError("the file is empty, not an ONNX model");
  if (bytes.size() > static_cast<size_t>(INT32_MAX))
    return makeError("the file is larger than 2 GiB; store the weights as "
                     "ONNX external data beside the model");

  std::unique_ptr<OnnxModel> result(new OnnxModel());
  result->filePath = path.str();
  if (!result->model->ParseFromArray(bytes.data(),
                                     static_cast<int>(bytes.size())))
    return makeError("not a valid ONNX model: the protobuf data is malformed "
                     "or truncated");
  const ::onnx::ModelProto &model = *result->model;
  if (!model.has_graph() || model.ir_version() <= 0)
    return makeError("not an ONNX model: it has no graph or no IR version");

  for (const auto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      result->opset = opset.version();

  llvm::SmallString<256> real;
  if (auto ec = llvm::sys::fs::real_path(path, real))
    return makeError("cannot resolve the model path: " + ec.message());
  result->realDirectory = llvm::sys::path::parent_path(real).str();
  return result;
}

mlir::Type mlir::kiln::onnx::getElementType(mlir::MLIRContext *context,
                                            int32_t dataType) {
  mlir::Builder b(context);
  using TP = ::onnx::TensorProto;
  switch (dataType) {
  case TP::FLOAT:
    return b.getF32Type();
  case TP::DOUBLE:
    return b.getF64Type();
  case TP::FLOAT16:
    return b.getF16Type();
  case TP::BFLOAT16:
    return b.getBF16Type();
  case TP::BOOL:
    return b.getI1Type();
  case TP::INT8:
    return b.getIntegerType(8);
  case TP::INT16:
    return b.getIntegerType(16);
  case TP::INT32:
    return b.getIntegerType(32);
  case TP::INT64:
    return b.getIntegerType(64);
  case TP::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case TP::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case TP::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case TP::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  // Debian's onnx.proto predates the low-precision types: plain codes.
  case kOnnxFloat8E4M3FN:
    return b.getFloat8E4M3FNType();
  case kOnnxFloat8E4M3FNUZ:
    return b.getFloat8E4M3FNUZType();
  case kOnnxFloat8E5M2:
    return b.getFloat8E5M2Type();
  case kOnnxFloat8E5M2FNUZ:
    return b.getFloat8E5M2FNUZType();
  case kOnnxUInt4:
    return b.getIntegerType(4, /*isSigned=*/false);
  case kOnnxInt4:
    return b.getIntegerType(4);
  case kOnnxFloat4E2M1:
    return getFloat4E2M1Type(context);
  default:
    return nullptr;
  }
}

unsigned mlir::kiln::onnx::getElementByteWidth(int32_t dataType) {
  using TP = ::onnx::TensorProto;
  switch (dataType) {
  case TP::BOOL:
  case TP::INT8:
  case TP::UINT8:
  case kOnnxFloat8E4M3FN:
  case kOnnxFloat8E4M3FNUZ:
  case kOnnxFloat8E5M2:
  case kOnnxFloat8E5M2FNUZ:
  // 4-bit types come packed two to a byte and are unpacked to one.
  case kOnnxUInt4:
  case kOnnxInt4:
  case kOnnxFloat4E2M1:
    return 1;
  case TP::INT16:
  case TP::UINT16:
  case TP::FLOAT16:
  case TP::BFLOAT16:
    return 2;
  case TP::FLOAT:
  case TP::INT32:
  case TP::UINT32:
    return 4;
  case TP::DOUBLE:
  case TP::INT64:
  case TP::UINT64:
    return 8;
  default:
    return 0;
  }
}

StringRef mlir::kiln::onnx::getDataTypeName(int32_t dataType) {
  static const char *names[] = {
      "undefined",      "float32",    "uint8",
      "int8",           "uint16",     "int16",
      "int32",          "int64",      "string",
      "bool",           "float16",    "float64",
      "uint32",         "uint64",     "complex64",
      "complex128",     "bfloat16",   "float8e4m3fn",
      "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz",
      "uint4",          "int4",       "float4e2m1",
      "float8e8m0",     "uint2",      "int2"};
  // Named here rather than by onnx.proto: Debian's stops at bfloat16.
  if (dataType >= 0 &&
      static_cast<size_t>(dataType) < sizeof(names) / sizeof(names[0]))
    return names[dataType];
  if (!::onnx::TensorProto_DataType_IsValid(dataType))
    return "invalid";
  return ::onnx::TensorProto_DataType_Name(dataType).c_str();
}

Expected<int64_t>
mlir::kiln::onnx::checkedElementCount(llvm::ArrayRef<int64_t> dims) {
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0)
      return makeError("negative dimension " + llvm::Twine(d));
    if (d > kMaxDimension)
      return makeError("dimension " + llvm::Twine(d) + " is absurdly large");
    if (d != 0 && count > INT64_MAX / d)
      return makeError("element count overflows 64 bits");
    count *= d;
  }
  return count;
}

/// Copies `values` into `out`, narrowing each to `width` bytes.
template <typename T>
static void packValues(const google::protobuf::RepeatedField<T> &values,
                       unsigned width, std::vector<char> &out) {
  out.resize(static_cast<size_t>(values.size()) * width);
  for (int i = 0; i < values.size(); ++i) {
    T value = values.Get(i);
    // Little-endian host: the low `width` bytes hold the narrowed value.
    std::memcpy(out.data() + static_cast<size_t>(i) * width, &value, width);
  }
}

/// Reads external data named by `tensor` from inside the model directory.
static Expected<std::vector<char>>
readExternalData(const ::onnx::TensorProto &tensor, const OnnxModel &model,
                 uint64_t expectedBytes) {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      uint64_t value;
      if (StringRef(entry.value()).getAsInteger(10, value))
        return makeError("external data " + entry.key() + " '" + entry.value() +
                         "' is not a non-negative integer");
      if (entry.key() == "offset")
        offset = value;
      else
        length = value;
    }
  }
  if (location.empty())
    return makeError("external data has no location");
  if (llvm::sys::path::is_absolute(location))
    return makeError("external data location '" + location +
                     "' is absolute; it must be relative to the model's "
                     "directory");
  llvm::SmallString<256> path(model.directory());
  llvm::sys::path::append(path, location);
  llvm::SmallString<256> real;
  if (auto ec = llvm::sys::fs::real_path(path, real))
    return makeError("cannot open external data file '" + location +
                     "': " + ec.message());
  llvm::SmallString<256> dirPrefix(model.directory());
  dirPrefix += llvm::sys::path::get_separator();
  if (!StringRef(real).starts_with(dirPrefix))
    return makeError("external data location '" + location +
                     "' leaves the model's directory");
  if (!llvm::sys::fs::is_regular_file(real))
    return makeError("external data location '" + location +
                     "' is not a regular file");
  if (length && *length != expectedBytes)
    return makeError("external data length " + llvm::Twine(*length) +
                     " does not match the " + llvm::Twine(expectedBytes) +
                     " bytes the tensor's shape needs");
  uint64_t fileSize = 0;
  if (auto ec = llvm::sys::fs::file_size(real, fileSize))
    return makeError("cannot stat external data file '" + location + "'");
  if (offset > fileSize || fileSize - offset < expectedBytes)
    return makeError("external data file '" + location + "' holds " +
                     llvm::Twine(fileSize) + " bytes, too few for " +
                     llvm::Twine(expectedBytes) + " bytes at offset " +
                     llvm::Twine(offset));
  auto buffer = llvm::MemoryBuffer::getFileSlice(real, expectedBytes, offset);
  if (!buffer)
    return makeError("cannot read external data file '" + location +
                     "': " + buffer.getError().message());
  StringRef data = (*buffer)->getBuffer();
  return std::vector<char>(data.begin(), data.end());
}

static bool isFourBitType(int32_t dataType) {
  return dataType == mlir::kiln::kOnnxUInt4 ||
         dataType == mlir::kiln::kOnnxInt4 ||
         dataType == mlir::kiln::kOnnxFloat4E2M1;
}

/// Unpacks `count` 4-bit elements stored two to a byte, the first in the low
/// nibble (ONNX's layout), to one byte each with the high nibble zero (the
/// layout Kiln computes in).
static std::vector<char> unpackNibbles(llvm::ArrayRef<uint8_t> packed,
                                       int64_t count) {
  std::vector<char> bytes(count);
  for (int64_t i = 0; i < count; ++i)
    bytes[i] = static_cast<char>((packed[i / 2] >> (i % 2 ? 4 : 0)) & 0xF);
  return bytes;
}

/// readTensorData for INT4, UINT4 and FLOAT4E2M1: raw or external data hold
/// two elements a byte, and so does each int32_data entry.
static Expected<std::vector<char>>
readFourBitData(const ::onnx::TensorProto &tensor, const OnnxModel &model,
                int64_t count) {
  uint64_t packedBytes = (static_cast<uint64_t>(count) + 1) / 2;
  std::vector<uint8_t> packed;
  if (tensor.data_location() == ::onnx::TensorProto::EXTERNAL) {
    auto data = readExternalData(tensor, model, packedBytes);
    if (!data)
      return data.takeError();
    packed.assign(data->begin(), data->end());
  } else if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (raw.size() != packedBytes)
      return makeError("raw data holds " + llvm::Twine(raw.size()) +
                       " bytes but the shape needs " +
                       llvm::Twine(packedBytes) + " (two 4-bit values a byte)");
    packed.assign(raw.begin(), raw.end());
  } else {
    if (static_cast<uint64_t>(tensor.int32_data_size()) != packedBytes)
      return makeError("tensor holds " + llvm::Twine(tensor.int32_data_size()) +
                       " int32 entries but its shape needs " +
                       llvm::Twine(packedBytes) + " (two 4-bit values each)");
    for (int32_t value : tensor.int32_data())
      packed.push_back(static_cast<uint8_t>(value));
  }
  return unpackNibbles(packed, count);
}

Expected<std::vector<char>>
mlir::kiln::onnx::readTensorData(const ::onnx::TensorProto &tensor,
                                 const OnnxModel &model) {
  using TP = ::onnx::TensorProto;
  int32_t dataType = tensor.data_type();
  unsigned width = getElementByteWidth(dataType);
  if (width == 0)
    return makeError("unsupported ONNX data type " + getDataTypeName(dataType));
  llvm::SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  auto count = checkedElementCount(dims);
  if (!count)
    return count.takeError();
  if (isFourBitType(dataType))
    return readFourBitData(tensor, model, *count);
  if (static_cast<uint64_t>(*count) > UINT64_MAX / width)
    return makeError("tensor size overflows 64 bits");
  uint64_t expectedBytes = static_cast<uint64_t>(*count) * width;

  if (tensor.data_location() == TP::EXTERNAL)
    return readExternalData(tensor, model, expectedBytes);

  std::vector<char> bytes;
  int64_t found = 0;
  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (raw.size() != expectedBytes)
      return makeError("raw data holds " + llvm::Twine(raw.size()) +
                       " bytes but the shape needs " +
                       llvm::Twine(expectedBytes));
    return std::vector<char>(raw.begin(), raw.end());
  }
  switch (dataType) {
  case TP::FLOAT:
    packValues(tensor.float_data(), width, bytes);
    found = tensor.float_data_size();
    break;
  case TP::DOUBLE:
    packValues(tensor.double_data(), width, bytes);
    found = tensor.double_data_size();
    break;
  case TP::INT64:
    packValues(tensor.int64_data(), width, bytes);
    found = tensor.int64_data_size();
    break;
  case TP::UINT32:
  case TP::UINT64:
    packValues(tensor.uint64_data(), width, bytes);
    found = tensor.uint64_data_size();
    break;
  default: // int32_data holds all narrower integer, bool and 16-bit floats.
    packValues(tensor.int32_data(), width, bytes);
    found = tensor.int32_data_size();
    break;
  }
  if (found != *count)
    return makeError("tensor holds " + llvm::Twine(found) +
                     " values but its shape needs " + llvm::Twine(*count));
  if (dataType == TP::BOOL)
    for (char &c : bytes)
      c = c != 0;
  return bytes;
}

Expected<mlir::RankedTensorType>
mlir::kiln::onnx::getValueInfoType(mlir::MLIRContext *context,
                                   const ::onnx::ValueInfoProto &info) {
  if (!info.has_type() || !info.type().has_tensor_type())
    return makeError("unsupported ONNX value kind: '" + info.name() +
                     "' is not a tensor (sequence, map and optional values "
                     "are not supported)");
  const auto &tensorType = info.type().tensor_type();
  mlir::Type elementType = getElementType(context, tensorType.elem_type());
  if (!elementType)
    return makeError("unsupported ONNX data type " +
                     getDataTypeName(tensorType.elem_type()) + " of '" +
                     info.name() + "'");
  if (!tensorType.has_shape())
    return makeError("'" + info.name() + "' has no shape (unknown rank)");
  llvm::SmallVector<int64_t> shape;
  for (const auto &dim : tensorType.shape().dim()) {
    if (!dim.has_dim_value()) {
      shape.push_back(mlir::ShapedType::kDynamic);
      continue;
    }
    int64_t d = dim.dim_value();
    if (d < 0 || d > kMaxDimension)
      return makeError("'" + info.name() + "' has invalid dimension " +
                       llvm::Twine(d) + " (must be in [0, 2^40])");
    shape.push_back(d);
  }
  return mlir::RankedTensorType::get(shape, elementType);
}
