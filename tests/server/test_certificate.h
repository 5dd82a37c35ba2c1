#pragma once
// A throwaway self-signed certificate for 127.0.0.1, made at run time with OpenSSL's C API (no key
// is committed to the repository). For TLS tests only.
#include <string>

namespace hearth::testing {

struct TestCertificate {
  std::string cert_file;  // PEM, the certificate (its own issuer)
  std::string key_file;   // PEM, its P-256 private key
  std::string cert_pem;   // the certificate's text, for a client to trust
};

// Writes `dir`/cert.pem and `dir`/key.pem. Aborts the test (gtest FAIL) on an OpenSSL error.
TestCertificate make_test_certificate(const std::string& dir);

}  // namespace hearth::testing
