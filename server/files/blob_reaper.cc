#include "server/files/blob_reaper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <set>

#include "core/sqlite/db.h"

namespace hearth::server::files {

void BlobReaper::start(std::chrono::milliseconds period) {
  thread_ = std::thread([this, period] { run(period); });
}

void BlobReaper::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BlobReaper::run(std::chrono::milliseconds period) {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, period, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    auto swept = sweep();
    if (!swept.ok()) spdlog::warn("blob sweep failed: {}", swept.error().to_string());
    lock.lock();
  }
}

BlobReaper::Pin::~Pin() {
  if (!released_) release(0);
}

void BlobReaper::Pin::release(int64_t seq) {
  std::lock_guard lock(reaper_.mu_);
  released_ = true;
  auto& holds = reaper_.holds_;
  for (auto it = holds.begin(); it != holds.end(); ++it) {
    if (it->id != id_) continue;
    if (seq <= 0) {
      holds.erase(it);
    } else {
      it->until_seq = seq;
    }
    return;
  }
}

void BlobReaper::Pin::set(const std::string& hash) {
  std::lock_guard lock(reaper_.mu_);
  for (auto& h : reaper_.holds_) {
    if (h.id == id_) h.hash = hash;
  }
}

std::shared_ptr<BlobReaper::Pin> BlobReaper::pin(const std::string& hash) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  holds_.push_back(Hold{id, hash, std::numeric_limits<int64_t>::max()});
  return std::shared_ptr<Pin>(new Pin(*this, id));
}

Result<size_t> BlobReaper::sweep() {
  std::lock_guard one(sweep_mu_);
  std::vector<std::string> stored;
  HEARTH_TRY(store_.for_each([&](const std::string& h) { stored.push_back(h); }));
  if (stored.empty()) return size_t{0};
  auto db = sqlite::Db::open(state_path_, sqlite::Db::Mode::kReadOnly);
  if (!db.ok()) return db.take_error();
  // One read transaction: applied_seq and the references are the same state.
  HEARTH_TRY(db->exec("BEGIN"));
  auto applied = db->query_int("SELECT applied_seq FROM meta WHERE id = 1");
  if (!applied.ok()) return applied.take_error();
  int64_t seq = applied->value_or(0);
  std::set<std::string> held;
  {
    std::lock_guard lock(mu_);
    std::erase_if(holds_, [seq](const Hold& h) { return h.until_seq <= seq; });
    for (const auto& h : holds_) {
      if (h.hash.empty()) return size_t{0};  // a file is being stored: its hash is not known yet
      held.insert(h.hash);
    }
  }
  auto used = db->prepare(
      "SELECT EXISTS (SELECT 1 FROM messages WHERE attachment_hash = ?1) OR "
      "EXISTS (SELECT 1 FROM users WHERE avatar_hash = ?1) OR EXISTS (SELECT 1 FROM account WHERE logo_hash = ?1)");
  if (!used.ok()) return used.take_error();
  size_t deleted = 0;
  for (const auto& hash : stored) {
    if (held.contains(hash)) continue;
    used->reset();
    used->bind(1, hash);
    auto row = used->step();
    if (!row.ok()) return row.take_error();
    if (*row && used->col_int(0) != 0) continue;
    {
      // Pins taken since the holds were read count too: an upload in progress may be storing
      // these very bytes again (content-addressed, it then finds this file and keeps it), so the
      // check and the deletion are one step under the lock.
      std::lock_guard lock(mu_);
      if (std::any_of(holds_.begin(), holds_.end(), [&](const Hold& h) { return h.hash.empty() || h.hash == hash; })) {
        continue;
      }
      HEARTH_TRY(store_.remove(hash));
    }
    ++deleted;
  }
  (void)db->exec("COMMIT");
  if (deleted > 0) spdlog::info("deleted {} file(s) no longer referenced", deleted);
  return deleted;
}

}  // namespace hearth::server::files
