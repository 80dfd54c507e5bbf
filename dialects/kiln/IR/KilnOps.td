//===- KilnOps.td - kiln dialect operations ----------------*- tablegen -*-===//
//
// Part of Kiln. Operations of the kiln dialect.
//
//===----------------------------------------------------------------------===//

#ifndef DIALECTS_KILN_IR_KILNOPS_TD
#define DIALECTS_KILN_IR_KILNOPS_TD

include "dialects/kiln/IR/KilnDialect.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Kiln_Tensor : RankedTensorOf<[AnyType]>;
def Kiln_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Kiln_NumericTensor
    : RankedTensorOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger]>;
def Kiln_SignedTensor : RankedTensorOf<[AnyFloat, AnySignlessInteger]>;
def Kiln_IndexTensor : RankedTensorOf<[I32, I64]>;
def Kiln_IntegerTensor
    : RankedTensorOf<[AnySignlessInteger, AnyUnsignedInteger]>;
def Kiln_BoolTensor : RankedTensorOf<[I1]>;

//===----------------------------------------------------------------------===//
// kiln.constant
//===----------------------------------------------------------------------===//

def Kiln_ConstantOp : Kiln_Op<"constant",
    [ConstantLike, Pure, InferTypeOpAdaptor]> {
  let summary = "A constant tensor";
  let description = [{
    Produces a constant tensor. Model weights use `dense_resource` attributes
    so that large blobs are not printed or copied in textual IR.

    ```mlir
    %0 = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
    %1 = kiln.constant dense_resource<conv1.weight> : tensor<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

class Kiln_BinaryOp<string mnemonic, Type operandType, string opDesc,
                    string elem = "f32">
    : Kiln_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise " # opDesc # " with numpy broadcasting";
  let description = [{
    Applies the operation elementwise after broadcasting both operands to a
    common shape with numpy rules: shapes are right-aligned and each pair of
    dimensions must be equal or one of them 1. A dynamic dimension paired
    with a static size other than 1 must have that size at run time, so the
    result takes the static size. Both operands have the same element type,
    which is also the result's.

    ```mlir
    %r = kiln.}] # mnemonic # [{ %a, %b : tensor<4x1x}] # elem # [{>, tensor<3x}] #
    elem # [{> -> tensor<4x3x}] # elem # [{>
    ```
  }];
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs operandType:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasFolder = 1;
}

def Kiln_AddOp : Kiln_BinaryOp<"add", Kiln_NumericTensor, "addition">;
def Kiln_SubOp : Kiln_BinaryOp<"sub", Kiln_NumericTensor, "subtraction">;
def Kiln_MulOp : Kiln_BinaryOp<"mul", Kiln_NumericTensor, "multiplication">;
def Kiln_DivOp : Kiln_BinaryOp<"div", Kiln_NumericTensor,
    "division (integer division truncates toward zero)">;
def Kiln_PowOp : Kiln_BinaryOp<"pow", Kiln_FloatTensor, "power `lhs ^ rhs`">;
def Kiln_MaxOp : Kiln_BinaryOp<"max", Kiln_NumericTensor, "maximum">;
def Kiln_MinOp : Kiln_BinaryOp<"min", Kiln_NumericTensor, "minimum">;

def Kiln_AndOp : Kiln_BinaryOp<"and", Kiln_IntegerTensor,
    "bitwise and (logical and on `i1`)", "i1">;
def Kiln_OrOp : Kiln_BinaryOp<"or", Kiln_IntegerTensor,
    "bitwise or (logical or on `i1`)", "i1">;
def Kiln_XorOp : Kiln_BinaryOp<"xor", Kiln_IntegerTensor,
    "bitwise exclusive or (logical xor on `i1`)", "i1">;
def Kiln_ShiftLeftOp : Kiln_BinaryOp<"shift_left", Kiln_IntegerTensor,
    "left shift `lhs << rhs` (a shift by the bit width or more gives 0)",
    "ui8">;
def Kiln_ShiftRightOp : Kiln_BinaryOp<"shift_right", Kiln_IntegerTensor,
    "right shift `lhs >> rhs`, arithmetic for signed and logical for "
    "unsigned types (a shift by the bit width or more shifts every bit out)",
    "ui8">;

def Kiln_ModOp : Kiln_Op<"mod", [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise remainder with numpy broadcasting";
  let description = [{
    The remainder of `lhs / rhs` after broadcasting both operands (numpy
    rules, as for `kiln.add`). Without `fmod` the quotient is floored and the
    remainder takes the sign of `rhs` (Python's `%`, integers only); with
    `fmod` the quotient is truncated and the remainder takes the sign of
    `lhs` (C's `fmod`), which floats require. An integer remainder by zero
    is 0.

    ```mlir
    %r = kiln.mod %a, %b : tensor<6xi32>, tensor<6xi32> -> tensor<6xi32>
    %f = kiln.mod %x, %y {fmod} : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$lhs, Kiln_NumericTensor:$rhs,
                   UnitAttr:$fmod);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Kiln_ComparePredicate : I64EnumAttr<"ComparePredicate",
    "comparison predicate of kiln.compare", [
      I64EnumAttrCase<"eq", 0>, I64EnumAttrCase<"ne", 1>,
      I64EnumAttrCase<"lt", 2>, I64EnumAttrCase<"le", 3>,
      I64EnumAttrCase<"gt", 4>, I64EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::mlir::kiln";
}

