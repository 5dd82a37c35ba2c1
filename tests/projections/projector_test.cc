// The projector's contract: batches in order, one transaction with applied_seq, repair by
// catch_up, and each entity's rows as the events describe them.
#include "projection_fixture.h"

namespace hearth::testing {
namespace {

using ProjectorTest = ProjectionTest;

TEST_F(ProjectorTest, AppliedSeqAdvancesWithTheBatch) {
  seed();
  EXPECT_EQ(projector_->applied_seq(), Seq(8));
  EXPECT_EQ(integer("SELECT applied_seq FROM meta"), 8);
}

TEST_F(ProjectorTest, RefusesABatchThatSkipsAhead) {
  seed();
  append({account_renamed("Skipped")});
  auto next = append({account_renamed("Ahead")});
  auto st = projector_->apply(next);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kConflict);
  EXPECT_NE(st.error().message.find("expected 9"), std::string::npos) << st.error().message;
  EXPECT_EQ(projector_->applied_seq(), Seq(8));
  EXPECT_EQ(text("SELECT name FROM account"), "Campfire");
}

TEST_F(ProjectorTest, RefusesABatchAlreadyApplied) {
  auto batch = commit({account_created("Campfire", "code")});
  EXPECT_FALSE(projector_->apply(batch).ok());
}

TEST_F(ProjectorTest, FailedBatchLeavesNoRowsAndNoAppliedSeq) {
  seed();
  auto batch = append({room_created(RoomId(7), RoomKind::kClosed, "Doomed", kAlice), account_renamed("x")});
  batch[1].payload.resize(3);  // the second event arrives corrupt
  auto st = projector_->apply(batch);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kCorruption);
  EXPECT_NE(st.error().message.find("seq 10"), std::string::npos) << st.error().message;
  EXPECT_EQ(count("rooms WHERE id = 7"), 0);
  EXPECT_EQ(integer("SELECT room FROM id_counters"), 1);
  EXPECT_EQ(integer("SELECT applied_seq FROM meta"), 8);
}

TEST_F(ProjectorTest, CatchUpAfterReopenAppliesOnlyTheTail) {
  seed();
  append({account_renamed("Hearth")});
  append({room_created(RoomId(2), RoomKind::kClosed, "Ops", kAdmin), membership_granted(RoomId(2), kAdmin)});
  open_projector();
  EXPECT_EQ(projector_->applied_seq(), Seq(8));
  ASSERT_TRUE(projector_->catch_up(*log_, 2).ok());
  EXPECT_EQ(projector_->applied_seq(), Seq(11));
  EXPECT_EQ(text("SELECT name FROM account"), "Hearth");
  EXPECT_EQ(count("memberships WHERE room_id = 2"), 1);
  EXPECT_TRUE(projector_->catch_up(*log_).ok());  // nothing left: a no-op
}

TEST_F(ProjectorTest, AccountEventsUpdateTheSingletonRow) {
  commit({account_created("Campfire", "aaaa-bbbb-cccc")});
  commit({account_renamed("Hearth"), join_code_reset("dddd-eeee-ffff"), account_custom_styles_changed("a{}"),
          account_settings_changed(true),
          account_logo_changed(Blob{"ab12", 42, "image/png", "logo.png"})});
  EXPECT_EQ(text("SELECT name FROM account"), "Hearth");
  EXPECT_EQ(text("SELECT join_code FROM account"), "dddd-eeee-ffff");
  EXPECT_EQ(text("SELECT custom_css FROM account"), "a{}");
  EXPECT_EQ(integer("SELECT restrict_room_creation FROM account"), 1);
  EXPECT_EQ(integer("SELECT logo_size FROM account"), 42);
  EXPECT_EQ(integer("SELECT updated_at_us FROM account"), clock());
  commit({account_logo_changed(std::nullopt)});
  EXPECT_EQ(text("SELECT logo_hash FROM account"), "<null>");
}

TEST_F(ProjectorTest, UserEventsUpdateTheirRow) {
  seed();
  commit({user_profile_changed(kAlice, "Alicia", "alicia@example.com", "hi"), password_changed(kAlice, "new"),
          role_changed(kAlice, Role::kAdministrator), user_avatar_changed(kAlice, Blob{"cd", 7, "image/jpeg", "a.jpg"})});
  EXPECT_EQ(text("SELECT name || ' ' || email || ' ' || bio FROM users WHERE id = 2"), "Alicia alicia@example.com hi");
  EXPECT_EQ(text("SELECT password_digest FROM users WHERE id = 2"), "new");
  EXPECT_EQ(integer("SELECT role FROM users WHERE id = 2"), 1);
  EXPECT_EQ(text("SELECT avatar_filename FROM users WHERE id = 2"), "a.jpg");
  EXPECT_EQ(integer("SELECT created_at_us < updated_at_us FROM users WHERE id = 2"), 1);
}

