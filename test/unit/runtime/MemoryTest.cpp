//===- MemoryTest.cpp - dtype sizes, tensor sizes, aligned allocation
//------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>

TEST_CASE("dtype sizes", "[runtime][memory]") {
  CHECK(kiln_dtype_size(KILN_FLOAT32) == 4);
  CHECK(kiln_dtype_size(KILN_UINT8) == 1);
  CHECK(kiln_dtype_size(KILN_INT8) == 1);
  CHECK(kiln_dtype_size(KILN_UINT16) == 2);
  CHECK(kiln_dtype_size(KILN_INT16) == 2);
  CHECK(kiln_dtype_size(KILN_INT32) == 4);
  CHECK(kiln_dtype_size(KILN_INT64) == 8);
  CHECK(kiln_dtype_size(KILN_BOOL) == 1);
  CHECK(kiln_dtype_size(KILN_FLOAT16) == 2);
  CHECK(kiln_dtype_size(KILN_FLOAT64) == 8);
  CHECK(kiln_dtype_size(KILN_UINT32) == 4);
  CHECK(kiln_dtype_size(KILN_UINT64) == 8);
  CHECK(kiln_dtype_size(KILN_BFLOAT16) == 2);
  // 8-bit floats and the (unpacked) 4-bit types take a byte each.
  for (int32_t byteSized :
       {KILN_FLOAT8E4M3FN, KILN_FLOAT8E4M3FNUZ, KILN_FLOAT8E5M2,
        KILN_FLOAT8E5M2FNUZ, KILN_UINT4, KILN_INT4, KILN_FLOAT4E2M1})
    CHECK(kiln_dtype_size(byteSized) == 1);
  // ONNX's undefined, string, complex, float8e8m0 and 2-bit types are not
  // kiln_dtypes.
  for (int32_t unknown : {0, 8, 14, 15, 24, 25, 26, -1, 1000})
    CHECK(kiln_dtype_size(unknown) == 0);
}

TEST_CASE("tensor byte sizes", "[runtime][memory]") {
  const int64_t shape[] = {2, 3, 4};
  kiln_tensor_info info = {"t", KILN_FLOAT64, 3, shape};
  CHECK(kiln_tensor_byte_size(&info) == 2 * 3 * 4 * 8);
  info.rank = 0; // a scalar
  CHECK(kiln_tensor_byte_size(&info) == 8);
  const int64_t empty[] = {5, 0, 7};
  info = {"e", KILN_INT32, 3, empty};
  CHECK(kiln_tensor_byte_size(&info) == 0);
  const int64_t negative[] = {2, -1};
  info = {"n", KILN_INT32, 2, negative};
  CHECK(kiln_tensor_byte_size(&info) == 0);
  const int64_t huge[] = {INT64_MAX, 4};
  info = {"h", KILN_INT32, 2, huge};
  CHECK(kiln_tensor_byte_size(&info) == SIZE_MAX);
  const int64_t hugeThenZero[] = {INT64_MAX, 4, 0};
  info = {"z", KILN_INT32, 3, hugeThenZero};
  CHECK(kiln_tensor_byte_size(&info) == 0);
  info = {"u", 99, 3, shape};
  CHECK(kiln_tensor_byte_size(&info) == 0);
  info = {"s", KILN_INT8, 2, nullptr};
  CHECK(kiln_tensor_byte_size(&info) == 0);
  CHECK(kiln_tensor_byte_size(nullptr) == 0);
}

TEST_CASE("aligned allocation", "[runtime][memory]") {
  for (size_t alignment = 1; alignment <= 8192; alignment *= 2) {
    for (size_t size : {0, 1, 100, 4096}) {
      void *pointer = kiln_aligned_alloc(size, alignment);
      REQUIRE(pointer != nullptr);
      CHECK(reinterpret_cast<uintptr_t>(pointer) % alignment == 0);
      std::memset(pointer, 0xab, size);
      kiln_aligned_free(pointer);
    }
  }
  CHECK(kiln_aligned_alloc(64, 48) == nullptr);
  CHECK(std::strstr(kiln_last_error(), "not a power of two") != nullptr);
  CHECK(kiln_aligned_alloc(64, 0) == nullptr);
  CHECK(kiln_aligned_alloc(SIZE_MAX - 8, 64) == nullptr);
  CHECK(std::strstr(kiln_last_error(), "cannot allocate") != nullptr);
  kiln_aligned_free(nullptr);
}
