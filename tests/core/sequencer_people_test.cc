// The account, users, bots and sessions: the events each command appends and every rejection.
#include "core/base/secret_hash.h"
#include "sequencer_fixture.h"

namespace hearth::testing {
namespace {

using Types = std::vector<std::string>;

TEST_F(SequencerTest, FirstRunCreatesAccountAdminRoomMembershipAndSessionAtomically) {
  Seq before = last_seq();
  auto a = ok(kSystemActor, cmd::SetupFirstRun{"Ada", "ada@example.com", "$argon2id$x", "203.0.113.1", "ua"});
  EXPECT_EQ(types_since(before),
            (Types{"AccountCreated", "UserJoined", "RoomCreated", "MembershipGranted", "SessionStarted"}));
  EXPECT_EQ(a.id, 1);
  EXPECT_EQ(a.secret.size(), 43u);  // the session token, only in this outcome
  EXPECT_EQ(state_int("SELECT role FROM users WHERE id = 1"), 1);
  EXPECT_EQ(state_int("SELECT count(*) FROM rooms WHERE name = 'All Talk' AND kind = 0"), 1);
  EXPECT_EQ(state_int("SELECT count(*) FROM sessions WHERE user_id = 1"), 1);
}

TEST_F(SequencerTest, SecondFirstRunIsAConflictAndAppendsNothing) {
  setup();
  EXPECT_EQ(fails(kSystemActor, cmd::SetupFirstRun{"Eve", "eve@example.com", "$x", "", ""}), ErrorCode::kConflict);
}

TEST_F(SequencerTest, ConcurrentFirstRunsYieldExactlyOneAccount) {
  std::vector<std::future<Outcome>> results;
  for (int i = 0; i < 16; ++i) {
    results.push_back(dir_->sequencer().submit(CommandEnvelope{
        kSystemActor, "", cmd::SetupFirstRun{"U" + std::to_string(i), "u" + std::to_string(i) + "@x.io", "$x", "", ""}}));
  }
  int wins = 0, conflicts = 0;
  for (auto& f : results) {
    auto o = f.get();
    if (o.ok()) ++wins;
    else if (o.error().code == ErrorCode::kConflict) ++conflicts;
  }
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(conflicts, 15);
  EXPECT_EQ(state_int("SELECT count(*) FROM account"), 1);
  EXPECT_EQ(state_int("SELECT count(*) FROM users"), 1);
}

TEST_F(SequencerTest, FirstRunRejectsBlankNameBadEmailAndMissingPassword) {
  EXPECT_EQ(fails(kSystemActor, cmd::SetupFirstRun{" ", "a@b.c", "$x", "", ""}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(kSystemActor, cmd::SetupFirstRun{"A", "not-an-email", "$x", "", ""}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(kSystemActor, cmd::SetupFirstRun{"A", "a@b.c", "", "", ""}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(kSystemActor, cmd::SetupFirstRun{std::string("\xff\xfe"), "a@b.c", "$x", "", ""}), ErrorCode::kInvalid);
}

TEST_F(SequencerTest, JoiningGrantsEveryOpenRoomButNoClosedOne) {
  auto admin = setup();
  ok(admin, cmd::CreateOpenRoom{"Open two"});
  ok(admin, cmd::CreateClosedRoom{"Secret", {}});
  Seq before = last_seq();
  auto bob = join("bob");
  EXPECT_EQ(types_since(before), (Types{"UserJoined", "MembershipGranted", "MembershipGranted", "SessionStarted"}));
  EXPECT_EQ(state_int("SELECT count(*) FROM memberships WHERE user_id = " + std::to_string(bob.value)), 2);
}

TEST_F(SequencerTest, JoinWithWrongCodeIsNotFoundAndTakenEmailIsConflict) {
  setup();
  EXPECT_EQ(fails(kSystemActor, cmd::JoinAccount{"AAAA-BBBB-CCCC", "x", "x@example.com", "$y", "", ""}), ErrorCode::kNotFound);
  EXPECT_EQ(fails(kSystemActor, cmd::JoinAccount{join_code(), "x", "ada@example.com", "$y", "", ""}), ErrorCode::kConflict);
}

TEST_F(SequencerTest, ResetJoinCodeKillsTheOldLinkAtOnce) {
  auto admin = setup();
  std::string old = join_code();
  ok(admin, cmd::ResetJoinCode{});
  EXPECT_NE(join_code(), old);
  EXPECT_EQ(fails(kSystemActor, cmd::JoinAccount{old, "x", "x@example.com", "$y", "", ""}), ErrorCode::kNotFound);
}

TEST_F(SequencerTest, AccountSettingsAreForAdministratorsOnly) {
  auto admin = setup();
  auto bob = join("bob");
  EXPECT_EQ(fails(bob, cmd::RenameAccount{"Mine"}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(bob, cmd::ChangeCustomStyles{"body{}"}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(bob, cmd::ChangeAccountSettings{true}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(bob, cmd::ResetJoinCode{}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(bob, cmd::ChangeAccountLogo{}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(kSystemActor, cmd::RenameAccount{"Anon"}), ErrorCode::kForbidden);
  ok(admin, cmd::RenameAccount{"Hearth HQ"});
  ok(admin, cmd::ChangeCustomStyles{"body { color: red }"});
  ok(admin, cmd::ChangeAccountSettings{true});
  EXPECT_EQ(state_int("SELECT restrict_room_creation FROM account"), 1);
  EXPECT_EQ(fails(admin, cmd::RenameAccount{""}), ErrorCode::kInvalid);
}

TEST_F(SequencerTest, BotTokensAreLoggedOnlyAsTheirHashAndTheSealedCopy) {
  auto admin = setup();
  auto a = ok(admin, create_bot_command("Robo", "https://bots.example/hook", "FirstToken99", "sealed-one"));
  EXPECT_TRUE(a.secret.empty()) << "the server minted the token; core has nothing to hand back";
  auto reset = ok(admin, reset_bot_key_command(UserId(a.id), "SecondToken7", "sealed-two"));
  EXPECT_TRUE(reset.secret.empty());
  for (auto& e : events_since(Seq(0))) {
    std::string bytes(e.payload.begin(), e.payload.end());
    EXPECT_EQ(bytes.find("FirstToken99"), std::string::npos) << "bot token in clear at seq " << e.seq.value;
    EXPECT_EQ(bytes.find("SecondToken7"), std::string::npos) << "bot token in clear at seq " << e.seq.value;
  }
  std::string id = std::to_string(a.id);
  EXPECT_EQ(state_int("SELECT count(*) FROM users WHERE id = " + id + " AND bot_token_hash = '" +
                      secret_hash("SecondToken7") + "' AND bot_token_sealed = CAST('sealed-two' AS BLOB)"), 1);
  // A command that does not carry a hash as secret_hash writes it is refused, not logged.
  EXPECT_EQ(fails(admin, cmd::CreateBot{"Robo 2", "", "", ""}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(admin, cmd::CreateBot{"Robo 2", "", "BotToken1234", ""}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(admin, cmd::ResetBotKey{UserId(a.id), std::string(64, 'A'), ""}), ErrorCode::kInvalid);
  // No sealed copy (as the importer writes): the hash is kept and the sealed column is NULL.
  ok(admin, reset_bot_key_command(UserId(a.id), "ThirdToken55", ""));
  EXPECT_EQ(state_int("SELECT count(*) FROM users WHERE id = " + id + " AND bot_token_sealed IS NULL"), 1);
}

TEST_F(SequencerTest, BotsJoinOpenRoomsButCannotUseThePersonCommands) {
  auto admin = setup();
  auto robo = bot("Robo");
  EXPECT_EQ(state_int("SELECT count(*) FROM memberships WHERE user_id = " + std::to_string(robo.value)), 1);
  EXPECT_EQ(fails(robo, cmd::CreateOpenRoom{"bots"}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(robo, cmd::StartSession{"", ""}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(robo, cmd::UpdateProfile{"R", "r@x.io", ""}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(admin, cmd::ChangeRole{robo, Role::kAdministrator}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(join("bob"), create_bot_command("Mine")), ErrorCode::kForbidden);
}

TEST_F(SequencerTest, ProfileEmailIsUniqueAndBioIsBounded) {
  setup();
  auto bob = join("bob");
  EXPECT_EQ(fails(bob, cmd::UpdateProfile{"Bob", "ada@example.com", ""}), ErrorCode::kConflict);
  EXPECT_EQ(fails(bob, cmd::UpdateProfile{"Bob", "bob@example.com", std::string(201, 'x')}), ErrorCode::kInvalid);
  ok(bob, cmd::UpdateProfile{"Bobby", "bob@example.com", std::string(200, 'x')});
  ok(bob, cmd::UpdateProfile{"Bobby", "BOB@example.com", ""});  // case-sensitive, as Campfire
}

TEST_F(SequencerTest, PasswordChangesAreSelfOrSystemOnly) {
  auto admin = setup();
  auto bob = join("bob");
  EXPECT_EQ(fails(bob, cmd::ChangePassword{admin, "$z", SessionId()}), ErrorCode::kForbidden);
  ok(bob, cmd::ChangePassword{bob, "$z", SessionId()});
  ok(kSystemActor, cmd::ChangePassword{admin, "$rehashed", SessionId(), true});
  EXPECT_EQ(fails(bob, cmd::ChangePassword{bob, "", SessionId()}), ErrorCode::kInvalid);
}

TEST_F(SequencerTest, RoleChangesNeedAnAdministrator) {
  auto admin = setup();
  auto bob = join("bob");
  EXPECT_EQ(fails(bob, cmd::ChangeRole{bob, Role::kAdministrator}), ErrorCode::kForbidden);
  ok(admin, cmd::ChangeRole{bob, Role::kAdministrator});
  ok(bob, cmd::RenameAccount{"Bob's now"});
  EXPECT_EQ(fails(admin, cmd::ChangeRole{UserId(99), Role::kMember}), ErrorCode::kNotFound);
}

TEST_F(SequencerTest, DeactivationRemovesSharedMembershipsSessionsPushAndFreesTheEmail) {
  auto admin = setup();
  auto bob = join("bob");
  ok(bob, cmd::FindOrCreateDirectRoom{{admin}});
  ok(bob, cmd::AddPushSubscription{"https://push.example/1", "k", "a", "ua"});
  Seq before = last_seq();
  ok(admin, cmd::DeactivateUser{bob});
  EXPECT_EQ(types_since(before), (Types{"UserDeactivated", "MembershipRevoked", "SessionEnded",
                                        "PushSubscriptionRemoved", "SearchesCleared"}));
  // The ping membership stays (2.20); the email is free for a new signup.
  EXPECT_EQ(state_int("SELECT count(*) FROM memberships m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = " +
                      std::to_string(bob.value) + " AND r.kind = 2"), 1);
  EXPECT_EQ(fails(bob, cmd::PostMessage{RoomId(1), "x", "x", {}, std::nullopt, {}}, "c1"), ErrorCode::kForbidden);
  join("bob");  // same address again
  EXPECT_EQ(fails(admin, cmd::DeactivateUser{bob}), ErrorCode::kConflict);
}

TEST_F(SequencerTest, BanEndsSessionsRecordsPublicIpsAndRemovesEveryMessage) {
  auto admin = setup();
  auto bob = join("bob");  // its session's ip is 198.51.100.9
  ok(bob, cmd::StartSession{"10.0.0.5", "ua"});  // private: never banned
  post(bob, RoomId(1), "one");
  post(bob, RoomId(1), "two");
  Seq before = last_seq();
  ok(admin, cmd::BanUser{bob});
  EXPECT_EQ(types_since(before), (Types{"UserBanned", "SessionEnded", "SessionEnded", "MessageRemoved", "MessageRemoved"}));
  EXPECT_EQ(state_int("SELECT count(*) FROM bans WHERE ip_address = '198.51.100.9'"), 1);
  EXPECT_EQ(state_int("SELECT count(*) FROM bans"), 1);
  EXPECT_EQ(state_int("SELECT count(*) FROM messages WHERE creator_id = " + std::to_string(bob.value)), 0);
  EXPECT_EQ(fails(bob, cmd::StartSession{"", ""}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(admin, cmd::BanUser{admin}), ErrorCode::kInvalid);
  ok(admin, cmd::UnbanUser{bob});
  EXPECT_EQ(state_int("SELECT count(*) FROM bans"), 0);
  EXPECT_EQ(fails(admin, cmd::UnbanUser{bob}), ErrorCode::kConflict);
}

// Every active user is a member of every open room (DESIGN, CAMPFIRE 2.5): rooms created or
// opened while a user was banned granted only the active users, so the unban grants them, in the
// same command, and a start-up that loads the write model from the projection agrees.
TEST_F(SequencerTest, UnbanGrantsTheOpenRoomsOpenedDuringTheBan) {
  auto admin = setup();
  auto bob = join("bob");
  auto closed = RoomId(ok(admin, cmd::CreateClosedRoom{"Plans", {}}).id);
  ok(admin, cmd::BanUser{bob});
  auto lounge = RoomId(ok(admin, cmd::CreateOpenRoom{"Lounge"}).id);
  ok(admin, cmd::ConvertRoom{closed, RoomKind::kOpen});
  ok(admin, cmd::CreateClosedRoom{"Still closed", {}});
  Seq before = last_seq();
  ok(admin, cmd::UnbanUser{bob});
  EXPECT_EQ(types_since(before), (Types{"UserUnbanned", "MembershipGranted", "MembershipGranted"}));
  const std::string missing =
      "SELECT count(*) FROM rooms r, users u WHERE r.kind = 0 AND u.status = 0 AND NOT EXISTS "
      "(SELECT 1 FROM memberships m WHERE m.room_id = r.id AND m.user_id = u.id)";
  EXPECT_EQ(state_int(missing), 0);
  EXPECT_EQ(state_int("SELECT involvement FROM memberships WHERE room_id = " + std::to_string(lounge.value) +
                      " AND user_id = " + std::to_string(bob.value)), static_cast<int>(Involvement::kMentions));
  reopen();
  post(bob, lounge, "back");  // the loaded write model has the membership too
  post(bob, closed, "here too");
  // Already a member of every open room: an unban grants nothing.
  ok(admin, cmd::BanUser{bob});
  before = last_seq();
  ok(admin, cmd::UnbanUser{bob});
  EXPECT_EQ(types_since(before), (Types{"UserUnbanned"}));
}

TEST_F(SequencerTest, SessionsEndOnlyForTheirOwner) {
  setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto s = ok(bob, cmd::StartSession{"203.0.113.5", "ua"});
  EXPECT_EQ(fails(carol, cmd::EndSession{secret_hash(s.secret)}), ErrorCode::kNotFound);
  ok(bob, cmd::EndSession{secret_hash(s.secret)});
  EXPECT_EQ(fails(bob, cmd::EndSession{secret_hash(s.secret)}), ErrorCode::kNotFound);
}

TEST_F(SequencerTest, SessionTokensNeverReachTheLogInClear) {
  setup();
  auto s = ok(join("bob"), cmd::StartSession{"203.0.113.5", "ua"});
  for (auto& e : events_since(Seq(0))) {
    std::string bytes(e.payload.begin(), e.payload.end());
    EXPECT_EQ(bytes.find(s.secret), std::string::npos);
  }
}

TEST_F(SequencerTest, UpdatingABotRenamesItAndSetsOrClearsItsWebhook) {
  auto admin = setup();
  auto robo = bot("Robo");
  Seq before = last_seq();
  ok(admin, cmd::UpdateBot{robo, "Robo 2", "https://bots.example/new"});
  EXPECT_EQ(types_since(before), (Types{"UserProfileChanged", "WebhookSet"}));
  EXPECT_EQ(state_int("SELECT count(*) FROM users WHERE name = 'Robo 2' AND webhook_url = 'https://bots.example/new'"), 1);
  ok(admin, cmd::UpdateBot{robo, "Robo 2", ""});
  EXPECT_EQ(state_int("SELECT count(*) FROM users WHERE id = " + std::to_string(robo.value) + " AND webhook_url IS NULL"), 1);
  EXPECT_EQ(fails(admin, cmd::UpdateBot{admin, "Not a bot", ""}), ErrorCode::kNotFound);
  EXPECT_EQ(fails(join("bob"), cmd::UpdateBot{robo, "Mine", ""}), ErrorCode::kForbidden);
  ok(admin, cmd::DeactivateUser{robo});
  EXPECT_EQ(fails(admin, reset_bot_key_command(robo, "AnotherToken")), ErrorCode::kNotFound);
}

TEST_F(SequencerTest, AvatarsAndLogosAreBlobReferencesSetAndCleared) {
  auto admin = setup();
  auto bob = join("bob");
  Blob png{std::string(64, 'b'), 2048, "image/png", "me.png"};
  ok(bob, cmd::ChangeAvatar{png});
  EXPECT_EQ(state_int("SELECT avatar_size FROM users WHERE id = " + std::to_string(bob.value)), 2048);
  ok(bob, cmd::ChangeAvatar{std::nullopt});
  EXPECT_EQ(state_int("SELECT count(*) FROM users WHERE avatar_hash IS NULL AND id = " + std::to_string(bob.value)), 1);
  ok(admin, cmd::ChangeAccountLogo{png});
  EXPECT_EQ(state_int("SELECT logo_size FROM account"), 2048);
  EXPECT_EQ(fails(bot("Robo"), cmd::ChangeAvatar{png}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(bob, cmd::ChangeAvatar{Blob{"../../etc/passwd", 1, "image/png", "x.png"}}), ErrorCode::kInvalid);
}

}  // namespace
}  // namespace hearth::testing
