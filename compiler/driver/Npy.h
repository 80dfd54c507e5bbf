//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Part of Kiln. Reads and writes the NumPy array file format (versions 1.0,
// 2.0 and 3.0) for the dtypes Kiln models use, little-endian and C order:
// how `kiln run` takes inputs and gives outputs. Files are untrusted: every
// length in them is checked before it is used.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_DRIVER_NPY_H
#define COMPILER_DRIVER_NPY_H

#include "runtime/include/kiln/runtime.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::kiln {

/// A dense array: row-major elements in little-endian byte order.
struct NpyArray {
  int32_t dtype = KILN_FLOAT32; ///< a kiln_dtype
  std::vector<int64_t> shape;
  std::vector<char> data;

  /// The product of `shape` (1 for a scalar).
  int64_t getNumElements() const;
};

/// The .npy type string of a kiln_dtype, as NumPy writes it ("<f4", "|u1"),
/// or "" for a dtype .npy cannot hold (bfloat16).
llvm::StringRef getNpyDescr(int32_t dtype);

/// Decodes the bytes of a .npy file; `name` prefixes error messages.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes,
                                  llvm::StringRef name = "<buffer>");

/// Reads and decodes the .npy file at `path`.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Encodes `array` exactly as NumPy's np.save would: format 1.0 (2.0 when
/// the header outgrows 64 KiB), the header padded with spaces so that the
/// data starts at a multiple of 64 bytes.
llvm::Expected<std::string> encodeNpy(const NpyArray &array);

/// Writes `array` to `path` (atomically, through a temporary file).
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

} // namespace mlir::kiln

#endif // COMPILER_DRIVER_NPY_H
