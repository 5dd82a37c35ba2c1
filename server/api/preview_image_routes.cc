// The image of a link preview (CAMPFIRE.md 2.11; docs/api.md "Link previews"), through the server:
// GET /api/link_preview_image?url=<the preview's image URL>. The page's CSP keeps images to this
// server, and the browser must never decode bytes from a host somebody else chose, so the server
// fetches the image through the SSRF guard (server/previews/fetcher.h: public addresses only,
// pinned, each redirect vetted; at most 5 MB and 5 s), keeps it only when its bytes are a PNG,
// JPEG, GIF or WebP, and answers a WebP thumbnail it encoded itself (image_thumbnail.h) with
// nosniff, a sandboxing CSP and a private cache header. Anything else is 404, whatever the reason
// (refused address, unreachable, not an image, too large), as unfurl_link answers 204: the route
// does not tell what the server can reach.
//
// Signed-in people only; it gives nothing POST /api/unfurl_link does not (that fetches any public
// URL for them already). Recent answers are kept in a small bounded cache by URL
// (image_cache.h), so showing the same card again fetches nothing; cache misses are limited per
// person. Fetching and decoding run on the route's own small pool, never on an IO thread.
#include <spdlog/spdlog.h>

#include "core/base/clock.h"
#include "server/api/context.h"
#include "server/api/routes.h"
#include "server/auth/rate_limiter.h"
#include "server/files/file_response.h"
#include "server/http/router.h"
#include "server/outgoing/target_url.h"
#include "server/previews/fetcher.h"
#include "server/previews/image_cache.h"
#include "server/previews/image_thumbnail.h"
#include "server/work_pool.h"

namespace hearth::server::api {
namespace {

namespace pv = previews;

constexpr size_t kThreads = 2;
constexpr size_t kQueued = 32;
// A room's worth of new cards at once, a few times a minute; the cache answers repeats.
constexpr size_t kFetchesPerMinute = 60;
constexpr const char* kCacheControl = "private, max-age=86400";

struct ImageProxy {
  explicit ImageProxy(const outgoing::AddressGuard& guard)
      : limiter(clock, auth::RateLimiter::Options{kFetchesPerMinute, 60'000'000, 65'536}),
        fetcher(std::make_shared<pv::PreviewFetcher>(pv::PreviewFetcher::Options{{}, guard})) {}
  ~ImageProxy() {
    fetcher->stop();
    pool.stop();
  }
  SystemClock clock;
  auth::RateLimiter limiter;
  std::shared_ptr<pv::PreviewFetcher> fetcher;
  std::shared_ptr<pv::ImageCache> cache = std::make_shared<pv::ImageCache>(pv::ImageCache::Limits{});
  WorkPool pool{kThreads, kQueued};
};

Response no_image(unsigned version) { return error(HS::not_found, "not_found", "No image", version); }

Response image(const std::shared_ptr<const std::string>& webp, unsigned version) {
  if (!webp) return no_image(version);
  return files::bytes_response(*webp, "image/webp", kCacheControl, version);
}

// The thumbnail of the image at `url`, or null. Runs on the proxy's pool.
std::shared_ptr<const std::string> fetch_thumbnail(const pv::PreviewFetcher& fetcher, const std::string& url) {
  pv::FetchResult fetched = fetcher.fetch(url, "image/");
  if (fetched.outcome != pv::Outcome::ok) {
    spdlog::info("link preview image: {} {} ({})", pv::to_string(fetched.outcome), fetched.url, fetched.detail);
    return nullptr;
  }
  auto webp = pv::preview_thumbnail(fetched.body);
  if (!webp.ok()) {
    spdlog::info("link preview image: {}: {}", fetched.url, webp.error().message);
    return nullptr;
  }
  return std::make_shared<const std::string>(std::move(*webp));
}

void preview_image(ImageProxy& proxy, ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto raw = query_param(ctx.query, "url");
  std::string url;
  if (!raw || !http::percent_decode(*raw, url) || url.empty() || url.size() > outgoing::kMaxUrlBytes) {
    return respond(error(HS::bad_request, "bad_request", "url is required (at most 2048 bytes)", version));
  }
  if (!outgoing::parse_target_url(url)) return respond(no_image(version));
  if (auto known = proxy.cache->find(url)) return respond(image(*known, version));
  if (!proxy.limiter.allow(std::to_string(who->user.value))) {
    return respond(error(HS::too_many_requests, "too_many_requests", "Too many preview images; wait a minute", version));
  }
  auto shared_respond = std::make_shared<Respond>(std::move(respond));
  bool queued = proxy.pool.submit([fetcher = proxy.fetcher, cache = proxy.cache, url, shared_respond, version] {
    auto webp = fetch_thumbnail(*fetcher, url);
    cache->put(url, webp);
    (*shared_respond)(image(webp, version));
  });
  if (!queued) (*shared_respond)(error(HS::service_unavailable, "busy", "Too many preview images at once", version));
}

}  // namespace

void add_preview_image_routes(http::Router& router, ApiContext& api) {
  auto proxy = std::make_shared<ImageProxy>(api.outgoing_guard());
  ApiContext* p = &api;
  router.add(http::Verb::get, "/api/link_preview_image",
             [p, proxy](auto& ctx, Respond r) { preview_image(*proxy, *p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
