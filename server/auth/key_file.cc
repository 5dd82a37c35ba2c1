#include "server/auth/key_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

namespace hearth::auth {

Result<std::vector<uint8_t>> load_or_create_key(const std::string& path, size_t bytes, Random& random) {
  // One byte of room past the key: a longer file must be told apart from one of the right length.
  std::vector<uint8_t> key(bytes + 1);
  std::ifstream in(path, std::ios::binary);
  if (in) {
    in.read(reinterpret_cast<char*>(key.data()), static_cast<std::streamsize>(key.size()));
    if (in.gcount() == static_cast<std::streamsize>(bytes)) {
      key.resize(bytes);
      return key;
    }
    return Error{ErrorCode::kCorruption, path + " is not a " + std::to_string(bytes) + "-byte key"};
  }
  key.resize(bytes);
  random.fill(key);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  bool written = fd >= 0 && ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!written) return Error{ErrorCode::kIo, "cannot write " + path};
  return key;
}

}  // namespace hearth::auth
