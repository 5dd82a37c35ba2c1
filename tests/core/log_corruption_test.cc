// The log's integrity checks (DESIGN I1, I2; STYLE 8, 15): damage to a stored event is reported at
// exactly its seq, the triggers refuse in-place changes, a torn WAL tail loses nothing that was
// committed, and files that are not logs give a clear error instead of a crash.
//
// Groups:
//  1. bit rot in one event (payload on disk, checksum, chain, header columns) -> kCorruption at its seq
//  2. a gap (a row removed behind the triggers' back) -> kCorruption at the first missing seq
//  3. the triggers: UPDATE, DELETE and out-of-order INSERT are refused on a live log
//  4. a torn WAL tail (garbage, a partial frame, a replayed frame, half a transaction) -> every
//     committed event present, verify passes, appending continues at the next seq
//  5. files that are not logs
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "core/log/event_log.h"
#include "core/sqlite/db.h"
#include "support/event_builders.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kEvents = 9;
constexpr int64_t kMiddle = 5;
constexpr UserId kAdmin{1};
constexpr RoomId kRoom{1};

std::string needle(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "needle-%04lld", static_cast<long long>(seq));
  return buf;
}

// Event `seq` (1-based) of a small but realistic log: an account, a user, a room, a membership,
// then messages whose text names their seq (so a test can find an event's bytes in the file).
StoredEvent sample_event(int64_t seq, size_t text_bytes = 0) {
  const int64_t t = 1'700'000'000'000'000 + seq;
  switch (seq) {
    case 1: return at(account_created("Campfire", "abcd-efgh-ijkl"), t);
    case 2: return at(user_joined(kAdmin, "Admin", "admin@example.com", Role::kAdministrator), t);
    case 3: return at(room_created(kRoom, RoomKind::kOpen, "All Talk", kAdmin), t, kAdmin);
    case 4: return at(membership_granted(kRoom, kAdmin), t, kAdmin);
    default: {
      std::string text = needle(seq);
      if (text.size() < text_bytes) text += std::string(text_bytes - text.size(), 'x');
      auto e = at(message_posted(MessageId(seq), kRoom, kAdmin, text), t, kAdmin);
      e.command_id = "c" + std::to_string(seq);
      return e;
    }
  }
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void append_to(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

// Kept separate so the reason for a failure shows the seq the log named.
template <class T>
::testing::AssertionResult IsCorruptionAt(const Result<T>& r, int64_t seq) {
  if (r.ok()) return ::testing::AssertionFailure() << "accepted; expected corruption at seq " << seq;
  const Error& e = r.error();
  if (e.code != ErrorCode::kCorruption) return ::testing::AssertionFailure() << "wrong code: " << e.to_string();
  const std::string at = "at seq " + std::to_string(seq) + ":";
  if (e.message.find(at) == std::string::npos) {
    return ::testing::AssertionFailure() << "does not name seq " << seq << ": " << e.message;
  }
  return ::testing::AssertionSuccess();
}

class LogCorruptionTest : public ::testing::Test {
 protected:
  std::string path() const { return dir_.file("log.sqlite3"); }

  std::unique_ptr<EventLog> open_log(const std::string& p, EventLog::Options options = {}) {
    auto log = EventLog::open(p, options);
    EXPECT_TRUE(log.ok()) << log.error().to_string();
    return log.ok() ? std::move(*log) : nullptr;
  }

  // Appends events 1..n, one transaction each, as the sequencer would for n single-event commands.
  void append_events(EventLog& log, int64_t from, int64_t to, size_t text_bytes = 0) {
    for (int64_t s = from; s <= to; ++s) {
      std::vector<StoredEvent> batch{sample_event(s, text_bytes)};
      auto st = log.append(batch);
      ASSERT_TRUE(st.ok()) << st.error().to_string();
      ASSERT_EQ(batch[0].seq, Seq(s));
    }
  }

  void write_log(int64_t n = kEvents) {
    auto log = open_log(path());
    ASSERT_TRUE(log);
    append_events(*log, 1, n);
  }

  // A connection that bypasses EventLog, as a careless tool or another process would.
  sqlite::Db raw(const std::string& p) {
    auto db = sqlite::Db::open(p, sqlite::Db::Mode::kReadWrite);
    EXPECT_TRUE(db.ok()) << db.error().to_string();
    return db.ok() ? std::move(*db) : sqlite::Db();
  }

  // Runs `sql` with the append-only triggers dropped (EventLog::open puts them back).
  void tamper(const std::string& sql, int rows = 1) {
    auto db = raw(path());
    ASSERT_TRUE(db.exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;").ok());
    auto st = db.exec(sql);
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    ASSERT_EQ(db.changes(), rows) << sql;
  }

  // Both the start-up check and `hearth replay verify` (EventLog::verify) name `seq`.
  void expect_refused_at(int64_t seq) {
    EXPECT_TRUE(IsCorruptionAt(EventLog::open(path(), {}), seq));
    EventLog::Options no_check;
    no_check.verify_on_open = false;
    auto log = open_log(path(), no_check);
    ASSERT_TRUE(log);
    EXPECT_TRUE(IsCorruptionAt(log->verify(), seq));
  }

  TempDir dir_;
};

// ---- 1. bit rot in one event ----

TEST_F(LogCorruptionTest, FlippedPayloadByteOnDiskIsReportedAtItsSeq) {
  write_log();
  // Closing checkpointed the WAL: the payload's bytes are now in the main file.
  ASSERT_FALSE(fs::exists(path() + "-wal") && fs::file_size(path() + "-wal") > 0);
  std::string bytes = slurp(path());
  size_t at = bytes.find(needle(kMiddle));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 2] = static_cast<char>(bytes[at + 2] ^ 0x01);  // "ne" -> "nd": the FlatBuffer stays well-formed
  spit(path(), bytes);
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, FlippedPayloadStructureIsReportedAtItsSeq) {
  write_log();
  // Rewriting the payload with a consistent checksum and chain leaves only the verifier to notice.
  auto db = raw(path());
  ASSERT_TRUE(db.exec("DROP TRIGGER events_no_update").ok());
  StoredEvent e = sample_event(kMiddle);
  e.seq = Seq(kMiddle);
  e.payload.resize(e.payload.size() / 2);  // a truncated FlatBuffer
  e.checksum = event_checksum(e);
  auto prev = db.query_int("SELECT chain FROM events WHERE seq = " + std::to_string(kMiddle - 1));
  ASSERT_TRUE(prev.ok() && prev->has_value());
  e.chain = chain_next(static_cast<uint64_t>(**prev), e.checksum);
  auto st = db.prepare("UPDATE events SET payload = ?, checksum = ?, chain = ? WHERE seq = ?");
  ASSERT_TRUE(st.ok());
  st->bind_blob(1, e.payload)
      .bind(2, static_cast<int64_t>(e.checksum))
      .bind(3, static_cast<int64_t>(e.chain))
      .bind(4, kMiddle);
  ASSERT_TRUE(st->run().ok());
  // Later chain values were computed from the old checksum, but the verifier fails first.
  expect_refused_at(kMiddle);
}

// Flips the lowest bit of an integer column without overflowing.
std::string flip_low_bit(const std::string& column, int64_t seq) {
  return "UPDATE events SET " + column + " = " + column + " + CASE WHEN " + column +
         " & 1 THEN -1 ELSE 1 END WHERE seq = " + std::to_string(seq);
}

TEST_F(LogCorruptionTest, FlippedChecksumColumnIsReportedAtItsSeq) {
  write_log();
  tamper(flip_low_bit("checksum", kMiddle));
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, FlippedChainColumnIsReportedAtItsSeq) {
  write_log();
  tamper(flip_low_bit("chain", kMiddle));
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, ChangedTimeColumnIsReportedAtItsSeq) {
  write_log();
  tamper(flip_low_bit("time_us", kMiddle));
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, ChangedActorColumnIsReportedAtItsSeq) {
  write_log();
  tamper(flip_low_bit("actor", kMiddle));
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, ChangedTypeColumnIsReportedAtItsSeq) {
  write_log();
  tamper(flip_low_bit("type", kMiddle));
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, ChangedCommandIdIsReportedAtItsSeq) {
  write_log();
  tamper("UPDATE events SET command_id = 'forged' WHERE seq = " + std::to_string(kMiddle));
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, CorruptionInTheCheckedTailIsReportedAtItsSeq) {
  write_log();
  tamper(flip_low_bit("checksum", kEvents - 1));
  EventLog::Options tail;
  tail.verify_tail = 3;
  EXPECT_TRUE(IsCorruptionAt(EventLog::open(path(), tail), kEvents - 1));
}

// ---- 2. gaps ----

TEST_F(LogCorruptionTest, GapIsReportedAtFirstMissingSeq) {
  write_log();
  tamper("DELETE FROM events WHERE seq = " + std::to_string(kMiddle));
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, GapOfSeveralEventsIsReportedAtFirstMissingSeq) {
  write_log();
  tamper("DELETE FROM events WHERE seq IN (" + std::to_string(kMiddle) + ", " +
             std::to_string(kMiddle + 1) + ")",
         2);
  expect_refused_at(kMiddle);
}

TEST_F(LogCorruptionTest, MissingFirstEventIsReportedAtSeqOne) {
  write_log();
  tamper("DELETE FROM events WHERE seq = 1");
  expect_refused_at(1);
}

// ---- 3. the triggers ----

TEST_F(LogCorruptionTest, UpdateIsRefusedOnALiveLog) {
  auto log = open_log(path());
  ASSERT_TRUE(log);
  append_events(*log, 1, kEvents);
  auto mine = log->db().exec("UPDATE events SET time_us = 0 WHERE seq = 3");
  ASSERT_FALSE(mine.ok());
  EXPECT_NE(mine.error().message.find("append-only"), std::string::npos) << mine.error().message;
  auto other = raw(path());  // another connection, as a second process would have
  auto theirs = other.exec("UPDATE events SET payload = x'00' WHERE seq = 3");
  ASSERT_FALSE(theirs.ok());
  EXPECT_NE(theirs.error().message.find("append-only"), std::string::npos) << theirs.error().message;
  auto checked = log->verify();
  ASSERT_TRUE(checked.ok()) << checked.error().to_string();
  EXPECT_EQ(*checked, kEvents);
}

TEST_F(LogCorruptionTest, DeleteIsRefusedOnALiveLog) {
  auto log = open_log(path());
  ASSERT_TRUE(log);
  append_events(*log, 1, kEvents);
  auto mine = log->db().exec("DELETE FROM events WHERE seq = " + std::to_string(kEvents));
  ASSERT_FALSE(mine.ok());
  EXPECT_NE(mine.error().message.find("append-only"), std::string::npos) << mine.error().message;
  auto other = raw(path());
  auto theirs = other.exec("DELETE FROM events");
  ASSERT_FALSE(theirs.ok());
  EXPECT_NE(theirs.error().message.find("append-only"), std::string::npos) << theirs.error().message;
  auto checked = log->verify();
  ASSERT_TRUE(checked.ok()) << checked.error().to_string();
  EXPECT_EQ(*checked, kEvents);
}

TEST_F(LogCorruptionTest, InsertWithNonContiguousSeqIsRefused) {
  auto log = open_log(path());
  ASSERT_TRUE(log);
  append_events(*log, 1, kEvents);
  // A well-formed row (right checksum and chain for its seq) is still refused off the end.
  for (int64_t seq : {int64_t{kEvents + 2}, int64_t{kEvents}, int64_t{0}, int64_t{-1}}) {
    SCOPED_TRACE("seq " + std::to_string(seq));
    StoredEvent e = sample_event(kEvents + 1);
    e.seq = Seq(seq);
    e.checksum = event_checksum(e);
    e.chain = chain_next(log->last_chain(), e.checksum);
    auto st = log->db().prepare(
        "INSERT INTO events(seq, time_us, actor, type, command_id, payload, checksum, chain) "
        "VALUES(?,?,?,?,?,?,?,?)");
    ASSERT_TRUE(st.ok());
    st->bind(1, e.seq.value)
        .bind(2, e.time_us)
        .bind(3, e.actor.value)
        .bind(4, static_cast<int64_t>(e.type))
        .bind(5, e.command_id)
        .bind_blob(6, e.payload)
        .bind(7, static_cast<int64_t>(e.checksum))
        .bind(8, static_cast<int64_t>(e.chain));
    EXPECT_FALSE(st->run().ok());
  }
  // Without a seq, SQLite would pick max+1 itself; the trigger sees -1 and refuses that too.
  auto no_seq = log->db().exec(
      "INSERT INTO events(time_us, actor, type, payload, checksum, chain) VALUES(0, 0, 1, x'00', 0, 0)");
  EXPECT_FALSE(no_seq.ok());
  auto count = log->db().query_int("SELECT count(*) FROM events");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->value_or(-1), kEvents);
  auto checked = log->verify();
  ASSERT_TRUE(checked.ok()) << checked.error().to_string();
  EXPECT_EQ(*checked, kEvents);
}

// ---- 4. torn WAL tails ----
//
// A crash leaves the files as they were on disk. With the writer still open (so nothing has been
// checkpointed), log.sqlite3 and log.sqlite3-wal are copied to crash/: that is the state after a
// kill -9. The WAL's tail is then damaged as a torn write of a following transaction would leave it.

class TornTailTest : public LogCorruptionTest {
 protected:
  std::string crash_path() const { return dir_.file("crash/log.sqlite3"); }
  std::string crash_wal() const { return crash_path() + "-wal"; }

  // Commits events 1..n (synchronous=FULL) and copies the files while the writer is still open.
  void commit_and_crash(int64_t n) {
    auto log = open_log(path());
    ASSERT_TRUE(log);
    append_events(*log, 1, n);
    auto page = log->db().query_int("PRAGMA page_size");
    ASSERT_TRUE(page.ok() && page->has_value());
    frame_bytes_ = 24 + static_cast<size_t>(**page);
    snapshot(*log);
  }

  void snapshot(EventLog&) {
    ASSERT_TRUE(fs::exists(path() + "-wal"));
    ASSERT_GT(fs::file_size(path() + "-wal"), 32 + frame_bytes_) << "nothing in the WAL to tear";
    fs::create_directories(dir_.file("crash"));
    fs::copy_file(path(), crash_path(), fs::copy_options::overwrite_existing);
    fs::copy_file(path() + "-wal", crash_wal(), fs::copy_options::overwrite_existing);
  }

  // After recovery: events 1..n exactly as written, verify passes, the next append gets n+1 and
  // survives another restart.
  void expect_recovered(int64_t n) {
    {
      auto log = open_log(crash_path());
      ASSERT_TRUE(log);
      EXPECT_EQ(log->last_seq(), Seq(n));
      auto checked = log->verify();
      ASSERT_TRUE(checked.ok()) << checked.error().to_string();
      EXPECT_EQ(*checked, n);
      for (int64_t s = 1; s <= n; ++s) {
        auto e = log->read(Seq(s));
        ASSERT_TRUE(e.ok() && e->has_value()) << "seq " << s;
        EXPECT_EQ((*e)->payload, sample_event(s).payload) << "seq " << s;
      }
      std::vector<StoredEvent> next{sample_event(n + 1)};
      auto st = log->append(next);
      ASSERT_TRUE(st.ok()) << st.error().to_string();
      EXPECT_EQ(next[0].seq, Seq(n + 1));
    }
    auto log = open_log(crash_path());
    ASSERT_TRUE(log);
    EXPECT_EQ(log->last_seq(), Seq(n + 1));
    auto checked = log->verify();
    ASSERT_TRUE(checked.ok()) << checked.error().to_string();
    EXPECT_EQ(*checked, n + 1);
  }

  size_t frame_bytes_ = 0;
};

TEST_F(TornTailTest, LogTornTailOfRandomBytesLosesNoCommittedEvent) {
  commit_and_crash(kEvents);
  append_to(crash_wal(), random_bytes(100, 7));
  expect_recovered(kEvents);
}

TEST_F(TornTailTest, LogTornTailOfAPartialFrameLosesNoCommittedEvent) {
  commit_and_crash(kEvents);
  std::string wal = slurp(crash_wal());
  ASSERT_EQ((wal.size() - 32) % frame_bytes_, 0u);
  // The first half of the last valid frame again: right salts, right page, cut short.
  append_to(crash_wal(), wal.substr(wal.size() - frame_bytes_, frame_bytes_ / 2));
  expect_recovered(kEvents);
}

TEST_F(TornTailTest, LogTornTailOfAReplayedFrameLosesNoCommittedEvent) {
  commit_and_crash(kEvents);
  std::string wal = slurp(crash_wal());
  // The whole last frame again: complete, but its checksum does not continue the chain.
  append_to(crash_wal(), wal.substr(wal.size() - frame_bytes_));
  expect_recovered(kEvents);
}

TEST_F(TornTailTest, LogTornLastTransactionIsDiscardedWhole) {
  const int64_t before = kEvents;
  auto log = open_log(path());
  ASSERT_TRUE(log);
  append_events(*log, 1, before);
  auto page = log->db().query_int("PRAGMA page_size");
  ASSERT_TRUE(page.ok() && page->has_value());
  frame_bytes_ = 24 + static_cast<size_t>(**page);
  const auto wal_before = fs::file_size(path() + "-wal");
  // One transaction of four events big enough to span several pages (frames).
  std::vector<StoredEvent> batch;
  for (int64_t s = before + 1; s <= before + 4; ++s) batch.push_back(sample_event(s, 3000));
  ASSERT_TRUE(log->append(batch).ok());
  const auto wal_after = fs::file_size(path() + "-wal");
  ASSERT_GE(wal_after - wal_before, 2 * frame_bytes_) << "the transaction must span frames";
  snapshot(*log);
  log.reset();
  // The crash tore the commit frame: the frames before it are whole but never committed.
  fs::resize_file(crash_wal(), wal_after - frame_bytes_ / 2);
  expect_recovered(before);
}

// ---- 5. files that are not logs ----

TEST_F(LogCorruptionTest, NonSqliteFileIsAClearErrorNotACrash) {
  spit(path(), std::string(4096, 'x'));
  for (bool read_only : {false, true}) {
    SCOPED_TRACE(read_only ? "read-only" : "read-write");
    EventLog::Options options;
    options.read_only = read_only;
    auto log = EventLog::open(path(), options);
    ASSERT_FALSE(log.ok());
    EXPECT_EQ(log.error().code, ErrorCode::kCorruption) << log.error().to_string();
    EXPECT_NE(log.error().message.find("not a database"), std::string::npos) << log.error().message;
    EXPECT_NE(log.error().message.find(path()), std::string::npos) << log.error().message;
  }
  EXPECT_EQ(slurp(path()), std::string(4096, 'x')) << "a refused file is left as it was";
}

TEST_F(LogCorruptionTest, RandomBytesFileIsAClearErrorNotACrash) {
  spit(path(), random_bytes(8192, 11));
  auto log = EventLog::open(path(), {});
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::kCorruption) << log.error().to_string();
}

