#pragma once
// Webhooks to bots (CAMPFIRE.md 2.15) as a consumer of the log (server/consumers/outbox.h).
//
// Who is told: for each MessagePosted — in a direct room, every active bot member with a webhook
// URL; in any other room, the active bots with a webhook URL that the message @mentions (the
// event's mentioned_user_ids: room members when posted). Never the author. Never a bot's webhook
// reply (a MessagePosted whose command id starts with kReplyCommandPrefix, by a bot), so replies do
// not loop; a bot's own posts through the bot API do fire other bots, as in Campfire.
// The projections are read when the event is planned, which may be a little after it was posted:
// a bot deactivated in between is not told.
//
// The request: POST <webhook url>, Content-Type: application/json, X-Hearth-Seq: <seq>, body
//   {"user":{"id","name"}, "room":{"id","name","path":"/rooms/<room>/<bot key>/messages"},
//    "message":{"id","body":{"html","plain"},"path":"/rooms/<room>/@<message>"}, "seq":<seq>}
// with plain = the plain text with "@<bot name>" removed, trimmed. The key is looked up when the
// delivery is sent (never stored in the outbox file); a bot whose key cannot be recovered (an
// imported one) gets the payload without room.path. Connect and answer timeouts: 7 s.
//
// The reply, as Campfire: 200 with text/html or text/plain → its body posted by the bot (through
// server/message_commands.h's body policy); any other answer with a Content-Type and a body → the
// body stored as a file `attachment.<ext>` and posted as the bot's attachment message; a timeout →
// the bot posts "Failed to respond within 7 seconds". Each reply's command id is
// kReplyCommandPrefix + "<seq>:<bot id>", so a delivery retried after a crash posts it once.
//
// Where Hearth departs from Campfire (which makes one attempt, with no retries): a refused
// connection, a 5xx, a 408 or a 429 is retried with backoff (the outbox's); other 4xx answers end
// the delivery with no reply (Campfire would post an error page as an attachment).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/commands/commands.h"
#include "server/consumers/outbox.h"
#include "server/files/pinned_blob.h"

namespace hearth {
class Sequencer;
}
namespace hearth::auth {
class BotKeyVault;
}
namespace hearth::server {
class Api;
}

namespace hearth::server::webhooks {

inline constexpr std::string_view kReplyCommandPrefix = "webhook:";

struct Deps {
  // The bot's key `<id>-<token>`, or nullopt when it cannot be recovered. Delivery threads.
  std::function<Result<std::optional<std::string>>(UserId bot)> bot_key;
  // Stores a reply's bytes as a file, pinned until its post commits (server/files/pinned_blob.h;
  // serve.cc: Api::store_file). Delivery threads. Unset: file replies are dropped with a log line.
  using StoreFile = std::function<Result<files::PinnedBlob>(std::string_view bytes, std::string_view filename,
                                                             std::string_view content_type)>;
  StoreFile store_file;
};

struct Options {
  std::chrono::milliseconds timeout{7000};  // connect, and the whole answer (Campfire: 7 s each)
  size_t max_reply_bytes = 10u << 20;       // a longer answer is a failed attempt
  consumers::Outbox::Options outbox = default_outbox();
  static consumers::Outbox::Options default_outbox() {
    consumers::Outbox::Options o;
    o.name = "webhooks";
    return o;
  }
};

// Deps::bot_key as the server fills it: the key opened from the vault (server/bots/bot_keys.h), on a
// read-only state connection of the calling delivery thread's own. `vault` must outlive the outbox.
std::function<Result<std::optional<std::string>>(UserId)> vault_bot_key(const std::string& data_dir,
                                                                        const auth::BotKeyVault& vault);

// Deps::store_file as the server fills it: Api::store_file. `api` must outlive the outbox.
Deps::StoreFile api_store_file(Api& api);

// Opens DATA_DIR/outbox.webhooks.sqlite3 and starts planning and delivering. Before the sequencer
// accepts commands; stop() it before the sequencer stops.
Result<std::unique_ptr<consumers::Outbox>> open(const std::string& data_dir, Sequencer& sequencer, Deps deps,
                                                Options options);

// The file name of a reply of this Content-Type: "attachment.<ext>" ("attachment.bin" when the
// type is not one Hearth knows).
std::string attachment_name(std::string_view content_type);

}  // namespace hearth::server::webhooks
