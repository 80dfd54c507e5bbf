//===- Compile.cpp - What `kiln compile` does -----------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/driver/Compile.h"
#include "compiler/codegen/Header.h"
#include "compiler/frontends/onnx/OnnxImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::kiln;

std::string kiln::deriveModelName(StringRef path) {
  std::string name = llvm::sys::path::stem(path).str();
  for (char &c : name)
    if (!llvm::isAlnum(c))
      c = '_';
  if (name.empty() || llvm::isDigit(name.front()))
    name.insert(0, "model_");
  return name;
}

static bool isCIdentifier(StringRef name) {
  return !name.empty() &&
         (llvm::isAlpha(name.front()) || name.front() == '_') &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

namespace {

/// One compilation: the options, where files go, and error reporting.
class Compilation {
public:
  Compilation(MLIRContext &context, const CompileOptions &options)
      : context(context), options(options),
        fileLoc(FileLineColLoc::get(&context, options.inputPath, 0, 0)) {}

  LogicalResult run();

private:
  LogicalResult fail(const Twine &message) {
    emitError(fileLoc) << message;
    return failure();
  }
  LogicalResult runPipeline(ModuleOp module,
                            function_ref<void(OpPassManager &)> build);
  LogicalResult writeText(StringRef path, StringRef text);
  LogicalResult writeModule(ModuleOp module);
  /// Where a file of the given default name goes.
  std::string outputFile(StringRef defaultName) const;
  LogicalResult writeArchive(StringRef path, StringRef objectPath);
  LogicalResult linkShared(StringRef path, StringRef objectPath);

  MLIRContext &context;
  const CompileOptions &options;
  Location fileLoc;
  std::string name;
};

} // namespace

LogicalResult
Compilation::runPipeline(ModuleOp module,
                         function_ref<void(OpPassManager &)> build) {
  PassManager pm(&context);
  build(pm);
  return pm.run(module);
}

LogicalResult Compilation::writeText(StringRef path, StringRef text) {
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    return fail("cannot write '" + path + "': " + error);
  file->os() << text;
  file->keep();
  return success();
}

LogicalResult Compilation::writeModule(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  if (options.elideWeights)
    flags.elideLargeResourceString(0).elideLargeElementsAttrs(16);
  if (options.printLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  module->print(os, flags);
  return writeText(options.outputPath.empty() ? "-" : options.outputPath, text);
}

std::string Compilation::outputFile(StringRef defaultName) const {
  if (options.emit == Phase::Library) {
    llvm::SmallString<256> path(
        options.outputPath.empty() ? "." : options.outputPath);
    llvm::sys::path::append(path, defaultName);
    return path.str().str();
  }
  return options.outputPath.empty() ? defaultName.str() : options.outputPath;
}

LogicalResult Compilation::writeArchive(StringRef path, StringRef objectPath) {
  auto member =
      llvm::NewArchiveMember::getFile(objectPath, /*Deterministic=*/true);
  if (!member)
    return fail("cannot read '" + objectPath +
                "': " + llvm::toString(member.takeError()));
  // The member is named <name>.o whatever the temporary file was called.
  std::string memberName = name + ".o";
  member->MemberName = memberName;
  llvm::sys::fs::remove(path);
  std::vector<llvm::NewArchiveMember> members;
  members.push_back(std::move(*member));
  if (llvm::Error error = llvm::writeArchive(
          path, members, llvm::SymtabWritingMode::NormalSymtab,
          llvm::object::Archive::K_GNU, /*Deterministic=*/true,
          /*Thin=*/false))
    return fail("cannot write '" + path +
                "': " + llvm::toString(std::move(error)));
  return success();
}

/// The directory holding libkiln_runtime.a: given, from the environment, or
/// `<kiln>/../lib` (`<kiln>/../lib/<triple>` when cross-compiling).
static std::string findRuntimeDir(const CompileOptions &options, bool cross) {
  if (!options.runtimeDir.empty())
    return options.runtimeDir;
  if (const char *env = std::getenv("KILN_RUNTIME_DIR"))
    return env;
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable("kiln", &anchor);
  llvm::SmallString<256> dir(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(exe)));
  llvm::sys::path::append(dir, "lib");
  if (cross)
    llvm::sys::path::append(dir, options.target.triple);
  return dir.str().str();
}

LogicalResult Compilation::linkShared(StringRef path, StringRef objectPath) {
  bool cross =
      !options.target.triple.empty() &&
      llvm::Triple(llvm::Triple::normalize(options.target.triple)).getArch() !=
          llvm::Triple(llvm::sys::getDefaultTargetTriple()).getArch();
  std::string linker = options.linker;
  if (linker.empty())
    // Debian names cross compilers by the triple as people write it
    // (aarch64-linux-gnu-gcc), not LLVM's normalized form.
    linker = cross ? options.target.triple + "-gcc" : "cc";
  auto program = llvm::sys::findProgramByName(linker);
  if (!program)
    return fail("cannot find the linker driver '" + linker +
                "' to build the shared library (set --linker)");
  llvm::SmallString<256> runtime(findRuntimeDir(options, cross));
  llvm::sys::path::append(runtime, "libkiln_runtime.a");
  if (!llvm::sys::fs::exists(runtime))
    return fail("cannot find the Kiln runtime at '" + runtime + "'" +
                (cross ? " for " + options.target.triple : "") +
                " (set --runtime-dir or KILN_RUNTIME_DIR)");
  // The whole runtime is linked in, so lib<name>.so offers the complete
  // kiln_ C API and needs only libc, libm and pthreads at load time.
  std::string soname = "-Wl,-soname," + llvm::sys::path::filename(path).str();
  SmallVector<StringRef> args = {*program,   "-shared",
                                 "-o",       path,
                                 objectPath, "-Wl,--whole-archive",
                                 runtime,    "-Wl,--no-whole-archive",
                                 soname,     "-lm",
                                 "-lpthread"};
  std::string errorText;
  int status = llvm::sys::ExecuteAndWait(*program, args, std::nullopt, {}, 0, 0,
                                         &errorText);
  if (status != 0)
    return fail("linking '" + path + "' with " + linker + " failed" +
                (errorText.empty() ? "" : ": " + errorText));
  return success();
}

LogicalResult Compilation::run() {
  name = options.modelName.empty() ? deriveModelName(options.inputPath)
                                   : options.modelName;
  if (!isCIdentifier(name))
    return fail("model name '" + name + "' is not a C identifier (--name)");

  onnx::ImportOptions importOptions = options.import;
  importOptions.requireStaticInputShapes = options.emit != Phase::Kiln;
  OwningOpRef<ModuleOp> module =
      onnx::importOnnxFile(context, options.inputPath, importOptions);
  if (!module || failed(runPipeline(*module, [](OpPassManager &pm) {
        buildKilnGraphPipeline(pm);
      })))
    return failure();
  if (options.emit == Phase::Kiln)
    return writeModule(*module);

  // Fail early on a bad target, before the long lowering.
  std::unique_ptr<llvm::TargetMachine> machine;
  if (options.emit != Phase::KilnRt && options.emit != Phase::Header) {
    auto created = createCpuTargetMachine(options.target);
    if (!created)
      return fail(llvm::toString(created.takeError()));
    machine = std::move(*created);
  }

  if (failed(runPipeline(*module, [&](OpPassManager &pm) {
        buildKilnToKilnRtPipeline(pm, name);
      })))
    return failure();
  if (options.emit == Phase::KilnRt)
    return writeModule(*module);
  auto signature = getModelSignature(*module);
  if (failed(signature))
    return failure();
  std::string header =
      generateHeader(*signature, llvm::sys::path::filename(options.inputPath));
  if (options.emit == Phase::Header)
    return writeText(outputFile(name + ".h"), header);

  if (failed(runPipeline(*module, buildCpuToLLVMPipeline)))
    return failure();
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateAndOptimize(*module, llvmContext, *machine,
                                         options.target.optLevel);
  if (!llvmModule)
    return fail(llvm::toString(llvmModule.takeError()));
  if (options.emit == Phase::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    (*llvmModule)->print(os, nullptr);
    return writeText(options.outputPath.empty() ? "-" : options.outputPath,
                     text);
  }
  auto code =
      emitMachineCode(**llvmModule, *machine, options.emit == Phase::Asm);
  if (!code)
    return fail(llvm::toString(code.takeError()));
  if (options.emit == Phase::Asm)
    return writeText(options.outputPath.empty() ? "-" : options.outputPath,
                     *code);

  if (options.emit == Phase::Library && !options.outputPath.empty())
    if (auto ec = llvm::sys::fs::create_directories(options.outputPath))
      return fail("cannot create '" + options.outputPath +
                  "': " + ec.message());
  // The object goes where asked, or to a temporary file when only an
  // archive or a shared library is wanted.
  std::string objectPath;
  llvm::SmallString<128> tempObject;
  if (options.emit == Phase::Obj || options.emit == Phase::Library) {
    objectPath = outputFile(name + ".o");
  } else {
    if (auto ec = llvm::sys::fs::createTemporaryFile(name, "o", tempObject))
      return fail("cannot create a temporary file: " + ec.message());
    objectPath = tempObject.str().str();
  }
  llvm::FileRemover removeTemp(tempObject);
  if (failed(writeText(objectPath, *code)))
    return failure();
  if (options.emit == Phase::Static || options.emit == Phase::Library)
    if (failed(writeArchive(outputFile("lib" + name + ".a"), objectPath)))
      return failure();
  if (options.emit == Phase::Shared || options.emit == Phase::Library)
    if (failed(linkShared(outputFile("lib" + name + ".so"), objectPath)))
      return failure();
  if (options.emit == Phase::Library)
    return writeText(outputFile(name + ".h"), header);
  return success();
}

LogicalResult kiln::compileModel(MLIRContext &context,
                                 const CompileOptions &options) {
  return Compilation(context, options).run();
}
