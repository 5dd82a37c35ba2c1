// bench/append: the write path's figures in one run (DESIGN "The write path", I7, and the failure
// table's "start-up time with a 1M-event log").
//  1. PostMessage commands/s through a DataDir (sequencer + projections + FTS), kFull and kNormal,
//     with p50/p99 submit -> completion latency and the mean group-commit batch;
//  2. the limit: plain SQLite writing the same rows (event; message + FTS5) 1,000 posts per
//     transaction into two databases from one thread, and the ratio of (1) to it;
//  3. DataDir::open time over a large log: the first open (catching up the projections), then
//     opens with full verification, with verify_tail = 10,000 and with none;
//  4. resident memory after opening a 10k-event and a large data dir and posting 1k messages.
// Usage: append [--quick] [--posts N] [--startup-events N] [--threads N] [--window N] [--dir D] [--keep]
// Throughput figures are medians of 3 runs on fresh directories; ratios use medians of this run.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "projections/data_dir.h"
#include "schema/events_generated.h"

namespace hearth {
namespace {

using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Flags {
  int64_t posts = 200'000;  // per throughput run
  int64_t startup_events = 1'000'000;
  int64_t rss_small = 10'000;  // events in the small data dir of the memory comparison
  int threads = 4;
  // Outstanding submits per thread: 1,024 in flight by default, the load of a busy company. With
  // 256 in flight the pipeline starves (each thread idle ~40% of the time, measured with perf)
  // and throughput is bound by latency, not work: 52k vs 74k posts/s on the same machine.
  int window = 256;
  int repeats = 3;
  std::string dir;  // default: a fresh directory under the system temp dir
  bool keep = false;
  std::string rss_probe;  // internal: child-process mode, see rss_probe()
};

[[noreturn]] void die(const std::string& what) {
  fmt::print(stderr, "append: {}\n", what);
  std::exit(1);
}
template <class T>
T must(Result<T> r, std::string_view what) {
  if (!r) die(fmt::format("{}: {}", what, r.error().to_string()));
  return std::move(*r);
}

double ms_since(Steady::time_point t0) { return std::chrono::duration<double, std::milli>(Steady::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int64_t rss_kb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6));
  }
  return -1;
}

// Chat-like text from a small vocabulary, so FTS5 sees the same terms again and again (long
// doclists) as on a real server, not fresh terms on every post. ~110-200 bytes of HTML.
struct Body {
  std::string html, plain;
};
std::vector<Body> make_bodies(size_t n) {
  static constexpr std::array<const char*, 32> kWords = {
      "deploy", "release", "coffee", "meeting", "review", "bug", "fix", "merge", "branch", "lunch", "server",
      "latency", "client", "search", "index", "room", "message", "tomorrow", "today", "ship", "test", "flaky",
      "green", "build", "docs", "design", "question", "thanks", "agreed", "later", "ping", "customer"};
  std::mt19937_64 rng(42);
  std::vector<Body> out(n);
  for (auto& b : out) {
    size_t words = 14 + rng() % 10, strong = rng() % words;
    for (size_t w = 0; w < words; ++w) {
      std::string word = kWords[rng() % kWords.size()];
      std::string sep = w ? " " : "";
      b.plain += sep + word;
      b.html += sep + (w == strong ? "<strong>" + word + "</strong>" : word);
    }
    b.html = "<p>" + b.html + "</p>";
  }
  return out;
}

