#include "server/realtime/log_readers.h"

namespace hearth::server::realtime {

LogReaders::Lease::~Lease() {
  if (reader_) pool_->give_back(std::move(reader_));
}

Result<LogReaders::Lease> LogReaders::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto r = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(r));
    }
  }
  EventLog::Options options;
  options.read_only = true;
  options.verify_on_open = false;  // the server checked it at start-up; catch-up checks each event it reads
  auto log = EventLog::open(log_path_, options);
  if (!log.ok()) return log.take_error();
  auto state = sqlite::Db::open(state_path_, sqlite::Db::Mode::kReadOnly);
  if (!state.ok()) return state.take_error();
  HEARTH_TRY(state->exec("PRAGMA busy_timeout = 5000"));
  return Lease(*this, std::make_unique<Reader>(Reader{std::move(*log), std::move(*state)}));
}

void LogReaders::give_back(std::unique_ptr<Reader> reader) {
  std::lock_guard lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(reader));
}

}  // namespace hearth::server::realtime
