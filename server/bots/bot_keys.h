#pragma once
// A bot's key in clear, `<id>-<token>`, recovered from the sealed token the read model keeps
// (server/auth/bot_key_vault.h). For the webhook payload's `room.path` and the bots page.
#include <optional>
#include <string>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/sqlite/db.h"
#include "server/auth/bot_key_vault.h"

namespace hearth::server::bots {

// The key of bot `bot` (any status), or nullopt when there is no such bot or its key cannot be
// recovered: imported bots and bots created before keys were sealed (reset the key to make one
// that can), a sealed token from another data directory's key, or one that no longer matches the
// bot's current token hash. Errors are the database's only. `state` is a state.sqlite3 connection.
Result<std::optional<std::string>> bot_key_for(sqlite::Db& state, const auth::BotKeyVault& vault, UserId bot);

}  // namespace hearth::server::bots
