// The sequencer's view of messages it does not keep in memory: what the projector committed.
#include "projection_fixture.h"
#include "projections/message_index.h"

namespace hearth::testing {
namespace {

class MessageIndexTest : public ProjectionTest {
 protected:
  void SetUp() override {
    ProjectionTest::SetUp();
    seed();
    auto index = SqliteMessageIndex::open(state_path());
    ASSERT_TRUE(index.ok()) << index.error().to_string();
    index_ = std::move(*index);
  }
  std::unique_ptr<SqliteMessageIndex> index_;
};

TEST_F(MessageIndexTest, FindsAPostedMessageWithItsRoomCreatorAndAttachment) {
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "text"),
          message_posted(MessageId(2), kAllTalk, kBob, "file.png", {.attachment = Blob{"ab", 1, "image/png", "f"}})});
  auto m1 = index_->message(MessageId(1));
  ASSERT_TRUE(m1.ok());
  EXPECT_EQ(*m1, (MessageFacts{kAllTalk, kAlice, false}));
  auto m2 = index_->message(MessageId(2));
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(*m2, (MessageFacts{kAllTalk, kBob, true}));
}

TEST_F(MessageIndexTest, RemovedOrAbsentMessageIsNullopt) {
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "text")});
  ASSERT_TRUE(index_->message(MessageId(1))->has_value());  // read once, then see the removal
  commit({message_removed(MessageId(1), kAllTalk)});
  EXPECT_FALSE(index_->message(MessageId(1))->has_value());
  EXPECT_FALSE(index_->message(MessageId(42))->has_value());
}

TEST_F(MessageIndexTest, FindsBoostsUntilRemoved) {
  commit({message_posted(MessageId(1), kAllTalk, kAlice, "text"),
          boost_added(BoostId(7), MessageId(1), kAllTalk, kBob, "👏")});
  auto b = index_->boost(BoostId(7));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (BoostFacts{MessageId(1), kAllTalk, kBob}));
  commit({boost_removed(BoostId(7), MessageId(1), kAllTalk)});
  EXPECT_FALSE(index_->boost(BoostId(7))->has_value());
}

TEST_F(MessageIndexTest, MessagesByCreatorAreLiveOnesInIdOrder) {
  commit({message_posted(MessageId(3), kAllTalk, kBob, "c"), message_posted(MessageId(1), kAllTalk, kBob, "a"),
          message_posted(MessageId(2), kAllTalk, kAlice, "b"), message_posted(MessageId(4), kAllTalk, kBob, "d"),
          message_removed(MessageId(4), kAllTalk)});
  auto ids = index_->messages_by(kBob);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<MessageId>{MessageId(1), MessageId(3)}));
}

}  // namespace
}  // namespace hearth::testing
