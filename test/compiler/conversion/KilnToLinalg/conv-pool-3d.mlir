// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// conv3d and the 3-D pools become windowed linalg.generic ops (linalg's
// 3-D named convolutions and pools do not cover NCDHW with groups, nor
// NCDHW pooling).

// CHECK-DAG: #[[$CONV_IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d6, d3 + d7, d4 * 2 + d8, d5 + d9 * 2)>
// CHECK-DAG: #[[$CONV_W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d1, d2, d6, d7, d8, d9)>
// CHECK-DAG: #[[$CONV_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-DAG: #[[$POOL_IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-DAG: #[[$POOL_K:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d6, d7)>
// CHECK-DAG: #[[$POOL_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$ID5:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$D:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d2)>
// CHECK-DAG: #[[$H:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d3)>
// CHECK-DAG: #[[$W:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d4)>
// CHECK-DAG: #[[$CT_IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3, d4)>
// CHECK-DAG: #[[$CT_W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-DAG: #[[$CT_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3 * 3 + d6, d4 * 2 + d7)>

// Pads [front, top, left, back, bottom, right]; groups split C, O and the
// accumulator (which starts as the broadcast bias).
// CHECK-LABEL: func.func @conv3d
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x4x3x4x5xf32>, %[[W:[^:]+]]: tensor<4x2x2x3x2xf32>, %[[B:[^:]+]]: tensor<4xf32>)
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 1, 0, 1] high[0, 0, 0, 1, 1]
// CHECK: } : tensor<1x4x3x4x5xf32> to tensor<1x4x4x5x7xf32>
// CHECK: %[[INIT:.+]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%{{.+}} : tensor<1x4x3x2x5xf32>) dimensions = [0, 2, 3, 4]
// CHECK: %[[GX:.+]] = tensor.expand_shape %[[PADDED]] {{\[}}[0], [1, 2], [3], [4], [5]] output_shape [1, 2, 2, 4, 5, 7]
// CHECK: %[[GW:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4], [5]] output_shape [2, 2, 2, 2, 3, 2]
// CHECK: %[[GI:.+]] = tensor.expand_shape %[[INIT]] {{\[}}[0], [1, 2], [3], [4], [5]] output_shape [1, 2, 2, 3, 2, 5]
// CHECK: %[[G:.+]] = linalg.generic {indexing_maps = [#[[$CONV_IN]], #[[$CONV_W]], #[[$CONV_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[GX]], %[[GW]] : {{.+}}) outs(%[[GI]] : tensor<1x2x2x3x2x5xf32>)
// CHECK: %[[P:.+]] = arith.mulf
// CHECK: %[[S:.+]] = arith.addf %{{.+}}, %[[P]]
// CHECK: linalg.yield %[[S]]
// CHECK: %[[R:.+]] = tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3], [4], [5]] : tensor<1x2x2x3x2x5xf32> into tensor<1x4x3x2x5xf32>
// CHECK: return %[[R]]
func.func @conv3d(%x: tensor<1x4x3x4x5xf32>, %w: tensor<4x2x2x3x2xf32>, %b: tensor<4xf32>) -> tensor<1x4x3x2x5xf32> {
  %r = kiln.conv3d %x, %w, %b strides = [1, 2, 1] padding = [1, 0, 1, 0, 1, 1] dilations = [1, 1, 2] groups = 2 : tensor<1x4x3x4x5xf32>, tensor<4x2x2x3x2xf32>, tensor<4xf32> -> tensor<1x4x3x2x5xf32>
  return %r : tensor<1x4x3x2x5xf32>
}