std::vector<uint8_t> message_posted_payload(int64_t id, RoomId room, UserId creator, const std::string& client_id,
                                            const Body& b) {
  flatbuffers::FlatBufferBuilder fbb(512);
  auto p = schema::CreateMessagePosted(fbb, id, room.value, creator.value, fbb.CreateString(client_id),
                                       fbb.CreateString(b.html), fbb.CreateString(b.plain));
  fbb.Finish(schema::CreateEvent(fbb, schema::Payload::MessagePosted, p.Union()));
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

// ---- Hearth through the sequencer ----

struct Fixture {
  RoomId room;
  std::vector<UserId> users;
};

Fixture read_fixture(const std::string& state_path) {
  auto state = must(sqlite::Db::open(state_path, sqlite::Db::Mode::kReadOnly), "open state");
  Fixture f;
  f.room = RoomId(must(state.query_int("SELECT id FROM rooms WHERE name = 'All Talk'"), "room").value_or(0));
  auto users = must(state.prepare("SELECT id FROM users ORDER BY id"), "users");
  while (must(users.step(), "users")) f.users.emplace_back(users.col_int(0));
  return f;
}

// First-run setup (admin + "All Talk"), then 9 people join, so the room has 10 members to mark.
// Commands complete after the projector applied them, so the state file already shows them.
Fixture set_up_account(DataDir& d) {
  auto& s = d.sequencer();
  const std::string digest = "$argon2id$bench", ip = "127.0.0.1", agent = "bench";
  must(s.execute({kSystemActor, "", cmd::SetupFirstRun{"Admin", "admin@example.com", digest, ip, agent}}), "setup");
  auto state = must(sqlite::Db::open(d.state_path(), sqlite::Db::Mode::kReadOnly), "open state");
  auto code = must(state.prepare("SELECT join_code FROM account"), "join code");
  if (!must(code.step(), "join code")) die("no account after setup");
  for (int i = 1; i < 10; ++i) {
    cmd::JoinAccount join{std::string(code.col_text(0)), fmt::format("User {}", i),
                          fmt::format("user{}@example.com", i), digest, ip, agent};
    must(s.execute({kSystemActor, "", std::move(join)}), "join");
  }
  return read_fixture(d.state_path());
}

struct RunResult {
  double posts_per_s = 0, batch_mean = 0, p50_us = 0, p99_us = 0;
};

// A submitter's window. The completion callback (apply thread) frees a slot and notifies under
// the lock, so the submitter cannot see zero outstanding, return and free this mid-callback.
struct Window {
  std::mutex mu;
  std::condition_variable cv;
  int outstanding = 0;
  std::vector<int64_t> latency_ns;
  std::string first_error;
};

// `threads` submitters each keeping `window` async submits in flight: the load of many clients
// on a few IO threads, which is what lets group commit form batches.
RunResult drive_posts(Sequencer& s, const Fixture& f, const std::vector<Body>& bodies, int64_t posts, int threads,
                      int window, const std::string& id_prefix) {
  std::vector<Window> windows(threads);
  auto submitter = [&](int t) {
    Window& w = windows[t];
    int64_t n = posts / threads + (t < posts % threads ? 1 : 0);
    w.latency_ns.assign(n, 0);
    for (int64_t i = 0; i < n; ++i) {
      {
        std::unique_lock lock(w.mu);
        w.cv.wait(lock, [&] { return w.outstanding < window; });
        ++w.outstanding;
      }
      const Body& b = bodies[(t * 7919 + i) % bodies.size()];
      CommandEnvelope c{f.users[(t + i) % f.users.size()], fmt::format("{}{}-{}", id_prefix, t, i),
                        cmd::PostMessage{f.room, b.html, b.plain, {}, {}, {}}};
      auto t0 = Steady::now();
      s.submit(std::move(c), [&w, i, t0](Outcome o) {
        int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now() - t0).count();
        std::lock_guard lock(w.mu);
        if (!o && w.first_error.empty()) w.first_error = o.error().to_string();
        w.latency_ns[i] = ns;
        --w.outstanding;
        w.cv.notify_one();
      });
    }
    std::unique_lock lock(w.mu);
    w.cv.wait(lock, [&] { return w.outstanding == 0; });
  };
  auto t0 = Steady::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(submitter, t);
  for (auto& th : pool) th.join();
  double seconds = ms_since(t0) / 1000;
  std::vector<int64_t> all;
  for (auto& w : windows) {
    if (!w.first_error.empty()) die("a post failed: " + w.first_error);
    all.insert(all.end(), w.latency_ns.begin(), w.latency_ns.end());
  }
  std::sort(all.begin(), all.end());
  RunResult r;
  r.posts_per_s = static_cast<double>(posts) / seconds;
  r.p50_us = static_cast<double>(all[all.size() / 2]) / 1000;
  r.p99_us = static_cast<double>(all[std::min(all.size() - 1, all.size() * 99 / 100)]) / 1000;
  return r;
}

RunResult hearth_run(const std::string& dir, Durability durability, const Flags& flags, const std::vector<Body>& bodies) {
  DataDir::Options options;
  options.durability = durability;
  auto d = must(DataDir::open(dir, options), "open data dir");
  Fixture f = set_up_account(*d);
  // A PostMessage is one event, so events per committed batch = commands per group commit.
  auto batches = std::make_shared<std::atomic<int64_t>>(0), events = std::make_shared<std::atomic<int64_t>>(0);
  d->sequencer().add_listener([batches, events](const Batch& b) {
    batches->fetch_add(1);
    events->fetch_add(static_cast<int64_t>(b->size()));
  });
  RunResult r = drive_posts(d->sequencer(), f, bodies, flags.posts, flags.threads, flags.window, "c");
  r.batch_mean = static_cast<double>(events->load()) / static_cast<double>(std::max<int64_t>(1, batches->load()));
  return r;
}

