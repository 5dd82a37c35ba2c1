// Logs are kept forever, so every build must read the logs earlier builds wrote (STYLE 18).
// tests/golden/v1/log.sqlite3 was written by the sequencer at schema v1 by the script below and
// holds every event type. When the schema grows (fields and union members appended only), the
// old file must still verify, fold and load; when a release changes what new logs look like, add
// tests/golden/vN+1 beside it, never replace an old one. v2: bot events gain token_sealed.
//
// Regenerate (only for a new version folder): HEARTH_WRITE_GOLDEN=tests/golden/vN ctest -R Golden
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "core/events/event_view.h"
#include "projections/data_dir.h"
#include "projections/write_model_loader.h"
#include "support/bot_commands.h"
#include "support/state_reads.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

namespace fs = std::filesystem;

// The one session `user` has, read from the state once everything is applied.
SessionId only_session_of(DataDir& d, UserId user) {
  d.sequencer().wait_applied(d.sequencer().committed_seq());
  auto db = sqlite::Db::open(d.state_path(), sqlite::Db::Mode::kReadOnly);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return SessionId();
  auto s = db->prepare("SELECT id FROM sessions WHERE user_id = ?");
  EXPECT_TRUE(s.ok());
  if (!s.ok()) return SessionId();
  s->bind(1, user.value);
  auto row = s->step();
  EXPECT_TRUE(row.ok() && *row);
  return row.ok() && *row ? SessionId(s->col_int(0)) : SessionId();
}

// Every command kind, so the log holds every event type. Deterministic: manual clock, seeded random.
void write_script(const std::string& dir) {
  ManualClock clock;
  SeededRandom random(2026);
  DataDir::Options o;
  o.clock = &clock;
  o.random = &random;
  auto d = DataDir::open(dir, o);
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  auto& s = (*d)->sequencer();
  auto run = [&](UserId actor, Command c, std::string id = "") {
    auto out = s.execute({actor, std::move(id), std::move(c)});
    EXPECT_TRUE(out.ok()) << out.error().to_string();
    return out.ok() ? *out : Ack{};
  };
  Blob png{std::string(64, 'a'), 1234, "image/png", "logo.png"};
  UserId ada(run(kSystemActor, cmd::SetupFirstRun{"Ada", "ada@example.com", "$argon2id$v=19$x", "203.0.113.1", "Firefox"}).id);
  run(ada, cmd::RenameAccount{"Hearth HQ"});
  run(ada, cmd::ChangeAccountLogo{png});
  run(ada, cmd::ChangeCustomStyles{"body { color: #333 }"});
  run(ada, cmd::ChangeAccountSettings{false});
  std::string code = current_join_code(**d);
  UserId bob(run(kSystemActor, cmd::JoinAccount{code, "Bob", "bob@example.com", "$2a$12$legacy", "198.51.100.7", "Safari"}).id);
  UserId cy(run(kSystemActor, cmd::JoinAccount{code, "Cy", "cy@example.com", "$argon2id$y", "198.51.100.8", "Chrome"}).id);
  run(ada, cmd::ResetJoinCode{});
  UserId robo(run(ada, create_bot_command("Robo", "https://bots.example/hook", "GoldenToken1", "sealed-1")).id);
  run(ada, cmd::UpdateBot{robo, "Robo Two", "https://bots.example/hook2"});
  run(ada, reset_bot_key_command(robo, "GoldenToken2", "sealed-2"));
  run(bob, cmd::UpdateProfile{"Bobby", "bob@example.com", "Hi, I'm Bob"});
  run(bob, cmd::ChangeAvatar{png});
  // From the browser he joined with, which stays signed in (he has no other session to end).
  run(bob, cmd::ChangePassword{bob, "$argon2id$new", only_session_of(**d, bob)});
  run(ada, cmd::ChangeRole{bob, Role::kAdministrator});
  auto sess = run(cy, cmd::StartSession{"203.0.113.9", "Chrome"});
  (void)sess;
  RoomId lounge(run(bob, cmd::CreateOpenRoom{"Lounge"}).id);
  RoomId plans(run(ada, cmd::CreateClosedRoom{"Plans", {bob}}).id);
  run(ada, cmd::RenameRoom{plans, "Plans 2027"});
  run(ada, cmd::ReviseRoomMembers{plans, {ada, cy}});
  run(ada, cmd::ConvertRoom{plans, RoomKind::kOpen});
  RoomId ping(run(bob, cmd::FindOrCreateDirectRoom{{cy}}).id);
  run(cy, cmd::ChangeInvolvement{lounge, Involvement::kEverything});
  MessageId hello(run(bob, cmd::PostMessage{lounge, "<p>Hello <strong>all</strong> @Cy</p>", "Hello all @Cy", {cy}, std::nullopt, {}}, "c-hello").id);
  run(bob, cmd::PostMessage{ping, "", "", {}, png, {}}, "c-file");
  run(cy, cmd::MarkRoomRead{lounge});
  run(bob, cmd::EditMessage{hello, "<p>Hello everyone</p>", "Hello everyone", {}});
  BoostId fire(run(cy, cmd::AddBoost{hello, "🔥"}).id);
  run(cy, cmd::RemoveBoost{fire});
  run(cy, cmd::AddBoost{hello, "nice"});
  MessageId oops(run(cy, cmd::PostMessage{lounge, "<p>oops</p>", "oops", {}, std::nullopt, {}}, "c-oops").id);
  run(cy, cmd::RemoveMessage{oops});
  run(cy, cmd::RecordSearch{"hello"});
  run(cy, cmd::ClearSearches{});
  run(cy, cmd::RecordSearch{"plans"});
  auto push = run(cy, cmd::AddPushSubscription{"https://push.example/cy", "p256", "auth", "Chrome"});
  run(cy, cmd::RemovePushSubscription{PushSubscriptionId(push.id)});
  run(bob, cmd::DeleteRoom{ping});  // any participant; an administrator outside it may not
  run(ada, cmd::BanUser{cy});
  run(ada, cmd::UnbanUser{cy});
  run(ada, cmd::DeactivateUser{robo});
}

