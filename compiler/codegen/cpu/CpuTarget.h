//===- CpuTarget.h - LLVM IR to native code for CPUs ------------*- C++ -*-===//
//
// Part of Kiln. Translates the LLVM dialect to LLVM IR, optimizes it and
// writes assembly or object code with LLVM's TargetMachine, in process.
//
//===----------------------------------------------------------------------===//

#ifndef COMPILER_CODEGEN_CPU_CPUTARGET_H
#define COMPILER_CODEGEN_CPU_CPUTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace mlir::kiln {

/// Where the code will run.
struct CpuTargetOptions {
  /// Target triple; empty means the host's.
  std::string triple;
  /// CPU name (`native` = the host's, or e.g. `x86-64-v3`, `neoverse-n1`).
  std::string cpu = "native";
  /// Extra features, LLVM syntax (`+avx512f,-fma`).
  std::string features;
  /// 0 to 3.
  unsigned optLevel = 3;
};

/// A TargetMachine for `options`; errors name the unknown triple or CPU.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createCpuTargetMachine(const CpuTargetOptions &options);

/// Translates a module in the LLVM dialect, sets its triple and data layout
/// and runs LLVM's optimization pipeline for `options.optLevel`.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(ModuleOp module, llvm::LLVMContext &context,
                     llvm::TargetMachine &machine, unsigned optLevel);

/// Assembly text or object bytes for `module`.
llvm::Expected<std::string> emitMachineCode(llvm::Module &module,
                                            llvm::TargetMachine &machine,
                                            bool assembly);

} // namespace mlir::kiln

#endif // COMPILER_CODEGEN_CPU_CPUTARGET_H