def Kiln_CompareOp : Kiln_Op<"compare", [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise comparison with numpy broadcasting";
  let description = [{
    Compares the operands elementwise after numpy broadcasting (as for
    `kiln.add`) and produces `i1`. Both operands have the same element type;
    integers compare signed or unsigned as their type says. Float
    comparisons are ordered: any comparison with NaN is false, except `ne`,
    which is true.

    ```mlir
    %r = kiln.compare lt, %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x3xi1>
    ```
  }];
  let arguments = (ins Kiln_ComparePredicate:$predicate,
                   Kiln_NumericTensor:$lhs, Kiln_NumericTensor:$rhs);
  let results = (outs Kiln_BoolTensor:$result);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->`
    type($result)
  }];
}

def Kiln_SelectOp : Kiln_Op<"select", [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise choice with three-way numpy broadcasting";
  let description = [{
    Takes the element of `true_value` where `condition` is true and of
    `false_value` elsewhere. The three operands broadcast together with numpy
    rules; both values have the same element type, which is the result's.

    ```mlir
    %r = kiln.select %c, %a, %b : tensor<2x1xi1>, tensor<3xf32>, tensor<f32> -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Kiln_BoolTensor:$condition, Kiln_Tensor:$true_value,
                   Kiln_Tensor:$false_value);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:` type($condition)
    `,` type($true_value) `,` type($false_value) `->` type($result)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class Kiln_UnaryOp<string mnemonic, Type operandType, string opDesc,
                   string elem = "f32">
    : Kiln_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise " # opDesc;
  let description = [{
    Applies the operation to every element; the result has the operand's type.

    ```mlir
    %r = kiln.}] # mnemonic # [{ %x : tensor<2x3x}] # elem # [{>
    ```
  }];
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_NegOp : Kiln_UnaryOp<"neg", Kiln_SignedTensor, "negation"> {
  let hasFolder = 1;
}
def Kiln_AbsOp : Kiln_UnaryOp<"abs", Kiln_NumericTensor, "absolute value"> {
  let hasFolder = 1;
}
def Kiln_ExpOp : Kiln_UnaryOp<"exp", Kiln_FloatTensor, "exponential `e^x`">;
def Kiln_LogOp : Kiln_UnaryOp<"log", Kiln_FloatTensor, "natural logarithm">;
def Kiln_SqrtOp : Kiln_UnaryOp<"sqrt", Kiln_FloatTensor, "square root">;
def Kiln_ReluOp : Kiln_UnaryOp<"relu", Kiln_SignedTensor,
                               "rectified linear unit `max(x, 0)`"> {
  let hasFolder = 1;
}
def Kiln_SigmoidOp : Kiln_UnaryOp<"sigmoid", Kiln_FloatTensor,
                                  "logistic sigmoid `1 / (1 + e^-x)`">;
def Kiln_TanhOp : Kiln_UnaryOp<"tanh", Kiln_FloatTensor, "hyperbolic tangent">;
def Kiln_ErfOp : Kiln_UnaryOp<"erf", Kiln_FloatTensor, "Gauss error function">;

def Kiln_FloorOp : Kiln_UnaryOp<"floor", Kiln_FloatTensor,
                                "rounding down to an integral value">;
def Kiln_CeilOp : Kiln_UnaryOp<"ceil", Kiln_FloatTensor,
                               "rounding up to an integral value">;
def Kiln_RoundOp : Kiln_UnaryOp<"round", Kiln_FloatTensor,
    "rounding to the nearest integral value, halves to even">;
def Kiln_SignOp : Kiln_UnaryOp<"sign", Kiln_NumericTensor,
    "sign: -1, 0 or 1 (NaN stays NaN, zero keeps its sign)">;
def Kiln_SinOp : Kiln_UnaryOp<"sin", Kiln_FloatTensor, "sine">;
def Kiln_CosOp : Kiln_UnaryOp<"cos", Kiln_FloatTensor, "cosine">;
def Kiln_TanOp : Kiln_UnaryOp<"tan", Kiln_FloatTensor, "tangent">;
def Kiln_AsinOp : Kiln_UnaryOp<"asin", Kiln_FloatTensor, "arcsine">;
def Kiln_AcosOp : Kiln_UnaryOp<"acos", Kiln_FloatTensor, "arccosine">;
def Kiln_AtanOp : Kiln_UnaryOp<"atan", Kiln_FloatTensor, "arctangent">;
def Kiln_SinhOp : Kiln_UnaryOp<"sinh", Kiln_FloatTensor, "hyperbolic sine">;
def Kiln_CoshOp : Kiln_UnaryOp<"cosh", Kiln_FloatTensor, "hyperbolic cosine">;
def Kiln_AsinhOp : Kiln_UnaryOp<"asinh", Kiln_FloatTensor,
                                "inverse hyperbolic sine">;
def Kiln_AcoshOp : Kiln_UnaryOp<"acosh", Kiln_FloatTensor,
                                "inverse hyperbolic cosine">;
def Kiln_AtanhOp : Kiln_UnaryOp<"atanh", Kiln_FloatTensor,
                                "inverse hyperbolic tangent">;
def Kiln_NotOp : Kiln_UnaryOp<"not", Kiln_IntegerTensor,
    "bitwise complement (logical negation on `i1`)", "i1"> {
  let hasFolder = 1;
}

def Kiln_ClipOp : Kiln_Op<"clip", [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise clamp to `[min, max]`";
  let description = [{
    Clamps every element to the closed interval `[min, max]`. A missing bound
    means the interval is open on that side. Neither bound is NaN, and `min`
    must not exceed `max`.

    ```mlir
    %r = kiln.clip %x {max = 6.0 : f64, min = 0.0 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$input, OptionalAttr<F64Attr>:$min,
                   OptionalAttr<F64Attr>:$max);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Kiln_MatMulOp : Kiln_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "Batched matrix product with numpy `matmul` semantics";
  let description = [{
    Multiplies the last two dimensions of `lhs` (`MxK`) and `rhs` (`KxN`);
    leading dimensions are batch dimensions and broadcast with numpy rules.
    A 1-D `lhs` is treated as `1xK` and a 1-D `rhs` as `Kx1`, and the
    inserted dimension is removed from the result.

    ```mlir
    %r = kiln.matmul %a, %b : tensor<8x4x16xf32>, tensor<16x32xf32> -> tensor<8x4x32xf32>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$lhs, Kiln_NumericTensor:$rhs);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Kiln_ReshapeOp : Kiln_Op<"reshape", [Pure]> {
  let summary = "Reinterpret a tensor with a new shape";
  let description = [{
    Returns the elements of `input`, in row-major order, as a tensor of the
    result type. Element types match, both shapes are static, and the element
    counts are equal. Squeeze, unsqueeze and flatten import as reshapes.

    ```mlir
    %r = kiln.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_TransposeOp : Kiln_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "Permute the dimensions of a tensor";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]`.

    ```mlir
    %r = kiln.transpose %x [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $input $permutation attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def Kiln_ConcatOp : Kiln_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Concatenate tensors along one axis";
  let description = [{
    Joins one or more tensors of equal rank and element type along `axis`;
    all other dimensions must agree.

    ```mlir
    %r = kiln.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Kiln_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $inputs `axis` `=` $axis attr-dict `:` type($inputs) `->` type($result)
  }];
  let hasFolder = 1;
}

def Kiln_SliceOp : Kiln_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "Strided slice with static starts, sizes and steps";
  let description = [{
    Result element `r[i0, ..., in]` is `input[starts[0] + i0 * steps[0], ...]`.
    Each of `starts`, `sizes` and `steps` has one entry per dimension. Steps
    are non-zero and may be negative (walking backwards); every index read
    lies inside the input (for a dynamic dimension, indices are only checked
    to be non-negative). A dimension with size 0 reads nothing and may start
    at the end of the input. The result shape is `sizes`.

    ```mlir
    %r = kiln.slice %x starts [0, 1] sizes [2, 2] steps [1, 2] : tensor<4x6xf32> -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, DenseI64ArrayAttr:$starts,
                   DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$steps);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $input `starts` $starts `sizes` $sizes `steps` $steps attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def Kiln_GatherOp : Kiln_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "Gather slices along an axis by index";
  let description = [{
    Picks entries of `data` along `axis` at the positions in `indices`. The
    result shape is `data.shape[:axis] + indices.shape + data.shape[axis+1:]`.
    Negative indices count from the end of the axis. An index outside
    `[-d, d)` is not reported at run time: it is clamped into the axis, so
    the read stays in bounds but the value is unspecified. (Indices known at
    compile time are checked by the importer.)

    ```mlir
    %r = kiln.gather %emb, %ids axis = 0 : tensor<100x16xf32>, tensor<2x8xi64> -> tensor<2x8x16xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$data, Kiln_IndexTensor:$indices,
                   I64Attr:$axis);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `axis` `=` $axis attr-dict `:` type($data) `,`
    type($indices) `->` type($result)
  }];
}

def Kiln_CastOp : Kiln_Op<"cast", [Pure]> {
  let summary = "Convert elements to another element type";
  let description = [{
    Converts each element with ONNX `Cast` semantics: float to integer
    truncates toward zero, integer signedness follows the element type, and
    any non-zero value converts to `true` for `i1`. Shapes match.

    ```mlir
    %r = kiln.cast %x : tensor<4xi64> to tensor<4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_BitcastOp : Kiln_Op<"bitcast", [Pure]> {
  let summary = "Reinterpret the bits of each element as another type";
  let description = [{
    Each element keeps its bit pattern and is read as the result's element
    type, which has the same bit width (ONNX `BitCast`). Shapes match.

    ```mlir
    %r = kiln.bitcast %x : tensor<4xf32> to tensor<4xi32>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$input);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasVerifier = 1;
}

def Kiln_BroadcastToOp : Kiln_Op<"broadcast_to", [Pure]> {
  let summary = "Broadcast a tensor to a larger shape with numpy rules";
  let description = [{
    Repeats `input` to the result shape: shapes are right-aligned, and each
    input dimension equals the matching result dimension or is 1 (then it is
    repeated). The result may have more dimensions than the input; element
    types match. ONNX `Expand` and `Tile` import through it.

    ```mlir
    %r = kiln.broadcast_to %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_GatherElementsOp : Kiln_Op<"gather_elements",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Gather single elements along an axis by index";
  let description = [{
    `result[i0, ..., in] = data[i0, ..., indices[i0, ..., in], ..., in]`,
    the index replacing position `axis`. `data` and `indices` have the same
    rank; every dimension of `indices` other than `axis` is at most the
    matching dimension of `data`. The result has the shape of `indices`.
    Negative indices count from the end of the axis; an index outside
    `[-d, d)` is clamped into the axis at run time (unspecified value, but
    the read stays in bounds).

    ```mlir
    %r = kiln.gather_elements %x, %i axis = 1 : tensor<2x3xf32>, tensor<2x2xi64> -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$data, Kiln_IndexTensor:$indices,
                   I64Attr:$axis);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `axis` `=` $axis attr-dict `:` type($data) `,`
    type($indices) `->` type($result)
  }];
}

def Kiln_ScatterReduction : I64EnumAttr<"ScatterReduction",
    "how kiln scatter ops combine an update with the existing element", [
      I64EnumAttrCase<"none", 0>, I64EnumAttrCase<"add", 1>,
      I64EnumAttrCase<"mul", 2>, I64EnumAttrCase<"max", 3>,
      I64EnumAttrCase<"min", 4>]> {
  let cppNamespace = "::mlir::kiln";
}

def Kiln_ScatterElementsOp : Kiln_Op<"scatter_elements",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Scatter single elements along an axis by index";
  let description = [{
    A copy of `data` where, for every position `p` of `indices`,
    the element at `p` with `axis` replaced by `indices[p]` is combined with
    `updates[p]`: replaced (`none`), added, multiplied, or the maximum or
    minimum kept. Updates apply in row-major order of `indices`, so with
    `none` the last duplicate wins. `indices` and `updates` have the same
    shape and the rank of `data`; dimensions other than `axis` are at most
    those of `data`. Negative indices count from the end; an index still
    outside the axis at run time is skipped.

    ```mlir
    %r = kiln.scatter_elements %x, %i, %u axis = 0 reduction = add
         : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf32> -> tensor<3x3xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$data, Kiln_IndexTensor:$indices,
                   Kiln_Tensor:$updates, I64Attr:$axis,
                   Kiln_ScatterReduction:$reduction);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates `axis` `=` $axis `reduction` `=`
    $reduction attr-dict `:` type($data) `,` type($indices) `,`
    type($updates) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Kiln_GatherNDOp : Kiln_Op<"gather_nd", [Pure, InferTypeOpAdaptor]> {
  let summary = "Gather slices addressed by index tuples";
  let description = [{
    The last dimension of `indices` (static, `m` with
    `1 <= m <= rank(data) - batch_dims`) holds tuples that address the
    dimensions `batch_dims .. batch_dims + m - 1` of `data`; the first
    `batch_dims` dimensions of `data` and `indices` are equal and shared.
    The result shape is `indices.shape[:-1] + data.shape[batch_dims + m:]`.
    Negative indices count from the end; indices outside the dimension are
    clamped into it at run time.

    ```mlir
    %r = kiln.gather_nd %x, %i batch_dims = 0 : tensor<2x2xf32>, tensor<2x2xi64> -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$data, Kiln_IndexTensor:$indices,
                   I64Attr:$batch_dims);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `batch_dims` `=` $batch_dims attr-dict `:`
    type($data) `,` type($indices) `->` type($result)
  }];
}

def Kiln_ScatterNDOp : Kiln_Op<"scatter_nd", [Pure, InferTypeOpAdaptor]> {
  let summary = "Scatter slices addressed by index tuples";
  let description = [{
    A copy of `data` where each tuple in the last dimension of `indices`
    (static length `m`, `1 <= m <= rank(data)`) addresses a slice
    `data[t0, ..., tm-1, ...]` that is combined with the matching slice of
    `updates` (replaced, added, multiplied, max or min), in row-major order
    of the tuples. `updates` has shape
    `indices.shape[:-1] + data.shape[m:]`. Negative indices count from the
    end; a tuple still outside `data` at run time is skipped.

    ```mlir
    %r = kiln.scatter_nd %x, %i, %u reduction = none
         : tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32> -> tensor<8xf32>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$data, Kiln_IndexTensor:$indices,
                   Kiln_Tensor:$updates, Kiln_ScatterReduction:$reduction);
  let results = (outs Kiln_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates `reduction` `=` $reduction attr-dict `:`
    type($data) `,` type($indices) `,` type($updates) `->` type($result)
  }];
  let hasVerifier = 1;
}

class Kiln_CumulativeOp<string mnemonic, string opDesc, string example>
    : Kiln_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "Cumulative " # opDesc # " along an axis";
  let description = [{
    `result[..., i, ...]` is the }] # opDesc # [{ of `input[..., j, ...]`
    for `j <= i` along `axis` (`j < i` with `exclusive`, where the empty
    }] # opDesc # [{ is the identity; with `reverse` it runs from the end:
    `j >= i`, or `j > i` with both). The result has the input's type.

    ```mlir
    %r = kiln.}] # mnemonic # [{ %x axis = 1 exclusive : tensor<2x3x}] # example # [{>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$input, I64Attr:$axis,
                   UnitAttr:$exclusive, UnitAttr:$reverse);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis (`exclusive` $exclusive^)? (`reverse` $reverse^)?
    attr-dict `:` type($input)
  }];
}

def Kiln_CumSumOp : Kiln_CumulativeOp<"cumsum", "sum", "f32">;
def Kiln_CumProdOp : Kiln_CumulativeOp<"cumprod", "product", "f64">;

def Kiln_TopKOp : Kiln_Op<"top_k", [Pure, InferTypeOpAdaptor]> {
  let summary = "The k largest (or smallest) elements along an axis";
  let description = [{
    For every slice along `axis`, returns the `k` largest elements (smallest
    with `smallest`) in order, and their `i64` positions in the slice. Equal
    values keep their original order (the lower index first). NaN compares
    greater than any number. `0 <= k <= ` the size of `axis`.

    ```mlir
    %v, %i = kiln.top_k %x k = 2 axis = 1 : tensor<3x4xf32> -> tensor<3x2xf32>, tensor<3x2xi64>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$input, I64Attr:$k, I64Attr:$axis,
                   UnitAttr:$smallest);
  let results = (outs Kiln_NumericTensor:$values,
                      RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = [{
    $input `k` `=` $k `axis` `=` $axis (`smallest` $smallest^)? attr-dict `:`
    type($input) `->` type($values) `,` type($indices)
  }];
}

//===----------------------------------------------------------------------===//
// Normalization and reductions
//===----------------------------------------------------------------------===//

def Kiln_SoftmaxOp : Kiln_Op<"softmax", [Pure, InferTypeOpAdaptor]> {
  let summary = "Softmax along one axis";
  let description = [{
    `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis`.

    ```mlir
    %r = kiln.softmax %x axis = 1 : tensor<2x10xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
}

class Kiln_ReduceOp<string mnemonic, string opDesc>
    : Kiln_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "Reduce with " # opDesc # " over a set of axes";
  let description = [{
    Reduces `input` over `axes` (sorted, unique, non-negative). With
    `keep_dims` the reduced dimensions stay as size 1; otherwise they are
    removed. Empty `axes` leaves the input unchanged.

    ```mlir
    %r = kiln.}] # mnemonic # [{ %x axes = [1] keep_dims : tensor<2x3xf32> -> tensor<2x1xf32>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$input, DenseI64ArrayAttr:$axes,
                   UnitAttr:$keep_dims);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes (`keep_dims` $keep_dims^)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def Kiln_ReduceSumOp : Kiln_ReduceOp<"reduce_sum", "sum">;
def Kiln_ReduceMeanOp : Kiln_ReduceOp<"reduce_mean", "arithmetic mean">;
def Kiln_ReduceMaxOp : Kiln_ReduceOp<"reduce_max", "maximum">;
def Kiln_ReduceMinOp : Kiln_ReduceOp<"reduce_min", "minimum">;
def Kiln_ReduceProdOp : Kiln_ReduceOp<"reduce_prod", "product">;

class Kiln_ArgReduceOp<string mnemonic, string opDesc, string nanDesc>
    : Kiln_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "Position of the " # opDesc # " along one axis";
  let description = [{
    The index (`i64`) along `axis` of the }] # opDesc # [{ element of
    `input`. When several elements tie, the first one wins, or the last one
    with `select_last_index`. }] # nanDesc # [{ The axis
    must not be empty. With `keep_dims` the axis stays as size 1; otherwise
    it is removed.

    ```mlir
    %r = kiln.}] # mnemonic # [{ %x axis = 1 keep_dims : tensor<2x3xf32> -> tensor<2x1xi64>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$input, I64Attr:$axis,
                   UnitAttr:$keep_dims, UnitAttr:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis (`keep_dims` $keep_dims^)?
    (`select_last_index` $select_last_index^)? attr-dict `:` type($input)
    `->` type($result)
  }];
}

def Kiln_ArgMaxOp : Kiln_ArgReduceOp<"arg_max", "largest",
    "A NaN counts as larger than any number (as in numpy).">;
def Kiln_ArgMinOp : Kiln_ArgReduceOp<"arg_min", "smallest",
    "A NaN counts as smaller than any number (as in numpy).">;

def Kiln_BatchNormOp : Kiln_Op<"batch_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "Batch normalization in inference mode";
  let description = [{
    `(x - mean) / sqrt(variance + epsilon) * scale + bias`, with the 1-D
    per-channel parameters broadcast along dimension 1 of `input` (`NC...`).
    The parameters have the input's element type; `epsilon` is finite and
    non-negative.

    ```mlir
    %r = kiln.batch_norm %x, %s, %b, %m, %v epsilon = 1.0e-05 : tensor<1x8x4x4xf32>,
         tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$scale,
                   Kiln_FloatTensor:$bias, Kiln_FloatTensor:$mean,
                   Kiln_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance `epsilon` `=` $epsilon
    attr-dict `:` type(operands) `->` type($result)
  }];  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NCHW)
//===----------------------------------------------------------------------===//

def Kiln_Conv2DOp : Kiln_Op<"conv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D convolution, NCHW input and OIHW filter";
  let description = [{
    Cross-correlates `input` (`N x C x H x W`) with `filter`
    (`O x C/groups x KH x KW`) and adds the optional 1-D `bias` (`O`). All
    three have the same element type. `padding` is `[top, left, bottom,
    right]`; `strides` and `dilations` are `[h, w]`. `C` and `O` are both
    divisible by `groups`.

    ```mlir
    %r = kiln.conv2d %x, %w, %b strides = [2, 2] padding = [1, 1, 1, 1]
         dilations = [1, 1] groups = 1
         : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32> -> tensor<1x16x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$filter,
                   Optional<Kiln_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$dilations, I64Attr:$groups);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? `strides` `=` $strides `padding` `=`
    $padding `dilations` `=` $dilations `groups` `=` $groups attr-dict `:`
    type(operands) `->` type($result)
  }];
}

class Kiln_Pool2DOp<string mnemonic, string opDesc, dag extraArgs,
                    string extraFormat>
    : Kiln_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D " # opDesc # " pooling over NCHW windows";
  let description = [{
    Slides a `kernel` window with `strides` and `dilations` over the spatial
    dimensions of an `N x C x H x W` input padded by `padding`
    (`[top, left, bottom, right]`); each pad is smaller than the kernel
    size along its dimension. With `ceil_mode` the output size rounds up,
    but a window never starts inside the bottom/right padding.

    ```mlir
    %r = kiln.}] # mnemonic # [{ %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
         dilations = [1, 1] ceil_mode : tensor<1x8x5x5xf32> -> tensor<1x8x3x3xf32>
    ```
  }];
  let arguments = !con((ins Kiln_NumericTensor:$input,
                        DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                        DenseI64ArrayAttr:$padding,
                        DenseI64ArrayAttr:$dilations, UnitAttr:$ceil_mode),
                       extraArgs);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$input `kernel` `=` $kernel `strides` `=` $strides "
    "`padding` `=` $padding `dilations` `=` $dilations "
    "(`ceil_mode` $ceil_mode^)? " # extraFormat #
    " attr-dict `:` type($input) `->` type($result)";
}

def Kiln_MaxPool2DOp : Kiln_Pool2DOp<"max_pool2d", "max", (ins), "">;
def Kiln_AvgPool2DOp : Kiln_Pool2DOp<"avg_pool2d", "average",
    (ins UnitAttr:$count_include_pad),
    "(`count_include_pad` $count_include_pad^)?"> {
  let description = [{
    Slides a `kernel` window with `strides` and `dilations` over the spatial
    dimensions of an `N x C x H x W` input padded by `padding`
    (`[top, left, bottom, right]`; each pad is smaller than the kernel size
    along its dimension) and averages each window. Without
    `count_include_pad` the divisor counts only elements inside the input.
    With `ceil_mode` the output size rounds up, but a window never starts
    inside the bottom/right padding.

    ```mlir
    %r = kiln.avg_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1]
         dilations = [1, 1] count_include_pad : tensor<1x8x9x9xf32> -> tensor<1x8x5x5xf32>
    ```
  }];
}

def Kiln_Conv3DOp : Kiln_Op<"conv3d", [Pure, InferTypeOpAdaptor]> {
  let summary = "3-D convolution, NCDHW input and OIDHW filter";
  let description = [{
    Cross-correlates `input` (`N x C x D x H x W`) with `filter`
    (`O x C/groups x KD x KH x KW`) and adds the optional 1-D `bias` (`O`).
    All three have the same element type. `padding` is `[front, top, left,
    back, bottom, right]` (all leading pads, then all trailing pads);
    `strides` and `dilations` are `[d, h, w]`. `C` and `O` are both
    divisible by `groups`.

    ```mlir
    %r = kiln.conv3d %x, %w strides = [1, 2, 2] padding = [0, 1, 1, 0, 1, 1]
         dilations = [1, 1, 1] groups = 1
         : tensor<1x3x4x8x8xf32>, tensor<16x3x1x3x3xf32> -> tensor<1x16x4x4x4xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$filter,
                   Optional<Kiln_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$dilations, I64Attr:$groups);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? `strides` `=` $strides `padding` `=`
    $padding `dilations` `=` $dilations `groups` `=` $groups attr-dict `:`
    type(operands) `->` type($result)
  }];
}

