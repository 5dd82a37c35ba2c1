#pragma once
// Commands: what an actor asks for. The sequencer validates each one against the write model and
// turns it into zero or more events (facts) in one transaction, or rejects it with a typed error.
//
// Conventions:
//  - The envelope's `actor` is who asks (kSystemActor for anonymous first-run/join and imports).
//  - The envelope's `command_id` is the client's idempotency key (DESIGN I6): repeating
//    (actor, command_id) returns the first outcome and appends nothing. For PostMessage it is
//    Campfire's `client_message_id` and is required.
//  - Secrets arrive already hashed where the caller owns them (password digests: argon2id is too
//    slow for the sequencer thread). Session tokens the sequencer mints come back in Ack::secret.
//  - Bot tokens are minted by the server, which must recover them later (Campfire's webhook
//    payload carries the bot key) with a key core never sees: the commands carry the token's hash
//    and the token sealed with that key (server/auth/bot_key_vault.h), never the token.
//  - Text is UTF-8; the sequencer checks it is valid and within the limits in limits.h.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/base/ids.h"
#include "core/base/result.h"

namespace hearth {

enum class RoomKind : int8_t { kOpen = 0, kClosed = 1, kDirect = 2 };
enum class Role : int8_t { kMember = 0, kAdministrator = 1, kBot = 2 };
enum class Involvement : int8_t { kInvisible = 0, kNothing = 1, kMentions = 2, kEverything = 3 };
enum class UserStatus : int8_t { kActive = 0, kDeactivated = 1, kBanned = 2 };

struct Blob {
  std::string content_hash;  // lower-case hex SHA-256
  uint64_t byte_size = 0;
  std::string content_type;
  std::string filename;
  uint32_t width = 0, height = 0;  // pixels, images only
  bool operator==(const Blob&) const = default;
};

namespace cmd {

// ---- account ----
struct SetupFirstRun { std::string name, email, password_digest, ip_address, user_agent; };
struct RenameAccount { std::string name; };
struct ChangeAccountLogo { std::optional<Blob> logo; };
struct ChangeCustomStyles { std::string css; };
struct ChangeAccountSettings { bool restrict_room_creation_to_administrators = false; };
struct ResetJoinCode {};

// ---- users and bots ----
struct JoinAccount { std::string join_code, name, email, password_digest, ip_address, user_agent; };
// token_hash = secret_hash(token); token_sealed = opaque bytes the server can open (may be empty).
struct CreateBot { std::string name, webhook_url, token_hash, token_sealed; };
struct UpdateBot { UserId bot; std::string name, webhook_url; };
struct ResetBotKey { UserId bot; std::string token_hash, token_sealed; };
struct UpdateProfile { std::string name, email, bio; };                  // the actor's own
struct ChangeAvatar { std::optional<Blob> avatar; };                     // the actor's own
// Self, or the system. A new password ends every other session of the user in the same command
// (RELIABILITY S2: whoever holds another of them, a stolen cookie or a forgotten browser, is out);
// `keep_session` is the one that asked, which stays signed in (0: none stays). A `rehash` is the
// system re-encoding the same password at sign-in (bcrypt -> argon2id): nothing changed for
// anyone, so no session ends; only the system actor may ask for one.
struct ChangePassword {
  UserId user;
  std::string password_digest;
  SessionId keep_session;
  bool rehash = false;
};
struct ChangeRole { UserId user; Role role = Role::kMember; };
struct DeactivateUser { UserId user; };
struct BanUser { UserId user; };
struct UnbanUser { UserId user; };

// ---- sessions ----
struct StartSession { std::string ip_address, user_agent; };  // after the caller checked the password
struct EndSession { std::string token_hash; };
struct EndOtherSessions { SessionId keep; };  // "sign out everywhere else": the actor's, but `keep`

// ---- rooms ----
struct CreateOpenRoom { std::string name; };
struct CreateClosedRoom { std::string name; std::vector<UserId> members; };
struct FindOrCreateDirectRoom { std::vector<UserId> members; };  // the actor is always included
struct RenameRoom { RoomId room; std::string name; };
struct ConvertRoom { RoomId room; RoomKind kind = RoomKind::kOpen; };  // open <-> closed only
struct ReviseRoomMembers { RoomId room; std::vector<UserId> members; }; // closed rooms: the new set
struct DeleteRoom { RoomId room; };
struct ChangeInvolvement { RoomId room; Involvement involvement = Involvement::kMentions; };
struct MarkRoomRead { RoomId room; };

// ---- messages ----
struct PostMessage {
  RoomId room;
  std::string body_html;                 // sanitized by the caller
  std::string plain_text;
  std::vector<UserId> mentions;          // kept only if members of the room
  std::optional<Blob> attachment;
  std::vector<UserId> present;           // members viewing the room now: not marked unread
};
struct EditMessage { MessageId message; std::string body_html, plain_text; std::vector<UserId> mentions; };
struct RemoveMessage { MessageId message; };
struct AddBoost { MessageId message; std::string content; };
struct RemoveBoost { BoostId boost; };

// ---- searches and push ----
struct RecordSearch { std::string query; };
struct ClearSearches {};
struct AddPushSubscription { std::string endpoint, p256dh_key, auth_key, user_agent; };
struct RemovePushSubscription { PushSubscriptionId subscription; };

}  // namespace cmd

using Command = std::variant<
    cmd::SetupFirstRun, cmd::RenameAccount, cmd::ChangeAccountLogo, cmd::ChangeCustomStyles,
    cmd::ChangeAccountSettings, cmd::ResetJoinCode, cmd::JoinAccount, cmd::CreateBot, cmd::UpdateBot,
    cmd::ResetBotKey, cmd::UpdateProfile, cmd::ChangeAvatar, cmd::ChangePassword, cmd::ChangeRole,
    cmd::DeactivateUser, cmd::BanUser, cmd::UnbanUser, cmd::StartSession, cmd::EndSession,
    cmd::EndOtherSessions, cmd::CreateOpenRoom, cmd::CreateClosedRoom, cmd::FindOrCreateDirectRoom, cmd::RenameRoom,
    cmd::ConvertRoom, cmd::ReviseRoomMembers, cmd::DeleteRoom, cmd::ChangeInvolvement,
    cmd::MarkRoomRead, cmd::PostMessage, cmd::EditMessage, cmd::RemoveMessage, cmd::AddBoost,
    cmd::RemoveBoost, cmd::RecordSearch, cmd::ClearSearches, cmd::AddPushSubscription,
    cmd::RemovePushSubscription>;

struct CommandEnvelope {
  UserId actor;
  std::string command_id;  // empty: not idempotent
  Command command;
};

// What a command returns when accepted.
struct Ack {
  Seq seq;              // the last event it appended; when it appended nothing, the log's end
  int64_t id = 0;       // the entity it created or addressed (user, room, message, boost, session...)
  std::string secret;   // a freshly minted session token, in clear; only in the first outcome
  bool replayed = false;  // the command id was seen before: this is the original outcome
  bool operator==(const Ack&) const = default;
};
using Outcome = Result<Ack>;

}  // namespace hearth
