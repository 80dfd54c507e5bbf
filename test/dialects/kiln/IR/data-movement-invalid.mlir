// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier and type inference errors of the indexed data movement ops.
// Inference errors surface twice: the rule's message, then the generic
// "failed to infer returned types".

func.func @broadcast_incompatible(%x: tensor<3x2xf32>) {
  // expected-error @+1 {{'kiln.broadcast_to' op cannot broadcast 3x2 to 2x3x4}}
  %0 = kiln.broadcast_to %x : tensor<3x2xf32> -> tensor<2x3x4xf32>
  return
}

// -----

func.func @broadcast_smaller_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.broadcast_to' op cannot broadcast rank 2 to the smaller rank 1}}
  %0 = kiln.broadcast_to %x : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @broadcast_element_type(%x: tensor<3xf32>) {
  // expected-error @+1 {{'kiln.broadcast_to' op changes the element type from 'f32' to 'f16'}}
  %0 = kiln.broadcast_to %x : tensor<3xf32> -> tensor<2x3xf16>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<2x3xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'kiln.gather_elements' data rank 2 and indices rank 1 differ}}
  // expected-error @+1 {{'kiln.gather_elements' op failed to infer returned types}}
  %0 = kiln.gather_elements %x, %i axis = 0 : tensor<2x3xf32>, tensor<2xi64> -> tensor<2xf32>
  return
}

// -----

func.func @gather_elements_axis(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+2 {{'kiln.gather_elements' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'kiln.gather_elements' op failed to infer returned types}}
  %0 = kiln.gather_elements %x, %i axis = 2 : tensor<2x3xf32>, tensor<2x3xi64> -> tensor<2x3xf32>
  return
}

// -----

func.func @gather_elements_too_wide(%x: tensor<2x3xf32>, %i: tensor<2x4xi64>) {
  // expected-error @+2 {{'kiln.gather_elements' indices dimension 1 (4) exceeds the data dimension (3)}}
  // expected-error @+1 {{'kiln.gather_elements' op failed to infer returned types}}
  %0 = kiln.gather_elements %x, %i axis = 0 : tensor<2x3xf32>, tensor<2x4xi64> -> tensor<2x4xf32>
  return
}

// -----

func.func @gather_elements_empty_axis(%x: tensor<0x3xf32>, %i: tensor<1x3xi64>) {
  // expected-error @+2 {{'kiln.gather_elements' indexes the empty axis 0}}
  // expected-error @+1 {{'kiln.gather_elements' op failed to infer returned types}}
  %0 = kiln.gather_elements %x, %i axis = 0 : tensor<0x3xf32>, tensor<1x3xi64> -> tensor<1x3xf32>
  return
}

// -----

func.func @scatter_elements_updates_shape(%x: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<3x3xf32>) {
  // expected-error @+1 {{'kiln.scatter_elements' op updates shape 3x3 differs from the indices 2x3}}
  %0 = kiln.scatter_elements %x, %i, %u axis = 0 reduction = none : tensor<3x3xf32>, tensor<2x3xi64>, tensor<3x3xf32> -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_elements_updates_type(%x: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf16>) {
  // expected-error @+1 {{'kiln.scatter_elements' op updates element type 'f16' differs from the data's 'f32'}}
  %0 = kiln.scatter_elements %x, %i, %u axis = 0 reduction = none : tensor<3x3xf32>, tensor<2x3xi64>, tensor<2x3xf16> -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_elements_bool_add(%x: tensor<3xi1>, %i: tensor<2xi64>, %u: tensor<2xi1>) {
  // expected-error @+1 {{'kiln.scatter_elements' op reduction 'add' does not apply to 'i1'}}
  %0 = kiln.scatter_elements %x, %i, %u axis = 0 reduction = add : tensor<3xi1>, tensor<2xi64>, tensor<2xi1> -> tensor<3xi1>
  return
}

// -----

func.func @gather_nd_tuple_too_long(%x: tensor<2x3xf32>, %i: tensor<4x3xi64>) {
  // expected-error @+2 {{'kiln.gather_nd' index tuples of length 3 do not fit data rank 2 with 0 batch dimensions}}
  // expected-error @+1 {{'kiln.gather_nd' op failed to infer returned types}}
  %0 = kiln.gather_nd %x, %i batch_dims = 0 : tensor<2x3xf32>, tensor<4x3xi64> -> tensor<4xf32>
  return
}

// -----

func.func @gather_nd_batch_dims(%x: tensor<2x3xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+2 {{'kiln.gather_nd' batch_dims 2 is out of range for data rank 2 and indices rank 2}}
  // expected-error @+1 {{'kiln.gather_nd' op failed to infer returned types}}
  %0 = kiln.gather_nd %x, %i batch_dims = 2 : tensor<2x3xf32>, tensor<2x1xi64> -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_batch_mismatch(%x: tensor<2x3xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+2 {{'kiln.gather_nd' batch dimension 0 differs: 2 vs 3}}
  // expected-error @+1 {{'kiln.gather_nd' op failed to infer returned types}}
  %0 = kiln.gather_nd %x, %i batch_dims = 1 : tensor<2x3xf32>, tensor<3x1xi64> -> tensor<3xf32>
  return
}

// -----

func.func @gather_nd_scalar_indices(%x: tensor<2x3xf32>, %i: tensor<i64>) {
  // expected-error @+2 {{'kiln.gather_nd' indices must have rank at least 1}}
  // expected-error @+1 {{'kiln.gather_nd' op failed to infer returned types}}
  %0 = kiln.gather_nd %x, %i batch_dims = 0 : tensor<2x3xf32>, tensor<i64> -> tensor<2x3xf32>
  return
}

// -----

func.func @scatter_nd_updates_shape(%x: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) {
  // expected-error @+1 {{'kiln.scatter_nd' op updates shape 2x4 should be 2x3}}
  %0 = kiln.scatter_nd %x, %i, %u reduction = none : tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x4xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @cumsum_axis(%x: tensor<2x3xf32>) {
  // The result type is inferred while parsing, so only the rule reports.
  // expected-error @+1 {{'kiln.cumsum' axis -1 is out of range for rank 2}}
  %0 = kiln.cumsum %x axis = -1 : tensor<2x3xf32>
  return
}

// -----

func.func @top_k_too_many(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{'kiln.top_k' k = 5 is outside [0, 4]}}
  // expected-error @+1 {{'kiln.top_k' op failed to infer returned types}}
  %v, %i = kiln.top_k %x k = 5 axis = 1 : tensor<3x4xf32> -> tensor<3x5xf32>, tensor<3x5xi64>
  return
}

// -----

func.func @cumprod_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'kiln.cumprod' axis 2 is out of range for rank 2}}
  %0 = kiln.cumprod %x axis = 2 : tensor<2x3xf32>
  return
}

// -----

func.func @bitcast_width(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.bitcast' op reinterprets 32-bit elements as 64-bit ones}}
  %0 = kiln.bitcast %x : tensor<4xf32> to tensor<4xi64>
  return
}

// -----

func.func @bitcast_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'kiln.bitcast' op changes the shape from 4 to 2x2}}
  %0 = kiln.bitcast %x : tensor<4xf32> to tensor<2x2xi32>
  return
}
