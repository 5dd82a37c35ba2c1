#pragma once
// Attachment files: Active Storage's Disk service keeps a blob at
// <storage>/files/<key[0..1]>/<key[2..3]>/<key>; Hearth keeps it in the data directory's
// content-addressed store (core/blobs/blob_store.h, the same one the server writes). A missing or
// unreadable file is the caller's to report, never fatal: the message keeps its file name (issue 4).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/base/result.h"
#include "core/blobs/blob_store.h"
#include "core/commands/commands.h"

namespace hearth::migrate {

class BlobStore {
 public:
  // `storage`: the Rails storage directory (or its files/ folder); empty when not given.
  BlobStore(std::filesystem::path storage, std::filesystem::path data_dir)
      : storage_(std::move(storage)), blobs_(blobs::BlobStore::dir_in(data_dir)) {}

  // Copies the file of Active Storage key `key` and returns its content hash and size; nullopt
  // with `why` set when there is no file to copy. Errors only for failures writing our side.
  Result<std::optional<Blob>> copy(const std::string& key, std::string* why);

 private:
  std::filesystem::path storage_;
  blobs::BlobStore blobs_;
};

}  // namespace hearth::migrate
