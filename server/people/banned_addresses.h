#pragma once
// The addresses of banned users (CAMPFIRE.md 2.21), in memory, for the HTTP layer's one cheap
// check: any request but GET/HEAD from one of them gets 429, whoever it claims to be (sign-in
// included). Loaded once from the `bans` table at start-up, then kept current by folding every
// committed batch (UserBanned adds its addresses, UserUnbanned removes that user's), so a ban
// holds from the answer of the ban command on, and after a restart. No database read per request.
//
// Addresses are compared parsed (server/client_address.h): "203.0.113.9" and "::ffff:203.0.113.9"
// are one address. Which address a request comes from is RequestContext::client_address, after
// trusted X-Forwarded-For: the same text sessions record, which is where the ban's addresses come from.
//
// Thread safety: apply() on the sequencer's apply thread; contains() from any IO thread.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/sequencer/downstream.h"
#include "core/sqlite/db.h"

namespace hearth::server::people {

class BannedAddresses {
 public:
  // Every row of the state database's `bans` table.
  Status load(sqlite::Db& state);
  void apply(const Batch& batch);  // a BatchListener
  bool contains(std::string_view client_address) const;
  size_t size() const;

 private:
  using Bytes = std::array<uint8_t, 16>;
  void ban(int64_t user, std::string_view address);  // REQUIRES mu_ held exclusively
  void unban(int64_t user);                            // REQUIRES mu_ held exclusively

  mutable std::shared_mutex mu_;
  std::map<int64_t, std::vector<Bytes>> by_user_;  // guarded by mu_
  std::map<Bytes, int> count_;                     // guarded by mu_: an address may be two users'
  std::atomic<bool> any_{false};                   // no lock at all while nobody is banned
};

}  // namespace hearth::server::people
