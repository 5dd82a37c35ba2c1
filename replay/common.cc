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

}  // namespace hearth::replay
