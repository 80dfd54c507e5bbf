//===- Status.h - Per-thread error messages ---------------------*- C++ -*-===//
//
// Part of Kiln. What kiln_last_error() returns, recorded from inside the
// runtime.
//
//===----------------------------------------------------------------------===//

#ifndef RUNTIME_CPU_STATUS_H
#define RUNTIME_CPU_STATUS_H

namespace kiln::cpu {

/// Records a printf-style message as this thread's last error. Messages
/// longer than the buffer are truncated.
void setLastError(const char *format, ...)
    __attribute__((format(printf, 1, 2)));

/// How many errors this thread has recorded; tells whether a callee set one.
unsigned getErrorCount();

} // namespace kiln::cpu

#endif // RUNTIME_CPU_STATUS_H
