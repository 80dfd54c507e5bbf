//===- Run.cpp - What `kiln run` does -------------------------------------===//
//
// Part of Kiln.
//
// ONNX models are compiled once into a cache, one directory per key:
//
//   <cache>/<sha256>/lib<name>.so
//
// where the SHA-256 covers the model's bytes, the size and modification time
// of its external data files, the model name, the code generation options
// (with `native` resolved to the host's CPU and features) and the compiler's
// identity (Kiln's version, the kiln executable's and the runtime archive's
// contents). An entry is built in a fresh temporary directory beside it and
// renamed into place, so concurrent runs never see half-written entries;
// when two build the same entry, the first rename wins and the other run
// uses it.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Run.h"
#include "compiler/driver/Compile.h"
#include "compiler/driver/Diagnostics.h"
#include "compiler/driver/Npy.h"
#include "compiler/frontends/onnx/OnnxModel.h"

#include "third_party/onnx/onnx/onnx.pb.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/TargetParser/Host.h"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <tuple>

using namespace mlir;
using namespace mlir::kiln;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

/// Part of every cache key: bump it when a change to Kiln must invalidate
/// cached libraries that the executable's own hash would not (it covers
/// every other change).
static constexpr const char *kKilnVersion = "kiln 0.1 (cache format 1)";

/// Tensors and workspaces larger than this are refused as corrupt (1 TiB).
static constexpr uint64_t kMaxBytes = uint64_t(1) << 40;
/// Buffers the tool allocates are aligned like the runtime's workspaces.
static constexpr size_t kBufferAlignment = 64;

char ReportedError::ID;

void ReportedError::log(llvm::raw_ostream &os) const {
  os << "error reported by a diagnostic";
}

std::error_code ReportedError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

static Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

LogicalResult kiln::reportError(Error error, llvm::raw_ostream &err) {
  llvm::handleAllErrors(
      std::move(error), [](const ReportedError &) {},
      [&](const llvm::ErrorInfoBase &info) {
        err << "kiln: error: " << info.message() << "\n";
      });
  return failure();
}

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

