#include "server/api.h"

#include "core/base/clock.h"
#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/files/pinned_blob.h"
#include "server/api/routes.h"
#include "server/auth/csrf.h"
#include "server/auth/key_file.h"
#include "server/auth/passwords.h"
#include "server/auth/signed_id.h"
#include "server/http/router.h"
#include "server/push/vapid.h"

namespace hearth::server {

using api::error;
using api::header;
using http::Request;
using HS = http::Status;

struct Api::Impl {
  api::ApiContext context;
  std::string vapid_public_key;  // server/push/vapid.h: what browsers subscribe with
  Impl(std::string state, Sequencer* s, std::unique_ptr<Clock> own, Clock& clock,
       std::shared_ptr<const auth::CsrfKey> key, std::shared_ptr<const auth::BotKeyVault> bot_keys,
       const api::ApiOptions& o)
      : context(std::move(state), s, std::move(own), clock, std::move(key), std::move(bot_keys), o) {}
};

Result<std::shared_ptr<Api>> Api::open(const std::string& data_dir, Sequencer* sequencer, Options options,
                                       Clock* clock) {
  SystemRandom random;
  auto key = auth::load_or_create_key(data_dir + "/csrf.key", auth::kCsrfKeyBytes, random);
  if (!key) return key.take_error();
  auto csrf = std::make_shared<const auth::CsrfKey>(std::span<const uint8_t, auth::kCsrfKeyBytes>(key->data(), auth::kCsrfKeyBytes));
  auto bot_keys = auth::BotKeyVault::open(data_dir, random);
  if (!bot_keys) return bot_keys.take_error();
  std::unique_ptr<Clock> own;
  if (clock == nullptr) {
    own = std::make_unique<SystemClock>();
    clock = own.get();
  }
  // Loaded here as well as by the push sender (the same file or environment): a bad VAPID key
  // stops the start, before any browser subscribes with a key we could not sign for.
  auto vapid = push::load_vapid(data_dir, push::VapidSettings::from_environment(), random);
  if (!vapid) return vapid.take_error();
  auto impl = std::make_unique<Impl>(data_dir + "/state.sqlite3", sequencer, std::move(own), *clock,
                                     std::move(csrf), std::move(*bot_keys), options);
  impl->vapid_public_key = vapid->public_key();
  (void)auth::decoy_digest();  // made now, not during the first sign-in
  auto transfer = auth::load_or_create_key(data_dir + "/transfer.key", auth::kSignedIdKeyBytes, random);
  if (!transfer) return transfer.take_error();
  impl->context.set_transfer_key(std::make_shared<const auth::SignedIdKey>(
      std::span<const uint8_t, auth::kSignedIdKeyBytes>(transfer->data(), auth::kSignedIdKeyBytes)));
  // The banned addresses: the table now, then every batch the sequencer commits from here on
  // (it has accepted no command yet: the Api opens before the server starts).
  {
    auto l = impl->context.lease();
    if (!l.ok()) return l.take_error();
    HEARTH_TRY(impl->context.banned().load((*l)->db()));
  }
  if (sequencer != nullptr) {
    sequencer->add_listener([banned = impl->context.banned_ptr()](const Batch& batch) { banned->apply(batch); });
  }
  return std::shared_ptr<Api>(new Api(std::move(impl)));
}

Api::Api(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Api::~Api() { stop(); }
void Api::stop() {
  impl_->context.pool().stop();
  impl_->context.image_pool().stop();
  impl_->context.stop_files();
}
std::shared_ptr<realtime::Presence> Api::presence() const { return impl_->context.presence_ptr(); }
const auth::BotKeyVault& Api::bot_keys() const { return impl_->context.bot_keys(); }
WorkPool& Api::image_pool() { return impl_->context.image_pool(); }

Result<files::PinnedBlob> Api::store_file(std::string_view bytes, std::string_view filename,
                                          std::string_view content_type) {
  api::ApiContext& c = impl_->context;
  return files::store_pinned_bytes(c.reaper(), c.blobs(), bytes, filename, content_type, c.max_upload_bytes());
}

std::optional<Api::SocketUser> Api::authenticate_socket(http::RequestContext& ctx, http::Respond& respond) {
  const Request& req = ctx.request;
  if (!auth::origin_allowed(header(req, "Origin"), header(req, "Sec-Fetch-Site"), header(req, "Host").value_or(""),
                           ctx.secure ? "https" : "http", auth::OriginCheck::kWebSocketUpgrade)) {
    respond(error(HS::forbidden, "csrf", "Cross-origin WebSocket refused", req.version()));
    return std::nullopt;
  }
  auto who = impl_->context.authenticate(ctx, respond, false);
  if (!who) return std::nullopt;
  return SocketUser{who->user, who->session};
}

void Api::add_routes(http::Router& router) {
  // The routes live in the server, which the owner stops before the Api.
  api::add_session_routes(router, impl_->context);
  api::add_bootstrap_routes(router, impl_->context);
  api::add_message_routes(router, impl_->context);
  api::add_room_routes(router, impl_->context);
  api::add_search_routes(router, impl_->context);
  api::add_boost_routes(router, impl_->context);
  api::add_push_routes(router, impl_->context, impl_->vapid_public_key);
  api::add_preview_routes(router, impl_->context);
  api::add_preview_image_routes(router, impl_->context);
  api::add_account_routes(router, impl_->context);
  api::add_bot_routes(router, impl_->context);
  api::add_bot_admin_routes(router, impl_->context);
  api::add_files_routes(router, impl_->context);
  api::add_people_routes(router, impl_->context);
  // Campfire 2.21: anything but GET/HEAD from a banned address is 429, for every account.
  router.set_guard([banned = impl_->context.banned_ptr()](const http::RequestContext& ctx) -> std::optional<http::Response> {
    auto verb = ctx.request.method();
    if (verb == http::Verb::get || verb == http::Verb::head || !banned->contains(ctx.client_address)) {
      return std::nullopt;
    }
    return error(HS::too_many_requests, "too_many_requests", "Too many requests", ctx.request.version());
  });
}

}  // namespace hearth::server
