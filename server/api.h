#pragma once
// The HTTP JSON API for the browser. Its parts are in server/api/ (routes.h lists them; context.h
// holds what they share). All bodies are JSON; errors are server/http/types.h's JSON error with a stable code.
//
// Codes: bad_request (malformed JSON or fields), unauthorized (no live session / bad credentials),
// too_many_requests (sign-in rate limit), csrf (Origin or X-CSRF-Token refused), not_found,
// forbidden, conflict, invalid (the sequencer's typed errors), busy (the password or image pool is full),
// unavailable (writes refused), internal.
//
// Threads and lifetime:
//  - Reads (session lookup, bootstrap, message pages) run on the IO thread against read-only
//    connections to state.sqlite3 from a small pool of their own (never the projector's). Each read
//    that reports `seq` runs inside one read transaction, so `seq` (meta.applied_seq) is exactly the
//    state it shows.
//  - Password hashing and verification run on a WorkPool (threads = cores), never on an IO thread;
//    storing an upload (decoding, thumbnails) on another, so neither can starve the other.
//  - Writes are submitted to the sequencer; the answer is sent from its completion, after commit.
//    Completions capture only the Respond and values (never the Api), so they are safe even when
//    they run after the Api is gone. Pool jobs use the Api: stop() joins the pool, and the owner
//    calls it after Server::stop() and before destroying the Api.
//
// Bodies: posted and edited body_html is sanitized, auto-linked, and its plain text and mentions
// derived, in server/message_commands.h (the same for the socket).
//
// Cookies carry `Secure` and the expected Origin is https exactly when RequestContext::secure (the
// server speaks TLS itself, or a trusted proxy says X-Forwarded-Proto: https).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "server/api/options.h"
#include "server/http/types.h"

namespace hearth {
class Sequencer;
class Clock;
namespace auth {
class BotKeyVault;
}
}  // namespace hearth

namespace hearth::server {

class WorkPool;
namespace http {
class Router;
struct RequestContext;
}
namespace realtime {
class Presence;
}
namespace files {
struct PinnedBlob;
}

class Api {
 public:
  using Options = api::ApiOptions;
  // `data_dir` holds state.sqlite3, the CSRF key (csrf.key) and the bot-key sealing key
  // (bot_keys.key), both created 0600 on first use.
  // `sequencer` and `clock` (nullptr: the system clock) must outlive the Api.
  static Result<std::shared_ptr<Api>> open(const std::string& data_dir, Sequencer* sequencer, Options options,
                                           Clock* clock = nullptr);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  void add_routes(http::Router& router);

  // The WebSocket upgrade's check (docs/protocol.md "Connecting"): the Origin rule for upgrades,
  // then a live session of an active user. On refusal it answers through `respond` (403 csrf,
  // 401 unauthorized) and returns nullopt.
  struct SocketUser {
    UserId user;
    SessionId session;
  };
  std::optional<SocketUser> authenticate_socket(http::RequestContext& ctx, std::function<void(http::Response)>& respond);
  void stop();  // joins the password and image pools; idempotent

  // Who views which room now (server/realtime/presence.h): the socket fills it, posts over HTTP
  // and over the socket read it.
  std::shared_ptr<realtime::Presence> presence() const;

  // The bot-key vault (DATA_DIR/bot_keys.key): with server/bots/bot_keys.h's bot_key_for, the key
  // of a bot in clear for the webhook payload. Lives as long as the Api.
  const auth::BotKeyVault& bot_keys() const;

  // Where uploads are stored and decoded (ApiOptions::image_threads): tests fill it to see the 503.
  WorkPool& image_pool();

  // Bytes the server has in hand (a webhook's file reply) stored as a file, within the upload
  // limit, and pinned against the blob reaper until the post that refers to it commits
  // (server/files/pinned_blob.h). Any thread; while the Api lives.
  Result<files::PinnedBlob> store_file(std::string_view bytes, std::string_view filename,
                                       std::string_view content_type);

  struct Impl;

 private:
  explicit Api(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::server
