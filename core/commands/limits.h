#pragma once
// Bounds on what a command may carry. Campfire enforces most of these only in its HTML forms;
// Hearth enforces them where every client (browser, bot, import) passes: the sequencer.
#include <cstddef>

namespace hearth::limits {

inline constexpr size_t kNameBytes = 255;            // account, user, room names
inline constexpr size_t kEmailBytes = 255;
inline constexpr size_t kBioChars = 200;             // Campfire's form cap
inline constexpr size_t kBoostChars = 16;            // Campfire's form cap
inline constexpr size_t kBodyBytes = 256 * 1024;     // sanitized HTML of one message
inline constexpr size_t kCssBytes = 64 * 1024;
inline constexpr size_t kUrlBytes = 2048;
inline constexpr size_t kQueryBytes = 1024;
inline constexpr size_t kCommandIdBytes = 128;
inline constexpr size_t kUserAgentBytes = 512;
inline constexpr size_t kRecentSearches = 10;        // kept per user (the projection trims)

}  // namespace hearth::limits
