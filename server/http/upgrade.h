#pragma once
// A connection handed over by the HTTP layer to a WebSocket route (server/realtime/). Internal to
// server/: it holds Asio and Beast types, so only session.cc and the realtime connection include it.
#include <boost/beast/core/tcp_stream.hpp>

#include <string>

#include "server/http/types.h"

namespace hearth::server::http {

struct Upgrade {
  boost::beast::tcp_stream stream;  // bound to the connection's strand
  Request request;                  // the upgrade request (the WebSocket handshake answers it)
  std::string client_address;       // after trusted X-Forwarded-For
  bool secure = false;
};

}  // namespace hearth::server::http
