#pragma once
// The server's fetch of a page for a link preview (CAMPFIRE.md 2.11; RELIABILITY S10), closed
// against SSRF by construction rather than by patching bypasses:
//  1. the URL is parsed strictly (target_url.h) and rebuilt; only http and https;
//  2. the host is vetted by the outgoing guard (server/outgoing/address_guard.h): resolved here,
//     once, and refused if ANY of its addresses is not public, not just the first;
//  3. the transfer is pinned to the vetted address (server/outgoing/pinning.h): curl never
//     resolves on its own and every socket it opens is checked, so a DNS answer that changes
//     between the check and the connect is never used; proxies from the environment are disabled;
//  4. redirects are not followed by curl: each Location is parsed and vetted like the first URL,
//     at most kMaxRedirects of them;
//  5. the whole fetch, redirects and lookups included, ends after `limits.total`; the body is cut
//     off past `limits.max_bytes` (decoded bytes, so compression cannot inflate past it); only a
//     2xx answer of the wanted media type is kept, and its body is never read otherwise.
//
// The one exception is the guard's test allowance (address_guard.h): a test's own server on
// 127.0.0.1 may act as a public first hop (to check that its redirect to a private address is
// refused). No request field reaches it.
//
// Thread safety: fetch() may run on several threads at once; stop() from any thread aborts the
// transfers in flight (the server's shutdown).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/outgoing/address_guard.h"

namespace hearth::server::previews {

inline constexpr int kMaxRedirects = 10;

struct FetchLimits {
  size_t max_bytes = 5 * 1024 * 1024;
  std::chrono::milliseconds total{5000};
};

enum class Outcome {
  ok,
  refused,        // a URL or an address the policy refuses (the SSRF guard), or too many redirects
  failed,         // DNS, connection, TLS, or an answer that is neither 2xx nor a usable redirect
  wrong_type,     // a 2xx answer of another media type
  too_large,      // the body passed limits.max_bytes
  timed_out,      // limits.total passed
};
const char* to_string(Outcome o);

struct FetchResult {
  Outcome outcome = Outcome::failed;
  std::string body;          // when ok
  std::string url;           // the URL of the answer (after redirects), as fetched
  std::string detail;        // why, for logs and tests
};

class PreviewFetcher {
 public:
  struct Options {
    FetchLimits limits;
    outgoing::AddressGuard guard;
  };

  explicit PreviewFetcher(Options options);

  // GETs `url`, keeping the body only when the final answer's media type is `media_type`
  // ("text/html"; compared without parameters, case-insensitively), or starts with it when it ends
  // in '/' ("image/": any image type; the caller then checks the bytes).
  FetchResult fetch(std::string_view url, std::string_view media_type = "text/html") const;

  void stop() { stopping_->store(true); }

 private:
  FetchResult fetch_hop(const outgoing::TargetUrl& url, const outgoing::IpAddress& pinned, std::string_view media_type,
                        std::chrono::steady_clock::time_point deadline, std::string& redirect) const;

  Options options_;
  std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
};

// `reference` (absolute or relative, e.g. an og:image) resolved against `base`; "" when it is not
// an http(s) URL the preview may name.
std::string resolve_reference(std::string_view base, std::string_view reference);

}  // namespace hearth::server::previews
