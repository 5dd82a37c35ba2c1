#include "server/http/tls.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace hearth::server::http {

namespace ssl = boost::asio::ssl;

namespace {
// OpenSSL's own messages for a missing file are cryptic ("system lib"); say it plainly first.
Status readable(const std::string& key, const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kIo, key + " " + path + ": cannot read: " + std::strerror(errno)};
  return ok_status();
}
}  // namespace

Result<std::shared_ptr<ssl::context>> load_tls_context(const std::string& cert_file, const std::string& key_file) {
  HEARTH_TRY(readable("tls_cert", cert_file));
  HEARTH_TRY(readable("tls_key", key_file));
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1) {
    return invalid("TLS: cannot require TLS 1.2 or later");
  }
  context->set_options(ssl::context::default_workarounds | ssl::context::single_dh_use);
  boost::system::error_code ec;
  if (context->use_certificate_chain_file(cert_file, ec); ec) {
    return invalid("tls_cert " + cert_file + ": not a PEM certificate chain: " + ec.message());
  }
  if (context->use_private_key_file(key_file, ssl::context::pem, ec); ec) {
    return invalid("tls_key " + key_file + ": not the PEM private key of tls_cert " + cert_file + ": " + ec.message());
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return invalid("tls_key " + key_file + ": does not match the certificate in tls_cert " + cert_file);
  }
  return context;
}

}  // namespace hearth::server::http
