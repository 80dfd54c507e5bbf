//===- EmitModelInfo.cpp - `<name>_info` and the generic trampoline -------===//
//
// Part of Kiln. Builds, in the LLVM dialect, the constant kiln_model_info
// table whose layout runtime/include/kiln/runtime.h fixes:
//
//   kiln_tensor_info { const char *name; int32 dtype; int32 rank;
//                      const int64 *shape; }
//   kiln_model_info  { uint32 abi_version; int32 num_inputs;
//                      int32 num_outputs; uint32 reserved; const char *name;
//                      const kiln_tensor_info *inputs, *outputs;
//                      uint64 workspace_size, workspace_alignment;
//                      kiln_run_fn run; }
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/Passes.h"
#include "dialects/kiln/IR/LowPrecisionTypes.h"
#include "dialects/kiln_rt/IR/KilnRtOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_EMITMODELINFO
#include "compiler/codegen/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

int32_t kiln::getKilnDtype(Type type) {
  // 8-bit floats and 4-bit types: their ONNX codes (17-23).
  if (int32_t code = getLowPrecisionOnnxCode(type))
    return code;
  if (type.isF32())
    return 1;
  if (type.isF64())
    return 11;
  if (type.isF16())
    return 10;
  if (type.isBF16())
    return 16;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return 0;
  bool isUnsigned = intType.isUnsigned();
  switch (intType.getWidth()) {
  case 1:
    return 9;
  case 8:
    return isUnsigned ? 2 : 3;
  case 16:
    return isUnsigned ? 4 : 5;
  case 32:
    return isUnsigned ? 12 : 6;
  case 64:
    return isUnsigned ? 13 : 7;
  default:
    return 0;
  }
}

namespace {

constexpr uint32_t kAbiVersion = 1;
using kiln_rt::kWorkspaceAlignment;

/// Builds module-level constants for one entry point.
class InfoBuilder {
public:
  InfoBuilder(ModuleOp module, kiln_rt::EntryPointOp entry)
      : module(module), entry(entry), ctx(module.getContext()),
        b(module.getBodyRegion()), loc(entry.getLoc()),
        ptr(LLVM::LLVMPointerType::get(ctx)), i32(b.getI32Type()),
        i64(b.getI64Type()) {
    b.setInsertionPointToEnd(module.getBody());
    prefix = ("__kiln_" + entry.getSymName() + "_").str();
  }

