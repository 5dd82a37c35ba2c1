#pragma once
// Bot commands as the server sends them: the token's hash and an opaque sealed copy (here simply
// marked bytes: core never opens it). The token itself is the test's to choose and use.
#include <string>

#include "core/base/secret_hash.h"
#include "core/commands/commands.h"

namespace hearth::testing {

inline cmd::CreateBot create_bot_command(std::string name, std::string webhook_url = "",
                                         const std::string& token = "BotToken1234", std::string sealed = "sealed") {
  return cmd::CreateBot{std::move(name), std::move(webhook_url), secret_hash(token), std::move(sealed)};
}

inline cmd::ResetBotKey reset_bot_key_command(UserId bot, const std::string& token, std::string sealed = "sealed") {
  return cmd::ResetBotKey{bot, secret_hash(token), std::move(sealed)};
}

}  // namespace hearth::testing