namespace {

enum class Kind { Float, Signed, Unsigned, Bool };

struct DtypeDesc {
  int32_t dtype;
  const char *name;
  unsigned size;
  Kind kind;
  /// Significand bits of floating-point types (with the implicit one).
  unsigned precision;
};

const DtypeDesc kDtypes[] = {
    {KILN_FLOAT32, "float32", 4, Kind::Float, 24},
    {KILN_FLOAT64, "float64", 8, Kind::Float, 53},
    {KILN_FLOAT16, "float16", 2, Kind::Float, 11},
    {KILN_BFLOAT16, "bfloat16", 2, Kind::Float, 8},
    {KILN_INT8, "int8", 1, Kind::Signed, 0},
    {KILN_INT16, "int16", 2, Kind::Signed, 0},
    {KILN_INT32, "int32", 4, Kind::Signed, 0},
    {KILN_INT64, "int64", 8, Kind::Signed, 0},
    {KILN_UINT8, "uint8", 1, Kind::Unsigned, 0},
    {KILN_UINT16, "uint16", 2, Kind::Unsigned, 0},
    {KILN_UINT32, "uint32", 4, Kind::Unsigned, 0},
    {KILN_UINT64, "uint64", 8, Kind::Unsigned, 0},
    {KILN_BOOL, "bool", 1, Kind::Bool, 0},
    // One byte per element (see runtime.h); .npy has none of these types.
    {KILN_FLOAT8E4M3FN, "float8e4m3fn", 1, Kind::Float, 4},
    {KILN_FLOAT8E4M3FNUZ, "float8e4m3fnuz", 1, Kind::Float, 4},
    {KILN_FLOAT8E5M2, "float8e5m2", 1, Kind::Float, 3},
    {KILN_FLOAT8E5M2FNUZ, "float8e5m2fnuz", 1, Kind::Float, 3},
    {KILN_FLOAT4E2M1, "float4e2m1", 1, Kind::Float, 2},
    {KILN_INT4, "int4", 1, Kind::Signed, 0},
    {KILN_UINT4, "uint4", 1, Kind::Unsigned, 0},
};

/// The APFloat semantics of an 8- or 4-bit float dtype, else null.
const llvm::fltSemantics *getSmallFloatSemantics(int32_t dtype) {
  switch (dtype) {
  case KILN_FLOAT8E4M3FN:
    return &llvm::APFloat::Float8E4M3FN();
  case KILN_FLOAT8E4M3FNUZ:
    return &llvm::APFloat::Float8E4M3FNUZ();
  case KILN_FLOAT8E5M2:
    return &llvm::APFloat::Float8E5M2();
  case KILN_FLOAT8E5M2FNUZ:
    return &llvm::APFloat::Float8E5M2FNUZ();
  case KILN_FLOAT4E2M1:
    return &llvm::APFloat::Float4E2M1FN();
  }
  return nullptr;
}

/// The value of an 8- or 4-bit float code (exact in a double).
double smallFloatToDouble(int32_t dtype, uint8_t code) {
  const llvm::fltSemantics &sem = *getSmallFloatSemantics(dtype);
  unsigned bits = llvm::APFloat::getSizeInBits(sem);
  return llvm::APFloat(sem, llvm::APInt(bits, code & ((1u << bits) - 1)))
      .convertToDouble();
}

/// The code of `value` in an 8- or 4-bit float type; only for values the
/// type holds exactly (fillRandom's grid).
uint8_t exactDoubleToSmallFloat(int32_t dtype, double value) {
  llvm::APFloat converted(value);
  bool losesInfo;
  converted.convert(*getSmallFloatSemantics(dtype),
                    llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint8_t>(converted.bitcastToAPInt().getZExtValue());
}

const DtypeDesc *findDtype(int32_t dtype) {
  for (const DtypeDesc &desc : kDtypes)
    if (desc.dtype == dtype)
      return &desc;
  return nullptr;
}

std::string dtypeName(int32_t dtype) {
  if (const DtypeDesc *desc = findDtype(dtype))
    return desc->name;
  return ("dtype " + Twine(dtype)).str();
}

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  if (exponent == 0) {
    float value = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -value : value;
  }
  uint32_t bits = exponent == 0x1f
                      ? sign | 0x7f800000 | (mantissa << 13)
                      : sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// Rounds to nearest, ties to even.
uint16_t floatToHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint32_t sign = (bits >> 16) & 0x8000;
  uint32_t mantissa = bits & 0x7fffff;
  int exponent = static_cast<int>((bits >> 23) & 0xff);
  if (exponent == 0xff)
    return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  int halfExponent = exponent - 127 + 15;
  if (halfExponent >= 31)
    return sign | 0x7c00;
  auto round = [](uint32_t kept, uint32_t rest, uint32_t half) {
    return kept + (rest > half || (rest == half && (kept & 1)));
  };
  if (halfExponent <= 0) {
    if (halfExponent < -10)
      return sign;
    uint32_t full = mantissa | 0x800000;
    int shift = 14 - halfExponent;
    return sign |
           round(full >> shift, full & ((1u << shift) - 1), 1u << (shift - 1));
  }
  // A carry out of the mantissa correctly bumps the exponent (or gives inf).
  return sign | round((uint32_t(halfExponent) << 10) | (mantissa >> 13),
                      mantissa & 0x1fff, 0x1000);
}

float bfloat16ToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

uint16_t floatToBfloat16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if ((bits & 0x7fffffff) > 0x7f800000)
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  return static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

/// Element `i` of little-endian data of an integer or bool type.
template <typename T> T load(const char *data, int64_t i) {
  T value;
  std::memcpy(&value, data + i * sizeof(T), sizeof(T));
  if (!llvm::sys::IsLittleEndianHost)
    value = llvm::byteswap(value);
  return value;
}

template <typename T> void store(char *data, int64_t i, T value) {
  if (!llvm::sys::IsLittleEndianHost)
    value = llvm::byteswap(value);
  std::memcpy(data + i * sizeof(T), &value, sizeof(T));
}

double loadFloat(int32_t dtype, const char *data, int64_t i) {
  switch (dtype) {
  case KILN_FLOAT32:
    return llvm::bit_cast<float>(load<uint32_t>(data, i));
  case KILN_FLOAT64:
    return llvm::bit_cast<double>(load<uint64_t>(data, i));
  case KILN_FLOAT16:
    return halfToFloat(load<uint16_t>(data, i));
  case KILN_BFLOAT16:
    return bfloat16ToFloat(load<uint16_t>(data, i));
  }
  if (getSmallFloatSemantics(dtype))
    return smallFloatToDouble(dtype, static_cast<uint8_t>(data[i]));
  return 0;
}

int64_t loadSigned(int32_t dtype, const char *data, int64_t i) {
  switch (dtype) {
  case KILN_INT8:
    return static_cast<int8_t>(data[i]);
  case KILN_INT4: // the low nibble, two's complement
    return llvm::SignExtend64<4>(static_cast<uint8_t>(data[i]));
  case KILN_INT16:
    return static_cast<int16_t>(load<uint16_t>(data, i));
  case KILN_INT32:
    return static_cast<int32_t>(load<uint32_t>(data, i));
  case KILN_INT64:
    return static_cast<int64_t>(load<uint64_t>(data, i));
  }
  return 0;
}

uint64_t loadUnsigned(int32_t dtype, const char *data, int64_t i) {
  switch (dtype) {
  case KILN_UINT8:
  case KILN_BOOL:
    return static_cast<uint8_t>(data[i]);
  case KILN_UINT4:
    return static_cast<uint8_t>(data[i]) & 0xF;
  case KILN_UINT16:
    return load<uint16_t>(data, i);
  case KILN_UINT32:
    return load<uint32_t>(data, i);
  case KILN_UINT64:
    return load<uint64_t>(data, i);
  }
  return 0;
}

/// Bytes of a tensor, or nullopt when a dimension is negative or the size
/// exceeds kMaxBytes.
std::optional<uint64_t> getByteSize(int32_t dtype,
                                    llvm::ArrayRef<int64_t> shape) {
  const DtypeDesc *desc = findDtype(dtype);
  if (!desc)
    return std::nullopt;
  uint64_t bytes = desc->size;
  bool tooLarge = false;
  for (int64_t dim : shape) {
    if (dim < 0)
      return std::nullopt;
    if (dim == 0)
      return 0;
    if (__builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes) ||
        bytes > kMaxBytes)
      tooLarge = true;
  }
  if (tooLarge)
    return std::nullopt;
  return bytes;
}

/// A 64-byte-aligned, zeroed tensor.
Expected<HostTensor> allocateTensor(StringRef name, int32_t dtype,
                                    llvm::ArrayRef<int64_t> shape) {
  std::optional<uint64_t> bytes = getByteSize(dtype, shape);
  if (!bytes)
    return makeError("'" + name + "' has an invalid or too large shape " +
                     describeTensorType(dtype, shape));
  HostTensor tensor;
  tensor.name = name.str();
  tensor.dtype = dtype;
  tensor.shape.assign(shape.begin(), shape.end());
  tensor.byteSize = *bytes;
  // Never a null pointer, not even for empty tensors: kiln_model_run checks.
  size_t allocated =
      llvm::alignTo(std::max<uint64_t>(*bytes, 1), kBufferAlignment);
  tensor.data = {
      static_cast<char *>(std::aligned_alloc(kBufferAlignment, allocated)),
      std::free};
  if (!tensor.data)
    return makeError("cannot allocate " + Twine(allocated) + " bytes for '" +
                     name + "'");
  std::memset(tensor.data.get(), 0, allocated);
  return std::move(tensor);
}

/// SplitMix64: small, fast, and the same numbers on every platform (unlike
/// the standard library's distributions).
class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n) (the bias is below 2^-59 for the n used here).
  uint64_t below(uint64_t n) { return next() % n; }

private:
  uint64_t state;
};

