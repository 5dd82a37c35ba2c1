#pragma once
// Pins one curl transfer to the address the guard vetted (address_guard.h): curl is told that
// address for the URL's host (CURLOPT_RESOLVE), so it never resolves the name itself, and every
// socket it opens is checked against the address and port (CURLOPT_OPENSOCKETFUNCTION), so no other
// path (a second address, a proxy, a changed DNS answer) reaches anything else. Proxies from the
// environment are disabled. Redirects are the caller's to refuse or to vet again.
//
// This header includes curl: only the .cc files that drive curl include it.
#include <curl/curl.h>

#include <cstdint>
#include <memory>

#include "server/outgoing/address_policy.h"
#include "server/outgoing/target_url.h"

namespace hearth::server::outgoing {

struct Pin {
  IpAddress address;
  uint16_t port = 0;
  bool refused_socket = false;  // set when curl tried to open any other connection
};

struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistFree>;

// Sets the options on `curl` for `url`; `pin` and the returned list must outlive the transfer.
Slist pin_transfer(CURL* curl, const TargetUrl& url, Pin& pin);

}  // namespace hearth::server::outgoing
