// The posting scenario: durable posts/s with 16 concurrent clients, each post acknowledged only after
// commit, over HTTP (POST /api/rooms/:room/messages), over the socket (`post` → `ack`), and — the
// limit at the same concurrency — straight into the sequencer with 16 in flight.
#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bench/fanout/crowd.h"
#include "bench/fanout/hearth_fixture.h"
#include "bench/fanout/scenarios.h"
#include "bench/fanout/stats.h"
#include "core/sequencer/sequencer.h"

namespace hearth::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct PostFigures {
  double posts_per_s = 0, p50 = 0, p99 = 0;
};

PostFigures finish(uint64_t posts, double secs, Latencies& lat) {
  auto s = lat.summarize();
  return {static_cast<double>(posts) / secs, s.p50, s.p99};
}

// One keep-alive HTTP/1.1 connection, used by one thread.
class HttpClient {
 public:
  HttpClient(uint16_t port, std::string cookie, std::string origin)
      : socket_(ioc_), cookie_(std::move(cookie)), origin_(std::move(origin)), host_(origin_.substr(7)) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket_.set_option(tcp::no_delay(true));
  }
  bhttp::response<bhttp::string_body> call(bhttp::verb verb, const std::string& target, std::string body,
                                           const std::string& csrf = "") {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, host_);
    req.set(bhttp::field::cookie, cookie_);
    req.set(bhttp::field::origin, origin_);
    if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(socket_, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket_, buffer_, res);
    return res;
  }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::string cookie_, origin_, host_;
};

std::string json_string_field(const std::string& body, const std::string& key) {
  std::string k = "\"" + key + "\":\"";
  size_t p = body.find(k);
  if (p == std::string::npos) return "";
  size_t start = p + k.size();
  return body.substr(start, body.find('"', start) - start);
}

