#include "migrate/event_sink.h"

namespace hearth::migrate {

Status EventSink::flush() {
  if (batch_.empty()) return ok_status();
  HEARTH_TRY(log_.append(batch_));
  if (!pipe_) {
    batch_.clear();  // keeps capacity: the next batch reuses the vectors' storage
    return ok_status();
  }
  std::vector<StoredEvent> appended;
  appended.reserve(batch_events_);
  appended.swap(batch_);
  return pipe_->push(std::move(appended));
}

}  // namespace hearth::migrate
