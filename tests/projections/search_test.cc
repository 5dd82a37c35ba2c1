// The FTS index moves with messages in the projection transaction; recent searches are trimmed.
#include "core/commands/limits.h"
#include "projection_fixture.h"
#include "projections/message_search.h"

namespace hearth::testing {
namespace {

using SearchProjectionTest = ProjectionTest;

TEST_F(SearchProjectionTest, PostedWordIsFoundWithStemming) {
  seed();
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "We are Deploying the servers tonight")});
  EXPECT_EQ(integer("SELECT rowid FROM message_search WHERE message_search MATCH 'deploy'"), 1);
  EXPECT_EQ(integer("SELECT rowid FROM message_search WHERE message_search MATCH 'server'"), 1);
}

TEST_F(SearchProjectionTest, DiacriticsAndCaseFold) {
  seed();
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "Rendez-vous au Café")});
  EXPECT_EQ(count("message_search WHERE message_search MATCH 'cafe'"), 1);
}

TEST_F(SearchProjectionTest, RemovedMessageLeavesNoFtsRow) {
  seed();
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "ephemeral thought")});
  commit({message_removed(MessageId(1), kAllTalk)});
  EXPECT_EQ(count("message_search WHERE message_search MATCH 'ephemeral'"), 0);
}

TEST_F(SearchProjectionTest, EditReplacesTheIndexedText) {
  seed();
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "original wording")});
  commit({message_edited(MessageId(1), kAllTalk, "revised phrasing")});
  EXPECT_EQ(count("message_search WHERE message_search MATCH 'original'"), 0);
  EXPECT_EQ(count("message_search WHERE message_search MATCH 'phrasing'"), 1);
}

TEST_F(SearchProjectionTest, IndexPassesIntegrityCheckAfterEveryKindOfChange) {
  seed();
  commit({room_created(RoomId(2), RoomKind::kClosed, "Ops", kAdmin), membership_granted(RoomId(2), kAdmin),
          message_posted(MessageId(1), RoomId(2), kAdmin, "alpha beta"),
          message_posted(MessageId(2), kAllTalk, kAdmin, "gamma delta"),
          message_posted(MessageId(3), kAllTalk, kAdmin, "epsilon")});
  commit({message_edited(MessageId(2), kAllTalk, "gamma zeta"), message_removed(MessageId(3), kAllTalk),
          room_deleted(RoomId(2))});
  EXPECT_TRUE(projector_->db().exec("INSERT INTO message_search(message_search) VALUES('integrity-check')").ok());
  EXPECT_EQ(count("message_search WHERE message_search MATCH 'alpha OR epsilon OR delta'"), 0);
  EXPECT_EQ(count("message_search WHERE message_search MATCH 'zeta'"), 1);
}

std::vector<int64_t> found(Projector& p, UserId user, std::string_view words, int limit = kSearchResults) {
  auto hits = search_messages(p.db(), user, build_search_query(words), limit);
  EXPECT_TRUE(hits.ok()) << hits.error().to_string();
  std::vector<int64_t> ids;
  if (hits.ok()) {
    for (const auto& h : *hits) ids.push_back(h.id.value);
  }
  return ids;
}

