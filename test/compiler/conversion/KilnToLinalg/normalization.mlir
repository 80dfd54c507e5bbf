// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$SKIP1:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CHANNEL:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>

// Numerically stable: exp(x - max) / sum(exp(x - max)).
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX_INIT:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.+}} : tensor<2x4xf32>)
// CHECK: %[[MAX:.+]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[MAX_INIT]] : tensor<2x4xf32>) dimensions = [1]
// CHECK: arith.maximumf
// CHECK: %[[EXP:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$SKIP1]], #[[$ID]]]
// CHECK-SAME: ins(%[[X]], %[[MAX]] : tensor<2x3x4xf32>, tensor<2x4xf32>)
// CHECK: %[[SHIFTED:.+]] = arith.subf
// CHECK: math.exp %[[SHIFTED]]
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[EXP]] : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<2x4xf32>) dimensions = [1]
// CHECK: arith.addf
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$SKIP1]], #[[$ID]]]
// CHECK-SAME: ins(%[[EXP]], %[[SUM]] : tensor<2x3x4xf32>, tensor<2x4xf32>)
// CHECK: arith.divf
// CHECK: return %[[R]]
func.func @softmax(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %r = kiln.softmax %x axis = 1 : tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}

// f16: the maximum in f16 (exact), everything after it in f32, one rounding.
// CHECK-LABEL: func.func @softmax_f16
// CHECK-SAME: (%[[X:.+]]: tensor<2x5xf16>)
// CHECK: %[[MAX:.+]] = linalg.reduce ins(%[[X]] : tensor<2x5xf16>) outs(%{{.+}} : tensor<2xf16>) dimensions = [1]
// CHECK: %[[EXP:.+]] = linalg.generic
// CHECK-SAME: ins(%[[X]], %[[MAX]] : tensor<2x5xf16>, tensor<2xf16>) outs(%{{.+}} : tensor<2x5xf32>)
// CHECK: %[[XW:.+]] = arith.extf %{{.+}} : f16 to f32
// CHECK: %[[MW:.+]] = arith.extf %{{.+}} : f16 to f32
// CHECK: %[[D:.+]] = arith.subf %[[XW]], %[[MW]] : f32
// CHECK: math.exp %[[D]] : f32
// CHECK: %[[SUM:.+]] = linalg.reduce ins(%[[EXP]] : tensor<2x5xf32>) outs(%{{.+}} : tensor<2xf32>) dimensions = [1]
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[EXP]], %[[SUM]] : tensor<2x5xf32>, tensor<2xf32>) outs(%{{.+}} : tensor<2x5xf16>)
// CHECK: %[[Q:.+]] = arith.divf %{{.+}}, %{{.+}} : f32
// CHECK: arith.truncf %[[Q]] : f32 to f16
func.func @softmax_f16(%x: tensor<2x5xf16>) -> tensor<2x5xf16> {
  %r = kiln.softmax %x axis = 1 : tensor<2x5xf16>
  return %r : tensor<2x5xf16>
}

// One generic: (x - mean) * (scale / sqrt(var + eps)) + bias.
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x8x4x4xf16>, %[[S:[^:]+]]: tensor<8xf16>, %[[B:[^:]+]]: tensor<8xf16>, %[[M:[^:]+]]: tensor<8xf16>, %[[V:[^:]+]]: tensor<8xf16>)
// CHECK: linalg.generic {indexing_maps = [#[[$ID4]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$ID4]]]
// CHECK-SAME: ins(%[[X]], %[[S]], %[[B]], %[[M]], %[[V]] :
// CHECK: ^bb0(%[[x:.+]]: f16, %[[s:.+]]: f16, %[[b:.+]]: f16, %[[m:.+]]: f16, %[[v:.+]]: f16, %{{.+}}: f16):
// CHECK: %[[EPS:.+]] = arith.constant 1.000400e-03 : f16
// CHECK: %[[VE:.+]] = arith.addf %[[v]], %[[EPS]]
// CHECK: %[[SD:.+]] = math.sqrt %[[VE]]
// CHECK: %[[F:.+]] = arith.divf %[[s]], %[[SD]]
// CHECK: %[[C:.+]] = arith.subf %[[x]], %[[m]]
// CHECK: %[[P:.+]] = arith.mulf %[[C]], %[[F]]
// CHECK: %[[R:.+]] = arith.addf %[[P]], %[[b]]
// CHECK: linalg.yield %[[R]]
func.func @batch_norm(%x: tensor<1x8x4x4xf16>, %s: tensor<8xf16>, %b: tensor<8xf16>, %m: tensor<8xf16>, %v: tensor<8xf16>) -> tensor<1x8x4x4xf16> {
  %r = kiln.batch_norm %x, %s, %b, %m, %v epsilon = 1.0e-03 : tensor<1x8x4x4xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16> -> tensor<1x8x4x4xf16>
  return %r : tensor<1x8x4x4xf16>
}
