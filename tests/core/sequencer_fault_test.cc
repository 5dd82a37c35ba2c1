// A failed durable write stops the sequencer (DESIGN I4; STYLE 7, 16). For N = 1, 2, ... the N-th
// write (or fsync) of the log fails, and each time:
//  - the command whose batch hit the failure completes with an error, never an Ack;
//  - every later command is refused with kUnavailable, and health() says why;
//  - after a restart without faults the log verifies, every acknowledged command is in it exactly
//    once, the projections agree with the log, and writing resumes; the same holds for a copy of
//    the files taken right after the failure, as a kill -9 before closing would leave them.
// The failed command itself may or may not be in the log after the restart (its frames may have
// reached the disk before the fsync failed); either way it is there at most once.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/events/event_view.h"
#include "core/log/event_log.h"
#include "projections/data_dir.h"
#include "support/fault_vfs.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

constexpr UserId kAdmin{1};     // the first user of a fresh data directory
constexpr RoomId kAllTalk{1};   // its first room
constexpr int kMaxN = 20;       // failure points per operation kind
constexpr int kMaxPosts = 60;   // more than enough commits to reach the kMaxN-th operation

struct Fault {
  const char* name;
  FaultVfs::Op op;
  int rc;
};
constexpr Fault kFaults[] = {
    {"write EIO", FaultVfs::Op::kWrite, SQLITE_IOERR_WRITE},
    {"write ENOSPC", FaultVfs::Op::kWrite, SQLITE_FULL},
    {"fsync EIO", FaultVfs::Op::kSync, SQLITE_IOERR_FSYNC},
};

// The files as a kill -9 at this moment would leave them: copied while the store is still open,
// without the shared-memory index (a new process rebuilds it from the WAL).
void crash_copy(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with("-shm")) continue;
    fs::copy_file(entry.path(), fs::path(to) / name, fs::copy_options::overwrite_existing);
  }
}

CommandEnvelope post(int i) {
  cmd::PostMessage p;
  p.room = kAllTalk;
  p.plain_text = "message " + std::to_string(i);
  p.body_html = "<p>" + p.plain_text + "</p>";
  return CommandEnvelope{kAdmin, "m" + std::to_string(i), std::move(p)};
}

CommandEnvelope setup() {
  cmd::SetupFirstRun s{"Admin", "admin@example.com", "$argon2id$test", "203.0.113.7", "test"};
  return CommandEnvelope{kSystemActor, "setup", std::move(s)};
}

class SequencerFaultTest : public ::testing::Test {
 protected:
  void SetUp() override { vfs_ = &FaultVfs::instance(); }
  void TearDown() override { vfs_->disarm(); }

  std::unique_ptr<DataDir> open_dir(const std::string& dir, bool faulty) {
    DataDir::Options options;
    if (faulty) options.log_vfs = FaultVfs::kName;
    auto d = DataDir::open(dir, options);
    EXPECT_TRUE(d.ok()) << d.error().to_string();
    return d.ok() ? std::move(*d) : nullptr;
  }

  // A data directory with the account set up and `warm` messages posted, faults not yet armed.
  std::unique_ptr<DataDir> prepared(const std::string& dir, int warm, std::map<std::string, Seq>& acked) {
    auto d = open_dir(dir, /*faulty=*/true);
    if (!d) return nullptr;
    auto s = d->sequencer().execute(setup());
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    for (int i = 0; i < warm; ++i) {
      auto o = d->sequencer().execute(post(i));
      EXPECT_TRUE(o.ok()) << o.error().to_string();
      if (o.ok()) acked[post(i).command_id] = o->seq;
    }
    return d;
  }