  LogicalResult build() {
    auto ioTypes = entry->getAttrOfType<ArrayAttr>("kiln_rt.io_types");
    size_t numInputs = entry.getInputNames().size();
    size_t numOutputs = entry.getOutputNames().size();
    if (!ioTypes || ioTypes.size() < numInputs + numOutputs)
      return entry.emitError("kiln-rt-emit-model-info: run "
                             "kiln-rt-emit-entry-points first");
    SmallVector<MemRefType> types;
    auto elementTypes =
        entry->getAttrOfType<ArrayAttr>("kiln_rt.element_types");
    for (auto [i, t] : llvm::enumerate(ioTypes)) {
      auto type = cast<MemRefType>(cast<TypeAttr>(t).getValue());
      // Lowering drops signedness; the entry point remembers it.
      if (elementTypes && i < elementTypes.size())
        type = MemRefType::get(type.getShape(),
                               cast<TypeAttr>(elementTypes[i]).getValue());
      types.push_back(type);
    }
    LLVM::GlobalOp inputs = tensorTable("inputs", entry.getInputNames(),
                                        ArrayRef(types).take_front(numInputs));
    LLVM::GlobalOp outputs =
        tensorTable("outputs", entry.getOutputNames(),
                    ArrayRef(types).slice(numInputs, numOutputs));
    if (!inputs || !outputs)
      return failure();
    LLVM::LLVMFuncOp trampoline =
        buildTrampoline(types.size(), numInputs, numOutputs);
    if (!trampoline)
      return failure();
    LLVM::GlobalOp info =
        modelInfo(inputs, outputs, trampoline, numInputs, numOutputs);
    buildInfoFunction(info);
    if (auto impl = module.lookupSymbol<LLVM::LLVMFuncOp>(entry.getFunction()))
      impl.setLinkage(LLVM::Linkage::Internal);
    return success();
  }

private:
  LLVM::GlobalOp string(StringRef name, StringRef text) {
    std::string value = text.str();
    value.push_back('\0');
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), value.size());
    return b.create<LLVM::GlobalOp>(
        loc, type, /*isConstant=*/true, LLVM::Linkage::Internal,
        prefix + name.str(), b.getStringAttr(value));
  }

  /// A constant global built by `fill`, which returns the value to store.
  LLVM::GlobalOp constant(StringRef name, Type type,
                          function_ref<Value(OpBuilder &)> fill) {
    auto global = b.create<LLVM::GlobalOp>(loc, type, /*isConstant=*/true,
                                           LLVM::Linkage::Internal,
                                           prefix + name.str(), Attribute());
    OpBuilder ib =
        OpBuilder::atBlockEnd(&global.getInitializerRegion().emplaceBlock());
    ib.create<LLVM::ReturnOp>(loc, fill(ib));
    return global;
  }

  Value address(OpBuilder &ib, LLVM::GlobalOp global) {
    return ib.create<LLVM::AddressOfOp>(loc, global);
  }

  LLVM::GlobalOp tensorTable(StringRef kind, ArrayAttr names,
                             ArrayRef<MemRefType> types) {
    auto infoType = LLVM::LLVMStructType::getLiteral(ctx, {ptr, i32, i32, ptr});
    SmallVector<LLVM::GlobalOp> nameGlobals, shapeGlobals;
    for (auto [i, type] : llvm::enumerate(types)) {
      std::string tag = (kind + Twine(i)).str();
      nameGlobals.push_back(
          string(tag + "_name", cast<StringAttr>(names[i]).getValue()));
      if (kiln::getKilnDtype(type.getElementType()) == 0) {
        entry.emitError("kiln-rt-emit-model-info: element type ")
            << type.getElementType() << " has no kiln_dtype";
        return nullptr;
      }
      ArrayRef<int64_t> shape = type.getShape();
      auto shapeType = LLVM::LLVMArrayType::get(i64, shape.size());
      shapeGlobals.push_back(
          constant(tag + "_shape", shapeType, [&](OpBuilder &ib) -> Value {
            Value array = ib.create<LLVM::UndefOp>(loc, shapeType);
            for (auto [d, size] : llvm::enumerate(shape))
              array = ib.create<LLVM::InsertValueOp>(
                  loc, array, ib.create<LLVM::ConstantOp>(loc, i64, size),
                  ArrayRef<int64_t>{static_cast<int64_t>(d)});
            return array;
          }));
    }
    auto tableType = LLVM::LLVMArrayType::get(infoType, types.size());
    return constant(kind, tableType, [&](OpBuilder &ib) -> Value {
      Value table = ib.create<LLVM::UndefOp>(loc, tableType);
      for (auto [i, type] : llvm::enumerate(types)) {
        int64_t index = i;
        Value fields[] = {
            address(ib, nameGlobals[i]),
            ib.create<LLVM::ConstantOp>(
                loc, i32, kiln::getKilnDtype(type.getElementType())),
            ib.create<LLVM::ConstantOp>(loc, i32, type.getRank()),
            address(ib, shapeGlobals[i])};
        for (auto [f, value] : llvm::enumerate(fields))
          table = ib.create<LLVM::InsertValueOp>(
              loc, table, value,
              ArrayRef<int64_t>{index, static_cast<int64_t>(f)});
      }
      return table;
    });
  }

  /// int <name>_run_generic(const void *const *in, void *const *out, void *ws)
  LLVM::LLVMFuncOp buildTrampoline(size_t numArgs, size_t numInputs,
                                   size_t numOutputs) {
    std::string runName = (entry.getSymName() + "_run").str();
    auto run = module.lookupSymbol<LLVM::LLVMFuncOp>(runName);
    if (!run) {
      entry.emitError("kiln-rt-emit-model-info: no llvm.func @") << runName;
      return nullptr;
    }
    auto type = LLVM::LLVMFunctionType::get(i32, {ptr, ptr, ptr});
    auto fn = b.create<LLVM::LLVMFuncOp>(
        loc, (entry.getSymName() + "_run_generic").str(), type);
    OpBuilder fb = OpBuilder::atBlockEnd(fn.addEntryBlock(b));
    SmallVector<Value> args;
    auto load = [&](Value base, int64_t index) {
      Value slot = fb.create<LLVM::GEPOp>(
          loc, ptr, ptr, base,
          ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(index)});
      return fb.create<LLVM::LoadOp>(loc, ptr, slot).getResult();
    };
    for (size_t i = 0; i < numInputs; ++i)
      args.push_back(load(fn.getArgument(0), i));
    for (size_t i = 0; i < numOutputs; ++i)
      args.push_back(load(fn.getArgument(1), i));
    // <name>_run ends with the workspace pointer (the pipeline always adds
    // it, as the header declares, even when the model needs none).
    if (run.getNumArguments() > numInputs + numOutputs)
      args.push_back(fn.getArgument(2));
    Value status = fb.create<LLVM::CallOp>(loc, run, args).getResult();
    fb.create<LLVM::ReturnOp>(loc, status);
    return fn;
  }

  LLVM::GlobalOp modelInfo(LLVM::GlobalOp inputs, LLVM::GlobalOp outputs,
                           LLVM::LLVMFuncOp trampoline, size_t numInputs,
                           size_t numOutputs) {
    LLVM::GlobalOp name = string("name", entry.getSymName());
    auto type = LLVM::LLVMStructType::getLiteral(
        ctx, {i32, i32, i32, i32, ptr, ptr, ptr, i64, i64, ptr});
    return constant("info", type, [&](OpBuilder &ib) -> Value {
      Value fields[] = {
          ib.create<LLVM::ConstantOp>(loc, i32, kAbiVersion),
          ib.create<LLVM::ConstantOp>(loc, i32, numInputs),
          ib.create<LLVM::ConstantOp>(loc, i32, numOutputs),
          ib.create<LLVM::ConstantOp>(loc, i32, 0),
          address(ib, name),
          address(ib, inputs),
          address(ib, outputs),
          ib.create<LLVM::ConstantOp>(loc, i64,
                                      entry.getWorkspaceSizeAttr().getInt()),
          ib.create<LLVM::ConstantOp>(loc, i64, kWorkspaceAlignment),
          ib.create<LLVM::AddressOfOp>(loc, ptr, trampoline.getSymName())};
      Value info = ib.create<LLVM::UndefOp>(loc, type);
      for (auto [f, value] : llvm::enumerate(fields))
        info = ib.create<LLVM::InsertValueOp>(
            loc, info, value, ArrayRef<int64_t>{static_cast<int64_t>(f)});
      return info;
    });
  }

  void buildInfoFunction(LLVM::GlobalOp info) {
    auto fn =
        b.create<LLVM::LLVMFuncOp>(loc, (entry.getSymName() + "_info").str(),
                                   LLVM::LLVMFunctionType::get(ptr, {}));
    OpBuilder fb = OpBuilder::atBlockEnd(fn.addEntryBlock(b));
    fb.create<LLVM::ReturnOp>(loc, fb.create<LLVM::AddressOfOp>(loc, info));
  }

  ModuleOp module;
  kiln_rt::EntryPointOp entry;
  MLIRContext *ctx;
  OpBuilder b;
  Location loc;
  Type ptr, i32, i64;
  std::string prefix;
};

struct EmitModelInfoPass : kiln::impl::EmitModelInfoBase<EmitModelInfoPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto entry : llvm::to_vector(module.getOps<kiln_rt::EntryPointOp>())) {
      if (failed(InfoBuilder(module, entry).build()))
        return signalPassFailure();
      entry.erase();
    }
  }
};

} // namespace
