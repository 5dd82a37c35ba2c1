#pragma once
// One log event as the realtime protocol sends it (docs/protocol.md "Events"):
//
//   {"seq":42,"time":1732640000123456,"type":"MessagePosted","actor":7,"command_id":"c-1f3a",
//    "data":{"message_id":9,"room_id":3,...}}
//
// - `type` is the union member's name in schema/events.fbs; `data` holds the payload's fields
//   under their schema names. Every scalar and string is written, defaults included (an absent
//   string is ""); an absent vector is []; an absent blob (`attachment`, `logo`, `avatar`) is left
//   out, a present one is {"content_hash","byte_size","content_type","filename"}.
// - Enums are lower-case strings: kind open/closed/direct, role member/administrator/bot,
//   involvement invisible/nothing/mentions/everything.
// - `command_id` is null when the command had none.
// - Secrets and private data never travel (DESIGN I8): password_digest, bot_token_hash,
//   token_hash, email, join_code, webhook_url, ip_address, ip_addresses, user_agent, endpoint,
//   p256dh_key and auth_key are left out, and so is WebhookSet's `url` (the same webhook URL
//   under another name). Which events a user receives at all is projections/visibility.h.
//
// Serialized once per event and shared by every connection that may see it, so the output is the
// same for every viewer: nothing here depends on who reads it.
#include <string>

#include "core/log/event_log.h"

namespace hearth::server::realtime {

// REQUIRES: `e` passed view_event() (core/events/event_view.h). A type code this build does not
// know (impossible after the verifier) gives "type":"Unknown" and empty data.
std::string event_json(const StoredEvent& e);

}  // namespace hearth::server::realtime
