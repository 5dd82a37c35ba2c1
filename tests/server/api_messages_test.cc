// What users do to messages over the JSON API: pages around a message (permalinks), boosts, and
// who may edit and delete (CAMPFIRE.md 2.4, 2.11, 2.12, 2.14, 2.23), against a real server.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "api_world.h"
#include "core/sqlite/db.h"
#include "http_client.h"

namespace hearth::testing {
namespace {

namespace json = boost::json;
using HttpStatus = server::http::Status;
using Response = server::http::Response;

class MessageApiTest : public ApiWorld {
 protected:
  std::string messages_path(int64_t room) { return "/api/rooms/" + std::to_string(room) + "/messages"; }
  Response post_message(const Session& s, int64_t room, const std::string& client_id, const std::string& text) {
    return call(port_, Verb::post, messages_path(room),
                json::serialize(json::object{{"client_message_id", client_id}, {"body_html", text}, {"plain_text", text}}),
                s.headers());
  }
  int64_t query(const std::string& sql) {
    auto db = sqlite::Db::open(dir_.file("data/state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return -1;
    auto v = db->query_int(sql);
    EXPECT_TRUE(v.ok());
    return v.ok() ? v->value_or(-1) : -1;
  }
  int64_t first_room(const Session& s) { return bootstrap(s).at("rooms").at(0).at("id").as_int64(); }
  std::vector<int64_t> post_many(const Session& s, int64_t room, int n, const std::string& prefix) {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) {
      auto res = post_message(s, room, prefix + std::to_string(i), "m" + std::to_string(i));
      EXPECT_EQ(res.result(), HttpStatus::created) << res.body();
      ids.push_back(body_of(res).at("id").as_int64());
    }
    return ids;
  }
  Response page(const Session& s, int64_t room, const std::string& query) {
    return call(port_, Verb::get, messages_path(room) + query, "", s.headers(false));
  }
  std::vector<int64_t> ids_of(const Response& res) {
    std::vector<int64_t> ids;
    auto body = body_of(res);
    for (auto& m : body.at("messages").as_array()) ids.push_back(m.at("id").as_int64());
    return ids;
  }
  Response boost(const Session& s, int64_t room, int64_t message, const std::string& content) {
    return call(port_, Verb::post, messages_path(room) + "/" + std::to_string(message) + "/boosts",
                json::serialize(json::object{{"content", content}}), s.headers());
  }
  Response unboost(const Session& s, int64_t room, int64_t message, int64_t boost) {
    return call(port_, Verb::delete_,
                messages_path(room) + "/" + std::to_string(message) + "/boosts/" + std::to_string(boost), "",
                s.headers());
  }
  int64_t closed_room(const Session& creator, std::vector<UserId> members) {
    auto made = execute(user_id(creator), cmd::CreateClosedRoom{"Secret", std::move(members)});
    EXPECT_TRUE(made.ok());
    return made.ok() ? made->id : 0;
  }
};

std::vector<int64_t> slice(const std::vector<int64_t>& v, size_t from, size_t to) {
  return std::vector<int64_t>(v.begin() + static_cast<long>(from), v.begin() + static_cast<long>(to));
}

TEST_F(MessageApiTest, AroundIsFortyBeforeTheMessageAndFortyAfterInSeqOrder) {
  auto admin = first_run();
  int64_t room = first_room(admin);
  auto ids = post_many(admin, room, 100, "c");
  auto middle = page(admin, room, "?around=" + std::to_string(ids[50]));
  ASSERT_EQ(middle.result(), HttpStatus::ok) << middle.body();
  EXPECT_EQ(ids_of(middle), slice(ids, 10, 91));
  EXPECT_GT(body_of(middle).at("seq").as_int64(), 0);
  // At the edges there is less on one side, never more on the other.
  EXPECT_EQ(ids_of(page(admin, room, "?around=" + std::to_string(ids[0]))), slice(ids, 0, 41));
  EXPECT_EQ(ids_of(page(admin, room, "?around=" + std::to_string(ids[3]))), slice(ids, 0, 44));
  EXPECT_EQ(ids_of(page(admin, room, "?around=" + std::to_string(ids[99]))), slice(ids, 59, 100));
  EXPECT_EQ(ids_of(page(admin, room, "?around=" + std::to_string(ids[97]))), slice(ids, 57, 100));
}

TEST_F(MessageApiTest, AroundAMessageOutsideTheRoomOrUnknownOrUnreadableIsNotFound) {
  auto admin = first_run();
  int64_t room = first_room(admin);
  auto bo = join(admin, "Bo");
  int64_t secret = closed_room(admin, {});
  auto hidden = post_many(admin, secret, 1, "s");
  auto open = post_many(admin, room, 1, "o");
  EXPECT_EQ(page(admin, room, "?around=" + std::to_string(hidden[0])).result(), HttpStatus::not_found)
      << "a message of another room";
  EXPECT_EQ(page(admin, room, "?around=999999").result(), HttpStatus::not_found);
  EXPECT_EQ(page(admin, room, "?around=abc").result(), HttpStatus::not_found);
  EXPECT_EQ(page(bo, secret, "?around=" + std::to_string(hidden[0])).result(), HttpStatus::not_found)
      << "a room Bo is not in";
  EXPECT_EQ(call(port_, Verb::get, messages_path(room) + "?around=" + std::to_string(open[0]), "", {}).result(),
            HttpStatus::unauthorized);
  // A removed message has no permalink any more.
  ASSERT_EQ(call(port_, Verb::delete_, messages_path(room) + "/" + std::to_string(open[0]), "", admin.headers())
                .result(),
            HttpStatus::ok);
  EXPECT_EQ(page(admin, room, "?around=" + std::to_string(open[0])).result(), HttpStatus::not_found);
}

TEST_F(MessageApiTest, PagesCarryEachMessagesBoostsAndMentions) {
  auto admin = first_run();
  int64_t room = first_room(admin);
  auto bo = join(admin, "Bo");
  int64_t bo_id = user_id(bo);
  auto posted = call(port_, Verb::post, messages_path(room),
                     json::serialize(json::object{
                         {"client_message_id", "m1"},
                         // The mention markup (docs/api.md "Message bodies"): the server reads the id from it.
                         {"body_html", "hi <span class=\"mention\" data-user-id=\"" + std::to_string(bo_id) + "\">@Bo</span>"}}),
                     admin.headers());
  ASSERT_EQ(posted.result(), HttpStatus::created) << posted.body();
  int64_t m = body_of(posted).at("id").as_int64();
  auto b1 = boost(bo, room, m, "👍");
  ASSERT_EQ(b1.result(), HttpStatus::created) << b1.body();
  ASSERT_EQ(boost(admin, room, m, "nice one").result(), HttpStatus::created);

  for (std::string query : {std::string(), "?around=" + std::to_string(m)}) {
    auto res = page(admin, room, query);
    ASSERT_EQ(res.result(), HttpStatus::ok);
    auto body = body_of(res);
    auto& message = body.at("messages").at(0);
    EXPECT_EQ(message.at("mentioned_user_ids"), json::value(json::array{bo_id})) << query;
    auto& boosts = message.at("boosts").as_array();
    ASSERT_EQ(boosts.size(), 2u) << query;
    EXPECT_EQ(boosts[0].at("id").as_int64(), body_of(b1).at("id").as_int64());
    EXPECT_EQ(boosts[0].at("booster_id").as_int64(), bo_id);
    EXPECT_EQ(boosts[0].at("content").as_string(), "👍");
    EXPECT_EQ(boosts[1].at("content").as_string(), "nice one");
  }
}

TEST_F(MessageApiTest, BoostContentIsOneOfTheEmojiOrSixteenCharactersWithANonSpace) {
  auto admin = first_run();
  int64_t room = first_room(admin);
  int64_t m = post_many(admin, room, 1, "c")[0];
  for (std::string emoji : {"👍", "👏", "👋", "💪", "❤️", "😂", "🎉", "🔥"}) {
    EXPECT_EQ(boost(admin, room, m, emoji).result(), HttpStatus::created) << emoji;
  }
  EXPECT_EQ(boost(admin, room, m, "sixteen chars ok").result(), HttpStatus::created);
  EXPECT_EQ(boost(admin, room, m, "éééééééééééééééé").result(), HttpStatus::created) << "16 characters, 32 bytes";
  EXPECT_EQ(boost(admin, room, m, "seventeen chars!!").result(), HttpStatus::unprocessable_entity);
  EXPECT_EQ(boost(admin, room, m, "   ").result(), HttpStatus::unprocessable_entity);
  EXPECT_EQ(boost(admin, room, m, "").result(), HttpStatus::unprocessable_entity);
  auto missing = call(port_, Verb::post, messages_path(room) + "/" + std::to_string(m) + "/boosts", "{}",
                      admin.headers());
  EXPECT_EQ(missing.result(), HttpStatus::bad_request);
  EXPECT_EQ(query("SELECT COUNT(*) FROM boosts WHERE message_id = " + std::to_string(m)), 10);
}

TEST_F(MessageApiTest, AnyMemberBoostsAsOftenAsTheyLikeAndOnlyTheBoosterRemoves) {
  auto admin = first_run();
  int64_t room = first_room(admin);
  auto bo = join(admin, "Bo");
  auto cy = join(admin, "Cy");
  int64_t m = post_many(admin, room, 1, "c")[0];
  auto first = boost(bo, room, m, "🔥");
  auto second = boost(bo, room, m, "🔥");
  ASSERT_EQ(first.result(), HttpStatus::created);
  ASSERT_EQ(second.result(), HttpStatus::created) << "several boosts per user (Campfire 2.12)";
  int64_t b = body_of(first).at("id").as_int64();
  EXPECT_NE(b, body_of(second).at("id").as_int64());

  EXPECT_EQ(unboost(cy, room, m, b).result(), HttpStatus::not_found) << "another member";
  EXPECT_EQ(unboost(admin, room, m, b).result(), HttpStatus::not_found) << "even an administrator";
  EXPECT_EQ(call(port_, Verb::delete_, messages_path(room) + "/" + std::to_string(m) + "/boosts/" + std::to_string(b),
                 "", bo.headers(false))
                .result(),
            HttpStatus::forbidden)
      << "no CSRF token";
  int64_t other = post_many(admin, room, 1, "d")[0];
  EXPECT_EQ(unboost(bo, room, other, b).result(), HttpStatus::not_found) << "the boost of another message";
  auto removed = unboost(bo, room, m, b);
  EXPECT_EQ(removed.result(), HttpStatus::ok) << removed.body();
  EXPECT_EQ(body_of(removed).at("id").as_int64(), b);
  EXPECT_EQ(unboost(bo, room, m, b).result(), HttpStatus::not_found) << "already removed";
  EXPECT_EQ(query("SELECT COUNT(*) FROM boosts"), 1);

  // Outside the room: not found, for adding and for removing.
  int64_t secret = closed_room(admin, {});
  int64_t hidden = post_many(admin, secret, 1, "s")[0];
  EXPECT_EQ(boost(bo, secret, hidden, "👍").result(), HttpStatus::not_found);
  EXPECT_EQ(boost(bo, room, hidden, "👍").result(), HttpStatus::not_found) << "the message is in another room";
  EXPECT_EQ(call(port_, Verb::post, messages_path(room) + "/" + std::to_string(m) + "/boosts",
                 R"({"content":"👍"})", {{"Origin", kOrigin}})
                .result(),
            HttpStatus::unauthorized)
      << "anonymous";
}

TEST_F(MessageApiTest, EditAndDeleteAreForTheAuthorOrAnAdministratorOnly) {
  auto admin = first_run();
  int64_t room = first_room(admin);
  auto bo = join(admin, "Bo");
  auto cy = join(admin, "Cy");
  auto ids = post_many(bo, room, 3, "b");
  std::string edit = R"({"body_html":"changed","plain_text":"changed"})";
  auto at = [&](int64_t id) { return messages_path(room) + "/" + std::to_string(id); };

  EXPECT_EQ(call(port_, Verb::patch, at(ids[0]), edit, bo.headers()).result(), HttpStatus::ok) << "author";
  EXPECT_EQ(call(port_, Verb::patch, at(ids[0]), edit, admin.headers()).result(), HttpStatus::ok) << "administrator";
  EXPECT_EQ(call(port_, Verb::patch, at(ids[0]), edit, cy.headers()).result(), HttpStatus::forbidden) << "member";
  EXPECT_EQ(call(port_, Verb::delete_, at(ids[0]), "", cy.headers()).result(), HttpStatus::forbidden) << "member";
  EXPECT_EQ(query("SELECT COUNT(*) FROM messages WHERE plain_text = 'changed'"), 1);

  // Deleting takes the boosts with it.
  ASSERT_EQ(boost(cy, room, ids[1], "👍").result(), HttpStatus::created);
  EXPECT_EQ(call(port_, Verb::delete_, at(ids[1]), "", bo.headers()).result(), HttpStatus::ok) << "author";
  EXPECT_EQ(call(port_, Verb::delete_, at(ids[2]), "", admin.headers()).result(), HttpStatus::ok) << "administrator";
  EXPECT_EQ(query("SELECT COUNT(*) FROM boosts"), 0);
  EXPECT_EQ(call(port_, Verb::delete_, at(ids[2]), "", admin.headers()).result(), HttpStatus::not_found) << "gone";
  EXPECT_EQ(call(port_, Verb::patch, at(ids[1]), edit, bo.headers()).result(), HttpStatus::not_found) << "gone";

  // A non-member of a closed room: not found, whoever wrote the message.
  int64_t secret = closed_room(admin, {});
  int64_t hidden = post_many(admin, secret, 1, "s")[0];
  std::string secret_at = messages_path(secret) + "/" + std::to_string(hidden);
  EXPECT_EQ(call(port_, Verb::patch, secret_at, edit, bo.headers()).result(), HttpStatus::not_found);
  EXPECT_EQ(call(port_, Verb::delete_, secret_at, "", bo.headers()).result(), HttpStatus::not_found);
}

}  // namespace
}  // namespace hearth::testing
