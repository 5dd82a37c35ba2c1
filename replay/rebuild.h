#pragma once
// `hearth replay rebuild DATA_DIR --out FILE`: folds the whole log into a fresh projection file,
// to be compared with the live one by `hearth replay diff` (DESIGN I3).
#include <filesystem>
#include <ostream>

#include "core/base/ids.h"
#include "core/base/result.h"

namespace hearth::replay {

struct RebuildReport {
  int64_t events = 0;      // events applied
  Seq applied_seq;
  int64_t elapsed_ms = 0;
};

// Refuses (kConflict) when `out` exists: a rebuild must never fold events on top of an existing
// projection. The log is verified first (a projection of a corrupt log would be silently wrong).
// On failure the partial output is removed. `inputs_ok` (optional) is set once the log opened
// and FILE was free, so callers can tell a bad request from a failure of the log or projector.
Result<RebuildReport> rebuild_projection(const std::filesystem::path& data_dir,
                                         const std::filesystem::path& out, bool* inputs_ok = nullptr);

// Prints "rebuilt FILE: N events applied (up to seq S) in M ms"; returns an exit code.
int run_rebuild(const std::filesystem::path& data_dir, const std::filesystem::path& out_file,
                std::ostream& out, std::ostream& err);

}  // namespace hearth::replay
