// The bot API against CAMPFIRE.md 2.15, as a table: one row per request (method, path, raw body,
// headers) with the exact status, the headers that must be there (and those that must not), and
// the JSON shape of the answer. A Campfire bot relies on every one of these: change an answer and
// its row fails.
//
// Each row runs against a fresh scene in the open room "All Talk", where the bot is a member: a
// message by the member Bo ({bo_message}), one by the bot ({bot_message}), a boost of Bo's message
// by the bot ({bot_boost}) and one by Bo ({bo_boost}). "Plans" is a closed room without the bot;
// "Busy" an open room with exactly 45 messages (paging). Keys: {key} the bot's, {dead_key} a
// deactivated bot's, {bo} Bo's user id, {bot} the bot's.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "api_world.h"

namespace hearth::testing {
namespace {

using V = server::http::Verb;

enum class Shape { kNone, kEmpty, kMessage, kMessages, kBoost, kError };

struct Row {
  const char* what;
  V verb;
  const char* target;
  const char* body;
  Headers headers;
  unsigned status;
  Shape shape;
  // Headers that must be present, with a regex their value must match in full; "" = must be absent.
  std::map<std::string, std::string> expect_headers;
  int items = -1;  // for kMessages: exactly this many (-1: any)
};

const std::string kLocation = R"(http://127\.0\.0\.1/messages/\d+)";
const std::string kSignIn = "http://127\\.0\\.0\\.1/session/new";
const Headers kText{{"Content-Type", "text/plain"}};

// curl -F "attachment=@notes.txt": one file part. The server's limit here is kUploadLimit bytes.
constexpr uint64_t kUploadLimit = 1024;
const Headers kForm{{"Content-Type", "multipart/form-data; boundary=B"}};
const char* const kFilePart =
    "--B\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"notes.txt\"\r\n"
    "Content-Type: text/plain\r\n\r\nhello file\r\n--B--\r\n";
const std::string kBigFile = "--B\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"big.bin\"\r\n"
                             "Content-Type: application/octet-stream\r\n\r\n" + std::string(kUploadLimit + 1, 'x') +
                             "\r\n--B--\r\n";
const char* const kBigFilePart = kBigFile.c_str();

// clang-format off
const Row kRows[] = {
  // ---- GET /rooms/:room_id/:bot_key/messages ----
  {"list the room's messages",        V::get, "/rooms/{open}/{key}/messages", "", {}, 200, Shape::kMessages, {{"X-Total-Count", R"(\d+)"}, {"Link", ""}}},
  {"the newest 40 of 45, and a Link", V::get, "/rooms/{busy}/{key}/messages", "", {}, 200, Shape::kMessages,
      {{"X-Total-Count", "45"}, {"Link", R"(<http://127\.0\.0\.1/rooms/{busy}/{key}/messages\?before={busy6}>; rel="next")"}}, 40},
  {"the 5 before the 6th, no Link",   V::get, "/rooms/{busy}/{key}/messages?before={busy6}", "", {}, 200, Shape::kMessages,
      {{"X-Total-Count", "45"}, {"Link", ""}}, 5},
  {"40 after the first, and a Link",  V::get, "/rooms/{busy}/{key}/messages?after={busy1}", "", {}, 200, Shape::kMessages,
      {{"X-Total-Count", "45"}, {"Link", R"(<http://127\.0\.0\.1/rooms/{busy}/{key}/messages\?after={busy41}>; rel="next")"}}, 40},
  {"the last 4 after the 41st",       V::get, "/rooms/{busy}/{key}/messages?after={busy41}", "", {}, 200, Shape::kMessages,
      {{"X-Total-Count", "45"}, {"Link", ""}}, 4},
  {"a cursor from another room",      V::get, "/rooms/{busy}/{key}/messages?before={bo_message}", "", {}, 404, Shape::kError, {}},
  {"list a room the bot is not in",   V::get, "/rooms/{closed}/{key}/messages", "", {}, 404, Shape::kError, {}},
  {"list with a deactivated bot",     V::get, "/rooms/{open}/{dead_key}/messages", "", {}, 302, Shape::kNone, {{"Location", kSignIn}}},

  // ---- POST /rooms/:room_id/:bot_key/messages ----
  {"post raw text",                   V::post, "/rooms/{open}/{key}/messages", "Hello!", kText, 201, Shape::kEmpty, {{"Location", kLocation}}},
  {"post raw HTML",                   V::post, "/rooms/{open}/{key}/messages", "<b>Hello</b> <i>all</i>", {{"Content-Type", "text/html"}}, 201, Shape::kEmpty, {{"Location", kLocation}}},
  {"post with curl's form type",      V::post, "/rooms/{open}/{key}/messages", "Hello!", {{"Content-Type", "application/x-www-form-urlencoded"}}, 201, Shape::kEmpty, {{"Location", kLocation}}},
  {"post cross-site, no CSRF token",  V::post, "/rooms/{open}/{key}/messages", "Hello!", {{"Origin", "https://evil.example"}}, 201, Shape::kEmpty, {{"Location", kLocation}}},
  {"post a blank body",               V::post, "/rooms/{open}/{key}/messages", "", kText, 422, Shape::kError, {{"Location", ""}}},
  {"post only spaces",                V::post, "/rooms/{open}/{key}/messages", "  \n ", kText, 422, Shape::kError, {{"Location", ""}}},
  {"post a file (curl -F)",           V::post, "/rooms/{open}/{key}/messages", kFilePart, kForm, 201, Shape::kEmpty, {{"Location", kLocation}}},
  {"post a file over the limit",      V::post, "/rooms/{open}/{key}/messages", kBigFilePart, kForm, 413, Shape::kError, {{"Location", ""}}},
  {"post a form without attachment",  V::post, "/rooms/{open}/{key}/messages", "--B\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--B--\r\n", kForm, 422, Shape::kError, {{"Location", ""}}},
  {"post a form with no parts",       V::post, "/rooms/{open}/{key}/messages", "--B--\r\n", kForm, 400, Shape::kError, {{"Location", ""}}},
  {"post a file to a room it is not in", V::post, "/rooms/{closed}/{key}/messages", kFilePart, kForm, 404, Shape::kError, {}},
  {"post to a room the bot is not in",V::post, "/rooms/{closed}/{key}/messages", "Hello!", kText, 404, Shape::kError, {}},
  {"post to no such room",            V::post, "/rooms/999999/{key}/messages", "Hello!", kText, 404, Shape::kError, {}},
  {"post with the empty token",       V::post, "/rooms/{open}/{bot}-/messages", "Hello!", kText, 302, Shape::kNone, {{"Location", kSignIn}}},
  {"post with a wrong token",         V::post, "/rooms/{open}/{bot}-WrongToken123/messages", "Hello!", kText, 302, Shape::kNone, {{"Location", kSignIn}}},
  {"post with a person's id",         V::post, "/rooms/{open}/{bo}-{token}/messages", "Hello!", kText, 302, Shape::kNone, {{"Location", kSignIn}}},
  {"post with a deactivated bot",     V::post, "/rooms/{open}/{dead_key}/messages", "Hello!", kText, 302, Shape::kNone, {{"Location", kSignIn}}},
  {"post with no dash",               V::post, "/rooms/{open}/{bot}{token}/messages", "Hello!", kText, 302, Shape::kNone, {{"Location", kSignIn}}},
  {"post with a leading zero",        V::post, "/rooms/{open}/0{key}/messages", "Hello!", kText, 302, Shape::kNone, {{"Location", kSignIn}}},

  // ---- PATCH/PUT /rooms/:room_id/:bot_key/messages/:id ----
  {"edit its own message (PATCH)",    V::patch, "/rooms/{open}/{key}/messages/{bot_message}", "Edited", kText, 200, Shape::kMessage, {}},
  {"edit its own message (PUT)",      V::put, "/rooms/{open}/{key}/messages/{bot_message}", "<b>Edited</b>", kText, 200, Shape::kMessage, {}},
  {"edit Bo's message",               V::patch, "/rooms/{open}/{key}/messages/{bo_message}", "Mine now", kText, 403, Shape::kError, {}},
  {"edit a message of another room",  V::patch, "/rooms/{busy}/{key}/messages/{bot_message}", "x", kText, 404, Shape::kError, {}},
  {"edit no such message",            V::patch, "/rooms/{open}/{key}/messages/999999", "x", kText, 404, Shape::kError, {}},
  {"edit to blank",                   V::patch, "/rooms/{open}/{key}/messages/{bot_message}", "", kText, 422, Shape::kError, {}},
  {"edit with a wrong token",         V::patch, "/rooms/{open}/{bot}-WrongToken123/messages/{bot_message}", "x", kText, 302, Shape::kNone, {{"Location", kSignIn}}},

  // ---- DELETE /rooms/:room_id/:bot_key/messages/:id ----
  {"delete its own message",          V::delete_, "/rooms/{open}/{key}/messages/{bot_message}", "", {}, 204, Shape::kEmpty, {}},
  {"delete Bo's message",             V::delete_, "/rooms/{open}/{key}/messages/{bo_message}", "", {}, 403, Shape::kError, {}},
  {"delete no such message",          V::delete_, "/rooms/{open}/{key}/messages/999999", "", {}, 404, Shape::kError, {}},
  {"delete with a deactivated bot",   V::delete_, "/rooms/{open}/{dead_key}/messages/{bot_message}", "", {}, 302, Shape::kNone, {{"Location", kSignIn}}},

  // ---- POST /rooms/:room_id/:bot_key/messages/:message_id/boosts ----
  {"boost Bo's message",              V::post, "/rooms/{open}/{key}/messages/{bo_message}/boosts", "👍", kText, 201, Shape::kBoost, {}},
  {"boost its own message",           V::post, "/rooms/{open}/{key}/messages/{bot_message}/boosts", "nice", kText, 201, Shape::kBoost, {}},
  {"boost with a blank body",         V::post, "/rooms/{open}/{key}/messages/{bo_message}/boosts", "", kText, 422, Shape::kError, {}},
  {"boost a message of another room", V::post, "/rooms/{busy}/{key}/messages/{bo_message}/boosts", "👍", kText, 404, Shape::kError, {}},
  {"boost in a room it is not in",    V::post, "/rooms/{closed}/{key}/messages/{bo_message}/boosts", "👍", kText, 404, Shape::kError, {}},
  {"boost with the empty token",      V::post, "/rooms/{open}/{bot}-/messages/{bo_message}/boosts", "👍", kText, 302, Shape::kNone, {{"Location", kSignIn}}},

  // ---- DELETE /rooms/:room_id/:bot_key/messages/:message_id/boosts/:id ----
  {"remove its own boost",            V::delete_, "/rooms/{open}/{key}/messages/{bo_message}/boosts/{bot_boost}", "", {}, 204, Shape::kEmpty, {}},
  {"remove Bo's boost",               V::delete_, "/rooms/{open}/{key}/messages/{bot_message}/boosts/{bo_boost}", "", {}, 404, Shape::kError, {}},
  {"remove its boost via another message", V::delete_, "/rooms/{open}/{key}/messages/{bot_message}/boosts/{bot_boost}", "", {}, 404, Shape::kError, {}},
  {"remove with a wrong token",       V::delete_, "/rooms/{open}/{bot}-WrongToken123/messages/{bo_message}/boosts/{bot_boost}", "", {}, 302, Shape::kNone, {{"Location", kSignIn}}},
};
// clang-format on

const std::regex kIso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");

// Exactly these keys, no more, no fewer.
::testing::AssertionResult has_keys(const boost::json::value& v, std::set<std::string> keys) {
  if (!v.is_object()) return ::testing::AssertionFailure() << "not an object: " << boost::json::serialize(v);
  std::set<std::string> got;
  for (auto& kv : v.as_object()) got.insert(std::string(kv.key()));
  if (got != keys) return ::testing::AssertionFailure() << "keys of " << boost::json::serialize(v);
  return ::testing::AssertionSuccess();
}

void check_person(const boost::json::value& p, const std::string& context) {
  ASSERT_TRUE(has_keys(p, {"id", "name", "role", "avatar_url"})) << context;
  EXPECT_TRUE(p.at("id").is_int64()) << context;
  EXPECT_TRUE(p.at("name").is_string()) << context;
  std::string role(p.at("role").as_string());
  EXPECT_TRUE(role == "member" || role == "administrator" || role == "bot") << context;
  EXPECT_TRUE(std::regex_match(std::string(p.at("avatar_url").as_string()),
                               std::regex(R"(http://127\.0\.0\.1/users/\d+/avatar)"))) << context;
}

void check_message(const boost::json::value& m, const std::string& context) {
  ASSERT_TRUE(has_keys(m, {"id", "created_at", "body", "creator", "room", "url"})) << context;
  EXPECT_TRUE(m.at("id").is_int64()) << context;
  EXPECT_TRUE(std::regex_match(std::string(m.at("created_at").as_string()), kIso)) << context;
  ASSERT_TRUE(has_keys(m.at("body"), {"plain_text", "html"})) << context;
  EXPECT_TRUE(m.at("body").at("plain_text").is_string() && m.at("body").at("html").is_string()) << context;
  check_person(m.at("creator"), context);
  ASSERT_TRUE(has_keys(m.at("room"), {"id"})) << context;
  std::string url = "http://127.0.0.1/rooms/" + std::to_string(m.at("room").at("id").as_int64()) + "/messages/" +
                    std::to_string(m.at("id").as_int64());
  EXPECT_EQ(m.at("url").as_string(), url) << context;
}

void check_boost(const boost::json::value& b, const std::string& context) {
  ASSERT_TRUE(has_keys(b, {"id", "content", "created_at", "booster", "message"})) << context;
  EXPECT_TRUE(b.at("id").is_int64() && b.at("content").is_string()) << context;
  EXPECT_TRUE(std::regex_match(std::string(b.at("created_at").as_string()), kIso)) << context;
  check_person(b.at("booster"), context);
  ASSERT_TRUE(has_keys(b.at("message"), {"id", "url"})) << context;
  EXPECT_TRUE(std::regex_match(std::string(b.at("message").at("url").as_string()),
                               std::regex(R"(http://127\.0\.0\.1/rooms/\d+/messages/\d+)"))) << context;
}

class BotApiConformanceTest : public ApiWorld {
 protected:
  void configure(server::Config& config) override { config.max_upload_bytes = kUploadLimit; }

