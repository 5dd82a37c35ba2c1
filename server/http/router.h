#pragma once
// Method + path pattern → handler. Built once before the server starts, then only read (from every
// IO thread at once, without locks).
//
// Patterns are '/'-separated segments: a literal ("up"), a parameter (":room_id", matching one
// non-empty segment), or a final "*name" matching the rest of the path (possibly empty). Routes are
// tried in the order they were added; the first match wins, so catch-alls go last. GET routes also
// answer HEAD (the session drops the body). A path matched by some route but not for this method
// gives 405 with Allow; no match at all gives 404.
//
// Handlers are asynchronous: they get a Respond to call exactly once, from any thread. Today's
// handlers answer at once; the JSON API will submit a command to the sequencer and respond from its
// completion (after commit, DESIGN I4) without holding an IO thread.
//
// WebSocket upgrades are ordinary GET routes. When the request asks for an upgrade, the context
// carries `take_over`: a handler that accepts calls it (synchronously, before returning) with the
// function that will receive the connection, and never calls its Respond; a handler that refuses
// answers over HTTP as usual (401, 403, ...), before any 101.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/streamed_body.h"
#include "server/http/types.h"

namespace hearth::server::http {

struct Upgrade;  // server/http/upgrade.h
using UpgradeConsumer = std::function<void(std::shared_ptr<Upgrade>)>;

struct RouteParams {
  std::vector<std::pair<std::string, std::string>> values;  // raw (still percent-encoded)
  std::string_view get(std::string_view name) const;        // "" when absent
};

struct RequestContext {
  const Request& request;
  std::string_view path;  // the target without its query, still percent-encoded
  std::string_view query;
  std::string client_address;  // after trusted X-Forwarded-For (server/client_address.h)
  RouteParams params;
  // The browser reached us over https: the connection is TLS (tls_cert set), or a trusted proxy said
  // X-Forwarded-Proto: https. Decides the cookie's Secure attribute and the expected Origin's scheme.
  bool secure = false;
  // Set only for a WebSocket upgrade request (see above); empty otherwise.
  std::function<void(UpgradeConsumer)> take_over;
  // Set only on a route added with add_streamed whose factory took the body (streamed_body.h).
  std::shared_ptr<StreamedBody> streamed_body;
};

using Respond = std::function<void(Response)>;
using Handler = std::function<void(RequestContext&, Respond)>;
using SyncHandler = std::function<Response(RequestContext&)>;

class Router {
 public:
  void add(Verb method, std::string_view pattern, Handler handler);
  void add_sync(Verb method, std::string_view pattern, SyncHandler handler);
  // A route whose body may stream to `body` instead of memory (file uploads; streamed_body.h).
  void add_streamed(Verb method, std::string_view pattern, StreamedBodyFactory body, Handler handler);
  // Answers GET and HEAD requests that no route matches (static files), whatever order routes
  // are added in.
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }
  // Hands a request to the fallback: a route that only guards a client page (/join/:code, which
  // must 404 for a dead code) serves the page as the fallback would.
  void serve_fallback(RequestContext& ctx, Respond respond) const;
  // Runs before routing, for every request: a guard that returns a response answers with it, and
  // no route runs (not even a 404 or 405). The API's: anything but GET/HEAD from a banned address
  // gets 429 (server/people/banned_addresses.h). Called on IO threads: cheap and thread-safe.
  using Guard = std::function<std::optional<Response>(const RequestContext&)>;
  void set_guard(Guard guard) { guard_ = std::move(guard); }
  const Guard& guard() const { return guard_; }

  struct Match {
    enum Kind { kFound, kNotFound, kMethodNotAllowed } kind = kNotFound;
    const Handler* handler = nullptr;  // kFound
    const StreamedBodyFactory* streamed = nullptr;  // kFound, for an add_streamed route
    RouteParams params;                // kFound
    std::string allow;                 // kMethodNotAllowed: "GET, HEAD, POST"
  };
  Match match(Verb method, std::string_view path) const;

 private:
  struct Route {
    Verb method;
    std::vector<std::string> segments;
    Handler handler;
    StreamedBodyFactory streamed;  // empty for an ordinary route
  };
  static bool matches(const Route& r, std::string_view path, RouteParams* params);
  std::vector<Route> routes_;
  Handler fallback_;
  Guard guard_;
};

// Splits "/a/b?x=1" into path and query.
std::pair<std::string_view, std::string_view> split_target(std::string_view target);

// %XX decoding into `out`; false on a malformed escape ("%2", "%zz").
bool percent_decode(std::string_view in, std::string& out);

}  // namespace hearth::server::http