/// Fills `tensor` with values from a stream that depends only on the seed
/// and the input's name: floats on a grid of the type's precision in
/// [-1, 1) (so every value is exact), signed integers in [-10, 10),
/// unsigned ones in [0, 10) (int4 in [-8, 8), uint4 in [0, 16)), bools 0
/// or 1.
void fillRandom(HostTensor &tensor, uint64_t seed) {
  uint64_t nameHash = 0xcbf29ce484222325ull; // FNV-1a
  for (char c : tensor.name)
    nameHash = (nameHash ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
  Random random(seed ^ nameHash);
  random.next();
  const DtypeDesc &desc = *findDtype(tensor.dtype);
  char *data = tensor.data.get();
  int64_t n = tensor.getNumElements();
  for (int64_t i = 0; i < n; ++i) {
    switch (desc.kind) {
    case Kind::Float: {
      uint64_t k = random.next() >> (64 - desc.precision);
      double value =
          std::ldexp(static_cast<double>(k), 1 - int(desc.precision)) - 1.0;
      switch (tensor.dtype) {
      case KILN_FLOAT32:
        store<uint32_t>(data, i,
                        llvm::bit_cast<uint32_t>(static_cast<float>(value)));
        break;
      case KILN_FLOAT64:
        store<uint64_t>(data, i, llvm::bit_cast<uint64_t>(value));
        break;
      case KILN_FLOAT16:
        store<uint16_t>(data, i, floatToHalf(static_cast<float>(value)));
        break;
      case KILN_BFLOAT16:
        store<uint16_t>(data, i, floatToBfloat16(static_cast<float>(value)));
        break;
      default: // 8- and 4-bit floats: the grid holds only their values.
        data[i] =
            static_cast<char>(exactDoubleToSmallFloat(tensor.dtype, value));
        break;
      }
      break;
    }
    case Kind::Signed: {
      if (tensor.dtype == KILN_INT4) { // [-8, 8), in the low nibble
        data[i] = static_cast<char>(random.below(16));
        break;
      }
      int64_t value = static_cast<int64_t>(random.below(20)) - 10;
      switch (desc.size) {
      case 1:
        data[i] = static_cast<char>(value);
        break;
      case 2:
        store<uint16_t>(data, i, static_cast<uint16_t>(value));
        break;
      case 4:
        store<uint32_t>(data, i, static_cast<uint32_t>(value));
        break;
      case 8:
        store<uint64_t>(data, i, static_cast<uint64_t>(value));
        break;
      }
      break;
    }
    case Kind::Unsigned: {
      uint64_t value = random.below(tensor.dtype == KILN_UINT4 ? 16 : 10);
      switch (desc.size) {
      case 1:
        data[i] = static_cast<char>(value);
        break;
      case 2:
        store<uint16_t>(data, i, static_cast<uint16_t>(value));
        break;
      case 4:
        store<uint32_t>(data, i, static_cast<uint32_t>(value));
        break;
      case 8:
        store<uint64_t>(data, i, value);
        break;
      }
      break;
    }
    case Kind::Bool:
      data[i] = static_cast<char>(random.below(2));
      break;
    }
  }
}

} // namespace

int64_t HostTensor::getNumElements() const {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

std::string kiln::describeTensorType(int32_t dtype,
                                     llvm::ArrayRef<int64_t> shape) {
  std::string result = dtypeName(dtype) + "[";
  llvm::raw_string_ostream os(result);
  llvm::interleave(shape, os, "x");
  os << "]";
  return result;
}

void kiln::printTensorSummary(const HostTensor &tensor, llvm::raw_ostream &os) {
  os << tensor.name << ": " << describeTensorType(tensor.dtype, tensor.shape);
  int64_t n = tensor.getNumElements();
  const DtypeDesc *desc = findDtype(tensor.dtype);
  if (n == 0 || !desc) {
    os << " (empty)\n";
    return;
  }
  const char *data = tensor.data.get();
  constexpr int64_t kFirst = 5;
  int64_t shown = std::min(n, kFirst);
  if (desc->kind == Kind::Float) {
    auto print = [&](double value) { os << llvm::format("%g", value); };
    double min = std::numeric_limits<double>::infinity(), max = -min, sum = 0;
    int64_t nans = 0;
    for (int64_t i = 0; i < n; ++i) {
      double value = loadFloat(tensor.dtype, data, i);
      sum += value;
      if (std::isnan(value)) {
        ++nans;
        continue;
      }
      min = std::min(min, value);
      max = std::max(max, value);
    }
    if (nans == n)
      min = max = std::nan("");
    os << " min ";
    print(min);
    os << " max ";
    print(max);
    os << " mean ";
    print(sum / static_cast<double>(n));
    if (nans)
      os << " nans " << nans;
    os << " first";
    for (int64_t i = 0; i < shown; ++i) {
      os << ' ';
      print(loadFloat(tensor.dtype, data, i));
    }
  } else if (desc->kind == Kind::Signed) {
    int64_t min = std::numeric_limits<int64_t>::max();
    int64_t max = std::numeric_limits<int64_t>::min();
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      int64_t value = loadSigned(tensor.dtype, data, i);
      min = std::min(min, value);
      max = std::max(max, value);
      sum += static_cast<double>(value);
    }
    os << " min " << min << " max " << max << " mean "
       << llvm::format("%g", sum / static_cast<double>(n)) << " first";
    for (int64_t i = 0; i < shown; ++i)
      os << ' ' << loadSigned(tensor.dtype, data, i);
  } else {
    uint64_t min = std::numeric_limits<uint64_t>::max(), max = 0;
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      uint64_t value = loadUnsigned(tensor.dtype, data, i);
      min = std::min(min, value);
      max = std::max(max, value);
      sum += static_cast<double>(value);
    }
    os << " min " << min << " max " << max << " mean "
       << llvm::format("%g", sum / static_cast<double>(n)) << " first";
    for (int64_t i = 0; i < shown; ++i)
      os << ' ' << loadUnsigned(tensor.dtype, data, i);
  }
  if (n > kFirst)
    os << " ...";
  os << "\n";
}

//===----------------------------------------------------------------------===//
// ModelLibrary
//===----------------------------------------------------------------------===//

static const char *statusName(int status) {
  switch (status) {
  case KILN_ERROR_NULL_POINTER:
    return "KILN_ERROR_NULL_POINTER";
  case KILN_ERROR_WORKSPACE_TOO_SMALL:
    return "KILN_ERROR_WORKSPACE_TOO_SMALL";
  case KILN_ERROR_MISALIGNED:
    return "KILN_ERROR_MISALIGNED";
  case KILN_ERROR_INVALID_ARGUMENT:
    return "KILN_ERROR_INVALID_ARGUMENT";
  case KILN_ERROR_INTERNAL:
    return "KILN_ERROR_INTERNAL";
  }
  return "unknown status";
}

