#include "server/api/context.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include <boost/beast/http/field.hpp>

#include "core/base/secret_hash.h"
#include "core/sequencer/sequencer.h"
#include "server/auth/session_cookie.h"

namespace hearth::server::api {

using http::bhttp::field;

ApiContext::ApiContext(std::string state_path, Sequencer* sequencer, std::unique_ptr<Clock> own_clock, Clock& clock,
                       std::shared_ptr<const auth::CsrfKey> csrf, std::shared_ptr<const auth::BotKeyVault> bot_keys,
                       const ApiOptions& options)
    : state_path_(std::move(state_path)),
      sequencer_(sequencer),
      own_clock_(std::move(own_clock)),
      clock_(clock),
      csrf_(std::move(csrf)),
      bot_keys_(std::move(bot_keys)),
      limiter_(clock, auth::RateLimiter::Options{options.sign_in_limit, options.sign_in_window_us, 65'536}),
      pool_(options.password_threads),
      image_pool_(options.image_threads, options.image_queue),
      presence_(std::make_shared<realtime::Presence>(std::make_shared<SystemClock>())),
      blobs_(blobs::BlobStore::dir_in(std::filesystem::path(state_path_).parent_path())),
      max_upload_bytes_(options.max_upload_bytes),
      reaper_(blobs_, state_path_),
      outgoing_guard_(options.outgoing_guard) {
  blobs_.clear_incoming();  // what an interrupted upload left; nothing is writing yet
  reaper_.start(std::chrono::milliseconds(options.blob_sweep_ms));
}

ApiContext::Lease::~Lease() {
  std::lock_guard lock(context_.db_mu_);
  if (context_.idle_dbs_.size() < 16) context_.idle_dbs_.push_back(std::move(db_));
}

Result<std::unique_ptr<ApiContext::Lease>> ApiContext::lease() {
  {
    std::lock_guard lock(db_mu_);
    if (!idle_dbs_.empty()) {
      auto db = std::move(idle_dbs_.back());
      idle_dbs_.pop_back();
      return std::make_unique<Lease>(*this, std::move(db));
    }
  }
  auto db = sqlite::Db::open(state_path_, sqlite::Db::Mode::kReadOnly);
  if (!db.ok()) return db.take_error();
  HEARTH_TRY(db->exec("PRAGMA busy_timeout = 5000"));
  // Reads map the file instead of copying pages through SQLite's 2 MB cache with pread: search
  // walks touch thousands of pages per query (bench/search: a word frequent only in rooms the
  // searcher is not in, CPU p50 17.9 -> 10.0 ms). Address space only; the pages are the OS cache's.
  HEARTH_TRY(db->exec("PRAGMA mmap_size = 1073741824"));
  return std::make_unique<Lease>(*this, std::move(*db));
}

std::optional<ApiContext::Who> ApiContext::authenticate(http::RequestContext& ctx, Respond& respond, bool state_changing) {
  const Request& req = ctx.request;
  auto cookie = header(req, "Cookie");
  auto hash = cookie ? auth::session_token_hash(*cookie) : std::nullopt;
  if (!hash) {
    respond(error(HS::unauthorized, "unauthorized", "Sign in first", req.version()));
    return std::nullopt;
  }
  auto l = lease();
  if (!l.ok()) {
    respond(from_error(l.error(), req.version()));
    return std::nullopt;
  }
  auto stmt = (*l)->db().prepare(
      "SELECT s.user_id, s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND "
      "u.status = 0");
  std::optional<int64_t> user;
  int64_t session = 0;
  if (stmt.ok()) {
    stmt->bind(1, *hash);
    auto row = stmt->step();
    if (!row.ok()) {
      respond(from_error(row.error(), req.version()));
      return std::nullopt;
    }
    if (*row) {
      user = stmt->col_int(0);
      session = stmt->col_int(1);
    }
  } else {
    respond(from_error(stmt.error(), req.version()));
    return std::nullopt;
  }
  if (!user) {
    auto res = error(HS::unauthorized, "unauthorized", "Sign in first", req.version());
    res.set(field::set_cookie, auth::clearing_session_cookie(ctx.secure));
    respond(std::move(res));
    return std::nullopt;
  }
  if (state_changing) {
    if (!origin_ok(ctx)) {
      respond(error(HS::forbidden, "csrf", "Cross-origin request refused", req.version()));
      return std::nullopt;
    }
    auto token = header(req, auth::kCsrfHeader);
    if (!token || !csrf_->verify(*hash, *token)) {
      respond(error(HS::forbidden, "csrf", "Missing or wrong X-CSRF-Token", req.version()));
      return std::nullopt;
    }
  }
  return Who{UserId(*user), SessionId(session), std::move(*hash)};
}

bool ApiContext::origin_ok(const http::RequestContext& ctx) {
  const Request& req = ctx.request;
  return auth::origin_allowed(header(req, "Origin"), header(req, "Sec-Fetch-Site"),
                              header(req, "Host").value_or(""), ctx.secure ? "https" : "http",
                              auth::OriginCheck::kStateChangingHttp);
}

bool ApiContext::refuse_cross_origin(const http::RequestContext& ctx, Respond& respond) {
  if (origin_ok(ctx)) return false;
  respond(error(HS::forbidden, "csrf", "Cross-origin request refused", ctx.request.version()));
  return true;
}

bool ApiContext::is_member(sqlite::Db& db, RoomId room, UserId user, hearth::Status& st) {
  auto s = db.prepare("SELECT 1 FROM memberships WHERE room_id = ? AND user_id = ?");
  if (!s.ok()) {
    st = s.take_error();
    return false;
  }
  s->bind(1, room.value).bind(2, user.value);
  auto row = s->step();
  if (!row.ok()) {
    st = row.take_error();
    return false;
  }
  return *row;
}

std::optional<ApiContext::Who> ApiContext::member_for_write(http::RequestContext& ctx, Respond& respond, RoomId& room,
                                    std::optional<MessageId>* message) {
  auto who = authenticate(ctx, respond, true);
  if (!who) return std::nullopt;
  unsigned version = ctx.request.version();
  auto r = to_int(ctx.params.get("room"));
  std::optional<int64_t> m;
  if (message) m = to_int(ctx.params.get("id"));
  if (!r || (message && !m)) {
    respond(error(HS::not_found, "not_found", "No such room or message", version));
    return std::nullopt;
  }
  room = RoomId(*r);
  auto l = lease();
  if (!l.ok()) {
    respond(from_error(l.error(), version));
    return std::nullopt;
  }
  hearth::Status st = ok_status();
  bool found = is_member((*l)->db(), room, who->user, st);
  if (found && message) {
    auto s = (*l)->db().prepare("SELECT 1 FROM messages WHERE id = ? AND room_id = ?");
    if (!s.ok()) {
      st = s.take_error();
    } else {
      s->bind(1, *m).bind(2, room.value);
      auto row = s->step();
      if (!row.ok()) st = row.take_error();
      found = row.ok() && *row;
    }
    *message = MessageId(*m);
  }
  if (!st.ok()) {
    respond(from_error(st.error(), version));
    return std::nullopt;
  }
  if (!found) {
    respond(error(HS::not_found, "not_found", "No such room or message", version));
    return std::nullopt;
  }
  return who;
}

void ApiContext::answer_ack(CommandEnvelope command, HS status, unsigned version,
                       Respond respond) {
  sequencer_->submit(std::move(command), [respond = std::move(respond), status, version](Outcome o) mutable {
    if (!o.ok()) return respond(from_error(o.error(), version));
    respond(json_response(status, json::object{{"seq", o->seq.value}, {"id", o->id}}, version));
  });
}

void ApiContext::submit_session_command(CommandEnvelope command, HS success, unsigned version, bool secure,
                            Respond respond) {
  sequencer_->submit(std::move(command), [respond = std::move(respond), csrf_key = csrf_, success, version,
                                         secure](Outcome outcome) mutable {
    if (!outcome.ok()) {
      respond(from_error(outcome.error(), version));
      return;
    }
    if (!auth::is_session_token(outcome->secret)) {
      // A replayed command carries no secret; these commands are never sent with an id, so this
      // is a bug, not a client error.
      respond(error(HS::internal_server_error, "internal", "No session was started", version));
      return;
    }
    json::object body;
    body["seq"] = outcome->seq.value;
    body["csrf_token"] = csrf_key->token_for(secret_hash(outcome->secret));
    auto res = json_response(success, body, version);
    res.set(field::set_cookie, auth::session_cookie(outcome->secret, secure));
    respond(std::move(res));
  });
}

namespace {

// `job` on `pool`, or 503 busy with `busy_message` when its queue is full. Retry-After: a full
// queue drains in about a second (a password hash is ~0.1 s, a thumbnail less).
void queue_job(WorkPool& pool, Respond& respond, unsigned version, std::function<void(Respond)> job,
               std::string_view busy_message) {
  auto shared_respond = std::make_shared<Respond>(std::move(respond));
  bool queued = pool.submit([job = std::move(job), shared_respond] { job(std::move(*shared_respond)); });
  if (!queued) {
    auto res = error(HS::service_unavailable, "busy", busy_message, version);
    res.set(field::retry_after, "1");
    (*shared_respond)(std::move(res));
  }
}

}  // namespace

void ApiContext::queue_password_job(Respond& respond, unsigned version, std::function<void(Respond)> job) {
  queue_job(pool_, respond, version, std::move(job), "Too many sign-ins at once; try again");
}

void ApiContext::queue_image_job(Respond& respond, unsigned version, std::function<void(Respond)> job) {
  queue_job(image_pool_, respond, version, std::move(job), "Too many uploads at once; try again");
}

}  // namespace hearth::server::api
