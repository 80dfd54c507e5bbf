// RUN: kiln-opt --split-input-file --kiln-cpu-use-microkernels --canonicalize --cse %s | FileCheck %s
// RUN: kiln-opt --split-input-file --kiln-cpu-use-microkernels %s | FileCheck %s --check-prefix=RAW

// kiln-cpu-use-microkernels turns f32 linalg.matmul / batch_matmul on
// row-contiguous buffers into calls to
//   kiln_cpu_sgemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta,
//                  c, ldc)
// with addresses computed from the buffers' aligned pointers plus their
// offsets (4 bytes per element). The checks run after canonicalize + cse,
// which fold those address computations to one constant byte offset; the RAW
// run checks the call as the pass builds it.

// A zero fill right before the product becomes beta = 0 and disappears.
// m = 2, n = 5, k = 3; dense operands: lda = 3, ldb = 5, ldc = 5.
// CHECK-LABEL: func.func @matmul_zero_fill
// CHECK-SAME:    (%[[A:.+]]: memref<2x3xf32>, %[[B:.+]]: memref<3x5xf32>, %[[C:.+]]: memref<2x5xf32>)
// CHECK-DAG:     %[[BETA:.+]] = llvm.mlir.constant(0.000000e+00 : f32) : f32
// CHECK-DAG:     %[[ALPHA:.+]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK-DAG:     %[[NO:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[M:.+]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG:     %[[N:.+]] = llvm.mlir.constant(5 : i64) : i64
// CHECK-DAG:     %[[K:.+]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-DAG:     %[[PA:.+]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK-DAG:     %[[IA:.+]] = arith.index_cast %[[PA]] : index to i64
// CHECK-DAG:     %[[PTRA:.+]] = llvm.inttoptr %[[IA]] : i64 to !llvm.ptr
// CHECK-DAG:     %[[PB:.+]] = memref.extract_aligned_pointer_as_index %[[B]]
// CHECK-DAG:     %[[IB:.+]] = arith.index_cast %[[PB]] : index to i64
// CHECK-DAG:     %[[PTRB:.+]] = llvm.inttoptr %[[IB]] : i64 to !llvm.ptr
// CHECK-DAG:     %[[PC:.+]] = memref.extract_aligned_pointer_as_index %[[C]]
// CHECK-DAG:     %[[IC:.+]] = arith.index_cast %[[PC]] : index to i64
// CHECK-DAG:     %[[PTRC:.+]] = llvm.inttoptr %[[IC]] : i64 to !llvm.ptr
// CHECK:         llvm.call @kiln_cpu_sgemm(%[[NO]], %[[NO]], %[[M]], %[[N]], %[[K]], %[[ALPHA]], %[[PTRA]], %[[K]], %[[PTRB]], %[[N]], %[[BETA]], %[[PTRC]], %[[N]])
// CHECK-NOT:     linalg.
// CHECK:         return
// CHECK:       llvm.func @kiln_cpu_sgemm(i32, i32, i64, i64, i64, f32, !llvm.ptr, i64, !llvm.ptr, i64, f32, !llvm.ptr, i64)

