// RUN: kiln-opt --split-input-file --kiln-to-kiln-rt-pipeline=model-name=m %s | FileCheck %s

// --kiln-to-kiln-rt-pipeline (kiln compile --emit=kiln_rt): entry point,
// lowering to linalg, fusion, bufferization into out-parameters (outputs are
// written straight into the caller's buffers) and memory planning.

// A small MLP: relu(x @ w + b) @ w2, relu, @ w3 with constant w2 and w3.
// The two intermediates (2x4xf32 = 32 B -> 64, 2x8xf32 = 64 B) are live at
// the same time (the second product reads one and writes the other): offsets
// 0 and 64, a workspace of 128 bytes. The last product writes the output.
// CHECK-DAG:   memref.global "private" constant @[[W2:.+]] : memref<4x8xf32> = dense<5.000000e-01>
// CHECK-DAG:   memref.global "private" constant @[[W3:.+]] : memref<8x5xf32> = dense<2.500000e-01>
// CHECK:       kiln_rt.entry_point @m(@main) inputs ["x", "w", "b"] outputs ["y"] workspace 128
// CHECK-SAME:    {kiln_rt.element_types = [f32, f32, f32, f32]}
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:[^:]+]]: memref<2x3xf32> {kiln.name = "x"}, %[[W:[^:]+]]: memref<3x4xf32> {kiln.name = "w"}, %[[B:[^:]+]]: memref<4xf32> {kiln.name = "b"},
// CHECK-SAME:     %[[Y:[^:]+]]: memref<2x5xf32> {kiln.name = "y"}, %[[WS:[^:]+]]: memref<128xi8> {kiln.name = "workspace"}) {
// CHECK-NOT:     memref.alloc
// CHECK-DAG:     %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[G3:.+]] = memref.get_global @[[W3]] : memref<8x5xf32>
// CHECK-DAG:     %[[G2:.+]] = memref.get_global @[[W2]] : memref<4x8xf32>
// CHECK:         %[[H1:.+]] = kiln_rt.workspace_view %[[WS]][0] : memref<128xi8> to memref<2x4xf32>
// CHECK-NEXT:    linalg.fill ins(%[[ZERO]] : f32) outs(%[[H1]] : memref<2x4xf32>)
// CHECK-NEXT:    linalg.matmul ins(%[[X]], %[[W]] : memref<2x3xf32>, memref<3x4xf32>) outs(%[[H1]] : memref<2x4xf32>)
// Bias and relu fused into one in-place loop nest.
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[H1]], %[[B]] : memref<2x4xf32>, memref<4xf32>) outs(%[[H1]] : memref<2x4xf32>)
// CHECK:           arith.addf
// CHECK-NEXT:      arith.maximumf
// CHECK:         %[[H2:.+]] = kiln_rt.workspace_view %[[WS]][64] : memref<128xi8> to memref<2x8xf32>
// CHECK-NEXT:    linalg.fill ins(%[[ZERO]] : f32) outs(%[[H2]] : memref<2x8xf32>)
// CHECK-NEXT:    linalg.matmul ins(%[[H1]], %[[G2]] : memref<2x4xf32>, memref<4x8xf32>) outs(%[[H2]] : memref<2x8xf32>)
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[H2]] : memref<2x8xf32>) outs(%[[H2]] : memref<2x8xf32>)
// CHECK:         linalg.fill ins(%[[ZERO]] : f32) outs(%[[Y]] : memref<2x5xf32>)
// CHECK-NEXT:    linalg.matmul ins(%[[H2]], %[[G3]] : memref<2x8xf32>, memref<8x5xf32>) outs(%[[Y]] : memref<2x5xf32>)
// CHECK-NEXT:    return{{$}}
func.func @main(%x: tensor<2x3xf32> {kiln.name = "x"}, %w: tensor<3x4xf32> {kiln.name = "w"},
                %b: tensor<4xf32> {kiln.name = "b"}) -> (tensor<2x5xf32> {kiln.name = "y"}) {
  %0 = kiln.matmul %x, %w : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  %1 = kiln.add %0, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  %2 = kiln.relu %1 : tensor<2x4xf32>
  %w2 = kiln.constant dense<0.5> : tensor<4x8xf32>
  %3 = kiln.matmul %2, %w2 : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x8xf32>
  %4 = kiln.relu %3 : tensor<2x8xf32>
  %w3 = kiln.constant dense<0.25> : tensor<8x5xf32>
  %5 = kiln.matmul %4, %w3 : tensor<2x8xf32>, tensor<8x5xf32> -> tensor<2x5xf32>
  return %5 : tensor<2x5xf32>
}

