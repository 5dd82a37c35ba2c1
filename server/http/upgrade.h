#pragma once
// A connection handed over by the HTTP layer to a WebSocket route (server/realtime/). Internal to
// server/: it holds Asio and Beast types (and Asio's SSL, hence OpenSSL's headers), so only
// session.cc and the realtime connection include it.
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <string>
#include <variant>

#include "server/http/types.h"

namespace hearth::server::http {

// Plain TCP, or TLS over TCP once the server's handshake is done (tls_cert / tls_key set).
using UpgradeStream = std::variant<boost::beast::tcp_stream, boost::beast::ssl_stream<boost::beast::tcp_stream>>;

struct Upgrade {
  UpgradeStream stream;         // bound to the connection's strand
  Request request;              // the upgrade request (the WebSocket handshake answers it)
  std::string client_address;   // after trusted X-Forwarded-For
  bool secure = false;
};

}  // namespace hearth::server::http
