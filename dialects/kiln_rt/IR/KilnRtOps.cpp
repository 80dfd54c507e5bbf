//===- KilnRtOps.cpp - kiln_rt dialect operations -------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "dialects/kiln_rt/IR/KilnRtOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::kiln_rt;

#include "dialects/kiln_rt/IR/KilnRtDialect.cpp.inc"

void KilnRtDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/kiln_rt/IR/KilnRtOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// EntryPointOp
//===----------------------------------------------------------------------===//

/// Inputs and outputs cross the C ABI as bare pointers: static shapes, the
/// identity layout.
static bool isAbiBuffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getLayout().isIdentity();
}

LogicalResult EntryPointOp::verify() {
  StringRef name = getSymName();
  if (name.empty() || !(std::isalpha(name.front()) || name.front() == '_') ||
      !llvm::all_of(name, [](char c) { return std::isalnum(c) || c == '_'; }))
    return emitOpError("name '") << name << "' is not a C identifier";
  if (getWorkspaceSizeAttr().getInt() < 0)
    return emitOpError("workspace size must be non-negative");
  return success();
}

LogicalResult
EntryPointOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *symbol =
      symbolTable.lookupNearestSymbolFrom(*this, getFunctionAttr());
  if (!symbol || !isa<FunctionOpInterface>(symbol))
    return emitOpError("refers to '")
           << getFunction() << "', which is not a function";
  // After conversion to LLVM the buffers are bare pointers: nothing to check.
  auto func = dyn_cast<func::FuncOp>(symbol);
  if (!func)
    return success();
  FunctionType type = func.getFunctionType();
  size_t numInputs = getInputNames().size(),
         numOutputs = getOutputNames().size();
  int64_t workspaceSize = getWorkspaceSizeAttr().getInt();
  // Before out-parameters replace results, the function maps inputs to
  // results (tensors, or buffers right after bufferization).
  if (type.getNumInputs() == numInputs && type.getNumResults() == numOutputs)
    return success();
  size_t expected = numInputs + numOutputs + (workspaceSize > 0 ? 1 : 0);
  if (type.getNumInputs() != expected || type.getNumResults() != 0)
    return emitOpError("expects '")
           << getFunction() << "' to map " << numInputs << " tensors to "
           << numOutputs << " tensors, or to take " << expected
           << " memref arguments (inputs, outputs"
           << (workspaceSize > 0 ? ", workspace" : "")
           << ") and return nothing; its type is " << type;
  for (auto [i, argType] : llvm::enumerate(type.getInputs())) {
    if (!isAbiBuffer(argType))
      return emitOpError("argument ")
             << i << " of '" << getFunction()
             << "' must be a static-shape memref with the identity layout, "
                "got "
             << argType;
  }
  if (workspaceSize > 0) {
    auto ws = cast<MemRefType>(type.getInputs().back());
    if (ws.getRank() != 1 || !ws.getElementType().isInteger(8) ||
        ws.getDimSize(0) != workspaceSize)
      return emitOpError("workspace argument must be memref<")
             << workspaceSize << "xi8>, got " << ws;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// WorkspaceViewOp
//===----------------------------------------------------------------------===//

/// Planned buffers start at multiples of this many bytes.
static constexpr int64_t kViewAlignment = kWorkspaceAlignment;

LogicalResult WorkspaceViewOp::verify() {
  auto ws = cast<MemRefType>(getWorkspace().getType());
  auto result = cast<MemRefType>(getType());
  int64_t offset = getOffsetAttr().getInt();
  if (offset < 0 || offset % kViewAlignment != 0)
    return emitOpError("offset ")
           << offset << " is not a non-negative multiple of " << kViewAlignment;
  if (!result.getLayout().isIdentity())
    return emitOpError("result must have the identity layout");
  // The size below comes from the bit width, which only these types have.
  if (!result.getElementType().isIntOrFloat())
    return emitOpError("result element type must be an integer or a float, "
                       "got ")
           << result.getElementType();
  unsigned bits = result.getElementTypeBitWidth();
  int64_t bytes = result.getNumElements() * ((bits + 7) / 8);
  if (ws.hasStaticShape() && offset + bytes > ws.getDimSize(0))
    return emitOpError("view of ")
           << bytes << " bytes at offset " << offset
           << " does not fit the workspace of " << ws.getDimSize(0) << " bytes";
  return success();
}

Value WorkspaceViewOp::getViewSource() { return getWorkspace(); }

#define GET_OP_CLASSES
#include "dialects/kiln_rt/IR/KilnRtOps.cpp.inc"