  // Restarts without faults and checks I4 for every acknowledged post, plus at most once for
  // `unsure` (commands that failed: they may have reached the disk).
  void expect_durable_after_restart(const std::string& dir, const std::map<std::string, Seq>& acked,
                                    const std::vector<std::string>& unsure) {
    EventLog::Options read_only;
    read_only.read_only = true;
    {
      auto log = EventLog::open(dir + "/log.sqlite3", read_only);  // verify_on_open: all of it
      ASSERT_TRUE(log.ok()) << log.error().to_string();
      auto checked = (*log)->verify();
      ASSERT_TRUE(checked.ok()) << checked.error().to_string();
      for (auto& [id, seq] : acked) {
        EXPECT_EQ(rows_with(**log, id), 1) << id << " was acknowledged";
        auto found = (*log)->find_command(kAdmin, id);
        ASSERT_TRUE(found.ok());
        ASSERT_TRUE(found->has_value()) << id << " was acknowledged at seq " << seq.value;
        EXPECT_EQ((*found)->first, seq) << id;
        EXPECT_EQ((*found)->second, seq) << id;
        auto e = (*log)->read(seq);
        ASSERT_TRUE(e.ok() && e->has_value());
        auto view = view_event(**e);
        ASSERT_TRUE(view.ok()) << view.error().to_string();
        ASSERT_EQ((*view)->payload_type(), schema::Payload::MessagePosted);
        EXPECT_EQ(sv((*view)->payload_as_MessagePosted()->client_message_id()), id);
      }
      for (auto& id : unsure) EXPECT_LE(rows_with(**log, id), 1) << id;
    }
    // The data directory opens (start-up check, projection catch-up), agrees with the log, and
    // takes writes again; a retried command is applied at most once.
    auto d = open_dir(dir, /*faulty=*/false);
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->sequencer().health().has_value());
    for (auto& id : unsure) {
      auto o = d->sequencer().execute(post(std::stoi(id.substr(1))));
      ASSERT_TRUE(o.ok()) << id << ": " << o.error().to_string();
    }
    auto fresh = d->sequencer().execute(post(1000));
    ASSERT_TRUE(fresh.ok()) << fresh.error().to_string();
    d.reset();
    auto log = EventLog::open(dir + "/log.sqlite3", read_only);
    ASSERT_TRUE(log.ok()) << log.error().to_string();
    for (auto& id : unsure) EXPECT_EQ(rows_with(**log, id), 1) << id << " after its retry";
    auto state = sqlite::Db::open(dir + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
    ASSERT_TRUE(state.ok());
    auto projected = state->query_int("SELECT count(*) FROM messages");
    auto logged = (*log)->db().query_int("SELECT count(*) FROM events WHERE type = " +
                                         std::to_string(static_cast<int>(schema::Payload::MessagePosted)));
    ASSERT_TRUE(projected.ok() && logged.ok());
    EXPECT_EQ(projected->value_or(-1), logged->value_or(-2)) << "projections agree with the log";
    auto applied = state->query_int("SELECT applied_seq FROM meta");
    ASSERT_TRUE(applied.ok());
    EXPECT_EQ(applied->value_or(-1), (*log)->last_seq().value);
  }

  static int64_t rows_with(EventLog& log, const std::string& command_id) {
    auto st = log.db().prepare("SELECT count(*) FROM events WHERE actor = ? AND command_id = ?");
    if (!st) return -1;
    st->bind(1, kAdmin.value).bind(2, command_id);
    auto row = st->step();
    return row.ok() && *row ? st->col_int(0) : -1;
  }

  FaultVfs* vfs_ = nullptr;
};

