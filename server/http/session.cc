#include "server/http/session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <type_traits>

#include "server/auth/session_cookie.h"
#include "server/http/upgrade.h"

namespace hearth::server::http {

namespace beast = boost::beast;
namespace net = boost::asio;

std::optional<uint64_t> AsyncGate::enter(std::shared_ptr<Session> session) {
  std::lock_guard lock(mu_);
  if (closed_) return std::nullopt;
  uint64_t ticket = next_++;
  held_.emplace(ticket, std::move(session));
  return ticket;
}

void AsyncGate::take(uint64_t ticket, const std::function<void(const std::shared_ptr<Session>&)>& fn) {
  std::shared_ptr<Session> session;  // released after the lock: its destructor takes shared.mu
  std::lock_guard lock(mu_);
  auto it = held_.find(ticket);
  if (it == held_.end()) return;
  session = std::move(it->second);
  held_.erase(it);
  if (fn) fn(session);
}

std::vector<std::shared_ptr<Session>> AsyncGate::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  std::vector<std::shared_ptr<Session>> out;
  for (auto& [ticket, session] : held_) out.push_back(std::move(session));
  held_.clear();
  return out;
}

size_t AsyncGate::pending() const {
  std::lock_guard lock(mu_);
  return held_.size();
}

namespace {
// Ends its ticket when the last copy of a Respond goes away without being called.
struct Ticket {
  Ticket(std::shared_ptr<AsyncGate> g, uint64_t i) : gate(std::move(g)), id(i) {}
  ~Ticket() { gate->take(id, nullptr); }
  Ticket(const Ticket&) = delete;
  Ticket& operator=(const Ticket&) = delete;
  std::shared_ptr<AsyncGate> gate;
  uint64_t id;
};
}  // namespace

Session::~Session() {
  std::lock_guard lock(shared_.mu);
  shared_.sessions.erase(this);
  if (shared_.sessions.empty()) shared_.all_closed.notify_all();
}

void Session::register_self() {
  std::lock_guard lock(shared_.mu);
  shared_.sessions.emplace(this, weak_from_this());
}

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// A Beast body that hands its bytes to a StreamedBody (streamed_body.h) instead of keeping them.
struct StreamedBodyType {
  using value_type = std::shared_ptr<StreamedBody>;
  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(bhttp::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<std::uint64_t>&, beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      size_t n = 0;
      for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers); ++it) {
        net::const_buffer b = *it;
        body_->write(std::string_view(static_cast<const char*>(b.data()), b.size()));
        n += b.size();
      }
      ec = {};
      return n;
    }
    void finish(beast::error_code& ec) {
      body_->finish();
      ec = {};
    }

   private:
    value_type& body_;
  };
};

// How long a TLS connection waits for the peer's close_notify after sending its own.
constexpr std::chrono::seconds kTlsShutdownTimeout{5};

// The session proper, for `Stream` = beast::tcp_stream or TlsStream (the only two instantiations,
// both in this file).
template <class Stream>
class StreamSession final : public Session {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  template <class... Args>
  StreamSession(SessionShared& shared, Args&&... args)
      : Session(shared), stream_(std::forward<Args>(args)...), executor_(stream_.get_executor()) {
    beast::error_code ec;
    auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    peer_ = ec ? "" : ep.address().to_string();
  }

  void start();  // registers, then (TLS) handshakes and reads; call once
  void stop() override;
  void force_close() override;

 private:
  enum class State { kHandshaking, kReading, kHandling, kWriting, kClosed };
  std::shared_ptr<StreamSession> me() { return std::static_pointer_cast<StreamSession>(shared_from_this()); }
  void handshake();
  void read();
  void on_header(beast::error_code ec);
  // True when `ec` ended the request (answered or closed).
  bool refused(beast::error_code ec);
  void on_read(beast::error_code ec);
  void on_streamed_read(beast::error_code ec);
  void handle(Request request, std::shared_ptr<StreamedBody> streamed = nullptr);
  void hand_over(Request request, std::string client_address, bool secure, UpgradeConsumer consumer);
  void write(Response response, bool keep_alive);
  void write_some(bool keep_alive);
  void on_write(bool keep_alive, beast::error_code ec);
  // `graceful`: nothing is in flight, so a TLS connection may say close_notify first.
  void close(bool graceful = false);

