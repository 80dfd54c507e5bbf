//===- kiln.cpp - The kiln command-line tool ------------------------------===//
//
// Part of Kiln.
//
//   kiln compile MODEL.onnx [--emit=kiln] [-o FILE]
//   kiln inspect MODEL.onnx
//
// Exit status: 0 on success, 1 when the model cannot be read or compiled
// (each problem is printed as `kiln: error: ...`).
//
//===----------------------------------------------------------------------===//

#include "compiler/Registration.h"
#include "compiler/driver/Diagnostics.h"
#include "compiler/driver/Inspect.h"
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
static cl::SubCommand inspectCommand(
    "inspect", "Print a model's inputs, outputs, opsets and operators");

static cl::OptionCategory compileCategory("Compile options");

static cl::opt<std::string> compileModel(cl::Positional, cl::Required,
                                         cl::desc("<model.onnx>"),
                                         cl::sub(compileCommand));
static cl::opt<std::string> emitKind(
    "emit",
    cl::desc("Stop after this phase and write its output. Phases: kiln (the "
             "imported graph in the kiln dialect, after folding and cleanups)"),
    cl::value_desc("phase"), cl::init("kiln"), cl::sub(compileCommand),
    cl::cat(compileCategory));
static cl::opt<std::string> outputPath("o",
                                       cl::desc("Output file ('-' is stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::sub(compileCommand),
                                       cl::cat(compileCategory));
static cl::opt<bool> elideWeights(
    "elide-weights",
    cl::desc("Leave weight blobs out of the printed IR (readable, but the "
             "output no longer parses back)"),
    cl::sub(compileCommand), cl::cat(compileCategory));
static cl::opt<bool> printLocations(
    "print-locations",
    cl::desc("Print each op's location (ONNX node name and op type)"),
    cl::sub(compileCommand), cl::cat(compileCategory));

static cl::opt<std::string> inspectModel(cl::Positional, cl::Required,
                                         cl::desc("<model.onnx>"),
                                         cl::sub(inspectCommand));

static int runCompile(MLIRContext &context) {
  kiln::ToolDiagnosticHandler diagnostics(context, errs());
  auto phase = kiln::parsePhase(emitKind);
  if (!phase) {
    errs() << "kiln: error: unknown --emit kind '" << emitKind
           << "' (expected: kiln)\n";
    return 1;
  }
  OwningOpRef<ModuleOp> module = kiln::onnx::importOnnxFile(context,
                                                            compileModel);
  if (!module)
    return 1;
  PassManager pm(&context);
  kiln::buildKilnGraphPipeline(pm);
  if (failed(pm.run(*module)))
    return 1;

  std::string error;
  auto output = openOutputFile(outputPath, &error);
  if (!output) {
    errs() << "kiln: error: " << error << "\n";
    return 1;
  }
  OpPrintingFlags flags;
  if (elideWeights)
    flags.elideLargeResourceString(/*largeResourceLimit=*/0)
        .elideLargeElementsAttrs(16);
  if (printLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  module->print(output->os(), flags);
  output->keep();
  return 0;
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
  cl::HideUnrelatedOptions({&compileCategory, &cl::getGeneralCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "Kiln: an ahead-of-time compiler for trained neural networks\n\n"
      "  kiln compile MODEL.onnx [--emit=kiln] [-o FILE]\n"
      "  kiln inspect MODEL.onnx\n");

  DialectRegistry registry;
  kiln::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  if (compileCommand)
    return runCompile(context);
  if (inspectCommand)
    return runInspect(context);
  errs() << "kiln: error: no command given; run `kiln --help`\n";
  return 1;
}
