#include "server/work_pool.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace hearth::server {

WorkPool::WorkPool(size_t threads, size_t max_queue) : max_queue_(max_queue) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

WorkPool::~WorkPool() { stop(); }

bool WorkPool::submit(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void WorkPool::stop() {
  std::deque<Job> dropped;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(queue_);
  }
  cv_.notify_all();
  dropped.clear();  // outside the lock: a job's destructor may do anything
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void WorkPool::loop() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("work pool: a job threw: {}", e.what());
    }
    job = nullptr;  // destroy it here, not while holding the lock next time
  }
}

}  // namespace hearth::server
