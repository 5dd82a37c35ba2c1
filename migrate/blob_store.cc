#include "migrate/blob_store.h"

#include <sodium.h>

#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

namespace hearth::migrate {
namespace {

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

}  // namespace

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
  std::filesystem::create_directories(blobs_, ec);
  if (ec) return Error{ErrorCode::kIo, "cannot create " + blobs_.string() + ": " + ec.message()};
  std::filesystem::path tmp = blobs_ / ("incoming-" + std::to_string(tmp_counter_++));
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return Error{ErrorCode::kIo, "cannot write " + tmp.string()};
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 16);
  uint64_t size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()), got);
    out.write(buf.data(), static_cast<std::streamsize>(got));
    size += got;
  }
  if (in.bad()) {
    std::filesystem::remove(tmp, ec);
    *why = "file unreadable in storage";
    return std::optional<Blob>();
  }
  out.close();
  if (!out) return Error{ErrorCode::kIo, "cannot write " + tmp.string()};
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  Blob blob;
  blob.content_hash = hex(digest, sizeof digest);
  blob.byte_size = size;
  std::filesystem::path dir = blobs_ / blob.content_hash.substr(0, 2);
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message()};
  std::filesystem::path dest = dir / blob.content_hash;
  if (std::filesystem::exists(dest, ec)) {
    std::filesystem::remove(tmp, ec);  // the same bytes are already stored
  } else {
    std::filesystem::rename(tmp, dest, ec);
    if (ec) return Error{ErrorCode::kIo, "cannot store " + dest.string() + ": " + ec.message()};
  }
  return std::optional<Blob>(std::move(blob));
}

}  // namespace hearth::migrate
