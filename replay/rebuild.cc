#include "replay/rebuild.h"

#include <chrono>

#include "projections/projector.h"
#include "replay/common.h"

namespace hearth::replay {
namespace fs = std::filesystem;

namespace {

// The files SQLite may leave next to a database in WAL mode.
void remove_database_files(const fs::path& db) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix, ec);
}

}  // namespace

Result<RebuildReport> rebuild_projection(const fs::path& data_dir, const fs::path& out, bool* inputs_ok) {
  if (inputs_ok) *inputs_ok = false;
  std::error_code ec;
  if (fs::exists(out, ec) || fs::exists(out.string() + "-wal", ec)) {
    return conflict("refusing to overwrite " + out.string() + ": rebuild writes a fresh file");
  }
  if (out.has_parent_path() && !fs::is_directory(out.parent_path(), ec)) {
    return not_found("no such directory for --out: " + out.parent_path().string());
  }
  auto log = open_log(data_dir, /*verify_on_open=*/false);
  if (!log) return log.take_error();
  if (inputs_ok) *inputs_ok = true;
  auto verified = (*log)->verify();
  if (!verified) return verified.take_error();

  auto start = std::chrono::steady_clock::now();
  RebuildReport report;
  {
    auto projector = Projector::open(out.string());
    if (!projector) {
      remove_database_files(out);
      return projector.take_error();
    }
    auto st = (*projector)->catch_up(**log);
    if (!st.ok()) {
      projector->reset();  // close before removing, so SQLite does not recreate the -wal
      remove_database_files(out);
      return st.take_error();
    }
    report.applied_seq = (*projector)->applied_seq();
  }  // closing the projector checkpoints its WAL into FILE
  report.events = report.applied_seq.value;  // the log starts at seq 1 and a fresh file at 0
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start).count();
  return report;
}

int run_rebuild(const fs::path& data_dir, const fs::path& out_file, std::ostream& out, std::ostream& err) {
  bool inputs_ok = false;
  auto report = rebuild_projection(data_dir, out_file, &inputs_ok);
  if (!report) {
    err << "rebuild: " << report.error().message << "\n";
    // A corrupt log or a failing fold is a finding about the data; the rest is about the request.
    return inputs_ok ? kExitFindings : kExitBadInput;
  }
  out << "rebuilt " << out_file.string() << ": " << report->events << " events applied (up to seq "
      << report->applied_seq.value << ") in " << report->elapsed_ms << " ms\n";
  return kExitOk;
}

}  // namespace hearth::replay