  void SetUp() override {
    ApiWorld::SetUp();
    auto ada = first_run("Ada");
    ada_session_ = ada;
    ada_ = user_id(ada);
    bo_ = user_id(join(ada, "Bo"));
    open_ = bootstrap(ada).at("rooms").at(0).at("id").as_int64();
    key_ = create_bot(ada_, "Robo");
    ASSERT_FALSE(key_.empty());
    bot_ = std::stoll(key_.substr(0, key_.find('-')));
    std::string dead = create_bot(ada_, "Gone");
    ASSERT_TRUE(execute(ada_, cmd::DeactivateUser{UserId(std::stoll(dead.substr(0, dead.find('-'))))}).ok());
    dead_key_ = dead;
    auto closed = execute(ada_, cmd::CreateClosedRoom{"Plans", {UserId(bo_)}});
    ASSERT_TRUE(closed.ok());
    closed_ = closed->id;
    auto busy = execute(bo_, cmd::CreateOpenRoom{"Busy"});
    ASSERT_TRUE(busy.ok());
    busy_ = busy->id;
    for (int i = 1; i <= 45; ++i) busy_ids_.push_back(post(bo_, busy_, "busy " + std::to_string(i)));
  }

  int64_t post(int64_t who, int64_t room, const std::string& text) {
    auto m = chat_.data->sequencer().execute(CommandEnvelope{
        UserId(who), "p" + std::to_string(++posts_), cmd::PostMessage{RoomId(room), "<p>" + text + "</p>", text, {},
                                                                       std::nullopt, {}}});
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->id : 0;
  }
  int64_t boost(int64_t who, int64_t message, const std::string& content) {
    auto b = execute(who, cmd::AddBoost{MessageId(message), content});
    EXPECT_TRUE(b.ok());
    return b.ok() ? b->id : 0;
  }

