#include "core/html/html_dom.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace hearth::html {
namespace {

// gumbo mallocs every node, attribute and string; a body is parsed, walked and dropped, so a
// bump arena per thread, released to its mark when the fragment goes, saves most of that. The
// marks nest: a fragment parsed while another is alive (a mention's name) releases only its own.
class Arena {
 public:
  static Arena& local() {
    thread_local Arena arena;
    return arena;
  }
  void* alloc(size_t n) {
    n = (n + 15) & ~size_t{15};
    if (block_ == blocks_.size() || used_ + n > blocks_[block_].size) next_block(n);
    void* p = blocks_[block_].data.get() + used_;
    used_ += n;
    return p;
  }
  std::pair<size_t, size_t> mark() const { return {block_, used_}; }
  void release(std::pair<size_t, size_t> m) {
    block_ = m.first;
    used_ = m.second;
    // A huge body grew the arena: give the extra blocks back rather than keep them forever.
    while (blocks_.size() > kKeptBlocks && blocks_.size() > block_ + 1) blocks_.pop_back();
  }

 private:
  static constexpr size_t kBlock = 256 * 1024;
  static constexpr size_t kKeptBlocks = 4;
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  void next_block(size_t n) {
    if (block_ < blocks_.size()) ++block_;
    while (block_ < blocks_.size() && blocks_[block_].size < n) blocks_.erase(blocks_.begin() + static_cast<long>(block_));
    if (block_ == blocks_.size()) {
      size_t size = std::max(kBlock, n);
      blocks_.push_back(Block{std::unique_ptr<char[]>(new char[size]), size});
    }
    used_ = 0;
  }
  std::vector<Block> blocks_;
  size_t block_ = 0;  // the block being filled (== blocks_.size() before the first allocation)
  size_t used_ = 0;
};

void* arena_alloc(void* userdata, size_t size) { return static_cast<Arena*>(userdata)->alloc(size); }
void arena_free(void*, void*) {}  // freed all at once by Arena::release

}  // namespace

HtmlFragment::HtmlFragment(std::string_view html) {
  Arena& arena = Arena::local();
  mark_ = arena.mark();
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = arena_alloc;
  options.deallocator = arena_free;
  options.userdata = &arena;
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

// No gumbo_destroy_output: every byte of the tree is in the arena, released here in one step.
HtmlFragment::~HtmlFragment() { Arena::local().release(mark_); }

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

}  // namespace hearth::html
