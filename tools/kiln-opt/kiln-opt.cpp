//===- kiln-opt.cpp - Kiln's mlir-opt -------------------------------------===//
//
// Part of Kiln. Runs passes over MLIR files: the driver for lit tests and for
// debugging pipelines. Registers every Kiln dialect and pass plus the upstream
// dialects Kiln lowers through.
//
//===----------------------------------------------------------------------===//

#include "compiler/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::kiln::registerAllDialects(registry);
  mlir::kiln::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Kiln optimizer driver\n", registry));
}
