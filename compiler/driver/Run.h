//===- Run.h - What `kiln run` does -----------------------------*- C++ -*-===//
//
// Part of Kiln. Loads a compiled model library (or compiles an ONNX model
// into a cache first), feeds it inputs from .npy files or reproducible random
// values, runs it once and reports its outputs. `kiln bench` (Bench.h) shares
// the loading and input handling.
//
// The tool never links the runtime: it calls the kiln_* functions the model
// library carries (it links the runtime in statically), found with dlsym.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_DRIVER_RUN_H
#define COMPILER_DRIVER_RUN_H

#include "compiler/codegen/cpu/CpuTarget.h"
#include "runtime/include/kiln/runtime.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir::kiln {

/// How to find or build the model library and what to feed it.
struct ModelRunOptions {
  /// A model library (`libNAME.so`) or an ONNX model.
  std::string modelPath;
  /// The model's C name; empty: from the file name (`libNAME.so`, `NAME.so`,
  /// `NAME.onnx`).
  std::string modelName;
  /// `NAME=FILE.npy`, one per given input.
  std::vector<std::string> inputs;
  /// Seed of the random values of inputs not given.
  uint64_t seed = 0;
  /// Runtime threads; 0 keeps the runtime's default.
  int threads = 0;
  /// Where compiled ONNX models are kept; empty: $KILN_CACHE_DIR, else
  /// $XDG_CACHE_HOME/kiln, else ~/.cache/kiln.
  std::string cacheDir;
  /// Code generation options for ONNX models (the triple is the host's).
  CpuTargetOptions target;
  /// `NAME=D0xD1x...` and `DIM_PARAM=N`: shapes for an ONNX model's
  /// symbolic inputs (see `kiln compile --input-shape/--dim`).
  std::vector<std::string> inputShapes;
  std::vector<std::string> dims;
  /// `NAME=FILE.npy`: inputs compiled in as constants (see `kiln compile
  /// --bind-input`); they leave the model's inputs.
  std::vector<std::string> boundInputs;
  /// Notes on stderr about the cache.
  bool verbose = false;
};

namespace onnx {
struct ImportOptions;
} // namespace onnx

/// Parses `NAME=FILE.npy` (`--bind-input`) into `import.boundInputs`.
llvm::Error parseBindInputOption(llvm::StringRef text,
                                 onnx::ImportOptions &import);

/// `kiln run`: the model options plus where outputs go.
struct RunOptions : ModelRunOptions {
  /// Writes `<output name>.npy` files here when not empty (creates it).
  std::string outputDir;
};

/// An error already reported through MLIR's diagnostics (a failed compile):
/// the caller prints nothing more.
class ReportedError : public llvm::ErrorInfo<ReportedError> {
public:
  static char ID;
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;
};

/// A dense tensor owned by the tool, 64-byte aligned.
struct HostTensor {
  std::string name;
  int32_t dtype = KILN_FLOAT32;
  std::vector<int64_t> shape;
  size_t byteSize = 0;
  std::unique_ptr<char, void (*)(void *)> data{nullptr, nullptr};

  int64_t getNumElements() const;
};

/// A model library opened with dlopen and the runtime entry points it
/// carries. The library stays loaded until the process exits (the runtime's
/// worker threads may live in it).
class ModelLibrary {
public:
  ~ModelLibrary();

  /// Opens `path` and checks its `<name>_info()` table; `name` empty: from
  /// the file name. Errors name the file.
  static llvm::Expected<std::unique_ptr<ModelLibrary>>
  load(llvm::StringRef path, llvm::StringRef name);

  const kiln_model_info &getInfo() const { return *info; }
  llvm::StringRef getName() const { return name; }

  /// Sets the runtime's thread count; false when the library does not
  /// export kiln_set_num_threads (libraries from `kiln compile` all do).
  bool setNumThreads(int n);
  /// The runtime's thread count; 1 when the library does not export
  /// kiln_get_num_threads.
  int getNumThreads() const;

  /// Allocates output tensors matching the model's outputs.
  llvm::Expected<std::vector<HostTensor>> allocateOutputs() const;

  /// Runs the model once through the library's kiln_model_run(), with a
  /// workspace allocated on first use.
  llvm::Error run(const std::vector<HostTensor> &inputs,
                  std::vector<HostTensor> &outputs);

private:
  ModelLibrary() = default;
  llvm::Error checkInfo() const;

  std::string path;
  std::string name;
  void *handle = nullptr;
  const kiln_model_info *info = nullptr;
  int (*modelRun)(const kiln_model_info *, const void *const *, void *const *,
                  void *, size_t) = nullptr;
  const char *(*lastError)() = nullptr;
  void (*setThreads)(int) = nullptr;
  int (*getThreads)() = nullptr;
  void *(*alignedAlloc)(size_t, size_t) = nullptr;
  void (*alignedFree)(void *) = nullptr;
  void *workspace = nullptr;
  bool workspaceReady = false;
};

/// The cache directory `options` select (see ModelRunOptions::cacheDir).
llvm::Expected<std::string> getCacheDirectory(const ModelRunOptions &options);

/// The model library to load for `options`: the given library, or the
/// cached compilation of the given ONNX model (compiled and stored first when
/// missing). Compile errors are reported through `context` (ReportedError).
llvm::Expected<std::string> findOrBuildLibrary(MLIRContext &context,
                                               const ModelRunOptions &options,
                                               llvm::raw_ostream &err);

/// Loads the library `options` name and applies --threads.
llvm::Expected<std::unique_ptr<ModelLibrary>>
loadModel(MLIRContext &context, const ModelRunOptions &options,
          llvm::raw_ostream &err);

/// The model's inputs: read from the .npy files `options.inputs` name (dtype
/// and shape must match) or random from `options.seed` (with a note on
/// `err`).
llvm::Expected<std::vector<HostTensor>>
prepareInputs(const ModelLibrary &model, const ModelRunOptions &options,
              llvm::raw_ostream &err);

/// `float32[2x3]`.
std::string describeTensorType(int32_t dtype, llvm::ArrayRef<int64_t> shape);

/// One line: `name: float32[1x10] min .. max .. mean .. first a b c d e ...`.
void printTensorSummary(const HostTensor &tensor, llvm::raw_ostream &os);

/// `kiln run`. Errors are printed on `err` as `kiln: error: ...`.
LogicalResult runModel(MLIRContext &context, const RunOptions &options,
                       llvm::raw_ostream &out, llvm::raw_ostream &err);

/// Prints `error` as `kiln: error: <message>` unless it was already
/// reported; returns failure.
LogicalResult reportError(llvm::Error error, llvm::raw_ostream &err);

} // namespace mlir::kiln

#endif // COMPILER_DRIVER_RUN_H
