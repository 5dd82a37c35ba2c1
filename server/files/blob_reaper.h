#pragma once
// Deletes the files nothing refers to any more. A blob is referenced by a message's attachment, a
// user's avatar or the account's logo, as state.sqlite3 shows them; once a message is removed (by
// its author, an administrator, a ban or its room's deletion), an avatar replaced or a logo
// deleted, the next sweep deletes its file and variants, unless the same bytes are still used
// elsewhere.
//
// Why a periodic sweep and not a delete in each route: a blob loses its last reference through
// many commands (RemoveMessage, DeleteRoom, BanUser, ChangeAvatar, ...), some of which no route of
// ours submits; the projection is the one place that knows, after the fact, what is still used.
//
// A file is stored before the command that refers to it commits, so an upload holds a Pin: the
// sweep leaves a pinned blob alone, and a pin released at seq S keeps it until the projection has
// applied S (before that, the reference is committed but not yet visible in state.sqlite3). Take
// the pin before the file is stored (its hash is not known yet): until set(hash), the pin holds
// back every deletion, as the new file may already be in the store.
//
// Thread safety: every method may be called from any thread; sweeps run on the reaper's own thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/base/result.h"
#include "core/blobs/blob_store.h"

namespace hearth::server::files {

class BlobReaper {
 public:
  BlobReaper(const blobs::BlobStore& store, std::string state_path) : store_(store), state_path_(std::move(state_path)) {}
  ~BlobReaper() { stop(); }
  BlobReaper(const BlobReaper&) = delete;
  BlobReaper& operator=(const BlobReaper&) = delete;

  void start(std::chrono::milliseconds period);  // once
  void stop();

  class Pin {
   public:
    ~Pin();
    // The blob is stored: from now on only `hash` is held.
    void set(const std::string& hash);
    // The command referring to the blob committed at `seq` (0: it failed, drop the pin now).
    void release(int64_t seq);

   private:
    friend class BlobReaper;
    Pin(BlobReaper& reaper, uint64_t id) : reaper_(reaper), id_(id) {}
    BlobReaper& reaper_;
    uint64_t id_;
    bool released_ = false;
  };
  // REQUIRES: the reaper outlives the pin. An empty hash holds every blob until set().
  std::shared_ptr<Pin> pin(const std::string& hash = "");

  // One sweep now; returns how many blobs it deleted.
  Result<size_t> sweep();

 private:
  struct Hold {
    uint64_t id;
    std::string hash;
    int64_t until_seq;  // INT64_MAX while the command is in flight
  };
  void run(std::chrono::milliseconds period);

  const blobs::BlobStore& store_;
  std::string state_path_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Hold> holds_;  // guarded by mu_
  uint64_t next_id_ = 0;     // guarded by mu_
  bool stopping_ = false;    // guarded by mu_
  std::mutex sweep_mu_;      // one sweep at a time
  std::thread thread_;
};

}  // namespace hearth::server::files
