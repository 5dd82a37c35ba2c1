#pragma once
// Field checks shared by the decide_*.cc files.
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/base/text.h"
#include "core/commands/commands.h"

namespace hearth::checks {

// Valid UTF-8 within `max_bytes`; when `required`, not blank.
inline Status text(std::string_view field, std::string_view v, size_t max_bytes, bool required) {
  if (required && is_blank(v)) return invalid(std::string(field) + " can't be blank");
  if (v.size() > max_bytes) {
    return invalid(std::string(field) + " is too long (at most " + std::to_string(max_bytes) + " bytes)");
  }
  if (!valid_utf8(v)) return invalid(std::string(field) + " is not valid UTF-8");
  return ok_status();
}

// Campfire does not validate email addresses beyond presence; Hearth asks for one '@' with text
// on both sides, so a sign-in name is at least shaped like an address.
inline Status email(std::string_view v) {
  HEARTH_TRY(text("email", v, 255, true));
  auto at = v.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == v.size() || v.find('@', at + 1) != std::string_view::npos ||
      v.find_first_of(" \t\r\n") != std::string_view::npos) {
    return invalid("email is not an address");
  }
  return ok_status();
}

inline constexpr uint32_t kMaxImageSide = 100'000;

// A content-addressed file reference: SHA-256 hex, a type and a name.
inline Status blob(const std::optional<Blob>& b) {
  if (!b) return ok_status();
  if (b->content_hash.size() != 64 || b->content_hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return invalid("file hash must be 64 lower-case hex digits");
  }
  HEARTH_TRY(text("file type", b->content_type, 255, false));
  HEARTH_TRY(text("file name", b->filename, 255, true));
  if (b->width > kMaxImageSide || b->height > kMaxImageSide) return invalid("image is too large");
  return ok_status();
}

}  // namespace hearth::checks
