// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Every verifier and type inference error of the kiln dialect. Inference
// errors surface twice: the rule's own message, then the generic
// "failed to infer returned types" of InferTypeOpInterface's verifier. Ops
// whose custom format leaves the result type to inference (unary ops, clip,
// softmax) fail while parsing, with the rule's message only. The generic form
// reaches what the custom format cannot express.

//===----------------------------------------------------------------------===//
// kiln.constant
//===----------------------------------------------------------------------===//

func.func @constant_not_tensor() {
  // expected-error @+2 {{'kiln.constant' value must be a ranked tensor attribute}}
  // expected-error @+1 {{'kiln.constant' op failed to infer returned types}}
  %0 = "kiln.constant"() <{value = dense<1.0> : vector<2xf32>}> : () -> tensor<2xf32>
  return
}

// -----

func.func @constant_type_mismatch() {
  // expected-error @+2 {{'kiln.constant' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'kiln.constant' op failed to infer returned types}}
  %0 = "kiln.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

// -----

func.func @add_incompatible_broadcast(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+2 {{'kiln.add' operand shapes 2x3 and 4x3 are not broadcast-compatible}}
  // expected-error @+1 {{'kiln.add' op failed to infer returned types}}
  %0 = kiln.add %a, %b : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @mul_incompatible_broadcast_static_vs_dynamic(%a: tensor<?x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.mul' operand shapes ?x3 and 4 are not broadcast-compatible}}
  // expected-error @+1 {{'kiln.mul' op failed to infer returned types}}
  %0 = kiln.mul %a, %b : tensor<?x3xf32>, tensor<4xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @sub_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @+2 {{'kiln.sub' operand element types differ: 'f32' vs 'f16'}}
  // expected-error @+1 {{'kiln.sub' op failed to infer returned types}}
  %0 = kiln.sub %a, %b : tensor<2xf32>, tensor<2xf16> -> tensor<2xf32>
  return
}

// -----

func.func @div_signedness_mismatch(%a: tensor<2xi8>, %b: tensor<2xui8>) {
  // expected-error @+2 {{'kiln.div' operand element types differ: 'i8' vs 'ui8'}}
  // expected-error @+1 {{'kiln.div' op failed to infer returned types}}
  %0 = kiln.div %a, %b : tensor<2xi8>, tensor<2xui8> -> tensor<2xi8>
  return
}

// -----

func.func @max_wrong_result_shape(%a: tensor<4x1xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'kiln.max' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<4x1xf32>'}}
  // expected-error @+1 {{'kiln.max' op failed to infer returned types}}
  %0 = kiln.max %a, %b : tensor<4x1xf32>, tensor<3xf32> -> tensor<4x1xf32>
  return
}

// -----

func.func @min_result_less_static_than_inferred(%a: tensor<?xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.min' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<?xf32>'}}
  // expected-error @+1 {{'kiln.min' op failed to infer returned types}}
  %0 = kiln.min %a, %b : tensor<?xf32>, tensor<4xf32> -> tensor<?xf32>
  return
}

// -----

func.func @pow_integer(%a: tensor<2xi32>) {
  // expected-error @+1 {{'kiln.pow' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2xi32>'}}
  %0 = kiln.pow %a, %a : tensor<2xi32>, tensor<2xi32> -> tensor<2xi32>
  return
}

// -----

func.func @add_unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{'kiln.add' op operand #0 must be ranked tensor of floating-point or signless integer or unsigned integer values, but got 'tensor<*xf32>'}}
  %0 = "kiln.add"(%a, %a) : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

// -----

// The custom format parses only ranked tensor types.
func.func @unary_unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'kiln.exp' invalid kind of type specified}}
  %0 = kiln.exp %a : tensor<*xf32>
  return
}

// -----

func.func @unary_wrong_result_type(%a: tensor<2xf32>) {
  // expected-error @+2 {{'kiln.tanh' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2xf16>'}}
  // expected-error @+1 {{'kiln.tanh' op failed to infer returned types}}
  %0 = "kiln.tanh"(%a) : (tensor<2xf32>) -> tensor<2xf16>
  return
}

// -----

func.func @neg_unsigned(%a: tensor<2xui8>) {
  // expected-error @+1 {{'kiln.neg' op operand #0 must be ranked tensor of floating-point or signless integer values, but got 'tensor<2xui8>'}}
  %0 = kiln.neg %a : tensor<2xui8>
  return
}

// -----

func.func @clip_min_greater_than_max(%a: tensor<8xf32>) {
  // expected-error @+1 {{'kiln.clip' op min (6.000000e+00) is greater than max (0.000000e+00)}}
  %0 = kiln.clip %a {min = 6.0 : f64, max = 0.0 : f64} : tensor<8xf32>
  return
}

// -----

func.func @clip_nan_bound(%a: tensor<8xf32>) {
  // expected-error @+1 {{'kiln.clip' op bounds must not be NaN}}
  %0 = kiln.clip %a {min = 0x7FF8000000000000 : f64} : tensor<8xf32>
  return
}

// -----

func.func @clip_f32_bound(%a: tensor<8xf32>) {
  // expected-error @+1 {{'kiln.clip' op attribute 'max' failed to satisfy constraint: 64-bit float attribute}}
  %0 = kiln.clip %a {max = 6.0 : f32} : tensor<8xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.matmul
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_k_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'kiln.matmul' contracting dimensions differ: lhs 2x3 has K = 3 but rhs 4x5 has K = 4}}
  // expected-error @+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_vector_k_mismatch(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.matmul' contracting dimensions differ: lhs 2x3 has K = 3 but rhs 4 has K = 4}}
  // expected-error @+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2xf32>
  return
}

