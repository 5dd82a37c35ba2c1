#pragma once
// A fresh directory under /tmp for one test, removed with its contents afterwards.
#include <filesystem>
#include <string>

namespace hearth::testing {

class TempDir {
 public:
  TempDir();
  // Under `base` (e.g. /dev/shm for tests that open many data directories and need no disk).
  explicit TempDir(const std::filesystem::path& base);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace hearth::testing