TEST_F(ProjectorTest, BotRowHasRoleBotNoEmailAndItsWebhook) {
  commit({bot_created(UserId(9), "Robo", "hash1", "https://bot.example/hook")});
  EXPECT_EQ(integer("SELECT role FROM users WHERE id = 9"), 2);
  EXPECT_EQ(text("SELECT email FROM users WHERE id = 9"), "<null>");
  EXPECT_EQ(text("SELECT webhook_url FROM users WHERE id = 9"), "https://bot.example/hook");
  commit({bot_key_reset(UserId(9), "hash2"), webhook_set(UserId(9), "")});
  EXPECT_EQ(text("SELECT bot_token_hash FROM users WHERE id = 9"), "hash2");
  EXPECT_EQ(text("SELECT webhook_url FROM users WHERE id = 9"), "<null>");
}

TEST_F(ProjectorTest, DeactivationRewritesEmailAndLeavesSideEffectsToTheirEvents) {
  seed();
  commit({session_started(SessionId(1), kAlice, "tok")});
  commit({user_deactivated(kAlice, "alice-deactivated-2@example.com")});
  EXPECT_EQ(integer("SELECT status FROM users WHERE id = 2"), 1);
  EXPECT_EQ(text("SELECT email FROM users WHERE id = 2"), "alice-deactivated-2@example.com");
  EXPECT_EQ(count("sessions"), 1);  // SessionEnded, not UserDeactivated, removes it
  EXPECT_EQ(count("memberships WHERE user_id = 2"), 1);
}

TEST_F(ProjectorTest, BanRecordsOneRowPerIpAndUnbanRemovesThem) {
  seed();
  commit({user_banned(kBob, {"198.51.100.1", "198.51.100.2", "198.51.100.1", ""})});
  EXPECT_EQ(integer("SELECT status FROM users WHERE id = 3"), 2);
  EXPECT_EQ(count("bans WHERE user_id = 3"), 2);
  commit({user_unbanned(kBob)});
  EXPECT_EQ(integer("SELECT status FROM users WHERE id = 3"), 0);
  EXPECT_EQ(count("bans"), 0);
}

TEST_F(ProjectorTest, SessionsStartAndEnd) {
  seed();
  commit({session_started(SessionId(4), kAlice, "h4", "192.0.2.1", "Firefox")});
  EXPECT_EQ(text("SELECT ip || ' ' || user_agent FROM sessions WHERE token_hash = 'h4'"), "192.0.2.1 Firefox");
  EXPECT_EQ(integer("SELECT session FROM id_counters"), 4);
  commit({session_ended(SessionId(4), kAlice)});
  EXPECT_EQ(count("sessions"), 0);
  EXPECT_EQ(integer("SELECT session FROM id_counters"), 4);
}

TEST_F(ProjectorTest, MembershipsFollowGrantInvolvementReadAndRevoke) {
  seed();
  commit({involvement_changed(kAllTalk, kBob, Involvement::kEverything)});
  EXPECT_EQ(integer("SELECT involvement FROM memberships WHERE room_id = 1 AND user_id = 3"), 3);
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "hello", {.unread = {kAdmin, kBob}})});
  EXPECT_EQ(count("memberships WHERE unread = 1"), 2);
  commit({room_read(kAllTalk, kBob)});
  EXPECT_EQ(integer("SELECT unread FROM memberships WHERE room_id = 1 AND user_id = 3"), 0);
  commit({membership_revoked(kAllTalk, kBob)});
  EXPECT_EQ(count("memberships WHERE user_id = 3"), 0);
}

TEST_F(ProjectorTest, GrantToAMissingRoomIsIgnored) {
  seed();
  commit({membership_granted(RoomId(99), kAlice)});
  EXPECT_EQ(count("memberships WHERE room_id = 99"), 0);
}

TEST_F(ProjectorTest, RoomRenameAndConvertUpdateTheRow) {
  seed();
  commit({room_renamed(kAllTalk, "Everyone"), room_converted(kAllTalk, RoomKind::kClosed)});
  EXPECT_EQ(text("SELECT name FROM rooms WHERE id = 1"), "Everyone");
  EXPECT_EQ(integer("SELECT kind FROM rooms WHERE id = 1"), 1);
}

TEST_F(ProjectorTest, MessagePostStoresRowMentionsAndTouchesRoom) {
  seed();
  commit({message_posted(MessageId(5), kAllTalk, kAlice, "hi @Bob",
                         {.client_message_id = "abc", .mentions = {kBob},
                          .attachment = Blob{"ef", 3, "text/plain", "a.txt"}})});
  EXPECT_EQ(text("SELECT client_message_id FROM messages WHERE id = 5"), "abc");
  EXPECT_EQ(text("SELECT body_html FROM messages WHERE id = 5"), "<p>hi @Bob</p>");
  EXPECT_EQ(integer("SELECT seq FROM messages WHERE id = 5"), 9);
  EXPECT_EQ(text("SELECT attachment_filename FROM messages WHERE id = 5"), "a.txt");
  EXPECT_EQ(count("message_mentions WHERE message_id = 5 AND user_id = 3"), 1);
  EXPECT_EQ(integer("SELECT updated_at_us FROM rooms WHERE id = 1"), clock());
  EXPECT_EQ(integer("SELECT message FROM id_counters"), 5);
}