// -----

func.func @matmul_batch_mismatch(%a: tensor<2x2x3xf32>, %b: tensor<3x3x4xf32>) {
  // expected-error @+2 {{'kiln.matmul' batch dimensions of 2x2x3 and 3x3x4 are not broadcast-compatible}}
  // expected-error @+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<2x2x3xf32>, tensor<3x3x4xf32> -> tensor<2x2x4xf32>
  return
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'kiln.matmul' operands must have rank >= 1, got shapes scalar and 3}}
  // expected-error @+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<f32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @matmul_element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<3x4xi32>) {
  // expected-error @+2 {{'kiln.matmul' operand element types differ: 'f32' vs 'i32'}}
  // expected-error @+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xi32> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_wrong_result(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'kiln.matmul' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<4x2xf32>'}}
  // expected-error @+1 {{'kiln.matmul' op failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<4x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.reshape
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_element_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.reshape' op cannot reshape 2x3 (6 elements) to 7 (7 elements)}}
  %0 = kiln.reshape %a : tensor<2x3xf32> -> tensor<7xf32>
  return
}

// -----

func.func @reshape_element_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.reshape' op element type changes from 'f32' to 'i32'}}
  %0 = kiln.reshape %a : tensor<2x3xf32> -> tensor<6xi32>
  return
}

// -----

func.func @reshape_dynamic(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{'kiln.reshape' op requires static shapes, got ?x3 to 3x2}}
  %0 = kiln.reshape %a : tensor<?x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @reshape_element_count_overflow(%a: tensor<4611686018427387904x4xf32>) {
  // expected-error @+1 {{'kiln.reshape' op shape 4611686018427387904x4 has more than 9223372036854775807 elements}}
  %0 = kiln.reshape %a : tensor<4611686018427387904x4xf32> -> tensor<0xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.transpose
//===----------------------------------------------------------------------===//

// -----

func.func @transpose_duplicate(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'kiln.transpose' permutation [0, 0, 1] is not a permutation of rank 3}}
  // expected-error @+1 {{'kiln.transpose' op failed to infer returned types}}
  %0 = kiln.transpose %a [0, 0, 1] : tensor<2x3x4xf32> -> tensor<2x2x3xf32>
  return
}

// -----

func.func @transpose_too_short(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'kiln.transpose' permutation [1, 0] is not a permutation of rank 3}}
  // expected-error @+1 {{'kiln.transpose' op failed to infer returned types}}
  %0 = kiln.transpose %a [1, 0] : tensor<2x3x4xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.transpose' permutation [-1, 0] is not a permutation of rank 2}}
  // expected-error @+1 {{'kiln.transpose' op failed to infer returned types}}
  %0 = kiln.transpose %a [-1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_wrong_result(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'kiln.transpose' op inferred type(s) 'tensor<4x2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x4x2xf32>'}}
  // expected-error @+1 {{'kiln.transpose' op failed to infer returned types}}
  %0 = kiln.transpose %a [2, 0, 1] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  return
}

// -----

func.func @transpose_missing_permutation(%a: tensor<2xf32>) {
  // expected-error @+1 {{'kiln.transpose' op requires attribute 'permutation'}}
  %0 = "kiln.transpose"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.concat
//===----------------------------------------------------------------------===//

// -----

func.func @concat_no_inputs() {
  // expected-error @+2 {{'kiln.concat' needs at least one input}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = "kiln.concat"() <{axis = 0 : i64}> : () -> tensor<0xf32>
  return
}

// -----

func.func @concat_axis_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.concat' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %a axis = 2 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_negative_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.concat' axis -1 is out of range for rank 2}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %a axis = -1 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_rank_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error @+2 {{'kiln.concat' input 1 has rank 3 but input 0 has rank 2}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<2x3x1xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3xi32>) {
  // expected-error @+2 {{'kiln.concat' input 2 has element type 'i32' but input 0 has 'f32'}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %a, %b axis = 1 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xi32> -> tensor<2x9xf32>
  return
}

// -----

func.func @concat_dim_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+2 {{'kiln.concat' input 1 has size 4 in dimension 0 but the inputs before it have 2}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<2x6xf32>
  return
}

// -----

