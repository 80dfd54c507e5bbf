// RUN: kiln-opt --allow-unregistered-dialect --kiln-flatten-empty-buffers %s | FileCheck %s

// A memref with a zero-size dimension inside it has dynamic outer strides
// (memref<2x0x4xf32> is strided<[?, 4, 1]>), which the bare-pointer calling
// convention rejects: convert-func-to-llvm would leave the function
// unconverted and fail at its caller. Such arguments and results cross
// function boundaries as memref<0xT> instead, cast back with
// memref.reinterpret_cast (strides: row-major with zero sizes counted as 1).
// Empty buffers whose strides are all static (memref<0x3xf32>) and non-empty
// ones are left alone. test/compiler/pipelines/empty-buffers.mlir runs the
// whole CPU pipeline on such a model.

// CHECK-LABEL: func.func private @model
// CHECK-SAME:    (%[[X:.+]]: memref<0xf32> {kiln.name = "x"}, %[[Y:.+]]: memref<2x1x4xf32>, %[[E:.+]]: memref<0x3xf32>, %[[O:.+]]: memref<0xi8>)
// CHECK-NEXT:    %[[XV:.+]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [2, 0, 4], strides: [4, 4, 1] : memref<0xf32> to memref<2x0x4xf32>
// CHECK-NEXT:    %[[OV:.+]] = memref.reinterpret_cast %[[O]] to offset: [0], sizes: [3, 2, 0], strides: [2, 1, 1] : memref<0xi8> to memref<3x2x0xi8>
// CHECK-NEXT:    "test.use"(%[[XV]], %[[Y]], %[[E]], %[[OV]])
// CHECK-NEXT:    return
func.func private @model(%x: memref<2x0x4xf32> {kiln.name = "x"}, %y: memref<2x1x4xf32>, %e: memref<0x3xf32>, %o: memref<3x2x0xi8>) {
  "test.use"(%x, %y, %e, %o) : (memref<2x0x4xf32>, memref<2x1x4xf32>, memref<0x3xf32>, memref<3x2x0xi8>) -> ()
  return
}

// Callers pass a memref<0xT> view of the buffer.
// CHECK-LABEL: func.func @caller
// CHECK-SAME:    (%[[X:.+]]: memref<0xf32>, %[[Y:.+]]: memref<2x1x4xf32>, %[[E:.+]]: memref<0x3xf32>, %[[O:.+]]: memref<0xi8>)
// CHECK-NEXT:    %[[XV:.+]] = memref.reinterpret_cast %[[X]] {{.*}} : memref<0xf32> to memref<2x0x4xf32>
// CHECK-NEXT:    %[[OV:.+]] = memref.reinterpret_cast %[[O]] {{.*}} : memref<0xi8> to memref<3x2x0xi8>
// CHECK-NEXT:    %[[XF:.+]] = memref.reinterpret_cast %[[XV]] to offset: [0], sizes: [0], strides: [1] : memref<2x0x4xf32> to memref<0xf32>
// CHECK-NEXT:    %[[OF:.+]] = memref.reinterpret_cast %[[OV]] to offset: [0], sizes: [0], strides: [1] : memref<3x2x0xi8> to memref<0xi8>
// CHECK-NEXT:    call @model(%[[XF]], %[[Y]], %[[E]], %[[OF]]) : (memref<0xf32>, memref<2x1x4xf32>, memref<0x3xf32>, memref<0xi8>) -> ()
func.func @caller(%x: memref<2x0x4xf32>, %y: memref<2x1x4xf32>, %e: memref<0x3xf32>, %o: memref<3x2x0xi8>) {
  call @model(%x, %y, %e, %o) : (memref<2x0x4xf32>, memref<2x1x4xf32>, memref<0x3xf32>, memref<3x2x0xi8>) -> ()
  return
}

// Results too, and declarations only change their type. A layout with a
// static stride keeps it.
// CHECK-LABEL: func.func private @external(memref<0xf32>) -> memref<0xf32>
func.func private @external(memref<5x0x2xf32>) -> memref<5x0x2xf32>

// CHECK-LABEL: func.func @results
// CHECK-SAME:    (%[[A:.+]]: memref<0xf32>) -> memref<0xf32>
// CHECK-NEXT:    %[[AV:.+]] = memref.reinterpret_cast %[[A]] to offset: [0], sizes: [5, 0, 2], strides: [7, 2, 1] : memref<0xf32> to memref<5x0x2xf32, strided<[7, ?, 1]>>
// CHECK-NEXT:    %[[C:.+]] = memref.alloc() : memref<5x0x2xf32>
// CHECK-NEXT:    memref.copy %[[AV]], %[[C]]
// CHECK-NEXT:    %[[CF:.+]] = memref.reinterpret_cast %[[C]] to offset: [0], sizes: [0], strides: [1] : memref<5x0x2xf32> to memref<0xf32>
// CHECK-NEXT:    %[[R:.+]] = call @external(%[[CF]]) : (memref<0xf32>) -> memref<0xf32>
// CHECK-NEXT:    %[[RV:.+]] = memref.reinterpret_cast %[[R]] to offset: [0], sizes: [5, 0, 2], strides: [2, 2, 1] : memref<0xf32> to memref<5x0x2xf32>
// CHECK-NEXT:    %[[RF:.+]] = memref.reinterpret_cast %[[RV]] to offset: [0], sizes: [0], strides: [1] : memref<5x0x2xf32> to memref<0xf32>
// CHECK-NEXT:    return %[[RF]] : memref<0xf32>
func.func @results(%a: memref<5x0x2xf32, strided<[7, ?, 1]>>) -> memref<5x0x2xf32> {
  %c = memref.alloc() : memref<5x0x2xf32>
  memref.copy %a, %c : memref<5x0x2xf32, strided<[7, ?, 1]>> to memref<5x0x2xf32>
  %r = call @external(%c) : (memref<5x0x2xf32>) -> memref<5x0x2xf32>
  return %r : memref<5x0x2xf32>
}