// The constants in argument order, before any folding.
// RAW-LABEL:   func.func @matmul_zero_fill
// RAW:           %[[TA:.+]] = llvm.mlir.constant(0 : i32) : i32
// RAW-NEXT:      %[[TB:.+]] = llvm.mlir.constant(0 : i32) : i32
// RAW-NEXT:      %[[M:.+]] = llvm.mlir.constant(2 : i64) : i64
// RAW-NEXT:      %[[N:.+]] = llvm.mlir.constant(5 : i64) : i64
// RAW-NEXT:      %[[K:.+]] = llvm.mlir.constant(3 : i64) : i64
// RAW-NEXT:      %[[ALPHA:.+]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// RAW:           %[[PA:.+]] = llvm.inttoptr %{{.+}} : i64 to !llvm.ptr
// RAW-NEXT:      %[[LDA:.+]] = llvm.mlir.constant(3 : i64) : i64
// RAW:           %[[PB:.+]] = llvm.inttoptr %{{.+}} : i64 to !llvm.ptr
// RAW-NEXT:      %[[LDB:.+]] = llvm.mlir.constant(5 : i64) : i64
// RAW-NEXT:      %[[BETA:.+]] = llvm.mlir.constant(0.000000e+00 : f32) : f32
// RAW:           %[[PC:.+]] = llvm.inttoptr %{{.+}} : i64 to !llvm.ptr
// RAW-NEXT:      %[[LDC:.+]] = llvm.mlir.constant(5 : i64) : i64
// RAW-NEXT:      llvm.call @kiln_cpu_sgemm(%[[TA]], %[[TB]], %[[M]], %[[N]], %[[K]], %[[ALPHA]], %[[PA]], %[[LDA]], %[[PB]], %[[LDB]], %[[BETA]], %[[PC]], %[[LDC]]) : (i32, i32, i64, i64, i64, f32, !llvm.ptr, i64, !llvm.ptr, i64, f32, !llvm.ptr, i64) -> ()
// RAW-NOT:       linalg.fill
// RAW:           return
func.func @matmul_zero_fill(%a: memref<2x3xf32>, %b: memref<3x5xf32>, %c: memref<2x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<2x5xf32>)
  linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x5xf32>) outs(%c : memref<2x5xf32>)
  return
}

// -----

// Without a zero fill right before, the product accumulates: beta = 1. Rows
// of subviews are `ld` floats apart, and the subviews' offsets become byte
// offsets: a[0, 1] of 2x7 -> 4 B, b[0, 4] of 3x9 -> 16 B, c[2, 6] of 4x11 ->
// (2 * 11 + 6) * 4 = 112 B. m = 2, n = 5, k = 3, lda = 7, ldb = 9, ldc = 11.
// A fill of another value, or separated from the product, stays.
// CHECK-LABEL: func.func @matmul_subviews
// CHECK-SAME:    (%[[A:.+]]: memref<2x7xf32>, %[[B:.+]]: memref<3x9xf32>, %[[C:.+]]: memref<4x11xf32>, %[[D:.+]]: memref<2x5xf32>)
// CHECK-DAG:     %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG:     %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG:     %[[C112:.+]] = arith.constant 112 : index
// CHECK-DAG:     %[[ONE:.+]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK-DAG:     %[[NO:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[M:.+]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG:     %[[N:.+]] = llvm.mlir.constant(5 : i64) : i64
// CHECK-DAG:     %[[K:.+]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-DAG:     %[[LDA:.+]] = llvm.mlir.constant(7 : i64) : i64
// CHECK-DAG:     %[[LDB:.+]] = llvm.mlir.constant(9 : i64) : i64
// CHECK-DAG:     %[[LDC:.+]] = llvm.mlir.constant(11 : i64) : i64
// CHECK:         linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : memref<2x5xf32, strided<[11, 1], offset: 28>>)
// CHECK:         %[[PA:.+]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK-NEXT:    %[[SA:.+]] = arith.addi %[[PA]], %[[C4]] : index
// CHECK-NEXT:    %[[IA:.+]] = arith.index_cast %[[SA]] : index to i64
// CHECK-NEXT:    %[[PTRA:.+]] = llvm.inttoptr %[[IA]] : i64 to !llvm.ptr
// CHECK-NEXT:    %[[PB:.+]] = memref.extract_aligned_pointer_as_index %[[B]]
// CHECK-NEXT:    %[[SB:.+]] = arith.addi %[[PB]], %[[C16]] : index
// CHECK-NEXT:    %[[IB:.+]] = arith.index_cast %[[SB]] : index to i64
// CHECK-NEXT:    %[[PTRB:.+]] = llvm.inttoptr %[[IB]] : i64 to !llvm.ptr
// CHECK-NEXT:    %[[PC:.+]] = memref.extract_aligned_pointer_as_index %[[C]]
// CHECK-NEXT:    %[[SC:.+]] = arith.addi %[[PC]], %[[C112]] : index
// CHECK-NEXT:    %[[IC:.+]] = arith.index_cast %[[SC]] : index to i64
// CHECK-NEXT:    %[[PTRC:.+]] = llvm.inttoptr %[[IC]] : i64 to !llvm.ptr
// CHECK-NEXT:    llvm.call @kiln_cpu_sgemm(%[[NO]], %[[NO]], %[[M]], %[[N]], %[[K]], %[[ONE]], %[[PTRA]], %[[LDA]], %[[PTRB]], %[[LDB]], %[[ONE]], %[[PTRC]], %[[LDC]])
// The second product: a zero fill, but of another buffer.
// CHECK:         linalg.fill ins(%{{.+}} : f32) outs(%[[D]] : memref<2x5xf32>)
// CHECK:         llvm.call @kiln_cpu_sgemm(%[[NO]], %[[NO]], %[[M]], %[[N]], %[[K]], %[[ONE]], %{{.+}}, %[[LDA]], %{{.+}}, %[[LDB]], %[[ONE]], %{{.+}}, %[[LDC]])
// CHECK-NOT:     linalg.matmul
// CHECK:         return
func.func @matmul_subviews(%a0: memref<2x7xf32>, %b0: memref<3x9xf32>, %c0: memref<4x11xf32>, %d: memref<2x5xf32>) {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %a = memref.subview %a0[0, 1] [2, 3] [1, 1] : memref<2x7xf32> to memref<2x3xf32, strided<[7, 1], offset: 1>>
  %b = memref.subview %b0[0, 4] [3, 5] [1, 1] : memref<3x9xf32> to memref<3x5xf32, strided<[9, 1], offset: 4>>
  %c = memref.subview %c0[2, 6] [2, 5] [1, 1] : memref<4x11xf32> to memref<2x5xf32, strided<[11, 1], offset: 28>>
  linalg.fill ins(%one : f32) outs(%c : memref<2x5xf32, strided<[11, 1], offset: 28>>)
  linalg.matmul ins(%a, %b : memref<2x3xf32, strided<[7, 1], offset: 1>>, memref<3x5xf32, strided<[9, 1], offset: 4>>)
                outs(%c : memref<2x5xf32, strided<[11, 1], offset: 28>>)
  linalg.fill ins(%zero : f32) outs(%d : memref<2x5xf32>)
  linalg.matmul ins(%a, %b : memref<2x3xf32, strided<[7, 1], offset: 1>>, memref<3x5xf32, strided<[9, 1], offset: 4>>)
                outs(%c : memref<2x5xf32, strided<[11, 1], offset: 28>>)
  return
}

