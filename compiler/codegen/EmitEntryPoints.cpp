//===- EmitEntryPoints.cpp - `<name>_run` and `<name>_workspace_size` -----===//
//
// Part of Kiln. The C entry point checks every pointer before running the
// model: a null input, output or workspace, or a misaligned workspace, sets
// kiln_last_error() and returns a kiln_status code (runtime.h).
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Passes.h"
#include "dialects/kiln_rt/IR/KilnRtOps.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_EMITENTRYPOINTS
#include "compiler/codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

// kiln_status values (runtime/include/kiln/runtime.h).
constexpr int32_t kStatusNullPointer = 1;
constexpr int32_t kStatusMisaligned = 3;
using kiln_rt::kWorkspaceAlignment;
constexpr StringLiteral kSetLastError = "kiln_set_last_error";

/// Creates (once) an internal NUL-terminated string global; returns its name.
static LLVM::GlobalOp getOrCreateString(ModuleOp module, StringRef name,
                                        StringRef text) {
  if (auto existing = module.lookupSymbol<LLVM::GlobalOp>(name))
    return existing;
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToEnd(module.getBody());
  std::string value = text.str();
  value.push_back('\0');
  auto type = LLVM::LLVMArrayType::get(b.getI8Type(), value.size());
  return b.create<LLVM::GlobalOp>(module.getLoc(), type, /*isConstant=*/true,
                                  LLVM::Linkage::Internal, name,
                                  b.getStringAttr(value));
}

static void declareSetLastError(ModuleOp module) {
  if (module.lookupSymbol(kSetLastError))
    return;
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToEnd(module.getBody());
  auto ptr = LLVM::LLVMPointerType::get(module.getContext());
  b.create<LLVM::LLVMFuncOp>(
      module.getLoc(), kSetLastError,
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(b.getContext()),
                                  {ptr}));
}