TEST_F(SearchProjectionTest, ScopedSearchSeesOnlyTheUsersRoomsAsTheyAreNow) {
  seed();
  commit({room_created(RoomId(2), RoomKind::kClosed, "Ops", kAdmin), membership_granted(RoomId(2), kAdmin),
          membership_granted(RoomId(2), kAlice), message_posted(MessageId(1), RoomId(2), kAdmin, "pager duty"),
          message_posted(MessageId(2), kAllTalk, kAdmin, "pager fixed")});
  EXPECT_EQ(found(*projector_, kAlice, "pager"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(found(*projector_, kBob, "pager"), (std::vector<int64_t>{2}));
  commit({membership_revoked(RoomId(2), kAlice)});
  EXPECT_EQ(found(*projector_, kAlice, "pager"), (std::vector<int64_t>{2}));
  commit({room_deleted(RoomId(2))});
  EXPECT_EQ(found(*projector_, kAdmin, "pager"), (std::vector<int64_t>{2}));
}

TEST_F(SearchProjectionTest, ScopedSearchKeepsTheNewestAndReturnsThemOldestFirst) {
  seed();
  std::vector<StoredEvent> batch;
  for (int i = 1; i <= 7; ++i) batch.push_back(message_posted(MessageId(i), kAllTalk, kAdmin, "note " + std::to_string(i)));
  commit(std::move(batch));
  EXPECT_EQ(found(*projector_, kBob, "note", 3), (std::vector<int64_t>{5, 6, 7}));
  EXPECT_TRUE(found(*projector_, kBob, "\"*()\"").empty());
}

// Several terms take the forward read when their matches are few (<= 500) and the walk when not;
// both answer the newest 100 of the user's rooms, oldest first.
TEST_F(SearchProjectionTest, SeveralTermsGiveTheSameNewestHundredWithFewOrManyMatches) {
  seed();
  commit({room_created(RoomId(2), RoomKind::kClosed, "Ops", kAdmin), membership_granted(RoomId(2), kAdmin)});
  for (int total : {300, 700}) {
    std::vector<StoredEvent> batch;
    int64_t first = integer("SELECT COALESCE(MAX(id), 0) FROM messages") + 1;
    std::vector<int64_t> bobs;
    for (int i = 0; i < total; ++i) {
      MessageId id(first + i);
      RoomId room = i % 3 ? kAllTalk : RoomId(2);
      if (room == kAllTalk) bobs.push_back(id.value);
      batch.push_back(message_posted(id, room, kAdmin, "alpha beta " + std::to_string(total)));
      batch.push_back(message_posted(MessageId(first + total + i), kAllTalk, kAdmin, "alpha only"));
    }
    commit(std::move(batch));
    std::string words = "beta alpha " + std::to_string(total);
    EXPECT_EQ(found(*projector_, kBob, words), std::vector<int64_t>(bobs.end() - 100, bobs.end())) << total;
    EXPECT_EQ(found(*projector_, kBob, words + " nowhere"), std::vector<int64_t>{}) << total;
  }
}

TEST_F(SearchProjectionTest, KeepsOnlyTheTenMostRecentSearches) {
  seed();
  for (int i = 0; i < 12; ++i) commit({search_recorded(kAlice, "q" + std::to_string(i))});
  commit({search_recorded(kBob, "bob's")});
  EXPECT_EQ(count("searches WHERE user_id = 2"), static_cast<int64_t>(limits::kRecentSearches));
  EXPECT_EQ(count("searches WHERE query IN ('q0', 'q1')"), 0);
  EXPECT_EQ(count("searches WHERE user_id = 3"), 1);
}

TEST_F(SearchProjectionTest, RerecordingAQueryTouchesItInsteadOfDuplicating) {
  seed();
  for (int i = 0; i < 10; ++i) commit({search_recorded(kAlice, "q" + std::to_string(i))});
  commit({search_recorded(kAlice, "q0")});        // now the most recent
  commit({search_recorded(kAlice, "new")});       // pushes out q1, not q0
  EXPECT_EQ(count("searches WHERE user_id = 2"), 10);
  EXPECT_EQ(count("searches WHERE query = 'q0'"), 1);
  EXPECT_EQ(count("searches WHERE query = 'q1'"), 0);
  EXPECT_EQ(integer("SELECT updated_at_us FROM searches WHERE query = 'new'"), clock());
}

TEST_F(SearchProjectionTest, TrimmingWithinOneBatchIsByLogOrder) {
  seed();
  std::vector<StoredEvent> batch;
  for (int i = 0; i < 11; ++i) batch.push_back(search_recorded(kAlice, "q" + std::to_string(i)));
  commit(std::move(batch));
  EXPECT_EQ(count("searches WHERE query = 'q0'"), 0);
  EXPECT_EQ(count("searches WHERE query = 'q10'"), 1);
}

TEST_F(SearchProjectionTest, ClearRemovesOnlyThatUsersSearches) {
  seed();
  commit({search_recorded(kAlice, "a"), search_recorded(kBob, "b"), searches_cleared(kAlice)});
  EXPECT_EQ(count("searches"), 1);
  EXPECT_EQ(text("SELECT query FROM searches"), "b");
}

}  // namespace
}  // namespace hearth::testing