// -----

// batch_matmul: one call per batch in an scf.for, each operand advanced by
// its batch stride: a 2 * 4 = 8 floats (32 B), b 4 * 5 = 20 (80 B), c 2 * 5 =
// 10 (40 B). m = 2, n = 5, k = 4, lda = 4, ldb = ldc = 5; beta = 0.
// CHECK-LABEL: func.func @batch_matmul
// CHECK-SAME:    (%[[A:.+]]: memref<3x2x4xf32>, %[[B:.+]]: memref<3x4x5xf32>, %[[C:.+]]: memref<3x2x5xf32>)
// CHECK-DAG:     %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG:     %[[C80:.+]] = arith.constant 80 : index
// CHECK-DAG:     %[[C40:.+]] = arith.constant 40 : index
// CHECK-DAG:     %[[BETA:.+]] = llvm.mlir.constant(0.000000e+00 : f32) : f32
// CHECK-DAG:     %[[ALPHA:.+]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK-DAG:     %[[NO:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG:     %[[M:.+]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG:     %[[N:.+]] = llvm.mlir.constant(5 : i64) : i64
// CHECK-DAG:     %[[K:.+]] = llvm.mlir.constant(4 : i64) : i64
// CHECK-DAG:     %[[ZERO:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[THREE:.+]] = arith.constant 3 : index
// CHECK-DAG:     %[[STEP:.+]] = arith.constant 1 : index
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for %[[I:.+]] = %[[ZERO]] to %[[THREE]] step %[[STEP]] {
// CHECK-NEXT:      %[[PA:.+]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK-NEXT:      %[[OA:.+]] = arith.muli %[[I]], %[[C32]] : index
// CHECK-NEXT:      %[[SA:.+]] = arith.addi %[[PA]], %[[OA]] : index
// CHECK-NEXT:      %[[IA:.+]] = arith.index_cast %[[SA]] : index to i64
// CHECK-NEXT:      %[[PTRA:.+]] = llvm.inttoptr %[[IA]] : i64 to !llvm.ptr
// CHECK-NEXT:      %[[PB:.+]] = memref.extract_aligned_pointer_as_index %[[B]]
// CHECK-NEXT:      %[[OB:.+]] = arith.muli %[[I]], %[[C80]] : index
// CHECK-NEXT:      %[[SB:.+]] = arith.addi %[[PB]], %[[OB]] : index
// CHECK-NEXT:      %[[IB:.+]] = arith.index_cast %[[SB]] : index to i64
// CHECK-NEXT:      %[[PTRB:.+]] = llvm.inttoptr %[[IB]] : i64 to !llvm.ptr
// CHECK-NEXT:      %[[PC:.+]] = memref.extract_aligned_pointer_as_index %[[C]]
// CHECK-NEXT:      %[[OC:.+]] = arith.muli %[[I]], %[[C40]] : index
// CHECK-NEXT:      %[[SC:.+]] = arith.addi %[[PC]], %[[OC]] : index
// CHECK-NEXT:      %[[IC:.+]] = arith.index_cast %[[SC]] : index to i64
// CHECK-NEXT:      %[[PTRC:.+]] = llvm.inttoptr %[[IC]] : i64 to !llvm.ptr
// CHECK-NEXT:      llvm.call @kiln_cpu_sgemm(%[[NO]], %[[NO]], %[[M]], %[[N]], %[[K]], %[[ALPHA]], %[[PTRA]], %[[K]], %[[PTRB]], %[[N]], %[[BETA]], %[[PTRC]], %[[N]])
// CHECK-NEXT:    }
// CHECK-NEXT:    return
func.func @batch_matmul(%a: memref<3x2x4xf32>, %b: memref<3x4x5xf32>, %c: memref<3x2x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<3x2x5xf32>)
  linalg.batch_matmul ins(%a, %b : memref<3x2x4xf32>, memref<3x4x5xf32>) outs(%c : memref<3x2x5xf32>)
  return
}

