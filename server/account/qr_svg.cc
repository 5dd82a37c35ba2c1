#include "server/account/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace hearth::server::account {

std::optional<std::string> qr_svg(std::string_view text) {
  if (text.empty() || text.size() > kMaxQrTextBytes) return std::nullopt;
  // Version 0: the smallest that holds the text. libqrencode is thread-safe as Debian builds it
  // (with pthreads); QRcode_encodeData takes bytes, NULs included.
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
                        QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) return std::nullopt;
  constexpr int kQuiet = 4;
  const int width = code->width, size = width + 2 * kQuiet;
  std::string dims = std::to_string(size);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + dims + " " + dims +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"" + dims + "\" height=\"" + dims +
                    "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One rectangle per horizontal run of dark modules (bit 0 of each byte is "dark").
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = code->data + static_cast<size_t>(y) * static_cast<size_t>(width);
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {
        ++x;
        continue;
      }
      int start = x;
      while (x < width && (row[x] & 1) != 0) ++x;
      svg += "M" + std::to_string(start + kQuiet) + " " + std::to_string(y + kQuiet) + "h" +
             std::to_string(x - start) + "v1h-" + std::to_string(x - start) + "z";
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace hearth::server::account
