//===- Pipelines.cpp - Kiln's pass pipelines and compiler phases ----------===//
//
// Part of Kiln. Pipelines are written in MLIR's textual pipeline syntax so
// that each step reads exactly as one would run it with kiln-opt.
//
//===----------------------------------------------------------------------===//

#include "compiler/pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

namespace {
struct PhaseName {
  kiln::Phase phase;
  const char *name;
};
constexpr PhaseName kPhaseNames[] = {
    {kiln::Phase::Kiln, "kiln"},       {kiln::Phase::KilnRt, "kiln_rt"},
    {kiln::Phase::LLVMIR, "llvm-ir"},  {kiln::Phase::Asm, "asm"},
    {kiln::Phase::Obj, "obj"},         {kiln::Phase::Header, "header"},
    {kiln::Phase::Static, "static"},   {kiln::Phase::Shared, "shared"},
    {kiln::Phase::Library, "library"},
};

/// Appends a textual pipeline; the passes are Kiln's and upstream's, all
/// registered, so a failure here is a bug in this file.
void addPipeline(OpPassManager &pm, StringRef text) {
  if (failed(parsePassPipeline(text, pm, llvm::errs())))
    llvm::report_fatal_error("invalid built-in pipeline: " + text);
}
} // namespace

StringRef kiln::getPhaseName(Phase phase) {
  for (const PhaseName &entry : kPhaseNames)
    if (entry.phase == phase)
      return entry.name;
  llvm_unreachable("unknown phase");
}

std::optional<kiln::Phase> kiln::parsePhase(StringRef name) {
  for (const PhaseName &entry : kPhaseNames)
    if (name == entry.name)
      return entry.phase;
  return std::nullopt;
}

std::string kiln::listPhaseNames() {
  std::string names;
  for (const PhaseName &entry : kPhaseNames)
    names += (names.empty() ? "" : ", ") + std::string(entry.name);
  return names;
}

void kiln::buildKilnGraphPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void kiln::buildKilnToKilnRtPipeline(OpPassManager &pm, StringRef modelName) {
  addPipeline(pm,
              ("kiln-create-entry-point{model-name=" + modelName + "}").str());
  addPipeline(pm, "convert-kiln-to-linalg,canonicalize,"
                  "linalg-fuse-elementwise-ops,canonicalize,cse");
  // Bufferize into out-parameters: model outputs are written in place.
  addPipeline(pm, "eliminate-empty-tensors,"
                  "one-shot-bufferize{bufferize-function-boundaries "
                  "function-boundary-type-conversion=identity-layout-map},"
                  "kiln-copy-returned-buffers,"
                  "buffer-results-to-out-params{hoist-static-allocs},"
                  "canonicalize,cse");
  addPipeline(pm, "kiln-plan-memory");
}

void kiln::buildCpuToLLVMPipeline(OpPassManager &pm) {
  addPipeline(pm, "kiln-cpu-use-microkernels,kiln-lower-strided-copies,"
                  "kiln-rt-emit-entry-points,kiln-flatten-empty-buffers,"
                  "kiln-rt-lower-workspace-views");
  // bf16 (and f16) math and bf16 arithmetic compute in f32, one op at a
  // time, and bf16 conversions become integer arithmetic: left to LLVM, bf16
  // arithmetic calls __truncsfbf2, which libgcc 12 lacks, and generated
  // libraries must not need compiler-rt.
  addPipeline(pm, "func.func(convert-linalg-to-loops),lower-affine,"
                  "convert-scf-to-cf,func.func(math-legalize-to-f32),"
                  "arith-emulate-unsupported-floats{source-types=bf16 "
                  "target-type=f32},"
                  "arith-expand{include-bf16},canonicalize");
  addPipeline(pm, "expand-strided-metadata,finalize-memref-to-llvm,"
                  "convert-math-to-llvm,convert-math-to-libm,"
                  "convert-arith-to-llvm,convert-index-to-llvm,"
                  "convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
                  "convert-cf-to-llvm,reconcile-unrealized-casts");
  addPipeline(pm, "kiln-rt-emit-model-info,canonicalize");
}

namespace {
struct ModelNameOptions : public PassPipelineOptions<ModelNameOptions> {
  Option<std::string> modelName{*this, "model-name",
                                llvm::cl::desc("C name of the model"),
                                llvm::cl::init("model")};
};
} // namespace

void kiln::registerKilnPipelines() {
  PassPipelineRegistration<>(
      "kiln-graph-pipeline",
      "Graph-level cleanups on the kiln dialect (what `kiln compile "
      "--emit=kiln` runs after import)",
      [](OpPassManager &pm) { buildKilnGraphPipeline(pm); });
  PassPipelineRegistration<ModelNameOptions>(
      "kiln-to-kiln-rt-pipeline",
      "From the kiln dialect to bufferized, memory-planned code with an "
      "entry point (`kiln compile --emit=kiln_rt`)",
      [](OpPassManager &pm, const ModelNameOptions &options) {
        buildKilnToKilnRtPipeline(pm, options.modelName);
      });
  PassPipelineRegistration<>(
      "kiln-cpu-to-llvm-pipeline",
      "From the kiln_rt phase to the LLVM dialect for CPUs",
      [](OpPassManager &pm) { buildCpuToLLVMPipeline(pm); });
}
