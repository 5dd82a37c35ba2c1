#pragma once
// A tiny HTTP/1.1 origin for the link-preview tests: listens on a loopback address (127.0.0.1, or
// 127.0.0.2 to stand for "a private host the guard must never reach"), answers each request with
// what the test's handler for its path writes, and counts the connections it accepted. One
// connection at a time, Connection: close; stops by itself in its destructor.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace hearth::testing {

class TestOrigin {
 public:
  // Writes the whole answer (status line, headers, body) to the connection `fd`.
  using Handler = std::function<void(int fd)>;

  // Binds `address`:`port` (port 0: any free one).
  explicit TestOrigin(const std::string& address = "127.0.0.1", uint16_t port = 0);
  ~TestOrigin();
  TestOrigin(const TestOrigin&) = delete;
  TestOrigin& operator=(const TestOrigin&) = delete;

  void on(const std::string& path, Handler handler);
  // A canned answer: `status` ("200 OK"), Content-Type `type`, `body`, plus `extra` header lines.
  void on(const std::string& path, const std::string& status, const std::string& type, const std::string& body,
          const std::string& extra = "");

  uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }
  std::string url(const std::string& path) const;

  // Writes all of `data` (best effort: a peer that went away is not an error here).
  static void send_all(int fd, const std::string& data);

 private:
  void serve();
  std::string address_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::map<std::string, Handler> handlers_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace hearth::testing
