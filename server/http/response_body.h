#pragma once
// The body of every response (types.h: Response): bytes in memory, which nearly every handler
// builds and uses as the std::string it is, or a slice of an open file, read in kFileChunk pieces
// as the connection takes them (stored files, server/files/file_response.h), so that a 100 MB
// attachment costs one chunk of memory per download, not 100 MB.
//
// Why a string that may carry a file, and not Beast's file_body or a variant: every handler, test
// and helper reads and writes `res.body()` as a string; this keeps them as they are, and only the
// file responses set `file`. Beast's http message header only (no Asio sockets): types.h, which
// the whole server includes, includes this.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional/optional.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace hearth::server::http {

// A file opened for reading, closed with the last reference. What was opened stays readable while
// the path is unlinked or replaced (the blob reaper deleting a file mid-download): the inode lives
// until the descriptor closes.
class OpenFile {
 public:
  // nullptr when `path` cannot be opened or is not a regular file.
  static std::shared_ptr<const OpenFile> open(const std::filesystem::path& path);
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }
  uint64_t size() const { return size_; }  // when it was opened

 private:
  OpenFile(int fd, uint64_t size) : fd_(fd), size_(size) {}
  int fd_;
  uint64_t size_;
};

// `length` bytes of `file` from `offset`. REQUIRES: offset + length <= file->size().
struct FileSlice {
  std::shared_ptr<const OpenFile> file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

class BodyValue : public std::string {
 public:
  using std::string::string;
  using std::string::operator=;
  BodyValue() = default;
  BodyValue(std::string s) : std::string(std::move(s)) {}  // NOLINT: a body is made from a string anywhere
  // When set, the body is this slice and the string is not sent.
  std::optional<FileSlice> file;
};

struct ResponseBody {
  using value_type = BodyValue;
  static constexpr size_t kFileChunk = 64 * 1024;

  static uint64_t size(const value_type& body) { return body.file ? body.file->length : body.size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;
    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}
    void init(boost::beast::error_code& ec);
    // The next chunk; a file that ends before its slice does (truncated under us) is an error,
    // and the connection closes rather than send a short body under a longer Content-Length.
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec);

   private:
    const value_type& body_;
    uint64_t sent_ = 0;
    std::unique_ptr<char[]> chunk_;
  };

  // Appends to the string (clients reading responses: the tests).
  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<uint64_t>& length, boost::beast::error_code& ec);
    template <class ConstBufferSequence>
    size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      size_t n = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
        boost::asio::const_buffer b = *it;
        body_.append(static_cast<const char*>(b.data()), b.size());
        n += b.size();
      }
      ec = {};
      return n;
    }
    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace hearth::server::http