// A dynamic first input does not hide a mismatch between the later ones.
func.func @concat_dim_mismatch_after_dynamic(%a: tensor<?x3xf32>, %b: tensor<2x3xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+2 {{'kiln.concat' input 2 has size 4 in dimension 0 but the inputs before it have 2}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %b, %c axis = 1 : tensor<?x3xf32>, tensor<2x3xf32>, tensor<4x3xf32> -> tensor<?x9xf32>
  return
}

// -----

// 3 x 3074457345618258603 exceeds INT64_MAX; 2 x does not.
func.func @concat_size_overflow(%a: tensor<3074457345618258603xf32>) {
  // expected-error @+2 {{'kiln.concat' size along axis 0 overflows at input 2}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %a, %a axis = 0 : tensor<3074457345618258603xf32>, tensor<3074457345618258603xf32>, tensor<3074457345618258603xf32> -> tensor<?xf32>
  return
}

// -----

func.func @concat_wrong_result(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) {
  // expected-error @+2 {{'kiln.concat' op inferred type(s) 'tensor<2x8xf32>' are incompatible with return type(s) of operation 'tensor<2x7xf32>'}}
  // expected-error @+1 {{'kiln.concat' op failed to infer returned types}}
  %0 = kiln.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x7xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.slice
//===----------------------------------------------------------------------===//

// -----

func.func @slice_wrong_arity(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' starts, sizes and steps need one entry per dimension (2)}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [0] sizes [2, 2] steps [1, 1] : tensor<4x6xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_zero_step(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' step of dimension 1 is zero}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [0, 0] sizes [2, 2] steps [1, 0] : tensor<4x6xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_negative_size(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' size of dimension 0 is negative (-1)}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = "kiln.slice"(%a) <{starts = array<i64: 0, 0>, sizes = array<i64: -1, 2>, steps = array<i64: 1, 1>}> : (tensor<4x6xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_past_end(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' dimension 1 reads index 7, outside [0, 6)}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [0, 1] sizes [2, 4] steps [1, 2] : tensor<4x6xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @slice_start_past_end(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' dimension 0 reads index 4, outside [0, 4)}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [4, 0] sizes [1, 6] steps [1, 1] : tensor<4x6xf32> -> tensor<1x6xf32>
  return
}

// -----

func.func @slice_negative_step_below_zero(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' dimension 0 reads index -1, outside [0, 4)}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [2, 0] sizes [4, 6] steps [-1, 1] : tensor<4x6xf32> -> tensor<4x6xf32>
  return
}

// -----

func.func @slice_negative_start(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' dimension 1 reads index -1, outside [0, 6)}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [0, -1] sizes [1, 1] steps [1, 1] : tensor<4x6xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @slice_negative_start_dynamic(%a: tensor<?x6xf32>) {
  // expected-error @+2 {{'kiln.slice' dimension 0 reads index -2, outside [0, ?)}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [1, 0] sizes [2, 6] steps [-3, 1] : tensor<?x6xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @slice_empty_start_out_of_range(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' start 5 of dimension 0 is outside [0, 4]}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [5, 0] sizes [0, 6] steps [1, 1] : tensor<4x6xf32> -> tensor<0x6xf32>
  return
}

// -----

func.func @slice_overflow(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' dimension 0 reads index (overflow), outside [0, 4)}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [0, 0] sizes [3, 6] steps [9223372036854775807, 1] : tensor<4x6xf32> -> tensor<3x6xf32>
  return
}

// -----

func.func @slice_wrong_result(%a: tensor<4x6xf32>) {
  // expected-error @+2 {{'kiln.slice' op inferred type(s) 'tensor<2x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'kiln.slice' op failed to infer returned types}}
  %0 = kiln.slice %a starts [0, 0] sizes [2, 2] steps [1, 1] : tensor<4x6xf32> -> tensor<2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.gather
//===----------------------------------------------------------------------===//

// -----

func.func @gather_axis_out_of_range(%a: tensor<4x6xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'kiln.gather' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'kiln.gather' op failed to infer returned types}}
  %0 = kiln.gather %a, %i axis = 2 : tensor<4x6xf32>, tensor<3xi64> -> tensor<4x6x3xf32>
  return
}

// -----

func.func @gather_negative_axis(%a: tensor<4x6xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'kiln.gather' axis -1 is out of range for rank 2}}
  // expected-error @+1 {{'kiln.gather' op failed to infer returned types}}
  %0 = kiln.gather %a, %i axis = -1 : tensor<4x6xf32>, tensor<3xi64> -> tensor<4x3xf32>
  return
}

// -----

func.func @gather_scalar_data(%a: tensor<f32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'kiln.gather' axis 0 is out of range for rank 0}}
  // expected-error @+1 {{'kiln.gather' op failed to infer returned types}}
  %0 = kiln.gather %a, %i axis = 0 : tensor<f32>, tensor<3xi64> -> tensor<3xf32>
  return
}

// -----

