#pragma once
// Attachment files: Active Storage's Disk service keeps a blob at
// <storage>/files/<key[0..1]>/<key[2..3]>/<key>; Hearth keeps it content-addressed at
// DATA_DIR/blobs/<sha256[0..1]>/<sha256>. A missing or unreadable file is the caller's to report,
// never fatal: the message keeps its file name (issue 4).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/base/result.h"
#include "core/commands/commands.h"

namespace hearth::migrate {

class BlobStore {
 public:
  // `storage`: the Rails storage directory (or its files/ folder); empty when not given.
  BlobStore(std::filesystem::path storage, std::filesystem::path data_dir)
      : storage_(std::move(storage)), blobs_(std::move(data_dir) / "blobs") {}

  // Copies the file of Active Storage key `key` and returns its content hash and size; nullopt
  // with `why` set when there is no file to copy. Errors only for failures writing our side.
  Result<std::optional<Blob>> copy(const std::string& key, std::string* why);

 private:
  std::filesystem::path storage_;
  std::filesystem::path blobs_;
  int64_t tmp_counter_ = 0;
};

}  // namespace hearth::migrate