class Kiln_Pool3DOp<string mnemonic, string opDesc, dag extraArgs,
                    string extraFormat>
    : Kiln_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "3-D " # opDesc # " pooling over NCDHW windows";
  let description = [{
    The 3-D form of `kiln.}] # !subst("3d", "2d", mnemonic) # [{`: slides a
    `kernel` window with `strides` and `dilations` over the spatial
    dimensions of an `N x C x D x H x W` input padded by `padding` (`[front,
    top, left, back, bottom, right]`; each pad is smaller than the kernel
    size along its dimension). With `ceil_mode` the output size rounds up,
    but a window never starts inside the trailing padding.

    ```mlir
    %r = kiln.}] # mnemonic # [{ %x kernel = [2, 2, 2] strides = [2, 2, 2]
         padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1]
         : tensor<1x8x4x4x4xf32> -> tensor<1x8x2x2x2xf32>
    ```
  }];
  let arguments = !con((ins Kiln_NumericTensor:$input,
                        DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                        DenseI64ArrayAttr:$padding,
                        DenseI64ArrayAttr:$dilations, UnitAttr:$ceil_mode),
                       extraArgs);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$input `kernel` `=` $kernel `strides` `=` $strides "
    "`padding` `=` $padding `dilations` `=` $dilations "
    "(`ceil_mode` $ceil_mode^)? " # extraFormat #
    " attr-dict `:` type($input) `->` type($result)";
}

