#include "server/http/router.h"

namespace hearth::server::http {
namespace {

std::vector<std::string> split_segments(std::string_view path) {
  std::vector<std::string> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view RouteParams::get(std::string_view name) const {
  for (const auto& [k, v] : values) {
    if (k == name) return v;
  }
  return {};
}

void Router::add(Verb method, std::string_view pattern, Handler handler) {
  routes_.push_back(Route{method, split_segments(pattern), std::move(handler), {}});
}

void Router::add_streamed(Verb method, std::string_view pattern, StreamedBodyFactory body, Handler handler) {
  routes_.push_back(Route{method, split_segments(pattern), std::move(handler), std::move(body)});
}

void Router::serve_fallback(RequestContext& ctx, Respond respond) const {
  if (fallback_) return fallback_(ctx, std::move(respond));
  respond(error_response(Status::not_found, "not_found", "Not found", ctx.request.version()));
}

void Router::add_sync(Verb method, std::string_view pattern, SyncHandler handler) {
  add(method, pattern, [h = std::move(handler)](RequestContext& ctx, Respond respond) { respond(h(ctx)); });
}

bool Router::matches(const Route& r, std::string_view path, RouteParams* params) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  for (size_t i = 0; i < r.segments.size(); ++i) {
    const std::string& pat = r.segments[i];
    if (!pat.empty() && pat.front() == '*') {
      params->values.emplace_back(pat.substr(1), std::string(path));
      return true;
    }
    auto slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    bool last = i + 1 == r.segments.size();
    if (last != (slash == std::string_view::npos)) return false;
    if (!pat.empty() && pat.front() == ':') {
      if (seg.empty()) return false;
      params->values.emplace_back(pat.substr(1), std::string(seg));
    } else if (seg != pat) {
      return false;
    }
    if (!last) path.remove_prefix(slash + 1);
  }
  return true;
}

Router::Match Router::match(Verb method, std::string_view path) const {
  Match m;
  Verb wanted = method == Verb::head ? Verb::get : method;
  for (const auto& r : routes_) {
    RouteParams params;
    if (!matches(r, path, &params)) continue;
    if (r.method == wanted) {
      m.kind = Match::kFound;
      m.handler = &r.handler;
      if (r.streamed) m.streamed = &r.streamed;
      m.params = std::move(params);
      return m;
    }
    m.kind = Match::kMethodNotAllowed;
    std::string name(bhttp::to_string(r.method));
    if (m.allow.find(name) == std::string::npos) {
      m.allow += (m.allow.empty() ? "" : ", ") + name;
      if (r.method == Verb::get) m.allow += ", HEAD";
    }
  }
  if (m.kind == Match::kNotFound && wanted == Verb::get && fallback_) {
    m.kind = Match::kFound;
    m.handler = &fallback_;
  }
  return m;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex_value(in[i + 1]);
    int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

}  // namespace hearth::server::http
