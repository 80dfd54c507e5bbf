//===- Registration.cpp - Register Kiln dialects and passes ---------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/Registration.h"
#include "compiler/codegen/Passes.h"
#include "compiler/codegen/cpu/Passes.h"
#include "compiler/conversion/KilnToLinalg/Passes.h"
#include "compiler/pipelines/Pipelines.h"
#include "compiler/transforms/Passes.h"
#include "dialects/kiln/IR/KilnDialect.h"
#include "dialects/kiln_rt/IR/KilnRtDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void mlir::kiln::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<KilnDialect, kiln_rt::KilnRtDialect>();
  // Every upstream dialect Kiln lowers through, with the external models
  // (bufferization, LLVM translation) their passes need.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void mlir::kiln::registerAllPasses() {
  mlir::registerAllPasses();
  registerKilnTransformsPasses();
  registerKilnCodegenPasses();
  registerKilnCpuCodegenPasses();
  registerKilnToLinalgPasses();
  registerKilnPipelines();
}
