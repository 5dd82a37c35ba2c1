#include "core/html/plain_text.h"

#include "core/html/link_preview.h"

namespace hearth::html {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '\0'; }

class PlainText {
 public:
  explicit PlainText(const ElementText& special) : special_(special) {}

  std::string node(const GumboNode* n, size_t index, int list_depth, int depth) {
    if (is_text(n)) {
      std::string t = n->v.text.text;
      remove_trailing_newlines(t);
      return t;
    }
    if (!is_element(n) || depth > kMaxHtmlDepth) return {};
    if (is_link_preview(n)) return {};  // CAMPFIRE.md 1.5: a preview has no plain text
    if (special_) {
      if (auto text = special_(n)) return std::move(*text);
    }
    std::string name = tag_name(n);
    if (name == "script" || name == "style") return {};
    bool is_list = name == "ul" || name == "ol";
    std::string inner = kids(n, list_depth + (is_list ? 1 : 0), depth);
    if (name == "br") return "\n";
    if (name == "div") return chomped(std::move(inner)) + "\n";
    if (name == "p" || name == "h1") return chomped(std::move(inner)) + "\n\n";
    if (is_list) {
      std::string text = chomped(std::move(inner)) + "\n\n";
      return list_depth > 0 ? "\n" + text : text;  // a nested list starts on its own line
    }
    if (name == "figcaption") return "[" + chomped(std::move(inner)) + "]";
    if (name == "blockquote") return quote(chomped(std::move(inner)) + "\n\n");
    if (name == "li") {
      std::string bullet = "•";
      const GumboNode* parent = n->parent;
      if (parent && tag_name(parent) == "ol") bullet = std::to_string(index + 1) + ".";
      std::string indent = list_depth > 1 ? std::string(2 * static_cast<size_t>(list_depth - 1), ' ') : "";
      return indent + bullet + " " + chomped(std::move(inner)) + "\n";
    }
    return inner;
  }

  std::string kids(const GumboNode* n, int list_depth, int depth) {
    std::string out;
    const GumboVector& c = children(n);
    for (unsigned i = 0; i < c.length; ++i) out += node(child(n, i), i, list_depth, depth + 1);
    return out;
  }

 private:
  static std::string chomped(std::string s) {
    remove_trailing_newlines(s);
    return s;
  }

  // “ before the first non-space character, ” after the last (Rails: text.index(/\S/)).
  static std::string quote(std::string text) {
    size_t first = 0;
    while (first < text.size() && is_space(text[first])) ++first;
    if (first == text.size()) return "“”";
    size_t last = text.size();
    while (last > 0 && is_space(text[last - 1])) --last;
    text.insert(last, "”");
    text.insert(first, "“");
    return text;
  }

  const ElementText& special_;
};

}  // namespace

void remove_trailing_newlines(std::string& s) {
  while (!s.empty() && s.back() == '\n') {
    s.pop_back();
    if (!s.empty() && s.back() == '\r') s.pop_back();
  }
}

std::string plain_text_of(const GumboNode* root, const ElementText& special) {
  PlainText p(special);
  std::string out = p.kids(root, 0, 0);
  remove_trailing_newlines(out);
  return out;
}

}  // namespace hearth::html