  Stream stream_;
  // A copy, because `stream_` moves away on a WebSocket hand-over while stop() may still post.
  typename Stream::executor_type executor_;
  beast::flat_buffer buffer_;
  // A request's header is read first (header_parser_), so that the route can choose where its body
  // goes: memory (parser_) or a StreamedBody (streamed_parser_).
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::request_parser<StreamedBodyType>> streamed_parser_;
  std::shared_ptr<Response> writing_;  // kept alive until its write completes
  std::optional<bhttp::response_serializer<ResponseBody>> serializer_;  // of *writing_
  std::string peer_;
  State state_ = kTls ? State::kHandshaking : State::kReading;
  bool stop_requested_ = false;
  bool tls_shutting_down_ = false;
};

template <class Stream>
void StreamSession<Stream>::start() {
  register_self();
  net::dispatch(executor_, [self = me()] {
    if (self->shared_.stopping.load()) {
      self->close();
      return;
    }
    if constexpr (kTls) {
      self->handshake();
    } else {
      self->read();
    }
  });
}

// The client gets the read timeout to finish the handshake. Bytes that are not TLS (plain HTTP sent
// to the TLS port) fail it: the connection closes, and that is all.
template <class Stream>
void StreamSession<Stream>::handshake() {
  if constexpr (kTls) {
    beast::get_lowest_layer(stream_).expires_after(shared_.read_timeout);
    stream_.async_handshake(net::ssl::stream_base::server, [self = me()](beast::error_code ec) {
      if (self->state_ == State::kClosed) return;
      if (ec) {
        spdlog::debug("https {}: handshake failed: {}", self->peer_, ec.message());
        self->close();
        return;
      }
      self->read();
    });
  }
}

template <class Stream>
void StreamSession<Stream>::stop() {
  net::post(executor_, [self = me()] {
    self->stop_requested_ = true;
    // Idle (or mid-way through reading a request that has not arrived yet): nothing in flight.
    if (self->state_ == State::kReading || self->state_ == State::kHandshaking) self->close();
  });
}

template <class Stream>
void StreamSession<Stream>::force_close() {
  net::post(executor_, [self = me()] {
    if (self->tls_shutting_down_) {
      beast::get_lowest_layer(self->stream_).close();  // the peer's close_notify is not awaited
    } else {
      self->close();
    }
  });
}

template <class Stream>
void StreamSession<Stream>::read() {
  state_ = State::kReading;
  parser_.reset();
  streamed_parser_.reset();
  header_parser_.emplace();
  // Beast's default is 8 KB of request line and headers; a search of 10 KB (GET /api/search?q=)
  // is up to 30 KB once percent-encoded, and must be answered, not refused (issue 5).
  header_parser_->header_limit(64 * 1024);
  // Beast checks a Content-Length against the limit when the header ends, but the limit depends
  // on the route, known only then: on_header checks it.
  header_parser_->body_limit(boost::none);
  beast::get_lowest_layer(stream_).expires_after(shared_.read_timeout);
  bhttp::async_read_header(stream_, buffer_, *header_parser_,
                           [self = me()](beast::error_code ec, size_t) { self->on_header(ec); });
}

template <class Stream>
void StreamSession<Stream>::on_header(beast::error_code ec) {
  if (state_ == State::kClosed || refused(ec)) return;
  const auto& headers = header_parser_->get();
  std::shared_ptr<StreamedBody> streamed;
  auto match = shared_.router->match(headers.method(), split_target(headers.target()).first);
  if (match.kind == Router::Match::kFound && match.streamed != nullptr) {
    Request copy(headers.base());
    streamed = (*match.streamed)(copy);
  }
  uint64_t limit = streamed ? streamed->limit() : shared_.max_body_bytes;
  if (auto length = header_parser_->content_length(); length && *length > limit) {
    write(error_response(Status::payload_too_large, "payload_too_large",
                         "The request body is larger than " + std::to_string(limit) + " bytes"),
          false);
    return;
  }
  if (streamed) {
    streamed_parser_.emplace(std::move(*header_parser_));
    streamed_parser_->body_limit(streamed->limit());
    streamed_parser_->get().body() = std::move(streamed);
    bhttp::async_read(stream_, buffer_, *streamed_parser_,
                      [self = me()](beast::error_code e, size_t) { self->on_streamed_read(e); });
  } else {
    parser_.emplace(std::move(*header_parser_));
    parser_->body_limit(shared_.max_body_bytes);
    bhttp::async_read(stream_, buffer_, *parser_, [self = me()](beast::error_code e, size_t) { self->on_read(e); });
  }
  header_parser_.reset();
}

