/*===- main.c - Run the compiled tiny_cnn example ---------------------------===*\
|*                                                                            *|
|* Part of Kiln's examples. The build compiles tiny_cnn.onnx with             *|
|*   kiln compile tiny_cnn.onnx -o DIR --name tiny_cnn                        *|
|* into DIR/tiny_cnn.h and DIR/libtiny_cnn.a, and links this program with     *|
|*   cc main.c -I DIR -I runtime/include DIR/libtiny_cnn.a \                  *|
|*      libkiln_runtime.a -lpthread -lm                                       *|
|* It classifies one 16x16 RGB test pattern and prints the 10 class           *|
|* probabilities and the most likely class. examples/tiny_cnn/reference.py    *|
|* computes the same with onnxruntime. See docs/embedding.md.                 *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "tiny_cnn.h"

#include <stdio.h>
#include <string.h>

enum { CHANNELS = 3, HEIGHT = 16, WIDTH = 16, CLASSES = 10 };

int main(void) {
  /* The input, NCHW: a fixed pattern of multiples of 1/32 in [-1, 1),
   * exact in float so that reference.py builds the very same image. */
  static float image[1][CHANNELS][HEIGHT][WIDTH];
  float *pixels = &image[0][0][0][0];
  for (int i = 0; i < CHANNELS * HEIGHT * WIDTH; ++i)
    pixels[i] = (float)((i * 37) % 64 - 32) / 32.0f;

  /* Scratch memory for intermediate tensors: allocated once, aligned to
   * KILN_WORKSPACE_ALIGNMENT, reusable across calls (one per thread). */
  void *workspace =
      kiln_aligned_alloc(tiny_cnn_workspace_size(), KILN_WORKSPACE_ALIGNMENT);
  if (!workspace && tiny_cnn_workspace_size() != 0) {
    fprintf(stderr, "tiny_cnn: cannot allocate %zu bytes of workspace\n",
            tiny_cnn_workspace_size());
    return 1;
  }

  float probabilities[1][CLASSES];
  int status = tiny_cnn_run(&image[0][0][0][0], &probabilities[0][0],
                            workspace);
  kiln_aligned_free(workspace);
  if (status != KILN_OK) {
    fprintf(stderr, "tiny_cnn: tiny_cnn_run failed (status %d): %s\n", status,
            kiln_last_error());
    return 1;
  }

  const kiln_model_info *info = tiny_cnn_info();
  printf("%s: probabilities of the %d classes for a %dx%dx%d test pattern\n",
         info->name, CLASSES, CHANNELS, HEIGHT, WIDTH);
  int best = 0;
  for (int c = 0; c < CLASSES; ++c) {
    printf("  class %d: %.9g\n", c, probabilities[0][c]);
    if (probabilities[0][c] > probabilities[0][best])
      best = c;
  }
  printf("argmax: class %d (p = %.4f)\n", best, probabilities[0][best]);
  return 0;
}
