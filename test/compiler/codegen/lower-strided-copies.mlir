// RUN: kiln-opt --kiln-lower-strided-copies %s | FileCheck %s

// memref.copy between identity-layout buffers stays (it becomes a memcpy);
// a copy from or to a strided buffer becomes linalg.copy (loops), so
// generated code never calls MLIR's memrefCopy runtime helper.

// CHECK-LABEL: func.func @contiguous
// CHECK-SAME:    (%[[A:.+]]: memref<4x8xf32>, %[[B:.+]]: memref<4x8xf32>, %[[C:.+]]: memref<i64>, %[[D:.+]]: memref<i64>)
// CHECK-NEXT:    memref.copy %[[A]], %[[B]] : memref<4x8xf32> to memref<4x8xf32>
// CHECK-NEXT:    memref.copy %[[C]], %[[D]] : memref<i64> to memref<i64>
// CHECK-NEXT:    return
func.func @contiguous(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<i64>, %d: memref<i64>) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  memref.copy %c, %d : memref<i64> to memref<i64>
  return
}

// CHECK-LABEL: func.func @strided_source
// CHECK-SAME:    (%[[A:.+]]: memref<4x8xf32>, %[[B:.+]]: memref<4x4xf32>)
// CHECK-NEXT:    %[[V:.+]] = memref.subview %[[A]][0, 4] [4, 4] [1, 1]
// CHECK-NEXT:    linalg.copy ins(%[[V]] : memref<4x4xf32, strided<[8, 1], offset: 4>>) outs(%[[B]] : memref<4x4xf32>)
// CHECK-NOT:     memref.copy
// CHECK:         return
func.func @strided_source(%a: memref<4x8xf32>, %b: memref<4x4xf32>) {
  %v = memref.subview %a[0, 4] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1], offset: 4>>
  memref.copy %v, %b : memref<4x4xf32, strided<[8, 1], offset: 4>> to memref<4x4xf32>
  return
}

// CHECK-LABEL: func.func @strided_target
// CHECK-SAME:    (%[[A:.+]]: memref<2xi8>, %[[B:.+]]: memref<4xi8>)
// CHECK-NEXT:    %[[V:.+]] = memref.subview %[[B]][0] [2] [2]
// CHECK-NEXT:    linalg.copy ins(%[[A]] : memref<2xi8>) outs(%[[V]] : memref<2xi8, strided<[2]>>)
// CHECK-NEXT:    return
func.func @strided_target(%a: memref<2xi8>, %b: memref<4xi8>) {
  %v = memref.subview %b[0] [2] [2] : memref<4xi8> to memref<2xi8, strided<[2]>>
  memref.copy %a, %v : memref<2xi8> to memref<2xi8, strided<[2]>>
  return
}

// Copies in nested regions are found too.
// CHECK-LABEL: func.func @nested
// CHECK:         scf.if
// CHECK-NEXT:      memref.subview
// CHECK-NEXT:      linalg.copy ins(%{{.+}} : memref<2xf32, strided<[2]>>) outs(%{{.+}} : memref<2xf32>)
func.func @nested(%a: memref<4xf32>, %b: memref<2xf32>, %cond: i1) {
  scf.if %cond {
    %v = memref.subview %a[0] [2] [2] : memref<4xf32> to memref<2xf32, strided<[2]>>
    memref.copy %v, %b : memref<2xf32, strided<[2]>> to memref<2xf32>
  }
  return
}
