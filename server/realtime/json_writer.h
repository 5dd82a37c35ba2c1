#pragma once
// A minimal JSON writer for the realtime frames: appends to a caller's string, no DOM, no
// allocation beyond the string's growth. Event serialization runs once per event per publish and
// once per event on every catch-up read, so it must cost little more than the copy of the bytes.
//
// Keys are trusted literals from our own code (written unescaped); every string value goes
// through append_json_string (core/base/json_text.h), so the output is valid JSON whatever bytes
// a value holds. Commas are placed by one flag: after a value or a closed container the next key
// or element needs one, after an opening bracket it does not.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/json_text.h"

namespace hearth::server::realtime {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // REQUIRES: inside an object; `k` needs no escaping.
  JsonWriter& key(std::string_view k) {
    comma();
    out_.push_back('"');
    out_.append(k);
    out_.append("\":");
    need_comma_ = false;
    return *this;
  }

  JsonWriter& integer(int64_t v) { return number(v); }
  JsonWriter& unsigned_integer(uint64_t v) { return number(v); }
  JsonWriter& boolean(bool v) { return raw(v ? "true" : "false"); }
  JsonWriter& null() { return raw("null"); }
  JsonWriter& string(std::string_view v) {
    comma();
    append_json_string(out_, v);
    need_comma_ = true;
    return *this;
  }

 private:
  void comma() {
    if (need_comma_) out_.push_back(',');
  }
  JsonWriter& open(char c) {
    comma();
    out_.push_back(c);
    need_comma_ = false;
    return *this;
  }
  JsonWriter& close(char c) {
    out_.push_back(c);
    need_comma_ = true;
    return *this;
  }
  JsonWriter& raw(std::string_view text) {
    comma();
    out_.append(text);
    need_comma_ = true;
    return *this;
  }
  template <class Int>
  JsonWriter& number(Int v) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return raw(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
  }

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace hearth::server::realtime
