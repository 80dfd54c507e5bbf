//===- Constant.cpp - Lower kiln.constant ---------------------------------===//
//
// Part of Kiln. kiln.constant becomes arith.constant with the same attribute
// (dense_resource included: bufferization turns it into a memref.global and
// the LLVM translation emits the blob). Unsigned element types are retyped
// to signless integers of the same width; the bits do not change.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {

/// A single-element dense_resource as a dense attribute: the LLVM lowering of
/// rank-0 memref.globals asks the initializer for its splat value, which a
/// resource cannot give.
static TypedAttr denseFromSingleElementResource(DenseResourceElementsAttr attr,
                                                ShapedType type) {
  AsmResourceBlob *blob = attr.getRawHandle().getBlob();
  unsigned bits = type.getElementTypeBitWidth();
  if (!blob || type.getNumElements() != 1 || bits % 8 != 0 ||
      blob->getData().size() != bits / 8)
    return nullptr;
  return DenseElementsAttr::getFromRawBuffer(type, blob->getData());
}

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = convertTensorType(*getTypeConverter(), op.getType());
    if (!type || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static tensor type");
    ElementsAttr value = op.getValue();
    TypedAttr converted;
    if (value.getType() == type) {
      converted = dyn_cast<TypedAttr>(Attribute(value));
    } else if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(value)) {
      converted = dense.bitcast(type.getElementType());
    } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
      converted = DenseResourceElementsAttr::get(type, resource.getRawHandle());
    }
    if (auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(converted))
      if (TypedAttr dense = denseFromSingleElementResource(resource, type))
        converted = dense;
    if (!converted)
      return op.emitOpError("cannot lower a constant of attribute kind ")
             << value << " to arith.constant";
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, converted);
    return success();
  }
};

} // namespace

void kiln::populateConstantLoweringPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<ConstantLowering>(converter, patterns.getContext());
}
