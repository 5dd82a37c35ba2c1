#include "server/http/response_body.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace hearth::server::http {

std::shared_ptr<const OpenFile> OpenFile::open(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return nullptr;
  }
  return std::shared_ptr<const OpenFile>(new OpenFile(fd, static_cast<uint64_t>(st.st_size)));
}

OpenFile::~OpenFile() { ::close(fd_); }

void ResponseBody::writer::init(boost::beast::error_code& ec) {
  ec = {};
  if (body_.file) chunk_ = std::make_unique<char[]>(kFileChunk);
}

boost::optional<std::pair<ResponseBody::writer::const_buffers_type, bool>> ResponseBody::writer::get(
    boost::beast::error_code& ec) {
  ec = {};
  if (!body_.file) return {{const_buffers_type(body_.data(), body_.size()), false}};
  const FileSlice& slice = *body_.file;
  if (sent_ == slice.length) return boost::none;
  size_t want = static_cast<size_t>(std::min<uint64_t>(kFileChunk, slice.length - sent_));
  ssize_t got;
  do {
    got = ::pread(slice.file->fd(), chunk_.get(), want, static_cast<off_t>(slice.offset + sent_));
  } while (got < 0 && errno == EINTR);
  if (got <= 0) {
    ec = got < 0 ? boost::beast::error_code(errno, boost::system::system_category())
                 : boost::beast::error_code(std::make_error_code(std::errc::io_error));
    return boost::none;
  }
  sent_ += static_cast<uint64_t>(got);
  return {{const_buffers_type(chunk_.get(), static_cast<size_t>(got)), sent_ < slice.length}};
}

void ResponseBody::reader::init(const boost::optional<uint64_t>& length, boost::beast::error_code& ec) {
  ec = {};
  if (length && *length <= body_.max_size()) body_.reserve(static_cast<size_t>(*length));
}

}  // namespace hearth::server::http