template <class Stream>
void StreamSession<Stream>::on_streamed_read(beast::error_code ec) {
  if (state_ == State::kClosed || refused(ec)) return;
  auto message = streamed_parser_->release();
  std::shared_ptr<StreamedBody> body = std::move(message.body());
  handle(Request(std::move(message.base())), std::move(body));
}

template <class Stream>
void StreamSession<Stream>::on_read(beast::error_code ec) {
  if (state_ == State::kClosed || refused(ec)) return;
  handle(parser_->release());
}

template <class Stream>
bool StreamSession<Stream>::refused(beast::error_code ec) {
  if (!ec) return false;
  if (ec == bhttp::error::body_limit) {
    uint64_t limit = streamed_parser_ ? streamed_parser_->get().body()->limit() : shared_.max_body_bytes;
    write(error_response(Status::payload_too_large, "payload_too_large",
                         "The request body is larger than " + std::to_string(limit) + " bytes"),
          false);
    return true;
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    // The bytes are not HTTP. Say so once and close: the stream position is unknown now.
    spdlog::debug("http {}: malformed request: {}", peer_, ec.message());
    write(error_response(Status::bad_request, "bad_request", "Malformed HTTP request: " + ec.message()), false);
    return true;
  }
  // EOF, timeout, reset, or our own close: a client going away is not an error (STYLE 6).
  spdlog::debug("http {}: closed: {}", peer_, ec.message());
  close();
  return true;
}

template <class Stream>
void StreamSession<Stream>::handle(Request request, std::shared_ptr<StreamedBody> streamed) {
  state_ = State::kHandling;
  beast::get_lowest_layer(stream_).expires_never();  // the handler's time is not the client's
  auto req = std::make_shared<Request>(std::move(request));
  auto [path, query] = split_target(req->target());
  RequestContext ctx{*req, path, query, client_address(peer_, (*req)["X-Forwarded-For"], shared_.proxies),
                     {}, false, {}, {}};
  auto peer_ip = IpAddress::parse(peer_);
  ctx.secure = auth::request_is_secure(kTls, peer_ip && shared_.proxies.trusts(*peer_ip),
                                       (*req)["X-Forwarded-Proto"]);
  bool keep_alive = req->keep_alive();
  unsigned version = req->version();
  bool head = req->method() == Verb::head;
  if (const auto& guard = shared_.router->guard()) {
    if (auto refused = guard(ctx)) {
      write(std::move(*refused), keep_alive);
      return;
    }
  }
  auto match = shared_.router->match(req->method(), ctx.path);
  if (match.kind != Router::Match::kFound) {
    auto res = match.kind == Router::Match::kNotFound
                   ? error_response(Status::not_found, "not_found", "No route for " + std::string(ctx.path), version)
                   : error_response(Status::method_not_allowed, "method_not_allowed",
                                    "Allowed: " + match.allow, version);
    if (!match.allow.empty()) res.set(bhttp::field::allow, match.allow);
    write(std::move(res), keep_alive);
    return;
  }
  ctx.params = std::move(match.params);
  ctx.streamed_body = std::move(streamed);
  // `req` travels with the responder: an asynchronous handler may still read it. The session does
  // not: the gate holds it for the ticket (see session.h).
  auto id = shared_.gate->enter(me());
  if (!id) {
    write(error_response(Status::service_unavailable, "not_ready", "The server is shutting down", version), false);
    return;
  }
  auto ticket = std::make_shared<Ticket>(shared_.gate, *id);
  Respond respond = [ticket, req, keep_alive, head](Response res) mutable {
    if (head) {
      auto length = ResponseBody::size(res.body());
      res.body().clear();
      res.body().file.reset();
      if (res.result() != Status::not_modified) res.content_length(length);
    }
    ticket->gate->take(ticket->id, [&](const std::shared_ptr<Session>& held) {
      auto self = std::static_pointer_cast<StreamSession>(held);
      net::dispatch(self->executor_, [self, res = std::move(res), keep_alive]() mutable {
        self->write(std::move(res), keep_alive);
      });
    });
  };
  UpgradeConsumer consumer;
  if (boost::beast::websocket::is_upgrade(*req)) {
    ctx.take_over = [&consumer](UpgradeConsumer c) { consumer = std::move(c); };
  }
  try {
    (*match.handler)(ctx, std::move(respond));
  } catch (const std::exception& e) {
    // A handler bug must not take the process down; it answers 500 and is logged loudly.
    spdlog::error("http {}: handler for {} threw: {}", peer_, std::string(ctx.path), e.what());
    write(error_response(Status::internal_server_error, "internal", "Internal error", version), false);
    return;
  }
  if (consumer) hand_over(std::move(*req), std::move(ctx.client_address), ctx.secure, std::move(consumer));
}