func.func @gather_float_indices(%a: tensor<4xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.gather' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = kiln.gather %a, %i axis = 0 : tensor<4xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @gather_wrong_result(%a: tensor<4x6xf32>, %i: tensor<3xi32>) {
  // expected-error @+2 {{'kiln.gather' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<3x6xf32>'}}
  // expected-error @+1 {{'kiln.gather' op failed to infer returned types}}
  %0 = kiln.gather %a, %i axis = 1 : tensor<4x6xf32>, tensor<3xi32> -> tensor<3x6xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.cast
//===----------------------------------------------------------------------===//

// -----

func.func @cast_shape_change(%a: tensor<4xi64>) {
  // expected-error @+1 {{'kiln.cast' op changes the shape from 4 to 2x2}}
  %0 = kiln.cast %a : tensor<4xi64> to tensor<2x2xf32>
  return
}

// -----

func.func @cast_dynamic_to_static(%a: tensor<?xi64>) {
  // expected-error @+1 {{'kiln.cast' op changes the shape from ? to 4}}
  %0 = kiln.cast %a : tensor<?xi64> to tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.softmax
//===----------------------------------------------------------------------===//

// -----

func.func @softmax_axis_out_of_range(%a: tensor<2x10xf32>) {
  // expected-error @+1 {{'kiln.softmax' axis 2 is out of range for rank 2}}
  %0 = kiln.softmax %a axis = 2 : tensor<2x10xf32>
  return
}

// -----

func.func @softmax_integer(%a: tensor<2x10xi32>) {
  // expected-error @+1 {{'kiln.softmax' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2x10xi32>'}}
  %0 = kiln.softmax %a axis = 1 : tensor<2x10xi32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axes_unsorted(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'kiln.reduce_sum' axes must be sorted and unique, got [2, 0]}}
  // expected-error @+1 {{'kiln.reduce_sum' op failed to infer returned types}}
  %0 = kiln.reduce_sum %a axes = [2, 0] : tensor<2x3x4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @reduce_axes_duplicate(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'kiln.reduce_mean' axes must be sorted and unique, got [1, 1]}}
  // expected-error @+1 {{'kiln.reduce_mean' op failed to infer returned types}}
  %0 = kiln.reduce_mean %a axes = [1, 1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @reduce_axis_out_of_range(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'kiln.reduce_max' axis 3 is out of range for rank 3}}
  // expected-error @+1 {{'kiln.reduce_max' op failed to infer returned types}}
  %0 = kiln.reduce_max %a axes = [0, 3] : tensor<2x3x4xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @reduce_negative_axis(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'kiln.reduce_max' axis -1 is out of range for rank 3}}
  // expected-error @+1 {{'kiln.reduce_max' op failed to infer returned types}}
  %0 = kiln.reduce_max %a axes = [-1] : tensor<2x3x4xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_keep_dims_mismatch(%a: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'kiln.reduce_sum' op inferred type(s) 'tensor<2x1x4xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{'kiln.reduce_sum' op failed to infer returned types}}
  %0 = kiln.reduce_sum %a axes = [1] keep_dims : tensor<2x3x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @reduce_min_axis_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.reduce_min' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'kiln.reduce_min' op failed to infer returned types}}
  %0 = kiln.reduce_min %a axes = [2] : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @reduce_prod_index(%a: tensor<2x3xindex>) {
  // expected-error @+1 {{'kiln.reduce_prod' op operand #0 must be ranked tensor of floating-point or signless integer or unsigned integer values, but got 'tensor<2x3xindex>'}}
  %0 = "kiln.reduce_prod"(%a) <{axes = array<i64: 1>}> : (tensor<2x3xindex>) -> tensor<2xindex>
  return
}

// -----

func.func @arg_max_axis_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.arg_max' axis -1 is out of range for rank 2}}
  // expected-error @+1 {{'kiln.arg_max' op failed to infer returned types}}
  %0 = kiln.arg_max %a axis = -1 : tensor<2x3xf32> -> tensor<2xi64>
  return
}

// -----

func.func @arg_min_empty_axis(%a: tensor<2x0xf32>) {
  // expected-error @+2 {{'kiln.arg_min' axis 1 is empty: there is no element to select}}
  // expected-error @+1 {{'kiln.arg_min' op failed to infer returned types}}
  %0 = kiln.arg_min %a axis = 1 : tensor<2x0xf32> -> tensor<2xi64>
  return
}

// -----

func.func @arg_max_result_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.arg_max' op result #0 must be ranked tensor of 64-bit signless integer values, but got 'tensor<2xi32>'}}
  %0 = kiln.arg_max %a axis = 1 : tensor<2x3xf32> -> tensor<2xi32>
  return
}

// -----

func.func @arg_max_keep_dims_mismatch(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.arg_max' op inferred type(s) 'tensor<2x1xi64>' are incompatible with return type(s) of operation 'tensor<2xi64>'}}
  // expected-error @+1 {{'kiln.arg_max' op failed to infer returned types}}
  %0 = kiln.arg_max %a axis = 1 keep_dims : tensor<2x3xf32> -> tensor<2xi64>
  return
}

