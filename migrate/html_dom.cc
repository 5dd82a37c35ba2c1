#include "migrate/html_dom.h"

#include <cstring>

namespace hearth::migrate {

HtmlFragment::HtmlFragment(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.fragment_context = GUMBO_TAG_BODY;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  options.max_errors = 0;  // parse errors are normal in bot bodies; don't collect them
  output_ = gumbo_parse_with_options(&options, html.data(), html.size());
  root_ = output_->root;
  // A full-document parse (older gumbo ignoring fragment_context) puts the nodes under <body>.
  for (unsigned i = 0; root_ && is_element(root_) && i < children(root_).length; ++i) {
    const GumboNode* c = child(root_, i);
    if (is_element(c) && c->v.element.tag == GUMBO_TAG_BODY) {
      root_ = c;
      break;
    }
  }
}

HtmlFragment::~HtmlFragment() {
  if (output_) gumbo_destroy_output(&kGumboDefaultOptions, output_);
}

std::string tag_name(const GumboNode* node) {
  if (!is_element(node)) return {};
  const GumboElement& e = node->v.element;
  std::string name;
  if (e.tag != GUMBO_TAG_UNKNOWN) {
    name = gumbo_normalized_tagname(e.tag);
  } else {
    GumboStringPiece piece = e.original_tag;
    gumbo_tag_from_original_text(&piece);
    name.assign(piece.data ? piece.data : "", piece.data ? piece.length : 0);
  }
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return name;
}

const char* attribute(const GumboNode* node, const char* name) {
  if (!is_element(node)) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a ? a->value : nullptr;
}

}  // namespace hearth::migrate
