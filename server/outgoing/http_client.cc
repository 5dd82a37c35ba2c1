#include "server/outgoing/http_client.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>
#include <mutex>

#include "server/outgoing/pinning.h"
#include "server/outgoing/target_url.h"

namespace hearth::server::outgoing {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

struct Sink {
  std::string* body;
  size_t limit;
  bool overflow = false;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (sink->body->size() + n > sink->limit) {
    sink->overflow = true;
    return 0;  // anything but n makes curl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

Failure classify(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Failure::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
      return Failure::kConnect;
    default:
      return Failure::kOther;
  }
}

}  // namespace

Response perform(const Request& request) {
  init_curl_once();
  Response response;
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) {
    response.failure = Failure::kOther;
    response.error = "curl_easy_init failed";
    return response;
  }
  std::unique_ptr<curl_slist, ListDeleter> headers;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    curl_slist* next = curl_slist_append(headers.get(), line.c_str());
    if (next == nullptr) {
      response.failure = Failure::kOther;
      response.error = "out of memory building headers";
      return response;
    }
    (void)headers.release();
    headers.reset(next);
  }
  // Without this curl sends "Expect: 100-continue" for bodies over 1 KiB and waits a second for a
  // 100 that simple receivers never send.
  headers.reset(curl_slist_append(headers.release(), "Expect:"));

  Sink sink{&response.body, request.max_response_bytes};
  CURL* c = curl.get();
  Pin pin;
  Slist resolve;
  if (request.pinned) {
    auto target = parse_target_url(request.url);
    if (!target || target->text != request.url) {
      response.failure = Failure::kOther;
      response.error = "a pinned request's URL must be one the guard rebuilt";
      return response;
    }
    pin.address = *request.pinned;
    resolve = pin_transfer(c, *target, pin);
  }
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we run on many threads
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Hearth");
  if (!request.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, request.ca_file.c_str());

  CURLcode code = curl_easy_perform(c);
  if (pin.refused_socket) {
    response.failure = Failure::kRefused;
    response.error = "a connection to an address other than the vetted one";
    response.body.clear();
    return response;
  }
  if (code != CURLE_OK) {
    response.failure = sink.overflow ? Failure::kTooLarge : classify(code);
    response.error = sink.overflow ? "answer larger than " + std::to_string(request.max_response_bytes) + " bytes"
                                   : curl_easy_strerror(code);
    response.body.clear();
    return response;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  char* type = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) response.content_type = type;
  return response;
}

std::string media_type(std::string_view content_type) {
  std::string out;
  for (char ch : content_type) {
    if (ch == ';') break;
    if (ch == ' ' || ch == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  return out;
}

}  // namespace hearth::server::outgoing
