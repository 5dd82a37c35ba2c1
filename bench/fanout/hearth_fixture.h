#pragma once
// An in-process `hearth serve` for bench/fanout, wired as server/serve.cc wires it (DataDir, Api,
// Server and the realtime hub), plus an account of N people with live sessions made through the
// sequencer's commands directly: HTTP sign-in would spend an argon2id hash (~50 ms) per person.
//
// No Asio in this header.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/log/event_log.h"

namespace hearth {
class Sequencer;
}

namespace hearth::bench {

struct Account {
  RoomId room;                       // "All Talk": everyone is a member
  std::vector<UserId> users;         // by id
  std::vector<std::string> cookies;  // "session_token=...", one per person (admin first)
};

class HearthServer {
 public:
  struct Options {
    std::string dir;  // the data directory (created)
    Durability durability = Durability::kFull;
    int io_threads = 1;
    int max_connections = 12'000;
  };
  explicit HearthServer(Options options);
  ~HearthServer();  // stop()s
  HearthServer(const HearthServer&) = delete;
  HearthServer& operator=(const HearthServer&) = delete;

  // Opens the data directory; then serves on `port` (0: any free one). Dies on failure.
  void start(uint16_t port = 0);
  // As serve.cc on SIGTERM: the server (closing sockets), the Api, the sequencer, the data dir.
  void stop();
  bool running() const;
  uint16_t port() const;
  std::string origin() const;  // what a browser on this server sends as Origin
  Sequencer& sequencer();
  int64_t head() const;  // the last committed seq

  // First run (user 0) and `people - 1` joins, each with its session; all command outcomes are
  // awaited, and applied to state.sqlite3, when this returns.
  Account create_account(int people);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::bench
