#include "replay/explain.h"

#include <climits>

#include "core/events/event_view.h"
#include "core/write_model/write_model.h"
#include "projections/visibility.h"
#include "replay/common.h"

namespace hearth::replay {

Result<ExplainReport> explain_log(const EventLog& log, UserId user, Seq cursor, std::ostream& out, Seq until) {
  // Visibility depends on membership as of each event, so the fold must start at seq 1 even
  // when the cursor is far along; only the printing starts after the cursor.
  WriteModel model;
  ExplainReport report;
  auto st = log.scan(Seq(0), until, [&](const StoredEvent& e) -> Status {
    auto view = view_event(e);
    if (!view) return view.take_error();
    if (e.seq > cursor) {
      Visibility v = visible_to(e, user, model);
      out << "seq " << e.seq.value << " " << event_type_name(e.type) << " "
          << (v.visible ? "visible" : "hidden") << ": " << v.reason << "\n";
      ++report.after_cursor;
      if (v.visible) {
        ++report.visible;
        report.last_visible = e.seq;
      }
    }
    model.apply(e);
    return ok_status();
  });
  if (!st.ok()) return st.take_error();

  out << "user " << user.value << " resuming from cursor " << cursor.value << " should receive "
      << report.visible << " of " << report.after_cursor << " events";
  if (report.visible > 0) out << "; the last is seq " << report.last_visible.value;
  out << "\n";
  if (!model.user(user)) out << "note: user " << user.value << " does not exist in this log\n";
  if (cursor > log.last_seq()) {
    out << "note: cursor " << cursor.value << " is past the end of the log (last seq "
        << log.last_seq().value << ")\n";
  }
  return report;
}

int run_explain(const std::filesystem::path& data_dir, UserId user, Seq cursor, std::ostream& out,
                std::ostream& err, Seq until) {
  if (cursor.value < 0) {
    err << "explain: --after must be 0 or more\n";
    return kExitBadInput;
  }
  if (until < cursor) {
    err << "explain: --until must not be before --after\n";
    return kExitBadInput;
  }
  auto log = open_log(data_dir, /*verify_on_open=*/false);  // each payload is verified as read
  if (!log) {
    err << "explain: " << log.error().message << "\n";
    return kExitBadInput;
  }
  auto report = explain_log(**log, user, cursor, out, until);
  if (!report) {
    err << "explain: " << report.error().message << "\n";
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace hearth::replay
