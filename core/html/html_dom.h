#pragma once
// A parsed HTML5 fragment (gumbo, the same parsing algorithm as Nokogiri's HTML5 parser that
// ActionText canonicalized Campfire's bodies with, and the one browsers use), allocated in a
// per-thread arena. RAII plus the few node helpers the plain-text conversion and the sanitizer share.
#include <gumbo.h>

#include <string>
#include <string_view>
#include <utility>

namespace hearth::html {

class HtmlFragment {
 public:
  // Parses `html` as the children of a <body> (a fragment, like ActionText's).
  explicit HtmlFragment(std::string_view html);
  ~HtmlFragment();
  HtmlFragment(const HtmlFragment&) = delete;
  HtmlFragment& operator=(const HtmlFragment&) = delete;

  // The element whose children are the fragment's top-level nodes.
  const GumboNode* root() const { return root_; }

 private:
  GumboOutput* output_ = nullptr;
  const GumboNode* root_ = nullptr;
  std::pair<size_t, size_t> mark_;  // the parse arena's position before this fragment
};

// Nesting deeper than this is not descended into: bodies are attacker-controlled (bot API) and
// both walks recurse. Real Trix bodies nest a handful of levels.
inline constexpr int kMaxHtmlDepth = 200;

// The lower-case tag name of an element, also for tags gumbo does not know
// (action-text-attachment, marquee, ...). "" for non-elements.
std::string tag_name(const GumboNode* node);
// The value of attribute `name` (lower-case), or nullptr.
const char* attribute(const GumboNode* node, const char* name);
inline bool is_element(const GumboNode* n) { return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE; }
inline bool is_text(const GumboNode* n) {
  return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA;
}
inline const GumboVector& children(const GumboNode* n) {
  return n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
}
inline const GumboNode* child(const GumboNode* n, unsigned i) {
  return static_cast<const GumboNode*>(children(n).data[i]);
}

}  // namespace hearth::html
