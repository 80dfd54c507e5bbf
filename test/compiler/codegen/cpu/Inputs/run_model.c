/*===- run_model.c - Run a Kiln-compiled model on text inputs ------------===*\
|*                                                                            *|
|* Part of Kiln's tests. A C99 program linked with a compiled model           *|
|* (lib<name>.a) and libkiln_runtime.a, for the host or, cross-compiled, for *|
|* another target run under an emulator. Build it with                        *|
|*   -DKILN_MODEL_INFO=<name>_info                                            *|
|* It discovers the inputs and outputs from the model info, reads each input *|
|* from stdin as                                                              *|
|*   input <name> <count>                                                     *|
|*   <count> float32 values, whitespace-separated                             *|
|* runs the model through kiln_model_run(), and prints                        *|
|*   arch: <the architecture this program was compiled for>                   *|
|*   output <name> <count>                                                    *|
|*   <count> values, one per line, with 9 significant digits (exact)          *|
|* Exit status 0, or 1 with a message on stderr.                              *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "kiln/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KILN_MODEL_INFO
#error "build with -DKILN_MODEL_INFO=<name>_info"
#endif

const kiln_model_info *KILN_MODEL_INFO(void);

#if defined(__aarch64__)
#define ARCH "aarch64"
#elif defined(__x86_64__)
#define ARCH "x86_64"
#else
#define ARCH "other"
#endif

static int fail(const char *what, const char *name) {
  fprintf(stderr, "run_model: error: %s%s%s\n", what, name ? ": " : "",
          name ? name : "");
  return 1;
}

static size_t elementCount(const kiln_tensor_info *tensor) {
  size_t count = 1;
  for (int32_t d = 0; d < tensor->rank; ++d)
    count *= (size_t)tensor->shape[d];
  return count;
}

int main(void) {
  const kiln_model_info *info = KILN_MODEL_INFO();
  if (!info || info->abi_version != KILN_ABI_VERSION)
    return fail("no model info of this ABI version", NULL);
  printf("arch: %s\n", ARCH);

  void **inputs = calloc((size_t)info->num_inputs + 1, sizeof(void *));
  void **outputs = calloc((size_t)info->num_outputs + 1, sizeof(void *));
  if (!inputs || !outputs)
    return fail("out of memory", NULL);

  for (int32_t i = 0; i < info->num_inputs; ++i) {
    const kiln_tensor_info *tensor = &info->inputs[i];
    if (tensor->dtype != KILN_FLOAT32)
      return fail("only float32 inputs are supported", tensor->name);
    char name[256];
    size_t count = 0;
    if (scanf(" input %255s %zu", name, &count) != 2)
      return fail("expected 'input <name> <count>' for", tensor->name);
    if (strcmp(name, tensor->name) != 0 || count != elementCount(tensor))
      return fail("the input's name or element count does not match",
                  tensor->name);
    float *values = malloc(count * sizeof(float) + 1);
    if (!values)
      return fail("out of memory", NULL);
    for (size_t j = 0; j < count; ++j)
      if (scanf("%f", &values[j]) != 1)
        return fail("too few values for", tensor->name);
    inputs[i] = values;
  }
  for (int32_t i = 0; i < info->num_outputs; ++i) {
    const kiln_tensor_info *tensor = &info->outputs[i];
    if (tensor->dtype != KILN_FLOAT32)
      return fail("only float32 outputs are supported", tensor->name);
    outputs[i] = malloc(elementCount(tensor) * sizeof(float) + 1);
    if (!outputs[i])
      return fail("out of memory", NULL);
  }

  void *workspace = NULL;
  if (info->workspace_size) {
    workspace = kiln_aligned_alloc((size_t)info->workspace_size,
                                   (size_t)info->workspace_alignment);
    if (!workspace)
      return fail("cannot allocate the workspace", NULL);
  }
  int status = kiln_model_run(info, (const void *const *)inputs, outputs,
                              workspace, (size_t)info->workspace_size);
  if (status != KILN_OK)
    return fail("kiln_model_run failed", kiln_last_error());

  for (int32_t i = 0; i < info->num_outputs; ++i) {
    const kiln_tensor_info *tensor = &info->outputs[i];
    size_t count = elementCount(tensor);
    printf("output %s %zu\n", tensor->name, count);
    const float *values = outputs[i];
    for (size_t j = 0; j < count; ++j)
      printf("%.9g\n", (double)values[j]);
  }

  kiln_aligned_free(workspace);
  for (int32_t i = 0; i < info->num_inputs; ++i)
    free(inputs[i]);
  for (int32_t i = 0; i < info->num_outputs; ++i)
    free(outputs[i]);
  free(inputs);
  free(outputs);
  return 0;
}
