#include "projections/visibility.h"

#include <cassert>
#include <optional>

#include "core/events/event_view.h"

namespace hearth {
namespace {

constexpr Visibility kAccountWide{true, "account-wide event"};
constexpr Visibility kOwn{true, "the viewer's own event"};
constexpr Visibility kOthers{false, "another user's private event"};
constexpr Visibility kMember{true, "member of the room"};
constexpr Visibility kNotMember{false, "not a member of the room"};
constexpr Visibility kConcerned{true, "the user the membership concerns"};
constexpr Visibility kCreator{true, "creator of the room"};

Visibility own(int64_t user_id, UserId viewer) { return UserId(user_id) == viewer ? kOwn : kOthers; }

// The facts the rule reads, from either source. Each answers for the one viewer it was made for:
//   status()     the viewer's UserStatus, nullopt when the viewer is not a user;
//   member(r)    the viewer is a member of live room r;
//   open(r)      r is a live open room.
class ModelFacts {
 public:
  ModelFacts(const WriteModel& m, UserId viewer) : m_(m), viewer_(viewer) {}
  std::optional<UserStatus> status() const {
    const UserFacts* u = m_.user(viewer_);
    return u ? std::optional(u->status) : std::nullopt;
  }
  bool member(RoomId r) const { return m_.membership(r, viewer_) != nullptr; }
  bool open(RoomId r) const {
    const RoomFacts* room = m_.room(r);
    return room && room->kind == RoomKind::kOpen;
  }

 private:
  const WriteModel& m_;
  UserId viewer_;
};

class ViewerFacts {
 public:
  explicit ViewerFacts(const ViewerState& s) : s_(s) {}
  std::optional<UserStatus> status() const { return s_.status; }
  bool member(RoomId r) const { return s_.member(r); }
  bool open(RoomId r) const { return s_.open(r); }

 private:
  const ViewerState& s_;
};

template <class Facts>
Visibility room_members(int64_t room_id, const Facts& before) {
  return before.member(RoomId(room_id)) ? kMember : kNotMember;
}

// Open rooms are known to everyone; other rooms only to their members.
template <class Facts>
Visibility room_fact(int64_t room_id, const Facts& before) {
  if (before.open(RoomId(room_id))) return kAccountWide;
  return room_members(room_id, before);
}

template <class Facts>
Visibility membership_change(int64_t room_id, int64_t user_id, UserId viewer, const Facts& before) {
  if (UserId(user_id) == viewer) return kConcerned;
  return room_members(room_id, before);
}

// The rule, written once for both sources of facts.
template <class Facts>
Visibility rule(const StoredEvent& e, UserId viewer, const Facts& before) {
  auto* ev = schema::GetEvent(e.payload.data());
  using P = schema::Payload;
  const P type = ev->payload_type();
  if (!ev->payload()) return {false, "event without a payload"};

  // A new user is not in `before`, yet their own arrival opens their stream.
  if (type == P::UserJoined && UserId(ev->payload_as_UserJoined()->user_id()) == viewer) return kOwn;
  if (type == P::BotCreated && UserId(ev->payload_as_BotCreated()->user_id()) == viewer) return kOwn;
  const std::optional<UserStatus> status = before.status();
  if (!status) return {false, "viewer is not a user (yet)"};
  if (*status == UserStatus::kDeactivated) return {false, "viewer is deactivated"};
  if (*status == UserStatus::kBanned) return {false, "viewer is banned"};

  switch (type) {
    case P::AccountCreated:
    case P::AccountRenamed:
    case P::AccountLogoChanged:
    case P::AccountCustomStylesChanged:
    case P::AccountSettingsChanged:
    case P::JoinCodeReset:
    case P::UserJoined:
    case P::BotCreated:
    case P::UserProfileChanged:
    case P::UserAvatarChanged:
    case P::RoleChanged:
    case P::UserDeactivated:
    case P::UserBanned:
    case P::UserUnbanned:
    case P::BotKeyReset:
    case P::WebhookSet:
    // Conversion is only ever between open and closed, so one side of it is public.
    case P::RoomConverted:
      return kAccountWide;

    case P::PasswordChanged: return own(ev->payload_as_PasswordChanged()->user_id(), viewer);
    case P::SessionStarted: return own(ev->payload_as_SessionStarted()->user_id(), viewer);
    case P::SessionEnded: return own(ev->payload_as_SessionEnded()->user_id(), viewer);
    case P::SearchRecorded: return own(ev->payload_as_SearchRecorded()->user_id(), viewer);
    case P::SearchesCleared: return own(ev->payload_as_SearchesCleared()->user_id(), viewer);
    case P::PushSubscriptionAdded: return own(ev->payload_as_PushSubscriptionAdded()->user_id(), viewer);
    case P::PushSubscriptionRemoved: return own(ev->payload_as_PushSubscriptionRemoved()->user_id(), viewer);
    case P::InvolvementChanged: return own(ev->payload_as_InvolvementChanged()->user_id(), viewer);
    case P::RoomRead: return own(ev->payload_as_RoomRead()->user_id(), viewer);

    case P::RoomCreated: {
      auto* p = ev->payload_as_RoomCreated();
      if (p->kind() == schema::RoomKind::Open) return kAccountWide;
      // No one is a member yet; the grants that follow tell the others.
      return UserId(p->creator_id()) == viewer ? kCreator : kNotMember;
    }
    case P::RoomRenamed: return room_fact(ev->payload_as_RoomRenamed()->room_id(), before);
    case P::RoomDeleted: return room_members(ev->payload_as_RoomDeleted()->room_id(), before);

    case P::MembershipGranted: {
      auto* p = ev->payload_as_MembershipGranted();
      return membership_change(p->room_id(), p->user_id(), viewer, before);
    }
    case P::MembershipRevoked: {
      auto* p = ev->payload_as_MembershipRevoked();
      return membership_change(p->room_id(), p->user_id(), viewer, before);
    }

    case P::MessagePosted: return room_members(ev->payload_as_MessagePosted()->room_id(), before);
    case P::MessageEdited: return room_members(ev->payload_as_MessageEdited()->room_id(), before);
    case P::MessageRemoved: return room_members(ev->payload_as_MessageRemoved()->room_id(), before);
    case P::BoostAdded: return room_members(ev->payload_as_BoostAdded()->room_id(), before);
    case P::BoostRemoved: return room_members(ev->payload_as_BoostRemoved()->room_id(), before);

    case P::NONE: break;
  }
  return {false, "unknown event type"};
}

}  // namespace

Visibility visible_to(const StoredEvent& e, UserId viewer, const WriteModel& before) {
  return rule(e, viewer, ModelFacts(before, viewer));
}

Visibility visible_to(const StoredEvent& e, UserId viewer, const ViewerState& before) {
  assert(before.viewer == viewer);
  assert(before.at.value + 1 == e.seq.value);
  return rule(e, viewer, ViewerFacts(before));
}

}  // namespace hearth
