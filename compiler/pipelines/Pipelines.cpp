//===- Pipelines.cpp - Kiln's pass pipelines and compiler phases ----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

StringRef kiln::getPhaseName(Phase phase) {
  switch (phase) {
  case Phase::Kiln:
    return "kiln";
  }
  llvm_unreachable("unknown phase");
}

std::optional<kiln::Phase> kiln::parsePhase(StringRef name) {
  if (name == "kiln")
    return Phase::Kiln;
  return std::nullopt;
}

void kiln::buildKilnGraphPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void kiln::registerKilnPipelines() {
  PassPipelineRegistration<>(
      "kiln-graph-pipeline",
      "Graph-level cleanups on the kiln dialect (what `kiln compile "
      "--emit=kiln` runs after import)",
      [](OpPassManager &pm) { buildKilnGraphPipeline(pm); });
}