/// The model name a library file implies: `libNAME.so` or `NAME.so`.
static std::string nameFromLibraryPath(StringRef path) {
  StringRef file = llvm::sys::path::filename(path);
  size_t so = file.find(".so");
  if (so != StringRef::npos && so > 0)
    file = file.take_front(so);
  else
    file = llvm::sys::path::stem(file);
  if (file.starts_with("lib") && file.size() > 3)
    file = file.drop_front(3);
  return file.str();
}

ModelLibrary::~ModelLibrary() {
  if (workspace) {
    if (alignedFree)
      alignedFree(workspace);
    else
      std::free(workspace);
  }
  // No dlclose: the runtime's pool threads may still be parked in the code.
}

Expected<std::unique_ptr<ModelLibrary>> ModelLibrary::load(StringRef path,
                                                           StringRef name) {
  std::unique_ptr<ModelLibrary> library(new ModelLibrary);
  library->path = path.str();
  library->name = name.empty() ? nameFromLibraryPath(path) : name.str();

  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return makeError(path + ": cannot read the model: " + ec.message());
  if (!llvm::sys::fs::is_regular_file(status))
    return makeError(path + ": not a regular file");

  // An absolute path, so that dlopen never searches the library path.
  llvm::SmallString<256> absolute(path);
  if (std::error_code ec = llvm::sys::fs::make_absolute(absolute))
    return makeError(path + ": cannot resolve the path: " + ec.message());
  dlerror();
  library->handle = dlopen(absolute.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library->handle) {
    const char *message = dlerror();
    StringRef text = message ? message : "unknown error";
    text.consume_front((absolute + ": ").str());
    return makeError(path + ": cannot load the library: " + text);
  }
  void *handle = library->handle;
  auto lookup = [&](StringRef symbol) {
    return dlsym(handle, symbol.str().c_str());
  };

  std::string infoSymbol = library->name + "_info";
  auto *getInfo =
      reinterpret_cast<const kiln_model_info *(*)()>(lookup(infoSymbol));
  if (!getInfo)
    return makeError(path + ": not a Kiln model library: it has no '" +
                     infoSymbol +
                     "' function (if the file was renamed, give the model's "
                     "name with --name)");
  library->info = getInfo();
  if (!library->info)
    return makeError(path + ": " + infoSymbol + "() returned NULL");
  // Nothing else in the table may be read before the version matches.
  if (library->info->abi_version != KILN_ABI_VERSION)
    return makeError(path + ": the model uses Kiln ABI version " +
                     Twine(library->info->abi_version) +
                     ", this kiln supports version " + Twine(KILN_ABI_VERSION) +
                     " (recompile the model with this kiln)");
  if (Error error = library->checkInfo())
    return std::move(error);

  library->modelRun =
      reinterpret_cast<decltype(modelRun)>(lookup("kiln_model_run"));
  library->lastError =
      reinterpret_cast<decltype(lastError)>(lookup("kiln_last_error"));
  library->setThreads =
      reinterpret_cast<decltype(setThreads)>(lookup("kiln_set_num_threads"));
  library->getThreads =
      reinterpret_cast<decltype(getThreads)>(lookup("kiln_get_num_threads"));
  library->alignedAlloc =
      reinterpret_cast<decltype(alignedAlloc)>(lookup("kiln_aligned_alloc"));
  library->alignedFree =
      reinterpret_cast<decltype(alignedFree)>(lookup("kiln_aligned_free"));
  // Allocate and free with the same library.
  if (!library->alignedAlloc || !library->alignedFree)
    library->alignedAlloc = nullptr, library->alignedFree = nullptr;
  return std::move(library);
}

/// The generated table is trusted code, but a wrong or foreign library must
/// give an error rather than a crash.
Error ModelLibrary::checkInfo() const {
  const kiln_model_info &model = *info;
  constexpr int32_t kMaxTensors = 1 << 16;
  constexpr int32_t kMaxRank = 64;
  if (!model.run)
    return makeError(path + ": the model info has no run function");
  uint64_t alignment = model.workspace_alignment;
  if (alignment == 0 || (alignment & (alignment - 1)) || alignment > 4096)
    return makeError(path + ": invalid workspace alignment " +
                     Twine(alignment));
  if (model.workspace_size > kMaxBytes)
    return makeError(path + ": absurd workspace size " +
                     Twine(model.workspace_size));
  for (auto [kind, count, tensors] :
       {std::make_tuple("input", model.num_inputs, model.inputs),
        std::make_tuple("output", model.num_outputs, model.outputs)}) {
    if (count < 0 || count > kMaxTensors || (count > 0 && !tensors))
      return makeError(path + ": invalid " + kind + " table (" + Twine(count) +
                       " entries)");
    for (int32_t i = 0; i < count; ++i) {
      const kiln_tensor_info &tensor = tensors[i];
      std::string label = std::string(kind) + " " + std::to_string(i);
      if (!tensor.name)
        return makeError(path + ": " + label + " has no name");
      if (!findDtype(tensor.dtype))
        return makeError(path + ": " + label + " '" + tensor.name +
                         "' has unknown dtype " + Twine(tensor.dtype));
      if (tensor.rank < 0 || tensor.rank > kMaxRank ||
          (tensor.rank > 0 && !tensor.shape))
        return makeError(path + ": " + label + " '" + tensor.name +
                         "' has an invalid rank " + Twine(tensor.rank));
      if (!getByteSize(tensor.dtype, {tensor.shape, size_t(tensor.rank)}))
        return makeError(path + ": " + label + " '" + tensor.name +
                         "' has an invalid or too large shape");
    }
  }
  return Error::success();
}

bool ModelLibrary::setNumThreads(int n) {
  if (!setThreads)
    return false;
  setThreads(n);
  return true;
}

int ModelLibrary::getNumThreads() const {
  return getThreads ? getThreads() : 1;
}

Expected<std::vector<HostTensor>> ModelLibrary::allocateOutputs() const {
  std::vector<HostTensor> outputs;
  for (int32_t i = 0; i < info->num_outputs; ++i) {
    const kiln_tensor_info &tensor = info->outputs[i];
    auto allocated = allocateTensor(tensor.name, tensor.dtype,
                                    {tensor.shape, size_t(tensor.rank)});
    if (!allocated)
      return allocated.takeError();
    outputs.push_back(std::move(*allocated));
  }
  return std::move(outputs);
}

