#include "migrate/importer.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <chrono>
#include <system_error>

#include "migrate/import_context.h"
#include "migrate/projection_pipe.h"
#include "projections/projector.h"

namespace hearth::migrate {
namespace {

namespace fs = std::filesystem;

// Removes the temporary output unless released: no failure path leaves a partial directory.
class TempOutput {
 public:
  explicit TempOutput(fs::path p) : path_(std::move(p)) {}
  ~TempOutput() {
    if (!released_) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  void release() { released_ = true; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  bool released_ = false;
};

Status fsync_path(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{ErrorCode::kIo, "cannot open " + p.string() + " to sync"};
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Error{ErrorCode::kIo, "fsync " + p.string() + " failed"};
  return ok_status();
}

// Writes every event into the log and, through a ProjectionPipe on a second thread, into the
// projections; both files are closed when this returns.
Status write_data(const ImportOptions& o, SourceDb& src, const fs::path& dir, ImportReport& report,
                  Progress& progress) {
  EventLog::Options lo;
  lo.durability = Durability::kNormal;  // synced once at the end (finish_log)
  lo.verify_on_open = false;
  auto log = EventLog::open((dir / "log.sqlite3").string(), lo);
  if (!log) return log.take_error();
  // The whole directory is thrown away if anything fails, so while it is being built no journal
  // and no syncs are needed; finish_log() and the fsyncs before the rename make it durable once.
  // Opening the data directory later puts both files back in WAL mode.
  HEARTH_TRY((*log)->db().exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16384"));
  auto projector = Projector::open((dir / "state.sqlite3").string());
  if (!projector) return projector.take_error();
  HEARTH_TRY((*projector)->db().exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF"));
  {
    ProjectionPipe pipe(**projector);
    EventSink sink(**log, o.batch_events, &pipe);
    BlobStore blobs(o.storage, dir);
    ImportContext c{src, sink, blobs, report, progress};
    Status written = [&]() -> Status {
      HEARTH_TRY(import_account(c));
      HEARTH_TRY(import_users(c));
      HEARTH_TRY(import_rooms(c));
      HEARTH_TRY(import_messages(c));
      HEARTH_TRY(import_searches_and_push(c));
      HEARTH_TRY(import_statuses(c));
      HEARTH_TRY(count_uncarried(c));
      return sink.flush();
    }();
    Status applied = pipe.finish();  // always join the applier before the projector goes away
    HEARTH_TRY(written);
    HEARTH_TRY(applied);
    report.events = sink.events();
  }
  if ((*projector)->applied_seq() != (*log)->last_seq()) {
    return Error{ErrorCode::kIo, "projections stopped at seq " + std::to_string((*projector)->applied_seq().value) +
                                     " of " + std::to_string((*log)->last_seq().value)};
  }
  HEARTH_TRY((*projector)->db().exec("PRAGMA journal_mode=DELETE"));
  return ok_status();
}

// The log leaves WAL mode for a rollback journal: everything is in the one file and the header
// no longer depends on WAL history, so the same source gives the same bytes.
Status finish_log(const fs::path& log_path) {
  auto db = sqlite::Db::open(log_path.string(), sqlite::Db::Mode::kReadWrite);
  if (!db) return db.take_error();
  HEARTH_TRY(db->exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  HEARTH_TRY(db->exec("PRAGMA journal_mode=DELETE"));
  return ok_status();
}

}  // namespace

Result<ImportReport> import_campfire(const ImportOptions& o) {
  auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  if (o.to.empty()) return invalid("no output directory given (--to)");
  if (fs::exists(fs::symlink_status(o.to, ec))) {
    return conflict(o.to.string() + " already exists: import writes a new data directory and never overwrites one");
  }
  fs::path to = fs::absolute(o.to, ec);
  if (ec) return Error{ErrorCode::kIo, "bad output path " + o.to.string() + ": " + ec.message()};
  fs::path parent = to.parent_path();
  if (!fs::is_directory(parent, ec)) return not_found("the parent of " + o.to.string() + " does not exist");

  auto src = SourceDb::open(o.from);
  if (!src) return src.take_error();

  // Next to the destination (same file system, so the final rename is atomic), named after it.
  TempOutput tmp(parent / ("." + to.filename().string() + ".importing-" + std::to_string(::getpid())));
  if (!fs::create_directory(tmp.path(), ec)) {
    return Error{ErrorCode::kIo, "cannot create " + tmp.path().string() + (ec ? ": " + ec.message() : ": exists")};
  }
  ImportReport report;
  Progress progress(o.progress, o.progress_tty);
  fs::path log_path = tmp.path() / "log.sqlite3";
  auto since = [](auto t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  };
  auto t0 = std::chrono::steady_clock::now();
  HEARTH_TRY(write_data(o, **src, tmp.path(), report, progress));
  src->reset();  // ends the read transaction: the source is no longer needed
  HEARTH_TRY(finish_log(log_path));
  report.log_ms = since(t0);
  HEARTH_TRY(fsync_path(log_path));
  HEARTH_TRY(fsync_path(tmp.path() / "state.sqlite3"));
  HEARTH_TRY(fsync_path(tmp.path()));
  // RENAME_NOREPLACE: a directory created at `to` meanwhile is never replaced.
  if (::renameat2(AT_FDCWD, tmp.path().c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    int err = errno;
    if (err == EEXIST || err == ENOTEMPTY) return conflict(o.to.string() + " appeared during the import; not replaced");
    return Error{ErrorCode::kIo, "cannot rename " + tmp.path().string() + " to " + to.string() + ": " +
                                     std::error_code(err, std::generic_category()).message()};
  }
  tmp.release();
  HEARTH_TRY(fsync_path(parent));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  report.elapsed_ms = ms;
  if (const auto* m = report.find("messages"); m && ms > 0) report.messages_per_second = m->imported * 1000 / ms;
  return report;
}

}  // namespace hearth::migrate
