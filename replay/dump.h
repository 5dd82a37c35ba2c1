#pragma once
// `hearth replay dump DATA_DIR [filters]`: the log as JSON lines, one object per event:
//   {"seq":3,"time":"2023-11-14T22:13:20.000123Z","actor":1,"type":"MessagePosted",
//    "command_id":"c-1","payload":{...every field of the payload table...}}
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/log/event_log.h"

namespace flatbuffers {
class Parser;
}

namespace hearth::replay {

// Filters combine with AND; several types combine with OR. Ranges are inclusive.
struct DumpFilter {
  std::optional<int64_t> from, to;
  std::optional<int64_t> room;   // payload room_id == room
  std::optional<int64_t> user;   // actor, or payload user_id / creator_id / booster_id == user
  std::vector<std::string> types;  // event names, e.g. "MessagePosted"
};

// Turns verified payloads into JSON and reads their id fields by name, using the schema text
// embedded at build time, so every field is shown without a hand-written printer per event.
class PayloadJson {
 public:
  static Result<PayloadJson> create();
  PayloadJson(PayloadJson&&) noexcept;
  PayloadJson& operator=(PayloadJson&&) noexcept;
  ~PayloadJson();

  // The payload table as one line of strict JSON, default-valued scalars included.
  // REQUIRES: e passed view_event().
  Result<std::string> to_json(const StoredEvent& e) const;
  // The integer field `name` of the payload table, or nullopt when the event type has none.
  std::optional<int64_t> int_field(const StoredEvent& e, std::string_view name) const;

 private:
  PayloadJson();
  std::unique_ptr<flatbuffers::Parser> parser_;
};

// Checks the filter (unknown type names → kInvalid listing the valid ones, from > to, ...).
Status check_filter(const DumpFilter& filter);

// Writes one line per matching event. Every payload passes the verifier first; a bad one stops
// the dump with kCorruption naming its seq (lines already written stay written).
Result<int64_t> dump_log(const EventLog& log, const DumpFilter& filter, std::ostream& out);

// Opens DATA_DIR's log and dumps it; returns an exit code (replay/common.h).
int run_dump(const std::filesystem::path& data_dir, const DumpFilter& filter, std::ostream& out,
             std::ostream& err);

}  // namespace hearth::replay
