#include "server/previews/fetcher.h"

#include <curl/curl.h>

#include "server/outgoing/http_client.h"
#include "server/outgoing/pinning.h"

namespace hearth::server::previews {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// State one transfer's callbacks share.
struct Transfer {
  CURL* curl = nullptr;
  std::string_view media_type;
  size_t max_bytes = 0;
  const std::atomic<bool>* stopping = nullptr;
  std::string body;
  bool too_large = false;
  bool wrong_type = false;
  bool checked_type = false;
  bool skipped_body = false;
};

// "image/" wants any image type; anything else wants exactly that type.
bool type_matches(const char* content_type, std::string_view wanted) {
  std::string actual = outgoing::media_type(content_type ? content_type : "");
  return wanted.ends_with('/') ? actual.starts_with(wanted) : actual == wanted;
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {  // a redirect's or an error's body: not read at all
    t->skipped_body = true;
    return 0;
  }
  if (!t->checked_type) {
    t->checked_type = true;
    const char* type = nullptr;
    curl_easy_getinfo(t->curl, CURLINFO_CONTENT_TYPE, &type);
    if (!type_matches(type, t->media_type)) {
      t->wrong_type = true;
      return 0;  // aborts the transfer: the body is not read
    }
  }
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;
  }
  t->body.append(data, n);
  return n;
}

int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stopping->load() ? 1 : 0;
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

FetchResult result(Outcome outcome, std::string url, std::string detail) {
  FetchResult r;
  r.outcome = outcome;
  r.url = std::move(url);
  r.detail = std::move(detail);
  return r;
}

}  // namespace

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::ok: return "ok";
    case Outcome::refused: return "refused";
    case Outcome::failed: return "failed";
    case Outcome::wrong_type: return "wrong_type";
    case Outcome::too_large: return "too_large";
    case Outcome::timed_out: return "timed_out";
  }
  return "?";
}

PreviewFetcher::PreviewFetcher(Options options) : options_(std::move(options)) {
  outgoing::init_curl_once();
  if (!options_.guard.resolver) options_.guard.resolver = outgoing::system_resolver();
}

FetchResult PreviewFetcher::fetch(std::string_view url_text, std::string_view media_type) const {
  auto deadline = Clock::now() + options_.limits.total;
  std::string next(url_text);
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    auto url = outgoing::parse_target_url(next);
    if (!url) return result(Outcome::refused, next, "not an http(s) URL the guard accepts");
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return result(Outcome::timed_out, url->text, "out of time");
    outgoing::Vetted vetted = options_.guard.vet(*url, left);
    if (vetted.verdict == outgoing::Vetted::Verdict::unresolved) return result(Outcome::failed, url->text, vetted.detail);
    if (vetted.verdict == outgoing::Vetted::Verdict::refused) return result(Outcome::refused, url->text, vetted.detail);
    std::string redirect;
    FetchResult r = fetch_hop(*url, vetted.address, media_type, deadline, redirect);
    if (redirect.empty()) return r;
    next = std::move(redirect);
  }
  return result(Outcome::refused, next, "more than 10 redirects");
}

FetchResult PreviewFetcher::fetch_hop(const outgoing::TargetUrl& url, const outgoing::IpAddress& pinned, std::string_view media_type,
                                      Clock::time_point deadline, std::string& redirect) const {
  auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return result(Outcome::timed_out, url.text, "out of time");
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) return result(Outcome::failed, url.text, "curl_easy_init");
  Transfer t;
  t.curl = curl.get();
  t.media_type = media_type;
  t.max_bytes = options_.limits.max_bytes;
  t.stopping = stopping_.get();
  CURL* c = curl.get();
  outgoing::Pin pin{pinned};
  outgoing::Slist resolve = outgoing::pin_transfer(c, url, pin);
  curl_easy_setopt(c, CURLOPT_URL, url.text.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.limits.max_bytes));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Hearth link preview");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  CURLcode code = curl_easy_perform(c);
  if (pin.refused_socket) return result(Outcome::refused, url.text, "a connection to an address other than the vetted one");
  if (t.wrong_type) return result(Outcome::wrong_type, url.text, "not " + std::string(media_type));
  if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) return result(Outcome::too_large, url.text, "body too large");
  if (code == CURLE_OPERATION_TIMEDOUT) return result(Outcome::timed_out, url.text, "out of time");
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && t.skipped_body)) return result(Outcome::failed, url.text, curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (is_redirect(status)) {
    const char* location = nullptr;
    curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
    if (!location || !*location) return result(Outcome::failed, url.text, "a redirect without a usable Location");
    redirect = location;
    return {};
  }
  if (status < 200 || status >= 300) return result(Outcome::failed, url.text, "HTTP " + std::to_string(status));
  if (!t.checked_type) {  // an empty 2xx body: the type was never looked at
    const char* type = nullptr;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
    if (!type_matches(type, media_type)) return result(Outcome::wrong_type, url.text, "not " + std::string(media_type));
  }
  FetchResult r = result(Outcome::ok, url.text, "");
  r.body = std::move(t.body);
  return r;
}

std::string resolve_reference(std::string_view base, std::string_view reference) {
  if (reference.empty() || reference.size() > outgoing::kMaxUrlBytes) return {};
  CURLU* u = curl_url();
  if (!u) return {};
  std::string out;
  std::string b(base), r(reference);
  if (curl_url_set(u, CURLUPART_URL, b.c_str(), 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_URL, r.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
    char* full = nullptr;
    if (curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK) {
      if (auto parsed = outgoing::parse_target_url(full); parsed && (!parsed->literal || is_public_address(*parsed->literal))) {
        out = parsed->text;
      }
      curl_free(full);
    }
  }
  curl_url_cleanup(u);
  return out;
}

}  // namespace hearth::server::previews
