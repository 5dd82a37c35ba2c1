#pragma once
// The API's tunables (Api::Options), kept apart so server/api.h stays light.
#include <cstddef>
#include <cstdint>

namespace hearth::server::api {

struct ApiOptions {
  size_t password_threads = 0;  // 0: cores
  size_t sign_in_limit = 10;    // per client address per window
  int64_t sign_in_window_us = 180'000'000;
};

}  // namespace hearth::server::api