  std::string fill(std::string text, const std::map<std::string, std::string>& names) {
    for (auto& [name, value] : names) {
      for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + value.size())) {
        text.replace(at, name.size(), value);
      }
    }
    return text;
  }
  std::map<std::string, std::string> scene() {
    int64_t bo_message = post(bo_, open_, "from Bo");
    int64_t bot_message = post(bot_, open_, "from Robo");
    auto n = [](int64_t v) { return std::to_string(v); };
    return {{"{open}", n(open_)},
            {"{closed}", n(closed_)},
            {"{busy}", n(busy_)},
            {"{busy1}", n(busy_ids_[0])},
            {"{busy6}", n(busy_ids_[5])},
            {"{busy41}", n(busy_ids_[40])},
            {"{key}", key_},
            {"{dead_key}", dead_key_},
            {"{token}", key_.substr(key_.find('-') + 1)},
            {"{bot}", n(bot_)},
            {"{bo}", n(bo_)},
            {"{bo_message}", n(bo_message)},
            {"{bot_message}", n(bot_message)},
            {"{bot_boost}", n(boost(bot_, bo_message, "🔥"))},
            {"{bo_boost}", n(boost(bo_, bot_message, "🎉"))}};
  }

  int64_t ada_ = 0, bo_ = 0, bot_ = 0, open_ = 0, closed_ = 0, busy_ = 0;
  std::string key_, dead_key_;
  Session ada_session_;
  std::vector<int64_t> busy_ids_;
  int posts_ = 0;
};

