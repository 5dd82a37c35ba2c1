#pragma once
// The limit for bench/fanout: the fastest broadcast a Beast server can do on this machine, with no
// log, no auth and no JSON. Every text message a client sends is pushed to every connection
// (the sender included, as Hearth delivers a post to its author too).
//
// Each connection has one write in flight. Mode::kJoined: when a write completes, everything queued
// meanwhile goes out as ONE WebSocket message (a gather of the shared message buffers, no copy).
// Mode::kPerFrame: one WebSocket message per broadcast message, the way a naive server writes.
// Messages are self-delimiting ("~id:ns~" stamps), so a joined message is just their concatenation.
//
// No Asio in this header. start()/stop() from one thread.
#include <cstdint>
#include <memory>
#include <vector>

#include <pthread.h>

namespace hearth::bench {

class MinimalServer {
 public:
  enum class Mode { kJoined, kPerFrame };
  MinimalServer(Mode mode, int threads);
  ~MinimalServer();  // stop()s
  MinimalServer(const MinimalServer&) = delete;
  MinimalServer& operator=(const MinimalServer&) = delete;

  uint16_t start();  // listens on 127.0.0.1, any port; returns it
  void stop();
  size_t connections() const;
  std::vector<pthread_t> threads() const;  // the IO threads, for their CPU clocks

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::bench
