// Link previews (CAMPFIRE.md 2.11 "Link unfurling"; docs/api.md "Link previews"): the composer
// sends a URL the person pasted or typed, the server fetches the page through the SSRF guard
// (server/previews/fetcher.h) and answers its OpenGraph title, description and image, or 204 when
// there is nothing to show: a refused or unreachable address, a non-HTML answer, a page without a
// title or description, a fetch past 5 s or 5 MB. Which of these it was is not told to the client
// (so the route cannot be used to map what the server can reach); the server's log says.
//
// Fetches run on their own small pool, never on the IO threads: each can take up to 5 s. The pool
// and a per-user limit bound the work one person can cause; past the pool's queue the answer is
// 503 busy. Shutting down aborts the fetches in flight.
#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include "core/base/clock.h"
#include "core/base/text.h"
#include "server/api/context.h"
#include "server/api/request.h"
#include "server/api/routes.h"
#include "server/http/router.h"
#include "server/outgoing/target_url.h"
#include "server/previews/fetcher.h"
#include "server/previews/page_metadata.h"
#include "server/work_pool.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;
namespace pv = previews;

constexpr size_t kFetchThreads = 2;
constexpr size_t kQueuedFetches = 16;
// A person pasting links: a few a minute. 30 per minute leaves room for editing a URL character by
// character (the client debounces) while one account cannot turn the server into a crawler.
constexpr size_t kUnfurlsPerMinute = 30;

struct PreviewService {
  explicit PreviewService(const outgoing::AddressGuard& guard)
      : limiter(clock, auth::RateLimiter::Options{kUnfurlsPerMinute, 60'000'000, 65'536}),
        fetcher(std::make_shared<pv::PreviewFetcher>(pv::PreviewFetcher::Options{{}, guard})) {}
  ~PreviewService() {
    fetcher->stop();
    pool.stop();
  }
  SystemClock clock;
  auth::RateLimiter limiter;
  std::shared_ptr<pv::PreviewFetcher> fetcher;
  WorkPool pool{kFetchThreads, kQueuedFetches};
};

Response no_preview(unsigned version) {
  Response res{HS::no_content, version};
  res.set(field::cache_control, "no-store");
  res.prepare_payload();
  return res;
}

// The whole preview, or nullopt when there is nothing to show. Runs on the fetch pool.
std::optional<json::object> unfurl_now(const pv::PreviewFetcher& fetcher, const std::string& url) {
  pv::FetchResult page = fetcher.fetch(url);
  if (page.outcome != pv::Outcome::ok) {
    spdlog::info("link preview: {} {} ({})", pv::to_string(page.outcome), page.url, page.detail);
    return std::nullopt;
  }
  pv::PageMetadata meta = pv::parse_page_metadata(page.body);
  if (meta.empty()) return std::nullopt;
  return json::object{{"title", meta.title},
                      {"description", meta.description},
                      {"image", pv::resolve_reference(page.url, meta.image)},
                      {"url", url}};
}

void unfurl(PreviewService& service, ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto w = json_write(api, ctx, respond);
  if (!w) return;
  unsigned version = w->version;
  auto raw = get_string(w->body, "url");
  std::string url(raw ? trim(*raw) : std::string_view());
  if (url.empty() || url.size() > outgoing::kMaxUrlBytes) {
    return respond(bad_request("url is required (at most 2048 bytes)", version));
  }
  if (!service.limiter.allow(std::to_string(w->who.user.value))) {
    return respond(error(HS::too_many_requests, "too_many_requests", "Too many link previews; wait a minute", version));
  }
  if (!outgoing::parse_target_url(url)) return respond(no_preview(version));  // not worth a thread
  auto shared_respond = std::make_shared<Respond>(std::move(respond));
  bool queued = service.pool.submit([fetcher = service.fetcher, url, shared_respond, version] {
    auto preview = unfurl_now(*fetcher, url);
    if (!preview) return (*shared_respond)(no_preview(version));
    (*shared_respond)(json_response(HS::ok, *preview, version));
  });
  if (!queued) (*shared_respond)(error(HS::service_unavailable, "busy", "Too many link previews at once", version));
}

}  // namespace

void add_preview_routes(http::Router& router, ApiContext& api) {
  auto service = std::make_shared<PreviewService>(api.outgoing_guard());
  ApiContext* p = &api;
  router.add(http::Verb::post, "/api/unfurl_link",
             [p, service](auto& ctx, Respond r) { unfurl(*service, *p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
