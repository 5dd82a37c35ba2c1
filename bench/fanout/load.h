#pragma once
// The load generator's connections for bench/fanout: Beast WebSocket clients on one io_context and
// one thread of their own (apart from the server's), so the server's CPU time is the process's
// minus this thread's. All handlers run on that thread; scenario code hands work to it with call()
// and every(), so client state needs no locks.
//
// A client connects to 127.0.0.1:port/path with an optional Cookie and Origin (Hearth wants both),
// then reports each whole WebSocket message it reads. It never reconnects by itself: the scenario
// decides (on_close). At most `max_connecting` handshakes are in flight at once, so a storm of
// 10,000 connects does not overflow the listen backlog into SYN retransmits (1 s each).
//
// No Asio in this header.
#include <pthread.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace hearth::bench {

class Load {
 public:
  struct Options {
    uint16_t port = 0;
    std::string path = "/";
    std::string origin;  // empty: no Origin header
    int max_connecting = 256;
  };
  explicit Load(Options options);
  ~Load();  // closes every connection and joins the thread
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

  // Set before the first connect; called on the load thread.
  std::function<void(int client)> on_open;                      // handshake done
  std::function<void(int client, std::string_view message)> on_message;
  std::function<void(int client)> on_close;                     // failed connect, or closed

  // Load thread only (inside call(), every() or a handler), except where noted.
  int add(std::string cookie);  // a client, not connected yet; returns its index
  int size() const;
  void connect(int client);
  void send(int client, std::string text);  // queued behind the write in flight
  void close(int client);                   // drops the TCP connection (no close handshake)
  void set_port(uint16_t port);             // for clients connecting from now on

  // Any thread: runs `fn` on the load thread and waits for it.
  void call(const std::function<void()>& fn);
  // Any thread: runs `tick` on the load thread every `period` until it returns false.
  void every(std::chrono::microseconds period, std::function<bool()> tick);
  pthread_t thread() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::bench
