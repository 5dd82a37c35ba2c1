// bench/search: scoped message search (projections/message_search.h) on 1,000,000 generated
// messages over 100 rooms, 1,000 users in 10 random rooms each. For each query shape, p50/p99 of
// search_messages (the code the API runs: newest 100 in the user's rooms), and in the same run the
// naive join it replaces (match all, join messages, filter by membership, sort by time, take 100)
// with the ratio.
//
// Generation writes state.sqlite3 directly, in bulk, in one transaction: the schema from
// create_state_schema, then rows for users, rooms, memberships, messages and the FTS index, as
// apply_message_posted writes them (the projector's other work per event is not what is measured).
//
// Text: each message is 6-16 words drawn from a Zipf distribution over 10,000 synthetic words
// (rank 0 is in ~70% of messages, rank 5000 in ~200). Words end in 'x', which the Porter stemmer
// leaves alone, so a query word is exactly an indexed token. Room 100 also carries "zorbax" in
// every message: the "foreign" shape searches it as users who are not in room 100, the case the
// newest-first walk is worst at (it reads the whole doclist and finds nothing).
//
// Times are per query, wall clock and the thread's CPU time: on a shared, loaded machine a wall
// p99 is mostly the scheduler's time slice; CPU time is what the query costs.
// --mmap N sets PRAGMA mmap_size on the reading connection (0, SQLite's default, reads pages
// with pread into a 2 MB cache).
// Usage: search [--quick] [--messages N] [--queries N] [--mmap BYTES] [--dir D]
#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/sqlite/db.h"
#include "projections/message_search.h"
#include "projections/search_query.h"
#include "projections/state_schema.h"

