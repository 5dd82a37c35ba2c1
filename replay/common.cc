#include "replay/common.h"

#include <chrono>
#include <cstdio>
#include <system_error>

namespace hearth::replay {

namespace fs = std::filesystem;

Result<fs::path> log_path(const fs::path& data_dir) {
  std::error_code ec;
  if (!fs::exists(data_dir, ec)) return not_found("no such data directory: " + data_dir.string());
  if (!fs::is_directory(data_dir, ec)) {
    return not_found(data_dir.string() + " is not a directory (expected a data directory holding " +
                     kLogFile + ")");
  }
  fs::path log = data_dir / kLogFile;
  if (!fs::is_regular_file(log, ec)) {
    return not_found("no log in " + data_dir.string() + " (" + log.string() + " is missing)");
  }
  return log;
}

Result<std::unique_ptr<EventLog>> open_log(const fs::path& data_dir, bool verify_on_open) {
  auto path = log_path(data_dir);
  if (!path) return path.take_error();
  EventLog::Options options;
  options.read_only = true;  // a debugging tool must never change the truth it inspects
  options.create = false;
  options.verify_on_open = verify_on_open;
  auto log = EventLog::open(path->string(), options);
  if (!log) {
    Error e = log.take_error();
    e.message = "cannot read " + path->string() + " as a Hearth log: " + e.message;
    return e;
  }
  return log;
}

std::string iso8601_utc(int64_t time_us) {
  using namespace std::chrono;
  sys_time<microseconds> tp{microseconds(time_us)};
  auto day = floor<days>(tp);  // floor, not truncation: times before 1970 stay correct
  year_month_day ymd{day};
  hh_mm_ss<microseconds> hms{tp - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()),
                static_cast<long long>(hms.subseconds().count()));
  return buf;
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
size_t utf8_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string json_string(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = utf8_length(s, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
    } else if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
    i += n;
  }
  out.push_back('"');
  return out;
}

}  // namespace hearth::replay
