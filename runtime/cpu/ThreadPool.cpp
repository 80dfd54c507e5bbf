//===- ThreadPool.cpp - The runtime's worker threads ----------------------===//
//
// Part of Kiln.
//
// Each parallelFor() publishes a Job (on the caller's stack) in the pool's
// queue and then claims chunks of it itself, next to any workers that attach.
// Chunks are claimed with an atomic counter, so every chunk runs once. A
// worker attaches to a job under the pool's mutex and detaches when no chunk
// is left; the caller unlinks its job and waits for the attached workers to
// detach before returning, after which no thread touches the Job.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/ThreadPool.h"
#include "runtime/cpu/Export.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

using namespace kiln::cpu;

// pthreads directly rather than <mutex> and <thread>: the runtime then needs
// no libstdc++ at link time, and nothing here can throw.
namespace {

/// More threads than this is a configuration error, not a request.
constexpr int kMaxThreads = 512;
/// Chunks per thread: some slack for load balancing between threads that
/// are slowed down by other work.
constexpr int64_t kChunksPerThread = 4;

struct Job {
  ParallelForFn fn;
  void *ctx;
  int64_t n;
  int64_t numChunks;
  std::atomic<int64_t> nextChunk{0};
  // Guarded by Pool::mutex.
  int helpers = 0;
  int maxHelpers = 0;
  bool queued = false;
  Job *prev = nullptr, *next = nullptr;
  pthread_cond_t released = PTHREAD_COND_INITIALIZER;
};

/// Constant-initialized: no construction order or guard variables.
struct Pool {
  pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
  Job *head = nullptr, *tail = nullptr; // jobs with chunks left
  int numWorkers = 0;                   // started, never stopped

  void link(Job &job) {
    job.prev = tail;
    job.next = nullptr;
    (tail ? tail->next : head) = &job;
    tail = &job;
    job.queued = true;
  }
  void unlink(Job &job) {
    if (!job.queued)
      return;
    (job.prev ? job.prev->next : head) = job.next;
    (job.next ? job.next->prev : tail) = job.prev;
    job.queued = false;
  }
  Job *findJobNeedingHelp() {
    for (Job *job = head; job; job = job->next)
      if (job->helpers < job->maxHelpers &&
          job->nextChunk.load(std::memory_order_relaxed) < job->numChunks)
        return job;
    return nullptr;
  }
};

Pool pool; // never destroyed: workers outlive main()
pthread_once_t atforkOnce = PTHREAD_ONCE_INIT;
thread_local bool inParallelRegion = false;
std::atomic<int> requestedThreads{0}; // 0: not yet decided

} // namespace

/// Runs chunks of `job` until none is left.
static void runChunks(Job &job) {
  bool wasInRegion = inParallelRegion;
  inParallelRegion = true;
  int64_t base = job.n / job.numChunks, extra = job.n % job.numChunks;
  for (;;) {
    int64_t chunk = job.nextChunk.fetch_add(1, std::memory_order_relaxed);
    if (chunk >= job.numChunks)
      break;
    // The first `extra` chunks get one more iteration; no overflow for any n.
    int64_t begin = chunk * base + std::min(chunk, extra);
    int64_t end = begin + base + (chunk < extra ? 1 : 0);
    job.fn(job.ctx, begin, end);
  }
  inParallelRegion = wasInRegion;
}

static void *workerMain(void *) {
  pthread_mutex_lock(&pool.mutex);
  for (;;) {
    Job *job = pool.findJobNeedingHelp();
    if (!job) {
      pthread_cond_wait(&pool.wake, &pool.mutex);
      continue;
    }
    ++job->helpers;
    pthread_mutex_unlock(&pool.mutex);
    runChunks(*job);
    pthread_mutex_lock(&pool.mutex);
    pool.unlink(*job); // no chunk is left to claim
    if (--job->helpers == 0)
      pthread_cond_signal(&job->released);
  }
  return nullptr;
}