// CHECK-LABEL: func.func @max_pool3d
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x2x4x4x4xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[K:.+]] = tensor.empty() : tensor<2x2x2xf32>
// CHECK: %[[LOWEST:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[LOWEST]] : f32)
// CHECK: linalg.generic {indexing_maps = [#[[$POOL_IN]], #[[$POOL_K]], #[[$POOL_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[X]], %[[K]] : {{.+}}) outs(%[[INIT]] : tensor<1x2x2x2x2xf32>)
// CHECK: arith.maximumf
func.func @max_pool3d(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32> {
  %r = kiln.max_pool3d %x kernel = [2, 2, 2] strides = [2, 2, 2] padding = [0, 0, 0, 0, 0, 0] dilations = [1, 1, 1] : tensor<1x2x4x4x4xf32> -> tensor<1x2x2x2x2xf32>
  return %r : tensor<1x2x2x2x2xf32>
}

// Leading pads only: the windows at index 0 cover 2 input rows in each
// dimension, those at index 1 cover 3, so the divisor is a product of three
// per-dimension factors.
// CHECK-LABEL: func.func @avg_pool3d
// CHECK: %[[PADDED:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1, 1] high[0, 0, 0, 0, 0]
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$POOL_IN]], #[[$POOL_K]], #[[$POOL_OUT]]], {{.+}} ins(%[[PADDED]], %{{.+}} : tensor<1x2x5x5x5xf32>, tensor<3x3x3xf32>)
// CHECK: arith.addf
// CHECK: %[[FD:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: %[[FH:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: %[[FW:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID5]], #[[$D]], #[[$H]], #[[$W]], #[[$ID5]]], {{.+}} ins(%[[SUM]], %[[FD]], %[[FH]], %[[FW]] :
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: arith.divf
func.func @avg_pool3d(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32> {
  %r = kiln.avg_pool3d %x kernel = [3, 3, 3] strides = [2, 2, 2] padding = [1, 1, 1, 0, 0, 0] dilations = [1, 1, 1] : tensor<1x2x4x4x4xf32> -> tensor<1x2x2x2x2xf32>
  return %r : tensor<1x2x2x2x2xf32>
}

// max_pool_indices: one generic carrying the maximum and its flat index
// ((n * C + c) * H + h) * W + w, with h and w unpadded positions; a tap
// wins only when strictly larger.
// CHECK-LABEL: func.func @max_pool_indices
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x2x5x5xf32>)
// CHECK: %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[V:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x2x3x3xf32>)
// CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : i64) outs(%{{.+}} : tensor<1x2x3x3xi64>)
// CHECK: %[[R:.+]]:2 = linalg.generic {{.+}} ins(%[[PADDED]], %{{.+}} : tensor<1x2x7x7xf32>, tensor<3x3xf32>) outs(%[[V]], %[[I]] : tensor<1x2x3x3xf32>, tensor<1x2x3x3xi64>)
// CHECK: ^bb0(%[[IN:[^:]+]]: f32, %{{[^:]+}}: f32, %[[MAX:[^:]+]]: f32, %[[IDX:[^:]+]]: i64):
// CHECK: arith.addi
// CHECK: %[[LARGER:.+]] = arith.cmpf ogt, %[[IN]], %[[MAX]] : f32
// CHECK: %[[NV:.+]] = arith.select %[[LARGER]], %[[IN]], %[[MAX]] : f32
// CHECK: %[[NI:.+]] = arith.select %[[LARGER]], %{{.+}}, %[[IDX]] : i64
// CHECK: linalg.yield %[[NV]], %[[NI]] : f32, i64
// CHECK: return %[[R]]#1
func.func @max_pool_indices(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xi64> {
  %r = kiln.max_pool_indices %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] dilations = [1, 1] : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xi64>
  return %r : tensor<1x2x3x3xi64>
}

// conv_transpose: the input and filter split into groups scatter into the
// full result (output map i * stride + k * dilation); the pads are sliced
// off and the bias added.
// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x4x3x3xf32>, %[[W:[^:]+]]: tensor<4x1x2x2xf32>, %[[B:[^:]+]]: tensor<2xf32>)
// CHECK: %[[GX:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 3, 3]
// CHECK: %[[GW:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 2, 1, 2, 2]
// CHECK: %[[INIT:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x2x1x8x7xf32>)
// CHECK: %[[FULL:.+]] = linalg.generic {indexing_maps = [#[[$CT_IN]], #[[$CT_W]], #[[$CT_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]} ins(%[[GX]], %[[GW]] : tensor<1x2x2x3x3xf32>, tensor<2x2x1x2x2xf32>) outs(%[[INIT]] : tensor<1x2x1x8x7xf32>)
// CHECK: %[[MERGED:.+]] = tensor.collapse_shape %[[FULL]] {{.+}} : tensor<1x2x1x8x7xf32> into tensor<1x2x8x7xf32>
// CHECK: %[[CUT:.+]] = tensor.extract_slice %[[MERGED]][0, 0, 1, 0] [1, 2, 6, 7] [1, 1, 1, 1] : tensor<1x2x8x7xf32> to tensor<1x2x6x7xf32>
// CHECK: %[[Y:.+]] = linalg.generic {{.+}} ins(%[[CUT]], %[[B]] : tensor<1x2x6x7xf32>, tensor<2xf32>)
// CHECK: arith.addf
// CHECK: return %[[Y]]
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x1x2x2xf32>, %b: tensor<2xf32>) -> tensor<1x2x6x7xf32> {
  %r = kiln.conv_transpose %x, %w, %b strides = [3, 2] padding = [1, 0, 1, 0] output_padding = [0, 1] dilations = [1, 1] groups = 2 : tensor<1x4x3x3xf32>, tensor<4x1x2x2xf32>, tensor<2xf32> -> tensor<1x2x6x7xf32>
  return %r : tensor<1x2x6x7xf32>
}