TEST_F(LogCorruptionTest, EmptyFileOpenedReadOnlyIsNotAHearthLog) {
  spit(path(), "");
  EventLog::Options options;
  options.read_only = true;
  auto log = EventLog::open(path(), options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::kCorruption) << log.error().to_string();
  EXPECT_NE(log.error().message.find("not a Hearth log"), std::string::npos) << log.error().message;
}

TEST_F(LogCorruptionTest, NonLogSqliteDatabaseOpenedReadOnlyIsNotAHearthLog) {
  {
    auto db = sqlite::Db::open(path(), sqlite::Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE users(id INTEGER PRIMARY KEY)").ok());
  }
  EventLog::Options options;
  options.read_only = true;
  auto log = EventLog::open(path(), options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::kCorruption) << log.error().to_string();
  EXPECT_NE(log.error().message.find("not a Hearth log"), std::string::npos) << log.error().message;
}

TEST_F(LogCorruptionTest, TruncatedLogFileIsAnErrorNotACrash) {
  {
    auto log = open_log(path());
    ASSERT_TRUE(log);
    // Enough events for the table to span many pages.
    for (int64_t s = 1; s <= 4; ++s) {
      std::vector<StoredEvent> batch{sample_event(s)};
      ASSERT_TRUE(log->append(batch).ok());
    }
    std::vector<StoredEvent> batch;
    for (int64_t s = 5; s <= 64; ++s) batch.push_back(sample_event(s, 500));
    ASSERT_TRUE(log->append(batch).ok());
  }
  const auto full = fs::file_size(path());
  fs::resize_file(path(), full / 2);
  auto log = EventLog::open(path(), {});
  ASSERT_FALSE(log.ok()) << "half a log must not pass the start-up check";
  EXPECT_EQ(log.error().code, ErrorCode::kCorruption) << log.error().to_string();
}

}  // namespace
}  // namespace hearth::testing
