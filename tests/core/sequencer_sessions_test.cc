// Ending a person's other sessions (RELIABILITY S2): a new password and "sign out everywhere
// else" end every session of the user but the one that asked, in the same command; a rehash at
// sign-in ends none. A rebuild of the projections from the log gives the same sessions table.
#include <sstream>

#include "core/base/secret_hash.h"
#include "replay/diff.h"
#include "replay/rebuild.h"
#include "sequencer_fixture.h"

namespace hearth::testing {
namespace {

using Types = std::vector<std::string>;

class SessionsTest : public SequencerTest {
 protected:
  SessionId start(UserId who) { return SessionId(ok(who, cmd::StartSession{"203.0.113.5", "ua"}).id); }
  std::vector<int64_t> sessions_of(UserId who) {
    std::vector<int64_t> out;
    int64_t n = state_int("SELECT count(*) FROM sessions WHERE user_id = " + std::to_string(who.value));
    for (int64_t i = 0; i < n; ++i) {
      out.push_back(state_int("SELECT id FROM sessions WHERE user_id = " + std::to_string(who.value) +
                              " ORDER BY id LIMIT 1 OFFSET " + std::to_string(i)));
    }
    return out;
  }
};

TEST_F(SessionsTest, ANewPasswordEndsEveryOtherSessionOfThePersonAndKeepsTheOneThatAsked) {
  auto admin = setup();
  auto bob = join("bob");  // joining starts his first session
  SessionId phone = start(bob), laptop = start(bob);
  auto admins_before = sessions_of(admin);
  Seq before = last_seq();
  ok(bob, cmd::ChangePassword{bob, "$argon2id$new", laptop});
  EXPECT_EQ(types_since(before), (Types{"PasswordChanged", "SessionEnded", "SessionEnded"}))
      << "one command: the password and the ends commit together";
  EXPECT_EQ(sessions_of(bob), (std::vector<int64_t>{laptop.value}));
  EXPECT_EQ(sessions_of(admin), admins_before) << "only his sessions end";
  (void)phone;
}

TEST_F(SessionsTest, APasswordChangeKeepingNoSessionEndsThemAll) {
  setup();
  auto bob = join("bob");
  start(bob);
  ok(bob, cmd::ChangePassword{bob, "$argon2id$new", SessionId()});
  EXPECT_TRUE(sessions_of(bob).empty());
}

TEST_F(SessionsTest, ARehashEndsNoSessionAndOnlyTheSystemMayAskForOne) {
  setup();
  auto bob = join("bob");
  start(bob);
  auto sessions = sessions_of(bob);
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(fails(bob, cmd::ChangePassword{bob, "$argon2id$same", SessionId(), true}), ErrorCode::kForbidden)
      << "a person may not change the password and keep a stolen session alive";
  Seq before = last_seq();
  ok(kSystemActor, cmd::ChangePassword{bob, "$argon2id$same", SessionId(), true});
  EXPECT_EQ(types_since(before), (Types{"PasswordChanged"}));
  EXPECT_EQ(sessions_of(bob), sessions);
}

TEST_F(SessionsTest, SigningOutEverywhereElseEndsOnlyTheActorsOtherSessions) {
  auto admin = setup();
  auto bob = join("bob");
  SessionId keep = start(bob);
  start(bob);
  auto admins_before = sessions_of(admin);
  Seq before = last_seq();
  ok(bob, cmd::EndOtherSessions{keep});
  EXPECT_EQ(types_since(before), (Types{"SessionEnded", "SessionEnded"}));
  EXPECT_EQ(sessions_of(bob), (std::vector<int64_t>{keep.value}));
  EXPECT_EQ(sessions_of(admin), admins_before);
  // Nothing left to end: accepted, and nothing appended.
  before = last_seq();
  ok(bob, cmd::EndOtherSessions{keep});
  EXPECT_EQ(last_seq(), before);
  // Someone else's session as `keep` protects nothing of theirs and keeps none of the actor's.
  ok(admin, cmd::EndOtherSessions{keep});
  EXPECT_TRUE(sessions_of(admin).empty());
  EXPECT_EQ(sessions_of(bob), (std::vector<int64_t>{keep.value}));
}

TEST_F(SessionsTest, OnlyActivePeopleSignOutElsewhere) {
  auto admin = setup();
  auto bob = join("bob");
  auto robo = bot("Robo");
  EXPECT_EQ(fails(robo, cmd::EndOtherSessions{}), ErrorCode::kForbidden);
  ok(admin, cmd::DeactivateUser{bob});
  EXPECT_EQ(fails(bob, cmd::EndOtherSessions{}), ErrorCode::kForbidden);
}

TEST_F(SessionsTest, TheLogRebuildsTheSameSessionsTableAndWriteModel) {
  setup();
  auto bob = join("bob");
  auto cy = join("cy");
  SessionId keep = start(bob);
  start(bob);
  auto cy_phone = ok(cy, cmd::StartSession{"198.51.100.2", "ua"});
  ok(bob, cmd::ChangePassword{bob, "$argon2id$new", keep});
  SessionId other = start(bob);
  ok(kSystemActor, cmd::ChangePassword{cy, "$argon2id$rehash", SessionId(), true});
  ok(bob, cmd::EndOtherSessions{other});

  auto rebuilt = tmp_.file("rebuilt.sqlite3");
  auto report = replay::rebuild_projection(tmp_.path(), rebuilt);
  ASSERT_TRUE(report.ok()) << report.error().message;
  std::ostringstream out;
  auto diff = replay::diff_states(tmp_.path(), rebuilt, out);
  ASSERT_TRUE(diff.ok()) << diff.error().message;
  EXPECT_TRUE(diff->equal()) << out.str();
  auto db = sqlite::Db::open(rebuilt, sqlite::Db::Mode::kReadOnly);
  ASSERT_TRUE(db.ok());
  auto s = db->prepare("SELECT group_concat(id) FROM (SELECT id FROM sessions WHERE user_id = ? ORDER BY id)");
  ASSERT_TRUE(s.ok());
  s->bind(1, bob.value);
  ASSERT_TRUE(s->step().ok());
  EXPECT_EQ(s->col_text(0), std::to_string(other.value)) << "the rebuilt table holds only the last one kept";

  // The write model loaded from the state agrees: the ended sessions are gone from it too.
  reopen();
  EXPECT_EQ(sessions_of(bob), (std::vector<int64_t>{other.value}));
  EXPECT_EQ(sessions_of(cy).size(), 2u) << "the rehash ended none of hers";
  ok(cy, cmd::EndSession{secret_hash(cy_phone.secret)});
  ok(bob, cmd::EndOtherSessions{other});
  EXPECT_EQ(sessions_of(bob), (std::vector<int64_t>{other.value}));
}

}  // namespace
}  // namespace hearth::testing
