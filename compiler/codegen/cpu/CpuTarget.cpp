//===- CpuTarget.cpp - LLVM IR to native code for CPUs --------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/cpu/CpuTarget.h"

#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;
using llvm::Expected;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static void initializeTargetsOnce() {
  static bool done = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)done;
}

static llvm::CodeGenOptLevel toCodeGenLevel(unsigned level) {
  switch (level) {
  case 0:
    return llvm::CodeGenOptLevel::None;
  case 1:
    return llvm::CodeGenOptLevel::Less;
  case 2:
    return llvm::CodeGenOptLevel::Default;
  default:
    return llvm::CodeGenOptLevel::Aggressive;
  }
}

Expected<std::unique_ptr<llvm::TargetMachine>>
kiln::createCpuTargetMachine(const CpuTargetOptions &options) {
  initializeTargetsOnce();
  std::string triple = options.triple.empty()
                           ? llvm::sys::getDefaultTargetTriple()
                           : llvm::Triple::normalize(options.triple);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return makeError("unknown target triple '" + triple + "': " + error);

  std::string cpu = options.cpu;
  llvm::SubtargetFeatures features;
  bool isHost = options.triple.empty() ||
                llvm::Triple(triple).getArch() ==
                    llvm::Triple(llvm::sys::getDefaultTargetTriple()).getArch();
  if (!llvm::Triple(triple).isArch64Bit())
    return makeError("target '" + triple +
                     "' is not 64-bit; Kiln's ABI "
                     "(size_t workspace sizes, int64 shapes) needs a 64-bit "
                     "target");
  // `native` means the host's CPU for host code and LLVM's generic CPU when
  // cross-compiling, as LLVM's own tools do.
  if (cpu == "native" && !isHost)
    cpu = "generic";
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.getKey(), feature.getValue());
  }
  // Ask a generic subtarget: one created with an unknown CPU or feature
  // prints LLVM's own warnings before ours.
  std::unique_ptr<const llvm::MCSubtargetInfo> info(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!info || !info->isCPUStringValid(cpu))
    return makeError("unknown CPU '" + cpu + "' for " + triple);
  llvm::SmallVector<llvm::StringRef> extra;
  llvm::StringRef(options.features).split(extra, ',', -1, false);
  for (llvm::StringRef feature : extra) {
    feature = feature.trim();
    if (!feature.starts_with("+") && !feature.starts_with("-"))
      return makeError("feature '" + feature +
                       "' needs a '+' (enable) or '-' (disable) prefix");
    bool known = llvm::any_of(info->getAllProcessorFeatures(),
                              [&](const llvm::SubtargetFeatureKV &kv) {
                                return feature.drop_front() == kv.Key;
                              });
    if (!known)
      return makeError("unknown feature '" + feature.drop_front() + "' for " +
                       triple);
    features.AddFeature(feature);
  }

  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features.getString(), targetOptions, llvm::Reloc::PIC_,
      std::nullopt, toCodeGenLevel(options.optLevel)));
  if (!machine)
    return makeError("cannot create a target machine for " + triple);
  return machine;
}

Expected<std::unique_ptr<llvm::Module>>
kiln::translateAndOptimize(ModuleOp module, llvm::LLVMContext &context,
                           llvm::TargetMachine &machine, unsigned optLevel) {
  registerBuiltinDialectTranslation(*module->getContext());
  registerLLVMDialectTranslation(*module->getContext());
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return makeError("translation to LLVM IR failed");
  llvmModule->setTargetTriple(machine.getTargetTriple().str());
  llvmModule->setDataLayout(machine.createDataLayout());
  if (optLevel == 0)
    return llvmModule;

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = optLevel >= 2;
  tuning.SLPVectorization = optLevel >= 2;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel level = optLevel == 1   ? llvm::OptimizationLevel::O1
                                  : optLevel == 2 ? llvm::OptimizationLevel::O2
                                                  : llvm::OptimizationLevel::O3;
  builder.buildPerModuleDefaultPipeline(level).run(*llvmModule, mam);
  return llvmModule;
}

Expected<std::string> kiln::emitMachineCode(llvm::Module &module,
                                            llvm::TargetMachine &machine,
                                            bool assembly) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream out(buffer);
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, out, nullptr,
                                  assembly ? llvm::CodeGenFileType::AssemblyFile
                                           : llvm::CodeGenFileType::ObjectFile))
    return makeError("the target cannot emit this file type");
  passes.run(module);
  return std::string(buffer.begin(), buffer.end());
}
