// Rooms, pings, involvement and the room-creation setting over real HTTP (server/api/room_routes.cc,
// CAMPFIRE.md 2.5–2.8): every rule is checked through the routes a browser uses, and the state is
// read back through GET /api/rooms/:room and bootstrap.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "api_world.h"

namespace hearth::testing {
namespace {

namespace json = boost::json;

class RoomRoutesTest : public ApiWorld {
 protected:
  void SetUp() override {
    ApiWorld::SetUp();
    ada_ = first_run("Ada");  // the administrator
    bo_ = join(ada_, "Bo");
    cy_ = join(ada_, "Cy");
    ada_id_ = user_id(ada_);
    bo_id_ = user_id(bo_);
    cy_id_ = user_id(cy_);
  }

  int64_t all_talk() { return bootstrap(ada_).at("rooms").at(0).at("id").as_int64(); }
  static std::string room_path(int64_t room) { return "/api/rooms/" + std::to_string(room); }

  // POST /api/rooms; the new room's id, or 0 (the status is checked).
  int64_t create(const Session& s, const std::string& kind, const std::string& name,
                 const std::vector<int64_t>& ids = {}) {
    json::array members(ids.begin(), ids.end());
    auto res = as(&s, Verb::post, "/api/rooms",
                  json::serialize(json::object{{"kind", kind}, {"name", name}, {"user_ids", members}}));
    EXPECT_EQ(res.result_int(), 201u) << res.body();
    if (res.result_int() != 201) return 0;
    EXPECT_GT(body_of(res).at("seq").as_int64(), 0);
    return body_of(res).at("id").as_int64();
  }
  int64_t ping(const Session& s, const std::vector<int64_t>& ids) {
    json::array members(ids.begin(), ids.end());
    auto res = as(&s, Verb::post, "/api/pings", json::serialize(json::object{{"user_ids", members}}));
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    return res.result_int() == 200 ? body_of(res).at("id").as_int64() : 0;
  }
  json::value show(const Session& s, int64_t room) {
    auto res = as(&s, Verb::get, room_path(room));
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    return body_of(res);
  }
  std::set<int64_t> member_ids(const Session& s, int64_t room) {
    std::set<int64_t> ids;
    auto shown = show(s, room);  // kept: the loop must not run over a destroyed temporary
    if (!shown.is_object() || !shown.as_object().contains("members")) return ids;
    for (auto& m : shown.at("members").as_array()) ids.insert(m.at("id").as_int64());
    return ids;
  }
  unsigned patch(const Session& s, int64_t room, const json::object& body) {
    return as(&s, Verb::patch, room_path(room), json::serialize(body)).result_int();
  }
  unsigned involve(const Session& s, int64_t room, const std::string& level) {
    return as(&s, Verb::put, room_path(room) + "/involvement", json::serialize(json::object{{"involvement", level}}))
        .result_int();
  }
  // My entry for `room` in bootstrap, or null.
  json::value bootstrap_room(const Session& s, int64_t room) {
    auto b = bootstrap(s);
    for (auto& r : b.at("rooms").as_array()) {
      if (r.at("id").as_int64() == room) return r;
    }
    return nullptr;
  }