def Kiln_MaxPool3DOp : Kiln_Pool3DOp<"max_pool3d", "max", (ins), "">;
def Kiln_AvgPool3DOp : Kiln_Pool3DOp<"avg_pool3d", "average",
    (ins UnitAttr:$count_include_pad),
    "(`count_include_pad` $count_include_pad^)?">;

def Kiln_MaxPoolIndicesOp : Kiln_Op<"max_pool_indices",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Positions of the maxima of max pooling windows";
  let description = [{
    For an `N x C x D1 x ... x Dk` input (k = 1, 2 or 3) and the window
    attributes of `kiln.max_pool2d` (one entry per spatial dimension,
    `padding` holding all leading pads, then all trailing pads), the flat
    index into the input of each window's maximum: the first one in
    row-major window order when several tie, a padding position never.
    Indices are row-major over `N x C x D1 x ... x Dk`, or with
    `column_major` over `N x C` then the spatial dimensions in reverse
    order (ONNX MaxPool's `storage_order = 1`). The result has the shape
    of the max pool's.

    ```mlir
    %i = kiln.max_pool_indices %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
         dilations = [1, 1] : tensor<1x8x4x4xf32> -> tensor<1x8x2x2xi64>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$input, DenseI64ArrayAttr:$kernel,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$dilations, UnitAttr:$ceil_mode,
                   UnitAttr:$column_major);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = "$input `kernel` `=` $kernel `strides` `=` $strides "
    "`padding` `=` $padding `dilations` `=` $dilations "
    "(`ceil_mode` $ceil_mode^)? (`column_major` $column_major^)? "
    "attr-dict `:` type($input) `->` type($result)";
}

def Kiln_ConvTransposeOp : Kiln_Op<"conv_transpose",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Transposed convolution over 1 to 3 spatial dimensions";
  let description = [{
    The gradient of a convolution with respect to its input: every input
    element `input[n, c, i...]` adds `input * filter[c, o, k...]` to the
    full result at position `i * stride + k * dilation` of each spatial
    dimension, for the output channels `o` of the group of `c`. `input` is
    `N x C x D1 x ... x Dk` (k = 1, 2 or 3), `filter` is
    `C x O/groups x K1 x ... x Kk`, the optional `bias` has `O` entries.
    The full extent `(D - 1) * stride + (K - 1) * dilation + 1` grows by
    `output_padding` at the end, then `padding` (all leading pads, then all
    trailing pads) is cut from both ends, which must leave a non-empty
    result.

    ```mlir
    %r = kiln.conv_transpose %x, %w, %b strides = [2, 2] padding = [1, 1, 1, 1]
         output_padding = [1, 1] dilations = [1, 1] groups = 1
         : tensor<1x8x4x4xf32>, tensor<8x3x3x3xf32>, tensor<3xf32> -> tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$filter,
                   Optional<Kiln_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                   DenseI64ArrayAttr:$output_padding,
                   DenseI64ArrayAttr:$dilations, I64Attr:$groups);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? `strides` `=` $strides `padding` `=`
    $padding `output_padding` `=` $output_padding `dilations` `=` $dilations
    `groups` `=` $groups attr-dict `:` type(operands) `->` type($result)
  }];
}

def Kiln_GlobalAvgPoolOp : Kiln_Op<"global_avg_pool",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Average over all spatial dimensions";
  let description = [{
    For an `N x C x D1 x ... x Dk` input (k >= 1) returns the
    `N x C x 1 x ... x 1` mean over the spatial dimensions.

    ```mlir
    %r = kiln.global_avg_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

#endif // DIALECTS_KILN_IR_KILNOPS_TD
