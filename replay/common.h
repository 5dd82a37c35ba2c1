#pragma once
// What every `hearth replay` subcommand shares: exit codes, finding the files of a data
// directory, and opening the log for reading without trusting it.
#include <filesystem>
#include <memory>
#include <string>

#include "core/base/json_text.h"
#include "core/base/result.h"
#include "core/log/event_log.h"

namespace hearth::replay {

// The documented exit codes of every subcommand (docs/log_format.md, `hearth replay --help`).
inline constexpr int kExitOk = 0;        // verified / equal / done
inline constexpr int kExitFindings = 1;  // the tool ran and found something: corruption, differences
inline constexpr int kExitBadInput = 2;  // bad flags, missing directory or file, not a Hearth file

inline constexpr const char* kLogFile = "log.sqlite3";
inline constexpr const char* kStateFile = "state.sqlite3";

// DATA_DIR/log.sqlite3, or kNotFound naming what is missing.
Result<std::filesystem::path> log_path(const std::filesystem::path& data_dir);

// Opens DATA_DIR's log read-only. `verify_on_open` false lets the caller see (and report) a
// corrupt log instead of being refused at the door. Errors: kNotFound (no such directory or log),
// kCorruption (not a SQLite file, or no events table), kIo.
Result<std::unique_ptr<EventLog>> open_log(const std::filesystem::path& data_dir, bool verify_on_open);

// "2023-11-14T22:13:20.000123Z": the event time as people and `jq` read it.
std::string iso8601_utc(int64_t time_us);

// `s` as a JSON string literal, quotes included (core/base/json_text.h): invalid UTF-8 bytes
// become U+FFFD, so a dump never produces a line a JSON reader rejects.
using hearth::json_string;

}  // namespace hearth::replay