// -----

// Operands in the workspace: the address is the workspace's pointer plus the
// view's byte offset plus the subview's offset (b: 128 + 5 * 4 = 148 B).
// m = 2, n = 5, k = 2; lda = 2, ldb = ldc = 5.
// CHECK-LABEL: func.func @workspace_operands
// CHECK-SAME:    (%[[Y:.+]]: memref<2x5xf32>, %[[WS:.+]]: memref<256xi8>)
// CHECK-DAG:     %[[C148:.+]] = arith.constant 148 : index
// CHECK-DAG:     %[[ONE:.+]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK-DAG:     %[[N:.+]] = llvm.mlir.constant(5 : i64) : i64
// CHECK-DAG:     %[[TWO:.+]] = llvm.mlir.constant(2 : i64) : i64
// CHECK-DAG:     %[[NO:.+]] = llvm.mlir.constant(0 : i32) : i32
// CHECK:         %[[PW:.+]] = memref.extract_aligned_pointer_as_index %[[WS]] : memref<256xi8> -> index
// CHECK-NEXT:    %[[IA:.+]] = arith.index_cast %[[PW]] : index to i64
// CHECK-NEXT:    %[[PTRA:.+]] = llvm.inttoptr %[[IA]] : i64 to !llvm.ptr
// CHECK-NEXT:    %[[SB:.+]] = arith.addi %[[PW]], %[[C148]] : index
// CHECK-NEXT:    %[[IB:.+]] = arith.index_cast %[[SB]] : index to i64
// CHECK-NEXT:    %[[PTRB:.+]] = llvm.inttoptr %[[IB]] : i64 to !llvm.ptr
// CHECK-NEXT:    %[[PY:.+]] = memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK-NEXT:    %[[IY:.+]] = arith.index_cast %[[PY]] : index to i64
// CHECK-NEXT:    %[[PTRY:.+]] = llvm.inttoptr %[[IY]] : i64 to !llvm.ptr
// CHECK-NEXT:    llvm.call @kiln_cpu_sgemm(%[[NO]], %[[NO]], %[[TWO]], %[[N]], %[[TWO]], %[[ONE]], %[[PTRA]], %[[TWO]], %[[PTRB]], %[[N]], %[[ONE]], %[[PTRY]], %[[N]])

