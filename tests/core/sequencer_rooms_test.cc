// Rooms and memberships: open, closed and direct rooms, conversion, deletion, involvement, reads.
#include <set>

#include "sequencer_fixture.h"

namespace hearth::testing {
namespace {

using Types = std::vector<std::string>;

TEST_F(SequencerTest, OpenRoomGrantsEveryActiveUserIncludingBotsInOneCommand) {
  auto admin = setup();
  auto bob = join("bob");
  auto carol = join("carol");
  bot("Robo");
  ok(admin, cmd::DeactivateUser{carol});
  Seq before = last_seq();
  auto room = ok(bob, cmd::CreateOpenRoom{"Lounge"});
  EXPECT_EQ(types_since(before), (Types{"RoomCreated", "MembershipGranted", "MembershipGranted", "MembershipGranted"}));
  EXPECT_EQ(state_int("SELECT count(*) FROM memberships WHERE room_id = " + std::to_string(room.id)), 3);
  EXPECT_EQ(state_int("SELECT creator_id FROM rooms WHERE id = " + std::to_string(room.id)), bob.value);
}

TEST_F(SequencerTest, RestrictedRoomCreationRefusesMembersButNotPings) {
  auto admin = setup();
  auto bob = join("bob");
  ok(admin, cmd::ChangeAccountSettings{true});
  EXPECT_EQ(fails(bob, cmd::CreateOpenRoom{"x"}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(bob, cmd::CreateClosedRoom{"x", {}}), ErrorCode::kForbidden);
  ok(bob, cmd::FindOrCreateDirectRoom{{admin}});
  ok(admin, cmd::CreateOpenRoom{"admins may"});
}

TEST_F(SequencerTest, ClosedRoomHasTheCreatorAndTheChosenMembers) {
  auto admin = setup();
  auto bob = join("bob");
  join("carol");
  auto room = RoomId(ok(bob, cmd::CreateClosedRoom{"Plans", {admin}}).id);
  EXPECT_EQ(state_int("SELECT count(*) FROM memberships WHERE room_id = " + std::to_string(room.value)), 2);
  EXPECT_EQ(fails(bob, cmd::CreateClosedRoom{"Ghosts", {UserId(77)}}), ErrorCode::kNotFound);
  EXPECT_EQ(fails(bob, cmd::CreateClosedRoom{"", {}}), ErrorCode::kInvalid);
}

TEST_F(SequencerTest, DirectRoomIsFoundByItsExactMemberSet) {
  auto admin = setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto first = ok(bob, cmd::FindOrCreateDirectRoom{{admin}});
  Seq before = last_seq();
  auto again = ok(admin, cmd::FindOrCreateDirectRoom{{bob, bob}});
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(last_seq(), before) << "finding a ping appends nothing";
  auto trio = ok(bob, cmd::FindOrCreateDirectRoom{{admin, carol}});
  EXPECT_NE(trio.id, first.id);
  auto self = ok(bob, cmd::FindOrCreateDirectRoom{{}});
  EXPECT_NE(self.id, first.id);
  EXPECT_EQ(state_int("SELECT involvement FROM memberships WHERE room_id = " + std::to_string(first.id) + " LIMIT 1"), 3);
}

// A ping is built grant by grant, in id order, so its member set passes through smaller ones
// ({admin} on the way to {admin, bob}); none of those may take the key of the ping that really
// has that set.
TEST_F(SequencerTest, APingOfOnlyItsCreatorIsFoundAgainAfterLargerPings) {
  auto admin = setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto self = ok(admin, cmd::FindOrCreateDirectRoom{{}}).id;
  auto pair = ok(bob, cmd::FindOrCreateDirectRoom{{admin}}).id;
  auto trio = ok(bob, cmd::FindOrCreateDirectRoom{{admin, carol}}).id;
  EXPECT_EQ(std::set<int64_t>({self, pair, trio}).size(), 3u);
  auto check = [&](const std::string& when) {
    Seq before = last_seq();
    EXPECT_EQ(ok(admin, cmd::FindOrCreateDirectRoom{{}}).id, self) << when;
    EXPECT_EQ(ok(admin, cmd::FindOrCreateDirectRoom{{admin}}).id, self) << when;
    EXPECT_EQ(ok(admin, cmd::FindOrCreateDirectRoom{{bob}}).id, pair) << when;
    EXPECT_EQ(ok(carol, cmd::FindOrCreateDirectRoom{{bob, admin}}).id, trio) << when;
    EXPECT_EQ(last_seq(), before) << when << ": finding a ping appends nothing";
  };
  check("folded live");
  reopen();
  check("loaded from the projection");
  // Deleting the pair leaves the others found, and the pair's set gets a new room.
  ok(admin, cmd::DeleteRoom{RoomId(pair)});
  EXPECT_EQ(ok(admin, cmd::FindOrCreateDirectRoom{{}}).id, self);
  EXPECT_EQ(ok(bob, cmd::FindOrCreateDirectRoom{{admin, carol}}).id, trio);
  EXPECT_GT(ok(bob, cmd::FindOrCreateDirectRoom{{admin}}).id, trio);
  EXPECT_EQ(state_int("SELECT count(*) FROM rooms WHERE kind = 2"), 3);
}

TEST_F(SequencerTest, ConcurrentPingRequestsForOneSetCreateOneRoom) {
  auto admin = setup();
  auto bob = join("bob");
  std::vector<std::future<Outcome>> results;
  for (int i = 0; i < 20; ++i) {
    UserId actor = i % 2 ? admin : bob;
    UserId other = i % 2 ? bob : admin;
    results.push_back(dir_->sequencer().submit(CommandEnvelope{actor, "", cmd::FindOrCreateDirectRoom{{other}}}));
  }
  std::set<int64_t> ids;
  for (auto& f : results) {
    auto o = f.get();
    ASSERT_TRUE(o.ok());
    ids.insert(o->id);
  }
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(state_int("SELECT count(*) FROM rooms WHERE kind = 2"), 1);
}

TEST_F(SequencerTest, OnlyCreatorOrAdministratorRenamesConvertsAndDeletes) {
  auto admin = setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto room = RoomId(ok(bob, cmd::CreateOpenRoom{"Bob's"}).id);
  EXPECT_EQ(fails(carol, cmd::RenameRoom{room, "Carol's"}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(carol, cmd::ConvertRoom{room, RoomKind::kClosed}), ErrorCode::kForbidden);
  EXPECT_EQ(fails(carol, cmd::DeleteRoom{room}), ErrorCode::kForbidden);
  ok(bob, cmd::RenameRoom{room, "Bob's place"});
  ok(admin, cmd::RenameRoom{room, "Everyone's"});
  EXPECT_EQ(fails(bob, cmd::RenameRoom{RoomId(999), "x"}), ErrorCode::kNotFound);
}

TEST_F(SequencerTest, ConvertingToOpenGrantsEveryoneMissing) {
  auto admin = setup();
  join("bob");
  join("carol");
  auto room = RoomId(ok(admin, cmd::CreateClosedRoom{"Small", {}}).id);
  Seq before = last_seq();
  ok(admin, cmd::ConvertRoom{room, RoomKind::kOpen});
  EXPECT_EQ(types_since(before), (Types{"RoomConverted", "MembershipGranted", "MembershipGranted"}));
  before = last_seq();
  ok(admin, cmd::ConvertRoom{room, RoomKind::kOpen});
  EXPECT_EQ(last_seq(), before) << "converting to the same kind is a no-op";
  ok(admin, cmd::ConvertRoom{room, RoomKind::kClosed});
  EXPECT_EQ(state_int("SELECT count(*) FROM memberships WHERE room_id = " + std::to_string(room.value)), 3);
}

TEST_F(SequencerTest, PingsCannotBeRenamedConvertedOrRevised) {
  auto admin = setup();
  auto bob = join("bob");
  auto ping = RoomId(ok(bob, cmd::FindOrCreateDirectRoom{{admin}}).id);
  EXPECT_EQ(fails(admin, cmd::RenameRoom{ping, "x"}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(admin, cmd::ConvertRoom{ping, RoomKind::kOpen}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(admin, cmd::ReviseRoomMembers{ping, {admin}}), ErrorCode::kInvalid);
  EXPECT_EQ(fails(admin, cmd::ConvertRoom{RoomId(1), RoomKind::kDirect}), ErrorCode::kInvalid);
}

TEST_F(SequencerTest, RevisingMembersGrantsAndRevokesAndClosesAnOpenRoom) {
  auto admin = setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto room = RoomId(ok(admin, cmd::CreateClosedRoom{"Team", {bob}}).id);
  Seq before = last_seq();
  ok(admin, cmd::ReviseRoomMembers{room, {admin, carol}});
  EXPECT_EQ(types_since(before), (Types{"MembershipGranted", "MembershipRevoked"}));
  before = last_seq();
  ok(admin, cmd::ReviseRoomMembers{RoomId(1), {admin}});  // All Talk is open: it becomes closed
  auto t = types_since(before);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.front(), "RoomConverted");
  EXPECT_EQ(state_int("SELECT kind FROM rooms WHERE id = 1"), 1);
}

TEST_F(SequencerTest, AnyParticipantDeletesAPingWithItsMessages) {
  auto admin = setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto ping = RoomId(ok(bob, cmd::FindOrCreateDirectRoom{{admin}}).id);
  post(bob, ping, "psst");
  EXPECT_EQ(fails(carol, cmd::DeleteRoom{ping}), ErrorCode::kNotFound);
  ok(admin, cmd::DeleteRoom{ping});
  EXPECT_EQ(state_int("SELECT count(*) FROM messages WHERE room_id = " + std::to_string(ping.value)), 0);
  EXPECT_EQ(state_int("SELECT count(*) FROM memberships WHERE room_id = " + std::to_string(ping.value)), 0);
  // The member set is free again: a new ping is a new room.
  EXPECT_NE(ok(bob, cmd::FindOrCreateDirectRoom{{admin}}).id, ping.value);
}

TEST_F(SequencerTest, InvolvementFollowsCampfiresLevels) {
  auto admin = setup();
  auto bob = join("bob");
  auto ping = RoomId(ok(bob, cmd::FindOrCreateDirectRoom{{admin}}).id);
  EXPECT_EQ(fails(bob, cmd::ChangeInvolvement{ping, Involvement::kMentions}), ErrorCode::kInvalid);
  ok(bob, cmd::ChangeInvolvement{ping, Involvement::kNothing});
  ok(bob, cmd::ChangeInvolvement{RoomId(1), Involvement::kInvisible});
  auto secret = RoomId(ok(admin, cmd::CreateClosedRoom{"Admins", {}}).id);
  EXPECT_EQ(fails(bob, cmd::ChangeInvolvement{secret, Involvement::kEverything}), ErrorCode::kNotFound);
}

TEST_F(SequencerTest, UnreadIsSetForAbsentVisibleMembersAndClearedOnRead) {
  auto admin = setup();
  auto bob = join("bob");
  auto carol = join("carol");
  auto dave = join("dave");
  ok(dave, cmd::ChangeInvolvement{RoomId(1), Involvement::kInvisible});
  ok(admin, cmd::PostMessage{RoomId(1), "<p>hi</p>", "hi", {}, std::nullopt, {carol}}, "c-hi");
  auto unread = [&](UserId u) {
    return state_int("SELECT unread FROM memberships WHERE room_id = 1 AND user_id = " + std::to_string(u.value));
  };
  EXPECT_EQ(unread(admin), 0);  // the author
  EXPECT_EQ(unread(bob), 1);
  EXPECT_EQ(unread(carol), 0);  // present
  EXPECT_EQ(unread(dave), 0);   // invisible
  Seq before = last_seq();
  ok(bob, cmd::MarkRoomRead{RoomId(1)});
  EXPECT_EQ(types_since(before), (Types{"RoomRead"}));
  before = last_seq();
  ok(bob, cmd::MarkRoomRead{RoomId(1)});
  EXPECT_EQ(last_seq(), before) << "reading a read room appends nothing";
}

}  // namespace
}  // namespace hearth::testing
