#include "server/outgoing/resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace hearth::server::outgoing {
namespace {

std::atomic<int> g_pending{0};

// Shared by the waiting fetch and the lookup thread, which may outlive the wait.
struct Lookup {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  std::vector<IpAddress> addresses;
};

std::vector<IpAddress> getaddrinfo_all(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  std::vector<IpAddress> out;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &list) != 0) return out;
  for (addrinfo* a = list; a; a = a->ai_next) {
    if (auto ip = from_sockaddr(a->ai_addr)) out.push_back(*ip);
  }
  freeaddrinfo(list);
  return out;
}

}  // namespace

Resolver system_resolver() {
  return [](const std::string& host, std::chrono::milliseconds timeout) -> std::vector<IpAddress> {
    if (g_pending.fetch_add(1) >= kMaxPendingLookups) {
      g_pending.fetch_sub(1);
      return {};
    }
    auto lookup = std::make_shared<Lookup>();
    std::thread([lookup, host] {
      auto addresses = getaddrinfo_all(host);
      {
        std::lock_guard lock(lookup->mu);
        lookup->addresses = std::move(addresses);
        lookup->done = true;
      }
      lookup->done_cv.notify_all();
      g_pending.fetch_sub(1);
    }).detach();
    std::unique_lock lock(lookup->mu);
    if (!lookup->done_cv.wait_for(lock, timeout, [&] { return lookup->done; })) return {};
    return lookup->addresses;
  };
}

}  // namespace hearth::server::outgoing
