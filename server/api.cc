#include "server/api.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>

#include <array>
#include <charconv>
#include <fstream>
#include <mutex>
#include <optional>
#include <vector>

#include "core/base/clock.h"
#include "core/base/secret_hash.h"
#include "core/sequencer/sequencer.h"
#include "core/sqlite/db.h"
#include "server/auth/csrf.h"
#include "server/auth/passwords.h"
#include "server/auth/rate_limiter.h"
#include "server/auth/session_cookie.h"
#include "server/http/router.h"
#include "server/message_commands.h"
#include "server/work_pool.h"

namespace hearth::server {

namespace json = boost::json;
using http::Request;
using http::Respond;
using http::Response;
using HS = http::Status;
using http::bhttp::field;

namespace {

constexpr std::string_view kBadCredentials = "Too many requests or unauthorized.";
constexpr int kPageSize = 40;

Response json_response(HS status, const json::value& body, unsigned version = 11) {
  Response res{status, version};
  res.set(field::content_type, "application/json");
  res.set(field::cache_control, "no-store");
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

Response error(HS status, std::string_view code, std::string_view message, unsigned version = 11) {
  // keep_alive is decided by the session; an error is no reason to drop the connection.
  return http::error_response(status, code, message, version, true);
}

Response from_error(const Error& e, unsigned version) {
  auto code = client_error_code(e.code);
  switch (e.code) {
    case ErrorCode::kNotFound: return error(HS::not_found, code, e.message, version);
    case ErrorCode::kForbidden: return error(HS::forbidden, code, e.message, version);
    case ErrorCode::kConflict: return error(HS::conflict, code, e.message, version);
    case ErrorCode::kInvalid: return error(HS::unprocessable_entity, code, e.message, version);
    case ErrorCode::kUnavailable: return error(HS::service_unavailable, code, e.message, version);
    case ErrorCode::kCorruption:
    case ErrorCode::kIo: break;
  }
  spdlog::error("api: {}", e.to_string());
  return error(HS::internal_server_error, "internal", "Internal error", version);
}

std::optional<std::string_view> header(const Request& req, std::string_view name) {
  auto it = req.find(name);
  if (it == req.end()) return std::nullopt;
  return it->value();
}

std::optional<int64_t> to_int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::optional<std::string_view> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto part = query.substr(0, amp);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}


// The JSON object body, or nullopt (and the 400 already sent).
std::optional<json::object> parse_object(const Request& req, Respond& respond) {
  boost::system::error_code ec;
  json::value v = json::parse(req.body(), ec);
  if (ec || !v.is_object()) {
    respond(error(HS::bad_request, "bad_request", "The body must be a JSON object", req.version()));
    return std::nullopt;
  }
  return std::move(v.as_object());
}

std::optional<std::string> get_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

std::optional<std::vector<UserId>> get_ids(const json::object& o, std::string_view key) {
  std::vector<UserId> out;
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) return std::nullopt;
  for (const auto& x : it->value().as_array()) {
    if (!x.is_int64()) return std::nullopt;
    out.push_back(UserId(x.as_int64()));
  }
  return out;
}

std::array<uint8_t, auth::kCsrfKeyBytes> load_or_create_csrf_key(const std::string& path, hearth::Status& status) {
  std::array<uint8_t, auth::kCsrfKeyBytes> key{};
  std::ifstream in(path, std::ios::binary);
  if (in) {
    in.read(reinterpret_cast<char*>(key.data()), key.size());
    if (in.gcount() == static_cast<std::streamsize>(key.size())) return key;
    status = Error{ErrorCode::kCorruption, path + " is not a " + std::to_string(key.size()) + "-byte key"};
    return key;
  }
  SystemRandom random;
  key = auth::generate_csrf_key(random);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || ::write(fd, key.data(), key.size()) != static_cast<ssize_t>(key.size()) || ::fsync(fd) != 0) {
    status = Error{ErrorCode::kIo, "cannot write " + path};
  }
  if (fd >= 0) ::close(fd);
  return key;
}

}  // namespace

