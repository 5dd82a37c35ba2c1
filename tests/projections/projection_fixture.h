#pragma once
// A real EventLog and Projector in a temporary directory: tests append events as the sequencer
// would (one batch per commit) and then look at the rows.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/log/event_log.h"
#include "projections/projector.h"
#include "support/event_builders.h"
#include "support/temp_dir.h"

namespace hearth::testing {

inline constexpr UserId kAdmin{1}, kAlice{2}, kBob{3};
inline constexpr RoomId kAllTalk{1};

class ProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EventLog::Options options;
    options.durability = Durability::kNormal;  // tests need no fsync
    auto log = EventLog::open(log_path(), options);
    ASSERT_TRUE(log.ok()) << log.error().to_string();
    log_ = std::move(*log);
    open_projector();
  }

  std::string log_path() const { return dir_.file("log.sqlite3"); }
  std::string state_path() const { return dir_.file("state.sqlite3"); }

  void open_projector() {
    projector_.reset();
    auto p = Projector::open(state_path());
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    projector_ = std::move(*p);
  }

  // Appends `events` as one batch (each a microsecond after the last) without projecting it.
  std::vector<StoredEvent> append(std::vector<StoredEvent> events) {
    for (auto& e : events) e.time_us = ++clock_us_;
    auto st = log_->append(events);
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return events;
  }

  // Appends and projects `events` as one batch, as the sequencer does after a group commit.
  std::vector<StoredEvent> commit(std::vector<StoredEvent> events) {
    auto batch = append(std::move(events));
    auto st = projector_->apply(batch);
    EXPECT_TRUE(st.ok()) << st.error().to_string();
    return batch;
  }

  // The account, an administrator, Alice and Bob, and "All Talk" with all three in it.
  void seed() {
    commit({account_created("Campfire", "abcd-efgh-ijkl"),
            user_joined(kAdmin, "Admin", "admin@example.com", Role::kAdministrator),
            user_joined(kAlice, "Alice", "alice@example.com"), user_joined(kBob, "Bob", "bob@example.com"),
            room_created(kAllTalk, RoomKind::kOpen, "All Talk", kAdmin),
            membership_granted(kAllTalk, kAdmin), membership_granted(kAllTalk, kAlice),
            membership_granted(kAllTalk, kBob)});
  }

  int64_t integer(const std::string& sql) {
    auto v = projector_->db().query_int(sql);
    EXPECT_TRUE(v.ok()) << v.error().to_string();
    return v.ok() && *v ? **v : -1;
  }
  std::string text(const std::string& sql) {
    auto s = projector_->db().prepare(sql);
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    if (!s.ok()) return "<error>";
    auto row = s->step();
    if (!row.ok() || !*row) return "<no row>";
    return s->col_null(0) ? "<null>" : std::string(s->col_text(0));
  }
  int64_t count(const std::string& table_and_where) { return integer("SELECT count(*) FROM " + table_and_where); }
  int64_t clock() const { return clock_us_; }

  TempDir dir_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<Projector> projector_;
  int64_t clock_us_ = 1'700'000'000'000'000;
};

}  // namespace hearth::testing
