// server/realtime/client_frame: every client frame of docs/protocol.md reads into its struct,
// every malformed one is refused with the documented code, and every server frame is JSON with
// the documented fields.
#include "server/realtime/client_frame.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "core/log/event_log.h"
#include "server/realtime/event_json.h"
#include "support/event_builders.h"

namespace hearth::server::realtime {
namespace {

namespace json = boost::json;

template <class T>
T parsed_as(std::string_view text) {
  ParsedFrame p = parse_client_frame(text);
  EXPECT_TRUE(p.ok()) << text << ": " << (p.ok() ? "" : p.error().message);
  EXPECT_TRUE(p.ok() && std::holds_alternative<T>(p.frame())) << text;
  return p.ok() && std::holds_alternative<T>(p.frame()) ? std::get<T>(p.frame()) : T{};
}

std::string_view refusal(std::string_view text) {
  ParsedFrame p = parse_client_frame(text);
  EXPECT_FALSE(p.ok()) << text;
  if (p.ok()) return "";
  EXPECT_FALSE(p.error().message.empty());
  return p.error().code;
}

json::object object_of(const std::string& text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  EXPECT_TRUE(v.is_object()) << text;
  return v.is_object() ? v.as_object() : json::object();
}

TEST(ClientFrameTest, EachDocumentedFrameReadsIntoItsStruct) {
  EXPECT_EQ(parsed_as<Hello>(R"({"type":"hello","cursor":42})").cursor, Seq(42));
  EXPECT_EQ(parsed_as<Hello>(R"({"type":"hello","cursor":0})").cursor, Seq(0));

  Post p = parsed_as<Post>(R"({"type":"post","id":"c-1f3a","room_id":3,"body_html":"<p>hi @A</p>"})");
  EXPECT_EQ(p.id, "c-1f3a");
  EXPECT_EQ(p.room_id, RoomId(3));
  EXPECT_EQ(p.body_html, "<p>hi @A</p>");
  // Older clients also sent plain_text and mentions: read past, as the server derives both.
  EXPECT_EQ(parsed_as<Post>(R"({"type":"post","id":"x","room_id":3,"body_html":"y","plain_text":1,"mentions":"4"})")
                .body_html,
            "y");

  Edit e = parsed_as<Edit>(R"({"type":"edit","id":"e1","message_id":9,"body_html":"<p>b</p>"})");
  EXPECT_EQ(e.id, "e1");
  EXPECT_EQ(e.message_id, MessageId(9));
  EXPECT_EQ(e.body_html, "<p>b</p>");

  Delete d = parsed_as<Delete>(R"({"type":"delete","id":"d1","message_id":9})");
  EXPECT_EQ(d.id, "d1");
  EXPECT_EQ(d.message_id, MessageId(9));

  Typing t = parsed_as<Typing>(R"({"type":"typing","room_id":3,"active":true})");
  EXPECT_EQ(t.room_id, RoomId(3));
  EXPECT_TRUE(t.active);

  EXPECT_EQ(parsed_as<Present>(R"({"type":"present","room_id":3})").room_id, RoomId(3));
  EXPECT_EQ(parsed_as<Absent>(R"({"type":"absent","room_id":4})").room_id, RoomId(4));
  parsed_as<Refresh>(R"({"type":"refresh"})");

  Gap g = parsed_as<Gap>(R"({"type":"gap","last":10,"prev":12})");
  EXPECT_EQ(g.last, Seq(10));
  EXPECT_EQ(g.prev, Seq(12));

  parsed_as<Ping>(R"({"type":"ping"})");
}

TEST(ClientFrameTest, UnknownFieldsAreIgnoredSoNewerClientsStillTalk) {
  EXPECT_EQ(parsed_as<Hello>(R"({"cursor":7,"type":"hello","tab":"x","v":[1,{"a":null}]})").cursor, Seq(7));
}

TEST(ClientFrameTest, MalformedFramesAreBadFrame) {
  const char* bad[] = {
      "",
      "not json",
      "[]",
      "\"hello\"",
      "{}",
      R"({"type":1})",
      R"({"type":"hello"})",
      R"({"type":"hello","cursor":-1})",
      R"({"type":"hello","cursor":1.5})",
      R"({"type":"hello","cursor":5.0})",
      R"({"type":"hello","cursor":"5"})",
      R"({"type":"hello","cursor":18446744073709551615})",
      R"({"type":"hello","cursor":1} trailing)",
      R"({"type":"post","id":"","room_id":3,"body_html":"","plain_text":""})",
      R"({"type":"post","id":"c","room_id":0,"body_html":"","plain_text":""})",
      R"({"type":"post","id":"c","room_id":3,"body_html":1,"plain_text":""})",
      R"({"type":"post","id":"c","room_id":3})",
      R"({"type":"post","id":7,"room_id":3,"body_html":"","plain_text":""})",
      R"({"type":"edit","id":"e","body_html":"","plain_text":""})",
      R"({"type":"delete","id":"d","message_id":-9})",
      R"({"type":"typing","room_id":3,"active":1})",
      R"({"type":"typing","active":true})",
      R"({"type":"present"})",
      R"({"type":"present","room_id":0})",
      R"({"type":"present","room_id":"3"})",
      R"({"type":"absent","room_id":-3})",
      R"({"type":"gap","last":1})",
      "{\"type\":\"hello\",\"cursor\":1,\"x\":\"\xFF\"}",  // invalid UTF-8
      R"({"type":"ping","x":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})",
  };
  for (const char* text : bad) EXPECT_EQ(refusal(text), kBadFrame) << text;
}

TEST(ClientFrameTest, CommandIdIsOneTo64Bytes) {
  auto post = [](const std::string& id) {
    return R"({"type":"post","id":")" + id + R"(","room_id":3,"body_html":"","plain_text":""})";
  };
  EXPECT_EQ(parsed_as<Post>(post(std::string(64, 'a'))).id.size(), 64u);
  EXPECT_EQ(refusal(post(std::string(65, 'a'))), kBadFrame);
}

TEST(ClientFrameTest, FrameLongerThan64KiBIsRefusedBeforeParsing) {
  std::string body(kMaxClientFrameBytes, 'x');
  std::string text = R"({"type":"post","id":"c","room_id":3,"plain_text":"","body_html":")" + body + "\"}";
  EXPECT_EQ(refusal(text), kBadFrame);
  // Just under the bound still reads (spilling past the parser's stack buffer).
  std::string fits(kMaxClientFrameBytes - 100, 'x');
  EXPECT_EQ(parsed_as<Post>(R"({"type":"post","id":"c","room_id":3,"plain_text":"","body_html":")" + fits + "\"}")
                .body_html.size(),
            fits.size());
}

