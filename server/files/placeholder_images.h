#pragma once
// The pictures shown when none was uploaded (CAMPFIRE.md 2.17, 2.18): a person's initials on one
// of 18 colours, chosen by CRC32 of the user id modulo 18 (so it never changes); a robot for bots;
// the stock logo. SVG made here from escaped text, never from an upload.
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::server::files {

// The first letter of each of the first two words, upper-cased when ASCII; "?" when none.
std::string initials_of(std::string_view name);
// CRC-32 (IEEE, as zlib's crc32) of the decimal user id, modulo 18.
int avatar_colour_index(int64_t user_id);
std::string initials_svg(int64_t user_id, std::string_view name);
std::string bot_svg();
std::string stock_logo_svg();

}  // namespace hearth::server::files
