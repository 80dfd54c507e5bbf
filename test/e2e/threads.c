/*===- threads.c - Two threads run one compiled model at once ---------------===*\
|*                                                                            *|
|* Part of Kiln's end-to-end tests (run by run_e2e.py threads). Linked with   *|
|* libm.a (a model compiled with --name m) and libkiln_runtime.a.             *|
|*                                                                            *|
|* Runs the model once on one thread for reference results, then starts two   *|
|* threads that each run it ITERATIONS times with their own workspace and     *|
|* output buffers, released together by a barrier so the runs overlap. Every *|
|* output of every run must be bitwise equal to the reference: the generated  *|
|* code is re-entrant and the runtime's kernels are deterministic.            *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t */

#include "m.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITERATIONS 200
#define THREADS 2

static const kiln_model_info *info;
static const void **inputs;
static float **reference;
static pthread_barrier_t barrier;

typedef struct Worker {
  int id;
  void *workspace;
  float **outputs;
  int mismatches;
  int failures;
} Worker;

static size_t elements(const kiln_tensor_info *t) {
  size_t n = 1;
  for (int32_t d = 0; d < t->rank; ++d)
    n *= (size_t)t->shape[d];
  return n;
}

static float **allocOutputs(void) {
  float **outputs = calloc((size_t)info->num_outputs + 1, sizeof(float *));
  for (int32_t i = 0; i < info->num_outputs; ++i) {
    size_t n = elements(&info->outputs[i]);
    outputs[i] = malloc(n * sizeof(float));
    for (size_t j = 0; j < n; ++j)
      outputs[i][j] = NAN;
  }
  return outputs;
}

static void freeOutputs(float **outputs) {
  for (int32_t i = 0; i < info->num_outputs; ++i)
    free(outputs[i]);
  free(outputs);
}

static int run(void *workspace, float **outputs) {
  return kiln_model_run(info, inputs, (void *const *)outputs, workspace,
                        info->workspace_size);
}

static void *work(void *arg) {
  Worker *w = arg;
  pthread_barrier_wait(&barrier);
  for (int it = 0; it < ITERATIONS; ++it) {
    int status = run(w->workspace, w->outputs);
    if (status != KILN_OK) {
      if (w->failures++ == 0)
        fprintf(stderr, "thread %d: run %d returned %d: %s\n", w->id, it,
                status, kiln_last_error());
      continue;
    }
    for (int32_t i = 0; i < info->num_outputs; ++i) {
      size_t bytes = elements(&info->outputs[i]) * sizeof(float);
      if (memcmp(w->outputs[i], reference[i], bytes) != 0) {
        if (w->mismatches++ == 0)
          fprintf(stderr, "thread %d: run %d: output '%s' differs from the "
                  "single-threaded result\n", w->id, it,
                  info->outputs[i].name);
      }
      /* Poison again so a run that writes nothing is caught. */
      for (size_t j = 0; j < bytes / sizeof(float); ++j)
        w->outputs[i][j] = NAN;
    }
  }
  return NULL;
}

int main(void) {
  info = m_info();
  if (!info || info->abi_version != KILN_ABI_VERSION) {
    fprintf(stderr, "m_info() is NULL or of another ABI\n");
    return 1;
  }
  for (int32_t i = 0; i < info->num_inputs; ++i)
    if (info->inputs[i].dtype != KILN_FLOAT32) {
      fprintf(stderr, "input '%s' is not float32\n", info->inputs[i].name);
      return 1;
    }

  /* Inputs: a fixed pattern in [-1, 1]. */
  inputs = calloc((size_t)info->num_inputs + 1, sizeof(void *));
  for (int32_t i = 0; i < info->num_inputs; ++i) {
    size_t n = elements(&info->inputs[i]);
    float *data = malloc(n * sizeof(float));
    for (size_t j = 0; j < n; ++j)
      data[j] = (float)sin(0.37 * (double)j + (double)i);
    inputs[i] = data;
  }

  /* Reference: one thread, run twice (the second over a dirty workspace). */
  void *workspace = kiln_aligned_alloc(m_workspace_size() + 1,
                                       KILN_WORKSPACE_ALIGNMENT);
  reference = allocOutputs();
  float **again = allocOutputs();
  if (!workspace || run(workspace, reference) != KILN_OK ||
      run(workspace, again) != KILN_OK) {
    fprintf(stderr, "single-threaded run failed: %s\n", kiln_last_error());
    return 1;
  }
  for (int32_t i = 0; i < info->num_outputs; ++i) {
    size_t n = elements(&info->outputs[i]);
    for (size_t j = 0; j < n; ++j)
      if (isnan(reference[i][j])) {
        fprintf(stderr, "output '%s'[%zu] was not written\n",
                info->outputs[i].name, j);
        return 1;
      }
    if (memcmp(reference[i], again[i], n * sizeof(float)) != 0) {
      fprintf(stderr, "output '%s' differs between two single-threaded "
              "runs\n", info->outputs[i].name);
      return 1;
    }
  }

  Worker workers[THREADS];
  pthread_t threads[THREADS];
  pthread_barrier_init(&barrier, NULL, THREADS);
  for (int t = 0; t < THREADS; ++t) {
    workers[t] = (Worker){t, kiln_aligned_alloc(m_workspace_size() + 1,
                                                KILN_WORKSPACE_ALIGNMENT),
                          allocOutputs(), 0, 0};
    /* Dirty workspaces: the model may not rely on their contents. */
    memset(workers[t].workspace, 0x5a + t, m_workspace_size() + 1);
  }
  for (int t = 0; t < THREADS; ++t)
    pthread_create(&threads[t], NULL, work, &workers[t]);
  int bad = 0;
  for (int t = 0; t < THREADS; ++t) {
    pthread_join(threads[t], NULL);
    printf("thread %d: %d runs, %d failed, %d differ from the "
           "single-threaded result\n", t, ITERATIONS, workers[t].failures,
           workers[t].mismatches);
    bad += workers[t].failures + workers[t].mismatches;
  }
  printf("%s: %d threads x %d runs of model '%s' (%d threads per run)\n",
         bad ? "FAIL" : "PASS", THREADS, ITERATIONS, info->name,
         kiln_get_num_threads());

  /* Everything goes back (sanitizer builds check for leaks). */
  pthread_barrier_destroy(&barrier);
  for (int t = 0; t < THREADS; ++t) {
    kiln_aligned_free(workers[t].workspace);
    freeOutputs(workers[t].outputs);
  }
  kiln_aligned_free(workspace);
  freeOutputs(reference);
  freeOutputs(again);
  for (int32_t i = 0; i < info->num_inputs; ++i)
    free((void *)inputs[i]);
  free(inputs);
  return bad ? 1 : 0;
}