// -----

// Unsigned and boolean tensors: the buffers become signless (ui8 -> i8), the
// entry point keeps the original element types. Both outputs are written in
// place, the second computed from the first; nothing needs a workspace.
// CHECK:       kiln_rt.entry_point @m(@main) inputs ["pixels"] outputs ["scaled", "nonzero"] workspace 0
// CHECK-SAME:    {kiln_rt.element_types = [ui8, f32, i1]}
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[P:[^:]+]]: memref<4xi8> {kiln.name = "pixels"}, %[[S:[^:]+]]: memref<4xf32> {kiln.name = "scaled"}, %[[NZ:[^:]+]]: memref<4xi1> {kiln.name = "nonzero"}) {
// CHECK:         linalg.generic {{.*}} ins(%[[P]] : memref<4xi8>) outs(%[[S]] : memref<4xf32>)
// CHECK:           arith.uitofp
// CHECK:         linalg.generic {{.*}} ins(%[[S]] : memref<4xf32>) outs(%[[NZ]] : memref<4xi1>)
// CHECK:           arith.cmpf une
// CHECK-NOT:     memref.alloc
// CHECK:         return{{$}}
func.func @main(%u: tensor<4xui8> {kiln.name = "pixels"})
    -> (tensor<4xf32> {kiln.name = "scaled"}, tensor<4xi1> {kiln.name = "nonzero"}) {
  %f = kiln.cast %u : tensor<4xui8> to tensor<4xf32>
  %b = kiln.cast %f : tensor<4xf32> to tensor<4xi1>
  return %f, %b : tensor<4xf32>, tensor<4xi1>
}

// -----

// Outputs that are not fresh buffers of their own: the same tensor twice and
// a constant. The first copy of relu(x) is computed in place, the second and
// the constant are copied into their out-parameters; unnamed tensors are
// input<i>/output<i>.
// CHECK:       memref.global "private" constant @[[C:.+]] : memref<2xi64> = dense<[3, 4]>
// CHECK:       kiln_rt.entry_point @m(@main) inputs ["input0"] outputs ["output0", "output1", "output2"] workspace 0
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:[^:]+]]: memref<2x2xf32>, %[[O0:[^:]+]]: memref<2x2xf32>, %[[O1:[^:]+]]: memref<2x2xf32>, %[[O2:[^:]+]]: memref<2xi64>) {
// CHECK:         %[[G:.+]] = memref.get_global @[[C]] : memref<2xi64>
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[X]] : memref<2x2xf32>) outs(%[[O0]] : memref<2x2xf32>)
// CHECK:         memref.copy %[[O0]], %[[O1]] : memref<2x2xf32> to memref<2x2xf32>
// CHECK-NEXT:    memref.copy %[[G]], %[[O2]] : memref<2xi64> to memref<2xi64>
// CHECK-NEXT:    return{{$}}
func.func @main(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xi64>) {
  %r = kiln.relu %x : tensor<2x2xf32>
  %c = kiln.constant dense<[3, 4]> : tensor<2xi64>
  return %r, %r, %c : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xi64>
}

// -----

// Identity: the input is copied into the output.
// CHECK:       kiln_rt.entry_point @m(@main) inputs ["input0"] outputs ["output0"] workspace 0
// CHECK-LABEL: func.func @main
// CHECK-SAME:    (%[[X:[^:]+]]: memref<2x2xf32>, %[[Y:[^:]+]]: memref<2x2xf32>) {
// CHECK-NEXT:    memref.copy %[[X]], %[[Y]] : memref<2x2xf32> to memref<2x2xf32>
// CHECK-NEXT:    return{{$}}
func.func @main(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  return %x : tensor<2x2xf32>
}
