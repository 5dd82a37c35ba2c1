// bench/viewer_state: what a WebSocket connection pays to judge visibility without a WriteModel
// (projections/viewer_state.h): ViewerState::apply per event, visible_to + apply per event, and
// load_viewer_state at a past cursor, on a realistic state: 1,000 users, 20 open rooms everyone
// is in, 80 closed rooms of ~50 members (user 1 is in all 100), membership churn, and messages.
// Usage: viewer_state [--messages N] [--dir D]
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/events/event_view.h"
#include "core/log/event_log.h"
#include "projections/projector.h"
#include "projections/viewer_state.h"
#include "projections/visibility.h"
#include "schema/events_generated.h"

namespace hearth {
namespace {

using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

[[noreturn]] void die(const std::string& what) {
  fmt::print(stderr, "viewer_state: {}\n", what);
  std::exit(1);
}
template <class T>
T must(Result<T> r, std::string_view what) {
  if (!r) die(fmt::format("{}: {}", what, r.error().to_string()));
  return std::move(*r);
}
void must(Status s, std::string_view what) {
  if (!s.ok()) die(fmt::format("{}: {}", what, s.error().to_string()));
}

class Writer {
 public:
  template <class Make>
  void emit(Make&& make) {
    fbb_.Clear();
    auto table = make(fbb_);
    fbb_.Finish(schema::CreateEvent(fbb_, payload_code(table), table.Union()));
    StoredEvent& e = events_.emplace_back();
    e.time_us = 1'700'000'000'000'000 + static_cast<int64_t>(events_.size());
    e.type = static_cast<uint32_t>(payload_code(table));
    e.payload.assign(fbb_.GetBufferPointer(), fbb_.GetBufferPointer() + fbb_.GetSize());
  }
  std::vector<StoredEvent>& events() { return events_; }

 private:
  template <class T>
  static schema::Payload payload_code(flatbuffers::Offset<T>) { return schema::PayloadTraits<T>::enum_value; }
  flatbuffers::FlatBufferBuilder fbb_{512};
  std::vector<StoredEvent> events_;
};

using B = flatbuffers::FlatBufferBuilder;

std::vector<StoredEvent> make_log(int64_t messages) {
  constexpr int64_t kUsers = 1000, kOpen = 20, kClosed = 80, kClosedMembers = 50;
  std::mt19937_64 rng(7);
  Writer w;
  w.emit([](B& b) { return schema::CreateAccountCreated(b, b.CreateString("Bench"), b.CreateString("code")); });
  for (int64_t u = 1; u <= kUsers; ++u) {
    w.emit([&](B& b) {
      return schema::CreateUserJoined(b, u, b.CreateString(fmt::format("user {}", u)),
                                      b.CreateString(fmt::format("u{}@example.com", u)), b.CreateString("$x"));
    });
  }
  std::vector<std::vector<int64_t>> members(kOpen + kClosed + 1);
  for (int64_t r = 1; r <= kOpen + kClosed; ++r) {
    bool open = r <= kOpen;
    w.emit([&](B& b) {
      return schema::CreateRoomCreated(b, r, open ? schema::RoomKind::Open : schema::RoomKind::Closed,
                                       b.CreateString(fmt::format("room {}", r)), 1);
    });
    if (open) {
      for (int64_t u = 1; u <= kUsers; ++u) members[static_cast<size_t>(r)].push_back(u);
    } else {
      members[static_cast<size_t>(r)].push_back(1);
      while (members[static_cast<size_t>(r)].size() < kClosedMembers) {
        int64_t u = 2 + static_cast<int64_t>(rng() % (kUsers - 1));
        auto& m = members[static_cast<size_t>(r)];
        if (std::find(m.begin(), m.end(), u) == m.end()) m.push_back(u);
      }
    }
    for (int64_t u : members[static_cast<size_t>(r)]) {
      w.emit([&](B& b) { return schema::CreateMembershipGranted(b, r, u, schema::Involvement::Mentions); });
    }
  }
  // Churn in the closed rooms, then the messages; one membership change per 100 messages.
  for (int64_t m = 1; m <= messages; ++m) {
    int64_t r = 1 + static_cast<int64_t>(rng() % (kOpen + kClosed));
    auto& in = members[static_cast<size_t>(r)];
    if (m % 100 == 0 && r > kOpen) {
      int64_t u = 2 + static_cast<int64_t>(rng() % (kUsers - 1));
      auto it = std::find(in.begin(), in.end(), u);
      if (it == in.end()) {
        in.push_back(u);
        w.emit([&](B& b) { return schema::CreateMembershipGranted(b, r, u, schema::Involvement::Mentions); });
      } else {
        in.erase(it);
        w.emit([&](B& b) { return schema::CreateMembershipRevoked(b, r, u); });
      }
    }
    int64_t creator = in[rng() % in.size()];
    w.emit([&](B& b) {
      return schema::CreateMessagePosted(b, m, r, creator, b.CreateString(fmt::format("c{}", m)),
                                         b.CreateString("<p>deploy today</p>"), b.CreateString("deploy today"));
    });
  }
  return std::move(w.events());
}

double ns_per(Steady::time_point t0, size_t n) {
  return std::chrono::duration<double, std::nano>(Steady::now() - t0).count() / static_cast<double>(n);
}

int run(int argc, char** argv) {
  int64_t messages = 100'000;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--messages" && i + 1 < argc) {
      messages = std::stoll(argv[++i]);
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else {
      die("usage: viewer_state [--messages N] [--dir D]");
    }
  }
  fs::path base = dir.empty() ? fs::temp_directory_path() / fmt::format("hearth-viewer-bench-{}", ::getpid()) : fs::path(dir);
  fs::remove_all(base);
  fs::create_directories(base);

