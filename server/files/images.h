#pragma once
// The only image decoding Hearth does, through libvips, for four formats: PNG, JPEG, GIF, WebP.
//
// The format is decided from the file's first bytes (its magic number) here, and only the loader
// of that one format is then called by name (vips_pngload, ...). libvips' generic loader, which
// picks among dozens of formats (SVG, PDF, and others that run external tools), is never used,
// and its untrusted loaders are blocked at start-up besides (CAMPFIRE.md 1.6; Synapse
// CVE-2024-53863 is what happens otherwise). An image larger than kMaxPixels is not decoded.
//
// Thread safety: every function may be called from any thread.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace hearth::server::files {

enum class ImageKind { kPng, kJpeg, kGif, kWebp };

inline constexpr uint32_t kThumbnailWidth = 1200, kThumbnailHeight = 800;  // Campfire's `thumb`

inline constexpr uint64_t kMaxPixels = 50'000'000;  // a decompression bomb stops here

// The format whose magic number `head` (the first 12 bytes or more) starts with; nullopt for
// anything else (SVG included: it is text, and never an image here).
std::optional<ImageKind> sniff_image(std::string_view head);
std::string_view image_mime(ImageKind kind);

struct ImageSize {
  uint32_t width = 0, height = 0;
};

// Reads the header only. An error when the file is not a decodable `kind` or is too large.
Result<ImageSize> probe_image(const std::filesystem::path& file, ImageKind kind);

// The size of a thumbnail fitting `size` into max_width × max_height, never enlarged.
ImageSize fit_within(ImageSize size, uint32_t max_width, uint32_t max_height);

// A WebP of the image resized to exactly `to` (first frame of an animation).
Result<std::string> resize_to_webp(const std::filesystem::path& file, ImageKind kind, ImageSize to);

// A square PNG of side `side`: the image scaled to cover it, centred and cropped (avatars, logos).
Result<std::string> square_png(const std::filesystem::path& file, ImageKind kind, uint32_t side);

}  // namespace hearth::server::files
