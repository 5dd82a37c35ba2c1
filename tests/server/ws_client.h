#pragma once
// A WebSocket client for server tests, on its own io_context, single-threaded: every wait runs the
// context until a message arrives or a deadline passes, so no test can hang.
//
// StreamRecord checks what docs/protocol.md promises a client, frame by frame: `prev` equals the
// last `seq` processed, events arrive in increasing order, none twice.
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.h"

namespace hearth::testing {

class WsClient {
 public:
  // Connects to /socket with `headers` (Cookie, Origin). On refusal, nullptr and `*status` holds the
  // HTTP status the server answered (0 when the connection itself failed).
  static std::unique_ptr<WsClient> connect(uint16_t port, const Headers& headers, int* status = nullptr,
                                           const std::string& target = "/socket");
  ~WsClient();

  bool send(const std::string& text);
  bool send(const boost::json::value& v);
  // The next message, or nullopt at the deadline or when the connection is closed.
  std::optional<boost::json::value> recv(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next message of `type`, keeping the others for later recv()s.
  std::optional<boost::json::value> recv_type(const std::string& type,
                                              std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool closed() const;
  int close_code() const;  // the peer's close code once closed, else 0
  void drop();             // the TCP connection goes, no close handshake (a network cut)

  struct Impl;

 private:
  explicit WsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What one user's client has seen across its connections.
struct StreamRecord {
  explicit StreamRecord(int64_t cursor = 0) : last(cursor) {}
  int64_t last;            // the cursor: seq of the last sequenced frame processed
  std::vector<int64_t> seqs;   // every event seq received, in order
  std::vector<std::string> errors;  // protocol violations seen (a test asserts this stays empty)
  // Feeds one frame; sequenced frames are checked against `last`.
  void feed(const boost::json::value& frame);
};

}  // namespace hearth::testing
