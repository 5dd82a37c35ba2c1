#include "migrate/blob_store.h"

#include <fstream>
#include <limits>
#include <system_error>
#include <vector>

namespace hearth::migrate {

Result<std::optional<Blob>> BlobStore::copy(const std::string& key, std::string* why) {
  if (storage_.empty()) {
    *why = "file not copied: no --storage given";
    return std::optional<Blob>();
  }
  // Keys are Rails' base36 tokens; anything else could walk out of the storage directory.
  if (key.size() < 4 || key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos) {
    *why = "file not copied: unexpected storage key";
    return std::optional<Blob>();
  }
  std::filesystem::path rel = std::filesystem::path(key.substr(0, 2)) / key.substr(2, 2) / key;
  std::filesystem::path src = storage_ / "files" / rel;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(src, ec)) src = storage_ / rel;
  std::ifstream in(src, std::ios::binary);
  if (!std::filesystem::is_regular_file(src, ec) || !in) {
    *why = "file missing from storage";
    return std::optional<Blob>();
  }
  // Campfire set no size limit on files, so neither does the import.
  auto w = blobs_.begin(std::numeric_limits<uint64_t>::max());
  if (!w.ok()) return w.take_error();
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    HEARTH_TRY(w->write(std::span<const char>(buf.data(), got)));
  }
  if (in.bad()) {
    *why = "file unreadable in storage";
    return std::optional<Blob>();  // the Writer deletes its partial file
  }
  auto stored = w->finish();
  if (!stored.ok()) return stored.take_error();
  Blob blob;
  blob.content_hash = std::move(stored->content_hash);
  blob.byte_size = stored->byte_size;
  return std::optional<Blob>(std::move(blob));
}

}  // namespace hearth::migrate
