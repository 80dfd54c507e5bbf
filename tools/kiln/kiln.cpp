//===- kiln.cpp - The kiln command-line tool ------------------------------===//
//
// Part of Kiln.
//
//   kiln compile MODEL.onnx [-o DIR] [--name NAME] [--emit=PHASE]
//   kiln run MODEL [--input NAME=FILE.npy ...] [--output-dir DIR] [--seed N]
//   kiln bench MODEL [--iterations N] [--warmup N] [--threads N]
//   kiln inspect MODEL.onnx
//
// Exit status: 0 on success, 1 when the model cannot be read, compiled,
// loaded or run (each problem is printed as `kiln: error: ...`).
//
//===----------------------------------------------------------------------===//

#include "compiler/Registration.h"
#include "compiler/driver/Bench.h"
#include "compiler/driver/Compile.h"
#include "compiler/driver/Diagnostics.h"
#include "compiler/driver/Inspect.h"
#include "compiler/driver/Npy.h"
#include "compiler/driver/Run.h"
#include "compiler/frontends/onnx/OnnxImporter.h"
#include "compiler/frontends/onnx/OnnxModel.h"
#include "compiler/pipelines/Pipelines.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace llvm;

static cl::SubCommand compileCommand("compile",
                                     "Compile an ONNX model (today: import it "
                                     "into the kiln dialect)");
static cl::SubCommand
    inspectCommand("inspect",
                   "Print a model's inputs, outputs, opsets and operators");

static cl::SubCommand
    runCommand("run",
               "Run a model library or an ONNX model (compiled into a cache) "
               "once and print its outputs");
static cl::SubCommand
    benchCommand("bench",
                 "Time a model library or an ONNX model (compiled into a "
                 "cache)");

static cl::OptionCategory compileCategory("Compile options");
static cl::OptionCategory runCategory("Run and bench options");

static cl::opt<std::string> compileModel(cl::Positional, cl::Required,
                                         cl::desc("<model.onnx>"),
                                         cl::sub(compileCommand));
static cl::opt<std::string> emitKind(
    "emit",
    cl::desc("What to produce (default: library). kiln: the imported graph; "
             "kiln_rt: bufferized, memory-planned IR; llvm-ir; asm; obj: "
             "<name>.o; header: <name>.h; static: lib<name>.a; shared: "
             "lib<name>.so; library: all of <name>.o, lib<name>.a, "
             "lib<name>.so and <name>.h in the -o directory"),
    cl::value_desc("phase"), cl::init("library"), cl::sub(compileCommand),
    cl::cat(compileCategory));
static cl::opt<std::string> outputPath(
    "o",
    cl::desc("Output directory for --emit=library (default: .), else the "
             "output file (default: stdout for text, <name>.<ext> else)"),
    cl::value_desc("path"), cl::sub(compileCommand), cl::cat(compileCategory));
static cl::opt<std::string> modelName(
    "name", cl::desc("C name of the model (default: from the file name)"),
    cl::value_desc("identifier"), cl::sub(compileCommand), cl::sub(runCommand),
    cl::sub(benchCommand), cl::cat(compileCategory));
static cl::opt<std::string>
    targetTriple("mtriple",
                 cl::desc("Target triple (default: the host's), e.g. "
                          "aarch64-linux-gnu"),
                 cl::value_desc("triple"), cl::sub(compileCommand),
                 cl::cat(compileCategory));
static cl::opt<std::string> targetCpu(
    "mcpu",
    cl::desc("Target CPU: native (default: the host's CPU, or LLVM's generic "
             "CPU when cross-compiling) or any LLVM CPU name, e.g. x86-64-v3, "
             "znver3, neoverse-n1"),
    cl::value_desc("cpu"), cl::init("native"), cl::sub(compileCommand),
    cl::sub(runCommand), cl::sub(benchCommand), cl::cat(compileCategory));
static cl::opt<std::string>
    targetFeatures("mattr", cl::desc("Target features, e.g. +avx512f,-fma"),
                   cl::value_desc("features"), cl::sub(compileCommand),
                   cl::sub(runCommand), cl::sub(benchCommand),
                   cl::cat(compileCategory));
static cl::opt<unsigned> optLevel("O",
                                  cl::desc("Optimization level 0-3 (default "
                                           "3)"),
                                  cl::Prefix, cl::init(3),
                                  cl::sub(compileCommand), cl::sub(runCommand),
                                  cl::sub(benchCommand),
                                  cl::cat(compileCategory));
