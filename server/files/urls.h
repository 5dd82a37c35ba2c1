#pragma once
// Where the files of messages, people and the account are served (docs/api.md "Files"). Every
// place that shows a file builds its URL here: message pages, the socket's events, bootstrap.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/files/images.h"

namespace hearth::server::files {

// A message's file and its thumbnail: members of its room only, and only while it exists.
inline std::string attachment_url(int64_t message_id) {
  return "/api/messages/" + std::to_string(message_id) + "/attachment";
}
inline std::string thumbnail_url(int64_t message_id) { return attachment_url(message_id) + "/thumbnail"; }

// A person's avatar; `avatar_hash` empty when they have none (the initials are served). The
// ?v= changes with the picture, so a browser may cache each URL for long.
inline std::string avatar_url(int64_t user_id, std::string_view avatar_hash) {
  return "/api/users/" + std::to_string(user_id) + "/avatar?v=" +
         (avatar_hash.empty() ? std::string("0") : std::string(avatar_hash.substr(0, 12)));
}

// The account's logo (public), 512 px or `small` (192 px).
inline std::string logo_url(std::string_view logo_hash, bool small = false) {
  return std::string("/account/logo?v=") + (logo_hash.empty() ? std::string("0") : std::string(logo_hash.substr(0, 12))) +
         (small ? "&size=small" : "");
}


// What a message's file shows besides its name, type and size (docs/api.md "Files"): the same in
// message pages and in the socket's events.
struct AttachmentLinks {
  std::string url;
  bool image = false;  // one of the four decoded types: shown inline, with a thumbnail
  std::string thumbnail_url;
  uint32_t thumbnail_width = 0, thumbnail_height = 0;
};
inline AttachmentLinks attachment_links(int64_t message_id, std::string_view content_type, uint32_t width,
                                        uint32_t height) {
  AttachmentLinks out;
  out.url = attachment_url(message_id);
  out.image = width > 0 && height > 0 &&
              (content_type == "image/png" || content_type == "image/jpeg" || content_type == "image/gif" ||
               content_type == "image/webp");
  if (out.image) {
    out.thumbnail_url = thumbnail_url(message_id);
    auto t = fit_within(ImageSize{width, height}, kThumbnailWidth, kThumbnailHeight);
    out.thumbnail_width = t.width;
    out.thumbnail_height = t.height;
  }
  return out;
}

}  // namespace hearth::server::files
