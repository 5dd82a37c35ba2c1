#pragma once
// Field checks shared by the decide_*.cc files.
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/base/text.h"

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

}  // namespace hearth::checks