// ---- the limit: plain SQLite, no sequencer ----

constexpr std::string_view kLimitLogDdl = R"sql(
CREATE TABLE events(seq INTEGER PRIMARY KEY, time_us INTEGER NOT NULL, actor INTEGER NOT NULL,
  type INTEGER NOT NULL, command_id TEXT, payload BLOB NOT NULL, checksum INTEGER NOT NULL, chain INTEGER NOT NULL);
CREATE INDEX events_by_command ON events(actor, command_id) WHERE command_id IS NOT NULL;)sql";
constexpr std::string_view kLimitStateDdl = R"sql(
CREATE TABLE messages(id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL, creator_id INTEGER NOT NULL,
  client_message_id TEXT, body_html TEXT NOT NULL, plain_text TEXT NOT NULL, created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE INDEX messages_room_seq ON messages(room_id, seq);
CREATE INDEX messages_creator ON messages(creator_id);
CREATE VIRTUAL TABLE message_search USING fts5(plain_text, content='messages', content_rowid='id',
  tokenize='porter unicode61');)sql";

// The rows Hearth writes per post, without its bookkeeping (log triggers, checksums, payload
// building, idempotency look-ups, unread/room updates). The FTS row is a plain INSERT, not a
// trigger. log.sqlite3 has the durability under test; state.sqlite3 is NORMAL, as Hearth's.
double limit_run(const std::string& dir, Durability durability, int64_t posts, const std::vector<Body>& bodies) {
  fs::create_directories(dir);
  using Mode = sqlite::Db::Mode;
  auto log = must(sqlite::Db::open(dir + "/log.sqlite3", Mode::kReadWriteCreate), "limit log");
  auto state = must(sqlite::Db::open(dir + "/state.sqlite3", Mode::kReadWriteCreate), "limit state");
  must(log.exec(durability == Durability::kFull ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL"
                                                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"), "pragma");
  must(state.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"), "pragma");
  must(log.exec(kLimitLogDdl), "limit log schema");
  must(state.exec(kLimitStateDdl), "limit state schema");
  auto ins_event = must(log.prepare("INSERT INTO events VALUES(?,?,?,?,?,?,?,?)"), "prepare");
  auto ins_message = must(state.prepare("INSERT INTO messages VALUES(?,?,?,?,?,?,?,?,?)"), "prepare");
  auto ins_fts = must(state.prepare("INSERT INTO message_search(rowid, plain_text) VALUES(?,?)"), "prepare");
  // Real payload bytes (~350), built before the clock starts: the limit measures storage only.
  std::vector<std::vector<uint8_t>> payloads;
  for (const Body& b : bodies) payloads.push_back(message_posted_payload(1, RoomId(1), UserId(1), "c0-0", b));
  const auto type = static_cast<int64_t>(schema::Payload::MessagePosted);
  auto t0 = Steady::now();
  for (int64_t first = 1; first <= posts; first += 1000) {
    int64_t last = std::min(posts, first + 999);
    auto tx = must(sqlite::Transaction::begin(log), "begin");
    for (int64_t id = first; id <= last; ++id) {
      uint64_t h = static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15ull;  // checksums use all 64 bits
      ins_event.bind(1, id).bind(2, id).bind(3, id % 10 + 1).bind(4, type).bind(5, fmt::format("c{}", id));
      ins_event.bind_blob(6, payloads[id % payloads.size()]).bind(7, std::bit_cast<int64_t>(h));
      must(ins_event.bind(8, std::bit_cast<int64_t>(h ^ (h >> 29))).run(), "insert event");
    }
    must(tx.commit(), "commit log");
    auto ts = must(sqlite::Transaction::begin(state), "begin");
    for (int64_t id = first; id <= last; ++id) {
      const Body& b = bodies[id % bodies.size()];
      ins_message.bind(1, id).bind(2, 1).bind(3, id % 10 + 1).bind(4, fmt::format("c{}", id)).bind(5, b.html);
      ins_message.bind(6, b.plain).bind(7, id).bind(8, id).bind(9, id);
      must(ins_message.run(), "insert message");
      must(ins_fts.bind(1, id).bind(2, b.plain).run(), "insert fts");
    }
    must(ts.commit(), "commit state");
  }
  return static_cast<double>(posts) / (ms_since(t0) / 1000);
}

// ---- start-up and memory ----

// A data dir of `events` events: set up through the sequencer, then MessagePosted events appended
// straight to the log in big transactions, leaving the projections behind for an open to catch up.
void build_log_dir(const std::string& dir, int64_t events, const std::vector<Body>& bodies) {
  DataDir::Options options;
  options.durability = Durability::kNormal;
  Fixture f = set_up_account(*must(DataDir::open(dir, options), "open data dir"));
  EventLog::Options lo;
  lo.durability = Durability::kNormal;
  lo.verify_on_open = false;
  auto log = must(EventLog::open(dir + "/log.sqlite3", lo), "open log");
  const int64_t base_us = SystemClock().now_us();
  int64_t id = 0;
  std::vector<StoredEvent> batch;
  while (log->last_seq().value < events) {
    batch.resize(std::min<int64_t>(50'000, events - log->last_seq().value));
    for (StoredEvent& e : batch) {
      ++id;
      e.time_us = base_us + id;
      e.actor = f.users[id % f.users.size()];
      e.type = static_cast<uint32_t>(schema::Payload::MessagePosted);
      e.command_id = fmt::format("s{}", id);
      e.payload = message_posted_payload(id, f.room, e.actor, e.command_id, bodies[id % bodies.size()]);
    }
    must(log->append(batch), "append");
  }
}

// The median wall time of DataDir::open; closing (stopping the sequencer) is not start-up time.
double open_ms(const std::string& dir, bool verify, int64_t verify_tail, int repeats = 1) {
  DataDir::Options options;
  options.verify_log = verify;
  options.verify_tail = verify_tail;
  std::vector<double> v;
  for (int i = 0; i < repeats; ++i) {
    auto t0 = Steady::now();
    auto d = must(DataDir::open(dir, options), "open data dir");
    v.push_back(ms_since(t0));
  }
  return median(v);
}

// Child-process mode: open `dir`, post 1k messages, print VmRSS in kB. A fresh process, so the
// figure is what a server holds for this data dir, not what earlier phases left in the heap.
int rss_probe(const std::string& dir) {
  DataDir::Options options;
  options.durability = Durability::kNormal;
  options.verify_tail = 10'000;
  auto d = must(DataDir::open(dir, options), "open data dir");
  drive_posts(d->sequencer(), read_fixture(d->state_path()), make_bodies(256), 1000, 1, 64, "rss");
  fmt::print("{}\n", rss_kb());
  return 0;
}

int64_t rss_of_child(const std::string& dir) {
  std::string self = fs::read_symlink("/proc/self/exe");
  FILE* p = popen(fmt::format("'{}' --rss-probe '{}'", self, dir).c_str(), "r");
  if (!p) die("popen failed");
  long long kb = -1;
  if (std::fscanf(p, "%lld", &kb) != 1) kb = -1;
  if (pclose(p) != 0 || kb < 0) die("rss probe failed for " + dir);
  return kb;
}

Flags parse(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--quick") {
      f.posts = 5'000;
      f.startup_events = 20'000;
      continue;
    }
    if (a == "--posts") f.posts = std::stoll(next());
    else if (a == "--startup-events") f.startup_events = std::stoll(next());
    else if (a == "--threads") f.threads = std::stoi(next());
    else if (a == "--window") f.window = std::stoi(next());
    else if (a == "--dir") f.dir = next();
    else if (a == "--keep") f.keep = true;
    else if (a == "--rss-probe") f.rss_probe = next();
    else die("unknown flag " + a + " (see the comment at the top of bench/append.cc)");
  }
  if (f.threads < 1 || f.posts < f.threads || f.window < 1 || f.startup_events < 100) die("flags out of range");
  f.rss_small = std::min(f.rss_small, f.startup_events);
  return f;
}

}  // namespace
}  // namespace hearth

int main(int argc, char** argv) {
  using namespace hearth;
  Flags flags = parse(argc, argv);
  if (!flags.rss_probe.empty()) return rss_probe(flags.rss_probe);
  if (flags.dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "hearth-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) die("mkdtemp failed");
    flags.dir = tmpl;
  }
  auto bodies = make_bodies(1024);
  fmt::print("bench/append: {} posts x {} runs per figure, {} submitters x {} in flight, data in {}\n", flags.posts,
             flags.repeats, flags.threads, flags.window, flags.dir);
  std::string json = fmt::format(R"({{"bench":"append","posts":{},"threads":{},"window":{})", flags.posts,
                                 flags.threads, flags.window);

  for (Durability dur : {Durability::kFull, Durability::kNormal}) {
    const char* name = dur == Durability::kFull ? "full" : "normal";
    std::vector<double> rate, batch, p50, p99, limit;
    for (int rep = 0; rep < flags.repeats; ++rep) {
      // Hearth and the limit alternate, so drift on a shared machine hits both alike.
      std::string hd = fmt::format("{}/{}-hearth-{}", flags.dir, name, rep);
      RunResult r = hearth_run(hd, dur, flags, bodies);
      fs::remove_all(hd);
      std::string ld = fmt::format("{}/{}-limit-{}", flags.dir, name, rep);
      limit.push_back(limit_run(ld, dur, flags.posts, bodies));
      fs::remove_all(ld);
      rate.push_back(r.posts_per_s);
      batch.push_back(r.batch_mean);
      p50.push_back(r.p50_us);
      p99.push_back(r.p99_us);
      fmt::print("  [{} run {}] hearth {:.0f} posts/s (batch {:.1f}, p50 {:.0f} us, p99 {:.0f} us); limit {:.0f} posts/s\n",
                 name, rep + 1, r.posts_per_s, r.batch_mean, r.p50_us, r.p99_us, limit.back());
    }
    double ratio = median(rate) / median(limit);
    fmt::print("synchronous={:<6}  hearth {:>8.0f} posts/s  mean batch {:>6.1f}  p50 {:>7.0f} us  p99 {:>7.0f} us\n",
               name, median(rate), median(batch), median(p50), median(p99));
    fmt::print("                    limit  {:>8.0f} posts/s  (plain SQLite, 1,000 per transaction)  ratio {:.2f}\n",
               median(limit), ratio);
    json += fmt::format(R"(,"{}":{{"posts_per_s":{:.0f},"batch_mean":{:.1f},"p50_us":{:.0f},"p99_us":{:.0f},)"
                        R"("limit_posts_per_s":{:.0f},"ratio":{:.3f}}})",
                        name, median(rate), median(batch), median(p50), median(p99), median(limit), ratio);
  }

  std::string big = flags.dir + "/startup";
  auto t0 = Steady::now();
  build_log_dir(big, flags.startup_events, bodies);
  double build_ms = ms_since(t0);
  double first_ms = open_ms(big, true, 10'000);
  double full_ms = open_ms(big, true, 0, flags.repeats);
  double tail_ms = open_ms(big, true, 10'000, flags.repeats);
  double none_ms = open_ms(big, false, 0, flags.repeats);
  fmt::print("start-up with {} events (log written in {:.1f} s; warm page cache; median of {}):\n",
             flags.startup_events, build_ms / 1000, flags.repeats);
  fmt::print("  first open, catching up the projections: {:>9.1f} ms   (verify_tail=10000)\n", first_ms);
  fmt::print("  open, full log verification:             {:>9.1f} ms\n", full_ms);
  fmt::print("  open, verify_tail=10000:                 {:>9.1f} ms   (target < 100 ms)\n", tail_ms);
  fmt::print("  open, no verification:                   {:>9.1f} ms\n", none_ms);
  json += fmt::format(R"(,"startup":{{"events":{},"first_open_catchup_ms":{:.1f},"open_verify_full_ms":{:.1f},)"
                      R"("open_verify_tail_10000_ms":{:.1f},"open_no_verify_ms":{:.1f}}})",
                      flags.startup_events, first_ms, full_ms, tail_ms, none_ms);

  std::string small = flags.dir + "/rss-small";
  build_log_dir(small, flags.rss_small, bodies);
  (void)open_ms(small, false, 0);  // catch up here, so the probe measures a steady-state open
  int64_t rss_small = rss_of_child(small), rss_big = rss_of_child(big);
  fmt::print("resident memory after open + 1k posts (fresh process):\n  {:>8} events: {:>7} kB\n"
             "  {:>8} events: {:>7} kB\n", flags.rss_small, rss_small, flags.startup_events, rss_big);
  json += fmt::format(R"(,"rss_kb":{{"events_small":{},"small":{},"events_big":{},"big":{}}}}})", flags.rss_small,
                      rss_small, flags.startup_events, rss_big);
  fmt::print("{}\n", json);
  if (!flags.keep) fs::remove_all(flags.dir);
  return 0;
}
