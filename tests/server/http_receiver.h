#pragma once
// A real HTTP endpoint on 127.0.0.1 for tests of what the server sends out (webhooks, Web Push):
// it records every request and answers each with what the test's handler says, after an optional
// delay (a slow or hanging endpoint). One thread per connection; stop() (or the destructor) ends
// delays early and joins everything, so a test never waits for a hanging answer.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hearth::testing {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::chrono::steady_clock::time_point at;
};

struct Answer {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::string body;
  std::chrono::milliseconds delay{0};
  bool close_without_answer = false;  // read the request, then hang up
};

class HttpReceiver {
 public:
  using Handler = std::function<Answer(const ReceivedRequest&)>;
  explicit HttpReceiver(Handler handler = {});
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const;
  void set_handler(Handler handler);
  std::vector<ReceivedRequest> requests() const;
  // Waits until at least `n` requests have arrived (true) or `limit` passes (false).
  bool wait_for(size_t n, std::chrono::milliseconds limit) const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace hearth::testing