// One command at a time: the failing batch is exactly one post.
TEST_F(SequencerFaultTest, FailedLogWriteIsNeverAcknowledgedAndStopsWrites) {
  for (const Fault& fault : kFaults) {
    for (int n = 1; n <= kMaxN; ++n) {
      SCOPED_TRACE(std::string(fault.name) + ", failing operation #" + std::to_string(n));
      TempDir dir;
      const std::string path = dir.file("data");
      const std::string crashed = dir.file("crashed");
      std::map<std::string, Seq> acked;
      std::vector<std::string> failed;
      {
        auto d = prepared(path, 2, acked);
        ASSERT_TRUE(d);
        vfs_->fail_nth(fault.op, n, fault.rc);
        int i = 2;
        for (; i < kMaxPosts && failed.empty(); ++i) {
          auto o = d->sequencer().execute(post(i));
          if (o.ok()) {
            ASSERT_FALSE(vfs_->fired()) << "post " << i << " acknowledged after the fault fired";
            acked[post(i).command_id] = o->seq;
            continue;
          }
          ASSERT_TRUE(vfs_->fired()) << "post " << i << " failed before the fault: " << o.error().to_string();
          EXPECT_EQ(o.error().code, ErrorCode::kUnavailable) << o.error().to_string();
          failed.push_back(post(i).command_id);
          crash_copy(path, crashed);
        }
        ASSERT_EQ(failed.size(), 1u) << "operation #" << n << " never failed a commit";
        auto health = d->sequencer().health();
        ASSERT_TRUE(health.has_value());
        EXPECT_EQ(health->code, ErrorCode::kUnavailable);
        EXPECT_NE(health->message.find("log append failed"), std::string::npos) << health->message;
        vfs_->disarm();
        // The disk works again, but the store must not: its state is indeterminate (STYLE 7).
        for (int later = 0; later < 3; ++later, ++i) {
          auto o = d->sequencer().execute(post(i));
          ASSERT_FALSE(o.ok()) << "post " << i << " acknowledged after writes stopped";
          EXPECT_EQ(o.error().code, ErrorCode::kUnavailable);
          EXPECT_EQ(o.error().message, health->message);
        }
        auto other = d->sequencer().execute(CommandEnvelope{kAdmin, "", cmd::RenameAccount{"Renamed"}});
        ASSERT_FALSE(other.ok());
        EXPECT_EQ(other.error().code, ErrorCode::kUnavailable);
      }
      expect_durable_after_restart(path, acked, failed);
      if (HasFatalFailure()) return;
      // A crash right after the failure, before the store closed its files, loses nothing either.
      expect_durable_after_restart(crashed, acked, failed);
      if (HasFatalFailure()) return;
    }
  }
}

// Many commands in flight: batches hold several commands. In submission order, outcomes are a run
// of Acks followed only by errors; no command completes with an Ack after a failed batch.
TEST_F(SequencerFaultTest, NoCommandIsAcknowledgedAfterAFailedBatch) {
  constexpr int kBurst = 48;
  for (const Fault& fault : kFaults) {
    for (int n = 1; n <= kMaxN; n += 3) {
      SCOPED_TRACE(std::string(fault.name) + ", failing operation #" + std::to_string(n));
      TempDir dir;
      const std::string path = dir.file("data");
      std::map<std::string, Seq> acked;
      std::vector<std::string> failed;
      {
        auto d = prepared(path, 1, acked);
        ASSERT_TRUE(d);
        vfs_->fail_nth(fault.op, n, fault.rc);
        std::vector<std::future<Outcome>> outcomes;
        for (int i = 1; i <= kBurst; ++i) outcomes.push_back(d->sequencer().submit(post(i)));
        bool stopped = false;
        for (int i = 1; i <= kBurst; ++i) {
          Outcome o = outcomes[static_cast<size_t>(i - 1)].get();
          if (o.ok()) {
            EXPECT_FALSE(stopped) << "post " << i << " acknowledged after an earlier post failed";
            acked[post(i).command_id] = o->seq;
          } else {
            EXPECT_EQ(o.error().code, ErrorCode::kUnavailable) << o.error().to_string();
            stopped = true;
            failed.push_back(post(i).command_id);
          }
        }
        // Either the burst reached the failing operation, or it finished before it.
        EXPECT_EQ(stopped, vfs_->fired());
        EXPECT_EQ(d->sequencer().health().has_value(), stopped);
        vfs_->disarm();
      }
      expect_durable_after_restart(path, acked, failed);
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace hearth::testing
