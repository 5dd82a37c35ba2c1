#include "server/http/multipart.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace hearth::server::http {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `type; key=value; key="quoted"` → the type, then (key lower-cased, value) pairs; nullopt when
// malformed. A quoted value takes \" and \\ as escapes and keeps any other backslash.
struct Params {
  std::string_view type;
  std::vector<std::pair<std::string, std::string>> values;
};

std::optional<Params> parse_params(std::string_view v) {
  Params out;
  size_t semi = v.find(';');
  out.type = trim(v.substr(0, semi));
  if (out.type.empty()) return std::nullopt;
  size_t i = semi == std::string_view::npos ? v.size() : semi + 1;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    size_t k = i;
    while (i < v.size() && is_tchar(v[i])) ++i;
    if (i == k || i >= v.size() || v[i] != '=') return std::nullopt;
    std::string key;
    for (char c : v.substr(k, i - k)) key.push_back(lower(c));
    ++i;
    std::string value;
    if (i < v.size() && v[i] == '"') {
      ++i;
      bool closed = false;
      while (i < v.size()) {
        char c = v[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < v.size() && (v[i] == '"' || v[i] == '\\')) c = v[i++];
        value.push_back(c);
      }
      if (!closed) return std::nullopt;
    } else {
      size_t s = i;
      while (i < v.size() && is_tchar(v[i])) ++i;
      if (i == s) return std::nullopt;
      value = v.substr(s, i - s);
    }
    for (const auto& [seen, unused] : out.values) {
      if (seen == key) return std::nullopt;  // a repeated parameter is ambiguous
    }
    out.values.emplace_back(std::move(key), std::move(value));
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i < v.size()) {
      if (v[i] != ';') return std::nullopt;
      ++i;
    }
  }
  return out;
}

const std::string* param(const Params& p, std::string_view key) {
  for (const auto& [k, v] : p.values) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool is_bchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto p = parse_params(content_type);
  if (!p || !iequals(p->type, "multipart/form-data")) return std::nullopt;
  const std::string* b = param(*p, "boundary");
  if (b == nullptr || b->empty() || b->size() > 70 || b->back() == ' ') return std::nullopt;
  if (!std::all_of(b->begin(), b->end(), is_bchar)) return std::nullopt;
  return *b;
}

MultipartParser::MultipartParser(std::string boundary, Sink& sink) : delimiter_("\r\n--" + boundary), sink_(sink) {}

hearth::Status MultipartParser::fail(std::string why) {
  state_ = State::kFailed;
  error_ = "malformed multipart body: " + why;
  buf_.clear();
  buf_.shrink_to_fit();
  return invalid(error_);
}

hearth::Status MultipartParser::feed(std::string_view bytes) {
  if (state_ == State::kFailed) return invalid(error_);
  if (state_ == State::kEpilogue) return ok_status();
  buf_.append(bytes);
  for (bool progressed = true; progressed;) {
    progressed = false;
    auto st = step(progressed);
    if (!st.ok()) {
      if (state_ != State::kFailed) return fail(st.error().message);
      return st;
    }
  }
  return ok_status();
}

hearth::Status MultipartParser::finish() {
  if (state_ == State::kFailed) return invalid(error_);
  if (state_ != State::kEpilogue) return fail("the body ended before its closing boundary");
  return ok_status();
}

hearth::Status MultipartParser::step(bool& progressed) {
  switch (state_) {
    case State::kFirstBoundary: {
      // The body opens with the delimiter minus its CRLF.
      std::string_view want = std::string_view(delimiter_).substr(2);
      size_t n = std::min(buf_.size(), want.size());
      if (buf_.compare(0, n, want.substr(0, n)) != 0) return fail("it does not start with its boundary");
      if (buf_.size() < want.size()) return ok_status();
      buf_.erase(0, want.size());
      state_ = State::kAfterBoundary;
      progressed = true;
      return ok_status();
    }
    case State::kAfterBoundary: {
      if (buf_.size() < 2) return ok_status();
      if (buf_.compare(0, 2, "--") == 0) {
        if (parts_ == 0) return fail("it has no parts");
        state_ = State::kEpilogue;
        buf_.clear();
      } else if (buf_.compare(0, 2, "\r\n") == 0) {
        if (++parts_ > kMaxParts) return fail("more than " + std::to_string(kMaxParts) + " parts");
        buf_.erase(0, 2);
        state_ = State::kHeaders;
      } else {
        return fail("a boundary is followed by neither CRLF nor \"--\"");
      }
      progressed = true;
      return ok_status();
    }
    case State::kHeaders: {
      if (buf_.size() >= 2 && buf_.compare(0, 2, "\r\n") == 0) return fail("a part has no headers");
      size_t end = buf_.find("\r\n\r\n");
      if (end == std::string::npos) {
        // The last three bytes may be the start of the terminator, so a block of exactly
        // kMaxHeaderBytes is still possible until four more arrive: fed byte by byte or whole, the
        // same body must get the same answer.
        if (buf_.size() > kMaxHeaderBytes + 3) return fail("a part's headers are too long");
        return ok_status();
      }
      if (end > kMaxHeaderBytes) return fail("a part's headers are too long");
      HEARTH_TRY(parse_headers(std::string_view(buf_).substr(0, end)));
      buf_.erase(0, end + 4);
      state_ = State::kData;
      progressed = true;
      return ok_status();
    }
    case State::kData: {
      size_t at = buf_.find(delimiter_);
      if (at == std::string::npos) {
        // Everything but a possible start of the delimiter can go.
        size_t keep = std::min(buf_.size(), delimiter_.size() - 1);
        size_t give = buf_.size() - keep;
        if (give > 0) {
          HEARTH_TRY(sink_.part_data(std::string_view(buf_).substr(0, give)));
          buf_.erase(0, give);
        }
        return ok_status();
      }
      if (at > 0) HEARTH_TRY(sink_.part_data(std::string_view(buf_).substr(0, at)));
      HEARTH_TRY(sink_.end_part());
      buf_.erase(0, at + delimiter_.size());
      state_ = State::kAfterBoundary;
      progressed = true;
      return ok_status();
    }
    case State::kEpilogue:
      buf_.clear();
      return ok_status();
    case State::kFailed:
      return invalid(error_);
  }
  return ok_status();
}

hearth::Status MultipartParser::parse_headers(std::string_view block) {
  PartHeaders h;
  bool disposition = false, type = false;
  while (!block.empty()) {
    size_t eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    for (char c : line) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return fail("a control character in a header");
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail("a header line without a name");
    std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
    if (!std::all_of(name.begin(), name.end(), is_tchar)) return fail("a header name with a bad character");
    if (iequals(name, "Content-Disposition")) {
      if (disposition) return fail("two Content-Disposition headers");
      disposition = true;
      auto p = parse_params(value);
      if (!p || !iequals(p->type, "form-data")) return fail("Content-Disposition is not form-data");
      const std::string* field = param(*p, "name");
      if (field == nullptr || field->empty()) return fail("a part without a name");
      h.name = *field;
      if (const std::string* f = param(*p, "filename")) h.filename = *f;
    } else if (iequals(name, "Content-Type")) {
      if (type) return fail("two Content-Type headers");
      type = true;
      h.content_type = value;
    } else if (iequals(name, "Content-Transfer-Encoding")) {
      return fail("Content-Transfer-Encoding is not supported");
    }
    // Other headers carry nothing form-data needs; they are ignored.
  }
  if (!disposition) return fail("a part without Content-Disposition");
  return sink_.begin_part(h);
}

}  // namespace hearth::server::http