// RAW-LABEL:   func.func @workspace_operands
// RAW-SAME:      (%[[Y:.+]]: memref<2x5xf32>, %[[WS:.+]]: memref<256xi8>)
// RAW:           memref.extract_strided_metadata
// RAW-NEXT:      %[[PW:.+]] = memref.extract_aligned_pointer_as_index %[[WS]] : memref<256xi8> -> index
// RAW-NEXT:      %[[OFF:.+]] = arith.constant 0 : index
// RAW-NEXT:      arith.addi %[[PW]], %[[OFF]] : index
// RAW:           memref.extract_strided_metadata
// RAW-NEXT:      %[[PW2:.+]] = memref.extract_aligned_pointer_as_index %[[WS]] : memref<256xi8> -> index
// RAW-NEXT:      %[[OFF2:.+]] = arith.constant 128 : index
// RAW-NEXT:      arith.addi %[[PW2]], %[[OFF2]] : index
func.func @workspace_operands(%y: memref<2x5xf32>, %ws: memref<256xi8>) {
  %b = kiln_rt.workspace_view %ws[128] : memref<256xi8> to memref<3x5xf32>
  %bs = memref.subview %b[1, 0] [2, 5] [1, 1] : memref<3x5xf32> to memref<2x5xf32, strided<[5, 1], offset: 5>>
  %a = kiln_rt.workspace_view %ws[0] : memref<256xi8> to memref<2x2xf32>
  linalg.matmul ins(%a, %bs : memref<2x2xf32>, memref<2x5xf32, strided<[5, 1], offset: 5>>) outs(%y : memref<2x5xf32>)
  return
}

// -----

// memref.view operands: the byte shift counts as well (64 and 128 B).
// CHECK-LABEL: func.func @view_operands
// CHECK-SAME:    (%[[Y:.+]]: memref<2x2xf32>, %[[WS:.+]]: memref<256xi8>)
// CHECK-DAG:     %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG:     %[[C128:.+]] = arith.constant 128 : index
// CHECK:         %[[PW:.+]] = memref.extract_aligned_pointer_as_index %[[WS]] : memref<256xi8> -> index
// CHECK-NEXT:    %[[SA:.+]] = arith.addi %[[PW]], %[[C64]] : index
// CHECK-NEXT:    %[[IA:.+]] = arith.index_cast %[[SA]] : index to i64
// CHECK-NEXT:    %[[PTRA:.+]] = llvm.inttoptr %[[IA]] : i64 to !llvm.ptr
// CHECK-NEXT:    %[[SB:.+]] = arith.addi %[[PW]], %[[C128]] : index
// CHECK-NEXT:    %[[IB:.+]] = arith.index_cast %[[SB]] : index to i64
// CHECK-NEXT:    %[[PTRB:.+]] = llvm.inttoptr %[[IB]] : i64 to !llvm.ptr
// CHECK:         llvm.call @kiln_cpu_sgemm(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[PTRA]], %{{.+}}, %[[PTRB]], %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}})
func.func @view_operands(%y: memref<2x2xf32>, %ws: memref<256xi8>) {
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %a = memref.view %ws[%c64][] : memref<256xi8> to memref<2x2xf32>
  %b = memref.view %ws[%c128][] : memref<256xi8> to memref<2x2xf32>
  linalg.matmul ins(%a, %b : memref<2x2xf32>, memref<2x2xf32>) outs(%y : memref<2x2xf32>)
  return
}

// -----

