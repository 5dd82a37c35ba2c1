#include "migrate/projection_pipe.h"

namespace hearth::migrate {

ProjectionPipe::ProjectionPipe(Projector& projector) : projector_(projector), thread_([this] { run(); }) {}

ProjectionPipe::~ProjectionPipe() {
  if (thread_.joinable()) (void)finish();
}

Status ProjectionPipe::push(std::vector<StoredEvent> batch) {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return queue_.size() < kMaxBatches || error_; });
  if (error_) return *error_;
  queue_.push_back(std::move(batch));
  changed_.notify_all();
  return ok_status();
}

Status ProjectionPipe::finish() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (error_) return *error_;
  return ok_status();
}

void ProjectionPipe::run() {
  while (true) {
    std::vector<StoredEvent> batch;
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
      if (queue_.empty()) return;  // closed and drained
      batch = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();
    }
    Status s = projector_.apply(batch);
    if (!s.ok()) {
      std::lock_guard lock(mu_);
      error_ = s.take_error();
      queue_.clear();
      changed_.notify_all();
      return;
    }
  }
}

}  // namespace hearth::migrate
