#pragma once
// multipart/form-data (RFC 7578 over RFC 2046), parsed as it streams in, strict and bounded.
//
// The grammar accepted (anything else is refused with kInvalid, and nothing after the error is read):
//
//   body      = "--" boundary CRLF part *( CRLF "--" boundary CRLF part ) CRLF "--" boundary "--" epilogue
//   part      = *( header CRLF ) CRLF data
//   header    = name ":" *SP value          ; at most kMaxHeaderBytes for a part's whole header block
//   data      = any bytes not containing CRLF "--" boundary
//   epilogue  = anything (ignored)
//
// Every part needs `Content-Disposition: form-data; name="..."` (optionally `filename="..."`); a
// Content-Type header is kept as given. No preamble, no transport padding after a boundary, no
// nested multipart, no Content-Transfer-Encoding: browsers and curl send none of them. Quoted
// parameter values take `\"` and `\\` as escapes (curl writes them) and keep any other backslash
// (browsers write a Windows path's backslashes as they are).
//
// Memory is bounded whatever the input: a part's data is handed on as it arrives (keeping back at
// most the delimiter's length, in case it straddles two chunks), headers are bounded per part and
// so is the number of parts. No Beast or Asio here: the parser is fuzzed alone (fuzz/multipart_fuzz.cc).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace hearth::server::http {

// The boundary parameter of a `multipart/form-data; boundary=...` Content-Type; nullopt when the
// type is another or the boundary is missing or not 1-70 characters of RFC 2046's alphabet.
std::optional<std::string> multipart_boundary(std::string_view content_type);

struct PartHeaders {
  std::string name;                     // the form field
  std::optional<std::string> filename;  // set for a file part (possibly empty: no file chosen)
  std::string content_type;             // as sent; empty when absent
};

class MultipartParser {
 public:
  static constexpr size_t kMaxHeaderBytes = 4096;
  static constexpr size_t kMaxParts = 16;

  // What a caller does with the parts. Returning an error stops the parse with that error.
  class Sink {
   public:
    virtual ~Sink() = default;
    virtual hearth::Status begin_part(const PartHeaders& headers) = 0;
    virtual hearth::Status part_data(std::string_view bytes) = 0;
    virtual hearth::Status end_part() = 0;
  };

  MultipartParser(std::string boundary, Sink& sink);

  // Feeds the next bytes of the body. After an error every call returns it again.
  hearth::Status feed(std::string_view bytes);
  // The body has ended: an error unless the closing delimiter was seen.
  hearth::Status finish();
  bool done() const { return state_ == State::kEpilogue; }

 private:
  enum class State { kFirstBoundary, kAfterBoundary, kHeaders, kData, kEpilogue, kFailed };
  hearth::Status step(bool& progressed);
  hearth::Status fail(std::string why);
  hearth::Status parse_headers(std::string_view block);

  std::string delimiter_;  // CRLF "--" boundary
  Sink& sink_;
  State state_ = State::kFirstBoundary;
  std::string buf_;  // bytes not yet consumed (bounded: see the header comment)
  size_t parts_ = 0;
  std::string error_;
};

}  // namespace hearth::server::http
