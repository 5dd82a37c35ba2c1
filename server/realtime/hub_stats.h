#pragma once
// Counters the realtime hub keeps for /metrics. Plain atomics, no Prometheus here: the metrics
// module (server/metrics.h) reads them when scraped, so the hub's hot path pays one relaxed
// increment per fact and nothing when no one scrapes.
#include <atomic>
#include <cstdint>

namespace hearth::server::realtime {

struct HubStats {
  std::atomic<int64_t> connections{0};         // open WebSocket connections (gauge)
  std::atomic<uint64_t> connections_total{0};  // accepted upgrades
  std::atomic<uint64_t> events_delivered{0};   // events written to sockets (one per event per connection)
  std::atomic<uint64_t> messages_written{0};   // WebSocket messages written (events, checkpoints, replies)
  std::atomic<uint64_t> catch_up_events{0};    // events read from the log for connections behind the window
  std::atomic<uint64_t> resumes{0};            // hellos accepted
  std::atomic<uint64_t> resume_lag_events{0};  // sum over hellos of (head - cursor) at hello
  std::atomic<uint64_t> resets{0};             // reset frames sent
  std::atomic<uint64_t> queue_overflows{0};    // connections closed because their reply queue was full
  std::atomic<uint64_t> gap_reports{0};        // gap frames received from clients
  std::atomic<uint64_t> commands{0};           // commands received over sockets
};

}  // namespace hearth::server::realtime
