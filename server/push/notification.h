#pragma once
// Who is notified of a posted message, and with what (CAMPFIRE.md 2.16, 2.8). Pure: it reads the
// state database and the caller's list of connected users, and decides; sending is push_sender.h.
//
// Recipients: every subscription of every member of the room who
//   - is not the author,
//   - is an active person (not deactivated, banned or a bot),
//   - has involvement `everything`, or `mentions` and is @mentioned by the message
//     (`nothing` and `invisible` never are),
//   - is not "connected" to the room: in `connected`, the users present in the room now
//     (server/realtime/presence.h: a visible tab in the room refreshed within 60 s — the same
//     registry whose answer at post time becomes PostMessage.present and spares them the unread
//     mark). The caller takes it when it plans the message, milliseconds after the commit.
//
// The notification, exactly Campfire's JSON:
//   {"title": T, "options": {"body": B, "icon": "/account/logo",
//                            "data": {"path": "/rooms/<room>", "badge": <the user's unread rooms>}}}
// Direct room: T = the author's name, B = the text. Shared room: T = the room's name,
// B = "<author>: <text>". The text is the message's plain text (mentions as @Name), or the
// attachment's filename when there is none, cut (at a character boundary, with "…") so that the
// JSON stays within what one encrypted record carries (message_encryption.h).
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/sqlite/db.h"

namespace hearth::server::push {

struct PostedMessage {
  RoomId room;
  UserId author;
  std::string plain_text;
  std::string attachment_filename;  // empty: none
  std::vector<UserId> mentioned;
};

struct Notification {
  PushSubscriptionId subscription;
  UserId user;
  std::string json;
};

Result<std::vector<Notification>> plan_notifications(sqlite::Db& state, const PostedMessage& message,
                                                     const std::vector<UserId>& connected);

}  // namespace hearth::server::push
