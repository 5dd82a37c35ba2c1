#pragma once
// The join link's QR code as SVG (CAMPFIRE.md 2.2), drawn from libqrencode's module matrix. The
// SVG is one <path> of dark modules on a white square with the standard 4-module quiet zone; it
// carries no script, style, text or external reference, so it is safe to serve as an image.
#include <optional>
#include <string>
#include <string_view>

namespace hearth::server::account {

// The longest text a QR code is drawn for. A join URL is about 60 bytes; the bound keeps a public,
// year-cached route cheap (version 40 at level M holds 2,331 bytes, more than this).
inline constexpr size_t kMaxQrTextBytes = 1024;

// The SVG of `text` encoded in 8-bit mode at error correction level M, or nullopt when it is empty,
// longer than kMaxQrTextBytes, or libqrencode fails.
std::optional<std::string> qr_svg(std::string_view text);

}  // namespace hearth::server::account
