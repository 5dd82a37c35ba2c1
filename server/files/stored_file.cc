#include "server/files/stored_file.h"

#include <fstream>

namespace hearth::server::files {
namespace {

// `type/subtype` of tchars, lower-cased, parameters dropped; empty when malformed.
std::string clean_type(std::string_view t) {
  t = t.substr(0, t.find(';'));
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  if (t.empty() || t.size() > 100) return "";
  std::string out;
  size_t slashes = 0;
  for (char c : t) {
    if (c == '/') {
      ++slashes;
    } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 std::string_view("!#$&-^_.+").find(c) != std::string_view::npos)) {
      return "";
    }
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (slashes != 1 || out.front() == '/' || out.back() == '/') return "";
  return out;
}

std::string head_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

Result<Blob> describe(const blobs::BlobStore& store, blobs::Stored stored, std::string_view filename,
                      std::string_view content_type) {
  Blob blob;
  blob.content_hash = std::move(stored.content_hash);
  blob.byte_size = stored.byte_size;
  blob.filename = clean_filename(filename);
  auto path = store.find(blob.content_hash);
  if (!path) return Error{ErrorCode::kIo, "the stored file " + blob.content_hash + " is missing"};
  if (auto kind = sniff_image(head_of(*path))) {
    auto size = probe_image(*path, *kind);
    if (size.ok()) {
      auto thumb = resize_to_webp(*path, *kind, fit_within(*size, kThumbnailWidth, kThumbnailHeight));
      if (thumb.ok()) {
        HEARTH_TRY(store.put_variant(blob.content_hash, kThumbnailVariant, *thumb));
        blob.content_type = image_mime(*kind);
        blob.width = size->width;
        blob.height = size->height;
        return blob;
      }
    }
  }
  // Not one of the four images (or not a readable one): a plain file, whatever it claims.
  std::string type = clean_type(content_type);
  bool claims_image = type == "image/png" || type == "image/jpeg" || type == "image/gif" || type == "image/webp";
  blob.content_type = type.empty() || claims_image ? "application/octet-stream" : type;
  return blob;
}

}  // namespace

std::string clean_filename(std::string_view name) {
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) continue;
    out.push_back(c);
  }
  if (out.size() > 255) {
    size_t cut = 255;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // keep whole characters
    out.resize(cut);
  }
  if (out.empty() || out == "." || out == "..") return "file";
  return out;
}

std::optional<ImageKind> blob_image_kind(const Blob& blob) {
  if (blob.width == 0 || blob.height == 0) return std::nullopt;
  for (ImageKind k : {ImageKind::kPng, ImageKind::kJpeg, ImageKind::kGif, ImageKind::kWebp}) {
    if (blob.content_type == image_mime(k)) return k;
  }
  return std::nullopt;
}

Result<Blob> store_upload(const blobs::BlobStore& store, blobs::BlobStore::Writer writer, std::string_view filename,
                          std::string_view content_type) {
  auto stored = writer.finish();
  if (!stored.ok()) return stored.take_error();
  return describe(store, std::move(*stored), filename, content_type);
}

Result<Blob> store_bytes(const blobs::BlobStore& store, std::string_view bytes, std::string_view filename,
                         std::string_view content_type, uint64_t max_bytes) {
  auto stored = store.put(bytes, max_bytes);
  if (!stored.ok()) return stored.take_error();
  return describe(store, std::move(*stored), filename, content_type);
}

}  // namespace hearth::server::files
