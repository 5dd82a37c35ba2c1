#pragma once
// "Store this file and give me its Blob" — the one way a file enters the store from the server:
// an upload from the browser or the bot API (store_upload, after FormUpload, form_upload.h), or
// bytes the server has in hand such as a webhook's reply (store_bytes). Then post it with
// server::post_message(..., attachment) or ChangeAvatar/ChangeAccountLogo.
//
// What it decides: the content type is trusted only for what the bytes are. A file whose first
// bytes are PNG, JPEG, GIF or WebP, and that the loader of that format reads, is that image type,
// gets its width and height recorded and a thumbnail variant (thumbnail_variant(), a WebP fitting
// kThumbnailWidth × kThumbnailHeight) written next to it. Anything else is a plain file: a name
// ending in .png does not make it an image, and a type claiming image/png without the bytes is
// replaced by application/octet-stream. Other types are kept as sent when well-formed (they are
// only ever served as downloads). File names lose any path and control characters.
#include <optional>
#include <string>
#include <string_view>

#include "core/blobs/blob_store.h"
#include "core/commands/commands.h"
#include "server/files/images.h"

namespace hearth::server::files {

inline constexpr std::string_view kThumbnailVariant = "thumb.webp";

Result<Blob> store_upload(const blobs::BlobStore& store, blobs::BlobStore::Writer writer, std::string_view filename,
                          std::string_view content_type);
Result<Blob> store_bytes(const blobs::BlobStore& store, std::string_view bytes, std::string_view filename,
                         std::string_view content_type, uint64_t max_bytes);

// The image kind of a stored blob whose type says it is one of the four (nullopt otherwise).
std::optional<ImageKind> blob_image_kind(const Blob& blob);

// The last path segment of `name`, without control characters, at most 255 bytes of whole UTF-8
// characters; "file" when nothing is left.
std::string clean_filename(std::string_view name);

}  // namespace hearth::server::files
