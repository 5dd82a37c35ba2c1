#pragma once
// A request body that is not kept in memory: a route added with Router::add_streamed names a
// factory that sees the request's headers and may return a StreamedBody; the session then hands it
// the body's bytes as they arrive (on the connection's strand, in order) instead of reading them
// into a string, and the handler finds it in RequestContext::streamed_body. A factory returning
// nullptr leaves the body read as usual (a bot posts a raw text body to the same route as a file).
//
// Errors in the body's content (a malformed multipart body, a file past its limit) are the body's
// to record and the handler's to answer; the session only enforces limit() (413, as for any body).
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "server/http/types.h"

namespace hearth::server::http {

class StreamedBody {
 public:
  virtual ~StreamedBody() = default;
  virtual uint64_t limit() const = 0;               // body bytes accepted; more gets 413
  virtual void write(std::string_view bytes) = 0;   // the next bytes of the body
  virtual void finish() = 0;                        // the body is complete
};

using StreamedBodyFactory = std::function<std::shared_ptr<StreamedBody>(const Request& headers)>;

}  // namespace hearth::server::http
