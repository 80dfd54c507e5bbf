//===- Registration.cpp - Register Kiln dialects and passes ---------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/Registration.h"
#include "compiler/conversion/KilnToLinalg/Passes.h"
#include "compiler/pipelines/Pipelines.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void mlir::kiln::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::kiln::KilnDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
}

void mlir::kiln::registerAllPasses() {
  // Upstream cleanups the Kiln pipelines rely on (canonicalize, cse, ...).
  mlir::registerTransformsPasses();
  registerKilnToLinalgPasses();
  registerKilnPipelines();
}
