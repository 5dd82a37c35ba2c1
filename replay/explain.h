#pragma once
// `hearth replay explain DATA_DIR --user ID --after C [--until S]` (--cursor is the same as --after): what a client of user ID resuming from
// cursor C should receive (DESIGN I5), and why each later event is or is not visible to it. It
// asks projections/visibility.h, the same function the server's hub uses, so the tool and the
// server cannot disagree.
#include <filesystem>
#include <ostream>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/log/event_log.h"

namespace hearth::replay {

struct ExplainReport {
  int64_t after_cursor = 0;  // events with seq > cursor
  int64_t visible = 0;       // of those, the ones the user should receive
  Seq last_visible;          // Seq(0) when none
};

// Folds the log from seq 1 into a WriteModel; for each event after `cursor` prints
// "seq <S> <Type> visible|hidden: <reason>", judged on the model before the event, then a
// summary line. Every payload passes the verifier first (kCorruption naming its seq).
// Events after `until` are not considered (Seq(INT64_MAX): to the end of the log).
Result<ExplainReport> explain_log(const EventLog& log, UserId user, Seq cursor, std::ostream& out,
                                  Seq until = Seq(INT64_MAX));

int run_explain(const std::filesystem::path& data_dir, UserId user, Seq cursor, std::ostream& out,
                std::ostream& err, Seq until = Seq(INT64_MAX));

}  // namespace hearth::replay
