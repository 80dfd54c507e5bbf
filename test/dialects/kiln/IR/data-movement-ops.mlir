// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round trip of the indexed data movement ops (broadcast_to, gathers and
// scatters, cumsum, top_k) through the custom and the generic form.

// CHECK-LABEL: func.func @broadcast_to
// CHECK: kiln.broadcast_to %{{.+}} : tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK: kiln.broadcast_to %{{.+}} : tensor<i1> -> tensor<5xi1>
func.func @broadcast_to(%x: tensor<3x1xf32>, %b: tensor<i1>) -> (tensor<2x3x4xf32>, tensor<5xi1>) {
  %0 = kiln.broadcast_to %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = kiln.broadcast_to %b : tensor<i1> -> tensor<5xi1>
  return %0, %1 : tensor<2x3x4xf32>, tensor<5xi1>
}

// CHECK-LABEL: func.func @gather_elements
// CHECK: kiln.gather_elements %{{.+}}, %{{.+}} axis = 1 : tensor<2x3xf32>, tensor<2x2xi64> -> tensor<2x2xf32>
func.func @gather_elements(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>) -> tensor<2x2xf32> {
  %0 = kiln.gather_elements %x, %i axis = 1 : tensor<2x3xf32>, tensor<2x2xi64> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @scatter_elements
// CHECK: kiln.scatter_elements %{{.+}}, %{{.+}}, %{{.+}} axis = 0 reduction = none : tensor<3x3xf32>, tensor<2x3xi32>, tensor<2x3xf32> -> tensor<3x3xf32>
// CHECK: kiln.scatter_elements %{{.+}}, %{{.+}}, %{{.+}} axis = 1 reduction = max : tensor<3x3xf32>, tensor<2x3xi32>, tensor<2x3xf32> -> tensor<3x3xf32>
func.func @scatter_elements(%x: tensor<3x3xf32>, %i: tensor<2x3xi32>, %u: tensor<2x3xf32>) -> (tensor<3x3xf32>, tensor<3x3xf32>) {
  %0 = kiln.scatter_elements %x, %i, %u axis = 0 reduction = none : tensor<3x3xf32>, tensor<2x3xi32>, tensor<2x3xf32> -> tensor<3x3xf32>
  %1 = kiln.scatter_elements %x, %i, %u axis = 1 reduction = max : tensor<3x3xf32>, tensor<2x3xi32>, tensor<2x3xf32> -> tensor<3x3xf32>
  return %0, %1 : tensor<3x3xf32>, tensor<3x3xf32>
}

// CHECK-LABEL: func.func @gather_nd
// CHECK: kiln.gather_nd %{{.+}}, %{{.+}} batch_dims = 0 : tensor<2x2x3xf32>, tensor<4x2xi64> -> tensor<4x3xf32>
// CHECK: kiln.gather_nd %{{.+}}, %{{.+}} batch_dims = 1 : tensor<2x2x3xf32>, tensor<2x1xi64> -> tensor<2x3xf32>
func.func @gather_nd(%x: tensor<2x2x3xf32>, %i: tensor<4x2xi64>, %j: tensor<2x1xi64>) -> (tensor<4x3xf32>, tensor<2x3xf32>) {
  %0 = kiln.gather_nd %x, %i batch_dims = 0 : tensor<2x2x3xf32>, tensor<4x2xi64> -> tensor<4x3xf32>
  %1 = kiln.gather_nd %x, %j batch_dims = 1 : tensor<2x2x3xf32>, tensor<2x1xi64> -> tensor<2x3xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @scatter_nd
// CHECK: kiln.scatter_nd %{{.+}}, %{{.+}}, %{{.+}} reduction = mul : tensor<4x3xi32>, tensor<2x1xi64>, tensor<2x3xi32> -> tensor<4x3xi32>
func.func @scatter_nd(%x: tensor<4x3xi32>, %i: tensor<2x1xi64>, %u: tensor<2x3xi32>) -> tensor<4x3xi32> {
  %0 = kiln.scatter_nd %x, %i, %u reduction = mul : tensor<4x3xi32>, tensor<2x1xi64>, tensor<2x3xi32> -> tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}

// CHECK-LABEL: func.func @cumsum
// CHECK: kiln.cumsum %{{.+}} axis = 1 : tensor<2x3xf32>
// CHECK: kiln.cumsum %{{.+}} axis = 0 exclusive reverse : tensor<2x3xf32>
func.func @cumsum(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = kiln.cumsum %x axis = 1 : tensor<2x3xf32>
  %1 = kiln.cumsum %x axis = 0 exclusive reverse : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cumprod
// CHECK: kiln.cumprod %{{.+}} axis = 0 exclusive reverse : tensor<2x3xi32>
func.func @cumprod(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = kiln.cumprod %x axis = 0 exclusive reverse : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @bitcast
// CHECK: kiln.bitcast %{{.+}} : tensor<2x3xf32> to tensor<2x3xi32>
// CHECK: kiln.bitcast %{{.+}} : tensor<2x3xi32> to tensor<2x3xui32>
func.func @bitcast(%x: tensor<2x3xf32>) -> tensor<2x3xui32> {
  %0 = kiln.bitcast %x : tensor<2x3xf32> to tensor<2x3xi32>
  %1 = kiln.bitcast %0 : tensor<2x3xi32> to tensor<2x3xui32>
  return %1 : tensor<2x3xui32>
}

// CHECK-LABEL: func.func @top_k
// CHECK: kiln.top_k %{{.+}} k = 2 axis = 1 : tensor<3x4xf32> -> tensor<3x2xf32>, tensor<3x2xi64>
// CHECK: kiln.top_k %{{.+}} k = 0 axis = 0 smallest : tensor<3x4xf32> -> tensor<0x4xf32>, tensor<0x4xi64>
func.func @top_k(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>, tensor<0x4xf32>) {
  %v, %i = kiln.top_k %x k = 2 axis = 1 : tensor<3x4xf32> -> tensor<3x2xf32>, tensor<3x2xi64>
  %w, %j = kiln.top_k %x k = 0 axis = 0 smallest : tensor<3x4xf32> -> tensor<0x4xf32>, tensor<0x4xi64>
  return %v, %i, %w : tensor<3x2xf32>, tensor<3x2xi64>, tensor<0x4xf32>
}
