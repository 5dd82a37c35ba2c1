#pragma once
// A multipart/form-data request body streamed as it arrives (http/streamed_body.h): its small
// fields are kept in memory, its one file goes straight into the blob store's incoming/ folder
// (core/blobs/blob_store.h), hashed on the way. Nothing is stored until the handler, having
// checked who is asking, calls store_upload (stored_file.h) with take_file(); a FormUpload
// dropped before that deletes its file.
//
// Bounds: the file ≤ max_file_bytes (past it: kTooLarge, the rest of the body is discarded, 413);
// the fields together ≤ kMaxFieldBytes; one file part; the parser's own bounds (multipart.h).
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/blobs/blob_store.h"
#include "server/http/multipart.h"
#include "server/http/streamed_body.h"

namespace hearth::server::files {

class FormUpload final : public http::StreamedBody, private http::MultipartParser::Sink {
 public:
  static constexpr size_t kMaxFieldBytes = 64 * 1024;

  FormUpload(const blobs::BlobStore& store, std::string boundary, uint64_t max_file_bytes);

  uint64_t limit() const override { return max_file_bytes_ + kMaxFieldBytes + 16 * 1024; }
  void write(std::string_view bytes) override;
  void finish() override;

  enum class Outcome { kOk, kTooLarge, kMalformed, kIo };
  Outcome outcome() const { return outcome_; }
  const std::string& error() const { return error_; }
  // The response for a failed outcome: 413 payload_too_large, 400 bad_request, 500 internal.
  http::Response error_response(unsigned version) const;

  // The last value of field `name` (a text part), if sent.
  std::optional<std::string> field(std::string_view name) const;
  struct File {
    std::string field, filename, content_type;
    blobs::BlobStore::Writer writer;
  };
  // The file part, once (nullopt when none was sent, or a browser sent its empty "no file" part).
  std::optional<File> take_file();

 private:
  hearth::Status begin_part(const http::PartHeaders& headers) override;
  hearth::Status part_data(std::string_view bytes) override;
  hearth::Status end_part() override;
  void set_failure(Outcome outcome, std::string why);

  const blobs::BlobStore& store_;
  uint64_t max_file_bytes_;
  http::MultipartParser parser_;
  Outcome outcome_ = Outcome::kOk;
  std::string error_;
  std::vector<std::pair<std::string, std::string>> fields_;
  size_t field_bytes_ = 0;
  bool in_file_ = false;
  std::optional<File> file_;
};

// For add_streamed: a FormUpload for a multipart/form-data request, nullptr (the body is read into
// memory as usual) for any other type. `store` must outlive the server.
http::StreamedBodyFactory form_upload_factory(const blobs::BlobStore& store, uint64_t max_file_bytes);

// The same parse over a body already in memory. nullptr when `content_type` is not multipart.
std::shared_ptr<FormUpload> parse_form(const blobs::BlobStore& store, std::string_view content_type,
                                       std::string_view body, uint64_t max_file_bytes);

}  // namespace hearth::server::files
