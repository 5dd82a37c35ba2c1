#pragma once
// Name resolution for the outgoing guard (address_guard.h), injectable so tests can answer as a
// hostile DNS server would (a public address first, a private one on the next lookup). The guard
// resolves a host once per connection, vets every address, and the caller pins the connection to
// the vetted one (pinning.h): the resolver is never asked twice for the same connection, so a
// changing answer cannot slip past the check.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "server/outgoing/address_policy.h"

namespace hearth::server::outgoing {

// The addresses of `host` (a name, never a literal), empty when it has none or the lookup failed
// or took longer than `timeout`.
using Resolver = std::function<std::vector<IpAddress>(const std::string& host, std::chrono::milliseconds timeout)>;

// getaddrinfo, bounded in time: the lookup runs on its own thread and is abandoned (left to finish
// by itself) after `timeout`. At most kMaxPendingLookups run at once; past that, lookups fail at
// once rather than pile up threads behind a slow DNS server.
Resolver system_resolver();
inline constexpr int kMaxPendingLookups = 16;

}  // namespace hearth::server::outgoing
