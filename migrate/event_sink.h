#pragma once
// Where the importer's events go: straight into a fresh EventLog in batches (the importer is the
// system actor and writes facts it read, so it does not go through the sequencer). Each event
// carries the source row's timestamp, actor 0 and no command id.
#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <vector>

#include "core/log/event_log.h"
#include "migrate/projection_pipe.h"
#include "schema/events_generated.h"

namespace hearth::migrate {

template <class O>
struct PayloadTable;
template <class T>
struct PayloadTable<flatbuffers::Offset<T>> {
  using type = T;
};

class EventSink {
 public:
  // `pipe` (optional) receives every batch once it is appended.
  EventSink(EventLog& log, size_t batch_events, ProjectionPipe* pipe = nullptr)
      : log_(log), batch_events_(batch_events), pipe_(pipe) {}

  // `make(fbb)` returns the Offset of one payload table; its union code comes from its type.
  template <class Make>
  Status emit(int64_t time_us, Make&& make) {
    fbb_.Clear();
    auto table = make(fbb_);
    using Table = typename PayloadTable<decltype(table)>::type;
    constexpr schema::Payload code = schema::PayloadTraits<Table>::enum_value;
    fbb_.Finish(schema::CreateEvent(fbb_, code, table.Union()));
    StoredEvent& e = batch_.emplace_back();
    e.time_us = time_us;
    e.actor = kSystemActor;
    e.type = static_cast<uint32_t>(code);
    e.payload.assign(fbb_.GetBufferPointer(), fbb_.GetBufferPointer() + fbb_.GetSize());
    ++events_;
    return batch_.size() >= batch_events_ ? flush() : ok_status();
  }

  Status flush();
  int64_t events() const { return events_; }

 private:
  EventLog& log_;
  size_t batch_events_;
  ProjectionPipe* pipe_;
  flatbuffers::FlatBufferBuilder fbb_{1024};
  std::vector<StoredEvent> batch_;
  int64_t events_ = 0;
};

}  // namespace hearth::migrate