struct Api::Impl {
  std::string state_path;
  Sequencer* sequencer;
  std::unique_ptr<Clock> own_clock;
  std::shared_ptr<const auth::CsrfKey> csrf;
  auth::RateLimiter limiter;
  WorkPool pool;

  std::mutex db_mu;
  std::vector<sqlite::Db> idle_dbs;  // guarded by db_mu

  Impl(std::string state, Sequencer* s, std::unique_ptr<Clock> own, Clock& clock,
       std::shared_ptr<const auth::CsrfKey> key, const Options& o)
      : state_path(std::move(state)),
        sequencer(s),
        own_clock(std::move(own)),
        csrf(std::move(key)),
        limiter(clock, auth::RateLimiter::Options{o.sign_in_limit, o.sign_in_window_us, 65'536}),
        pool(o.password_threads) {}

  // A read-only connection, returned to the pool by the lease's destructor.
  class Lease {
   public:
    Lease(Impl& impl, sqlite::Db db) : impl_(impl), db_(std::move(db)) {}
    ~Lease() {
      std::lock_guard lock(impl_.db_mu);
      if (impl_.idle_dbs.size() < 16) impl_.idle_dbs.push_back(std::move(db_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    sqlite::Db& db() { return db_; }

   private:
    Impl& impl_;
    sqlite::Db db_;
  };
  Result<std::unique_ptr<Lease>> lease() {
    {
      std::lock_guard lock(db_mu);
      if (!idle_dbs.empty()) {
        auto db = std::move(idle_dbs.back());
        idle_dbs.pop_back();
        return std::make_unique<Lease>(*this, std::move(db));
      }
    }
    auto db = sqlite::Db::open(state_path, sqlite::Db::Mode::kReadOnly);
    if (!db.ok()) return db.take_error();
    HEARTH_TRY(db->exec("PRAGMA busy_timeout = 5000"));
    return std::make_unique<Lease>(*this, std::move(*db));
  }

  struct Who {
    UserId user;
    SessionId session;
    std::string token_hash;
  };

  // The signed-in user of a request, or nullopt with the refusal already sent. State-changing
  // requests must also pass the Origin rule and carry the CSRF token (server/auth/csrf.h).
  std::optional<Who> authenticate(http::RequestContext& ctx, Respond& respond, bool state_changing) {
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
      if (!token || !csrf->verify(*hash, *token)) {
        respond(error(HS::forbidden, "csrf", "Missing or wrong X-CSRF-Token", req.version()));
        return std::nullopt;
      }
    }
    return Who{UserId(*user), SessionId(session), std::move(*hash)};
  }

  static bool origin_ok(const http::RequestContext& ctx) {
    const Request& req = ctx.request;
    return auth::origin_allowed(header(req, "Origin"), header(req, "Sec-Fetch-Site"),
                                header(req, "Host").value_or(""), ctx.secure ? "https" : "http",
                                auth::OriginCheck::kStateChangingHttp);
  }
  // Unauthenticated state-changing routes (first run, sign-in, join): the Origin rule only.
  static bool refuse_cross_origin(const http::RequestContext& ctx, Respond& respond) {
    if (origin_ok(ctx)) return false;
    respond(error(HS::forbidden, "csrf", "Cross-origin request refused", ctx.request.version()));
    return true;
  }

  bool is_member(sqlite::Db& db, RoomId room, UserId user, hearth::Status& st) {
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

  // Submits `command` and answers from its completion with a session cookie (first run, join,
  // sign-in). Runs on a pool thread or an IO thread; the completion captures no Api state.
  void submit_session_command(CommandEnvelope command, HS success, unsigned version, bool secure,
                              Respond respond) {
    sequencer->submit(std::move(command), [respond = std::move(respond), csrf_key = csrf, success, version,
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

  void queue_password_job(Respond& respond, unsigned version, std::function<void(Respond)> job) {
    auto shared_respond = std::make_shared<Respond>(std::move(respond));
    bool queued = pool.submit([job = std::move(job), shared_respond] { job(std::move(*shared_respond)); });
    if (!queued) {
      (*shared_respond)(error(HS::service_unavailable, "busy", "Too many sign-ins at once; try again", version));
    }
  }

  // ---- routes ----

  // The form first run and join share: same-origin, a JSON object with name, email and a
  // password good enough to set. Answers the refusal itself and returns nullopt.
  struct NewAccountForm {
    std::string name, email, password;
  };
  std::optional<NewAccountForm> read_new_account(http::RequestContext& ctx, Respond& respond) {
    const Request& req = ctx.request;
    if (refuse_cross_origin(ctx, respond)) return std::nullopt;
    auto body = parse_object(req, respond);
    if (!body) return std::nullopt;
    auto name = get_string(*body, "name"), email = get_string(*body, "email"),
         password = get_string(*body, "password");
    if (!name || !email || !password) {
      respond(error(HS::bad_request, "bad_request", "name, email and password are required", req.version()));
      return std::nullopt;
    }
    if (auto st = auth::check_new_password(*password); !st.ok()) {
      respond(error(HS::unprocessable_entity, "invalid", st.error().message, req.version()));
      return std::nullopt;
    }
    return NewAccountForm{std::move(*name), std::move(*email), std::move(*password)};
  }

  // Whether first run is still possible, so the browser shows setup instead of sign-in
  // (Campfire 2.1: sign-in redirects to first run while nobody is set up).
  void first_run_state(http::RequestContext& ctx, Respond respond) {
    unsigned version = ctx.request.version();
    auto l = lease();
    if (!l.ok()) return respond(from_error(l.error(), version));
    auto accounts = (*l)->db().query_int("SELECT COUNT(*) FROM account");
    if (!accounts.ok()) return respond(from_error(accounts.error(), version));
    respond(json_response(HS::ok, json::object{{"available", accounts->value_or(0) == 0}}, version));
  }

  void first_run(http::RequestContext& ctx, Respond respond) {
    auto form = read_new_account(ctx, respond);
    if (!form) return;
    cmd::SetupFirstRun command{form->name, form->email, "", ctx.client_address,
                               std::string(header(ctx.request, "User-Agent").value_or(""))};
    hash_then_start_session(std::move(command), std::move(form->password), ctx.request.version(), ctx.secure,
                            std::move(respond));
  }

  // First run and join both hash the new password on the WorkPool (never on an IO thread), then
  // submit the command that creates the user and starts a session.
  template <class Command>
  void hash_then_start_session(Command command, std::string password, unsigned version, bool secure,
                               Respond respond) {
    queue_password_job(respond, version, [this, command = std::move(command), password = std::move(password),
                                          version, secure](Respond r) mutable {
      auto digest = auth::hash_password(password);
      if (!digest.ok()) {
        r(from_error(digest.error(), version));
        return;
      }
      command.password_digest = std::move(*digest);
      submit_session_command(CommandEnvelope{kSystemActor, "", std::move(command)}, HS::created, version,
                             secure, std::move(r));
    });
  }

  void join(http::RequestContext& ctx, Respond respond) {
    auto form = read_new_account(ctx, respond);
    if (!form) return;
    std::string code;
    if (!http::percent_decode(ctx.params.get("code"), code)) code.clear();  // a bad code is "not found"
    cmd::JoinAccount command{code, form->name, form->email, "", ctx.client_address,
                             std::string(header(ctx.request, "User-Agent").value_or(""))};
    hash_then_start_session(std::move(command), std::move(form->password), ctx.request.version(), ctx.secure,
                            std::move(respond));
  }

  void sign_in(http::RequestContext& ctx, Respond respond) {
    const Request& req = ctx.request;
    unsigned version = req.version();
    if (refuse_cross_origin(ctx, respond)) return;
    if (!limiter.allow(ctx.client_address)) {
      respond(error(HS::too_many_requests, "too_many_requests", kBadCredentials, version));
      return;
    }
    auto body = parse_object(req, respond);
    if (!body) return;
    auto email = get_string(*body, "email"), password = get_string(*body, "password");
    if (!email || !password) {
      respond(error(HS::bad_request, "bad_request", "email and password are required", version));
      return;
    }
    std::optional<std::pair<UserId, std::string>> user;  // id, digest
    {
      auto l = lease();
      if (!l.ok()) return respond(from_error(l.error(), version));
      // Only active people sign in; bots (role 2) have no password.
      auto s = (*l)->db().prepare(
          "SELECT id, COALESCE(password_digest, '') FROM users WHERE email = ? COLLATE NOCASE AND status = 0 "
          "AND role != 2 ORDER BY id LIMIT 1");
      if (!s.ok()) return respond(from_error(s.error(), version));
      s->bind(1, *email);
      auto row = s->step();
      if (!row.ok()) return respond(from_error(row.error(), version));
      if (*row) user.emplace(UserId(s->col_int(0)), std::string(s->col_text(1)));
    }
    std::string ip = ctx.client_address, agent(header(req, "User-Agent").value_or(""));
    queue_password_job(respond, version, [this, user = std::move(user), password = std::move(*password), ip,
                                          agent, version, secure = ctx.secure](Respond r) mutable {
      // Unknown email: the same work against the decoy, so timing does not tell.
      bool ok = auth::verify_password(password, user ? user->second : auth::decoy_digest());
      if (!user || !ok) {
        r(error(HS::unauthorized, "unauthorized", kBadCredentials, version));
        return;
      }
      if (auth::needs_rehash(user->second)) {
        // Submitted before the session, so it is applied when the sign-in answers.
        if (auto digest = auth::hash_password(password); digest.ok()) {
          UserId id = user->first;
          sequencer->submit(CommandEnvelope{kSystemActor, "", cmd::ChangePassword{id, std::move(*digest)}},
                            [id](Outcome o) {
                              if (!o.ok()) spdlog::warn("rehash of user {} failed: {}", id.value, o.error().message);
                            });
        }
      }
      submit_session_command(CommandEnvelope{user->first, "", cmd::StartSession{ip, agent}}, HS::ok, version,
                             secure, std::move(r));
    });
  }

  void sign_out(http::RequestContext& ctx, Respond respond) {
    auto who = authenticate(ctx, respond, true);
    if (!who) return;
    unsigned version = ctx.request.version();
    sequencer->submit(CommandEnvelope{who->user, "", cmd::EndSession{who->token_hash}},
                      [respond = std::move(respond), version, secure = ctx.secure](Outcome outcome) mutable {
                        if (!outcome.ok()) return respond(from_error(outcome.error(), version));
                        Response res{HS::no_content, version};
                        res.set(field::cache_control, "no-store");
                        res.set(field::set_cookie, auth::clearing_session_cookie(secure));
                        res.prepare_payload();
                        respond(std::move(res));
                      });
  }

  void bootstrap(http::RequestContext& ctx, Respond respond) {
    auto who = authenticate(ctx, respond, false);
    if (!who) return;
    unsigned version = ctx.request.version();
    auto l = lease();
    if (!l.ok()) return respond(from_error(l.error(), version));
    auto read = [&]() -> Result<json::object> {
      sqlite::Db& db = (*l)->db();
      json::object out;
      HEARTH_TRY(db.exec("BEGIN"));  // one snapshot: `seq` is what the rest reflects
      auto finish = [&db] { (void)db.exec("COMMIT"); };
      auto seq = db.query_int("SELECT applied_seq FROM meta WHERE id = 1");
      if (!seq.ok()) return finish(), seq.take_error();
      out["seq"] = seq->value_or(0);
      auto me = db.prepare("SELECT id, name, COALESCE(email, ''), role, COALESCE(bio, '') FROM users WHERE id = ?");
      if (!me.ok()) return finish(), me.take_error();
      me->bind(1, who->user.value);
      if (auto row = me->step(); row.ok() && *row) {
        out["me"] = json::object{{"id", me->col_int(0)}, {"name", me->col_text(1)}, {"email", me->col_text(2)},
                                 {"role", me->col_int(3)}, {"bio", me->col_text(4)}};
      }
      auto account = db.prepare("SELECT name, join_code, restrict_room_creation FROM account WHERE id = 1");
      if (!account.ok()) return finish(), account.take_error();
      if (auto row = account->step(); row.ok() && *row) {
        // Campfire shows the join link to every user (CAMPFIRE.md 2.2).
        out["account"] = json::object{{"name", account->col_text(0)}, {"join_code", account->col_text(1)},
                                      {"restrict_room_creation", account->col_int(2) != 0}};
      }
      auto rooms = db.prepare(
          "SELECT r.id, r.kind, r.name, m.involvement, m.unread FROM memberships m JOIN rooms r ON r.id = m.room_id "
          "WHERE m.user_id = ? ORDER BY r.created_at_us, r.id");
      if (!rooms.ok()) return finish(), rooms.take_error();
      rooms->bind(1, who->user.value);
      static constexpr const char* kKinds[] = {"open", "closed", "direct"};
      static constexpr const char* kInvolvements[] = {"invisible", "nothing", "mentions", "everything"};
      json::array list;
      for (;;) {
        auto row = rooms->step();
        if (!row.ok()) return finish(), row.take_error();
        if (!*row) break;
        auto kind = rooms->col_int(1), inv = rooms->col_int(3);
        list.push_back(json::object{{"id", rooms->col_int(0)},
                                    {"kind", kind >= 0 && kind < 3 ? kKinds[kind] : "unknown"},
                                    {"name", rooms->col_text(2)},
                                    {"involvement", inv >= 0 && inv < 4 ? kInvolvements[inv] : "unknown"},
                                    {"unread", rooms->col_int(4) != 0}});
      }
      out["rooms"] = std::move(list);
      // Authors' names for the timeline: every active person and bot (deactivated authors are
      // shown by id until the client learns more).
      auto users = db.prepare("SELECT id, name, role FROM users WHERE status = 0 ORDER BY id");
      if (!users.ok()) return finish(), users.take_error();
      static constexpr const char* kRoles[] = {"member", "administrator", "bot"};
      json::array people;
      for (;;) {
        auto row = users->step();
        if (!row.ok()) return finish(), row.take_error();
        if (!*row) break;
        auto role = users->col_int(2);
        people.push_back(json::object{{"id", users->col_int(0)},
                                      {"name", users->col_text(1)},
                                      {"role", role >= 0 && role < 3 ? kRoles[role] : "unknown"}});
      }
      out["users"] = std::move(people);
      finish();
      out["csrf_token"] = csrf->token_for(who->token_hash);
      return out;
    };
    auto out = read();
    if (!out.ok()) return respond(from_error(out.error(), version));
    respond(json_response(HS::ok, *out, version));
  }

  void messages_page(http::RequestContext& ctx, Respond respond) {
    auto who = authenticate(ctx, respond, false);
    if (!who) return;
    unsigned version = ctx.request.version();
    auto room = to_int(ctx.params.get("room"));
    auto before = query_param(ctx.query, "before"), after = query_param(ctx.query, "after");
    std::optional<int64_t> cursor = before ? to_int(*before) : after ? to_int(*after) : std::nullopt;
    if (!room || ((before || after) && !cursor)) {
      return respond(error(HS::not_found, "not_found", "No such room or message", version));
    }
    auto l = lease();
    if (!l.ok()) return respond(from_error(l.error(), version));
    sqlite::Db& db = (*l)->db();
    auto read = [&]() -> Result<std::optional<json::object>> {
      HEARTH_TRY(db.exec("BEGIN"));
      auto finish = [&db] { (void)db.exec("COMMIT"); };
      hearth::Status st = ok_status();
      if (!is_member(db, RoomId(*room), who->user, st)) {
        finish();
        if (!st.ok()) return st.take_error();
        return std::optional<json::object>();
      }
      auto seq = db.query_int("SELECT applied_seq FROM meta WHERE id = 1");
      if (!seq.ok()) return finish(), seq.take_error();
      int64_t cursor_seq = 0;
      if (cursor) {
        auto c = db.prepare("SELECT seq FROM messages WHERE id = ? AND room_id = ?");
        if (!c.ok()) return finish(), c.take_error();
        c->bind(1, *cursor).bind(2, *room);
        auto row = c->step();
        if (!row.ok()) return finish(), row.take_error();
        if (!*row) return finish(), std::optional<json::object>();
        cursor_seq = c->col_int(0);
      }
      constexpr const char* kColumns =
          "SELECT id, seq, creator_id, COALESCE(client_message_id, ''), body_html, plain_text, created_at_us, "
          "updated_at_us FROM messages WHERE room_id = ? ";
      std::string sql = kColumns;
      if (before) sql += "AND seq < ? ORDER BY seq DESC LIMIT 40";
      else if (after) sql += "AND seq > ? ORDER BY seq ASC LIMIT 40";
      else sql += "ORDER BY seq DESC LIMIT 40";
      auto s = db.prepare(sql);
      if (!s.ok()) return finish(), s.take_error();
      s->bind(1, *room);
      if (cursor) s->bind(2, cursor_seq);
      json::array list;
      for (;;) {
        auto row = s->step();
        if (!row.ok()) return finish(), row.take_error();
        if (!*row) break;
        list.push_back(json::object{{"id", s->col_int(0)},
                                    {"seq", s->col_int(1)},
                                    {"creator_id", s->col_int(2)},
                                    {"client_message_id", s->col_text(3)},
                                    {"body_html", s->col_text(4)},
                                    {"plain_text", s->col_text(5)},
                                    {"created_at_us", s->col_int(6)},
                                    {"updated_at_us", s->col_int(7)}});
      }
      finish();
      if (!after) std::reverse(list.begin(), list.end());  // oldest first
      json::object out;
      out["seq"] = seq->value_or(0);
      out["messages"] = std::move(list);
      return std::optional<json::object>(std::move(out));
    };
    static_assert(kPageSize == 40);
    auto out = read();
    if (!out.ok()) return respond(from_error(out.error(), version));
    if (!*out) return respond(error(HS::not_found, "not_found", "No such room or message", version));
    respond(json_response(HS::ok, **out, version));
  }

  // For writes to a room: the signed-in member, or nullopt with the refusal sent (404 for
  // non-members and for a message that is not in the room).
  std::optional<Who> member_for_write(http::RequestContext& ctx, Respond& respond, RoomId& room,
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

  static void answer_ack(Sequencer* sequencer, CommandEnvelope command, HS status, unsigned version,
                         Respond respond) {
    sequencer->submit(std::move(command), [respond = std::move(respond), status, version](Outcome o) mutable {
      if (!o.ok()) return respond(from_error(o.error(), version));
      respond(json_response(status, json::object{{"seq", o->seq.value}, {"id", o->id}}, version));
    });
  }

  void post_message(http::RequestContext& ctx, Respond respond) {
    RoomId room;
    auto who = member_for_write(ctx, respond, room, nullptr);
    if (!who) return;
    unsigned version = ctx.request.version();
    auto body = parse_object(ctx.request, respond);
    if (!body) return;
    auto client_id = get_string(*body, "client_message_id"), html = get_string(*body, "body_html"),
         text = get_string(*body, "plain_text");
    auto mentions = get_ids(*body, "mentions");
    if (!client_id || client_id->empty() || !html || !text || !mentions) {
      return respond(error(HS::bad_request, "bad_request",
                           "client_message_id, body_html and plain_text are required; mentions is a list of ids",
                           version));
    }
    answer_ack(sequencer,
               server::post_message(who->user, std::move(*client_id), room, *html, std::move(*text),
                                    std::move(*mentions)),
               HS::created, version, std::move(respond));
  }

  void edit_message(http::RequestContext& ctx, Respond respond) {
    RoomId room;
    std::optional<MessageId> message;
    auto who = member_for_write(ctx, respond, room, &message);
    if (!who) return;
    unsigned version = ctx.request.version();
    auto body = parse_object(ctx.request, respond);
    if (!body) return;
    auto html = get_string(*body, "body_html"), text = get_string(*body, "plain_text");
    auto mentions = get_ids(*body, "mentions");
    if (!html || !text || !mentions) {
      return respond(error(HS::bad_request, "bad_request", "body_html and plain_text are required", version));
    }
    answer_ack(sequencer,
               server::edit_message(who->user, "", *message, *html, std::move(*text), std::move(*mentions)),
               HS::ok, version, std::move(respond));
  }

  void remove_message(http::RequestContext& ctx, Respond respond) {
    RoomId room;
    std::optional<MessageId> message;
    auto who = member_for_write(ctx, respond, room, &message);
    if (!who) return;
    answer_ack(sequencer, server::remove_message(who->user, "", *message), HS::ok,
               ctx.request.version(), std::move(respond));
  }
};

Result<std::shared_ptr<Api>> Api::open(const std::string& data_dir, Sequencer* sequencer, Options options,
                                       Clock* clock) {
  hearth::Status st = ok_status();
  auto key = load_or_create_csrf_key(data_dir + "/csrf.key", st);
  if (!st.ok()) return st.take_error();
  auto csrf = std::make_shared<const auth::CsrfKey>(std::span<const uint8_t, auth::kCsrfKeyBytes>(key));
  std::unique_ptr<Clock> own;
  if (clock == nullptr) {
    own = std::make_unique<SystemClock>();
    clock = own.get();
  }
  auto impl = std::make_unique<Impl>(data_dir + "/state.sqlite3", sequencer, std::move(own), *clock,
                                     std::move(csrf), options);
  (void)auth::decoy_digest();  // made now, not during the first sign-in
  return std::shared_ptr<Api>(new Api(std::move(impl)));
}

Api::Api(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Api::~Api() { stop(); }
void Api::stop() { impl_->pool.stop(); }

std::optional<Api::SocketUser> Api::authenticate_socket(http::RequestContext& ctx, http::Respond& respond) {
  const Request& req = ctx.request;
  if (!auth::origin_allowed(header(req, "Origin"), header(req, "Sec-Fetch-Site"), header(req, "Host").value_or(""),
                           ctx.secure ? "https" : "http", auth::OriginCheck::kWebSocketUpgrade)) {
    respond(error(HS::forbidden, "csrf", "Cross-origin WebSocket refused", req.version()));
    return std::nullopt;
  }
  auto who = impl_->authenticate(ctx, respond, false);
  if (!who) return std::nullopt;
  return SocketUser{who->user, who->session};
}

void Api::add_routes(http::Router& router) {
  Impl* p = impl_.get();  // the routes live in the server, which the owner stops before the Api
  using http::Verb;
  router.add(Verb::get, "/api/first_run", [p](auto& ctx, Respond r) { p->first_run_state(ctx, std::move(r)); });
  router.add(Verb::post, "/api/first_run", [p](auto& ctx, Respond r) { p->first_run(ctx, std::move(r)); });
  router.add(Verb::post, "/api/session", [p](auto& ctx, Respond r) { p->sign_in(ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/session", [p](auto& ctx, Respond r) { p->sign_out(ctx, std::move(r)); });
  router.add(Verb::post, "/api/join/:code", [p](auto& ctx, Respond r) { p->join(ctx, std::move(r)); });
  router.add(Verb::get, "/api/bootstrap", [p](auto& ctx, Respond r) { p->bootstrap(ctx, std::move(r)); });
  router.add(Verb::get, "/api/rooms/:room/messages", [p](auto& ctx, Respond r) { p->messages_page(ctx, std::move(r)); });
  router.add(Verb::post, "/api/rooms/:room/messages", [p](auto& ctx, Respond r) { p->post_message(ctx, std::move(r)); });
  router.add(Verb::patch, "/api/rooms/:room/messages/:id",
             [p](auto& ctx, Respond r) { p->edit_message(ctx, std::move(r)); });
  router.add(Verb::delete_, "/api/rooms/:room/messages/:id",
             [p](auto& ctx, Respond r) { p->remove_message(ctx, std::move(r)); });
}

}  // namespace hearth::server