//===----------------------------------------------------------------------===//
// kiln.batch_norm
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_rank(%x: tensor<8xf32>, %p: tensor<8xf32>) {
  // expected-error @+2 {{'kiln.batch_norm' expects an input of rank >= 2 (N x C x ...), got rank 1}}
  // expected-error @+1 {{'kiln.batch_norm' op failed to infer returned types}}
  %0 = kiln.batch_norm %x, %p, %p, %p, %p epsilon = 1.0e-05
      : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @batch_norm_param_size(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %q: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.batch_norm' mean must be 1-D with one entry per channel (8), got 'tensor<4xf32>'}}
  // expected-error @+1 {{'kiln.batch_norm' op failed to infer returned types}}
  %0 = kiln.batch_norm %x, %p, %p, %q, %p epsilon = 1.0e-05
      : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>, tensor<8xf32> -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @batch_norm_param_rank(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %q: tensor<1x8xf32>) {
  // expected-error @+2 {{'kiln.batch_norm' scale must be 1-D with one entry per channel (8), got 'tensor<1x8xf32>'}}
  // expected-error @+1 {{'kiln.batch_norm' op failed to infer returned types}}
  %0 = kiln.batch_norm %x, %q, %p, %p, %p epsilon = 1.0e-05
      : tensor<1x8x4x4xf32>, tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @batch_norm_param_rank_dynamic_channels(%x: tensor<1x?xf32>, %p: tensor<8xf32>, %q: tensor<f32>) {
  // expected-error @+2 {{'kiln.batch_norm' variance must be 1-D with one entry per channel (?), got 'tensor<f32>'}}
  // expected-error @+1 {{'kiln.batch_norm' op failed to infer returned types}}
  %0 = kiln.batch_norm %x, %p, %p, %p, %q epsilon = 1.0e-05
      : tensor<1x?xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<f32> -> tensor<1x?xf32>
  return
}

// -----

func.func @batch_norm_param_element_type(%x: tensor<1x8xf32>, %p: tensor<8xf32>, %q: tensor<8xf16>) {
  // expected-error @+2 {{'kiln.batch_norm' bias has element type 'f16' but the input has 'f32'}}
  // expected-error @+1 {{'kiln.batch_norm' op failed to infer returned types}}
  %0 = kiln.batch_norm %x, %p, %q, %p, %p epsilon = 1.0e-05
      : tensor<1x8xf32>, tensor<8xf32>, tensor<8xf16>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @batch_norm_negative_epsilon(%x: tensor<1x8xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{'kiln.batch_norm' op epsilon must be finite and non-negative, got -1.000000e-05}}
  %0 = kiln.batch_norm %x, %p, %p, %p, %p epsilon = -1.0e-05
      : tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @batch_norm_infinite_epsilon(%x: tensor<1x8xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{'kiln.batch_norm' op epsilon must be finite and non-negative, got INF}}
  %0 = kiln.batch_norm %x, %p, %p, %p, %p epsilon = 0x7F800000
      : tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32> -> tensor<1x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// kiln.conv2d
//===----------------------------------------------------------------------===//

// -----

func.func @conv2d_rank(%x: tensor<1x3x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' expects a rank-4 input and filter}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6xf32>
  return
}

// -----

func.func @conv2d_channel_mismatch(%x: tensor<1x4x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' input has 4 channels in 1 group(s) but the filter expects 3 channels per group}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x4x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_grouped_channel_mismatch(%x: tensor<1x8x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' input has 8 channels in 4 group(s) but the filter expects 4 channels per group}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 4
      : tensor<1x8x8x8xf32>, tensor<4x4x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_groups_not_dividing_output(%x: tensor<1x6x8x8xf32>, %w: tensor<5x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' groups (2) must divide the 5 output channels of the filter}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 2
      : tensor<1x6x8x8xf32>, tensor<5x3x3x3xf32> -> tensor<1x5x6x6xf32>
  return
}

// -----

// With a dynamic filter channel count only the divisibility can be checked.
func.func @conv2d_groups_not_dividing_input(%x: tensor<1x5x8x8xf32>, %w: tensor<4x?x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' groups (2) must divide the 5 input channels}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 2
      : tensor<1x5x8x8xf32>, tensor<4x?x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv2d_zero_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' groups must be positive, got 0}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 0
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_element_type_mismatch(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf16>) {
  // expected-error @+2 {{'kiln.conv2d' input element type 'f32' differs from the filter's, 'f16'}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf16> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'kiln.conv2d' bias must be 1-D with one entry per output channel (16), got 'tensor<8xf32>'}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w, %b strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<8xf32> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_bias_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<1x16xf32>) {
  // expected-error @+2 {{'kiln.conv2d' bias must be 1-D with one entry per output channel (16), got 'tensor<1x16xf32>'}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w, %b strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<1x16xf32> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_bias_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf16>) {
  // expected-error @+2 {{'kiln.conv2d' bias element type 'f16' differs from the input's, 'f32'}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w, %b strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf16> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_strides_size(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' expects 2 strides, 2 dilations and 4 pads, got 1, 2 and 4}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_padding_size(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' expects 2 strides, 2 dilations and 4 pads, got 2, 2 and 2}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' strides must be positive, got [1, 0]}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 0] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_zero_dilation(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' dilations must be positive, got [0, 1]}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [0, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x6xf32>
  return
}

// -----

func.func @conv2d_negative_padding(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' padding must be non-negative, got [0, 0, -1, 0]}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, -1, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x5x6xf32>
  return
}

// -----

func.func @conv2d_kernel_larger_than_padded_input(%x: tensor<1x3x2x8xf32>, %w: tensor<16x3x5x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' kernel 5 with dilation 1 does not fit the input 2 padded by 1 and 1 in spatial dimension 0}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [1, 0, 1, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x2x8xf32>, tensor<16x3x5x3xf32> -> tensor<1x16x1x6xf32>
  return
}

// -----

func.func @conv2d_dilated_kernel_too_large(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' kernel 3 with dilation 4 does not fit the input 8 padded by 0 and 0 in spatial dimension 1}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 4] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x6x1xf32>
  return
}

// -----

func.func @conv2d_huge_dilation(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' kernel 3 with dilation 9223372036854775807 does not fit the input 8 padded by 0 and 0 in spatial dimension 0}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [9223372036854775807, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x1x6xf32>
  return
}

// -----

func.func @conv2d_empty_kernel(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x0xf32>) {
  // expected-error @+2 {{'kiln.conv2d' filter is empty in spatial dimension 1}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x0xf32> -> tensor<1x16x6x9xf32>
  return
}

// -----

func.func @conv2d_wrong_result(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv2d' op inferred type(s) 'tensor<1x16x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x16x8x8xf32>'}}
  // expected-error @+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1
      : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32> -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @conv2d_missing_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>) {
  // expected-error @+1 {{'kiln.conv2d' op requires attribute 'groups'}}
  %0 = "kiln.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}>
      : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x6x6xf32>
  return
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// -----

func.func @max_pool2d_rank(%x: tensor<8x32x32xf32>) {
  // expected-error @+2 {{'kiln.max_pool2d' expects a rank-4 (NCHW) input}}
  // expected-error @+1 {{'kiln.max_pool2d' op failed to infer returned types}}
  %0 = kiln.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
      dilations = [1, 1] : tensor<8x32x32xf32> -> tensor<8x16x16xf32>
  return
}

// -----

func.func @max_pool2d_kernel_size(%x: tensor<1x8x32x32xf32>) {
  // expected-error @+2 {{'kiln.max_pool2d' expects 2 kernel sizes, got 3}}
  // expected-error @+1 {{'kiln.max_pool2d' op failed to infer returned types}}
  %0 = kiln.max_pool2d %x kernel = [2, 2, 2] strides = [2, 2] padding = [0, 0, 0, 0]
      dilations = [1, 1] : tensor<1x8x32x32xf32> -> tensor<1x8x16x16xf32>
  return
}

// -----

func.func @max_pool2d_zero_kernel(%x: tensor<1x8x32x32xf32>) {
  // expected-error @+2 {{'kiln.max_pool2d' kernel sizes must be positive, got [2, 0]}}
  // expected-error @+1 {{'kiln.max_pool2d' op failed to infer returned types}}
  %0 = kiln.max_pool2d %x kernel = [2, 0] strides = [2, 2] padding = [0, 0, 0, 0]
      dilations = [1, 1] : tensor<1x8x32x32xf32> -> tensor<1x8x16x16xf32>
  return
}

// -----

func.func @max_pool2d_window_too_large(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+2 {{'kiln.max_pool2d' window 3 with dilation 2 does not fit the input 4 padded by 0 and 0 in spatial dimension 1}}
  // expected-error @+1 {{'kiln.max_pool2d' op failed to infer returned types}}
  %0 = kiln.max_pool2d %x kernel = [2, 3] strides = [1, 1] padding = [0, 0, 0, 0]
      dilations = [1, 2] : tensor<1x8x4x4xf32> -> tensor<1x8x3x1xf32>
  return
}

// -----

func.func @max_pool2d_zero_stride(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+2 {{'kiln.max_pool2d' strides must be positive, got [0, 1]}}
  // expected-error @+1 {{'kiln.max_pool2d' op failed to infer returned types}}
  %0 = kiln.max_pool2d %x kernel = [2, 2] strides = [0, 1] padding = [0, 0, 0, 0]
      dilations = [1, 1] : tensor<1x8x4x4xf32> -> tensor<1x8x3x3xf32>
  return
}

// -----

func.func @avg_pool2d_padding_size(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+2 {{'kiln.avg_pool2d' expects 2 strides, 2 dilations and 4 pads, got 2, 2 and 3}}
  // expected-error @+1 {{'kiln.avg_pool2d' op failed to infer returned types}}
  %0 = kiln.avg_pool2d %x kernel = [2, 2] strides = [1, 1] padding = [0, 0, 0]
      dilations = [1, 1] : tensor<1x8x4x4xf32> -> tensor<1x8x3x3xf32>
  return
}

// -----

func.func @avg_pool2d_negative_padding(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+2 {{'kiln.avg_pool2d' padding must be non-negative, got [0, -1, 0, 0]}}
  // expected-error @+1 {{'kiln.avg_pool2d' op failed to infer returned types}}
  %0 = kiln.avg_pool2d %x kernel = [2, 2] strides = [1, 1] padding = [0, -1, 0, 0]
      dilations = [1, 1] : tensor<1x8x4x4xf32> -> tensor<1x8x3x2xf32>
  return
}

// -----

func.func @avg_pool2d_zero_dilation(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+2 {{'kiln.avg_pool2d' dilations must be positive, got [1, -1]}}
  // expected-error @+1 {{'kiln.avg_pool2d' op failed to infer returned types}}
  %0 = kiln.avg_pool2d %x kernel = [2, 2] strides = [1, 1] padding = [0, 0, 0, 0]
      dilations = [1, -1] : tensor<1x8x4x4xf32> -> tensor<1x8x3x3xf32>
  return
}

// -----

func.func @max_pool2d_padding_not_smaller_than_kernel(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+2 {{'kiln.max_pool2d' padding [0, 0, 0, 2] must be smaller than the kernel [3, 2]}}
  // expected-error @+1 {{'kiln.max_pool2d' op failed to infer returned types}}
  %0 = kiln.max_pool2d %x kernel = [3, 2] strides = [1, 1] padding = [0, 0, 0, 2]
      dilations = [1, 1] : tensor<1x8x4x4xf32> -> tensor<1x8x2x5xf32>
  return
}

// -----

// Dilation does not count: onnxruntime compares pads with the kernel size.
func.func @avg_pool2d_padding_not_smaller_than_kernel(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+2 {{'kiln.avg_pool2d' padding [2, 0, 0, 0] must be smaller than the kernel [2, 2]}}
  // expected-error @+1 {{'kiln.avg_pool2d' op failed to infer returned types}}
  %0 = kiln.avg_pool2d %x kernel = [2, 2] strides = [1, 1] padding = [2, 0, 0, 0]
      dilations = [2, 1] ceil_mode : tensor<1x8x4x4xf32> -> tensor<1x8x4x3xf32>
  return
}

// -----

func.func @avg_pool2d_wrong_result(%x: tensor<1x1x4x5xf32>) {
  // expected-error @+2 {{'kiln.avg_pool2d' op inferred type(s) 'tensor<1x1x3x3xf32>' are incompatible with return type(s) of operation 'tensor<1x1x2x3xf32>'}}
  // expected-error @+1 {{'kiln.avg_pool2d' op failed to infer returned types}}
  %0 = kiln.avg_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1]
      dilations = [1, 1] ceil_mode : tensor<1x1x4x5xf32> -> tensor<1x1x2x3xf32>
  return
}

// -----

func.func @avg_pool2d_missing_kernel(%x: tensor<1x8x4x4xf32>) {
  // expected-error @+1 {{'kiln.avg_pool2d' op requires attribute 'kernel'}}
  %0 = "kiln.avg_pool2d"(%x) <{strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}>
      : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @global_avg_pool_rank(%x: tensor<1x8xf32>) {
  // expected-error @+2 {{'kiln.global_avg_pool' expects an input of rank >= 3 (N x C x spatial...), got rank 2}}
  // expected-error @+1 {{'kiln.global_avg_pool' op failed to infer returned types}}
  %0 = kiln.global_avg_pool %x : tensor<1x8xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @global_avg_pool_wrong_result(%x: tensor<1x8x7x7xf32>) {
  // expected-error @+2 {{'kiln.global_avg_pool' op inferred type(s) 'tensor<1x8x1x1xf32>' are incompatible with return type(s) of operation 'tensor<1x8xf32>'}}
  // expected-error @+1 {{'kiln.global_avg_pool' op failed to infer returned types}}
  %0 = kiln.global_avg_pool %x : tensor<1x8x7x7xf32> -> tensor<1x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Comparisons, logic, select, remainder
//===----------------------------------------------------------------------===//

func.func @compare_element_types(%a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+2 {{'kiln.compare' operand element types differ: 'f32' vs 'i32'}}
  // expected-error @+1 {{'kiln.compare' op failed to infer returned types}}
  %0 = kiln.compare lt, %a, %b : tensor<3xf32>, tensor<3xi32> -> tensor<3xi1>
  return
}

// -----

func.func @compare_shapes(%a: tensor<3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.compare' operand shapes 3 and 4 are not broadcast-compatible}}
  // expected-error @+1 {{'kiln.compare' op failed to infer returned types}}
  %0 = kiln.compare eq, %a, %b : tensor<3xf32>, tensor<4xf32> -> tensor<4xi1>
  return
}

// -----

func.func @compare_result_not_bool(%a: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.compare' op result #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = kiln.compare eq, %a, %a : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @compare_bad_predicate(%a: tensor<3xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'predicate' [eq, ne, lt, le, gt, ge]}}
  %0 = kiln.compare lte, %a, %a : tensor<3xf32>, tensor<3xf32> -> tensor<3xi1>
  return
}

// -----

func.func @and_float(%a: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.and' op operand #0 must be ranked tensor of}}
  %0 = kiln.and %a, %a : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @not_float(%a: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.not' op operand #0 must be ranked tensor of}}
  %0 = kiln.not %a : tensor<3xf32>
  return
}

// -----

func.func @select_condition_not_bool(%c: tensor<3xi32>, %a: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.select' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = kiln.select %c, %a, %a : tensor<3xi32>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @select_value_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf16>) {
  // expected-error @+2 {{'kiln.select' value element types differ: 'f32' vs 'f16'}}
  // expected-error @+1 {{'kiln.select' op failed to infer returned types}}
  %0 = kiln.select %c, %a, %b : tensor<3xi1>, tensor<3xf32>, tensor<3xf16> -> tensor<3xf32>
  return
}

// -----

func.func @select_shapes(%c: tensor<2xi1>, %a: tensor<3xf32>) {
  // expected-error @+2 {{'kiln.select' operand shapes 2, 3 and 3 are not broadcast-compatible}}
  // expected-error @+1 {{'kiln.select' op failed to infer returned types}}
  %0 = kiln.select %c, %a, %a : tensor<2xi1>, tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @mod_float_without_fmod(%a: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.mod' op on floats requires 'fmod'}}
  %0 = kiln.mod %a, %a : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @round_integer(%a: tensor<3xi32>) {
  // expected-error @+1 {{'kiln.round' op operand #0 must be ranked tensor of floating-point values}}
  %0 = kiln.round %a : tensor<3xi32>
  return
}

// -----

func.func @conv3d_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv3d' expects a rank-5 input and filter}}
  // expected-error @+1 {{'kiln.conv3d' op failed to infer returned types}}
  %0 = kiln.conv3d %x, %w strides = [1, 1, 1] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv3d_window(%x: tensor<1x3x4x8x8xf32>, %w: tensor<4x3x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv3d' expects 3 strides, 3 dilations and 6 pads, got 2, 3 and 6}}
  // expected-error @+1 {{'kiln.conv3d' op failed to infer returned types}}
  %0 = kiln.conv3d %x, %w strides = [1, 1] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] groups = 1 : tensor<1x3x4x8x8xf32>, tensor<4x3x3x3x3xf32> -> tensor<1x4x2x6x6xf32>
  return
}

// -----

func.func @conv3d_groups(%x: tensor<1x4x4x8x8xf32>, %w: tensor<6x3x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv3d' input has 4 channels in 2 group(s) but the filter expects 3 channels per group}}
  // expected-error @+1 {{'kiln.conv3d' op failed to infer returned types}}
  %0 = kiln.conv3d %x, %w strides = [1, 1, 1] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] groups = 2 : tensor<1x4x4x8x8xf32>, tensor<6x3x3x3x3xf32> -> tensor<1x6x2x6x6xf32>
  return
}

// -----

func.func @conv3d_too_small(%x: tensor<1x3x2x8x8xf32>, %w: tensor<4x3x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv3d' kernel 3 with dilation 1 does not fit the input 2 padded by 0 and 0 in spatial dimension 0}}
  // expected-error @+1 {{'kiln.conv3d' op failed to infer returned types}}
  %0 = kiln.conv3d %x, %w strides = [1, 1, 1] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] groups = 1 : tensor<1x3x2x8x8xf32>, tensor<4x3x3x3x3xf32> -> tensor<1x4x1x6x6xf32>
  return
}

// -----

func.func @max_pool3d_rank(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'kiln.max_pool3d' expects a rank-5 (NCDHW) input}}
  // expected-error @+1 {{'kiln.max_pool3d' op failed to infer returned types}}
  %0 = kiln.max_pool3d %x kernel = [2, 2, 2] strides = [1, 1, 1] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @avg_pool3d_kernel(%x: tensor<1x3x8x8x8xf32>) {
  // expected-error @+2 {{'kiln.avg_pool3d' expects 3 kernel sizes, got 2}}
  // expected-error @+1 {{'kiln.avg_pool3d' op failed to infer returned types}}
  %0 = kiln.avg_pool3d %x kernel = [2, 2] strides = [1, 1, 1] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] : tensor<1x3x8x8x8xf32> -> tensor<1x3x7x7x7xf32>
  return
}

// -----

func.func @avg_pool3d_pad(%x: tensor<1x3x8x8x8xf32>) {
  // expected-error @+2 {{'kiln.avg_pool3d' padding [0, 0, 2, 0, 0, 0] must be smaller than the kernel [2, 2, 2]}}
  // expected-error @+1 {{'kiln.avg_pool3d' op failed to infer returned types}}
  %0 = kiln.avg_pool3d %x kernel = [2, 2, 2] strides = [1, 1, 1] padding = [0, 0, 2, 0, 0, 0] dilations = [1, 1, 1] : tensor<1x3x8x8x8xf32> -> tensor<1x3x7x7x9xf32>
  return
}

// -----

func.func @max_pool_indices_rank(%x: tensor<3x8xf32>) {
  // expected-error @+2 {{'kiln.max_pool_indices' expects an input of rank 3 to 5 (N x C x 1 to 3 spatial dimensions)}}
  // expected-error @+1 {{'kiln.max_pool_indices' op failed to infer returned types}}
  %0 = kiln.max_pool_indices %x kernel = [2] strides = [1] padding = [0, 0] dilations = [1] : tensor<3x8xf32> -> tensor<3x7xi64>
  return
}

// -----

func.func @max_pool_indices_window(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'kiln.max_pool_indices' expects 2 strides, 2 dilations and 4 pads, got 2, 2 and 2}}
  // expected-error @+1 {{'kiln.max_pool_indices' op failed to infer returned types}}
  %0 = kiln.max_pool_indices %x kernel = [2, 2] strides = [1, 1] padding = [0, 0] dilations = [1, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xi64>
  return
}

// -----

func.func @max_pool_indices_type(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'kiln.max_pool_indices' op result #0 must be ranked tensor of 64-bit signless integer values, but got 'tensor<1x3x7x7xf32>'}}
  %0 = kiln.max_pool_indices %x kernel = [2, 2] strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @conv_transpose_rank(%x: tensor<1x8x4x4xf32>, %w: tensor<8x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv_transpose' expects an input and filter of the same rank, 3 to 5}}
  // expected-error @+1 {{'kiln.conv_transpose' op failed to infer returned types}}
  %0 = kiln.conv_transpose %x, %w strides = [1, 1] padding = [0, 0, 0, 0] output_padding = [0, 0] dilations = [1, 1] groups = 1 : tensor<1x8x4x4xf32>, tensor<8x3x3xf32> -> tensor<1x3x6x6xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x8x4x4xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv_transpose' expects 2 non-negative output paddings, got [0, -1]}}
  // expected-error @+1 {{'kiln.conv_transpose' op failed to infer returned types}}
  %0 = kiln.conv_transpose %x, %w strides = [1, 1] padding = [0, 0, 0, 0] output_padding = [0, -1] dilations = [1, 1] groups = 1 : tensor<1x8x4x4xf32>, tensor<8x3x3x3xf32> -> tensor<1x3x6x6xf32>
  return
}

// -----

func.func @conv_transpose_groups(%x: tensor<1x6x4x4xf32>, %w: tensor<6x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv_transpose' input has 6 channels, the filter 6; both must be divisible by groups (4)}}
  // expected-error @+1 {{'kiln.conv_transpose' op failed to infer returned types}}
  %0 = kiln.conv_transpose %x, %w strides = [1, 1] padding = [0, 0, 0, 0] output_padding = [0, 0] dilations = [1, 1] groups = 4 : tensor<1x6x4x4xf32>, tensor<6x3x3x3xf32> -> tensor<1x12x6x6xf32>
  return
}

// -----

func.func @conv_transpose_empty(%x: tensor<1x8x4x4xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv_transpose' leaves no output in spatial dimension 0 (input 4, kernel 3, padding 3 and 3)}}
  // expected-error @+1 {{'kiln.conv_transpose' op failed to infer returned types}}
  %0 = kiln.conv_transpose %x, %w strides = [1, 1] padding = [3, 0, 3, 0] output_padding = [0, 0] dilations = [1, 1] groups = 1 : tensor<1x8x4x4xf32>, tensor<8x3x3x3xf32> -> tensor<1x3x0x6xf32>
  return
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x8x4x4xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.conv_transpose' bias must be 1-D with one entry per output channel (3) of the input's element type, got 'tensor<4xf32>'}}
  // expected-error @+1 {{'kiln.conv_transpose' op failed to infer returned types}}
  %0 = kiln.conv_transpose %x, %w, %b strides = [1, 1] padding = [0, 0, 0, 0] output_padding = [0, 0] dilations = [1, 1] groups = 1 : tensor<1x8x4x4xf32>, tensor<8x3x3x3xf32>, tensor<4xf32> -> tensor<1x3x6x6xf32>
  return
}
