#pragma once
// `hearth serve`: open the data directory, serve until SIGTERM/SIGINT, shut down in order.
// No Beast or Asio here (cli/main.cc includes this).
#include "server/config.h"

namespace hearth::server {

// Returns the process exit code: 0 after a clean shutdown; 2 when the data directory or the
// listener cannot be opened.
int run_serve(const Config& config);

}  // namespace hearth::server