fs::path golden_dir(const std::string& version) { return fs::path(HEARTH_SOURCE_DIR) / "tests/golden" / version; }
// What today's write path produces. v2: bot events carry token_sealed.
const char* const kCurrent = "v2";

TEST(GoldenLogTest, RegenerateOnlyWhenAsked) {
  const char* out = std::getenv("HEARTH_WRITE_GOLDEN");
  if (!out) GTEST_SKIP() << "set HEARTH_WRITE_GOLDEN=DIR to write a new golden log";
  TempDir tmp;
  write_script(tmp.path().string());
  fs::create_directories(out);
  // A single file: checkpoint the WAL into it first.
  auto db = sqlite::Db::open(tmp.file("log.sqlite3"), sqlite::Db::Mode::kReadWrite);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE").ok());
  *db = sqlite::Db();
  fs::copy_file(tmp.file("log.sqlite3"), fs::path(out) / "log.sqlite3", fs::copy_options::overwrite_existing);
}

class GoldenVersionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenVersionTest, TheLogStillVerifiesFoldsAndLoads) {
  TempDir tmp;
  fs::copy_file(golden_dir(GetParam()) / "log.sqlite3", tmp.file("log.sqlite3"));
  EventLog::Options o;
  o.read_only = true;
  auto log = EventLog::open(tmp.file("log.sqlite3"), o);  // verifies every event
  ASSERT_TRUE(log.ok()) << log.error().to_string();
  std::set<std::string> types;
  ASSERT_TRUE((*log)->scan(Seq(0), Seq(INT64_MAX), [&](const StoredEvent& e) -> Status {
    auto ev = view_event(e);
    if (!ev) return ev.take_error();
    types.insert(std::string(event_type_name(e.type)));
    return ok_status();
  }).ok());
  EXPECT_EQ(types.size(), static_cast<size_t>(schema::Payload::MAX)) << "the golden log lacks an event type";

  auto projector = Projector::open(tmp.file("state.sqlite3"));
  ASSERT_TRUE(projector.ok());
  ASSERT_TRUE((*projector)->catch_up(**log).ok());
  auto model = load_write_model((*projector)->db());
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->users.size(), 4u);
  EXPECT_EQ(model->account.name, "Hearth HQ");
  EXPECT_EQ(model->user(UserId(2))->role, Role::kAdministrator);
  EXPECT_EQ(model->user(UserId(4))->status, UserStatus::kDeactivated);
  EXPECT_EQ(model->rooms.size(), 3u);  // All Talk, Lounge, Plans 2027 (the ping was deleted)
}

INSTANTIATE_TEST_SUITE_P(EveryVersion, GoldenVersionTest, ::testing::Values("v1", "v2"));

TEST(GoldenLogTest, TodaysWritePathReproducesTheCurrentLogExactly) {
  // Same script, same clock and random: the same events, byte for byte. A change here means new
  // logs differ from kCurrent — fine for a new schema version (add the next folder), never by accident.
  TempDir tmp;
  write_script(tmp.path().string());
  EventLog::Options o;
  o.read_only = true;
  auto fresh = EventLog::open(tmp.file("log.sqlite3"), o);
  auto golden_copy = tmp.file("golden.sqlite3");
  fs::copy_file(golden_dir(kCurrent) / "log.sqlite3", golden_copy);
  auto golden = EventLog::open(golden_copy, o);
  ASSERT_TRUE(fresh.ok() && golden.ok());
  ASSERT_EQ((*fresh)->last_seq(), (*golden)->last_seq());
  EXPECT_EQ((*fresh)->last_chain(), (*golden)->last_chain()) << "the chain hash covers every byte of every event";
}

}  // namespace
}  // namespace hearth::testing
