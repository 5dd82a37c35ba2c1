#pragma once
// Which bytes of a file a `Range` request header asks for (RFC 9110 14.2), for a file of `size`
// bytes. Browsers ask for ranges to seek in audio and video attachments.
//
// One range only: `bytes=a-b` (b past the end means the end), `bytes=a-`, or the last n bytes
// `bytes=-n`. Several ranges are answered with the whole file (a multipart/byteranges body buys a
// browser nothing), as are another unit and a malformed header (which RFC 9110 lets a server
// ignore). A range that starts at or past the end, or `bytes=-0`, is unsatisfiable (416).
#include <cstdint>
#include <string_view>

namespace hearth::server::files {

struct ByteRange {
  enum class Kind { kWhole, kPart, kUnsatisfiable } kind = Kind::kWhole;
  uint64_t first = 0;   // kPart: the first byte
  uint64_t length = 0;  // kPart: how many (at least 1)
};

// `header` is the Range header's value ("" when there is none).
ByteRange byte_range(std::string_view header, uint64_t size);

}  // namespace hearth::server::files
