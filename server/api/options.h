#pragma once
// The API's tunables (Api::Options), kept apart so server/api.h stays light.
#include <cstddef>
#include <cstdint>

#include "server/outgoing/address_guard.h"

namespace hearth::server::api {

struct ApiOptions {
  size_t password_threads = 0;  // 0: cores
  // Image work (decoding, thumbnails, avatars: libvips) has a pool of its own, so that uploads and
  // sign-ins never wait behind each other; past `image_queue` waiting uploads, 503 busy.
  size_t image_threads = 0;  // 0: cores
  size_t image_queue = 64;
  size_t sign_in_limit = 10;    // per client address per window
  int64_t sign_in_window_us = 180'000'000;
  // Files (server/files/): the largest upload (413 past it), and how often files nothing refers
  // to any more are deleted (server/files/blob_reaper.h).
  uint64_t max_upload_bytes = uint64_t{100} << 20;
  int64_t blob_sweep_ms = 60'000;
  // Which addresses the server's requests to user-chosen URLs may reach (push endpoints checked at
  // subscription time, link previews); tests give it their resolver and allowance.
  outgoing::AddressGuard outgoing_guard;
};

}  // namespace hearth::server::api
