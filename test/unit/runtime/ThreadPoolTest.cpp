//===- ThreadPoolTest.cpp - kiln_parallel_for
//------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

/// Counts visits per index and records chunk sizes.
struct Coverage {
  explicit Coverage(int64_t n) : visits(n) {}
  std::vector<std::atomic<int>> visits;
  std::mutex mutex;
  std::vector<int64_t> chunkSizes;
  std::vector<std::thread::id> threads;

  static void visit(void *ctx, int64_t begin, int64_t end) {
    auto &self = *static_cast<Coverage *>(ctx);
    for (int64_t i = begin; i < end; ++i)
      self.visits[i].fetch_add(1);
    std::lock_guard<std::mutex> lock(self.mutex);
    self.chunkSizes.push_back(end - begin);
    self.threads.push_back(std::this_thread::get_id());
  }
  bool eachOnce() const {
    for (const auto &count : visits)
      if (count.load() != 1)
        return false;
    return true;
  }
};

/// Restores the thread count a test changed.
struct ThreadCountGuard {
  int saved = kiln_get_num_threads();
  ~ThreadCountGuard() { kiln_set_num_threads(saved); }
};

} // namespace

TEST_CASE("parallel_for covers every index once in chunks >= grain",
          "[runtime][threads]") {
  ThreadCountGuard guard;
  for (int threads : {1, 2, 4}) {
    kiln_set_num_threads(threads);
    for (int64_t n : {1, 2, 3, 17, 1000, 10007}) {
      for (int64_t grain : {0, 1, 7, 1000, 20000}) {
        Coverage coverage(n);
        kiln_parallel_for(n, grain, Coverage::visit, &coverage);
        INFO("threads=" << threads << " n=" << n << " grain=" << grain);
        CHECK(coverage.eachOnce());
        for (int64_t size : coverage.chunkSizes)
          CHECK(size >= std::min(n, std::max<int64_t>(grain, 1)));
      }
    }
  }
}

TEST_CASE("parallel_for does nothing for empty ranges", "[runtime][threads]") {
  Coverage coverage(0);
  kiln_parallel_for(0, 1, Coverage::visit, &coverage);
  kiln_parallel_for(-5, 1, Coverage::visit, &coverage);
  CHECK(coverage.chunkSizes.empty());
}

TEST_CASE("parallel_for with one thread runs on the caller",
          "[runtime][threads]") {
  ThreadCountGuard guard;
  kiln_set_num_threads(1);
  Coverage coverage(100);
  kiln_parallel_for(100, 1, Coverage::visit, &coverage);
  CHECK(coverage.eachOnce());
  REQUIRE(coverage.threads.size() == 1);
  CHECK(coverage.threads[0] == std::this_thread::get_id());
}

TEST_CASE("parallel_for uses the pool's threads", "[runtime][threads]") {
  ThreadCountGuard guard;
  kiln_set_num_threads(3);
  // Chunks that wait for each other can only finish if they run at once.
  struct Rendezvous {
    std::atomic<int> arrived{0};
    std::atomic<bool> timedOut{false};
    static void run(void *ctx, int64_t, int64_t) {
      auto &self = *static_cast<Rendezvous *>(ctx);
      self.arrived.fetch_add(1);
      for (int spin = 0; self.arrived.load() < 3; ++spin) {
        if (spin > 2000) {
          self.timedOut = true;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  } rendezvous;
  kiln_parallel_for(3, 1, Rendezvous::run, &rendezvous);
  CHECK(rendezvous.arrived.load() == 3);
  CHECK_FALSE(rendezvous.timedOut.load());
}

TEST_CASE("parallel_for is safe from concurrent callers",
          "[runtime][threads]") {
  ThreadCountGuard guard;
  kiln_set_num_threads(3);
  constexpr int kCallers = 4, kRounds = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < kCallers; ++t) {
    callers.emplace_back([&failures, t] {
      for (int round = 0; round < kRounds; ++round) {
        int64_t n = 50 + 37 * t + round;
        Coverage coverage(n);
        kiln_parallel_for(n, 1 + round % 5, Coverage::visit, &coverage);
        if (!coverage.eachOnce())
          failures.fetch_add(1);
      }
    });
  }
  for (std::thread &caller : callers)
    caller.join();
  CHECK(failures.load() == 0);
}

TEST_CASE("nested parallel_for runs serially on the calling thread",
          "[runtime][threads]") {
  ThreadCountGuard guard;
  kiln_set_num_threads(4);
  struct Outer {
    std::vector<std::atomic<int>> visits =
        std::vector<std::atomic<int>>(64 * 32);
    std::atomic<int> innerCalls{0}, wrongThread{0};
    struct Inner {
      Outer *outer;
      int64_t row;
      std::thread::id thread;
    };
    static void inner(void *ctx, int64_t begin, int64_t end) {
      auto &in = *static_cast<Inner *>(ctx);
      in.outer->innerCalls.fetch_add(1);
      if (std::this_thread::get_id() != in.thread)
        in.outer->wrongThread.fetch_add(1);
      for (int64_t j = begin; j < end; ++j)
        in.outer->visits[in.row * 32 + j].fetch_add(1);
    }
    static void outer(void *ctx, int64_t begin, int64_t end) {
      for (int64_t row = begin; row < end; ++row) {
        Inner in{static_cast<Outer *>(ctx), row, std::this_thread::get_id()};
        kiln_parallel_for(32, 1, inner, &in);
      }
    }
  } outer;
  kiln_parallel_for(64, 1, Outer::outer, &outer);
  for (const auto &count : outer.visits)
    REQUIRE(count.load() == 1);
  CHECK(outer.innerCalls.load() == 64); // one serial chunk per nested call
  CHECK(outer.wrongThread.load() == 0);
}

TEST_CASE("thread count comes from the API, the environment or the CPUs",
          "[runtime][threads]") {
  ThreadCountGuard guard;
  kiln_set_num_threads(5);
  CHECK(kiln_get_num_threads() == 5);
  const char *previous = getenv("KILN_NUM_THREADS");
  std::string saved = previous ? previous : "";
  setenv("KILN_NUM_THREADS", "3", 1);
  kiln_set_num_threads(0);
  CHECK(kiln_get_num_threads() == 3);
  setenv("KILN_NUM_THREADS", "not a number", 1);
  kiln_set_num_threads(-1);
  int fallback = kiln_get_num_threads();
  CHECK(fallback >= 1);
  unsetenv("KILN_NUM_THREADS");
  kiln_set_num_threads(0);
  CHECK(kiln_get_num_threads() == fallback);
  if (previous)
    setenv("KILN_NUM_THREADS", saved.c_str(), 1);
}

TEST_CASE("parallel_for works in a forked child", "[runtime][threads]") {
  ThreadCountGuard guard;
  kiln_set_num_threads(2);
  Coverage warmUp(100);
  kiln_parallel_for(100, 1, Coverage::visit, &warmUp); // starts the pool
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    alarm(10); // a deadlock fails the test instead of hanging it
    Coverage coverage(1000);
    kiln_parallel_for(1000, 1, Coverage::visit, &coverage);
    _exit(coverage.eachOnce() ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
