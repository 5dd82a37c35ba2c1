#pragma once
// The content-addressed file store of a data directory: attachments, avatars and logos, written by
// the server (uploads, webhook replies) and by the importer. The log holds only a BlobRef (hash,
// size, type, name); the bytes live here, named by the lower-case hex SHA-256 of their content.
//
// On disk, under DATA_DIR/blobs:
//   <h[0..1]>/<h>            the bytes of blob h (immutable once renamed into place)
//   <h[0..1]>/<h>.<variant>  files derived from blob h (a thumbnail, a small logo), deleted with it
//   incoming/<random>        writes in progress; never read; whatever is left at open is removed
//
// A write streams: bytes go to a file under incoming/ while SHA-256 is computed as they pass, the
// size limit is enforced on every append (so an oversized upload stops at the limit, not at its
// end), then the file is fsynced and renamed to its hash, and the folder fsynced. The same bytes
// stored twice are one file. A reader never sees a partial blob: the name appears only after the
// rename.
//
// Thread safety: a BlobStore is immutable after construction and may be shared; each Writer belongs
// to one thread at a time.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <sodium/crypto_hash_sha256.h>

#include "core/base/result.h"

namespace hearth::blobs {

// True for 64 lower-case hex digits: the only names this store ever turns into a path.
bool is_hash(std::string_view hash);

struct Stored {
  std::string content_hash;  // lower-case hex SHA-256
  uint64_t byte_size = 0;
};

class BlobStore {
 public:
  // `dir`: DATA_DIR/blobs (created on first write).
  explicit BlobStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
  static std::filesystem::path dir_in(const std::filesystem::path& data_dir) { return data_dir / "blobs"; }
  const std::filesystem::path& dir() const { return dir_; }

  // One streaming write. Destroying a Writer that was not finished deletes its temporary file.
  class Writer {
   public:
    Writer(Writer&& other) noexcept;
    Writer& operator=(Writer&&) = delete;
    Writer(const Writer&) = delete;
    ~Writer();

    // Appends bytes. Past the limit it fails (kInvalid), keeps nothing more and too_large() is set.
    Status write(std::span<const char> bytes);
    Status write(std::string_view bytes) { return write(std::span<const char>(bytes.data(), bytes.size())); }
    bool too_large() const { return too_large_; }
    uint64_t size() const { return size_; }
    // fsync, rename into place, fsync the folder. The Writer is spent afterwards.
    Result<Stored> finish();

   private:
    friend class BlobStore;
    Writer(const BlobStore& store, std::filesystem::path tmp, int fd, uint64_t max_bytes);
    void discard();
    const BlobStore* store_;
    std::filesystem::path tmp_;
    int fd_;
    uint64_t max_bytes_;
    uint64_t size_ = 0;
    bool too_large_ = false;
    crypto_hash_sha256_state sha_;
  };

  // A new write of at most `max_bytes` bytes.
  Result<Writer> begin(uint64_t max_bytes) const;
  // The whole of `bytes`, in one call.
  Result<Stored> put(std::string_view bytes, uint64_t max_bytes) const;

  // The file of blob `hash`, if it is stored (lookup by hash; nothing else is ever a path here).
  std::optional<std::filesystem::path> find(std::string_view hash) const;
  // Where variant `name` (letters, digits, '.', '-') of blob `hash` lives; it may not exist yet.
  // REQUIRES: is_hash(hash).
  std::filesystem::path variant_path(std::string_view hash, std::string_view name) const;
  // Writes a variant atomically (temp file, fsync, rename). REQUIRES: is_hash(hash).
  Status put_variant(std::string_view hash, std::string_view name, std::string_view bytes) const;
  // Deletes blob `hash` and its variants; a blob that is not there is not an error.
  Status remove(std::string_view hash) const;
  // Calls `fn` with the hash of every stored blob (variants and incoming/ are skipped).
  Status for_each(const std::function<void(const std::string&)>& fn) const;
  // Deletes what an interrupted write left under incoming/ (at start-up, before any write).
  void clear_incoming() const;

 private:
  std::filesystem::path path_of(std::string_view hash) const;
  std::filesystem::path dir_;
};

}  // namespace hearth::blobs