  auto events = make_log(messages);
  EventLog::Options lo;
  lo.durability = Durability::kNormal;
  auto log = must(EventLog::open((base / "log.sqlite3").string(), lo), "open log");
  auto projector = must(Projector::open((base / "state.sqlite3").string()), "open state");
  constexpr size_t kBatch = 1000;
  auto t0 = Steady::now();
  for (size_t i = 0; i < events.size(); i += kBatch) {
    std::span<StoredEvent> batch(events.data() + i, std::min(kBatch, events.size() - i));
    must(log->append(batch), "append");
    must(projector->apply(batch), "project");
  }
  fmt::print("log: {} events ({} messages), appended and projected in {:.1f} s\n", events.size(), messages,
             std::chrono::duration<double>(Steady::now() - t0).count());
  auto rows = must(projector->db().query_int("SELECT (SELECT count(*) FROM membership_history) + "
                                             "(SELECT count(*) FROM user_status_history) + "
                                             "(SELECT count(*) FROM room_history)"), "count");
  fmt::print("history rows: {}\n", rows.value_or(0));

  // Fold for one viewer over the whole log; the events are in memory, so this is apply alone.
  for (int64_t viewer : {1, 500}) {
    // Best of 5: the machine is shared, and the best run is the one least disturbed.
    double apply_ns = 1e9, both_ns = 1e9;
    ViewerState s;
    size_t seen = 0;
    for (int run = 0; run < 5; ++run) {
      s = ViewerState{};
      s.viewer = UserId(viewer);
      t0 = Steady::now();
      for (const auto& e : events) s.apply(e);
      apply_ns = std::min(apply_ns, ns_per(t0, events.size()));
      ViewerState v;
      v.viewer = UserId(viewer);
      seen = 0;
      t0 = Steady::now();
      for (const auto& e : events) {
        seen += visible_to(e, v.viewer, v).visible;
        v.apply(e);
      }
      both_ns = std::min(both_ns, ns_per(t0, events.size()));
    }
    fmt::print("user {:4} ({} rooms): ViewerState::apply {:.1f} ns/event; visible_to + apply {:.1f} ns/event "
               "({} of {} visible)\n", viewer, s.rooms.size(), apply_ns, both_ns, seen, events.size());
  }
  {
    WriteModel model;
    t0 = Steady::now();
    for (const auto& e : events) model.apply(e);
    fmt::print("for scale: WriteModel::apply {:.1f} ns/event\n", ns_per(t0, events.size()));
  }

  // Loads at random cursors: one-shot (prepares its statements) and through a kept reader.
  const int64_t last = log->last_seq().value;
  auto reader = must(ViewerStateReader::open(projector->db()), "reader");
  for (bool kept : {false, true}) {
    for (int64_t viewer : {0, 1}) {
      std::mt19937_64 rng(11);
      constexpr int kLoads = 2000;
      std::vector<double> us;
      for (int i = 0; i < kLoads; ++i) {
        UserId who(viewer ? viewer : 1 + static_cast<int64_t>(rng() % 1000));
        Seq at(static_cast<int64_t>(rng() % static_cast<uint64_t>(last + 1)));
        auto t = Steady::now();
        auto s = kept ? must(reader.load(who, at), "load") : must(load_viewer_state(projector->db(), who, at), "load");
        us.push_back(std::chrono::duration<double, std::micro>(Steady::now() - t).count());
        if (s.at != at) die("load returned another seq");
      }
      std::sort(us.begin(), us.end());
      double mean = 0;
      for (double x : us) mean += x;
      mean /= static_cast<double>(us.size());
      fmt::print("{} ({}, random cursor): mean {:.1f} us, p50 {:.1f} us, p99 {:.1f} us\n",
                 kept ? "ViewerStateReader::load" : "load_viewer_state", viewer ? "user 1, in all 100 rooms" : "random user",
                 mean, us[us.size() / 2], us[us.size() * 99 / 100]);
    }
  }
  if (dir.empty()) fs::remove_all(base);
  return 0;
}

}  // namespace
}  // namespace hearth

int main(int argc, char** argv) { return hearth::run(argc, argv); }
