#pragma once
// The message commands a browser sends, built in one place whether they came over HTTP (api.cc)
// or the socket (realtime/connection.cc), so both paths apply the same body policy and the same
// idempotency key (DESIGN I6: the client's id).
//
// Body policy: until the HTML sanitizer moves out of migrate/ into a library the server can use,
// a posted body_html is stored HTML-escaped as text (safe; formatting is lost). This is the one
// place that changes when it does.
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/commands/commands.h"

namespace hearth::server {

// `present`: the users viewing the room now (server/realtime/presence.h), not marked unread.
CommandEnvelope post_message(UserId actor, std::string client_id, RoomId room, std::string_view body_html,
                             std::string plain_text, std::vector<UserId> mentions,
                             std::vector<UserId> present = {});
CommandEnvelope edit_message(UserId actor, std::string client_id, MessageId message, std::string_view body_html,
                             std::string plain_text, std::vector<UserId> mentions);
CommandEnvelope remove_message(UserId actor, std::string client_id, MessageId message);

// The stable error code clients switch on (docs/api.md), for an error from the sequencer.
// Corruption and I/O errors are "internal": their detail is for the server's log, not the client.
std::string_view client_error_code(ErrorCode code);

std::string html_escape(std::string_view s);

}  // namespace hearth::server
