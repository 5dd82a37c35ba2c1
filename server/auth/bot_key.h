#pragma once
// Campfire's bot key (2.15): `<user id>-<bot token>`, a path segment of /rooms/:room_id/:bot_key/...
//
// Grammar accepted by parse_bot_key (anything else is kInvalid, answered as Campfire does: a
// redirect to sign-in, never a hint which part was wrong):
//   key   = id "-" token
//   id    = [1-9][0-9]*   a positive int64: no sign, no leading zero, no overflow
//   token = [0-9A-Za-z]{1,64}   12 chars from Rails, 24 minted by Hearth; no further '-'
// The empty token ("7-") is refused here — Campfire once authenticated it against bots with no
// token (RELIABILITY S1) — and again by bot_token_matches, which never matches an empty stored hash.
// The segment is parsed as it arrives, not percent-decoded: valid keys need no escaping.
//
// Authentication: parse, load user `id` (must be an active bot), then bot_token_matches(token,
// its stored token hash). The comparison is constant-time over the hashes (S8).
#include <string_view>

#include "core/base/ids.h"
#include "core/base/result.h"

namespace hearth::auth {

inline constexpr size_t kMaxBotTokenChars = 64;

struct BotKey {
  UserId user;
  std::string_view token;  // views into the parsed key
};

Result<BotKey> parse_bot_key(std::string_view key);

// True iff secret_hash(token) equals `stored_token_hash` (the bot's hash from the read model).
bool bot_token_matches(std::string_view token, std::string_view stored_token_hash);

}  // namespace hearth::auth