// A forked child has only the forking thread: it starts with a fresh pool.
// Jobs of the parent's other threads do not exist there.
static void lockPoolBeforeFork() { pthread_mutex_lock(&pool.mutex); }
static void unlockPoolInParent() { pthread_mutex_unlock(&pool.mutex); }
static void resetPoolInChild() {
  pthread_mutex_init(&pool.mutex, nullptr);
  pthread_cond_init(&pool.wake, nullptr);
  pool.head = pool.tail = nullptr;
  pool.numWorkers = 0;
}
static void registerAtfork() {
  pthread_atfork(lockPoolBeforeFork, unlockPoolInParent, resetPoolInChild);
}

/// Starts workers until there are `count` (fewer if the system refuses).
/// Workers block all signals, which stay with the application's threads.
/// Called with the pool's mutex held.
static void startWorkers(int count) {
  if (pool.numWorkers >= count)
    return;
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  while (pool.numWorkers < count) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int error = pthread_create(&thread, &attr, workerMain, nullptr);
    pthread_attr_destroy(&attr);
    if (error != 0)
      break; // the callers do the work themselves
    ++pool.numWorkers;
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

static int getDefaultNumThreads() {
  if (const char *env = getenv("KILN_NUM_THREADS")) {
    char *end = nullptr;
    long value = strtol(env, &end, 10);
    if (end != env && *end == '\0' && value > 0)
      return static_cast<int>(std::min<long>(value, kMaxThreads));
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return std::min(CPU_COUNT(&set), kMaxThreads);
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(std::min<long>(online, kMaxThreads)) : 1;
}

int kiln::cpu::getNumThreads() {
  int n = requestedThreads.load(std::memory_order_relaxed);
  if (n > 0)
    return n;
  n = getDefaultNumThreads();
  int expected = 0;
  requestedThreads.compare_exchange_strong(expected, n);
  return requestedThreads.load(std::memory_order_relaxed);
}

void kiln::cpu::setNumThreads(int n) {
  requestedThreads.store(n > 0 ? std::min(n, kMaxThreads)
                               : getDefaultNumThreads());
}

bool kiln::cpu::isInParallelRegion() { return inParallelRegion; }

void kiln::cpu::parallelFor(int64_t n, int64_t grain, ParallelForFn fn,
                            void *ctx) {
  if (n <= 0 || !fn)
    return;
  grain = std::max<int64_t>(grain, 1);
  int threads = getNumThreads();
  int64_t maxChunks = n / grain;
  if (inParallelRegion || threads <= 1 || maxChunks <= 1) {
    fn(ctx, 0, n);
    return;
  }
  Job job;
  job.fn = fn;
  job.ctx = ctx;
  job.n = n;
  job.numChunks = std::min<int64_t>(maxChunks, threads * kChunksPerThread);
  job.maxHelpers =
      static_cast<int>(std::min<int64_t>(threads - 1, job.numChunks - 1));

  pthread_once(&atforkOnce, registerAtfork);
  pthread_mutex_lock(&pool.mutex);
  startWorkers(threads - 1);
  pool.link(job);
  pthread_mutex_unlock(&pool.mutex);
  // Wake only as many workers as may attach; others keep sleeping.
  for (int i = 0; i < job.maxHelpers; ++i)
    pthread_cond_signal(&pool.wake);
  runChunks(job);
  pthread_mutex_lock(&pool.mutex);
  pool.unlink(job);
  while (job.helpers > 0)
    pthread_cond_wait(&job.released, &pool.mutex);
  pthread_mutex_unlock(&pool.mutex);
  pthread_cond_destroy(&job.released);
}

KILN_API void kiln_set_num_threads(int n) { setNumThreads(n); }

KILN_API int kiln_get_num_threads(void) { return getNumThreads(); }

KILN_API void kiln_parallel_for(int64_t n, int64_t grain,
                                void (*fn)(void *ctx, int64_t begin,
                                           int64_t end),
                                void *ctx) {
  parallelFor(n, grain, fn, ctx);
}