TEST_F(ProjectorTest, EditReplacesBodyAndMentions) {
  seed();
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "hi @Bob", {.mentions = {kBob}})});
  commit({message_edited(MessageId(1), kAllTalk, "hi @Admin", {kAdmin})});
  EXPECT_EQ(text("SELECT plain_text FROM messages WHERE id = 1"), "hi @Admin");
  EXPECT_EQ(integer("SELECT updated_at_us FROM messages WHERE id = 1"), clock());
  EXPECT_EQ(count("message_mentions WHERE message_id = 1"), 1);
  EXPECT_EQ(count("message_mentions WHERE user_id = 1"), 1);
}

TEST_F(ProjectorTest, RemovedMessageTakesItsBoostsAndMentions) {
  seed();
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "hi @Bob", {.mentions = {kBob}}),
          boost_added(BoostId(1), MessageId(1), kAllTalk, kBob, "🎉")});
  EXPECT_EQ(count("boosts"), 1);
  commit({message_removed(MessageId(1), kAllTalk)});
  EXPECT_EQ(count("messages"), 0);
  EXPECT_EQ(count("boosts"), 0);
  EXPECT_EQ(count("message_mentions"), 0);
  EXPECT_EQ(integer("SELECT message FROM id_counters"), 1);
}

TEST_F(ProjectorTest, BoostAddAndRemove) {
  seed();
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "yo")});
  commit({boost_added(BoostId(3), MessageId(1), kAllTalk, kBob, "nice")});
  EXPECT_EQ(text("SELECT content FROM boosts WHERE id = 3"), "nice");
  EXPECT_EQ(integer("SELECT boost FROM id_counters"), 3);
  commit({boost_removed(BoostId(3), MessageId(1), kAllTalk)});
  EXPECT_EQ(count("boosts"), 0);
  EXPECT_EQ(integer("SELECT updated_at_us FROM rooms WHERE id = 1"), clock());
}

TEST_F(ProjectorTest, RoomDeletionTakesEverythingInIt) {
  seed();
  commit({room_created(RoomId(2), RoomKind::kClosed, "Ops", kAdmin), membership_granted(RoomId(2), kAdmin),
          message_posted(MessageId(1), RoomId(2), kAdmin, "secret plans", {.mentions = {kAdmin}}),
          boost_added(BoostId(1), MessageId(1), RoomId(2), kAdmin, "🔥"),
          message_posted(MessageId(2), kAllTalk, kAdmin, "public plans")});
  commit({room_deleted(RoomId(2))});
  EXPECT_EQ(count("rooms WHERE id = 2"), 0);
  EXPECT_EQ(count("memberships WHERE room_id = 2"), 0);
  EXPECT_EQ(count("messages"), 1);
  EXPECT_EQ(count("boosts"), 0);
  EXPECT_EQ(count("message_mentions"), 0);
  EXPECT_EQ(count("message_search WHERE message_search MATCH 'plans'"), 1);
  EXPECT_EQ(integer("SELECT room FROM id_counters"), 2);
}

TEST_F(ProjectorTest, PushSubscriptionUpsertsById) {
  seed();
  commit({push_subscription_added(PushSubscriptionId(1), kAlice, "https://push/1")});
  commit({push_subscription_added(PushSubscriptionId(1), kAlice, "https://push/1b", "k2", "a2")});
  EXPECT_EQ(count("push_subscriptions"), 1);
  EXPECT_EQ(text("SELECT endpoint || ' ' || p256dh_key FROM push_subscriptions"), "https://push/1b k2");
  EXPECT_EQ(integer("SELECT created_at_us < updated_at_us FROM push_subscriptions"), 1);
  commit({push_subscription_removed(PushSubscriptionId(1), kAlice)});
  EXPECT_EQ(count("push_subscriptions"), 0);
  EXPECT_EQ(integer("SELECT push_subscription FROM id_counters"), 1);
}

TEST_F(ProjectorTest, ApplyEventWorksInsideTheCallersTransaction) {
  auto batch = append({account_created("Direct", "code"), user_joined(UserId(4), "D", "d@example.com")});
  auto& db = projector_->db();
  ASSERT_TRUE(db.exec("BEGIN").ok());
  for (auto& e : batch) ASSERT_TRUE(apply_event(db, e).ok());
  ASSERT_TRUE(db.exec("COMMIT").ok());
  EXPECT_EQ(text("SELECT name FROM account"), "Direct");
  EXPECT_EQ(integer("SELECT user FROM id_counters"), 4);
}

}  // namespace
}  // namespace hearth::testing