TEST_F(BotApiConformanceTest, EveryRowAnswersExactlyAsCampfire) {
  for (const Row& row : kRows) {
    auto names = scene();
    std::string target = fill(row.target, names);
    auto res = call(port_, row.verb, target, row.body, row.headers);
    std::string context = std::string(row.what) + ": " + std::string(server::http::bhttp::to_string(row.verb)) + " " +
                          target + " → " + std::to_string(res.result_int()) + " " + res.body();
    EXPECT_EQ(res.result_int(), row.status) << context;
    for (auto& [name, pattern] : row.expect_headers) {
      auto it = res.find(name);
      if (pattern.empty()) {
        EXPECT_EQ(it, res.end()) << context << " (unexpected " << name << ")";
      } else if (it == res.end()) {
        ADD_FAILURE() << context << " (no " << name << ")";
      } else {
        std::string want = fill(pattern, names);
        EXPECT_TRUE(std::regex_match(std::string(it->value()), std::regex(want)))
            << context << " (" << name << ": " << it->value() << ", want " << want << ")";
      }
    }
    switch (row.shape) {
      case Shape::kNone: break;
      case Shape::kEmpty: EXPECT_EQ(res.body(), "") << context; break;
      case Shape::kError: EXPECT_FALSE(error_code_of(res).empty()) << context; break;
      case Shape::kMessage: {
        auto v = body_of(res);
        check_message(v, context);
        EXPECT_EQ(v.at("creator").at("role").as_string(), "bot") << context;
        EXPECT_EQ(res[server::http::bhttp::field::content_type], "application/json") << context;
        break;
      }
      case Shape::kMessages: {
        auto v = body_of(res);
        ASSERT_TRUE(v.is_array()) << context;
        if (row.items >= 0) {
          EXPECT_EQ(v.as_array().size(), static_cast<size_t>(row.items)) << context;
        }
        int64_t last = 0;
        for (auto& m : v.as_array()) {
          check_message(m, context);
          EXPECT_GT(m.at("id").as_int64(), last) << context << " (chronological)";
          last = m.at("id").as_int64();
        }
        break;
      }
      case Shape::kBoost: {
        auto v = body_of(res);
        check_boost(v, context);
        EXPECT_EQ(v.at("booster").at("id").as_int64(), bot_) << context;
        EXPECT_EQ(v.at("content").as_string(), row.body) << context;
        break;
      }
    }
  }
}

