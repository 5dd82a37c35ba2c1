#pragma once
// A link preview's image made safe to show: the remote bytes are accepted only when they are a
// PNG, JPEG, GIF or WebP by their magic number (server/files/images.h; SVG and HTML never are),
// decoded by that one format's libvips loader, and re-encoded as a WebP of at most
// kPreviewImageSide pixels a side (first frame of an animation). The browser only ever decodes
// what the server encoded.
//
// CPU-heavy: call it from a pool thread, never an IO thread. Thread safety: any thread.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace hearth::server::previews {

inline constexpr uint32_t kPreviewImageSide = 600;

// The thumbnail's WebP bytes, or kInvalid when `bytes` is not one of the four formats or cannot be
// decoded (too many pixels included).
Result<std::string> preview_thumbnail(std::string_view bytes);

}  // namespace hearth::server::previews
