//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
//
// Part of Kiln.
//
// The format (numpy/doc/neps/nep-0001-npy-format): the magic "\x93NUMPY",
// major and minor version bytes, the header length (uint16 in 1.0, uint32 in
// 2.0 and 3.0, little-endian), then the header: a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and ended by '\n'; the raw data follows.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Npy.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace mlir;
using namespace mlir::kiln;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace {

constexpr StringRef kMagic("\x93NUMPY", 6);
/// Data starts at a multiple of this, as NumPy writes it.
constexpr size_t kAlignment = 64;
/// NumPy reserves room to grow the first dimension in place.
constexpr size_t kGrowthAxisMaxDigits = 21;
/// Real headers are about 100 bytes; refuse to parse absurd ones.
constexpr size_t kMaxHeaderSize = 1 << 20;

struct DtypeName {
  int32_t dtype;
  const char *descr; // as NumPy writes it
};
const DtypeName kDtypes[] = {
    {KILN_FLOAT32, "<f4"}, {KILN_FLOAT64, "<f8"}, {KILN_FLOAT16, "<f2"},
    {KILN_INT8, "|i1"},    {KILN_INT16, "<i2"},   {KILN_INT32, "<i4"},
    {KILN_INT64, "<i8"},   {KILN_UINT8, "|u1"},   {KILN_UINT16, "<u2"},
    {KILN_UINT32, "<u4"},  {KILN_UINT64, "<u8"},  {KILN_BOOL, "|b1"}};

Error makeError(const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The header fields NumPy requires, all of them.
struct Header {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// A recursive-descent parser for the one Python dict literal shape that
/// .npy headers use (NumPy's reader evaluates it with ast.literal_eval).
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : text(text) {}

  Expected<Header> parse() {
    Header header;
    bool seenDescr = false, seenOrder = false, seenShape = false;
    skipSpace();
    if (!consume('{'))
      return fail("expected '{'");
    for (;;) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      if (Error error = parseString(key))
        return std::move(error);
      skipSpace();
      if (!consume(':'))
        return fail("expected ':' after '" + key + "'");
      skipSpace();
      bool *seen = key == "descr"           ? &seenDescr
                   : key == "fortran_order" ? &seenOrder
                   : key == "shape"         ? &seenShape
                                            : nullptr;
      if (!seen)
        return fail("unexpected key '" + key + "'");
      if (*seen)
        return fail("duplicate key '" + key + "'");
      *seen = true;
      Error error = key == "descr"           ? parseString(header.descr)
                    : key == "fortran_order" ? parseBool(header.fortranOrder)
                                             : parseShape(header.shape);
      if (error)
        return std::move(error);
      skipSpace();
      if (consume(','))
        continue;
      if (consume('}'))
        break;
      return fail("expected ',' or '}'");
    }
    skipSpace();
    if (pos != text.size())
      return fail("unexpected text after the header dict");
    if (!seenDescr || !seenOrder || !seenShape)
      return fail("the header must have 'descr', 'fortran_order' and 'shape'");
    return header;
  }

private:
  StringRef text;
  size_t pos = 0;

  Error fail(const Twine &message) {
    return makeError("header: " + message + " at offset " + Twine(pos));
  }
  bool consume(char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool consumeWord(StringRef word) {
    if (!text.substr(pos).starts_with(word))
      return false;
    pos += word.size();
    return true;
  }
  void skipSpace() {
    while (pos < text.size() && llvm::isSpace(text[pos]))
      ++pos;
  }

  /// A quoted string without escapes.
  Error parseString(std::string &out) {
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return fail("expected a quoted string");
    char quote = text[pos++];
    size_t end = text.find_first_of(StringRef("\\\n\0'\"", 5), pos);
    if (end == StringRef::npos || text[end] != quote)
      return fail("unterminated or escaped string");
    out = text.slice(pos, end).str();
    pos = end + 1;
    return Error::success();
  }

  Error parseBool(bool &out) {
    if (consumeWord("True"))
      out = true;
    else if (consumeWord("False"))
      out = false;
    else
      return fail("expected True or False");
    return Error::success();
  }

  /// A non-negative int64; Python 2 headers may suffix it with 'L'.
  Error parseDim(int64_t &out) {
    if (pos < text.size() && text[pos] == '-')
      return fail("negative dimension");
    size_t begin = pos;
    uint64_t value = 0;
    while (pos < text.size() && llvm::isDigit(text[pos])) {
      unsigned digit = text[pos++] - '0';
      if (value > (uint64_t(INT64_MAX) - digit) / 10)
        return fail("dimension does not fit in 64 bits");
      value = value * 10 + digit;
    }
    if (pos == begin)
      return fail("expected a dimension");
    consume('L');
    out = static_cast<int64_t>(value);
    return Error::success();
  }

  /// A tuple: "()", "(3,)", "(2, 3)" or "(2, 3,)"; "(3)" is not a tuple.
  Error parseShape(std::vector<int64_t> &out) {
    if (!consume('('))
      return fail("expected a shape tuple");
    skipSpace();
    bool trailingComma = false;
    while (!consume(')')) {
      int64_t dim;
      if (Error error = parseDim(dim))
        return error;
      out.push_back(dim);
      skipSpace();
      trailingComma = consume(',');
      skipSpace();
      if (!trailingComma && !(pos < text.size() && text[pos] == ')'))
        return fail("expected ',' or ')' in the shape");
    }
    if (out.size() == 1 && !trailingComma)
      return fail("a one-dimensional shape needs a trailing comma, as in (3,)");
    return Error::success();
  }
};

/// Maps a type string to a kiln_dtype, explaining what is not supported.
Expected<int32_t> parseDescr(StringRef descr) {
  if (descr.size() < 2)
    return makeError("unsupported dtype '" + descr + "'");
  char order = descr[0];
  StringRef code = descr.drop_front();
  for (const DtypeName &entry : kDtypes) {
    if (StringRef(entry.descr).drop_front() != code)
      continue;
    bool oneByte = code.back() == '1';
    bool little =
        order == '<' || (order == '=' && llvm::sys::IsLittleEndianHost);
    // Byte order means nothing for one-byte types.
    if (little || (oneByte && StringRef("<>|=").contains(order)))
      return entry.dtype;
    if (order == '>' || order == '=')
      return makeError("big-endian dtype '" + descr +
                       "' is not supported; save it as '<" + code +
                       "' (arr.astype('<" + code + "'))");
    break;
  }
  return makeError("unsupported dtype '" + descr +
                   "' (supported: <f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 "
                   "<u4 <u8 |b1)");
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text = "(";
  for (int64_t dim : shape)
    text += std::to_string(dim) + (shape.size() == 1 ? "," : ", ");
  if (shape.size() > 1)
    text.resize(text.size() - 2);
  return text + ")";
}

/// Bytes of `shape` x `itemSize`, or nullopt on a negative dimension or
/// overflow.
std::optional<uint64_t> getByteSize(llvm::ArrayRef<int64_t> shape,
                                    size_t itemSize) {
  int64_t bytes = static_cast<int64_t>(itemSize);
  for (int64_t dim : shape)
    if (dim < 0 || llvm::MulOverflow(bytes, dim, bytes))
      return std::nullopt;
  return static_cast<uint64_t>(bytes);
}

} // namespace

int64_t NpyArray::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

StringRef mlir::kiln::getNpyDescr(int32_t dtype) {
  for (const DtypeName &entry : kDtypes)
    if (entry.dtype == dtype)
      return entry.descr;
  return "";
}

Expected<NpyArray> mlir::kiln::parseNpy(StringRef bytes, StringRef name) {
  auto fail = [&](const Twine &message) {
    return makeError(name + ": " + message);
  };
  if (bytes.size() < kMagic.size() + 2 || !bytes.starts_with(kMagic))
    return fail("not a .npy file (no \\x93NUMPY magic)");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  unsigned minor = static_cast<uint8_t>(bytes[7]);
  if (minor != 0 || major < 1 || major > 3)
    return fail("unsupported .npy format version " + Twine(major) + "." +
                Twine(minor));
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t prefixSize = 8 + lengthSize;
  if (bytes.size() < prefixSize)
    return fail("truncated header length");
  uint64_t headerSize = major == 1
                            ? llvm::support::endian::read16le(bytes.data() + 8)
                            : llvm::support::endian::read32le(bytes.data() + 8);
  if (headerSize > kMaxHeaderSize)
    return fail("header of " + Twine(headerSize) + " bytes is too large");
  if (headerSize > bytes.size() - prefixSize)
    return fail("truncated header: " + Twine(headerSize) + " bytes declared, " +
                Twine(bytes.size() - prefixSize) + " present");

  Expected<Header> header =
      HeaderParser(bytes.substr(prefixSize, headerSize)).parse();
  if (!header)
    return fail(llvm::toString(header.takeError()));
  Expected<int32_t> dtype = parseDescr(header->descr);
  if (!dtype)
    return fail(llvm::toString(dtype.takeError()));
  if (header->fortranOrder)
    return fail("Fortran-order arrays are not supported; save a C-order one "
                "(np.ascontiguousarray)");
  size_t itemSize = kiln_dtype_size(*dtype);
  std::optional<uint64_t> dataSize = getByteSize(header->shape, itemSize);
  if (!dataSize)
    return fail("shape " + formatShape(header->shape) +
                " is too large for 64-bit sizes");
  StringRef data = bytes.drop_front(prefixSize + headerSize);
  if (data.size() != *dataSize)
    return fail("shape " + formatShape(header->shape) + " of " + header->descr +
                " needs " + Twine(*dataSize) + " bytes of data, the file has " +
                Twine(data.size()));
  if (*dtype == KILN_BOOL)
    for (char c : data)
      if (c != 0 && c != 1)
        return fail("bool data holds a byte other than 0 and 1");

  NpyArray array;
  array.dtype = *dtype;
  array.shape = std::move(header->shape);
  array.data.assign(data.begin(), data.end());
  return array;
}

Expected<NpyArray> mlir::kiln::readNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read '" + path +
                     "': " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

Expected<std::string> mlir::kiln::encodeNpy(const NpyArray &array) {
  StringRef descr = getNpyDescr(array.dtype);
  if (descr.empty())
    return makeError("dtype " + Twine(array.dtype) + " has no .npy encoding");
  std::optional<uint64_t> dataSize =
      getByteSize(array.shape, kiln_dtype_size(array.dtype));
  if (!dataSize)
    return makeError("invalid shape " + formatShape(array.shape));
  if (*dataSize != array.data.size())
    return makeError("shape " + formatShape(array.shape) + " of " + descr +
                     " needs " + Twine(*dataSize) + " bytes, the array has " +
                     Twine(array.data.size()));

  std::string dict =
      ("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " +
       formatShape(array.shape) + ", }")
          .str();
  if (!array.shape.empty()) {
    size_t digits = std::to_string(array.shape.front()).size();
    dict.append(kGrowthAxisMaxDigits - std::min(digits, kGrowthAxisMaxDigits),
                ' ');
  }
  // Spaces, then '\n', so that prefix + header is a multiple of 64 (NumPy
  // pads a full 64 when it already is one). Version 1.0 stores the header
  // length in 16 bits, 2.0 in 32.
  auto getHeaderSize = [&](size_t prefixSize) {
    size_t unpadded = prefixSize + dict.size() + 1;
    return dict.size() + 1 + kAlignment - unpadded % kAlignment;
  };
  size_t prefixSize = 10, headerSize = getHeaderSize(prefixSize);
  if (headerSize > 0xffff)
    headerSize = getHeaderSize(prefixSize = 12);

  std::string bytes = kMagic.str();
  bytes += static_cast<char>(prefixSize == 10 ? 1 : 2);
  bytes += '\0';
  char length[4];
  llvm::support::endian::write32le(length, headerSize);
  bytes.append(length, prefixSize - 8);
  bytes += dict;
  bytes.append(headerSize - dict.size() - 1, ' ');
  bytes += '\n';
  bytes.append(array.data.begin(), array.data.end());
  return bytes;
}

Error mlir::kiln::writeNpy(StringRef path, const NpyArray &array) {
  Expected<std::string> bytes = encodeNpy(array);
  if (!bytes)
    return bytes.takeError();
  return llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os << *bytes;
    return Error::success();
  });
}
