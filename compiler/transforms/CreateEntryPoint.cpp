//===- CreateEntryPoint.cpp - Declare the model's C entry point -----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "compiler/transforms/Passes.h"
#include "dialects/kiln_rt/IR/KilnRtOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_CREATEENTRYPOINT
#include "compiler/transforms/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;

namespace {

constexpr StringLiteral kElementTypesAttr = "kiln_rt.element_types";

/// The `kiln.name` attribute of each entry, or `<prefix><i>`.
static SmallVector<Attribute> collectNames(Builder &b, ArrayAttr attrs,
                                           unsigned count, StringRef prefix) {
  SmallVector<Attribute> names;
  for (unsigned i = 0; i < count; ++i) {
    StringAttr name;
    if (attrs && i < attrs.size())
      if (auto dict = dyn_cast<DictionaryAttr>(attrs[i]))
        name = dict.getAs<StringAttr>("kiln.name");
    names.push_back(name ? name : b.getStringAttr(prefix + Twine(i)));
  }
  return names;
}

struct CreateEntryPointPass
    : kiln::impl::CreateEntryPointBase<CreateEntryPointPass> {
  using CreateEntryPointBase::CreateEntryPointBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>(functionName);
    if (!func) {
      module.emitError("kiln-create-entry-point: no function '")
          << functionName << "'";
      return signalPassFailure();
    }
    // The entry point shares the module's symbol table with the function: a
    // model named like its function (`main`, from main.onnx) renames the
    // function.
    if (Operation *clash = module.lookupSymbol(modelName)) {
      SymbolTable symbols(module);
      if (clash != func.getOperation() ||
          failed(symbols.renameToUnique(func, {}))) {
        module.emitError("kiln-create-entry-point: model name '")
            << modelName << "' is already the name of a symbol";
        return signalPassFailure();
      }
    }
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToStart(module.getBody());
    FunctionType type = func.getFunctionType();
    auto inputs =
        collectNames(b, func.getAllArgAttrs(), type.getNumInputs(), "input");
    auto outputs = collectNames(b, func.getAllResultAttrs(),
                                type.getNumResults(), "output");
    auto entry = b.create<kiln_rt::EntryPointOp>(
        func.getLoc(), b.getStringAttr(modelName),
        FlatSymbolRefAttr::get(func.getSymNameAttr()), b.getArrayAttr(inputs),
        b.getArrayAttr(outputs), b.getI64IntegerAttr(0));
    // Lowering turns ui* into signless integers; the ABI keeps the original
    // element types for the header and the model info.
    SmallVector<Attribute> elementTypes;
    for (Type type :
         llvm::concat<const Type>(type.getInputs(), type.getResults()))
      elementTypes.push_back(TypeAttr::get(getElementTypeOrSelf(type)));
    entry->setAttr(kElementTypesAttr, b.getArrayAttr(elementTypes));
    if (failed(entry.verify()))
      return signalPassFailure();
  }
};

} // namespace
