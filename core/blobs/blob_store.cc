#include "core/blobs/blob_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace hearth::blobs {
namespace {

std::string hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

Error io_error(const std::string& what, const std::filesystem::path& path, int err) {
  return Error{ErrorCode::kIo, what + " " + path.string() + ": " + std::strerror(err)};
}

// A folder's entries are durable only once the folder itself is synced (a rename is an entry).
Status fsync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("cannot fsync", dir, err);
  return ok_status();
}

Status make_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message()};
  return ok_status();
}

// A fresh, unguessable name under incoming/, opened O_EXCL.
Result<std::pair<std::filesystem::path, int>> open_incoming(const std::filesystem::path& dir) {
  std::filesystem::path incoming = dir / "incoming";
  HEARTH_TRY(make_dir(incoming));
  unsigned char r[12];
  randombytes_buf(r, sizeof r);
  std::filesystem::path tmp = incoming / hex(r, sizeof r);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return io_error("cannot create", tmp, errno);
  return std::pair{tmp, fd};
}

Status write_all(int fd, const char* p, size_t n, const std::filesystem::path& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot write", path, errno);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return ok_status();
}

// fsync + close `fd`, rename `tmp` to `dest` (replacing it), fsync dest's folder.
Status publish(int fd, const std::filesystem::path& tmp, const std::filesystem::path& dest) {
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return io_error("cannot fsync", tmp, err);
  HEARTH_TRY(make_dir(dest.parent_path()));
  if (::rename(tmp.c_str(), dest.c_str()) != 0) return io_error("cannot rename to", dest, errno);
  return fsync_dir(dest.parent_path());
}

bool is_variant_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool is_hash(std::string_view hash) {
  return hash.size() == 64 && hash.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

BlobStore::Writer::Writer(const BlobStore& store, std::filesystem::path tmp, int fd, uint64_t max_bytes)
    : store_(&store), tmp_(std::move(tmp)), fd_(fd), max_bytes_(max_bytes) {
  crypto_hash_sha256_init(&sha_);
}

BlobStore::Writer::Writer(Writer&& o) noexcept
    : store_(o.store_), tmp_(std::move(o.tmp_)), fd_(o.fd_), max_bytes_(o.max_bytes_), size_(o.size_),
      too_large_(o.too_large_), sha_(o.sha_) {
  o.fd_ = -1;
  o.tmp_.clear();
}

BlobStore::Writer::~Writer() { discard(); }

void BlobStore::Writer::discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!tmp_.empty()) ::unlink(tmp_.c_str());
  tmp_.clear();
}

Status BlobStore::Writer::write(std::span<const char> bytes) {
  if (fd_ < 0) return invalid("the file write has ended");
  if (bytes.size() > max_bytes_ - size_) {
    too_large_ = true;
    discard();  // nothing of an oversized file is kept, not even its first part
    return invalid("the file is larger than " + std::to_string(max_bytes_) + " bytes");
  }
  crypto_hash_sha256_update(&sha_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  auto st = write_all(fd_, bytes.data(), bytes.size(), tmp_);
  if (!st.ok()) {
    discard();
    return st;
  }
  size_ += bytes.size();
  return ok_status();
}

Result<Stored> BlobStore::Writer::finish() {
  if (fd_ < 0) return invalid("the file write has ended");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&sha_, digest);
  Stored out{hex(digest, sizeof digest), size_};
  std::filesystem::path dest = store_->path_of(out.content_hash);
  struct stat existing;
  if (::stat(dest.c_str(), &existing) == 0) {
    discard();  // the same bytes are already stored
    return out;
  }
  int fd = fd_;
  fd_ = -1;
  auto st = publish(fd, tmp_, dest);
  if (!st.ok()) {
    ::unlink(tmp_.c_str());
    tmp_.clear();
    return st.take_error();
  }
  tmp_.clear();
  return out;
}

Result<BlobStore::Writer> BlobStore::begin(uint64_t max_bytes) const {
  auto opened = open_incoming(dir_);
  if (!opened.ok()) return opened.take_error();
  return Writer(*this, std::move(opened->first), opened->second, max_bytes);
}

Result<Stored> BlobStore::put(std::string_view bytes, uint64_t max_bytes) const {
  auto w = begin(max_bytes);
  if (!w.ok()) return w.take_error();
  HEARTH_TRY(w->write(bytes));
  return w->finish();
}

std::filesystem::path BlobStore::path_of(std::string_view hash) const {
  return dir_ / std::string(hash.substr(0, 2)) / std::string(hash);
}

std::optional<std::filesystem::path> BlobStore::find(std::string_view hash) const {
  if (!is_hash(hash)) return std::nullopt;
  auto p = path_of(hash);
  struct stat st;
  if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return p;
}

std::filesystem::path BlobStore::variant_path(std::string_view hash, std::string_view name) const {
  auto p = path_of(hash);
  p += ".";
  p += std::string(name);
  return p;
}

Status BlobStore::put_variant(std::string_view hash, std::string_view name, std::string_view bytes) const {
  if (!is_hash(hash) || !is_variant_name(name)) return invalid("bad blob variant name");
  auto opened = open_incoming(dir_);
  if (!opened.ok()) return opened.take_error();
  auto [tmp, fd] = std::move(*opened);
  auto st = write_all(fd, bytes.data(), bytes.size(), tmp);
  if (st.ok()) st = publish(fd, tmp, variant_path(hash, name));
  else ::close(fd);
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

Status BlobStore::remove(std::string_view hash) const {
  if (!is_hash(hash)) return invalid("file hash must be 64 lower-case hex digits");
  std::filesystem::path folder = dir_ / std::string(hash.substr(0, 2));
  std::error_code ec;
  std::string prefix = std::string(hash) + ".";
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0) std::filesystem::remove(it->path(), ec);
  }
  if (::unlink(path_of(hash).c_str()) != 0 && errno != ENOENT) return io_error("cannot delete", path_of(hash), errno);
  return ok_status();
}

Status BlobStore::for_each(const std::function<void(const std::string&)>& fn) const {
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) return ok_status();
  for (std::filesystem::directory_iterator top(dir_, ec), end; !ec && top != end; top.increment(ec)) {
    std::string folder = top->path().filename().string();
    if (folder.size() != 2 || !top->is_directory()) continue;
    std::error_code inner;
    for (std::filesystem::directory_iterator it(top->path(), inner); !inner && it != end; it.increment(inner)) {
      std::string name = it->path().filename().string();
      if (is_hash(name)) fn(name);
    }
    if (inner) return Error{ErrorCode::kIo, "cannot list " + top->path().string() + ": " + inner.message()};
  }
  if (ec) return Error{ErrorCode::kIo, "cannot list " + dir_.string() + ": " + ec.message()};
  return ok_status();
}

void BlobStore::clear_incoming() const {
  std::error_code ec;
  std::filesystem::path incoming = dir_ / "incoming";
  for (std::filesystem::directory_iterator it(incoming, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ignored;
    std::filesystem::remove(it->path(), ignored);
  }
}

}  // namespace hearth::blobs
