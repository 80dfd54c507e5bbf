//===- Export.h - Visibility of the runtime's C API -------------*- C++ -*-===//
//
// Part of Kiln. The runtime is compiled with -fvisibility=hidden; only the
// definitions of runtime.h's functions, marked KILN_API, are exported.
//
//===----------------------------------------------------------------------===//

#ifndef RUNTIME_CPU_EXPORT_H
#define RUNTIME_CPU_EXPORT_H

#include "kiln/runtime.h"

#define KILN_API extern "C" __attribute__((visibility("default")))

#endif // RUNTIME_CPU_EXPORT_H
