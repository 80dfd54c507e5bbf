// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// CHECK-DAG: #[[$WINDOW:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$KERNEL:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$POOL_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$ROWS:.+]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[$COLS:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[$ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

// Padding [top, left, bottom, right]; the bias is broadcast into the
// accumulator.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x3x8x8xf32>, %[[W:[^:]+]]: tensor<16x3x3x3xf32>, %[[B:[^:]+]]: tensor<16xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 0, 1]
// CHECK: tensor.yield %[[ZERO]]
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x9x11xf32>
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x16x4x4xf32>
// CHECK: %[[INIT:.+]] = linalg.broadcast ins(%[[B]] : tensor<16xf32>) outs(%[[EMPTY]] : tensor<1x16x4x4xf32>) dimensions = [0, 2, 3]
// CHECK: %[[R:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PADDED]], %[[W]] : tensor<1x3x9x11xf32>, tensor<16x3x3x3xf32>) outs(%[[INIT]] : tensor<1x16x4x4xf32>)
// CHECK: return %[[R]]
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x4x4xf32> {
  %r = kiln.conv2d %x, %w, %b strides = [2, 2] padding = [1, 2, 0, 1] dilations = [1, 2] groups = 1 : tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32> -> tensor<1x16x4x4xf32>
  return %r : tensor<1x16x4x4xf32>
}

// No padding, no bias: no tensor.pad, a zero-filled accumulator.
// CHECK-LABEL: func.func @conv_plain
// CHECK-NOT: tensor.pad
// CHECK: %[[INIT:.+]] = linalg.fill
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} outs(%[[INIT]] : tensor<2x4x3x3xf32>)
func.func @conv_plain(%x: tensor<2x3x5x5xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x3x3xf32> {
  %r = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 1 : tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x3x3xf32>
  return %r : tensor<2x4x3x3xf32>
}

// One filter per channel: depthwise.
// CHECK-LABEL: func.func @conv_depthwise
// CHECK: %[[FILTER:.+]] = tensor.collapse_shape %{{.+}} {{\[\[}}0], [1, 2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%{{.+}}, %[[FILTER]] : tensor<1x4x5x5xf32>, tensor<4x3x3xf32>) outs(%{{.+}} : tensor<1x4x3x3xf32>)
func.func @conv_depthwise(%x: tensor<1x4x5x5xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %r = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 4 : tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32> -> tensor<1x4x3x3xf32>
  return %r : tensor<1x4x3x3xf32>
}

// Other groups: split channels into G x C/G and filters into G x O/G.
// CHECK-LABEL: func.func @conv_grouped
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x4x5x5xf32>, %[[W:[^:]+]]: tensor<6x2x3x3xf32>, %[[B:[^:]+]]: tensor<6xf32>)
// CHECK: %[[INIT:.+]] = linalg.broadcast ins(%[[B]]
// CHECK: %[[GX:.+]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 5, 5]
// CHECK: %[[GW:.+]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[GI:.+]] = tensor.expand_shape %[[INIT]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 3, 3, 3]
// CHECK: %[[GR:.+]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[GX]], %[[GW]] : tensor<1x2x2x5x5xf32>, tensor<2x3x2x3x3xf32>) outs(%[[GI]] : tensor<1x2x3x3x3xf32>)
// CHECK: %[[R:.+]] = tensor.collapse_shape %[[GR]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x3x3xf32> into tensor<1x6x3x3xf32>
// CHECK: return %[[R]]
func.func @conv_grouped(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x3x3xf32> {
  %r = kiln.conv2d %x, %w, %b strides = [1, 1] padding = [0, 0, 0, 0] dilations = [1, 1] groups = 2 : tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>, tensor<6xf32> -> tensor<1x6x3x3xf32>
  return %r : tensor<1x6x3x3xf32>
}

//===----------------------------------------------------------------------===//
// max_pool2d
//===----------------------------------------------------------------------===//

// ceil_mode: 5 rows, kernel 2, stride 2 give 3 windows; the last needs a
// sixth row, padded with -inf.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x5x5xf32>)
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG_INF]]
// CHECK: } : tensor<1x1x5x5xf32> to tensor<1x1x6x6xf32>
// CHECK: %[[KERNEL:.+]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x1x3x3xf32>)
// CHECK: %[[R:.+]] = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PADDED]], %[[KERNEL]] : tensor<1x1x6x6xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<1x1x3x3xf32>)
// CHECK: return %[[R]]
func.func @max_pool_ceil(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %r = kiln.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] dilations = [1, 1] ceil_mode : tensor<1x1x5x5xf32> -> tensor<1x1x3x3xf32>
  return %r : tensor<1x1x3x3xf32>
}

