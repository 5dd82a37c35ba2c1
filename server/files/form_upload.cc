#include "server/files/form_upload.h"

#include <boost/beast/http/field.hpp>

namespace hearth::server::files {

FormUpload::FormUpload(const blobs::BlobStore& store, std::string boundary, uint64_t max_file_bytes)
    : store_(store), max_file_bytes_(max_file_bytes), parser_(std::move(boundary), *this) {}

void FormUpload::set_failure(Outcome outcome, std::string why) {
  if (outcome_ != Outcome::kOk) return;  // the first failure is the one to report
  outcome_ = outcome;
  error_ = std::move(why);
  file_.reset();  // deletes whatever was written of the file
}

void FormUpload::write(std::string_view bytes) {
  if (outcome_ != Outcome::kOk) return;  // the rest of a refused body is read and dropped
  auto st = parser_.feed(bytes);
  if (!st.ok()) set_failure(Outcome::kMalformed, st.error().message);
}

void FormUpload::finish() {
  if (outcome_ != Outcome::kOk) return;
  auto st = parser_.finish();
  if (!st.ok()) set_failure(Outcome::kMalformed, st.error().message);
}

hearth::Status FormUpload::begin_part(const http::PartHeaders& h) {
  in_file_ = h.filename.has_value();
  if (!in_file_) {
    fields_.emplace_back(h.name, "");
    return ok_status();
  }
  if (file_) {
    set_failure(Outcome::kMalformed, "only one file may be sent");
    return invalid(error_);
  }
  auto writer = store_.begin(max_file_bytes_);
  if (!writer.ok()) {
    set_failure(Outcome::kIo, writer.error().message);
    return writer.take_error();
  }
  file_.emplace(File{h.name, *h.filename, h.content_type, std::move(*writer)});
  return ok_status();
}

hearth::Status FormUpload::part_data(std::string_view bytes) {
  if (!in_file_) {
    field_bytes_ += bytes.size();
    if (field_bytes_ > kMaxFieldBytes) {
      set_failure(Outcome::kTooLarge, "the form's fields are larger than " + std::to_string(kMaxFieldBytes) + " bytes");
      return invalid(error_);
    }
    fields_.back().second.append(bytes);
    return ok_status();
  }
  auto st = file_->writer.write(bytes);
  if (!st.ok()) {
    set_failure(file_->writer.too_large() ? Outcome::kTooLarge : Outcome::kIo, st.error().message);
    return st;
  }
  return ok_status();
}

hearth::Status FormUpload::end_part() {
  // A browser sends a file input left empty as a part with an empty file name and no bytes.
  if (in_file_ && file_ && file_->filename.empty() && file_->writer.size() == 0) file_.reset();
  in_file_ = false;
  return ok_status();
}

http::Response FormUpload::error_response(unsigned version) const {
  switch (outcome_) {
    case Outcome::kTooLarge: return http::error_response(http::Status::payload_too_large, "payload_too_large", error_, version);
    case Outcome::kMalformed: return http::error_response(http::Status::bad_request, "bad_request", error_, version);
    case Outcome::kIo:
    case Outcome::kOk: break;
  }
  return http::error_response(http::Status::internal_server_error, "internal", "The file could not be stored", version);
}

std::optional<std::string> FormUpload::field(std::string_view name) const {
  for (auto it = fields_.rbegin(); it != fields_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

std::optional<FormUpload::File> FormUpload::take_file() {
  if (outcome_ != Outcome::kOk) return std::nullopt;
  return std::exchange(file_, std::nullopt);
}

http::StreamedBodyFactory form_upload_factory(const blobs::BlobStore& store, uint64_t max_file_bytes) {
  return [&store, max_file_bytes](const http::Request& headers) -> std::shared_ptr<http::StreamedBody> {
    auto boundary = http::multipart_boundary(headers[boost::beast::http::field::content_type]);
    if (!boundary) return nullptr;
    return std::make_shared<FormUpload>(store, std::move(*boundary), max_file_bytes);
  };
}

std::shared_ptr<FormUpload> parse_form(const blobs::BlobStore& store, std::string_view content_type,
                                       std::string_view body, uint64_t max_file_bytes) {
  auto boundary = http::multipart_boundary(content_type);
  if (!boundary) return nullptr;
  auto form = std::make_shared<FormUpload>(store, std::move(*boundary), max_file_bytes);
  form->write(body);
  form->finish();
  return form;
}

}  // namespace hearth::server::files