namespace hearth {
namespace {

using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr int64_t kRooms = 100, kUsers = 1000, kRoomsPerUser = 10, kVocabulary = 10'000;
constexpr int64_t kForeignRoom = 100;
constexpr const char* kForeignWord = "zorbax";

[[noreturn]] void die(const std::string& what) {
  fmt::print(stderr, "search: {}\n", what);
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

std::vector<std::string> make_vocabulary() {
  std::mt19937_64 rng(3);
  const std::string consonants = "bcdfghjklmnprstvwz", vowels = "aeiou";
  std::vector<std::string> words;
  while (words.size() < kVocabulary) {
    std::string w;
    for (size_t s = 0; s < 2 + words.size() % 3; ++s) {
      w += consonants[rng() % consonants.size()];
      w += vowels[rng() % vowels.size()];
    }
    w += 'x';
    if (std::find(words.begin(), words.end(), w) == words.end() && w != kForeignWord) words.push_back(w);
  }
  return words;
}

struct Corpus {
  std::vector<std::string> words;
  std::vector<std::vector<int64_t>> rooms_of;  // per user (index = user id)
};

Corpus generate(const std::string& path, int64_t messages) {
  Corpus c;
  c.words = make_vocabulary();
  c.rooms_of.resize(kUsers + 1);
  auto db = must(sqlite::Db::open(path, sqlite::Db::Mode::kReadWriteCreate), "open");
  must(db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144"), "pragmas");
  must(create_state_schema(db), "schema");
  must(db.exec("BEGIN"), "begin");
  std::mt19937_64 rng(11);
  auto user = must(db.prepare("INSERT INTO users (id, name, role, created_at_us, updated_at_us) VALUES (?1, ?2, 1, 0, 0)"),
                   "users");
  for (int64_t u = 1; u <= kUsers; ++u) {
    user.bind(1, u).bind(2, fmt::format("user {}", u));
    must(user.run(), "user");
  }
  auto room = must(db.prepare("INSERT INTO rooms (id, kind, name, creator_id, created_at_us, updated_at_us) "
                              "VALUES (?1, 1, ?2, 1, 0, 0)"),
                   "rooms");
  for (int64_t r = 1; r <= kRooms; ++r) {
    room.bind(1, r).bind(2, fmt::format("room {}", r));
    must(room.run(), "room");
  }
  auto member = must(db.prepare("INSERT INTO memberships (room_id, user_id, involvement, created_at_us) VALUES (?1, ?2, 2, 0)"),
                     "memberships");
  std::vector<int64_t> all_rooms;
  for (int64_t r = 1; r <= kRooms; ++r) all_rooms.push_back(r);
  for (int64_t u = 1; u <= kUsers; ++u) {
    std::shuffle(all_rooms.begin(), all_rooms.end(), rng);
    auto& mine = c.rooms_of[static_cast<size_t>(u)];
    mine.assign(all_rooms.begin(), all_rooms.begin() + kRoomsPerUser);
    for (int64_t r : mine) {
      member.bind(1, r).bind(2, u);
      must(member.run(), "membership");
    }
  }
  // Zipf(1) by inverse CDF over the cumulative harmonic numbers.
  std::vector<double> cdf(kVocabulary);
  double h = 0;
  for (size_t i = 0; i < cdf.size(); ++i) cdf[i] = (h += 1.0 / static_cast<double>(i + 1));
  std::uniform_real_distribution<double> unit(0, h);
  auto message = must(db.prepare("INSERT INTO messages (id, room_id, creator_id, body_html, plain_text, created_at_us, "
                                 "updated_at_us, seq) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?5, ?1)"),
                      "messages");
  auto fts = must(db.prepare("INSERT INTO message_search (rowid, plain_text) VALUES (?1, ?2)"), "fts");
  std::string text;
  for (int64_t m = 1; m <= messages; ++m) {
    int64_t r = 1 + static_cast<int64_t>(rng() % kRooms);
    text.clear();
    for (uint64_t k = 0, n = 6 + rng() % 11; k < n; ++k) {
      size_t w = static_cast<size_t>(std::lower_bound(cdf.begin(), cdf.end(), unit(rng)) - cdf.begin());
      if (!text.empty()) text += ' ';
      text += c.words[std::min(w, c.words.size() - 1)];
    }
    if (r == kForeignRoom) text += std::string(" ") + kForeignWord;
    message.bind(1, m).bind(2, r).bind(3, 1 + static_cast<int64_t>(rng() % kUsers)).bind(4, text);
    message.bind(5, 1'700'000'000'000'000 + m * 1000);
    must(message.run(), "message");
    fts.bind(1, m).bind(2, text);
    must(fts.run(), "fts row");
  }
  must(db.exec("COMMIT"), "commit");
  return c;
}

// What the obvious SQL does: every match joined and filtered, then sorted by time for the last 100.
constexpr const char* kNaive =
    "SELECT m.id, m.room_id, r.name, m.creator_id, m.body_html, m.plain_text, m.created_at_us "
    "FROM message_search JOIN messages AS m ON m.id = message_search.rowid JOIN rooms AS r ON r.id = m.room_id "
    "WHERE message_search MATCH ?1 AND m.room_id IN (SELECT room_id FROM memberships WHERE user_id = ?2) "
    "ORDER BY m.created_at_us DESC LIMIT 100";

int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct Timing {
  std::vector<double> wall_ms, cpu_ms;
  std::vector<size_t> hits;  // per query
  static double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
  }
};

struct Shape {
  std::string name;
  std::string query;
  bool foreign = false;  // searched only by users who are not in kForeignRoom
};

template <class Query>
Timing measure(const Corpus& c, const Shape& shape, int queries, double budget_s, Query&& run_one) {
  Timing t;
  std::mt19937_64 rng(5);
  auto deadline = Steady::now() + std::chrono::duration<double>(budget_s);
  for (int i = 0; i < queries; ++i) {
    int64_t u;
    do u = 1 + static_cast<int64_t>(rng() % kUsers);
    while (shape.foreign && std::count(c.rooms_of[static_cast<size_t>(u)].begin(),
                                       c.rooms_of[static_cast<size_t>(u)].end(), kForeignRoom));
    auto w0 = Steady::now();
    int64_t c0 = thread_cpu_ns();
    size_t n = run_one(UserId(u));
    t.cpu_ms.push_back(static_cast<double>(thread_cpu_ns() - c0) / 1e6);
    t.wall_ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - w0).count());
    t.hits.push_back(n);
    if (i >= 4 && Steady::now() > deadline) break;  // the naive join on common words: a few samples
  }
  return t;
}

int run(int argc, char** argv) {
  int64_t messages = 1'000'000;
  int queries = 1000;
  int64_t mmap_bytes = 0;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      messages = 100'000;
      queries = 300;
    } else if (a == "--messages" && i + 1 < argc) {
      messages = std::stoll(argv[++i]);
    } else if (a == "--queries" && i + 1 < argc) {
      queries = std::stoi(argv[++i]);
    } else if (a == "--mmap" && i + 1 < argc) {
      mmap_bytes = std::stoll(argv[++i]);
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else {
      die("usage: search [--quick] [--messages N] [--queries N] [--mmap BYTES] [--dir D]");
    }
  }
  fs::path base = dir.empty() ? fs::temp_directory_path() / fmt::format("hearth-search-bench-{}", ::getpid()) : fs::path(dir);
  fs::remove_all(base);
  fs::create_directories(base);
  std::string path = (base / "state.sqlite3").string();

