//===- KilnToLinalg.cpp - The convert-kiln-to-linalg pass -----------------===//
//
// Part of Kiln. Checks that every kiln op is lowerable (static shapes), then
// runs a partial dialect conversion with the pattern groups of this
// directory and the function signature conversion for unsigned tensors.
//
//===----------------------------------------------------------------------===//

#include "compiler/conversion/KilnToLinalg/Passes.h"
#include "compiler/conversion/KilnToLinalg/Patterns.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "convert-kiln-to-linalg"

namespace mlir::kiln {
#define GEN_PASS_DEF_CONVERTKILNTOLINALG
#include "compiler/conversion/KilnToLinalg/Passes.h.inc"
} // namespace mlir::kiln

using namespace mlir;
using namespace mlir::kiln;

//===----------------------------------------------------------------------===//
// Type conversion
//===----------------------------------------------------------------------===//

KilnToLinalgTypeConverter::KilnToLinalgTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    auto intType = dyn_cast<IntegerType>(type.getElementType());
    if (!intType || intType.isSignless())
      return type;
    return type.clone(IntegerType::get(type.getContext(), intType.getWidth()));
  });
  auto materialize = [](OpBuilder &b, Type type, ValueRange inputs,
                        Location loc) -> std::optional<Value> {
    if (inputs.size() != 1)
      return std::nullopt;
    return b.create<UnrealizedConversionCastOp>(loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(materialize);
  addTargetMaterialization(materialize);
  addArgumentMaterialization(materialize);
}

void kiln::populateKilnToLinalgPatterns(const TypeConverter &typeConverter,
                                        RewritePatternSet &patterns) {
  populateConstantLoweringPatterns(typeConverter, patterns);
  populateElementwiseLoweringPatterns(typeConverter, patterns);
  populateMatmulLoweringPatterns(typeConverter, patterns);
  populateDataMovementLoweringPatterns(typeConverter, patterns);
  populateReductionLoweringPatterns(typeConverter, patterns);
  populateNormalizationLoweringPatterns(typeConverter, patterns);
  populateConvPoolLoweringPatterns(typeConverter, patterns);
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {

/// Reports every kiln op with a dynamic dimension; true when there is none.
bool checkStaticShapes(ModuleOp module) {
  bool ok = true;
  module.walk([&](Operation *op) {
    if (!isa<KilnDialect>(op->getDialect()) || hasStaticTensorTypes(op))
      return;
    auto isDynamic = [](Type type) {
      auto shaped = dyn_cast<ShapedType>(type);
      return shaped && !shaped.hasStaticShape();
    };
    Type dynamicType;
    for (Type type : op->getOperandTypes())
      if (!dynamicType && isDynamic(type))
        dynamicType = type;
    for (Type type : op->getResultTypes())
      if (!dynamicType && isDynamic(type))
        dynamicType = type;
    op->emitOpError("has a dynamic shape (")
        << dynamicType << "); convert-kiln-to-linalg needs static shapes";
    ok = false;
  });
  return ok;
}

struct ConvertKilnToLinalgPass
    : kiln::impl::ConvertKilnToLinalgBase<ConvertKilnToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    // Analysis first: name every op that cannot be lowered before touching
    // anything, rather than the first one the conversion trips over.
    if (!checkStaticShapes(module))
      return signalPassFailure();

    KilnToLinalgTypeConverter converter;
    ConversionTarget target(*ctx);
    target.addIllegalDialect<KilnDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType()) &&
             converter.isLegal(&func.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(ctx);
    populateKilnToLinalgPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    LLVM_DEBUG(llvm::dbgs()
               << "convert-kiln-to-linalg: "
               << patterns.getNativePatterns().size() << " patterns\n");
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
