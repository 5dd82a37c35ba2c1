#pragma once
// A blocking HTTP client for server tests: one request per fresh connection, with deadlines, and
// the session helpers (cookie + CSRF token) the JSON API hands out.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/http/types.h"

namespace hearth::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* kOrigin = "http://127.0.0.1";
inline constexpr const char* kPassword = "correct horse battery";

// The server's answer. When no answer comes (the connection, the write or the read fails) the
// Response has status 0 and the reason as its body, and the test fails there (ADD_FAILURE naming
// the request): a test that checks for 200 must not pass against a server that is not answering.
server::http::Response call(uint16_t port, server::http::Verb verb, const std::string& target, const std::string& body = "",
                    const Headers& headers = {{"Origin", kOrigin}});

// The same where no answer is a legitimate outcome (waiting for a server to come up, a request
// racing a shutdown): status 0 and the reason, without failing the test.
server::http::Response try_call(uint16_t port, server::http::Verb verb, const std::string& target,
                                const std::string& body = "", const Headers& headers = {{"Origin", kOrigin}});

// The same as call() over TLS, trusting only `trusted_pem` (the server's certificate, tests/server/
// test_certificate.h) and checking that it names 127.0.0.1; a failed handshake is no answer too.
server::http::Response call_tls(uint16_t port, const std::string& trusted_pem, server::http::Verb verb,
                                const std::string& target, const std::string& body = "", const Headers& headers = {});

std::string error_code_of(const server::http::Response& res);
boost::json::value body_of(const server::http::Response& res);

struct Session {
  std::string cookie;  // "session_token=..."
  std::string csrf;
  Headers headers(bool with_csrf = true) const;
};
std::optional<Session> session_from(const server::http::Response& res);

// {"name","email","password"} as JSON.
std::string person(const std::string& name, const std::string& email, const std::string& password = kPassword);

}  // namespace hearth::testing