  auto g0 = Steady::now();
  Corpus c = generate(path, messages);
  fmt::print("generated {} messages, {} rooms, {} users in {} rooms each: {:.1f} s (direct bulk insert, one transaction)\n",
             messages, kRooms, kUsers, kRoomsPerUser, std::chrono::duration<double>(Steady::now() - g0).count());

  // A read-only connection with SQLite's default cache, like the API's leases.
  auto db = must(sqlite::Db::open(path, sqlite::Db::Mode::kReadOnly), "open read-only");
  must(db.exec(fmt::format("PRAGMA mmap_size = {}", mmap_bytes)), "mmap_size");
  fmt::print("reading with mmap_size = {}\n", mmap_bytes);
  auto naive = must(db.prepare(kNaive), "naive");
  const auto& w = c.words;
  std::vector<Shape> shapes = {
      {"1 word, common (rank 0)", w[0]},
      {"1 word, rare (rank 5000)", w[5000]},
      {"2 words, common+common (0, 1)", w[0] + " " + w[1]},
      {"2 words, common+rare (3, 4000)", w[3] + " " + w[4000]},
      {"1 word, only in a room not mine", kForeignWord, true},
  };
  fmt::print("{} queries per shape (naive: at most 3 s per shape), random users; times in ms\n", queries);
  fmt::print("{:<34} {:>8} {:>8} {:>8} {:>8} | {:>9} {:>9} {:>9} | {:>7} {:>7}\n", "shape", "wall p50", "wall p99",
             "cpu p50", "cpu p99", "naive p50", "naive p99", "naive n", "x p50", "x p99");
  for (const Shape& shape : shapes) {
    SearchQuery q = build_search_query(shape.query);
    // Warm the page cache and SQLite's, as a running server is.
    for (int i = 0; i < 3; ++i) (void)search_messages(db, UserId(1), q);
    Timing fast = measure(c, shape, queries, 1e9, [&](UserId u) { return must(search_messages(db, u, q), "search").size(); });
    Timing slow = measure(c, shape, queries, 3.0, [&](UserId u) {
      naive.bind(1, q.match).bind(2, u.value);
      size_t n = 0;
      while (must(naive.step(), "naive step")) ++n;
      naive.reset();
      return n;
    });
    // The same users in the same order: the two must agree on every query both ran.
    for (size_t i = 0; i < slow.hits.size(); ++i) {
      if (fast.hits[i] != slow.hits[i]) {
        die(fmt::format("{}: query {} found {} messages, the naive join {}", shape.name, i, fast.hits[i], slow.hits[i]));
      }
    }
    size_t total = 0;
    for (size_t n : fast.hits) total += n;
    double p50 = Timing::pct(fast.wall_ms, 0.5), p99 = Timing::pct(fast.wall_ms, 0.99);
    double n50 = Timing::pct(slow.wall_ms, 0.5), n99 = Timing::pct(slow.wall_ms, 0.99);
    fmt::print("{:<34} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f} | {:>9.3f} {:>9.3f} {:>9} | {:>7.1f} {:>7.1f}   ({:.1f} hits/query)\n",
               shape.name, p50, p99, Timing::pct(fast.cpu_ms, 0.5), Timing::pct(fast.cpu_ms, 0.99), n50, n99,
               slow.wall_ms.size(), n50 / p50, n99 / p99,
               static_cast<double>(total) / static_cast<double>(fast.hits.size()));
  }
  fs::remove_all(base);
  return 0;
}

}  // namespace
}  // namespace hearth

int main(int argc, char** argv) { return hearth::run(argc, argv); }
