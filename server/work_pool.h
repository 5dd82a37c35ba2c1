#pragma once
// A small pool of threads for CPU-heavy work that must not run on the IO threads nor the sequencer
// thread: password hashing and verification (server/auth/passwords.h: ~0.1 s and 64 MiB each), so
// at most `threads` run at once (RELIABILITY S9: concurrent hashes <= cores).
//
// Jobs run in submission order, each on one of the threads. The queue is bounded: past
// `max_queue` waiting jobs submit() refuses (the caller answers 503), so a burst of sign-ins costs
// memory proportional to the limit, not to the burst.
//
// stop() lets the running jobs finish, destroys the queued ones unrun (a job owning a Respond then
// ends its ticket: the connection closes without an answer), and joins. Idempotent; the destructor
// calls it. Thread safety: submit() from any thread; stop() from the owner.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hearth::server {

class WorkPool {
 public:
  using Job = std::function<void()>;
  // threads == 0: std::thread::hardware_concurrency() (at least 1).
  explicit WorkPool(size_t threads, size_t max_queue = 1024);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // False (and `job` is destroyed unrun) when the queue is full or the pool is stopping.
  [[nodiscard]] bool submit(Job job);
  void stop();
  size_t threads() const { return threads_.size(); }

 private:
  void loop();
  const size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;  // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace hearth::server
