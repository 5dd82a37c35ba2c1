#pragma once
// What every API route shares: the state database's read-only connections, the sequencer, the
// CSRF key, the sign-in limiter and the password pool, and the checks most routes begin with
// (who is signed in, is this a member of that room). Routes live in server/api/*_routes.cc, one
// file per part of the API (server/api/routes.h); each is a free function over an ApiContext.
//
// Threads: reads run on the IO thread against read-only connections from a small pool (never
// the projector's); password work runs on `pool`, image work on `image_pool`; writes are submitted to the sequencer and
// answered from its completion, which captures only values and the Respond (never the context).
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/blobs/blob_store.h"
#include "core/commands/commands.h"
#include "core/sqlite/db.h"
#include "server/api/json_io.h"
#include "server/api/options.h"
#include "server/auth/bot_key_vault.h"
#include "server/auth/csrf.h"
#include "server/auth/rate_limiter.h"
#include "server/files/blob_reaper.h"
#include "server/auth/signed_id.h"
#include "server/people/banned_addresses.h"
#include "server/realtime/presence.h"
#include "server/work_pool.h"

namespace hearth {
class Sequencer;
}

namespace hearth::server::api {


class ApiContext {
 public:
  ApiContext(std::string state_path, Sequencer* sequencer, std::unique_ptr<Clock> own_clock, Clock& clock,
             std::shared_ptr<const auth::CsrfKey> csrf, std::shared_ptr<const auth::BotKeyVault> bot_keys,
             const ApiOptions& options);

  // A read-only connection to state.sqlite3, returned to the pool by the lease's destructor.
  class Lease {
   public:
    Lease(ApiContext& context, sqlite::Db db) : context_(context), db_(std::move(db)) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    sqlite::Db& db() { return db_; }

   private:
    ApiContext& context_;
    sqlite::Db db_;
  };
  Result<std::unique_ptr<Lease>> lease();

  struct Who {
    UserId user;
    SessionId session;
    std::string token_hash;
  };
  // The signed-in user of a request, or nullopt with the refusal already sent. State-changing
  // requests must also pass the Origin rule and carry the CSRF token (server/auth/csrf.h).
  std::optional<Who> authenticate(http::RequestContext& ctx, http::Respond& respond, bool state_changing);

  static bool origin_ok(const http::RequestContext& ctx);
  // Unauthenticated state-changing routes (first run, sign-in, join): the Origin rule only.
  // True when it refused (and answered).
  static bool refuse_cross_origin(const http::RequestContext& ctx, http::Respond& respond);

  static bool is_member(sqlite::Db& db, RoomId room, UserId user, hearth::Status& st);

  // For writes to a room (`:room`, and `:id` when `message` is given): the signed-in member, or
  // nullopt with the refusal sent (404 for non-members and for a message that is not in the room).
  std::optional<Who> member_for_write(http::RequestContext& ctx, http::Respond& respond, RoomId& room,
                                      std::optional<MessageId>* message);

  // Submits `command` and answers `status` {seq, id} after commit, or the mapped error.
  void answer_ack(CommandEnvelope command, http::Status status, unsigned version, http::Respond respond);

  // Submits `command` and answers from its completion with a session cookie (first run, join,
  // sign-in).
  void submit_session_command(CommandEnvelope command, http::Status success, unsigned version, bool secure,
                              http::Respond respond);

  // Runs `job` on the password pool, or answers 503 busy (with Retry-After) when its queue is full.
  void queue_password_job(http::Respond& respond, unsigned version, std::function<void(http::Respond)> job);
  // The same on the image pool: storing an upload (sniffing, decoding, thumbnails, square avatars).
  void queue_image_job(http::Respond& respond, unsigned version, std::function<void(http::Respond)> job);

  Sequencer& sequencer() { return *sequencer_; }
  // For a completion that reads what its command wrote (after it, the projection holds it) on a
  // connection of its own: completions must not capture the context.
  const std::string& state_path() const { return state_path_; }
  const auth::CsrfKey& csrf() const { return *csrf_; }
  // Mints, seals and opens bot tokens (server/auth/bot_key_vault.h).
  const auth::BotKeyVault& bot_keys() const { return *bot_keys_; }
  Clock& clock() { return clock_; }
  // Session-transfer links (server/auth/signed_id.h), signed with the data directory's
  // transfer.key; set by Api::open before any route runs.
  const auth::SignedIdKey& transfer_key() const { return *transfer_key_; }
  void set_transfer_key(std::shared_ptr<const auth::SignedIdKey> key) { transfer_key_ = std::move(key); }
  // The banned users' addresses, folded from the log (server/people/banned_addresses.h).
  people::BannedAddresses& banned() { return *banned_; }
  const std::shared_ptr<people::BannedAddresses>& banned_ptr() const { return banned_; }
  auth::RateLimiter& limiter() { return limiter_; }
  WorkPool& pool() { return pool_; }
  WorkPool& image_pool() { return image_pool_; }
  // Who views which room now: shared with the socket (Api::presence()), read by the post route.
  realtime::Presence& presence() { return *presence_; }
  const std::shared_ptr<realtime::Presence>& presence_ptr() const { return presence_; }
  // The data directory's files (server/files/): where uploads go, how large they may be, and the
  // sweep that deletes what nothing refers to.
  const blobs::BlobStore& blobs() const { return blobs_; }
  uint64_t max_upload_bytes() const { return max_upload_bytes_; }
  files::BlobReaper& reaper() { return reaper_; }
  void stop_files() { reaper_.stop(); }
  // The guard for requests to user-chosen URLs (server/outgoing/address_guard.h).
  const outgoing::AddressGuard& outgoing_guard() const { return outgoing_guard_; }

 private:
  std::string state_path_;
  Sequencer* sequencer_;
  std::unique_ptr<Clock> own_clock_;
  Clock& clock_;
  std::shared_ptr<const auth::CsrfKey> csrf_;
  std::shared_ptr<const auth::BotKeyVault> bot_keys_;
  std::shared_ptr<const auth::SignedIdKey> transfer_key_;
  std::shared_ptr<people::BannedAddresses> banned_ = std::make_shared<people::BannedAddresses>();
  auth::RateLimiter limiter_;
  WorkPool pool_;
  WorkPool image_pool_;
  std::shared_ptr<realtime::Presence> presence_;
  blobs::BlobStore blobs_;
  uint64_t max_upload_bytes_;
  files::BlobReaper reaper_;
  outgoing::AddressGuard outgoing_guard_;

  std::mutex db_mu_;
  std::vector<sqlite::Db> idle_dbs_;  // guarded by db_mu_
};

}  // namespace hearth::server::api
