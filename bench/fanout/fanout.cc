// The fan-out scenario: one room of N clients, posters at a fixed rate and flat out, against the
// minimal broadcast server (joined and one frame per message) and Hearth, in the same run.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <thread>

#include "bench/fanout/crowd.h"
#include "bench/fanout/hearth_fixture.h"
#include "bench/fanout/minimal_server.h"
#include "bench/fanout/scenarios.h"
#include "bench/fanout/stamps.h"
#include "bench/fanout/stats.h"

namespace hearth::bench {

namespace {

struct Target {
  std::string name;
  bool hearth = false;
  uint16_t port = 0;
  std::string origin;
  std::vector<std::string> cookies;
  int64_t room = 0;
  int64_t cursor = 0;
};

struct Figures {
  double deliveries_per_s = 0, posts_per_s = 0, p50 = 0, p99 = 0, p999 = 0, cpu_us = 0, load_cpu_us = 0, bytes = 0;
  uint64_t gaps = 0;
};

// One measured run. rate 0: flat out, `window` posts in flight, a post retiring when every client
// has received it (so no server queue grows without bound, and both servers get the same rule).
Figures run_once(const Target& t, int n, double rate, const Flags& f, uint64_t nonce) {
  Crowd crowd({t.port, t.hearth, t.origin, t.cookies, n, t.cursor, false});
  if (!crowd.connect_all()) die(t.name + ": connect: " + crowd.first_error());
  Load& load = crowd.load();
  const int posters = std::min(f.posters, n);
  constexpr size_t kRing = 1 << 20;
  struct State {
    std::vector<uint32_t> got = std::vector<uint32_t>(kRing);
    uint64_t next_id = 0, deliveries = 0, sent_at_start = 0;
    int64_t inflight = 0;
    bool posting = true, measuring = false;
    int64_t post_start_ns = 0;
    Latencies lat;
    std::string error;
  };
  auto st = std::make_shared<State>();
  // The minimal server's messages carry as many bytes as a Hearth event does, so both move the
  // same volume; only the work per byte differs.
  std::string pad = t.hearth ? "" : std::string(f.minimal_bytes, '.');
  auto send_post = [&load, st, &t, posters, nonce, pad] {
    uint64_t id = st->next_id++;
    st->got[id % kRing] = 0;
    int64_t ns = now_ns();
    std::string text =
        t.hearth ? fmt::format(R"({{"type":"post","id":"f{}-{}","room_id":{},"body_html":"<p>bench</p>",)"
                               R"("plain_text":"{}"}})",
                               nonce, id, t.room, stamp(id, ns))
                 : stamp(id, ns) + pad;
    load.send(static_cast<int>(id % posters), std::move(text));
    ++st->inflight;
  };
  const int window = f.window;
  auto top_up = [st, send_post, window] {
    while (st->posting && st->inflight < window) send_post();
  };
  load.call([&] {
    crowd.on_stamp = [st, n, rate, top_up](int, uint64_t id, int64_t ns) {
      if (st->measuring) {
        st->lat.add(now_ns() - ns);
        ++st->deliveries;
      }
      if (++st->got[id % kRing] == static_cast<uint32_t>(n)) {
        --st->inflight;
        if (rate == 0) top_up();
      }
    };
    crowd.on_reply = [st](int, std::string_view type, std::string_view frame) {
      if (type != "ack" && st->error.empty()) st->error = std::string(frame.substr(0, 300));
    };
    st->post_start_ns = now_ns();
  });
  load.every(std::chrono::microseconds(1000), [st, rate, send_post, top_up] {
    if (!st->posting) return false;
    if (rate == 0) {
      top_up();
    } else {
      auto due = static_cast<uint64_t>(static_cast<double>(now_ns() - st->post_start_ns) * rate / 1e9);
      // A server that falls behind gets no more than a second's worth queued.
      while (st->next_id < due && st->inflight < std::max<int64_t>(64, static_cast<int64_t>(rate))) send_post();
    }
    return true;
  });
  std::this_thread::sleep_for(std::chrono::duration<double>(f.warmup));
  double cpu0 = 0, load0 = 0;
  int64_t t0 = 0;
  uint64_t bytes0 = 0;
  load.call([&] {
    bytes0 = crowd.bytes_received();
    st->measuring = true;
    st->deliveries = 0;
    st->lat.us.clear();
    st->sent_at_start = st->next_id;
    t0 = now_ns();
    cpu0 = process_cpu_s();
    load0 = thread_cpu_s(load.thread());
  });
  std::this_thread::sleep_for(std::chrono::duration<double>(f.seconds));
  Figures r;
  uint64_t sent = 0;
  load.call([&] {
    double secs = static_cast<double>(now_ns() - t0) / 1e9;
    double load_cpu = thread_cpu_s(load.thread()) - load0;
    double server_cpu = (process_cpu_s() - cpu0) - load_cpu;
    st->measuring = false;
    st->posting = false;
    sent = st->next_id - st->sent_at_start;
    r.deliveries_per_s = static_cast<double>(st->deliveries) / secs;
    r.posts_per_s = static_cast<double>(sent) / secs;
    r.cpu_us = st->deliveries ? server_cpu * 1e6 / static_cast<double>(st->deliveries) : 0;
    auto per_delivery = [&](double x) { return st->deliveries ? x / static_cast<double>(st->deliveries) : 0; };
    r.bytes = per_delivery(static_cast<double>(crowd.bytes_received() - bytes0));
    r.load_cpu_us = st->deliveries ? load_cpu * 1e6 / static_cast<double>(st->deliveries) : 0;
  });
  crowd.wait([st] { return st->inflight == 0; }, 10);
  load.call([&] {
    auto s = st->lat.summarize();
    r.p50 = s.p50;
    r.p99 = s.p99;
    r.p999 = s.p999;
    r.gaps = crowd.gaps();
    if (!st->error.empty()) die(t.name + ": " + st->error);
    if (st->inflight != 0) die(fmt::format("{}: {} posts never reached every client", t.name, st->inflight));
  });
  crowd.close_all();
  return r;
}

Figures median_of(const std::vector<Figures>& v) {
  auto med = [&](double Figures::*m) {
    std::vector<double> x;
    for (const auto& f : v) x.push_back(f.*m);
    return median(x);
  };
  Figures r;
  r.deliveries_per_s = med(&Figures::deliveries_per_s);
  r.posts_per_s = med(&Figures::posts_per_s);
  r.p50 = med(&Figures::p50);
  r.p99 = med(&Figures::p99);
  r.p999 = med(&Figures::p999);
  r.cpu_us = med(&Figures::cpu_us);
  r.load_cpu_us = med(&Figures::load_cpu_us);
  r.bytes = med(&Figures::bytes);
  for (const auto& f : v) r.gaps += f.gaps;
  return r;
}

void print_row(const std::string& load, const std::string& server, const Figures& f) {
  fmt::print("  {:<14} {:<16} {:>12.0f} {:>9.0f} {:>8.0f} {:>8.0f} {:>8.0f} {:>10.2f} {:>9.2f} {:>6.0f}\n", load,
             server, f.deliveries_per_s, f.posts_per_s, f.p50, f.p99, f.p999, f.cpu_us, f.load_cpu_us, f.bytes);
}

}  // namespace

void fanout_scenario(const Flags& f) {
  fmt::print("fan-out: 1 room, {} posters among the clients, median of {} runs of {:.1f} s ({:.1f} s warm-up);\n"
             "  flat out = {} posts in flight, a post retiring when every client has it; {} server IO thread(s);\n"
             "  minimal messages padded to {} bytes;\n"
             "  CPU in us per delivery: server = the process minus the load generator's thread (which is 'load')\n",
             f.posters, f.runs, f.seconds, f.warmup, f.window, f.server_threads, f.minimal_bytes);
  uint64_t nonce = static_cast<uint64_t>(now_ns());
  for (int n : f.clients) {
    std::optional<HearthServer> hearth;
    Target ht;
    ht.name = "hearth";
    ht.hearth = true;
    hearth.emplace(HearthServer::Options{fresh_dir(f.dir, fmt::format("fanout-{}", n)), Durability::kFull,
                                         f.server_threads});
    hearth->start();
    Account account = hearth->create_account(n);
    ht.port = hearth->port();
    ht.origin = hearth->origin();
    ht.cookies = account.cookies;
    ht.room = account.room.value;
    bool have_hub = false;
    {
      ht.cursor = hearth->head();
      Crowd probe({ht.port, true, ht.origin, ht.cookies, 1, ht.cursor, false});
      have_hub = probe.connect_all(5);
      if (!have_hub) fmt::print("  (Hearth has no /socket yet: {})\n", probe.first_error());
    }
    fmt::print("\n  N = {:<5}\n  {:<14} {:<16} {:>12} {:>9} {:>8} {:>8} {:>8} {:>10} {:>9} {:>6}\n", n, "load",
               "server", "deliveries/s", "posts/s", "p50 us", "p99 us", "p999 us", "server CPU", "load CPU", "B/dlv");
    for (double rate : {f.fixed_deliveries / n, 0.0}) {
      std::string load = rate > 0 ? fmt::format("{:.0f} posts/s", rate) : "flat out";
      std::vector<Figures> joined, per_frame, hearth_runs;
      for (int rep = 0; rep < f.runs; ++rep) {
        for (auto mode : {MinimalServer::Mode::kJoined, MinimalServer::Mode::kPerFrame}) {
          MinimalServer server(mode, f.server_threads);
          Target mt;
          mt.name = mode == MinimalServer::Mode::kJoined ? "minimal joined" : "minimal per-frame";
          mt.port = server.start();
          (mode == MinimalServer::Mode::kJoined ? joined : per_frame).push_back(run_once(mt, n, rate, f, nonce));
        }
        if (have_hub) {
          ht.cursor = hearth->head();
          hearth_runs.push_back(run_once(ht, n, rate, f, nonce + static_cast<uint64_t>(rep) * 1000 + (rate > 0)));
        }
      }
      Figures j = median_of(joined), pf = median_of(per_frame);
      print_row(load, "minimal joined", j);
      print_row("", "minimal 1/frame", pf);
      if (have_hub) {
        Figures h = median_of(hearth_runs);
        print_row("", "hearth", h);
        fmt::print("  {:<14} hearth/minimal joined: deliveries {:.2f} (target >= 0.8), p99 {:.2f} (target <= 1.5){}\n",
                   "", h.deliveries_per_s / j.deliveries_per_s, j.p99 > 0 ? h.p99 / j.p99 : 0,
                   h.gaps ? fmt::format(", {} GAPS", h.gaps) : "");
      }
    }
    hearth->stop();
  }
}

}  // namespace hearth::bench