// The effects behind the statuses: what a post, an edit and a delete leave in the room.
TEST_F(BotApiConformanceTest, APostIsTheBotsMessageWithTheRawBodyAndTheEditAndDeleteAreSeen) {
  std::string base = "/rooms/" + std::to_string(open_) + "/" + key_ + "/messages";
  auto posted = call(port_, V::post, base, "Hello <b>world</b>, @nobody", kText);
  ASSERT_EQ(posted.result_int(), 201u) << posted.body();
  std::string location(posted[server::http::bhttp::field::location]);
  int64_t id = std::stoll(location.substr(location.rfind('/') + 1));

  auto list = body_of(call(port_, V::get, base, "", {}));
  const auto& last = list.as_array().back();
  EXPECT_EQ(last.at("id").as_int64(), id);
  EXPECT_EQ(last.at("creator").at("id").as_int64(), bot_);
  EXPECT_EQ(last.at("creator").at("name").as_string(), "Robo");
  EXPECT_EQ(last.at("body").at("html").as_string(), "Hello <b>world</b>, @nobody");
  EXPECT_EQ(last.at("body").at("plain_text").as_string(), "Hello world, @nobody");

  auto edited = call(port_, V::patch, base + "/" + std::to_string(id), "Bye", kText);
  ASSERT_EQ(edited.result_int(), 200u);
  EXPECT_EQ(body_of(edited).at("body").at("plain_text").as_string(), "Bye");
  EXPECT_EQ(body_of(edited).at("id").as_int64(), id);

  ASSERT_EQ(call(port_, V::delete_, base + "/" + std::to_string(id), "", {}).result_int(), 204u);
  auto after = body_of(call(port_, V::get, base, "", {}));
  for (auto& m : after.as_array()) EXPECT_NE(m.at("id").as_int64(), id);
  EXPECT_EQ(call(port_, V::delete_, base + "/" + std::to_string(id), "", {}).result_int(), 404u);
}