// The connection leaves the HTTP layer: the socket moves into the WebSocket route's object, and
// this session ends (it deregisters when its last reference goes). A browser waits for the 101
// before sending frames, so nothing read past the request is lost with `buffer_`; a client that
// did send early is refused rather than handed a stream with a hole in it.
template <class Stream>
void StreamSession<Stream>::hand_over(Request request, std::string client_address, bool secure,
                                      UpgradeConsumer consumer) {
  if (buffer_.size() != 0 || state_ == State::kClosed) {
    close();
    return;
  }
  state_ = State::kClosed;
  auto up = std::make_shared<Upgrade>(Upgrade{UpgradeStream(std::in_place_type<Stream>, std::move(stream_)),
                                              std::move(request), std::move(client_address), secure});
  try {
    consumer(std::move(up));
  } catch (const std::exception& e) {
    spdlog::error("http {}: upgrade consumer threw: {}", peer_, e.what());
  }
}

// Whether the connection stays open is decided here, from the request and the server's state,
// never by the handler's response object.
template <class Stream>
void StreamSession<Stream>::write(Response response, bool keep_alive) {
  if (state_ == State::kClosed || state_ == State::kWriting) return;  // Respond called twice: ignore
  state_ = State::kWriting;
  keep_alive = keep_alive && !stop_requested_ && !shared_.stopping.load();
  response.keep_alive(keep_alive);
  writing_ = std::make_shared<Response>(std::move(response));
  serializer_.emplace(*writing_);
  write_some(keep_alive);
}

// A piece at a time, each with the timeout afresh: a 100 MB file to a slow client has to keep
// moving, not arrive within one read_timeout (a file body is read from disk per piece,
// response_body.h).
template <class Stream>
void StreamSession<Stream>::write_some(bool keep_alive) {
  beast::get_lowest_layer(stream_).expires_after(shared_.read_timeout);
  bhttp::async_write_some(stream_, *serializer_, [self = me(), keep_alive](beast::error_code ec, size_t) {
    if (!ec && self->state_ == State::kWriting && !self->serializer_->is_done()) return self->write_some(keep_alive);
    self->on_write(keep_alive, ec);
  });
}

template <class Stream>
void StreamSession<Stream>::on_write(bool keep_alive, beast::error_code ec) {
  serializer_.reset();
  writing_.reset();
  if (ec || !keep_alive || stop_requested_) {
    close(!ec);
    return;
  }
  read();
}

template <class Stream>
void StreamSession<Stream>::close(bool graceful) {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  auto& tcp = beast::get_lowest_layer(stream_);
  if constexpr (kTls) {
    if (graceful) {
      // close_notify, so the client knows the response was not cut short; the peer's answer is
      // awaited at most kTlsShutdownTimeout (force_close drops TCP sooner).
      tls_shutting_down_ = true;
      tcp.expires_after(kTlsShutdownTimeout);
      stream_.async_shutdown([self = me()](beast::error_code) { beast::get_lowest_layer(self->stream_).close(); });
      return;
    }
  }
  beast::error_code ignored;
  tcp.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  tcp.close();  // cancels a pending read; its handler sees kClosed and returns
}

}  // namespace

void start_session(net::ip::tcp::socket socket, SessionShared& shared) {
  if (shared.tls) {
    std::make_shared<StreamSession<TlsStream>>(shared, std::move(socket), *shared.tls)->start();
  } else {
    std::make_shared<StreamSession<beast::tcp_stream>>(shared, std::move(socket))->start();
  }
}

}  // namespace hearth::server::http
