#include "server/people/banned_addresses.h"

#include <algorithm>
#include <mutex>

#include "core/events/event_view.h"
#include "server/client_address.h"

namespace hearth::server::people {

Status BannedAddresses::load(sqlite::Db& state) {
  auto s = state.prepare("SELECT user_id, ip_address FROM bans");
  if (!s.ok()) return s.take_error();
  std::unique_lock lock(mu_);
  for (;;) {
    auto row = s->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    ban(s->col_int(0), s->col_text(1));
  }
  any_ = !count_.empty();
  return ok_status();
}

void BannedAddresses::apply(const Batch& batch) {
  if (!batch) return;
  for (const StoredEvent& e : *batch) {
    auto type = static_cast<schema::Payload>(e.type);
    if (type != schema::Payload::UserBanned && type != schema::Payload::UserUnbanned) continue;
    const auto* ev = schema::GetEvent(e.payload.data());
    std::unique_lock lock(mu_);
    if (type == schema::Payload::UserBanned) {
      const auto* p = ev->payload_as_UserBanned();
      if (!p) continue;
      unban(p->user_id());  // a ban replaces whatever the user had
      if (p->ip_addresses()) {
        for (const auto* ip : *p->ip_addresses()) ban(p->user_id(), std::string_view(ip->c_str(), ip->size()));
      }
    } else if (const auto* p = ev->payload_as_UserUnbanned()) {
      unban(p->user_id());
    }
    any_ = !count_.empty();
  }
}

bool BannedAddresses::contains(std::string_view client_address) const {
  if (!any_.load(std::memory_order_acquire)) return false;
  auto ip = IpAddress::parse(client_address);
  if (!ip) return false;
  std::shared_lock lock(mu_);
  return count_.contains(ip->bytes);
}

size_t BannedAddresses::size() const {
  std::shared_lock lock(mu_);
  return count_.size();
}

void BannedAddresses::ban(int64_t user, std::string_view address) {
  auto ip = IpAddress::parse(address);
  if (!ip) return;  // core records what sessions saw; text it cannot parse bans nothing
  auto& mine = by_user_[user];
  if (std::find(mine.begin(), mine.end(), ip->bytes) != mine.end()) return;
  mine.push_back(ip->bytes);
  ++count_[ip->bytes];
}

void BannedAddresses::unban(int64_t user) {
  auto it = by_user_.find(user);
  if (it == by_user_.end()) return;
  for (const Bytes& b : it->second) {
    if (auto c = count_.find(b); c != count_.end() && --c->second == 0) count_.erase(c);
  }
  by_user_.erase(it);
}

}  // namespace hearth::server::people
