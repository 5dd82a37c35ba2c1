#pragma once
// Bytes and bodies for the file tests: a real (tiny) PNG, and multipart bodies built as a browser
// or curl builds them.
#include <string>
#include <string_view>

namespace hearth::testing {

// A 2×1 RGB PNG (one red pixel, one blue).
inline std::string tiny_png() {
  static constexpr unsigned char kBytes[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
      0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7b, 0x40, 0xe8, 0xdd, 0x00, 0x00, 0x00,
      0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0x00, 0x04, 0xff, 0x01, 0x07, 0x00, 0x01, 0xff,
      0xe2, 0x23, 0x9e, 0x59, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kBytes), sizeof kBytes);
}

inline constexpr std::string_view kBoundary = "----HearthTestBoundary7MA4YWxk";

inline std::string multipart_type() { return "multipart/form-data; boundary=" + std::string(kBoundary); }

// One text field part.
inline std::string form_field(std::string_view name, std::string_view value) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"\r\n\r\n" + std::string(value) + "\r\n";
}

// One file part.
inline std::string form_file(std::string_view name, std::string_view filename, std::string_view type,
                             std::string_view bytes) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"; filename=\"" + std::string(filename) + "\"\r\nContent-Type: " + std::string(type) + "\r\n\r\n" +
         std::string(bytes) + "\r\n";
}

inline std::string form_end() { return "--" + std::string(kBoundary) + "--\r\n"; }

}  // namespace hearth::testing
