// RUN: kiln-opt --kiln-copy-returned-buffers %s | FileCheck %s

// Every returned static, identity-layout buffer that is not a distinct
// memref.alloc of its own (an argument, a global, a view, an allocation
// returned a second time) is copied into a fresh allocation right before the
// return.

memref.global "private" constant @weights : memref<2xf32> = dense<[1.0, 2.0]>

// A returned argument (an Identity model).
// CHECK-LABEL: func.func @identity
// CHECK-SAME:    (%[[X:.+]]: memref<4xf32>) -> memref<4xf32> {
// CHECK-NEXT:    %[[COPY:.+]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    memref.copy %[[X]], %[[COPY]] : memref<4xf32> to memref<4xf32>
// CHECK-NEXT:    return %[[COPY]] : memref<4xf32>
func.func @identity(%x: memref<4xf32>) -> memref<4xf32> {
  return %x : memref<4xf32>
}

// A constant output.
// CHECK-LABEL: func.func @constant
// CHECK-NEXT:    %[[G:.+]] = memref.get_global @weights : memref<2xf32>
// CHECK-NEXT:    %[[COPY:.+]] = memref.alloc() : memref<2xf32>
// CHECK-NEXT:    memref.copy %[[G]], %[[COPY]] : memref<2xf32> to memref<2xf32>
// CHECK-NEXT:    return %[[COPY]] : memref<2xf32>
func.func @constant() -> memref<2xf32> {
  %0 = memref.get_global @weights : memref<2xf32>
  return %0 : memref<2xf32>
}

// The model's own allocations are returned as they are.
// CHECK-LABEL: func.func @own
// CHECK-SAME:    (%[[X:.+]]: memref<4xf32>) -> (memref<4xf32>, memref<3xi64>) {
// CHECK-NEXT:    %[[A:.+]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    memref.copy %[[X]], %[[A]]
// CHECK-NEXT:    %[[B:.+]] = memref.alloc() {alignment = 64 : i64} : memref<3xi64>
// CHECK-NEXT:    return %[[A]], %[[B]] : memref<4xf32>, memref<3xi64>
func.func @own(%x: memref<4xf32>) -> (memref<4xf32>, memref<3xi64>) {
  %a = memref.alloc() : memref<4xf32>
  memref.copy %x, %a : memref<4xf32> to memref<4xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<3xi64>
  return %a, %b : memref<4xf32>, memref<3xi64>
}

// The same allocation returned twice: the second result gets a copy.
// CHECK-LABEL: func.func @twice
// CHECK-NEXT:    %[[A:.+]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    %[[COPY:.+]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    memref.copy %[[A]], %[[COPY]] : memref<4xf32> to memref<4xf32>
// CHECK-NEXT:    return %[[A]], %[[COPY]] : memref<4xf32>, memref<4xf32>
func.func @twice() -> (memref<4xf32>, memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  return %a, %a : memref<4xf32>, memref<4xf32>
}

// A view of an allocation returned with it: the view gets a copy.
// CHECK-LABEL: func.func @view
// CHECK-NEXT:    %[[A:.+]] = memref.alloc() : memref<2x4xf32>
// CHECK-NEXT:    %[[V:.+]] = memref.collapse_shape %[[A]] {{\[\[}}0, 1]] : memref<2x4xf32> into memref<8xf32>
// CHECK-NEXT:    %[[COPY:.+]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT:    memref.copy %[[V]], %[[COPY]] : memref<8xf32> to memref<8xf32>
// CHECK-NEXT:    return %[[A]], %[[COPY]] : memref<2x4xf32>, memref<8xf32>
func.func @view() -> (memref<2x4xf32>, memref<8xf32>) {
  %a = memref.alloc() : memref<2x4xf32>
  %v = memref.collapse_shape %a [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  return %a, %v : memref<2x4xf32>, memref<8xf32>
}

// A result with a strided layout cannot take an identity-layout copy without
// changing the function's type: it is left alone (buffer-results-to-out-params
// then reports the unsupported layout).
// CHECK-LABEL: func.func @strided
// CHECK-NEXT:    %[[A:.+]] = memref.alloc() : memref<2x4xf32>
// CHECK-NEXT:    %[[V:.+]] = memref.subview %[[A]][0, 2] [2, 2] [1, 1]
// CHECK-NEXT:    return %[[V]] : memref<2x2xf32, strided<[4, 1], offset: 2>>
func.func @strided() -> memref<2x2xf32, strided<[4, 1], offset: 2>> {
  %a = memref.alloc() : memref<2x4xf32>
  %v = memref.subview %a[0, 2] [2, 2] [1, 1] : memref<2x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 2>>
  return %v : memref<2x2xf32, strided<[4, 1], offset: 2>>
}

// Dynamic shapes and non-buffer results are left alone.
// CHECK-LABEL: func.func @left_alone
// CHECK-SAME:    (%[[D:.+]]: memref<?xf32>, %[[I:.+]]: i32)
// CHECK-NEXT:    return %[[D]], %[[I]] : memref<?xf32>, i32
func.func @left_alone(%d: memref<?xf32>, %i: i32) -> (memref<?xf32>, i32) {
  return %d, %i : memref<?xf32>, i32
}
