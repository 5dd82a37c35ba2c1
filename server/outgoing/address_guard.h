#pragma once
// The one rule for every request the server sends to a URL a user chose (link previews and their
// images, Web Push endpoints): it connects only to public addresses (address_policy.h), found by
// resolving the host here, once (resolver.h), and refuses the request if ANY address is not public.
// The caller then pins the connection to the vetted address (pinning.h), so curl never resolves on
// its own and a DNS answer that changes after the check is never used.
//
// The one exception, `TestAllowance`, lets a test's own server on 127.0.0.1 stand for a public host
// (its receiver, or a first hop that redirects elsewhere): one address and one port, nothing else.
// It is set only by C++ code that builds a guard, or by the test-only `test_outgoing_origin`
// setting of `hearth serve` (server/config.h), which accepts a loopback address alone; no request
// field reaches it, and a server built without it has none.
//
// Thread safety: vet() may run on several threads at once (the resolver must allow it, as
// system_resolver() does).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "server/outgoing/address_policy.h"
#include "server/outgoing/resolver.h"
#include "server/outgoing/target_url.h"

namespace hearth::server::outgoing {

struct TestAllowance {
  IpAddress address;
  uint16_t port = 0;
};

struct Vetted {
  enum class Verdict {
    ok,          // `address` may be connected to
    refused,     // an address the policy refuses (the SSRF guard)
    unresolved,  // the host has no address (the lookup failed or took too long)
  };
  Verdict verdict = Verdict::unresolved;
  IpAddress address;   // when ok: the one to pin the connection to
  std::string detail;  // why not, for logs and tests
};

struct AddressGuard {
  Resolver resolver;  // empty: system_resolver()
  std::optional<TestAllowance> test_allowance;

  // Whether a connection to `address`:`port` may be made.
  bool allowed(const IpAddress& address, uint16_t port) const;
  // The address to connect to for `url`: its literal, or every address its name resolves to
  // (within `timeout`) checked, and the first one kept.
  Vetted vet(const TargetUrl& url, std::chrono::milliseconds timeout) const;
};

// "127.0.0.1:8443" as a TestAllowance: a loopback IPv4 address (127.0.0.0/8) and a port 1-65535;
// nullopt for anything else (no setting can open another address).
std::optional<TestAllowance> parse_test_allowance(std::string_view text);

}  // namespace hearth::server::outgoing
