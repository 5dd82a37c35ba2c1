#include "bench/fanout/crowd.h"

#include <fmt/format.h>

#include <thread>

#include "bench/fanout/stamps.h"
#include "bench/fanout/stats.h"

namespace hearth::bench {

Crowd::Crowd(Options options)
    : options_(std::move(options)),
      load_(Load::Options{options_.port, options_.hearth ? "/socket" : "/", options_.origin, 256}) {
  reconnect_ = options_.reconnect;
  cursor_.assign(options_.clients, options_.cursor);
  welcomed_.assign(options_.clients, 0);
  load_.call([this] {
    for (int i = 0; i < options_.clients; ++i) {
      load_.add(options_.cookies.empty() ? "" : options_.cookies[i % options_.cookies.size()]);
    }
    load_.on_open = [this](int c) {
      if (!options_.hearth) {
        welcomed_[c] = 1;
        ++ready_;
        return;
      }
      load_.send(c, fmt::format(R"({{"type":"hello","cursor":{}}})", cursor_[c]));
    };
    load_.on_message = [this](int c, std::string_view m) { on_message(c, m); };
    load_.on_close = [this](int c) {
      ++closes_;
      if (welcomed_[c]) {
        welcomed_[c] = 0;
        --ready_;
      }
      if (!reconnect_) return;
      jitter_ = jitter_ * 6364136223846793005ull + 1442695040888963407ull;
      auto delay = std::chrono::microseconds(20'000 + (jitter_ >> 33) % 100'000);
      load_.every(delay, [this, c] {
        if (reconnect_) load_.connect(c);
        return false;
      });
    };
  });
}

void Crowd::on_message(int c, std::string_view m) {
  bytes_ += m.size();
  if (!options_.hearth) {
    for_each_stamp(m, [&](uint64_t id, int64_t ns) { on_stamp(c, id, ns); });
    return;
  }
  std::string_view type = frame_type(m);
  if (type == "events" || type == "checkpoint") {
    int64_t prev = top_level_int(m, "prev"), seq = top_level_int(m, "seq");
    if (prev != cursor_[c]) ++gaps_;
    if (seq > cursor_[c]) cursor_[c] = seq;
    if (type == "events") {
      // Count events by their stamps when there are some, else by "seq" keys: cheap either way.
      bool stamped = false;
      for_each_stamp(m, [&](uint64_t id, int64_t ns) {
        stamped = true;
        ++events_;
        if (on_stamp) on_stamp(c, id, ns);
      });
      if (!stamped) {
        for (size_t p = m.find("\"seq\":"); p != std::string_view::npos; p = m.find("\"seq\":", p + 1)) ++events_;
        --events_;  // the frame's own
      }
    }
  } else if (type == "welcome") {
    ++welcomes_;
    if (!welcomed_[c]) {
      welcomed_[c] = 1;
      ++ready_;
    }
  } else if (type == "reset") {
    ++resets_;
  } else if (type == "ack" || type == "rejected" || type == "error" || type == "pong") {
    if (type != "ack" && type != "pong" && first_error_.empty()) first_error_ = std::string(m.substr(0, 300));
    if (on_reply) on_reply(c, type, m);
  }
}

bool Crowd::wait(const std::function<bool()>& pred, double timeout_s) {
  auto deadline = Steady::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    bool done = false;
    load_.call([&] { done = pred(); });
    if (done) return true;
    if (Steady::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

bool Crowd::connect_all(double timeout_s) {
  load_.call([this] {
    for (int i = 0; i < options_.clients; ++i) load_.connect(i);
  });
  if (wait([this] { return ready_ == options_.clients; }, timeout_s)) return true;
  load_.call([this] {
    first_error_ =
        fmt::format("{} of {} clients ready, {} closes; {}", ready_, options_.clients, closes_, first_error_);
  });
  return false;
}

void Crowd::close_all() {
  load_.call([this] {
    reconnect_ = false;
    for (int i = 0; i < options_.clients; ++i) {
      load_.close(i);
      if (welcomed_[i]) --ready_;
      welcomed_[i] = 0;
    }
  });
}

int64_t Crowd::min_cursor() const {
  int64_t m = INT64_MAX;
  for (int64_t c : cursor_) m = std::min(m, c);
  return m;
}

}  // namespace hearth::bench
