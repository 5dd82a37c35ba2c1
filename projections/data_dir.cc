#include "projections/data_dir.h"

#include <algorithm>
#include <filesystem>

#include "core/sqlite/db.h"
#include "projections/state_schema.h"
#include "projections/write_model_loader.h"

namespace hearth {
namespace {

// state.sqlite3 is a fold of the log (DESIGN I3), so a file written by an older build with another
// table layout is not repaired but set aside (kept, named after its version, for a look) and built
// again from the log by the catch-up below. Start-up pays one full replay, once per upgrade.
Status set_aside_older_state(const std::string& path, std::string* note) {
  if (!std::filesystem::exists(path)) return ok_status();
  int64_t version = 0;
  {
    auto db = sqlite::Db::open(path, sqlite::Db::Mode::kReadOnly);
    if (!db) return db.take_error();
    auto v = db->query_int("PRAGMA user_version");
    if (!v) return v.take_error();
    version = v->value_or(0);
  }
  if (version == 0 || version >= kStateSchemaVersion) return ok_status();  // new, current, or from the future (refused later)
  std::string aside = path + ".v" + std::to_string(version);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    if (!std::filesystem::exists(path + suffix)) continue;
    std::filesystem::rename(path + suffix, aside + suffix, ec);
    if (ec) return Error{ErrorCode::kIo, "cannot move " + path + suffix + " aside: " + ec.message()};
  }
  *note = "state.sqlite3 had schema version " + std::to_string(version) + " (this build writes " +
          std::to_string(kStateSchemaVersion) + "): moved to " + aside + " and rebuilt from the log";
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<DataDir>> DataDir::open(const std::string& dir, const Options& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{ErrorCode::kIo, "cannot create data directory " + dir + ": " + ec.message()};
  std::unique_ptr<DataDir> d(new DataDir());
  d->dir_ = dir;

  EventLog::Options log_options;
  log_options.durability = options.durability;
  log_options.verify_on_open = options.verify_log;
  log_options.verify_tail = options.verify_tail;
  log_options.vfs = options.log_vfs;
  auto log = EventLog::open(d->log_path(), log_options);
  if (!log) return log.take_error();

  HEARTH_TRY(set_aside_older_state(d->state_path(), &d->upgrade_note_));
  auto projector = Projector::open(d->state_path());
  if (!projector) return projector.take_error();
  d->projector_ = std::move(*projector);
  if (d->projector_->applied_seq() > (*log)->last_seq()) {
    // The projection claims events the log does not have: the log lost committed data, or the
    // state file belongs to another log. Either way, no guess is safe.
    return Error{ErrorCode::kCorruption,
                 "state.sqlite3 has applied seq " + std::to_string(d->projector_->applied_seq().value) +
                     " but the log ends at " + std::to_string((*log)->last_seq().value) +
                     "; move state.sqlite3 aside and run `hearth replay rebuild`"};
  }
  HEARTH_TRY(d->projector_->catch_up(**log));

  auto model = load_write_model(d->projector_->db());
  if (!model) return model.take_error();
  auto messages = SqliteMessageIndex::open(d->state_path());
  if (!messages) return messages.take_error();
  d->messages_ = std::move(*messages);

  Clock* clock = options.clock;
  if (!clock) clock = (d->own_clock_ = std::make_unique<SystemClock>()).get();
  Random* random = options.random;
  if (!random) random = (d->own_random_ = std::make_unique<SystemRandom>()).get();

  Sequencer::Deps deps;
  deps.log = std::move(*log);
  deps.model = std::move(*model);
  deps.clock = clock;
  deps.random = random;
  deps.messages = d->messages_.get();
  deps.applier = d->projector_.get();
  Seq checked_from(0);  // events after it were checked above
  if (options.verify_log && options.verify_tail > 0) {
    checked_from = Seq(std::max<int64_t>(0, deps.log->last_seq().value - options.verify_tail));
  }
  d->sequencer_ = std::make_unique<Sequencer>(std::move(deps), options.sequencer);
  if (checked_from.value > 0 && options.verify_rest_in_background) {
    // Everything before the tail, on its own read-only connection. Writes go on meanwhile: new
    // events chain from the verified tail, and a bad old event stops them as soon as it is seen.
    d->log_check_ = std::thread([dd = d.get(), upto = checked_from] {
      EventLog::Options o;
      o.read_only = true;
      o.verify_on_open = false;
      auto reader = EventLog::open(dd->log_path(), o);
      Result<int64_t> checked =
          reader ? (*reader)->verify_range(Seq(0), upto) : Result<int64_t>(reader.take_error());
      if (!checked.ok()) {
        dd->log_check_result_ = checked.error();
        dd->sequencer_->halt(checked.take_error());
      }
    });
  }
  return d;
}

std::optional<Error> DataDir::wait_for_log_check() {
  if (log_check_.joinable()) log_check_.join();
  return log_check_result_;
}

DataDir::~DataDir() {
  if (log_check_.joinable()) log_check_.join();
  // The sequencer's threads use the projector and the index: stop them first.
  if (sequencer_) sequencer_->stop();
}

}  // namespace hearth
