#include "core/events/event_view.h"

namespace hearth {

Result<const schema::Event*> view_event(const StoredEvent& e) {
  auto st = verify_payload(e.type, e.payload);
  if (!st.ok()) {
    return Error{ErrorCode::kCorruption,
                 "event at seq " + std::to_string(e.seq.value) + ": " + st.error().message};
  }
  return schema::GetEvent(e.payload.data());
}

std::string_view event_type_name(uint32_t type) {
  if (type == 0 || type > static_cast<uint32_t>(schema::Payload::MAX)) return "Unknown";
  return schema::EnumNamesPayload()[type];
}

uint32_t event_type_code(std::string_view name) {
  for (uint32_t t = 1; t <= static_cast<uint32_t>(schema::Payload::MAX); ++t) {
    if (name == schema::EnumNamesPayload()[t]) return t;
  }
  return 0;
}

std::string_view involvement_name(Involvement i) {
  switch (i) {
    case Involvement::kInvisible: return "invisible";
    case Involvement::kNothing: return "nothing";
    case Involvement::kMentions: return "mentions";
    case Involvement::kEverything: return "everything";
  }
  return "mentions";
}

std::string_view role_name(Role r) {
  switch (r) {
    case Role::kMember: return "member";
    case Role::kAdministrator: return "administrator";
    case Role::kBot: return "bot";
  }
  return "member";
}

std::string_view room_kind_name(RoomKind k) {
  switch (k) {
    case RoomKind::kOpen: return "open";
    case RoomKind::kClosed: return "closed";
    case RoomKind::kDirect: return "direct";
  }
  return "open";
}

}  // namespace hearth
