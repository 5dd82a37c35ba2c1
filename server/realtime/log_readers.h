#pragma once
// Read-only connections to the log and the projections for WebSocket connections (catch-up reads,
// the viewer's facts at hello), pooled: a reconnect storm of a thousand clients must not open a
// thousand pairs of SQLite files. Never the sequencer's or the projector's connections.
//
// Thread safety: acquire() from any thread; a Lease is used by one thread at a time.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/log/event_log.h"
#include "core/sqlite/db.h"

namespace hearth::server::realtime {

class LogReaders {
 public:
  struct Reader {
    std::unique_ptr<EventLog> log;
    sqlite::Db state;
  };

  // Returns its reader to the pool when it goes.
  class Lease {
   public:
    Lease(LogReaders& pool, std::unique_ptr<Reader> reader) : pool_(&pool), reader_(std::move(reader)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    Reader* operator->() { return reader_.get(); }

   private:
    LogReaders* pool_;
    std::unique_ptr<Reader> reader_;
  };

  LogReaders(std::string log_path, std::string state_path, size_t max_idle = 4)
      : log_path_(std::move(log_path)), state_path_(std::move(state_path)), max_idle_(max_idle) {}

  Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<Reader> reader);

  const std::string log_path_, state_path_;
  const size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Reader>> idle_;  // guarded by mu_
};

}  // namespace hearth::server::realtime
