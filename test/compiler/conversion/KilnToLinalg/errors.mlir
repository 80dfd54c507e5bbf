// RUN: kiln-opt --convert-kiln-to-linalg --split-input-file --verify-diagnostics %s

// Every op with a dynamic dimension is reported before anything is lowered.
func.func @dynamic(%a: tensor<?x4xf32>, %b: tensor<4xf32>, %c: tensor<2x?xf32>) -> (tensor<?x4xf32>, tensor<2x?xf32>) {
  // expected-error @+1 {{'kiln.add' op has a dynamic shape ('tensor<?x4xf32>'); convert-kiln-to-linalg needs static shapes}}
  %0 = kiln.add %a, %b : tensor<?x4xf32>, tensor<4xf32> -> tensor<?x4xf32>
  // expected-error @+1 {{'kiln.relu' op has a dynamic shape ('tensor<2x?xf32>'); convert-kiln-to-linalg needs static shapes}}
  %1 = kiln.relu %c : tensor<2x?xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<2x?xf32>
}

// -----

func.func @dynamic_result(%x: tensor<?x3xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'kiln.reduce_sum' op has a dynamic shape ('tensor<?x3xf32>')}}
  %0 = kiln.reduce_sum %x axes = [1] : tensor<?x3xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @integer_avg_pool(%x: tensor<1x1x4x4xi32>) -> tensor<1x1x2x2xi32> {
  // expected-error @+2 {{'kiln.avg_pool2d' op integer average pooling is not supported}}
  // expected-error @+1 {{failed to legalize operation 'kiln.avg_pool2d'}}
  %0 = kiln.avg_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] dilations = [1, 1] : tensor<1x1x4x4xi32> -> tensor<1x1x2x2xi32>
  return %0 : tensor<1x1x2x2xi32>
}

// -----

func.func @gather_from_empty(%x: tensor<0x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  // expected-error @+2 {{'kiln.gather' op gathers from dimension 0 of 'tensor<0x3xf32>', which is empty: every index is out of range}}
  // expected-error @+1 {{failed to legalize operation 'kiln.gather'}}
  %0 = kiln.gather %x, %i axis = 0 : tensor<0x3xf32>, tensor<2xi64> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cast_index(%x: tensor<4xf32>) -> tensor<4xindex> {
  // expected-error @+2 {{'kiln.cast' op cannot lower a cast from 'f32' to 'index': only float, integer and i1 element types are supported}}
  // expected-error @+1 {{failed to legalize operation 'kiln.cast'}}
  %0 = kiln.cast %x : tensor<4xf32> to tensor<4xindex>
  return %0 : tensor<4xindex>
}
