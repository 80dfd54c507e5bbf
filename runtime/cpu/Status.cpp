//===- Status.cpp - Last error and checked model runs ---------------------===//
//
// Part of Kiln. kiln_model_run() validates a kiln_model_info and the caller's
// pointers before it calls the model, so that a generic loader gets a status
// and a message naming the offending input or output instead of a crash.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/Status.h"
#include "runtime/cpu/Export.h"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <initializer_list>

using namespace kiln::cpu;

namespace {
constexpr size_t kMaxMessage = 1024;
// Trivially destructible, so no allocation and no TLS destructor.
thread_local char lastError[kMaxMessage];
thread_local unsigned errorCount;
} // namespace

void kiln::cpu::setLastError(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(lastError, kMaxMessage, format, args);
  va_end(args);
  ++errorCount;
}

unsigned kiln::cpu::getErrorCount() { return errorCount; }

KILN_API const char *kiln_last_error(void) { return lastError; }

KILN_API void kiln_set_last_error(const char *message) {
  setLastError("%s", message ? message : "");
}

static const char *orUnnamed(const char *name) {
  return name ? name : "(unnamed)";
}

static const char *getStatusName(int status) {
  switch (status) {
  case KILN_OK:
    return "ok";
  case KILN_ERROR_NULL_POINTER:
    return "null pointer";
  case KILN_ERROR_WORKSPACE_TOO_SMALL:
    return "workspace too small";
  case KILN_ERROR_MISALIGNED:
    return "misaligned";
  case KILN_ERROR_INVALID_ARGUMENT:
    return "invalid argument";
  case KILN_ERROR_INTERNAL:
    return "internal error";
  default:
    return nullptr;
  }
}

namespace {
/// Checks one side (inputs or outputs) of a model call.
struct TensorList {
  const char *kind; // "input" or "output"
  int32_t count;
  const kiln_tensor_info *infos;
  const void *const *pointers; // inputs or outputs as passed
};
} // namespace

/// Validates the descriptors of `list` (part of the model info).
static int checkInfos(const char *model, const TensorList &list) {
  if (list.count < 0) {
    setLastError("model '%s': negative %s count %d", model, list.kind,
                 list.count);
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  if (list.count > 0 && !list.infos) {
    setLastError("model '%s': %d %ss but no %s descriptors", model, list.count,
                 list.kind, list.kind);
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  for (int32_t i = 0; i < list.count; ++i) {
    const kiln_tensor_info &info = list.infos[i];
    if (kiln_dtype_size(info.dtype) == 0) {
      setLastError("model '%s': %s %d ('%s') has unknown dtype %d", model,
                   list.kind, i, orUnnamed(info.name), info.dtype);
      return KILN_ERROR_INVALID_ARGUMENT;
    }
    if (info.rank < 0 || (info.rank > 0 && !info.shape)) {
      setLastError("model '%s': %s %d ('%s') has an invalid shape (rank %d)",
                   model, list.kind, i, orUnnamed(info.name), info.rank);
      return KILN_ERROR_INVALID_ARGUMENT;
    }
  }
  return KILN_OK;
}

/// Validates the caller's pointers for `list`: present and aligned to their
/// element size.
static int checkPointers(const char *model, const TensorList &list) {
  if (list.count > 0 && !list.pointers) {
    setLastError("model '%s': the %ss array is NULL (the model has %d)", model,
                 list.kind, list.count);
    return KILN_ERROR_NULL_POINTER;
  }
  for (int32_t i = 0; i < list.count; ++i) {
    const kiln_tensor_info &info = list.infos[i];
    const void *pointer = list.pointers[i];
    if (!pointer) {
      setLastError("model '%s': %s %d ('%s') is NULL", model, list.kind, i,
                   orUnnamed(info.name));
      return KILN_ERROR_NULL_POINTER;
    }
    size_t alignment = kiln_dtype_size(info.dtype);
    if (reinterpret_cast<uintptr_t>(pointer) % alignment != 0) {
      setLastError("model '%s': %s %d ('%s') at %p is not aligned to its "
                   "element size (%zu bytes)",
                   model, list.kind, i, orUnnamed(info.name), pointer,
                   alignment);
      return KILN_ERROR_MISALIGNED;
    }
  }
  return KILN_OK;
}

static int checkWorkspace(const kiln_model_info &info, const char *model,
                          void *workspace, size_t workspaceSize) {
  uint64_t alignment = info.workspace_alignment;
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    setLastError("model '%s': workspace alignment %" PRIu64
                 " is not a power of two",
                 model, alignment);
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  if (info.workspace_size == 0)
    return KILN_OK;
  if (!workspace) {
    setLastError("model '%s': workspace is NULL but the model needs %" PRIu64
                 " bytes",
                 model, info.workspace_size);
    return KILN_ERROR_NULL_POINTER;
  }
  if (workspaceSize < info.workspace_size) {
    setLastError("model '%s': workspace has %zu bytes but the model needs "
                 "%" PRIu64,
                 model, workspaceSize, info.workspace_size);
    return KILN_ERROR_WORKSPACE_TOO_SMALL;
  }
  if (alignment < KILN_WORKSPACE_ALIGNMENT)
    alignment = KILN_WORKSPACE_ALIGNMENT;
  if (reinterpret_cast<uintptr_t>(workspace) % alignment != 0) {
    setLastError("model '%s': workspace at %p is not aligned to %" PRIu64
                 " bytes",
                 model, workspace, alignment);
    return KILN_ERROR_MISALIGNED;
  }
  return KILN_OK;
}

KILN_API int kiln_model_run(const kiln_model_info *info,
                            const void *const *inputs, void *const *outputs,
                            void *workspace, size_t workspaceSize) {
  if (!info) {
    setLastError("kiln_model_run: the model info is NULL");
    return KILN_ERROR_NULL_POINTER;
  }
  // Nothing else in `info` is trustworthy before the version matches.
  if (info->abi_version != KILN_ABI_VERSION) {
    setLastError("kiln_model_run: the model info has ABI version %" PRIu32
                 ", this runtime implements version %d",
                 info->abi_version, KILN_ABI_VERSION);
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  const char *model = orUnnamed(info->name);
  if (!info->run) {
    setLastError("model '%s': the model info has no run function", model);
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  TensorList in{"input", info->num_inputs, info->inputs, inputs};
  TensorList out{"output", info->num_outputs, info->outputs,
                 const_cast<const void *const *>(outputs)};
  for (auto check : {checkInfos, checkPointers}) {
    if (int status = check(model, in))
      return status;
    if (int status = check(model, out))
      return status;
  }
  if (int status = checkWorkspace(*info, model, workspace, workspaceSize))
    return status;

  unsigned errorsBefore = errorCount;
  int status = info->run(inputs, outputs, workspace);
  if (status == KILN_OK)
    return KILN_OK;
  const char *statusName = getStatusName(status);
  if (!statusName) {
    setLastError("model '%s' returned unknown status %d", model, status);
    return KILN_ERROR_INTERNAL;
  }
  if (errorCount == errorsBefore)
    setLastError("model '%s' failed with status %d (%s)", model, status,
                 statusName);
  return status;
}
