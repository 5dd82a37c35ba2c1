#include "server/previews/image_thumbnail.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "server/files/images.h"

namespace hearth::server::previews {
namespace {

// libvips' loaders read files: the bytes go to a private temporary file (mkstemp: 0600, a fresh
// name) that is removed whatever happens.
class TempFile {
 public:
  explicit TempFile(std::string_view bytes) {
    std::string pattern = (std::filesystem::temp_directory_path() / "hearth-preview-XXXXXX").string();
    int fd = mkstemp(pattern.data());
    if (fd < 0) return;
    path_ = pattern;
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    written_ = done == bytes.size();
    ::close(fd);
  }
  ~TempFile() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  bool ok() const { return written_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool written_ = false;
};

}  // namespace

Result<std::string> preview_thumbnail(std::string_view bytes) {
  auto kind = files::sniff_image(bytes.substr(0, 64));
  if (!kind) return invalid("not a PNG, JPEG, GIF or WebP image");
  TempFile file(bytes);
  if (!file.ok()) return Error{ErrorCode::kIo, "cannot write a temporary file"};
  auto size = files::probe_image(file.path(), *kind);
  if (!size.ok()) return size.take_error();
  return files::resize_to_webp(file.path(), *kind, files::fit_within(*size, kPreviewImageSide, kPreviewImageSide));
}

}  // namespace hearth::server::previews
