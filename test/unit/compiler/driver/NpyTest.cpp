//===- NpyTest.cpp - Tests for .npy reading and writing -------------------===//
//
// Part of Kiln. Expected bytes are written by hand from the format's
// description (NEP 1) and NumPy's np.save layout.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

using namespace mlir::kiln;

namespace {

/// A .npy file from its parts; no padding unless the header has some.
std::string makeNpy(const std::string &header, const std::string &data = "",
                    int major = 1) {
  std::string bytes("\x93NUMPY", 6);
  bytes += static_cast<char>(major);
  bytes += '\0';
  uint32_t length = header.size();
  for (int i = 0; i < (major == 1 ? 2 : 4); ++i)
    bytes += static_cast<char>((length >> (8 * i)) & 0xff);
  return bytes + header + data;
}

/// The error message of parsing `bytes`, or "" if it parses.
std::string parseError(const std::string &bytes) {
  llvm::Expected<NpyArray> array = parseNpy(bytes, "t.npy");
  if (array)
    return "";
  return llvm::toString(array.takeError());
}

bool contains(const std::string &text, const char *part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("npy writes NumPy's exact bytes", "[npy]") {
  NpyArray array;
  array.dtype = KILN_FLOAT32;
  array.shape = {2, 3};
  const float values[] = {0, 1, 2, 3, 4, 5};
  array.data.assign(reinterpret_cast<const char *>(values),
                    reinterpret_cast<const char *>(values) + sizeof(values));
  llvm::Expected<std::string> bytes = encodeNpy(array);
  REQUIRE(bool(bytes));

  // Magic, version 1.0, header length 118 (0x76) little-endian; the 59-byte
  // dict, 20 spaces of room to grow shape[0] to 21 digits, 38 spaces so that
  // 10 + 118 = 128 is a multiple of 64, and '\n'; then the float32 data.
  std::string expected("\x93NUMPY\x01\x00\x76\x00", 10);
  expected += "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  expected += std::string(20 + 38, ' ') + "\n";
  expected += std::string("\x00\x00\x00\x00"
                          "\x00\x00\x80\x3f"
                          "\x00\x00\x00\x40"
                          "\x00\x00\x40\x40"
                          "\x00\x00\x80\x40"
                          "\x00\x00\xa0\x40",
                          24);
  CHECK(*bytes == expected);

  // One-dimensional shapes keep Python's trailing comma; one-byte types use
  // the '|' byte order; a scalar has no growth room.
  array = NpyArray{KILN_UINT8, {3}, {'\x01', '\x02', '\x03'}};
  bytes = encodeNpy(array);
  REQUIRE(bool(bytes));
  CHECK(bytes->size() == 128 + 3);
  CHECK(bytes->substr(10, 57) ==
        "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }");
  array = NpyArray{KILN_INT16, {}, {'\x07', '\x00'}};
  bytes = encodeNpy(array);
  REQUIRE(bool(bytes));
  CHECK(bytes->substr(10, 56) ==
        "{'descr': '<i2', 'fortran_order': False, 'shape': (), }\x20");
  CHECK(bytes->substr(8, 2) == std::string("\x76\x00", 2));
}

TEST_CASE("npy round-trips every dtype through a file", "[npy]") {
  const int32_t dtypes[] = {KILN_FLOAT32, KILN_FLOAT64, KILN_FLOAT16,
                            KILN_INT8,    KILN_INT16,   KILN_INT32,
                            KILN_INT64,   KILN_UINT8,   KILN_UINT16,
                            KILN_UINT32,  KILN_UINT64,  KILN_BOOL};
  llvm::SmallString<128> path;
  REQUIRE(!llvm::sys::fs::createTemporaryFile("npy-test", "npy", path));
  llvm::FileRemover remover(path);
  for (int32_t dtype : dtypes) {
    for (const std::vector<int64_t> &shape :
         {std::vector<int64_t>{}, {5}, {2, 3, 4}, {0, 7}, {123456789012, 0}}) {
      NpyArray array;
      array.dtype = dtype;
      array.shape = shape;
      array.data.resize(array.getNumElements() * kiln_dtype_size(dtype));
      for (size_t i = 0; i < array.data.size(); ++i)
        array.data[i] = dtype == KILN_BOOL ? i % 2 : static_cast<char>(i * 37);
      REQUIRE(!llvm::errorToBool(writeNpy(path, array)));
      llvm::Expected<NpyArray> read = readNpy(path);
      REQUIRE(bool(read));
      CHECK(read->dtype == dtype);
      CHECK(read->shape == shape);
      CHECK(read->data == array.data);
    }
  }
}

TEST_CASE("npy uses format 2.0 for huge headers", "[npy]") {
  NpyArray array{KILN_INT8, std::vector<int64_t>(30000, 1), {'\x05'}};
  llvm::Expected<std::string> bytes = encodeNpy(array);
  REQUIRE(bool(bytes));
  CHECK((*bytes)[6] == 2);
  CHECK((bytes->size() - 1) % 64 == 0);
  llvm::Expected<NpyArray> read = parseNpy(*bytes);
  REQUIRE(bool(read));
  CHECK(read->shape.size() == 30000);
  CHECK(read->data == array.data);
}

TEST_CASE("npy reads headers NumPy and Python 2 could write", "[npy]") {
  // Format 2.0 and 3.0, double quotes, 'L' suffixes, no trailing comma, odd
  // spacing, any byte order for one-byte types.
  std::string header = "{\"descr\":\"<i4\",\"shape\":(1L,2L),"
                       "\"fortran_order\":False}\n";
  for (int major : {1, 2, 3}) {
    llvm::Expected<NpyArray> array =
        parseNpy(makeNpy(header, std::string(8, '\0'), major));
    REQUIRE(bool(array));
    CHECK(array->dtype == KILN_INT32);
    CHECK(array->shape == std::vector<int64_t>{1, 2});
  }
  for (const char *descr : {"<i1", "|i1", ">i1", "=i1"}) {
    std::string text = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': ( 2 , ) , }   \n";
    llvm::Expected<NpyArray> array = parseNpy(makeNpy(text, "ab"));
    REQUIRE(bool(array));
    CHECK(array->dtype == KILN_INT8);
  }
  llvm::Expected<NpyArray> empty = parseNpy(
      makeNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }\n"));
  REQUIRE(bool(empty));
  CHECK(empty->data.empty());
}

TEST_CASE("npy rejects malformed files with clear errors", "[npy]") {
  auto withHeader = [](const std::string &dictBody, const std::string &data) {
    return makeNpy("{" + dictBody + "}\n", data);
  };
  const std::string f4x2(8, '\0');
  CHECK(contains(parseError(""), "not a .npy file"));
  CHECK(contains(parseError("PK\x03\x04 this is a zip"), "not a .npy file"));
  CHECK(contains(parseError(std::string("\x93NUMPY\x04\x00\x00\x00", 10)),
                 "unsupported .npy format version 4.0"));
  CHECK(contains(parseError(std::string("\x93NUMPY\x01\x01\x00\x00", 10)),
                 "version 1.1"));
  CHECK(contains(parseError(std::string("\x93NUMPY\x02\x00\x10", 9)),
                 "truncated header length"));
  CHECK(contains(parseError(std::string("\x93NUMPY\x01\x00\xff\x00{}", 12)),
                 "truncated header: 255 bytes declared, 2 present"));
  CHECK(
      contains(parseError(std::string("\x93NUMPY\x02\x00\xff\xff\xff\xff", 12)),
               "too large"));

  // Header syntax and keys.
  CHECK(contains(parseError(makeNpy("[1, 2]")), "expected '{'"));
  CHECK(
      contains(parseError(makeNpy("{'descr': '<f4'")), "expected ',' or '}'"));
  CHECK(contains(parseError(withHeader("'descr': '<f4', 'shape': (2,)", f4x2)),
                 "must have 'descr', 'fortran_order' and 'shape'"));
  CHECK(contains(parseError(withHeader("'descr': '<f4', 'descr': '<f4'", "")),
                 "duplicate key 'descr'"));
  CHECK(contains(parseError(withHeader("'descr': '<f4', 'fortran_order': "
                                       "False, 'shape': (2,), 'x': 1",
                                       f4x2)),
                 "unexpected key 'x'"));
  CHECK(contains(parseError(withHeader("'descr: '<f4'", "")), "expected ':'"));
  CHECK(contains(parseError(withHeader("'descr': '<f4\\'', 'fortran_order': "
                                       "False, 'shape': (2,)",
                                       f4x2)),
                 "unterminated or escaped string"));
  CHECK(contains(parseError(withHeader("'descr': '<f4', 'fortran_order': "
                                       "0, 'shape': (2,)",
                                       f4x2)),
                 "expected True or False"));
  CHECK(contains(parseError(makeNpy("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (2,)} trailing",
                                    f4x2)),
                 "unexpected text after the header dict"));

  // Shapes.
  auto withShape = [&](const std::string &shape, const std::string &data) {
    return withHeader(
        "'descr': '<f4', 'fortran_order': False, 'shape': " + shape, data);
  };
  CHECK(contains(parseError(withShape("(2)", f4x2)), "trailing comma"));
  CHECK(contains(parseError(withShape("[2]", f4x2)), "expected a shape tuple"));
  CHECK(contains(parseError(withShape("(-2,)", f4x2)), "negative dimension"));
  CHECK(contains(parseError(withShape("(2.5,)", f4x2)), "expected ','"));
  CHECK(contains(parseError(withShape("(99999999999999999999,)", f4x2)),
                 "does not fit in 64 bits"));
  CHECK(contains(parseError(withShape("(4294967296, 4294967296)", f4x2)),
                 "too large for 64-bit sizes"));
  CHECK(contains(parseError(withShape("(3,)", f4x2)),
                 "needs 12 bytes of data, the file has 8"));
  CHECK(contains(parseError(withShape("(1,)", f4x2)),
                 "needs 4 bytes of data, the file has 8"));

  // Types and layouts Kiln does not take.
  auto withDescr = [&](const std::string &descr, bool fortran) {
    return withHeader("'descr': '" + descr + "', 'fortran_order': " +
                          (fortran ? "True" : "False") + ", 'shape': (2,)",
                      f4x2);
  };
  CHECK(contains(parseError(withDescr("<f4", true)),
                 "Fortran-order arrays are not supported"));
  CHECK(contains(parseError(withDescr(">f4", false)),
                 "big-endian dtype '>f4' is not supported"));
  CHECK(
      contains(parseError(withDescr("<c8", false)), "unsupported dtype '<c8'"));
  CHECK(
      contains(parseError(withDescr("|f4", false)), "unsupported dtype '|f4'"));
  CHECK(contains(parseError(withDescr("float32", false)),
                 "unsupported dtype 'float32'"));
  CHECK(contains(
      parseError(withHeader(
          "'descr': '|b1', 'fortran_order': False, 'shape': (2,)", "\x01\x02")),
      "bool data holds a byte other than 0 and 1"));
}

TEST_CASE("npy reports unreadable and unwritable arrays", "[npy]") {
  llvm::Expected<NpyArray> missing = readNpy("/nonexistent/dir/a.npy");
  REQUIRE(!missing);
  CHECK(contains(llvm::toString(missing.takeError()),
                 "cannot read '/nonexistent/dir/a.npy'"));

  NpyArray wrongSize{KILN_FLOAT32, {2, 2}, std::vector<char>(15)};
  llvm::Expected<std::string> bytes = encodeNpy(wrongSize);
  REQUIRE(!bytes);
  CHECK(contains(llvm::toString(bytes.takeError()), "needs 16 bytes"));
  NpyArray bf16{KILN_BFLOAT16, {1}, std::vector<char>(2)};
  bytes = encodeNpy(bf16);
  REQUIRE(!bytes);
  CHECK(contains(llvm::toString(bytes.takeError()), "no .npy encoding"));
  NpyArray negative{KILN_INT8, {-1}, {}};
  CHECK(llvm::errorToBool(writeNpy("/tmp/never-written.npy", negative)));
}