// Left for the generic lowering: other element types, mixed types, columns
// that are not contiguous (a transposed view), rows that overlap, dynamic
// shapes, tensors. Their zero fills stay too.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     llvm.call
// CHECK:         linalg.fill
// CHECK-NEXT:    linalg.matmul ins(%{{.+}}, %{{.+}} : memref<2x2xf16>, memref<2x2xf16>) outs(%{{.+}} : memref<2x2xf16>)
// CHECK-NEXT:    linalg.matmul ins(%{{.+}}, %{{.+}} : memref<2x2xi32>, memref<2x2xi32>) outs(%{{.+}} : memref<2x2xi32>)
// CHECK-NEXT:    linalg.matmul ins(%{{.+}}, %{{.+}} : memref<2x2xf16>, memref<2x2xf16>) outs(%{{.+}} : memref<2x2xf32>)
// CHECK-NEXT:    linalg.batch_matmul ins(%{{.+}}, %{{.+}} : memref<2x2x2xf64>, memref<2x2x2xf64>) outs(%{{.+}} : memref<2x2x2xf64>)
// CHECK-NEXT:    memref.transpose
// CHECK-NEXT:    linalg.matmul ins(%{{.+}}, %{{.+}} : memref<3x2xf32, strided<[1, 3]>>, memref<2x2xf32>) outs(%{{.+}} : memref<3x2xf32>)
// CHECK-NEXT:    memref.reinterpret_cast
// CHECK-NEXT:    linalg.matmul ins(%{{.+}}, %{{.+}} : memref<2x3xf32, strided<[2, 1]>>, memref<3x2xf32>) outs(%{{.+}} : memref<2x2xf32>)
// CHECK-NEXT:    linalg.matmul ins(%{{.+}}, %{{.+}} : memref<?x2xf32>, memref<2x2xf32>) outs(%{{.+}} : memref<?x2xf32>)
// CHECK-NEXT:    linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<2x2xf32>, tensor<2x2xf32>) outs(%{{.+}} : tensor<2x2xf32>)
// CHECK-NOT:     llvm.call
// CHECK:         return
// Nothing was rewritten, so nothing is declared.
// CHECK-NOT:   llvm.func @kiln_cpu_sgemm
func.func @left_alone(%h: memref<2x2xf16>, %i: memref<2x2xi32>, %f: memref<2x2xf32>,
                      %d3: memref<2x2x2xf64>, %m: memref<2x3xf32>, %o: memref<3x2xf32>,
                      %g: memref<6xf32>, %dyn: memref<?x2xf32>, %t: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f16
  linalg.fill ins(%zero : f16) outs(%h : memref<2x2xf16>)
  linalg.matmul ins(%h, %h : memref<2x2xf16>, memref<2x2xf16>) outs(%h : memref<2x2xf16>)
  linalg.matmul ins(%i, %i : memref<2x2xi32>, memref<2x2xi32>) outs(%i : memref<2x2xi32>)
  linalg.matmul ins(%h, %h : memref<2x2xf16>, memref<2x2xf16>) outs(%f : memref<2x2xf32>)
  linalg.batch_matmul ins(%d3, %d3 : memref<2x2x2xf64>, memref<2x2x2xf64>) outs(%d3 : memref<2x2x2xf64>)
  %mt = memref.transpose %m (d0, d1) -> (d1, d0) : memref<2x3xf32> to memref<3x2xf32, strided<[1, 3]>>
  linalg.matmul ins(%mt, %f : memref<3x2xf32, strided<[1, 3]>>, memref<2x2xf32>) outs(%o : memref<3x2xf32>)
  %overlap = memref.reinterpret_cast %g to offset: [0], sizes: [2, 3], strides: [2, 1] : memref<6xf32> to memref<2x3xf32, strided<[2, 1]>>
  linalg.matmul ins(%overlap, %o : memref<2x3xf32, strided<[2, 1]>>, memref<3x2xf32>) outs(%f : memref<2x2xf32>)
  linalg.matmul ins(%dyn, %f : memref<?x2xf32>, memref<2x2xf32>) outs(%dyn : memref<?x2xf32>)
  %r = linalg.matmul ins(%t, %t : tensor<2x2xf32>, tensor<2x2xf32>) outs(%t : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
