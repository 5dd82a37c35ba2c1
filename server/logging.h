#pragma once
// Process-wide logging through spdlog: plain text for people, or JSON lines (one object per line:
// time in UTC, level, message) for log collectors. Call once, before threads start logging.
namespace hearth::server {

void setup_logging(bool json);

}  // namespace hearth::server