TEST(ClientFrameTest, UnknownTypeIsUnknownType) {
  EXPECT_EQ(refusal(R"({"type":"boost","message_id":1})"), kUnknownType);
  EXPECT_EQ(refusal(R"({"type":""})"), kUnknownType);
  // The message quotes the type as valid JSON text, however long or odd it is.
  ParsedFrame p = parse_client_frame(R"({"type":")" + std::string(500, 'z') + "\"}");
  ASSERT_FALSE(p.ok());
  EXPECT_LT(p.error().message.size(), 120u);
  object_of(error_frame(p.error().code, p.error().message));
}

TEST(ServerFrameTest, EveryBuilderGivesJsonWithTheDocumentedFields) {
  auto w = object_of(welcome_frame(UserId(7), Seq(40), Seq(42)));
  EXPECT_EQ(w, json::parse(R"({"type":"welcome","user_id":7,"cursor":40,"head":42})").as_object());

  auto a = object_of(ack_frame("c-1f3a", Seq(43), MessageId(9), true));
  EXPECT_EQ(a, json::parse(R"({"type":"ack","id":"c-1f3a","seq":43,"result_id":9,"replayed":true})").as_object());

  auto r = object_of(rejected_frame("c\"1", "forbidden", "You may not post here"));
  EXPECT_EQ(r, json::parse(R"({"type":"rejected","id":"c\"1","code":"forbidden","message":"You may not post here"})")
                   .as_object());

  auto t = object_of(typing_frame(RoomId(3), UserId(4), false));
  EXPECT_EQ(t, json::parse(R"({"type":"typing","room_id":3,"user_id":4,"active":false})").as_object());

  EXPECT_EQ(object_of(pong_frame()), json::parse(R"({"type":"pong"})").as_object());

  auto e = object_of(error_frame(kBadFrame, "field 'cursor' is missing\n"));
  EXPECT_EQ(e, json::parse(R"({"type":"error","code":"bad_frame","message":"field 'cursor' is missing\n"})")
                   .as_object());

  auto z = object_of(reset_frame("cursor_too_old"));
  EXPECT_EQ(z, json::parse(R"({"type":"reset","reason":"cursor_too_old"})").as_object());

  auto c = object_of(checkpoint_frame(Seq(10), Seq(20)));
  EXPECT_EQ(c, json::parse(R"({"type":"checkpoint","prev":10,"seq":20})").as_object());
}

TEST(ServerFrameTest, EventsMessageIsPrefixEventsJoinedByCommaSuffix) {
  using namespace hearth::testing;
  StoredEvent e1 = at(room_renamed(RoomId(3), "Hall"), 100, UserId(7));
  e1.seq = Seq(11);
  StoredEvent e2 = at(message_removed(MessageId(9), RoomId(3)), 101, UserId(7));
  e2.seq = Seq(13);

  std::string one = events_prefix(Seq(10)) + event_json(e1) + events_suffix(Seq(11));
  auto o = object_of(one);
  EXPECT_EQ(o.at("type").as_string(), "events");
  EXPECT_EQ(o.at("prev").as_int64(), 10);
  EXPECT_EQ(o.at("seq").as_int64(), 11);
  ASSERT_EQ(o.at("events").as_array().size(), 1u);

  // `seq` may pass the last event when later ones were not visible to this user.
  std::string two = events_prefix(Seq(10)) + event_json(e1) + "," + event_json(e2) + events_suffix(Seq(15));
  auto t = object_of(two);
  const json::array& events = t.at("events").as_array();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].as_object().at("seq").as_int64(), 11);
  EXPECT_EQ(events[1].as_object().at("type").as_string(), "MessageRemoved");
  EXPECT_EQ(t.at("seq").as_int64(), 15);
}

}  // namespace
}  // namespace hearth::server::realtime
