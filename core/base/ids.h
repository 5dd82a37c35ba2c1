#pragma once
// Identifiers are distinct types: a UserId can't be passed where a RoomId is expected.
// Their values are what the log stores (FlatBuffers `long`), decided by the sequencer or kept
// from a Rails import.
#include <compare>
#include <cstdint>
#include <functional>

namespace hearth {

template <class Tag>
struct Id {
  int64_t value = 0;
  constexpr Id() = default;
  constexpr explicit Id(int64_t v) : value(v) {}
  constexpr bool valid() const { return value > 0; }
  constexpr auto operator<=>(const Id&) const = default;
};

using UserId = Id<struct UserTag>;
using RoomId = Id<struct RoomTag>;
using MessageId = Id<struct MessageTag>;
using BoostId = Id<struct BoostTag>;
using SessionId = Id<struct SessionTag>;
using PushSubscriptionId = Id<struct PushSubscriptionTag>;

// A position in the log. 0 means "before the first event"; events start at 1 (DESIGN I1).
struct Seq {
  int64_t value = 0;
  constexpr Seq() = default;
  constexpr explicit Seq(int64_t v) : value(v) {}
  constexpr Seq next() const { return Seq(value + 1); }
  constexpr auto operator<=>(const Seq&) const = default;
};

// The actor of commands the system issues itself (imports, maintenance).
inline constexpr UserId kSystemActor{0};

}  // namespace hearth

template <class Tag>
struct std::hash<hearth::Id<Tag>> {
  size_t operator()(hearth::Id<Tag> id) const noexcept { return std::hash<int64_t>{}(id.value); }
};
