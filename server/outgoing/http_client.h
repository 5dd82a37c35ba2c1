#pragma once
// Outgoing HTTP for the server's side effects (webhooks, Web Push): one blocking request on
// libcurl, bounded in time and size. No curl in this header.
//
// Blocking by design: it runs on a log consumer's delivery threads (server/consumers/outbox.h),
// never on an IO thread or the sequencer's, where a slow peer would stall everyone else.
//
// What it does not do: follow redirects (a webhook or push endpoint that redirects has failed),
// send cookies, speak anything but http:// and https://, or choose addresses: a request to a URL a
// user chose (a Web Push endpoint) is vetted first by the outgoing guard (address_guard.h), and
// `Request::pinned` then holds this request to the vetted address (pinning.h).
//
// Thread safety: every function may be called from any thread at once (one curl handle per call).
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/outgoing/address_policy.h"

namespace hearth::server::outgoing {

struct Request {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Content-Type", "application/json"}
  std::string body;
  std::chrono::milliseconds connect_timeout{7000};
  // From the connection to the last byte of the answer (curl has no separate read timeout; this is
  // what bounds a peer that accepts and never answers).
  std::chrono::milliseconds timeout{7000};
  size_t max_response_bytes = 1u << 20;  // past it the transfer is cut and the call fails
  std::string ca_file;  // a PEM bundle to trust instead of the system's (empty: the system's)
  // When set, `url` must be a guard-parsed URL (target_url.h: its `text`), and the connection goes
  // to this address only, whatever the host resolves to now; any other is kRefused.
  std::optional<IpAddress> pinned;
};

enum class Failure {
  kNone,
  kTimeout,        // connect or transfer exceeded its bound
  kConnect,        // refused, unreachable, DNS or TLS failure: nothing was answered
  kTooLarge,       // the answer exceeded max_response_bytes
  kRefused,        // a connection other than the pinned one was attempted (nothing was sent)
  kOther,          // a malformed URL or answer, an unsupported scheme
};

struct Response {
  Failure failure = Failure::kNone;
  std::string error;          // curl's words, for logs; empty when failure == kNone
  long status = 0;            // HTTP status; 0 when nothing was answered
  std::string content_type;   // as sent (parameters included); empty when absent
  std::string body;
  bool ok() const { return failure == Failure::kNone; }
};

// Performs the request. Never throws; every problem comes back in Response::failure.
Response perform(const Request& request);

// curl_global_init is not thread-safe and must run before the first handle: every libcurl user in
// the server (this client, link previews) calls this first; it runs it once per process.
void init_curl_once();

// "text/html; charset=utf-8" -> "text/html" (lower case, parameters and spaces dropped).
std::string media_type(std::string_view content_type);

}  // namespace hearth::server::outgoing