struct EmitEntryPointsPass
    : kiln::impl::EmitEntryPointsBase<EmitEntryPointsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto entry : llvm::to_vector(module.getOps<kiln_rt::EntryPointOp>()))
      if (failed(emit(module, entry)))
        return signalPassFailure();
  }

  LogicalResult emit(ModuleOp module, kiln_rt::EntryPointOp entry) {
    auto impl = module.lookupSymbol<func::FuncOp>(entry.getFunction());
    size_t numInputs = entry.getInputNames().size();
    size_t numOutputs = entry.getOutputNames().size();
    int64_t workspaceSize = entry.getWorkspaceSizeAttr().getInt();
    // The verifier also accepts an llvm.func (after conversion to LLVM).
    if (!impl)
      return entry.emitError("kiln-rt-emit-entry-points: expects the "
                             "bufferized, memory-planned model function");
    FunctionType type = impl.getFunctionType();
    if (type.getNumResults() != 0 ||
        type.getNumInputs() !=
            numInputs + numOutputs + (workspaceSize > 0 ? 1 : 0))
      return entry.emitError("kiln-rt-emit-entry-points: expects the "
                             "bufferized, memory-planned model function");
    // The model body is reached only through the checked entry point; its
    // argument names live on the entry point (LLVM has no use for them).
    impl.setPrivate();
    for (unsigned i = 0; i < impl.getNumArguments(); ++i)
      impl.removeArgAttr(i, "kiln.name");
    declareSetLastError(module);

    SmallVector<Attribute> ioTypes;
    for (Type t : type.getInputs())
      ioTypes.push_back(TypeAttr::get(t));
    entry->setAttr("kiln_rt.io_types", ArrayAttr::get(&getContext(), ioTypes));

    // Describe each pointer argument for the error messages.
    StringRef name = entry.getSymName();
    SmallVector<std::string> what;
    for (Attribute n : entry.getInputNames())
      what.push_back("input '" + cast<StringAttr>(n).str() + "'");
    for (Attribute n : entry.getOutputNames())
      what.push_back("output '" + cast<StringAttr>(n).str() + "'");
    if (workspaceSize > 0)
      what.push_back("workspace (" + std::to_string(workspaceSize) + " bytes)");

    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointAfter(impl);
    Location loc = entry.getLoc();
    // The C signature always ends with the workspace pointer, as the header
    // declares; a model that needs no workspace ignores it (it may be NULL).
    SmallVector<Type> runInputs(type.getInputs());
    if (workspaceSize == 0)
      runInputs.push_back(MemRefType::get({0}, b.getI8Type()));
    auto run =
        b.create<func::FuncOp>(loc, (name + "_run").str(),
                               b.getFunctionType(runInputs, {b.getI32Type()}));
    Block *block = run.addEntryBlock();
    Region &body = run.getBody();

    // One block per check; a failing check branches to its error block.
    auto emitFailure = [&](Block *errorBlock, int index, StringRef problem,
                           int32_t status) {
      OpBuilder eb = OpBuilder::atBlockEnd(errorBlock);
      std::string msg = (name + "_run: " + what[index] + " " + problem).str();
      auto global = getOrCreateString(
          module,
          ("__kiln_" + name + "_error_" + Twine(index) + "_" + Twine(status))
              .str(),
          msg);
      Value text = eb.create<LLVM::AddressOfOp>(loc, global);
      eb.create<LLVM::CallOp>(loc, TypeRange(), kSetLastError,
                              ValueRange{text});
      Value code = eb.create<arith::ConstantIntOp>(loc, status, 32);
      eb.create<func::ReturnOp>(loc, code);
    };
    // A check that branches to a new error block or on to a new block.
    Block *current = block;
    auto check = [&](Value failed, int index, StringRef problem,
                     int32_t status) {
      auto *error = new Block(), *next = new Block();
      body.push_back(error);
      body.push_back(next);
      emitFailure(error, index, problem, status);
      OpBuilder::atBlockEnd(current).create<cf::CondBranchOp>(loc, failed,
                                                              error, next);
      current = next;
    };
    for (auto [i, arg] : llvm::enumerate(
             run.getArguments().take_front(impl.getNumArguments()))) {
      OpBuilder cb = OpBuilder::atBlockEnd(current);
      Value zero = cb.create<arith::ConstantIndexOp>(loc, 0);
      Value address =
          cb.create<memref::ExtractAlignedPointerAsIndexOp>(loc, arg);
      Value isNull = cb.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq,
                                              address, zero);
      check(isNull, i, "is NULL", kStatusNullPointer);
      bool isWorkspace = workspaceSize > 0 && i + 1 == impl.getNumArguments();
      if (!isWorkspace)
        continue;
      cb = OpBuilder::atBlockEnd(current);
      Value align = cb.create<arith::ConstantIndexOp>(loc, kWorkspaceAlignment);
      Value rem = cb.create<arith::RemUIOp>(loc, address, align);
      Value zero2 = cb.create<arith::ConstantIndexOp>(loc, 0);
      Value misaligned =
          cb.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, rem, zero2);
      check(misaligned, i, "is not aligned to 64 bytes", kStatusMisaligned);
    }
    OpBuilder fb = OpBuilder::atBlockEnd(current);
    fb.create<func::CallOp>(
        loc, impl, run.getArguments().take_front(impl.getNumArguments()));
    Value ok = fb.create<arith::ConstantIntOp>(loc, 0, 32);
    fb.create<func::ReturnOp>(loc, ok);

    b.setInsertionPointAfter(run);
    auto sizeFn =
        b.create<func::FuncOp>(loc, (name + "_workspace_size").str(),
                               b.getFunctionType({}, {b.getI64Type()}));
    OpBuilder sb = OpBuilder::atBlockEnd(sizeFn.addEntryBlock());
    sb.create<func::ReturnOp>(loc, ValueRange{sb.create<arith::ConstantIntOp>(
                                       loc, workspaceSize, 64)});
    return success();
  }
};

} // namespace
