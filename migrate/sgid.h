#pragma once
// Decoding the user id out of an ActionText mention's signed GlobalID (CAMPFIRE.md 1.5).
//
// An sgid is base64(JSON) "--" HMAC. The JSON is either the Rails >= 7.1 form
//   {"_rails":{"data":"gid://campfire/User/7","pur":"attachable"}}
// or the older one whose "message" is base64(Marshal.dump("gid://campfire/User/7")).
// Like Campfire itself (lib/rails_ext/action_text_attachables.rb) the MAC is NOT checked: mentions
// signed before a secret rotation must still resolve. Nothing here trusts the id beyond "a user
// id was named": the importer keeps it only if that user is imported.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::migrate {

// The user id a mention's sgid names, or nullopt when it names no User (or is malformed).
std::optional<int64_t> user_id_from_sgid(std::string_view sgid);

// Base64 with either alphabet (standard or URL-safe), padding optional; nullopt on other bytes.
std::optional<std::string> decode_base64_any(std::string_view in);

}  // namespace hearth::migrate