// curl -F "attachment=@notes.txt": the message is the bot's, and carries those bytes under that name.
TEST_F(BotApiConformanceTest, AFilePostIsTheBotsAttachmentMessage) {
  std::string base = "/rooms/" + std::to_string(open_) + "/" + key_ + "/messages";
  auto posted = call(port_, V::post, base, kFilePart, kForm);
  ASSERT_EQ(posted.result_int(), 201u) << posted.body();
  std::string location(posted[server::http::bhttp::field::location]);
  std::string id = location.substr(location.rfind('/') + 1);

  auto list = body_of(call(port_, V::get, base, "", {}));
  const auto& last = list.as_array().back();
  EXPECT_EQ(last.at("id").as_int64(), std::stoll(id));
  EXPECT_EQ(last.at("creator").at("id").as_int64(), bot_);

  auto file = call(port_, V::get, "/api/messages/" + id + "/attachment", "", ada_session_.headers(false));
  ASSERT_EQ(file.result_int(), 200u) << file.body();
  EXPECT_EQ(file.body(), "hello file");
  EXPECT_NE(std::string(file[server::http::bhttp::field::content_disposition]).find("notes.txt"), std::string::npos);
}

TEST_F(BotApiConformanceTest, EveryPostIsANewMessageEvenWithTheSameBody) {
  std::string base = "/rooms/" + std::to_string(open_) + "/" + key_ + "/messages";
  auto a = call(port_, V::post, base, "Same", kText);
  auto b = call(port_, V::post, base, "Same", kText);
  ASSERT_EQ(a.result_int(), 201u);
  ASSERT_EQ(b.result_int(), 201u);
  EXPECT_NE(a[server::http::bhttp::field::location], b[server::http::bhttp::field::location]);
}

TEST_F(BotApiConformanceTest, AResetKeyStopsTheOldKeyAtOnce) {
  std::string path = "/rooms/" + std::to_string(open_) + "/{key}/messages";
  SystemRandom random;
  auto minted = chat_.api->bot_keys().mint(random);
  ASSERT_TRUE(execute(ada_, cmd::ResetBotKey{UserId(bot_), minted.token_hash, minted.token_sealed}).ok());
  std::string fresh = std::to_string(bot_) + "-" + minted.token;
  EXPECT_EQ(call(port_, V::post, fill(path, {{"{key}", key_}}), "old", kText).result_int(), 302u);
  EXPECT_EQ(call(port_, V::post, fill(path, {{"{key}", fresh}}), "new", kText).result_int(), 201u);
}

}  // namespace
}  // namespace hearth::testing
