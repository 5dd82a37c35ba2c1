#pragma once
// A real data directory (log + projections + sequencer) in a temp dir, with a manual clock and a
// seeded random source, and helpers to run commands and read what they appended.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/events/event_view.h"
#include "projections/data_dir.h"
#include "support/bot_commands.h"
#include "support/state_reads.h"
#include "support/temp_dir.h"

namespace hearth::testing {

class SequencerTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    dir_.reset();
    DataDir::Options o;
    o.durability = Durability::kNormal;  // tests need no fsync; the crash test uses FULL
    o.clock = &clock_;
    o.random = &random_;
    auto d = DataDir::open(tmp_.path().string(), o);
    ASSERT_TRUE(d.ok()) << d.error().to_string();
    dir_ = std::move(*d);
  }

  Outcome run(UserId actor, Command c, std::string command_id = "") {
    return dir_->sequencer().execute(CommandEnvelope{actor, std::move(command_id), std::move(c)});
  }
  // Runs a command that must succeed.
  Ack ok(UserId actor, Command c, std::string command_id = "") {
    auto o = run(actor, std::move(c), std::move(command_id));
    EXPECT_TRUE(o.ok()) << o.error().to_string();
    return o.ok() ? *o : Ack{};
  }
  ErrorCode fails(UserId actor, Command c, std::string command_id = "") {
    auto before = last_seq();
    auto o = run(actor, std::move(c), std::move(command_id));
    EXPECT_FALSE(o.ok()) << "expected a rejection";
    EXPECT_EQ(last_seq(), before) << "a rejected command appended events";
    return o.ok() ? ErrorCode::kIo : o.error().code;
  }

  // First run: returns the administrator's id.
  UserId setup() {
    auto a = ok(kSystemActor, cmd::SetupFirstRun{"Ada", "ada@example.com", "$argon2id$x", "203.0.113.1", "ua"});
    admin_ = UserId(a.id);
    return admin_;
  }
  UserId join(const std::string& name) {
    auto a = ok(kSystemActor, cmd::JoinAccount{join_code(), name, name + "@example.com", "$argon2id$y", "198.51.100.9", "ua"});
    return UserId(a.id);
  }
  UserId bot(const std::string& name) { return UserId(ok(admin_, create_bot_command(name)).id); }
  MessageId post(UserId who, RoomId room, const std::string& text, std::string id = "") {
    if (id.empty()) id = "m" + std::to_string(++posts_);
    return MessageId(ok(who, cmd::PostMessage{room, "<p>" + text + "</p>", text, {}, std::nullopt, {}}, id).id);
  }

  Seq last_seq() { return dir_->sequencer().committed_seq(); }

  // Event type names appended after `after`.
  std::vector<std::string> types_since(Seq after) {
    std::vector<std::string> out;
    for (auto& e : events_since(after)) out.emplace_back(event_type_name(e.type));
    return out;
  }
  std::vector<StoredEvent> events_since(Seq after) {
    EventLog::Options o;
    o.read_only = true;
    o.verify_on_open = false;
    auto log = EventLog::open(tmp_.file("log.sqlite3"), o);
    EXPECT_TRUE(log.ok());
    std::vector<StoredEvent> out;
    if (!log.ok()) return out;
    (void)(*log)->scan(after, Seq(INT64_MAX), [&](const StoredEvent& e) -> Status {
      out.push_back(e);
      return ok_status();
    });
    return out;
  }
  // A single integer from the projections, read after the sequencer applied everything.
  int64_t state_int(const std::string& sql) {
    dir_->sequencer().wait_applied(last_seq());
    auto db = sqlite::Db::open(tmp_.file("state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    EXPECT_TRUE(db.ok());
    auto v = db->query_int(sql);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().to_string());
    return v.ok() && *v ? **v : -1;
  }
  std::string join_code() { return current_join_code(*dir_); }

  TempDir tmp_;
  ManualClock clock_;
  SeededRandom random_{42};
  std::unique_ptr<DataDir> dir_;
  UserId admin_;
  int posts_ = 0;
};

}  // namespace hearth::testing