Error ModelLibrary::run(const std::vector<HostTensor> &inputs,
                        std::vector<HostTensor> &outputs) {
  if (inputs.size() != size_t(info->num_inputs) ||
      outputs.size() != size_t(info->num_outputs))
    return makeError("internal error: wrong number of tensors for '" + name +
                     "'");
  size_t workspaceSize = info->workspace_size;
  if (!workspaceReady && workspaceSize > 0) {
    size_t alignment = std::max<size_t>(info->workspace_alignment, 1);
    size_t allocated = llvm::alignTo(workspaceSize, alignment);
    workspace = alignedAlloc ? alignedAlloc(allocated, alignment)
                             : std::aligned_alloc(alignment, allocated);
    if (!workspace)
      return makeError("cannot allocate the " + Twine(workspaceSize) +
                       "-byte workspace of '" + name + "'");
  }
  workspaceReady = true;

  llvm::SmallVector<const void *> inputPointers;
  for (const HostTensor &tensor : inputs)
    inputPointers.push_back(tensor.data.get());
  llvm::SmallVector<void *> outputPointers;
  for (HostTensor &tensor : outputs)
    outputPointers.push_back(tensor.data.get());
  // Without kiln_model_run (a library that stripped it), call the model
  // directly: the tool has checked the table and made every buffer itself.
  int status =
      modelRun
          ? modelRun(info, inputPointers.data(), outputPointers.data(),
                     workspace, workspaceSize)
          : info->run(inputPointers.data(), outputPointers.data(), workspace);
  if (status == KILN_OK)
    return Error::success();
  const char *message = lastError ? lastError() : nullptr;
  return makeError("model '" + name + "' failed with status " + Twine(status) +
                   " (" + statusName(status) + ")" +
                   (message && *message ? Twine(": ") + message : Twine()));
}

//===----------------------------------------------------------------------===//
// Finding or building the library
//===----------------------------------------------------------------------===//

Expected<std::string> kiln::getCacheDirectory(const ModelRunOptions &options) {
  if (!options.cacheDir.empty())
    return options.cacheDir;
  if (std::optional<std::string> dir =
          llvm::sys::Process::GetEnv("KILN_CACHE_DIR");
      dir && !dir->empty())
    return *dir;
  llvm::SmallString<256> path;
  // The XDG base directory spec says to ignore relative paths.
  if (std::optional<std::string> dir =
          llvm::sys::Process::GetEnv("XDG_CACHE_HOME");
      dir && llvm::sys::path::is_absolute(*dir)) {
    path = *dir;
  } else {
    if (!llvm::sys::path::home_directory(path))
      return makeError("cannot find a cache directory for compiled models: "
                       "set --cache-dir or KILN_CACHE_DIR");
    llvm::sys::path::append(path, ".cache");
  }
  llvm::sys::path::append(path, "kiln");
  return path.str().str();
}

