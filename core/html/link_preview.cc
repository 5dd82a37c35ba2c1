#include "core/html/link_preview.h"

#include <cstring>

#include "core/html/sanitizer.h"

namespace hearth::html {

bool is_link_preview(const GumboNode* node) {
  if (!is_element(node) || tag_name(node) != "action-text-attachment") return false;
  const char* type = attribute(node, "content-type");
  return type && std::strcmp(type, kLinkPreviewType) == 0;
}

std::string link_preview_html(std::string_view href, std::string_view title, std::string_view caption,
                              std::string_view image) {
  std::string out = "<action-text-attachment content-type=\"";
  out += kLinkPreviewType;
  out += "\" href=\"";
  escape_html(out, href, true);
  out += "\"";
  if (!image.empty()) {
    out += " url=\"";
    escape_html(out, image, true);
    out += "\"";
  }
  out += " filename=\"";
  escape_html(out, title, true);
  out += "\"";
  if (!caption.empty()) {
    out += " caption=\"";
    escape_html(out, caption, true);
    out += "\"";
  }
  out += "></action-text-attachment>";
  return out;
}

}  // namespace hearth::html
