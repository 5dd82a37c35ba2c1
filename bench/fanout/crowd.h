#pragma once
// N WebSocket clients of one server, speaking either the minimal server's protocol (every message
// is stamps) or Hearth's (docs/protocol.md: hello with a cursor, welcome, `events` frames whose
// `prev` must equal the client's cursor, acks). Keeps each client's cursor, counts gaps and resets,
// and hands every stamp and every reply to the scenario. Handlers run on the load thread.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/fanout/load.h"

namespace hearth::bench {

class Crowd {
 public:
  struct Options {
    uint16_t port = 0;
    bool hearth = false;
    std::string origin;                // Hearth: the server's own origin
    std::vector<std::string> cookies;  // Hearth: client i uses cookies[i % size]
    int clients = 0;
    int64_t cursor = 0;                // Hearth: the first hello's cursor
    bool reconnect = false;            // reconnect (20-120 ms later) after a close, from the cursor
  };
  explicit Crowd(Options options);

  // Load thread. A stamp in a message client `c` received; a reply frame (ack, rejected, error).
  std::function<void(int c, uint64_t id, int64_t ns)> on_stamp;
  std::function<void(int c, std::string_view type, std::string_view frame)> on_reply;

  // Any thread: connects every client and waits until each is ready (Hearth: welcomed), at most
  // `timeout_s`; false (with the reason in first_error()) otherwise.
  bool connect_all(double timeout_s = 60);
  // Any thread: waits until pred() (run on the load thread) holds; false on timeout.
  bool wait(const std::function<bool()>& pred, double timeout_s);
  void close_all();  // any thread; also stops reconnecting

  Load& load() { return load_; }
  // Load thread only.
  int ready() const { return ready_; }
  const std::vector<int64_t>& cursors() const { return cursor_; }
  int64_t min_cursor() const;
  uint64_t events_received() const { return events_; }
  uint64_t bytes_received() const { return bytes_; }
  uint64_t gaps() const { return gaps_; }
  uint64_t resets() const { return resets_; }
  uint64_t closes() const { return closes_; }
  uint64_t welcomes() const { return welcomes_; }  // over all connections so far
  std::string first_error() const { return first_error_; }

 private:
  void on_message(int c, std::string_view m);
  Options options_;
  Load load_;
  std::vector<int64_t> cursor_;
  std::vector<char> welcomed_;
  int ready_ = 0;
  bool reconnect_ = false;
  uint64_t events_ = 0, bytes_ = 0, gaps_ = 0, resets_ = 0, closes_ = 0, welcomes_ = 0;
  std::string first_error_;
  uint64_t jitter_ = 0x9E3779B97F4A7C15ull;
};

}  // namespace hearth::bench