static bool isCIdentifier(StringRef name) {
  return !name.empty() &&
         (llvm::isAlpha(name.front()) || name.front() == '_') &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// Whether `path` names a shared library rather than an ONNX model: ELF
/// files are libraries, and so are `.so` files (dlopen then says what is
/// wrong with them).
static bool isLibraryPath(StringRef path) {
  StringRef file = llvm::sys::path::filename(path);
  if (file.ends_with(".onnx"))
    return false;
  if (file.ends_with(".so") || file.contains(".so."))
    return true;
  llvm::file_magic magic;
  if (llvm::identify_magic(path, magic))
    return false;
  switch (magic) {
  case llvm::file_magic::elf:
  case llvm::file_magic::elf_relocatable:
  case llvm::file_magic::elf_executable:
  case llvm::file_magic::elf_shared_object:
  case llvm::file_magic::elf_core:
    return true;
  default:
    return false;
  }
}

/// The SHA-256 of a file's contents as hex, or "" when it cannot be read.
static std::string hashFile(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return "";
  return llvm::toHex(
      llvm::SHA256::hash(llvm::arrayRefFromStringRef((*buffer)->getBuffer())),
      /*LowerCase=*/true);
}

/// Which compiler produced a cached library: Kiln's version plus the
/// contents of this executable and of the runtime archive it links in (found
/// as `kiln compile` finds it), so that any rebuild of either invalidates
/// the cache.
static std::string getCompilerIdentity() {
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable("kiln", &anchor);
  llvm::SmallString<256> runtime;
  if (std::optional<std::string> dir =
          llvm::sys::Process::GetEnv("KILN_RUNTIME_DIR")) {
    runtime = *dir;
  } else {
    runtime = llvm::sys::path::parent_path(llvm::sys::path::parent_path(exe));
    llvm::sys::path::append(runtime, "lib");
  }
  llvm::sys::path::append(runtime, "libkiln_runtime.a");
  return (Twine(kKilnVersion) + " exe " + hashFile(exe) + " runtime " +
          hashFile(runtime))
      .str();
}

/// Records the external data files a graph's tensors name (recursing into
/// subgraphs).
static void collectExternalData(const ::onnx::GraphProto &graph,
                                std::set<std::string> &locations) {
  auto visitTensor = [&](const ::onnx::TensorProto &tensor) {
    if (tensor.data_location() != ::onnx::TensorProto::EXTERNAL)
      return;
    for (const auto &entry : tensor.external_data())
      if (entry.key() == "location")
        locations.insert(entry.value());
  };
  for (const auto &tensor : graph.initializer())
    visitTensor(tensor);
  for (const auto &sparse : graph.sparse_initializer()) {
    visitTensor(sparse.values());
    visitTensor(sparse.indices());
  }
  for (const auto &node : graph.node()) {
    for (const auto &attribute : node.attribute()) {
      if (attribute.has_t())
        visitTensor(attribute.t());
      for (const auto &tensor : attribute.tensors())
        visitTensor(tensor);
      if (attribute.has_g())
        collectExternalData(attribute.g(), locations);
      for (const auto &subgraph : attribute.graphs())
        collectExternalData(subgraph, locations);
    }
  }
}

/// The .npy dtype that carries `dtype`: uint8 bit patterns for 8- and 4-bit
/// floats, int8 and uint8 values for int4 and uint4; `dtype` itself else.
static int32_t getNpyDtype(int32_t dtype) {
  if (getSmallFloatSemantics(dtype) || dtype == KILN_UINT4)
    return KILN_UINT8;
  if (dtype == KILN_INT4)
    return KILN_INT8;
  return dtype;
}

static StringRef getNpyEncoding(int32_t dtype) {
  if (getSmallFloatSemantics(dtype))
    return "as uint8 bit patterns";
  return "values as int8/uint8";
}

/// Copies a (u)int8 array into a tensor of an 8- or 4-bit dtype, checking
/// that each value fits the type (4-bit codes and int4/uint4 ranges).
static Error packSmallInput(int32_t dtype, const NpyArray &array,
                            HostTensor &tensor) {
  for (int64_t j = 0, e = tensor.getNumElements(); j < e; ++j) {
    auto byte = static_cast<uint8_t>(array.data[j]);
    bool fits = true;
    if (dtype == KILN_INT4)
      fits = static_cast<int8_t>(byte) >= -8 && static_cast<int8_t>(byte) < 8;
    else if (dtype == KILN_UINT4 || dtype == KILN_FLOAT4E2M1)
      fits = byte < 16;
    if (!fits)
      return makeError("element " + Twine(j) + " (" +
                       Twine(dtype == KILN_INT4 ? int(static_cast<int8_t>(byte))
                                                : int(byte)) +
                       ") does not fit " + dtypeName(dtype));
    // int4 keeps only its low nibble (-3 is 0x0D), as the C ABI wants.
    tensor.data.get()[j] =
        static_cast<char>(dtype == KILN_INT4 ? byte & 0xF : byte);
  }
  return Error::success();
}

/// The cache key of compiling `modelPath` with `options` as `name`.
static Expected<std::string> computeCacheKey(const ModelRunOptions &options,
                                             StringRef name) {
  auto buffer = llvm::MemoryBuffer::getFile(options.modelPath, false, false);
  if (!buffer)
    return makeError(options.modelPath +
                     ": cannot read the model: " + buffer.getError().message());

  llvm::SHA256 hasher;
  // Length-prefixed fields, so that no two option sets hash the same bytes.
  auto field = [&](StringRef tag, StringRef value) {
    char length[8];
    llvm::support::endian::write64le(length, value.size());
    hasher.update(tag);
    hasher.update(StringRef(length, sizeof(length)));
    hasher.update(value);
  };
  field("compiler", getCompilerIdentity());
  field("triple", llvm::sys::getProcessTriple());
  std::string cpu = options.target.cpu;
  std::string features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    std::vector<std::string> hostFeatures;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      hostFeatures.push_back((feature.getValue() ? "+" : "-") +
                             feature.getKey().str());
    llvm::sort(hostFeatures);
    features = llvm::join(hostFeatures, ",") + ";";
  }
  features += options.target.features;
  field("cpu", cpu);
  field("features", features);
  field("opt", std::to_string(options.target.optLevel));
  field("name", name);
  for (const std::string &shape : options.inputShapes)
    field("input-shape", shape);
  for (const std::string &dim : options.dims)
    field("dim", dim);
  // A bound input by its name and contents: a changed file recompiles.
  for (const std::string &binding : options.boundInputs) {
    auto [name, file] = StringRef(binding).rsplit('=');
    field("bind-input", name.str() + "=" + hashFile(file));
  }
  field("model", (*buffer)->getBuffer());

  // External weights: by size and modification time (hashing gigabytes on
  // every run would cost more than it saves).
  auto model = kiln::onnx::OnnxModel::load(options.modelPath);
  if (!model)
    return makeError(options.modelPath + ": " +
                     llvm::toString(model.takeError()));
  std::set<std::string> locations;
  collectExternalData((*model)->proto().graph(), locations);
  for (const std::string &location : locations) {
    llvm::SmallString<256> path((*model)->directory());
    llvm::sys::path::append(path, location);
    llvm::sys::fs::file_status status;
    std::string description = location;
    if (!llvm::sys::fs::status(path, status))
      description +=
          " " + std::to_string(status.getSize()) + " " +
          std::to_string(
              status.getLastModificationTime().time_since_epoch().count());
    field("external", description);
  }
  return llvm::toHex(hasher.final(), /*LowerCase=*/true);
}

Expected<std::string> kiln::findOrBuildLibrary(MLIRContext &context,
                                               const ModelRunOptions &options,
                                               llvm::raw_ostream &err) {
  StringRef modelPath = options.modelPath;
  if (!llvm::sys::fs::exists(modelPath)) {
    llvm::sys::fs::file_status status;
    std::error_code ec = llvm::sys::fs::status(modelPath, status);
    return makeError(modelPath + ": cannot read the model: " +
                     (ec ? ec.message() : "No such file or directory"));
  }
  if (isLibraryPath(modelPath))
    return options.modelPath;

  std::string name = options.modelName.empty() ? deriveModelName(modelPath)
                                               : options.modelName;
  // The name becomes part of a path: it must be a plain identifier.
  if (!isCIdentifier(name))
    return makeError("model name '" + name +
                     "' is not a C identifier (--name)");
  auto key = computeCacheKey(options, name);
  if (!key)
    return key.takeError();
  auto cacheDir = getCacheDirectory(options);
  if (!cacheDir)
    return cacheDir.takeError();
  // Absolute, or createUniqueDirectory would put the temporary directory
  // under the system's temporary directory (and rename could not move it).
  {
    llvm::SmallString<256> absolute(*cacheDir);
    if (std::error_code ec = llvm::sys::fs::make_absolute(absolute))
      return makeError("cannot resolve the cache directory '" + *cacheDir +
                       "': " + ec.message());
    *cacheDir = absolute.str().str();
  }

  llvm::SmallString<256> entry(*cacheDir);
  llvm::sys::path::append(entry, *key);
  llvm::SmallString<256> library(entry);
  llvm::sys::path::append(library, "lib" + name + ".so");
  if (llvm::sys::fs::exists(library)) {
    if (options.verbose)
      err << "kiln: note: using the cached library '" << library << "'\n";
    return library.str().str();
  }

  if (std::error_code ec = llvm::sys::fs::create_directories(*cacheDir))
    return makeError("cannot create the cache directory '" + *cacheDir +
                     "': " + ec.message());
  llvm::SmallString<256> prefix(*cacheDir);
  llvm::sys::path::append(prefix, ".tmp-" + key->substr(0, 16));
  llvm::SmallString<256> temp;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(prefix, temp))
    return makeError("cannot create a directory in the cache '" + *cacheDir +
                     "': " + ec.message());
  auto removeTemp = llvm::make_scope_exit(
      [&] { llvm::sys::fs::remove_directories(temp, /*IgnoreErrors=*/true); });

  if (options.verbose)
    err << "kiln: note: compiling '" << modelPath << "' into '" << library
        << "'\n";
  CompileOptions compile;
  compile.inputPath = options.modelPath;
  llvm::SmallString<256> output(temp);
  llvm::sys::path::append(output, "lib" + name + ".so");
  compile.outputPath = output.str().str();
  compile.modelName = name;
  compile.emit = Phase::Shared;
  compile.target = options.target;
  compile.target.triple.clear();
  for (const std::string &shape : options.inputShapes)
    if (Error error = onnx::parseInputShapeOption(shape, compile.import))
      return std::move(error);
  for (const std::string &dim : options.dims)
    if (Error error = onnx::parseDimOption(dim, compile.import))
      return std::move(error);
  for (const std::string &binding : options.boundInputs)
    if (Error error = parseBindInputOption(binding, compile.import))
      return std::move(error);
  if (failed(compileModel(context, compile)))
    return llvm::make_error<ReportedError>();

  if (std::error_code ec = llvm::sys::fs::rename(temp, entry)) {
    // Another run stored the same entry first: use it.
    if (llvm::sys::fs::exists(library))
      return library.str().str();
    return makeError("cannot store the compiled model in the cache '" +
                     *cacheDir + "': " + ec.message());
  }
  return library.str().str();
}

