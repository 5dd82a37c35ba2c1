#pragma once
// `hearth replay diff A B`: compares two projection files row by row (DESIGN I3: a rebuild from
// the log must equal the file built live). Generic over any SQLite file: every ordinary table in
// sqlite_master is compared in a canonical order, FTS5 tables by rowid; SQLite's own tables and
// FTS5 shadow tables are skipped (their bytes depend on merge history, not on content). Each FTS5
// index is compared through its fts5vocab 'instance' rows instead, shown as "<table> (fts5 index)":
// an external-content table's columns come from its content table, so only that shows index drift.
#include <cstddef>
#include <filesystem>
#include <ostream>

#include "core/base/result.h"

namespace hearth::replay {

struct DiffOptions {
  size_t max_printed = 50;  // differences printed in full; the rest are only counted
};

struct DiffReport {
  int64_t differences = 0;  // rows (or whole tables) present or different on one side only
  int64_t tables = 0;       // tables compared (the union of both sides)
  int64_t rows_a = 0, rows_b = 0;
  bool equal() const { return differences == 0; }
};

// A state file, or a data directory (then DATA_DIR/state.sqlite3). kNotFound when missing.
Result<std::filesystem::path> state_path(const std::filesystem::path& file_or_data_dir);

// Prints each difference ("<table>: only in A: (col=value, ...)") and a summary line to `out`.
// Errors: kNotFound (missing), kCorruption (not a SQLite file), kIo.
Result<DiffReport> diff_states(const std::filesystem::path& a, const std::filesystem::path& b,
                               std::ostream& out, const DiffOptions& options = {});

// Exit code: kExitOk when equal, kExitFindings on any difference, kExitBadInput on bad input.
int run_diff(const std::filesystem::path& a, const std::filesystem::path& b, const DiffOptions& options,
             std::ostream& out, std::ostream& err);

}  // namespace hearth::replay