static cl::opt<std::string> linkerDriver(
    "linker",
    cl::desc("C compiler driver that links lib<name>.so (default: cc, or "
             "<triple>-gcc when cross-compiling)"),
    cl::value_desc("program"), cl::sub(compileCommand),
    cl::cat(compileCategory));
static cl::opt<std::string> runtimeDir(
    "runtime-dir",
    cl::desc("Directory with libkiln_runtime.a for the target (default: "
             "$KILN_RUNTIME_DIR, else <kiln>/../lib)"),
    cl::value_desc("dir"), cl::sub(compileCommand), cl::cat(compileCategory));
static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Shape of a graph input with symbolic or unknown dimensions "
             "(repeatable); a scalar is NAME="),
    cl::value_desc("name=d0xd1x..."), cl::sub(compileCommand),
    cl::sub(runCommand), cl::sub(benchCommand), cl::cat(compileCategory));
static cl::list<std::string> dimValues(
    "dim",
    cl::desc("Value of a symbolic dimension (an ONNX dim_param such as "
             "batch) in every graph input that has it (repeatable)"),
    cl::value_desc("dim_param=n"), cl::sub(compileCommand), cl::sub(runCommand),
    cl::sub(benchCommand), cl::cat(compileCategory));
static cl::list<std::string> boundInputs(
    "bind-input",
    cl::desc("Compile with a graph input fixed to the values of a .npy file "
             "(it becomes a constant and leaves the signature): for models "
             "that take shapes or axes as inputs (repeatable)"),
    cl::value_desc("name=file.npy"), cl::sub(compileCommand),
    cl::sub(runCommand), cl::sub(benchCommand), cl::cat(compileCategory));
static cl::opt<bool> elideWeights(
    "elide-weights",
    cl::desc("Leave weight blobs out of printed IR (readable, but the "
             "output no longer parses back)"),
    cl::sub(compileCommand), cl::cat(compileCategory));
static cl::opt<bool> printLocations(
    "print-locations",
    cl::desc("Print each op's location (ONNX node name and op type)"),
    cl::sub(compileCommand), cl::cat(compileCategory));

static cl::opt<std::string> inspectModel(cl::Positional, cl::Required,
                                         cl::desc("<model.onnx>"),
                                         cl::sub(inspectCommand));

static cl::opt<std::string> runModelPath(cl::Positional, cl::Required,
                                         cl::desc("<model.so|model.onnx>"),
                                         cl::sub(runCommand),
                                         cl::sub(benchCommand));
static cl::list<std::string> runInputs(
    "input",
    cl::desc("An input's values from a .npy file (dtype and shape must "
             "match); inputs not given get random values"),
    cl::value_desc("name=file.npy"), cl::sub(runCommand), cl::sub(benchCommand),
    cl::cat(runCategory));
static cl::opt<std::string> runOutputDir(
    "output-dir", cl::desc("Write each output to <dir>/<output name>.npy"),
    cl::value_desc("dir"), cl::sub(runCommand), cl::cat(runCategory));
static cl::opt<uint64_t>
    runSeed("seed",
            cl::desc("Seed of the random values of inputs not given "
                     "(default 0)"),
            cl::value_desc("n"), cl::init(0), cl::sub(runCommand),
            cl::sub(benchCommand), cl::cat(runCategory));
static cl::opt<int> runThreads(
    "threads",
    cl::desc("Threads the runtime uses (default: $KILN_NUM_THREADS, else "
             "the number of CPUs)"),
    cl::value_desc("n"), cl::init(0), cl::sub(runCommand),
    cl::sub(benchCommand), cl::cat(runCategory));
static cl::opt<std::string>
    runCacheDir("cache-dir",
                cl::desc("Where compiled ONNX models are kept (default: "
                         "$KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln, else "
                         "~/.cache/kiln)"),
                cl::value_desc("dir"), cl::sub(runCommand),
                cl::sub(benchCommand), cl::cat(runCategory));
static cl::opt<bool> runVerbose(
    "verbose",
    cl::desc("Say whether an ONNX model is compiled or found in the cache"),
    cl::sub(runCommand), cl::sub(benchCommand), cl::cat(runCategory));
static cl::opt<unsigned> benchIterations("iterations",
                                         cl::desc("Timed runs (default 100)"),
                                         cl::value_desc("n"), cl::init(100),
                                         cl::sub(benchCommand),
                                         cl::cat(runCategory));
static cl::opt<unsigned>
    benchWarmup("warmup", cl::desc("Untimed runs first (default 10)"),
                cl::value_desc("n"), cl::init(10), cl::sub(benchCommand),
                cl::cat(runCategory));

