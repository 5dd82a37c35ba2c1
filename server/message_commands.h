#pragma once
// The message commands a browser sends, built in one place whether they came over HTTP
// (api/message_routes.cc) or the socket (realtime/connection.cc), so both paths apply the same
// body policy and the same idempotency key (DESIGN I6: the client's id).
//
// Body policy (docs/api.md, "Message bodies"): body_html is sanitized to Campfire's allow-list
// with bare URLs auto-linked (core/html/sanitizer.h); plain_text (what search indexes, mentions as
// @Name) and the mentioned user ids (from the mention spans, core/html/mention.h; the sequencer
// keeps only room members) are derived from the sanitized markup, never taken from the client. A
// body with no visible text sanitizes to nothing, which the sequencer refuses as invalid unless
// the message carries a file. "/play name" is ordinary text.
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/commands/commands.h"

namespace hearth::server {

// `present`: the users viewing the room now (server/realtime/presence.h), not marked unread.
CommandEnvelope post_message(UserId actor, std::string client_id, RoomId room, std::string_view body_html,
                             std::vector<UserId> present = {});
CommandEnvelope edit_message(UserId actor, std::string client_id, MessageId message, std::string_view body_html);
CommandEnvelope remove_message(UserId actor, std::string client_id, MessageId message);

// The stable error code clients switch on (docs/api.md), for an error from the sequencer.
// Corruption and I/O errors are "internal": their detail is for the server's log, not the client.
std::string_view client_error_code(ErrorCode code);

}  // namespace hearth::server
