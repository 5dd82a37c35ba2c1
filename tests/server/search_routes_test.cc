// GET /api/search and the recent searches (docs/api.md "Search") against a real server: what a
// search finds (after the ack, stemmed, newest 100 oldest first), what it must never find (rooms
// the searcher is not in, was removed from, or that were deleted), and who may do what.
#include <gtest/gtest.h>

#include "search_fixture.h"

namespace hearth::testing {
namespace {

using SearchRoutesTest = SearchFixture;

TEST_F(SearchRoutesTest, AMessagePostedOverHttpIsFoundAsSoonAsItIsAcknowledged) {
  for (int i = 0; i < 5; ++i) {
    std::string word = "ackword" + std::string(1, static_cast<char>('a' + i));
    auto res = call(port_, Verb::post, "/api/rooms/" + std::to_string(all_talk_.value) + "/messages",
                    boost::json::serialize(boost::json::object{
                        {"client_message_id", word}, {"body_html", word}, {"plain_text", "now " + word}}),
                    ada_.headers());
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    int64_t id = body_of(res).at("id").as_int64();
    EXPECT_EQ(ids(search(bob_, word)), std::vector<int64_t>{id}) << "no wait between the ack and the search";
  }
}

TEST_F(SearchRoutesTest, ResultsCarryTheMessageAndItsRoom) {
  int64_t id = post(ada_id_, all_talk_, "Lunch at noon?");
  auto found = search(bob_, "lunch");
  ASSERT_EQ(found.size(), 1u);
  const auto& m = found[0].as_object();
  EXPECT_EQ(m.at("id").as_int64(), id);
  EXPECT_EQ(m.at("room_id").as_int64(), all_talk_.value);
  EXPECT_EQ(m.at("room_name").as_string(), "All Talk");
  EXPECT_EQ(m.at("creator_id").as_int64(), ada_id_.value);
  EXPECT_EQ(m.at("plain_text").as_string(), "Lunch at noon?");
  EXPECT_EQ(m.at("body_html").as_string(), "Lunch at noon?");
  EXPECT_GT(m.at("created_at_us").as_int64(), 0);
  auto body = get(bob_, "/api/search?q=LUNCH+noon");
  EXPECT_EQ(body.at("terms"), (boost::json::array{"LUNCH", "noon"}));
}

TEST_F(SearchRoutesTest, PorterStemmingAndCaseFoldingMatchCampfire) {
  int64_t id = post(ada_id_, all_talk_, "We are Deploying the new servers tonight");
  for (const char* q : {"deploy", "deploys", "DEPLOYED", "server", "servers+deploy", "tonight"}) {
    EXPECT_EQ(ids(search(bob_, q)), std::vector<int64_t>{id}) << q;
  }
  EXPECT_TRUE(search(bob_, "deploy+database").empty()) << "every word must match";
}

TEST_F(SearchRoutesTest, MentionsAreSearchedAsTheirPlainText) {
  int64_t id = post(ada_id_, all_talk_, "@Bob can you review this");
  EXPECT_EQ(ids(search(ada_, "%40Bob")), std::vector<int64_t>{id});
  EXPECT_EQ(ids(search(ada_, "bob+review")), std::vector<int64_t>{id});
}

TEST_F(SearchRoutesTest, NeverFindsAMessageInARoomTheSearcherIsNotIn) {
  int64_t open = post(ada_id_, all_talk_, "quarterly numbers are in");
  int64_t hidden = post(ada_id_, secret_, "quarterly numbers are secret");
  EXPECT_EQ(ids(search(bob_, "quarterly")), std::vector<int64_t>{open});
  EXPECT_EQ(ids(search(ada_, "quarterly")), (std::vector<int64_t>{open, hidden}));
  EXPECT_TRUE(search(bob_, "secret").empty());
}

TEST_F(SearchRoutesTest, ARevokedMemberStopsFindingTheRoomsMessagesAtOnce) {
  int64_t hidden = post(ada_id_, secret_, "launch codes rotated");
  execute(ada_id_, cmd::ReviseRoomMembers{secret_, {ada_id_, bob_id_}});
  EXPECT_EQ(ids(search(bob_, "launch")), std::vector<int64_t>{hidden});
  execute(ada_id_, cmd::ReviseRoomMembers{secret_, {ada_id_}});
  EXPECT_TRUE(search(bob_, "launch").empty());
  EXPECT_EQ(ids(search(ada_, "launch")), std::vector<int64_t>{hidden});
}

TEST_F(SearchRoutesTest, ADeletedRoomsMessagesAreFoundByNobody) {
  RoomId doomed(execute(ada_id_, cmd::CreateClosedRoom{"Doomed", {ada_id_, bob_id_}}));
  post(ada_id_, doomed, "farewell party plans");
  ASSERT_EQ(search(bob_, "farewell").size(), 1u);
  execute(ada_id_, cmd::DeleteRoom{doomed});
  EXPECT_TRUE(search(bob_, "farewell").empty());
  EXPECT_TRUE(search(ada_, "farewell").empty());
}

TEST_F(SearchRoutesTest, PingsAreSearchedByTheirParticipantsOnly) {
  RoomId ping(execute(ada_id_, cmd::FindOrCreateDirectRoom{{bob_id_}}));
  int64_t id = post(bob_id_, ping, "psst the password is swordfish");
  EXPECT_EQ(ids(search(ada_, "swordfish")), std::vector<int64_t>{id});
  auto res = call(port_, Verb::post, "/api/join/" +
                                         std::string(get(ada_, "/api/bootstrap").at("account").at("join_code").as_string()),
                  person("Cy", "cy@example.com"));
  ASSERT_EQ(res.result_int(), 201u);
  auto cy = session_from(res).value_or(Session{});
  EXPECT_TRUE(search(cy, "swordfish").empty());
}

TEST_F(SearchRoutesTest, TheNewestHundredAreShownOldestFirst) {
  std::vector<int64_t> posted;
  for (int i = 0; i < 105; ++i) {
    posted.push_back(post(ada_id_, i % 2 ? all_talk_ : secret_, "standup note " + std::to_string(i)));
    post(ada_id_, all_talk_, "unrelated chatter");
  }
  auto found = ids(search(ada_, "standup"));
  EXPECT_EQ(found, std::vector<int64_t>(posted.begin() + 5, posted.end()));
  // Bob sees only All Talk's 52 (the odd ones), all of them.
  auto bobs = ids(search(bob_, "standup"));
  ASSERT_EQ(bobs.size(), 52u);
  EXPECT_EQ(bobs.front(), posted[1]);
  EXPECT_EQ(bobs.back(), posted[103]);
}

TEST_F(SearchRoutesTest, EditedAndRemovedMessagesAreSearchedAsTheyAreNow) {
  int64_t id = post(ada_id_, all_talk_, "draft wording");
  execute(ada_id_, cmd::EditMessage{MessageId(id), "final wording", "final wording", {}});
  EXPECT_TRUE(search(bob_, "draft").empty());
  EXPECT_EQ(ids(search(bob_, "final")), std::vector<int64_t>{id});
  execute(ada_id_, cmd::RemoveMessage{MessageId(id)});
  EXPECT_TRUE(search(bob_, "wording").empty());
}

TEST_F(SearchRoutesTest, AnEmptyOrPunctuationOnlyQueryIsAnEmptyList) {
  post(ada_id_, all_talk_, "anything at all");
  for (const char* q : {"", "+", "%20%20", "%22%22", "***", "()%3A%5E-", "%00"}) {
    auto body = get(bob_, std::string("/api/search?q=") + q);
    EXPECT_TRUE(body.at("messages").as_array().empty()) << q;
    EXPECT_TRUE(body.at("terms").as_array().empty()) << q;
  }
  EXPECT_TRUE(get(bob_, "/api/search").at("messages").as_array().empty());
}

TEST_F(SearchRoutesTest, RecentSearchesKeepTheTenLatestNewestFirstAndClear) {
  auto record = [&](const Session& s, const std::string& q) {
    return call(port_, Verb::post, "/api/searches", boost::json::serialize(boost::json::object{{"query", q}}),
                s.headers());
  };
  for (int i = 0; i < 12; ++i) ASSERT_EQ(record(ada_, "q" + std::to_string(i)).result_int(), 201u);
  ASSERT_EQ(record(ada_, "q5").result_int(), 201u);  // used again: the most recent, not a duplicate
  ASSERT_EQ(record(bob_, "bob's own").result_int(), 201u);
  auto list = get(ada_, "/api/searches").at("searches").as_array();
  std::vector<std::string> queries;
  for (const auto& s : list) queries.emplace_back(s.at("query").as_string());
  EXPECT_EQ(queries, (std::vector<std::string>{"q5", "q11", "q10", "q9", "q8", "q7", "q6", "q4", "q3", "q2"}));

  auto cleared = call(port_, Verb::delete_, "/api/searches", "", ada_.headers());
  EXPECT_EQ(cleared.result_int(), 200u) << cleared.body();
  EXPECT_TRUE(get(ada_, "/api/searches").at("searches").as_array().empty());
  EXPECT_EQ(get(bob_, "/api/searches").at("searches").as_array().size(), 1u) << "only Ada's were cleared";
}

TEST_F(SearchRoutesTest, RecordingRefusesBlankQueriesAndWritesWithoutTheCsrfToken) {
  auto record = [&](const std::string& body, const Headers& headers) {
    return call(port_, Verb::post, "/api/searches", body, headers);
  };
  EXPECT_EQ(record(R"({"query":"   "})", ada_.headers()).result_int(), 422u);
  EXPECT_EQ(record(R"({"query":")" + std::string(2000, 'x') + R"("})", ada_.headers()).result_int(), 422u);
  EXPECT_EQ(record(R"({"nothing":1})", ada_.headers()).result_int(), 400u);
  EXPECT_EQ(record(R"({"query":"x"})", ada_.headers(false)).result_int(), 403u);
  EXPECT_EQ(call(port_, Verb::delete_, "/api/searches", "", ada_.headers(false)).result_int(), 403u);
  EXPECT_TRUE(get(ada_, "/api/searches").at("searches").as_array().empty());
}

TEST_F(SearchRoutesTest, EverySearchRouteRefusesAnonymousRequests) {
  for (auto [verb, target] : {std::pair{Verb::get, "/api/search?q=x"}, std::pair{Verb::get, "/api/searches"},
                              std::pair{Verb::post, "/api/searches"}, std::pair{Verb::delete_, "/api/searches"}}) {
    EXPECT_EQ(call(port_, verb, target, R"({"query":"x"})").result_int(), 401u) << target;
  }
}

}  // namespace
}  // namespace hearth::testing
