#pragma once
// Reading stored events: every payload passes the FlatBuffers verifier before it is read.
#include <string_view>

#include "core/commands/commands.h"
#include "core/log/event_log.h"
#include "schema/events_generated.h"

namespace hearth {

// The verified root of an event's payload, or kCorruption naming its seq.
Result<const schema::Event*> view_event(const StoredEvent& e);

// "MessagePosted", ... ; "Unknown" for codes this build does not know.
std::string_view event_type_name(uint32_t type);
// The code for a name, or 0.
uint32_t event_type_code(std::string_view name);

inline schema::RoomKind to_schema(RoomKind k) { return static_cast<schema::RoomKind>(k); }
inline schema::Role to_schema(Role r) { return static_cast<schema::Role>(r); }
inline schema::Involvement to_schema(Involvement i) { return static_cast<schema::Involvement>(i); }
inline RoomKind from_schema(schema::RoomKind k) { return static_cast<RoomKind>(k); }
inline Role from_schema(schema::Role r) { return static_cast<Role>(r); }
inline Involvement from_schema(schema::Involvement i) { return static_cast<Involvement>(i); }

std::string_view involvement_name(Involvement i);  // "invisible", "nothing", "mentions", "everything"
std::string_view role_name(Role r);                // "member", "administrator", "bot"
std::string_view room_kind_name(RoomKind k);       // "open", "closed", "direct"

// A FlatBuffers string as a view; "" when absent.
inline std::string_view sv(const flatbuffers::String* s) {
  return s ? std::string_view(s->data(), s->size()) : std::string_view();
}

}  // namespace hearth