// Signed integers pad with the type's minimum.
// CHECK-LABEL: func.func @max_pool_i8
// CHECK: %[[MIN:.+]] = arith.constant -128 : i8
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[MIN]]
// CHECK: linalg.pooling_nchw_max
func.func @max_pool_i8(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x4x4xi8> {
  %r = kiln.max_pool2d %x kernel = [3, 3] strides = [1, 1] padding = [1, 1, 1, 1] dilations = [1, 1] : tensor<1x2x4x4xi8> -> tensor<1x2x4x4xi8>
  return %r : tensor<1x2x4x4xi8>
}

// linalg has no unsigned NCHW max pool: the same loops as a generic.
// CHECK-LABEL: func.func @max_pool_unsigned
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x4x4xi8>)
// CHECK: %[[KERNEL:.+]] = tensor.empty() : tensor<2x2xi8>
// CHECK: %[[INIT:.+]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[$WINDOW]], #[[$KERNEL]], #[[$POOL_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[KERNEL]] : tensor<1x1x4x4xi8>, tensor<2x2xi8>) outs(%[[INIT]] : tensor<1x1x2x2xi8>)
// CHECK: ^bb0(%[[IN:.+]]: i8, %{{.+}}: i8, %[[ACC:.+]]: i8):
// CHECK: arith.maxui %[[ACC]], %[[IN]] : i8
func.func @max_pool_unsigned(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %r = kiln.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0, 0, 0] dilations = [1, 1] : tensor<1x1x4x4xui8> -> tensor<1x1x2x2xui8>
  return %r : tensor<1x1x2x2xui8>
}

//===----------------------------------------------------------------------===//
// avg_pool2d
//===----------------------------------------------------------------------===//

// Every window counts 9 elements (pads included): one scalar divisor.
// CHECK-LABEL: func.func @avg_pool_include_pad
// CHECK: %[[PADDED:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK-SAME: ins(%[[PADDED]], %{{.+}} : tensor<1x8x11x11xf32>, tensor<3x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$ID4]], #[[$ID4]]], {{.*}} ins(%[[SUM]] : tensor<1x8x5x5xf32>)
// CHECK: %[[AREA:.+]] = arith.constant 9.000000e+00 : f32
// CHECK: arith.divf %{{.+}}, %[[AREA]] : f32
func.func @avg_pool_include_pad(%x: tensor<1x8x9x9xf32>) -> tensor<1x8x5x5xf32> {
  %r = kiln.avg_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] count_include_pad : tensor<1x8x9x9xf32> -> tensor<1x8x5x5xf32>
  return %r : tensor<1x8x5x5xf32>
}

// Border windows count fewer elements: per-row and per-column counts,
// computed at compile time.
// CHECK-LABEL: func.func @avg_pool_exclude_pad
// CHECK: %[[SUM:.+]] = linalg.pooling_nchw_sum
// CHECK-DAG: %[[ROW_COUNTS:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00, 3.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<5xf32>
// CHECK-DAG: %[[COL_COUNTS:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID4]], #[[$ROWS]], #[[$COLS]], #[[$ID4]]]
// CHECK-SAME: ins(%[[SUM]], %[[ROW_COUNTS]], %[[COL_COUNTS]] :
// CHECK: ^bb0(%[[S:.+]]: f32, %[[R:.+]]: f32, %[[C:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[COUNT:.+]] = arith.mulf %[[R]], %[[C]]
// CHECK: arith.divf %[[S]], %[[COUNT]]
func.func @avg_pool_exclude_pad(%x: tensor<1x8x9x7xf32>) -> tensor<1x8x5x4xf32> {
  %r = kiln.avg_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] : tensor<1x8x9x7xf32> -> tensor<1x8x5x4xf32>
  return %r : tensor<1x8x5x4xf32>
}

// ceil_mode with count_include_pad: the explicit pads count, the overhang
// past them does not (onnxruntime). 6 rows, pads 1 + 1, kernel 3, stride 2:
// windows start at -1, 1, 3, 5; the last covers rows 5, 6 (pad) and 7
// (overhang), so it counts 2.
// CHECK-LABEL: func.func @avg_pool_ceil
// CHECK: tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK: arith.constant dense<[3.000000e+00, 3.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<4xf32>
func.func @avg_pool_ceil(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32> {
  %r = kiln.avg_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] ceil_mode count_include_pad : tensor<1x1x6x6xf32> -> tensor<1x1x4x4xf32>
  return %r : tensor<1x1x4x4xf32>
}

//===----------------------------------------------------------------------===//
// global_avg_pool
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @global_avg_pool
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%{{.+}} : tensor<1x8x7x7xf32>) outs(%{{.+}} : tensor<1x8xf32>) dimensions = [2, 3]
// CHECK: %[[MEAN:.+]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ID2]]], {{.*}} ins(%[[SUM]] : tensor<1x8xf32>)
// CHECK: arith.constant 4.900000e+01 : f32
// CHECK: %[[R:.+]] = tensor.expand_shape %[[MEAN]] {{\[\[}}0], [1, 2, 3]] output_shape [1, 8, 1, 1] : tensor<1x8xf32> into tensor<1x8x1x1xf32>
// CHECK: return %[[R]]
func.func @global_avg_pool(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32> {
  %r = kiln.global_avg_pool %x : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
  return %r : tensor<1x8x1x1xf32>
}