/// The options `kiln run` and `kiln bench` share; false after an error.
static bool getModelRunOptions(kiln::ModelRunOptions &options) {
  if (optLevel > 3) {
    errs() << "kiln: error: -O" << optLevel << " is not 0, 1, 2 or 3\n";
    return false;
  }
  if (runThreads.getNumOccurrences() && runThreads < 1) {
    errs() << "kiln: error: --threads must be at least 1\n";
    return false;
  }
  options.modelPath = runModelPath;
  options.modelName = modelName;
  options.inputs.assign(runInputs.begin(), runInputs.end());
  options.seed = runSeed;
  options.threads = runThreads;
  options.cacheDir = runCacheDir;
  options.target.cpu = targetCpu;
  options.target.features = targetFeatures;
  options.target.optLevel = optLevel;
  options.verbose = runVerbose;
  options.inputShapes.assign(inputShapes.begin(), inputShapes.end());
  options.dims.assign(dimValues.begin(), dimValues.end());
  options.boundInputs.assign(boundInputs.begin(), boundInputs.end());
  return true;
}

static int runRun(MLIRContext &context) {
  kiln::RunOptions options;
  if (!getModelRunOptions(options))
    return 1;
  options.outputDir = runOutputDir;
  return failed(kiln::runModel(context, options, outs(), errs())) ? 1 : 0;
}

static int runBench(MLIRContext &context) {
  kiln::BenchOptions options;
  if (!getModelRunOptions(options))
    return 1;
  options.iterations = benchIterations;
  options.warmup = benchWarmup;
  return failed(kiln::benchModel(context, options, outs(), errs())) ? 1 : 0;
}

/// --input-shape, --dim and --bind-input into `import`; false after an
/// error.
static bool parseShapeOptions(kiln::onnx::ImportOptions &import) {
  Error error = Error::success();
  for (const std::string &shape : inputShapes)
    if (!error)
      error = kiln::onnx::parseInputShapeOption(shape, import);
  for (const std::string &dim : dimValues)
    if (!error)
      error = kiln::onnx::parseDimOption(dim, import);
  for (const std::string &binding : boundInputs)
    if (!error)
      error = kiln::parseBindInputOption(binding, import);
  if (!error)
    return true;
  errs() << "kiln: error: " << toString(std::move(error)) << "\n";
  return false;
}

static int runCompile(MLIRContext &context) {
  kiln::ToolDiagnosticHandler diagnostics(context, errs());
  auto phase = kiln::parsePhase(emitKind);
  if (!phase) {
    errs() << "kiln: error: unknown --emit kind '" << emitKind
           << "' (expected one of: " << kiln::listPhaseNames() << ")\n";
    return 1;
  }
  if (optLevel > 3) {
    errs() << "kiln: error: -O" << optLevel << " is not 0, 1, 2 or 3\n";
    return 1;
  }
  kiln::CompileOptions options;
  options.inputPath = compileModel;
  options.outputPath = outputPath;
  options.modelName = modelName;
  options.emit = *phase;
  options.target.triple = targetTriple;
  options.target.cpu = targetCpu;
  options.target.features = targetFeatures;
  options.target.optLevel = optLevel;
  options.linker = linkerDriver;
  options.runtimeDir = runtimeDir;
  options.elideWeights = elideWeights;
  options.printLocations = printLocations;
  if (!parseShapeOptions(options.import))
    return 1;
  return failed(kiln::compileModel(context, options)) ? 1 : 0;
}

static int runInspect(MLIRContext &context) {
  auto model = kiln::onnx::OnnxModel::load(inspectModel);
  if (!model) {
    errs() << "kiln: error: " << inspectModel << ": "
           << toString(model.takeError()) << "\n";
    return 1;
  }
  kiln::printModelSummary(**model, outs());
  return 0;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(
      {&compileCategory, &runCategory, &cl::getGeneralCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "Kiln: an ahead-of-time compiler for trained neural networks\n\n"
      "  kiln compile MODEL.onnx [-o DIR] [--name NAME] [--emit=PHASE]\n"
      "  kiln run MODEL [--input NAME=FILE.npy ...] [--output-dir DIR]\n"
      "  kiln bench MODEL [--iterations N] [--warmup N] [--threads N]\n"
      "  kiln inspect MODEL.onnx\n");

  kiln::registerAllPasses();
  DialectRegistry registry;
  kiln::registerAllDialects(registry);
  MLIRContext context(registry);

  if (compileCommand)
    return runCompile(context);
  if (inspectCommand)
    return runInspect(context);
  if (runCommand)
    return runRun(context);
  if (benchCommand)
    return runBench(context);
  errs() << "kiln: error: no command given; run `kiln --help`\n";
  return 1;
}
