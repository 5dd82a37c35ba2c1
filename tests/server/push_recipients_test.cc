// Who is notified of a message (CAMPFIRE.md 2.16, 2.8): the push consumer's plan() over a real
// data directory and the real presence registry. Involvement `everything` always, `mentions` only
// when mentioned, `nothing` and `invisible` never; never the author; never someone connected to
// the room now. And the notification itself, exactly Campfire's JSON.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/sequencer_fixture.h"
#include "server/push/push_consumer.h"
#include "server/realtime/presence.h"

namespace hearth::testing {
namespace {

using server::consumers::Delivery;

class PushRecipientsTest : public SequencerTest {
 protected:
  void SetUp() override {
    SequencerTest::SetUp();
    presence_ = std::make_shared<server::realtime::Presence>(std::make_shared<SystemClock>());
    SystemRandom random;
    auto vapid = server::push::load_vapid(tmp_.path().string(), {}, random);
    ASSERT_TRUE(vapid.ok());
    consumer_ = std::make_unique<server::push::PushConsumer>(tmp_.file("state.sqlite3"), std::move(*vapid),
                                                             dir_->sequencer(), presence_,
                                                             server::push::PushConsumer::Options{});
  }

  void subscribe(UserId who, const std::string& device = "phone") {
    ok(who, cmd::AddPushSubscription{"https://push.example/" + std::to_string(who.value) + "/" + device,
                                     "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
                                     "BTBZMqHH6r4Tts7J_aSIgg", "ua"});
  }

  // Posts and plans: subscription id → the notification JSON.
  std::map<int64_t, std::string> post_and_plan(UserId author, RoomId room, const std::string& text,
                                               std::vector<UserId> mentions = {}) {
    Seq before = last_seq();
    ok(author, cmd::PostMessage{room, "<p>" + text + "</p>", text, std::move(mentions), std::nullopt, {}},
       "m" + std::to_string(++posts_));
    dir_->sequencer().wait_applied(last_seq());
    std::map<int64_t, std::string> out;
    for (const StoredEvent& e : events_since(before)) {
      std::vector<Delivery> rows;
      auto planned = consumer_->plan(e, rows);
      EXPECT_TRUE(planned.ok()) << planned.error().to_string();
      for (const Delivery& d : rows) {
        auto newline = d.payload.find('\n');
        int64_t id = std::stoll(d.payload.substr(0, newline));
        EXPECT_EQ(d.target, "push:" + std::to_string(id));
        out[id] = d.payload.substr(newline + 1);
      }
    }
    return out;
  }

  int64_t subscription_of(UserId who) {
    return state_int("SELECT min(id) FROM push_subscriptions WHERE user_id = " + std::to_string(who.value));
  }

  std::shared_ptr<server::realtime::Presence> presence_;
  std::unique_ptr<server::push::PushConsumer> consumer_;
};

TEST_F(PushRecipientsTest, InvolvementDecidesAndTheAuthorIsNeverNotified) {
  auto ada = setup();
  auto bo = join("Bo"), cy = join("Cy"), di = join("Di"), ed = join("Ed"), fay = join("Fay");
  RoomId room(ok(ada, cmd::CreateClosedRoom{"Ops", {bo, cy, di, ed, fay}}).id);
  ok(bo, cmd::ChangeInvolvement{room, Involvement::kEverything});
  ok(cy, cmd::ChangeInvolvement{room, Involvement::kMentions});
  ok(di, cmd::ChangeInvolvement{room, Involvement::kMentions});
  ok(ed, cmd::ChangeInvolvement{room, Involvement::kNothing});
  ok(fay, cmd::ChangeInvolvement{room, Involvement::kInvisible});
  ok(ada, cmd::ChangeInvolvement{room, Involvement::kEverything});
  for (UserId u : {ada, bo, cy, di, ed, fay}) subscribe(u);

  auto sent = post_and_plan(ada, room, "@Di @Ed @Fay look", {di, ed, fay});
  std::set<int64_t> got;
  for (auto& [id, json] : sent) got.insert(id);
  EXPECT_EQ(got, (std::set<int64_t>{subscription_of(bo), subscription_of(di)}));

  // Nobody mentioned: only `everything`; and the author's own everything never counts.
  sent = post_and_plan(bo, room, "plain");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent.begin()->first, subscription_of(ada));
}

TEST_F(PushRecipientsTest, SomeoneConnectedToTheRoomIsNotNotifiedUntilTheyLeave) {
  auto ada = setup();
  auto bo = join("Bo");
  RoomId ping(ok(ada, cmd::FindOrCreateDirectRoom{{bo}}).id);  // pings start at `everything`
  subscribe(bo);
  presence_->enter(7, bo, ping);
  EXPECT_TRUE(post_and_plan(ada, ping, "are you there").empty());
  // Present in another room is not connected to this one.
  presence_->leave(7, ping);
  presence_->enter(7, bo, RoomId(1));
  EXPECT_EQ(post_and_plan(ada, ping, "now?").size(), 1u);
}

TEST_F(PushRecipientsTest, EverySubscriptionOfARecipientGetsOne) {
  auto ada = setup();
  auto bo = join("Bo");
  RoomId ping(ok(ada, cmd::FindOrCreateDirectRoom{{bo}}).id);
  subscribe(bo, "phone");
  subscribe(bo, "laptop");
  EXPECT_EQ(post_and_plan(ada, ping, "hi").size(), 2u);
}

TEST_F(PushRecipientsTest, TheNotificationIsCampfiresJsonForSharedAndDirectRooms) {
  auto ada = setup();
  auto bo = join("Bo");
  RoomId room(ok(ada, cmd::CreateClosedRoom{"Ops \"night\"", {bo}}).id);
  ok(bo, cmd::ChangeInvolvement{room, Involvement::kEverything});
  RoomId ping(ok(ada, cmd::FindOrCreateDirectRoom{{bo}}).id);
  subscribe(bo);
  // Bo is now unread in the room (the first message) — the badge counts unread rooms.
  auto shared = post_and_plan(ada, room, "deploy at 5");
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared.begin()->second,
            R"({"title":"Ops \"night\"","options":{"body":"Ada: deploy at 5","icon":"/account/logo","data":{"path":"/rooms/)" +
                std::to_string(room.value) + R"(","badge":1}}})");
  auto direct = post_and_plan(ada, ping, "lunch?");
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct.begin()->second,
            R"({"title":"Ada","options":{"body":"lunch?","icon":"/account/logo","data":{"path":"/rooms/)" +
                std::to_string(ping.value) + R"(","badge":2}}})");
}

TEST_F(PushRecipientsTest, ALongMessageIsCutToFitOneEncryptedRecord) {
  auto ada = setup();
  auto bo = join("Bo");
  RoomId ping(ok(ada, cmd::FindOrCreateDirectRoom{{bo}}).id);
  subscribe(bo);
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "é\"";  // escapes and two-byte characters
  auto sent = post_and_plan(ada, ping, text);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_LE(sent.begin()->second.size(), 3993u);
  EXPECT_NE(sent.begin()->second.find("…"), std::string::npos);
}

}  // namespace
}  // namespace hearth::testing
