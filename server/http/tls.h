#pragma once
// The TLS side of `hearth serve` when tls_cert and tls_key are set: one server context, loaded at
// start-up, shared by every connection (server/http/session.h). Only TLS 1.2 and later.
// No Asio SSL header here (it pulls in OpenSSL's): callers that use the context include
// <boost/asio/ssl/context.hpp> themselves.
#include <memory>
#include <string>

#include "core/base/result.h"

namespace boost::asio::ssl {
class context;
}

namespace hearth::server::http {

// The certificate chain (PEM, leaf first) and its private key (PEM). Errors name the file and
// say what is wrong with it: unreadable, not a certificate or key, or a key that is not the cert's.
Result<std::shared_ptr<boost::asio::ssl::context>> load_tls_context(const std::string& cert_file,
                                                                    const std::string& key_file);

}  // namespace hearth::server::http
