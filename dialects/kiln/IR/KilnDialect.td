//===- KilnDialect.td - The kiln dialect -------------------*- tablegen -*-===//
//
// Part of Kiln. Framework-neutral tensor ops on ranked tensors.
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_IR_KILNDIALECT_TD
#define DIALECTS_KILN_IR_KILNDIALECT_TD

include "mlir/IR/OpBase.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let cppNamespace = "::mlir::kiln";
  let summary = "Framework-neutral tensor operations for Kiln";
  let description = [{
    The `kiln` dialect is the common denominator of the ONNX and TensorFlow
    operator sets: elementwise arithmetic with numpy broadcasting, matrix
    multiplication, convolution, pooling, normalization, reductions and data
    movement, all on ranked tensors. Frontends import models into this
    dialect; graph passes (folding, layout, fusion, memory planning) work on
    it; backends lower it through upstream MLIR dialects.

    Every op verifies its operands, infers its result type where the operands
    and attributes determine it, and folds where folding is trivial. Axes in
    attributes are always non-negative: frontends normalize the negative axes
    that ONNX and TensorFlow allow.

    Integer element types follow ONNX: signless integers (`i8`..`i64`) are
    signed, `ui8`..`ui64` are unsigned, and `i1` is boolean.
  }];
  let hasConstantMaterializer = 1;
}

class Kiln_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kiln_Dialect, mnemonic, traits>;

#endif // DIALECTS_KILN_IR_KILNDIALECT_TD