  Session ada_, bo_, cy_;
  int64_t ada_id_ = 0, bo_id_ = 0, cy_id_ = 0;
};

TEST_F(RoomRoutesTest, ACreationRetriedWithItsClientIdIsTheSameRoom) {
  auto body = json::serialize(json::object{{"kind", "open"}, {"name", "Retried"}, {"client_id", "new-room-1"}});
  auto first = as(&bo_, Verb::post, "/api/rooms", body);
  auto again = as(&bo_, Verb::post, "/api/rooms", body);
  ASSERT_EQ(first.result_int(), 201u) << first.body();
  ASSERT_EQ(again.result_int(), 201u) << again.body();
  EXPECT_EQ(body_of(first).at("id"), body_of(again).at("id"));
  size_t named = 0;
  auto boot = bootstrap(ada_);  // kept: the loop must not run over a destroyed temporary
  for (auto& r : boot.at("rooms").as_array()) named += r.at("name").as_string() == "Retried";
  EXPECT_EQ(named, 1u);
  // The same id from someone else is their own key: a second room.
  auto other = as(&cy_, Verb::post, "/api/rooms", body);
  ASSERT_EQ(other.result_int(), 201u) << other.body();
  EXPECT_NE(body_of(other).at("id"), body_of(first).at("id"));
}

TEST_F(RoomRoutesTest, AnOpenRoomMakesEveryActiveUserAMemberBotsIncluded) {
  std::string key = create_bot(ada_id_, "Robo");
  ASSERT_FALSE(key.empty());
  int64_t bot_id = std::stoll(key.substr(0, key.find('-')));
  int64_t room = create(bo_, "open", "Lobby");
  auto shown = show(bo_, room);
  EXPECT_EQ(shown.at("kind").as_string(), "open");
  EXPECT_EQ(shown.at("name").as_string(), "Lobby");
  EXPECT_EQ(shown.at("creator_id").as_int64(), bo_id_);
  EXPECT_EQ(member_ids(bo_, room), (std::set<int64_t>{ada_id_, bo_id_, cy_id_, bot_id}));
  for (auto& m : shown.at("members").as_array()) {
    EXPECT_EQ(m.at("involvement").as_string(), "mentions");
    int64_t id = m.at("id").as_int64();
    std::string_view role = m.at("role").as_string();
    EXPECT_EQ(role, id == bot_id ? "bot" : id == ada_id_ ? "administrator" : "member");
  }
  auto dee = join(ada_, "Dee");
  EXPECT_TRUE(member_ids(dee, room).contains(user_id(dee))) << "a new user joins every open room";

  EXPECT_EQ(as(&bo_, Verb::post, "/api/rooms", R"({"kind":"direct","name":"x"})").result_int(), 400u);
  EXPECT_EQ(as(&bo_, Verb::post, "/api/rooms", R"({"kind":"open"})").result_int(), 400u);
  EXPECT_EQ(as(&bo_, Verb::post, "/api/rooms", R"({"kind":"open","name":"  "})").result_int(), 422u);
  EXPECT_EQ(as(&bo_, Verb::post, "/api/rooms", R"({"kind":"closed","name":"x","user_ids":["a"]})").result_int(),
            400u);
  EXPECT_EQ(as(nullptr, Verb::post, "/api/rooms", R"({"kind":"open","name":"x"})").result_int(), 401u);
  EXPECT_EQ(call(port_, Verb::post, "/api/rooms", R"({"kind":"open","name":"x"})", bo_.headers(false)).result_int(),
            403u)
      << "no CSRF token";
}

TEST_F(RoomRoutesTest, AClosedRoomHasItsMembersRevisedAndNonMembersSeeNothing) {
  int64_t room = create(bo_, "closed", "Secret", {cy_id_});
  EXPECT_EQ(member_ids(bo_, room), (std::set<int64_t>{bo_id_, cy_id_})) << "the creator is always included";
  EXPECT_EQ(as(&ada_, Verb::get, room_path(room)).result_int(), 404u) << "an administrator who is not a member";
  EXPECT_EQ(bootstrap_room(ada_, room), json::value(nullptr));

  // Revise: Ada granted, Cy revoked.
  EXPECT_EQ(patch(bo_, room, {{"user_ids", json::array{bo_id_, ada_id_}}}), 200u);
  EXPECT_EQ(member_ids(bo_, room), (std::set<int64_t>{bo_id_, ada_id_}));
  EXPECT_EQ(as(&cy_, Verb::get, room_path(room)).result_int(), 404u);
  EXPECT_EQ(patch(cy_, room, {{"name", "Mine"}}), 404u) << "a revoked member is a non-member";
  // The creator may remove themself; the room stays with its other members.
  EXPECT_EQ(patch(bo_, room, {{"user_ids", json::array{ada_id_}}}), 200u);
  EXPECT_EQ(member_ids(ada_, room), (std::set<int64_t>{ada_id_}));
  EXPECT_EQ(as(&bo_, Verb::get, room_path(room)).result_int(), 404u);
  EXPECT_EQ(patch(ada_, room, {{"user_ids", json::array{ada_id_, 9999}}}), 404u) << "no such user";
  EXPECT_EQ(member_ids(ada_, room), (std::set<int64_t>{ada_id_})) << "a refused revision changes nothing";
}

TEST_F(RoomRoutesTest, ConversionBetweenOpenAndClosedKeepsOrAddsMembers) {
  int64_t room = create(bo_, "closed", "Team", {cy_id_});
  EXPECT_EQ(patch(bo_, room, {{"kind", "open"}}), 200u);
  EXPECT_EQ(show(bo_, room).at("kind").as_string(), "open");
  EXPECT_EQ(member_ids(bo_, room), (std::set<int64_t>{ada_id_, bo_id_, cy_id_})) << "everyone joins (2.5)";
  EXPECT_EQ(patch(bo_, room, {{"user_ids", json::array{bo_id_}}}), 422u) << "an open room has everyone";
  EXPECT_EQ(patch(bo_, room, {{"kind", "closed"}}), 200u);
  EXPECT_EQ(show(bo_, room).at("kind").as_string(), "closed");
  EXPECT_EQ(member_ids(bo_, room), (std::set<int64_t>{ada_id_, bo_id_, cy_id_})) << "members remain (2.6)";
  EXPECT_EQ(patch(bo_, room, {{"kind", "open"}}), 200u);
  // Closed with a member set, in one request.
  EXPECT_EQ(patch(bo_, room, {{"kind", "closed"}, {"user_ids", json::array{bo_id_, cy_id_}}, {"name", "Two"}}),
            200u);
  auto shown = show(bo_, room);
  EXPECT_EQ(shown.at("kind").as_string(), "closed");
  EXPECT_EQ(shown.at("name").as_string(), "Two");
  EXPECT_EQ(member_ids(bo_, room), (std::set<int64_t>{bo_id_, cy_id_}));
  EXPECT_EQ(patch(bo_, room, {{"kind", "direct"}}), 422u);
  EXPECT_EQ(patch(bo_, room, {{"kind", 3}}), 400u);
  EXPECT_EQ(patch(bo_, room, json::object{}), 400u);
}

TEST_F(RoomRoutesTest, OnlyTheCreatorOrAnAdministratorRenamesConvertsAndRevises) {
  int64_t room = create(bo_, "closed", "Plans", {cy_id_, ada_id_});
  EXPECT_EQ(patch(cy_, room, {{"name", "Cy's"}}), 403u);
  EXPECT_EQ(patch(cy_, room, {{"kind", "open"}}), 403u);
  EXPECT_EQ(patch(cy_, room, {{"user_ids", json::array{cy_id_}}}), 403u);
  EXPECT_EQ(show(cy_, room).at("name").as_string(), "Plans");
  EXPECT_EQ(patch(bo_, room, {{"name", "Bo's plans"}}), 200u);
  EXPECT_EQ(patch(ada_, room, {{"name", "Ada's plans"}}), 200u) << "an administrator who is a member";
  EXPECT_EQ(show(cy_, room).at("name").as_string(), "Ada's plans");
  // A bad name refuses the whole request before the membership changes.
  EXPECT_EQ(patch(bo_, room, {{"name", " "}, {"user_ids", json::array{bo_id_}}}), 422u);
  EXPECT_EQ(member_ids(bo_, room), (std::set<int64_t>{ada_id_, bo_id_, cy_id_}));
  EXPECT_EQ(patch(bo_, room, {{"name", std::string(300, 'x')}}), 422u);
}

TEST_F(RoomRoutesTest, DeletingARoomTakesItsMessagesAndOnlyTheCreatorOrAdministratorMay) {
  int64_t room = create(bo_, "closed", "Doomed", {cy_id_, ada_id_});
  auto posted = as(&cy_, Verb::post, room_path(room) + "/messages",
                   R"({"client_message_id":"c1","body_html":"hi","plain_text":"hi"})");
  ASSERT_EQ(posted.result_int(), 201u) << posted.body();
  EXPECT_EQ(as(&cy_, Verb::delete_, room_path(room)).result_int(), 403u);
  auto deleted = as(&bo_, Verb::delete_, room_path(room));
  ASSERT_EQ(deleted.result_int(), 200u) << deleted.body();
  EXPECT_EQ(body_of(deleted).at("id").as_int64(), room);
  for (auto* s : {&ada_, &bo_, &cy_}) {
    EXPECT_EQ(as(s, Verb::get, room_path(room)).result_int(), 404u);
    EXPECT_EQ(as(s, Verb::get, room_path(room) + "/messages").result_int(), 404u);
    EXPECT_EQ(bootstrap_room(*s, room), json::value(nullptr));
  }
  EXPECT_EQ(as(&bo_, Verb::delete_, room_path(room)).result_int(), 404u) << "gone";
  int64_t other = create(cy_, "open", "Other");
  EXPECT_EQ(as(&ada_, Verb::delete_, room_path(other)).result_int(), 200u) << "an administrator may";
}

TEST_F(RoomRoutesTest, PingsAreOnePerExactMemberSetAndAnyParticipantDeletes) {
  int64_t two = ping(bo_, {cy_id_});
  EXPECT_EQ(ping(cy_, {bo_id_}), two) << "the same two people, asked by the other";
  EXPECT_EQ(ping(bo_, {cy_id_, bo_id_, cy_id_}), two) << "yourself and repeats change nothing";
  int64_t three = ping(bo_, {cy_id_, ada_id_});
  EXPECT_NE(three, two) << "a 3-person ping is another room";
  int64_t alone = ping(bo_, {});
  EXPECT_NE(alone, two);
  EXPECT_EQ(member_ids(bo_, alone), (std::set<int64_t>{bo_id_}));
  auto shown = show(cy_, two);
  EXPECT_EQ(shown.at("kind").as_string(), "direct");
  for (auto& m : shown.at("members").as_array()) EXPECT_EQ(m.at("involvement").as_string(), "everything");
  EXPECT_EQ(as(&ada_, Verb::get, room_path(two)).result_int(), 404u);
  EXPECT_EQ(as(&bo_, Verb::post, "/api/pings", R"({"user_ids":[9999]})").result_int(), 404u);
  EXPECT_EQ(as(&bo_, Verb::post, "/api/pings", R"({"user_ids":"x"})").result_int(), 400u);

  // Pings never change type, name or participants.
  EXPECT_EQ(patch(bo_, two, {{"name", "Us"}}), 422u);
  EXPECT_EQ(patch(bo_, two, {{"kind", "closed"}}), 422u);
  EXPECT_EQ(patch(bo_, two, {{"kind", "closed"}, {"user_ids", json::array{bo_id_}}}), 422u);
  // Bootstrap names the participants (the client names the ping after them).
  auto entry = bootstrap_room(cy_, three);
  ASSERT_TRUE(entry.is_object());
  EXPECT_EQ(entry.at("member_ids"), (json::array{ada_id_, bo_id_, cy_id_}));
  EXPECT_EQ(entry.at("creator_id").as_int64(), bo_id_);
  EXPECT_FALSE(bootstrap_room(cy_, all_talk()).as_object().contains("member_ids")) << "only pings list members";

  EXPECT_EQ(as(&ada_, Verb::delete_, room_path(two)).result_int(), 404u) << "an administrator outside it";
  EXPECT_EQ(as(&cy_, Verb::delete_, room_path(two)).result_int(), 200u) << "a participant who did not start it";
  EXPECT_EQ(as(&bo_, Verb::get, room_path(two)).result_int(), 404u);
  EXPECT_NE(ping(bo_, {cy_id_}), two) << "a deleted ping is not found again";
}

TEST_F(RoomRoutesTest, InvolvementLevelsPerKindOfRoom) {
  int64_t room = create(bo_, "closed", "Quiet", {cy_id_});
  for (auto level : {"everything", "nothing", "invisible", "mentions"}) {
    EXPECT_EQ(involve(bo_, room, level), 200u) << level;
    EXPECT_EQ(bootstrap_room(bo_, room).at("involvement").as_string(), level);
  }
  EXPECT_EQ(bootstrap_room(cy_, room).at("involvement").as_string(), "mentions") << "only my own membership";
  EXPECT_EQ(involve(bo_, room, "loud"), 422u);
  EXPECT_EQ(as(&bo_, Verb::put, room_path(room) + "/involvement", "{}").result_int(), 400u);
  EXPECT_EQ(involve(ada_, room, "everything"), 404u);

  int64_t two = ping(bo_, {cy_id_});
  EXPECT_EQ(involve(bo_, two, "nothing"), 200u);
  EXPECT_EQ(involve(bo_, two, "everything"), 200u);
  EXPECT_EQ(involve(bo_, two, "mentions"), 422u) << "pings notify about everything or nothing";
  EXPECT_EQ(involve(bo_, two, "invisible"), 422u);
  EXPECT_EQ(show(cy_, two).at("members").at(0).at("involvement").as_string(), "everything");
}

TEST_F(RoomRoutesTest, RestrictingRoomCreationToAdministrators) {
  auto setting = [&](const Session& s, bool on) {
    return as(&s, Verb::patch, "/api/account/settings",
              json::serialize(json::object{{"restrict_room_creation_to_administrators", on}}))
        .result_int();
  };
  EXPECT_EQ(setting(bo_, true), 403u);
  EXPECT_FALSE(bootstrap(bo_).at("account").at("restrict_room_creation").as_bool());
  EXPECT_EQ(setting(ada_, true), 200u);
  EXPECT_TRUE(bootstrap(bo_).at("account").at("restrict_room_creation").as_bool());
  EXPECT_EQ(as(&bo_, Verb::post, "/api/rooms", R"({"kind":"open","name":"x"})").result_int(), 403u);
  EXPECT_EQ(as(&bo_, Verb::post, "/api/rooms", R"({"kind":"closed","name":"x"})").result_int(), 403u);
  EXPECT_GT(ping(bo_, {cy_id_}), 0) << "pings are unaffected";
  EXPECT_GT(create(ada_, "open", "Admin's"), 0);
  EXPECT_EQ(as(&ada_, Verb::patch, "/api/account/settings", R"({"restrict_room_creation_to_administrators":1})")
                .result_int(),
            400u);
  EXPECT_EQ(setting(ada_, false), 200u);
  EXPECT_GT(create(bo_, "open", "Bo's"), 0);
}

TEST_F(RoomRoutesTest, BootstrapCarriesCreatorActivityAndMyRoleAsAWord) {
  auto b = bootstrap(ada_);
  EXPECT_EQ(b.at("me").at("role").as_string(), "administrator");
  EXPECT_EQ(bootstrap(bo_).at("me").at("role").as_string(), "member");
  int64_t first = ping(bo_, {cy_id_});
  int64_t second = ping(bo_, {ada_id_});
  auto activity = [&](int64_t room) { return bootstrap_room(bo_, room).at("updated_at_us").as_int64(); };
  EXPECT_LE(activity(first), activity(second));
  auto posted = as(&cy_, Verb::post, room_path(first) + "/messages",
                   R"({"client_message_id":"p1","body_html":"yo","plain_text":"yo"})");
  ASSERT_EQ(posted.result_int(), 201u);
  EXPECT_GT(activity(first), activity(second)) << "a message moves the ping's activity";
  EXPECT_EQ(activity(first), show(bo_, first).at("updated_at_us").as_int64());
}

}  // namespace
}  // namespace hearth::testing
