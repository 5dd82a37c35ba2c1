// `hearth replay dump`: one valid JSON object per line with every payload field, and filters that
// select exactly the events they name.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/json/src.hpp>  // header-only Boost.JSON, compiled into this one test file
#include <sstream>

#include "replay/common.h"
#include "replay/dump.h"
#include "replay_fixture.h"

namespace hearth::replay_test {
namespace {

namespace json = boost::json;

// Dumps the story with `filter`; returns the parsed lines (each must be one JSON object).
std::vector<json::object> dump(const testing::TempDir& dir, const replay::DumpFilter& filter) {
  auto log = replay::open_log(dir.path(), false);
  EXPECT_TRUE(log.ok());
  std::ostringstream out;
  auto written = replay::dump_log(**log, filter, out);
  EXPECT_TRUE(written.ok()) << written.error().message;
  std::vector<json::object> objects;
  for (const auto& line : lines(out.str())) {
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    EXPECT_FALSE(ec) << "not JSON: " << line;
    EXPECT_TRUE(v.is_object()) << line;
    if (!ec && v.is_object()) objects.push_back(v.as_object());
  }
  EXPECT_EQ(static_cast<int64_t>(objects.size()), written.ok() ? *written : -1);
  return objects;
}

std::vector<int64_t> seqs(const std::vector<json::object>& objects) {
  std::vector<int64_t> out;
  for (const auto& o : objects) out.push_back(o.at("seq").as_int64());
  return out;
}

// Filters spelled out field by field (designated initializers that skip fields warn under -Wextra).
replay::DumpFilter range(std::optional<int64_t> from, std::optional<int64_t> to) {
  replay::DumpFilter f;
  f.from = from;
  f.to = to;
  return f;
}
replay::DumpFilter room(int64_t id) {
  replay::DumpFilter f;
  f.room = id;
  return f;
}
replay::DumpFilter user(int64_t id) {
  replay::DumpFilter f;
  f.user = id;
  return f;
}
replay::DumpFilter types(std::vector<std::string> names) {
  replay::DumpFilter f;
  f.types = std::move(names);
  return f;
}

class DumpTest : public ::testing::Test {
 protected:
  void SetUp() override { write_story(dir_, false); }
  testing::TempDir dir_;
};

TEST_F(DumpTest, EmitsOneValidJsonObjectPerEventWithEveryField) {
  auto objects = dump(dir_, {});
  ASSERT_EQ(objects.size(), 18u);
  for (size_t k = 0; k < objects.size(); ++k) EXPECT_EQ(objects[k].at("seq").as_int64(), static_cast<int64_t>(k + 1));

  const auto& first = objects[0];
  EXPECT_EQ(first.at("time").as_string(), "2023-11-14T22:13:21.500123Z");
  EXPECT_EQ(first.at("actor").as_int64(), 0);
  EXPECT_EQ(first.at("type").as_string(), "AccountCreated");
  EXPECT_EQ(first.at("command_id").as_string(), "setup-1");
  EXPECT_EQ(first.at("payload").at("name").as_string(), "Acme");

  const auto& post = objects[10];  // seq 11: the closed-room message with a newline
  EXPECT_EQ(post.at("type").as_string(), "MessagePosted");
  EXPECT_EQ(post.at("command_id").as_string(), "c-2");
  const auto& p = post.at("payload").as_object();
  EXPECT_EQ(p.at("message_id").as_int64(), 2);
  EXPECT_EQ(p.at("room_id").as_int64(), 2);
  EXPECT_EQ(p.at("creator_id").as_int64(), 1);
  EXPECT_EQ(p.at("plain_text").as_string(), "secret plans\nline two");
  EXPECT_EQ(p.at("body_html").as_string(), "<p>secret plans\nline two</p>");

  EXPECT_TRUE(objects[1].at("command_id").is_null());  // no command id: null, not ""
  // Default-valued scalars are still shown: a member's role is Member (0).
  EXPECT_EQ(objects[5].at("payload").at("role").as_string(), "Member");
  EXPECT_EQ(objects[4].at("payload").at("user_agent").as_string(), "test \"agent\"");
  EXPECT_EQ(objects[13].at("payload").at("content").as_string(), "\xF0\x9F\x91\x8D");
  EXPECT_EQ(objects[16].at("payload").at("mentioned_user_ids").as_array().size(), 1u);
}

TEST_F(DumpTest, SeqRangeIsInclusive) {
  EXPECT_EQ(seqs(dump(dir_, range(3, 5))), (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(seqs(dump(dir_, range(17, std::nullopt))), (std::vector<int64_t>{17, 18}));
  EXPECT_TRUE(dump(dir_, range(100, std::nullopt)).empty());
}

TEST_F(DumpTest, RoomFilterMatchesPayloadRoomId) {
  EXPECT_EQ(seqs(dump(dir_, room(2))), (std::vector<int64_t>{9, 10, 11, 16, 17, 18}));
}

TEST_F(DumpTest, UserFilterMatchesActorAndUserFields) {
  // 6 joined (user_id), 7 and 16 granted (user_id), 14 boost (actor, booster_id), 17 post (actor).
  EXPECT_EQ(seqs(dump(dir_, user(2))), (std::vector<int64_t>{6, 7, 14, 16, 17}));
}

TEST_F(DumpTest, TypesCombineWithOrAndOtherFiltersWithAnd) {
  replay::DumpFilter f = types({"MessagePosted", "BoostAdded"});
  EXPECT_EQ(seqs(dump(dir_, f)), (std::vector<int64_t>{8, 11, 14, 17}));
  f.room = 2;
  EXPECT_EQ(seqs(dump(dir_, f)), (std::vector<int64_t>{11, 17}));
}

TEST_F(DumpTest, UnknownTypeIsRejectedListingValidOnes) {
  auto st = replay::check_filter(types({"MessagePosted", "MessageSent"}));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalid);
  EXPECT_NE(st.error().message.find("'MessageSent'"), std::string::npos);
  EXPECT_NE(st.error().message.find("MessagePosted, MessageEdited"), std::string::npos) << st.error().message;
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_dump(dir_.path(), types({"Nope"}), out, err), replay::kExitBadInput);
  EXPECT_EQ(out.str(), "");
}

TEST_F(DumpTest, UnverifiablePayloadStopsTheDumpNamingItsSeq) {
  {
    auto db = sqlite::Db::open(dir_.file("log.sqlite3"), sqlite::Db::Mode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("DROP TRIGGER events_no_update; UPDATE events SET payload = x'00' WHERE seq = 4").ok());
  }
  auto log = replay::open_log(dir_.path(), false);
  ASSERT_TRUE(log.ok());
  std::ostringstream out;
  auto written = replay::dump_log(**log, {}, out);
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("seq 4"), std::string::npos) << written.error().message;
  EXPECT_EQ(lines(out.str()).size(), 3u);  // what came before the bad event was written
}

TEST(Iso8601Test, MicrosecondsAndTimesBeforeTheEpoch) {
  EXPECT_EQ(replay::iso8601_utc(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(replay::iso8601_utc(1'700'000'000'000'001), "2023-11-14T22:13:20.000001Z");
  EXPECT_EQ(replay::iso8601_utc(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(JsonStringTest, EscapesControlsAndReplacesInvalidUtf8) {
  EXPECT_EQ(replay::json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(replay::json_string("\xC3\xA9"), "\"\xC3\xA9\"");
  EXPECT_EQ(replay::json_string("\xFF" "x"), "\"\\ufffdx\"");
}

}  // namespace
}  // namespace hearth::replay_test