Expected<std::unique_ptr<ModelLibrary>>
kiln::loadModel(MLIRContext &context, const ModelRunOptions &options,
                llvm::raw_ostream &err) {
  if (options.threads < 0)
    return makeError("--threads must be at least 1");
  auto path = findOrBuildLibrary(context, options, err);
  if (!path)
    return path.takeError();
  // A compiled ONNX model is named as it was compiled.
  std::string name = options.modelName;
  if (name.empty() && !isLibraryPath(options.modelPath))
    name = deriveModelName(options.modelPath);
  auto library = ModelLibrary::load(*path, name);
  if (!library)
    return library.takeError();
  if (options.threads > 0 && !(*library)->setNumThreads(options.threads))
    err << "kiln: note: '" << *path
        << "' has no kiln_set_num_threads(); --threads has no effect\n";
  return library;
}

//===----------------------------------------------------------------------===//
// Inputs and outputs
//===----------------------------------------------------------------------===//

Expected<std::vector<HostTensor>>
kiln::prepareInputs(const ModelLibrary &model, const ModelRunOptions &options,
                    llvm::raw_ostream &err) {
  const kiln_model_info &info = model.getInfo();
  llvm::StringSet<> inputNames;
  for (int32_t i = 0; i < info.num_inputs; ++i)
    inputNames.insert(info.inputs[i].name);
  auto listInputs = [&] {
    std::string list;
    for (int32_t i = 0; i < info.num_inputs; ++i)
      list += (i ? ", " : "") + std::string(info.inputs[i].name);
    return list.empty() ? std::string("none") : list;
  };

  // NAME=FILE: the first '=' that ends an input's name (names may hold '='
  // too), else the first '='.
  std::map<std::string, std::string> files;
  for (StringRef spec : options.inputs) {
    size_t split = StringRef::npos;
    for (size_t pos = spec.find('='); pos != StringRef::npos;
         pos = spec.find('=', pos + 1))
      if (inputNames.contains(spec.take_front(pos))) {
        split = pos;
        break;
      }
    if (split == StringRef::npos) {
      size_t equals = spec.find('=');
      if (equals == StringRef::npos || equals + 1 == spec.size())
        return makeError("--input '" + spec + "' is not NAME=FILE.npy");
      return makeError("--input: model '" + model.getName() +
                       "' has no input named '" + spec.take_front(equals) +
                       "' (its inputs: " + listInputs() + ")");
    }
    StringRef name = spec.take_front(split), file = spec.drop_front(split + 1);
    if (file.empty())
      return makeError("--input '" + spec + "' is not NAME=FILE.npy");
    if (!files.emplace(name.str(), file.str()).second)
      return makeError("--input: input '" + name + "' is given twice");
  }

  std::vector<HostTensor> inputs;
  for (int32_t i = 0; i < info.num_inputs; ++i) {
    const kiln_tensor_info &desc = info.inputs[i];
    llvm::ArrayRef<int64_t> shape(desc.shape, size_t(desc.rank));
    auto tensor = allocateTensor(desc.name, desc.dtype, shape);
    if (!tensor)
      return tensor.takeError();
    auto file = files.find(desc.name);
    if (file == files.end()) {
      fillRandom(*tensor, options.seed);
      err << "kiln: note: input '" << desc.name << "' not given: random "
          << describeTensorType(desc.dtype, shape) << " (seed " << options.seed
          << ")\n";
      inputs.push_back(std::move(*tensor));
      continue;
    }
    auto array = readNpy(file->second);
    if (!array)
      return makeError("input '" + Twine(desc.name) +
                       "': " + llvm::toString(array.takeError()));
    // .npy cannot hold bfloat16: such inputs come as float32 and are rounded.
    bool fromFloat32 =
        desc.dtype == KILN_BFLOAT16 && array->dtype == KILN_FLOAT32;
    // Nor 8- and 4-bit types: they come as (u)int8, see getNpyDtype().
    if (int32_t npyDtype = getNpyDtype(desc.dtype); npyDtype != desc.dtype) {
      if (array->dtype != npyDtype ||
          llvm::ArrayRef<int64_t>(array->shape) != shape)
        return makeError(
            "input '" + Twine(desc.name) + "': '" + file->second + "' holds " +
            describeTensorType(array->dtype, array->shape) +
            ", the model expects " + describeTensorType(npyDtype, shape) +
            " (" + dtypeName(desc.dtype) + " " + getNpyEncoding(desc.dtype) +
            ")");
      if (Error error = packSmallInput(desc.dtype, *array, *tensor))
        return makeError("input '" + Twine(desc.name) + "': '" + file->second +
                         "': " + llvm::toString(std::move(error)));
      inputs.push_back(std::move(*tensor));
      continue;
    }
    if ((array->dtype != desc.dtype && !fromFloat32) ||
        llvm::ArrayRef<int64_t>(array->shape) != shape) {
      return makeError(
          "input '" + Twine(desc.name) + "': '" + file->second + "' holds " +
          describeTensorType(array->dtype, array->shape) +
          ", the model expects " +
          describeTensorType(
              desc.dtype == KILN_BFLOAT16 ? KILN_FLOAT32 : desc.dtype, shape) +
          (desc.dtype == KILN_BFLOAT16 ? " (rounded to bfloat16)" : ""));
    }
    if (fromFloat32) {
      for (int64_t j = 0, e = tensor->getNumElements(); j < e; ++j)
        store<uint16_t>(tensor->data.get(), j,
                        floatToBfloat16(static_cast<float>(
                            loadFloat(KILN_FLOAT32, array->data.data(), j))));
    } else {
      if (array->data.size() != tensor->byteSize)
        return makeError("input '" + Twine(desc.name) + "': '" + file->second +
                         "' holds " + Twine(array->data.size()) +
                         " bytes of data, " + Twine(tensor->byteSize) +
                         " expected");
      std::memcpy(tensor->data.get(), array->data.data(), tensor->byteSize);
    }
    inputs.push_back(std::move(*tensor));
  }
  return std::move(inputs);
}

