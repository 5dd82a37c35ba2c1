#pragma once
// Rails stores datetimes as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]" (CAMPFIRE.md 1.1); events
// carry microseconds since the Unix epoch.
#include <cstdint>
#include <optional>
#include <string_view>

namespace hearth::migrate {

// nullopt when the text is not in that form (the caller reports the row).
std::optional<int64_t> parse_rails_time(std::string_view text);

}  // namespace hearth::migrate
