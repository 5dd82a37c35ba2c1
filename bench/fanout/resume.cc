// The resume scenarios: clients away while many events are appended, then back (time until every
// client has caught up); and a reconnect storm (every client connected, the server restarted, time
// until every client has caught up again).
#include <fmt/format.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "bench/fanout/crowd.h"
#include "bench/fanout/hearth_fixture.h"
#include "bench/fanout/scenarios.h"
#include "bench/fanout/stats.h"
#include "core/sequencer/sequencer.h"

namespace hearth::bench {

namespace {

// `count` posts by the administrator, `window` in flight; returns when all are committed and applied.
void append_posts(HearthServer& h, const Account& a, int count, const std::string& prefix) {
  Sequencer& seq = h.sequencer();
  std::vector<std::future<Outcome>> inflight;
  constexpr size_t kWindow = 512;
  for (int i = 0; i < count; ++i) {
    if (inflight.size() == kWindow) {
      for (auto& f : inflight) {
        if (Outcome o = f.get(); !o.ok()) die("append: " + o.error().to_string());
      }
      inflight.clear();
    }
    inflight.push_back(seq.submit({a.users[0], fmt::format("{}{}", prefix, i),
                                   cmd::PostMessage{a.room, "<p>while you were away</p>", "while you were away",
                                                    {}, {}, {}}}));
  }
  for (auto& f : inflight) {
    if (Outcome o = f.get(); !o.ok()) die("append: " + o.error().to_string());
  }
  seq.wait_applied(seq.committed_seq());
}

double ms_between(int64_t a_ns, int64_t b_ns) { return static_cast<double>(b_ns - a_ns) / 1e6; }

}  // namespace

void resume_scenario(const Flags& f) {
  int events = f.quick ? std::min(f.resume_events, 10'000) : f.resume_events;
  std::vector<int> sizes = f.quick ? std::vector<int>{1} : f.resume_clients;
  fmt::print("\nresume: clients welcomed, then away while {} events are appended, then back (hello with\n"
             "  their cursor); time from reconnecting until every client's cursor reaches the head\n",
             events);
  fmt::print("  {:>8} {:>12} {:>14} {:>14} {:>8} {:>8}\n", "clients", "welcomed ms", "caught up ms", "events/s",
             "gaps", "resets");
  for (int n : sizes) {
    std::vector<double> welcome_ms, caught_ms, rate;
    uint64_t gaps = 0, resets = 0;
    for (int rep = 0; rep < f.runs; ++rep) {
      HearthServer h({fresh_dir(f.dir, "resume"), Durability::kFull, f.server_threads});
      h.start();
      Account a = h.create_account(std::max(n, 2));
      Crowd crowd({h.port(), true, h.origin(), a.cookies, n, h.head(), false});
      if (!crowd.connect_all(10)) {
        fmt::print("  (Hearth has no /socket yet: {})\n", crowd.first_error());
        return;
      }
      crowd.close_all();
      append_posts(h, a, events, fmt::format("away{}-", rep));
      const int64_t head = h.head();
      int64_t t0 = now_ns(), t_welcome = 0;
      if (!crowd.connect_all(60)) die("resume: reconnect: " + crowd.first_error());
      t_welcome = now_ns();
      if (!crowd.wait([&] { return crowd.min_cursor() >= head; }, 120)) die("resume: clients never caught up");
      int64_t t1 = now_ns();
      uint64_t received = 0;
      crowd.load().call([&] {
        received = crowd.events_received();
        gaps += crowd.gaps();
        resets += crowd.resets();
      });
      if (received < static_cast<uint64_t>(n) * static_cast<uint64_t>(events)) {
        die(fmt::format("resume: {} events received, expected {} x {}", received, n, events));
      }
      welcome_ms.push_back(ms_between(t0, t_welcome));
      caught_ms.push_back(ms_between(t0, t1));
      rate.push_back(static_cast<double>(received) / (ms_between(t0, t1) / 1000));
      crowd.close_all();
      h.stop();
    }
    fmt::print("  {:>8} {:>12.1f} {:>14.1f} {:>14.0f} {:>8} {:>8}\n", n, median(welcome_ms), median(caught_ms),
               median(rate), gaps, resets);
  }
}

void storm_scenario(const Flags& f) {
  int n = f.storm_clients;
  const int missed = f.storm_missed;  // posted right after the restart, while the clients reconnect
  fmt::print("\nreconnect storm: {} clients connected; the server is stopped (sockets closed 1001) and\n"
             "  started again on the same port, then {} posts are appended; clients retry after 20-120 ms\n"
             "  with jitter; times from the end of the stop until every client is welcomed / has reached the head\n",
             n, missed);
  fmt::print("  {:>8} {:>10} {:>14} {:>14} {:>16} {:>8} {:>8}\n", "clients", "stop ms", "welcomed ms", "caught up ms",
             "(from stop) ms", "gaps", "resets");
  std::vector<double> stop_ms, welcome_ms, caught_ms, total_ms;
  uint64_t gaps = 0, resets = 0;
  // A port below the ephemeral range: a client retrying while the server is down can otherwise
  // connect to itself on it (TCP simultaneous open) and keep the server from binding it again.
  auto port = static_cast<uint16_t>(20000 + getpid() % 5000);
  for (int rep = 0; rep < f.runs; ++rep) {
    HearthServer h({fresh_dir(f.dir, "storm"), Durability::kFull, f.server_threads});
    h.start(port);
    Account a = h.create_account(n);
    Crowd crowd({h.port(), true, h.origin(), a.cookies, n, h.head(), true});
    if (!crowd.connect_all(60)) {
      fmt::print("  (Hearth has no /socket yet: {})\n", crowd.first_error());
      return;
    }
    int64_t t0 = now_ns();
    h.stop();
    int64_t t1 = now_ns();
    h.start(port);
    append_posts(h, a, missed, fmt::format("storm{}-", rep));
    const int64_t head = h.head();
    // Every client has been welcomed on a new connection (the first n welcomes were before the stop).
    if (!crowd.wait([&] { return crowd.welcomes() >= 2 * static_cast<uint64_t>(n); }, 120)) {
      die("storm: clients never reconnected");
    }
    int64_t t_welcome = now_ns();
    if (!crowd.wait([&] { return crowd.min_cursor() >= head; }, 120)) die("storm: clients never caught up");
    int64_t t2 = now_ns();
    crowd.load().call([&] {
      gaps += crowd.gaps();
      resets += crowd.resets();
    });
    stop_ms.push_back(ms_between(t0, t1));
    welcome_ms.push_back(ms_between(t1, t_welcome));
    caught_ms.push_back(ms_between(t1, t2));
    total_ms.push_back(ms_between(t0, t2));
    crowd.close_all();
    h.stop();
  }
  fmt::print("  {:>8} {:>10.1f} {:>14.1f} {:>14.1f} {:>16.1f} {:>8} {:>8}\n", n, median(stop_ms), median(welcome_ms),
             median(caught_ms), median(total_ms), gaps, resets);
}

}  // namespace hearth::bench
