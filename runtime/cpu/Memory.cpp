//===- Memory.cpp - Element sizes and aligned allocation ------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Export.h"
#include "runtime/cpu/Status.h"

#include <cstdint>
#include <cstdlib>

using namespace kiln::cpu;

KILN_API size_t kiln_dtype_size(int32_t dtype) {
  switch (dtype) {
  case KILN_UINT8:
  case KILN_INT8:
  case KILN_BOOL:
  case KILN_FLOAT8E4M3FN:
  case KILN_FLOAT8E4M3FNUZ:
  case KILN_FLOAT8E5M2:
  case KILN_FLOAT8E5M2FNUZ:
  case KILN_UINT4: /* one element per byte, not packed */
  case KILN_INT4:
  case KILN_FLOAT4E2M1:
    return 1;
  case KILN_UINT16:
  case KILN_INT16:
  case KILN_FLOAT16:
  case KILN_BFLOAT16:
    return 2;
  case KILN_FLOAT32:
  case KILN_INT32:
  case KILN_UINT32:
    return 4;
  case KILN_INT64:
  case KILN_FLOAT64:
  case KILN_UINT64:
    return 8;
  default:
    return 0;
  }
}

/// 0 for a descriptor that describes no tensor (NULL, unknown dtype, negative
/// rank or dimension, missing shape); SIZE_MAX when the size overflows
/// size_t, so that allocating it fails.
KILN_API size_t kiln_tensor_byte_size(const kiln_tensor_info *info) {
  if (!info || info->rank < 0 || (info->rank > 0 && !info->shape))
    return 0;
  size_t bytes = kiln_dtype_size(info->dtype);
  if (bytes == 0)
    return 0;
  bool overflow = false;
  for (int32_t i = 0; i < info->rank; ++i) {
    int64_t dim = info->shape[i];
    if (dim < 0)
      return 0;
    // Keep multiplying after an overflow: a later zero dimension wins.
    if (static_cast<uint64_t>(dim) > SIZE_MAX ||
        __builtin_mul_overflow(bytes, static_cast<size_t>(dim), &bytes))
      overflow = true;
    if (dim == 0)
      return 0;
  }
  return overflow ? SIZE_MAX : bytes;
}

KILN_API void *kiln_aligned_alloc(size_t size, size_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    setLastError("kiln_aligned_alloc: alignment %zu is not a power of two",
                 alignment);
    return nullptr;
  }
  if (alignment < sizeof(void *))
    alignment = sizeof(void *);
  // Larger than any object can be; refused before a sanitizer's allocator,
  // which would abort instead of returning NULL, sees it.
  if (size > static_cast<size_t>(PTRDIFF_MAX) - alignment) {
    setLastError("kiln_aligned_alloc: cannot allocate %zu bytes", size);
    return nullptr;
  }
  void *pointer = nullptr;
  // A zero-byte request still gets a distinct pointer to free.
  if (posix_memalign(&pointer, alignment, size ? size : 1) != 0) {
    setLastError("kiln_aligned_alloc: cannot allocate %zu bytes aligned to %zu",
                 size, alignment);
    return nullptr;
  }
  return pointer;
}

KILN_API void kiln_aligned_free(void *pointer) { free(pointer); }
