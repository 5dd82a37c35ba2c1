#pragma once
// A small JSON reader for the fixture manifest (the test image has no JSON library headers).
// Objects, arrays, strings with \u escapes (surrogate pairs included), numbers, true/false/null.
// Throws std::runtime_error on malformed input: the manifest is trusted test data.
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::testing {

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = Kind::kNull;
  bool b = false;
  double number = 0;
  std::string str;
  std::vector<Json> items;
  std::map<std::string, Json> fields;

  const Json& operator[](const std::string& key) const {
    auto it = fields.find(key);
    if (it == fields.end()) throw std::runtime_error("manifest has no key " + key);
    return it->second;
  }
  bool has(const std::string& key) const { return fields.contains(key); }
  int64_t integer() const { return static_cast<int64_t>(number); }
  bool is_null() const { return kind == Kind::kNull; }

  static Json parse(std::string_view text) {
    size_t pos = 0;
    Json j = value(text, pos);
    return j;
  }

 private:
  static void ws(std::string_view t, size_t& p) {
    while (p < t.size() && (t[p] == ' ' || t[p] == '\n' || t[p] == '\r' || t[p] == '\t')) ++p;
  }
  static void utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  static uint32_t hex4(std::string_view t, size_t p) {
    return static_cast<uint32_t>(std::stoul(std::string(t.substr(p, 4)), nullptr, 16));
  }
  static std::string string(std::string_view t, size_t& p) {
    std::string out;
    ++p;  // opening quote
    while (p < t.size() && t[p] != '"') {
      char c = t[p++];
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      char e = t[p++];
      switch (e) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'u': {
          uint32_t cp = hex4(t, p);
          p += 4;
          if (cp >= 0xD800 && cp < 0xDC00 && p + 6 <= t.size() && t[p] == '\\' && t[p + 1] == 'u') {
            uint32_t lo = hex4(t, p + 2);
            p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          utf8(out, cp);
          break;
        }
        default: out.push_back(e);
      }
    }
    if (p >= t.size()) throw std::runtime_error("unterminated string");
    ++p;
    return out;
  }
  static Json value(std::string_view t, size_t& p) {
    ws(t, p);
    if (p >= t.size()) throw std::runtime_error("unexpected end of JSON");
    Json j;
    char c = t[p];
    if (c == '{') {
      j.kind = Kind::kObject;
      ++p;
      ws(t, p);
      if (t[p] == '}') return ++p, j;
      while (true) {
        ws(t, p);
        std::string key = string(t, p);
        ws(t, p);
        if (t[p++] != ':') throw std::runtime_error("expected ':'");
        j.fields[key] = value(t, p);
        ws(t, p);
        if (t[p] == ',') {
          ++p;
          continue;
        }
        if (t[p++] != '}') throw std::runtime_error("expected '}'");
        return j;
      }
    }
    if (c == '[') {
      j.kind = Kind::kArray;
      ++p;
      ws(t, p);
      if (t[p] == ']') return ++p, j;
      while (true) {
        j.items.push_back(value(t, p));
        ws(t, p);
        if (t[p] == ',') {
          ++p;
          continue;
        }
        if (t[p++] != ']') throw std::runtime_error("expected ']'");
        return j;
      }
    }
    if (c == '"') {
      j.kind = Kind::kString;
      j.str = string(t, p);
      return j;
    }
    if (t.substr(p, 4) == "true") return p += 4, j.kind = Kind::kBool, j.b = true, j;
    if (t.substr(p, 5) == "false") return p += 5, j.kind = Kind::kBool, j;
    if (t.substr(p, 4) == "null") return p += 4, j;
    size_t end = p;
    while (end < t.size() && std::string_view("+-0123456789.eE").find(t[end]) != std::string_view::npos) ++end;
    if (end == p) throw std::runtime_error("bad JSON value");
    j.kind = Kind::kNumber;
    j.number = std::stod(std::string(t.substr(p, end - p)));
    p = end;
    return j;
  }
};

}  // namespace hearth::testing