PostFigures over_http(HearthServer& h, const Account& a, const Flags& f, uint64_t nonce) {
  std::atomic<bool> stop{false};
  std::mutex mu;
  uint64_t posts = 0;
  Latencies all;
  std::string error;
  std::vector<std::thread> threads;
  int64_t t0 = now_ns();
  for (int c = 0; c < f.post_clients; ++c) {
    threads.emplace_back([&, c] {
      Latencies lat;
      uint64_t n = 0;
      std::string err;
      try {
        HttpClient http(h.port(), a.cookies[c % a.cookies.size()], h.origin());
        auto boot = http.call(bhttp::verb::get, "/api/bootstrap", "");
        std::string csrf = json_string_field(boot.body(), "csrf_token");
        if (boot.result() != bhttp::status::ok || csrf.empty()) throw std::runtime_error("bootstrap: " + boot.body());
        std::string target = fmt::format("/api/rooms/{}/messages", a.room.value);
        while (!stop.load(std::memory_order_relaxed)) {
          std::string body = fmt::format(R"({{"client_message_id":"h{}-{}-{}","body_html":"<p>bench</p>",)"
                                         R"("plain_text":"a durable post"}})",
                                         nonce, c, n);
          int64_t s = now_ns();
          auto res = http.call(bhttp::verb::post, target, std::move(body), csrf);
          if (res.result() != bhttp::status::created) throw std::runtime_error("post: " + res.body());
          lat.add(now_ns() - s);
          ++n;
        }
      } catch (const std::exception& e) {
        err = e.what();
      }
      std::lock_guard lock(mu);
      posts += n;
      all.us.insert(all.us.end(), lat.us.begin(), lat.us.end());
      if (!err.empty() && error.empty()) error = err;
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(f.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double secs = static_cast<double>(now_ns() - t0) / 1e9;
  if (!error.empty()) die("HTTP posting: " + error);
  return finish(posts, secs, all);
}

PostFigures over_socket(HearthServer& h, const Account& a, const Flags& f, uint64_t nonce) {
  Crowd crowd({h.port(), true, h.origin(), a.cookies, f.post_clients, h.head(), false});
  if (!crowd.connect_all()) die("socket posting: connect: " + crowd.first_error());
  Load& load = crowd.load();
  struct State {
    std::vector<int64_t> sent_ns;
    std::vector<uint64_t> next;
    uint64_t posts = 0;
    bool stop = false;
    Latencies lat;
    std::string error;
  };
  auto st = std::make_shared<State>();
  st->sent_ns.assign(f.post_clients, 0);
  st->next.assign(f.post_clients, 0);
  int64_t room = a.room.value;
  auto post = [&load, st, room, nonce](int c) {
    st->sent_ns[c] = now_ns();
    load.send(c, fmt::format(R"({{"type":"post","id":"w{}-{}-{}","room_id":{},"body_html":"<p>bench</p>",)"
                             R"("plain_text":"a durable post"}})",
                             nonce, c, st->next[c]++, room));
  };
  int64_t t0 = 0;
  load.call([&] {
    crowd.on_reply = [st, post](int c, std::string_view type, std::string_view frame) {
      if (type == "pong") return;
      if (type != "ack") {
        if (st->error.empty()) st->error = std::string(frame.substr(0, 300));
        return;
      }
      st->lat.add(now_ns() - st->sent_ns[c]);
      ++st->posts;
      if (!st->stop) post(c);
    };
    t0 = now_ns();
    for (int c = 0; c < f.post_clients; ++c) post(c);
  });
  std::this_thread::sleep_for(std::chrono::duration<double>(f.seconds));
  PostFigures r;
  load.call([&] {
    st->stop = true;
    if (!st->error.empty()) die("socket posting: " + st->error);
    r = finish(st->posts, static_cast<double>(now_ns() - t0) / 1e9, st->lat);
  });
  crowd.close_all();
  return r;
}

// The sequencer alone with the same 16 posts in flight: what the network and JSON layers add to.
PostFigures into_sequencer(HearthServer& h, const Account& a, const Flags& f, uint64_t nonce) {
  Sequencer& seq = h.sequencer();
  std::mutex mu;
  std::condition_variable cv;
  int outstanding = 0;
  uint64_t posts = 0;
  Latencies lat;
  std::string error;
  std::atomic<bool> stop{false};
  std::function<void(int, uint64_t)> post = [&](int c, uint64_t i) {
    int64_t s = now_ns();
    CommandEnvelope e{a.users[c % a.users.size()], fmt::format("s{}-{}-{}", nonce, c, i),
                      cmd::PostMessage{a.room, "<p>bench</p>", "a durable post", {}, {}, {}}};
    seq.submit(std::move(e), [&, c, i, s](Outcome o) {
      bool again = !stop.load() && o.ok();
      {
        std::lock_guard lock(mu);
        if (!o.ok() && error.empty()) error = o.error().to_string();
        lat.add(now_ns() - s);
        ++posts;
        if (!again) --outstanding;
      }
      if (again) return post(c, i + 1);  // outside the lock: submit() may complete inline on failure
      cv.notify_all();
    });
  };
  int64_t t0 = now_ns();
  {
    std::lock_guard lock(mu);
    outstanding = f.post_clients;
  }
  for (int c = 0; c < f.post_clients; ++c) post(c, 0);
  std::this_thread::sleep_for(std::chrono::duration<double>(f.seconds));
  stop = true;
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return outstanding == 0; });
  if (!error.empty()) die("sequencer posting: " + error);
  return finish(posts, static_cast<double>(now_ns() - t0) / 1e9, lat);
}

}  // namespace

void post_scenario(const Flags& f) {
  HearthServer h({fresh_dir(f.durable_dir, "post"), Durability::kFull, f.server_threads});
  h.start();
  Account a = h.create_account(f.post_clients);
  fmt::print("\nposting: {} clients, one post in flight each, acknowledged after commit (durability full,\n"
             "  data on {}); median of {} runs of {:.1f} s\n",
             f.post_clients, f.durable_dir, f.runs, f.seconds);
  fmt::print("  {:<28} {:>9} {:>8} {:>8}\n", "path", "posts/s", "p50 us", "p99 us");
  uint64_t nonce = static_cast<uint64_t>(now_ns());
  bool have_hub = false;
  {
    Crowd probe({h.port(), true, h.origin(), a.cookies, 1, h.head(), false});
    have_hub = probe.connect_all(5);
  }
  std::vector<std::vector<PostFigures>> runs(3);
  for (int rep = 0; rep < f.runs; ++rep) {
    runs[0].push_back(into_sequencer(h, a, f, nonce + rep));
    runs[1].push_back(over_http(h, a, f, nonce + rep));
    if (have_hub) runs[2].push_back(over_socket(h, a, f, nonce + rep));
  }
  const char* names[] = {"sequencer (16 in flight)", "HTTP POST", "WebSocket post/ack"};
  double limit = 0;
  for (int k = 0; k < 3; ++k) {
    if (runs[k].empty()) {
      fmt::print("  {:<28} (Hearth has no /socket yet)\n", names[k]);
      continue;
    }
    std::vector<double> rate, p50, p99;
    for (auto& r : runs[k]) {
      rate.push_back(r.posts_per_s);
      p50.push_back(r.p50);
      p99.push_back(r.p99);
    }
    if (k == 0) limit = median(rate);
    fmt::print("  {:<28} {:>9.0f} {:>8.0f} {:>8.0f}{}\n", names[k], median(rate), median(p50), median(p99),
               k ? fmt::format("   {:.2f} x sequencer", median(rate) / limit) : "");
  }
  h.stop();
}

}  // namespace hearth::bench