/// `probs/0:1` -> `probs_0_1`: a file name from an output's name.
static std::string sanitizeFileName(StringRef name, int32_t index) {
  std::string result = name.str();
  for (char &c : result)
    if (!llvm::isAlnum(c) && c != '.' && c != '_' && c != '-')
      c = '_';
  if (result.empty() || result == "." || result == "..")
    result = "output" + std::to_string(index);
  return result;
}

/// The .npy file of each output in `dir`, which is created; fails before
/// the model runs when two outputs would share a file.
static Expected<std::vector<std::string>>
planOutputFiles(const std::vector<HostTensor> &outputs, StringRef dir) {
  std::map<std::string, StringRef> fileNames;
  std::vector<std::string> paths;
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string file = sanitizeFileName(outputs[i].name, int32_t(i)) + ".npy";
    auto [it, inserted] = fileNames.emplace(file, outputs[i].name);
    if (!inserted)
      return makeError("outputs '" + it->second + "' and '" + outputs[i].name +
                       "' would both be written to '" + file + "'");
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, file);
    paths.push_back(path.str().str());
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return makeError("cannot create the output directory '" + dir +
                     "': " + ec.message());
  return std::move(paths);
}

static Error writeOutputs(const std::vector<HostTensor> &outputs,
                          llvm::ArrayRef<std::string> paths,
                          llvm::raw_ostream &err) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const HostTensor &tensor = outputs[i];
    NpyArray array;
    array.shape = tensor.shape;
    const char *data = tensor.data.get();
    if (tensor.dtype == KILN_BFLOAT16) {
      err << "kiln: note: output '" << tensor.name
          << "' is bfloat16, which .npy cannot hold: writing float32\n";
      array.dtype = KILN_FLOAT32;
      array.data.resize(tensor.getNumElements() * sizeof(float));
      for (int64_t j = 0, e = tensor.getNumElements(); j < e; ++j)
        store<uint32_t>(array.data.data(), j,
                        llvm::bit_cast<uint32_t>(static_cast<float>(
                            loadFloat(KILN_BFLOAT16, data, j))));
    } else if (int32_t npyDtype = getNpyDtype(tensor.dtype);
               npyDtype != tensor.dtype) {
      err << "kiln: note: output '" << tensor.name << "' is "
          << dtypeName(tensor.dtype) << ", which .npy cannot hold: writing "
          << (getSmallFloatSemantics(tensor.dtype) ? "its bit patterns as "
                                                   : "its values as ")
          << dtypeName(npyDtype) << "\n";
      array.dtype = npyDtype;
      array.data.assign(data, data + tensor.byteSize);
      if (tensor.dtype == KILN_INT4) // sign-extend the low nibbles
        for (char &c : array.data)
          c = static_cast<char>(llvm::SignExtend64<4>(static_cast<uint8_t>(c)));
    } else {
      array.dtype = tensor.dtype;
      array.data.assign(data, data + tensor.byteSize);
    }
    if (Error error = writeNpy(paths[i], array))
      return makeError("cannot write '" + paths[i] +
                       "': " + llvm::toString(std::move(error)));
  }
  return Error::success();
}

LogicalResult kiln::runModel(MLIRContext &context, const RunOptions &options,
                             llvm::raw_ostream &out, llvm::raw_ostream &err) {
  ToolDiagnosticHandler diagnostics(context, err);
  auto model = loadModel(context, options, err);
  if (!model)
    return reportError(model.takeError(), err);
  auto inputs = prepareInputs(**model, options, err);
  if (!inputs)
    return reportError(inputs.takeError(), err);
  auto outputs = (*model)->allocateOutputs();
  if (!outputs)
    return reportError(outputs.takeError(), err);
  std::vector<std::string> paths;
  if (!options.outputDir.empty()) {
    auto planned = planOutputFiles(*outputs, options.outputDir);
    if (!planned)
      return reportError(planned.takeError(), err);
    paths = std::move(*planned);
  }
  if (Error error = (*model)->run(*inputs, *outputs))
    return reportError(std::move(error), err);
  for (const HostTensor &output : *outputs)
    printTensorSummary(output, out);
  out.flush();
  if (!paths.empty())
    if (Error error = writeOutputs(*outputs, paths, err))
      return reportError(std::move(error), err);
  return success();
}

Error kiln::parseBindInputOption(StringRef text, onnx::ImportOptions &import) {
  size_t equals = text.rfind('=');
  if (equals == StringRef::npos || equals == 0)
    return makeError("--bind-input '" + text +
                     "' is not of the form NAME=FILE.npy");
  StringRef name = text.take_front(equals);
  auto array = readNpy(text.drop_front(equals + 1));
  if (!array)
    return makeError("--bind-input " + name + ": " +
                     llvm::toString(array.takeError()));
  onnx::BoundInput bound;
  bound.dataType = array->dtype; // kiln_dtype uses ONNX's numbering
  bound.shape.assign(array->shape.begin(), array->shape.end());
  bound.data = std::move(array->data);
  if (!import.boundInputs.try_emplace(name, std::move(bound)).second)
    return makeError("--bind-input names input '" + name + "' twice");
  return Error::success();
}
