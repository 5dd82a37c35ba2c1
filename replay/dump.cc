#include "replay/dump.h"

#include <flatbuffers/idl.h>

#include <algorithm>
#include <climits>

#include "core/events/event_view.h"
#include "replay/common.h"
#include "replay/schema_text.h"

namespace hearth::replay {
namespace {

constexpr std::string_view kSchemaNamespace = "hearth.schema.";

// The payload table of a verified event, untyped: the parser's field offsets address it.
const flatbuffers::Table* payload_table(const StoredEvent& e) {
  return reinterpret_cast<const flatbuffers::Table*>(schema::GetEvent(e.payload.data())->payload());
}

std::string valid_type_names() {
  std::string names;
  for (uint32_t t = 1; t <= static_cast<uint32_t>(schema::Payload::MAX); ++t) {
    if (!names.empty()) names += ", ";
    names += event_type_name(t);
  }
  return names;
}

}  // namespace

PayloadJson::PayloadJson() : parser_(std::make_unique<flatbuffers::Parser>()) {}
PayloadJson::PayloadJson(PayloadJson&&) noexcept = default;
PayloadJson& PayloadJson::operator=(PayloadJson&&) noexcept = default;
PayloadJson::~PayloadJson() = default;

Result<PayloadJson> PayloadJson::create() {
  PayloadJson pj;
  auto& opts = pj.parser_->opts;
  opts.strict_json = true;                      // quoted keys: output any JSON reader accepts
  opts.indent_step = -1;                        // no newlines: one event, one line
  opts.output_default_scalars_in_json = true;   // "all fields": role Member (0) is still shown
  opts.output_enum_identifiers = true;          // "kind":"Open" rather than 0
  opts.natural_utf8 = true;                     // keep text readable instead of \u escapes
  std::string text(kEventsSchemaText);
  if (!pj.parser_->Parse(text.c_str())) {
    return Error{ErrorCode::kCorruption, "embedded events schema does not parse: " + pj.parser_->error_};
  }
  return pj;
}

Result<std::string> PayloadJson::to_json(const StoredEvent& e) const {
  std::string name = std::string(kSchemaNamespace) + std::string(event_type_name(e.type));
  std::string json;
  if (!flatbuffers::GenerateTextFromTable(*parser_, payload_table(e), name, &json)) {
    // The sequencer only stores valid UTF-8, so this means a payload the verifier let through
    // but JSON cannot carry; report it rather than print something that is not JSON.
    return Error{ErrorCode::kCorruption,
                 "event at seq " + std::to_string(e.seq.value) + ": payload cannot be written as JSON"};
  }
  return json;
}

std::optional<int64_t> PayloadJson::int_field(const StoredEvent& e, std::string_view name) const {
  const auto* def = parser_->LookupStruct(std::string(kSchemaNamespace) + std::string(event_type_name(e.type)));
  if (!def) return std::nullopt;
  const auto* field = def->fields.Lookup(std::string(name));
  if (!field || field->value.type.base_type != flatbuffers::BASE_TYPE_LONG) return std::nullopt;
  return payload_table(e)->GetField<int64_t>(field->value.offset, 0);
}

Status check_filter(const DumpFilter& filter) {
  for (const auto& t : filter.types) {
    if (event_type_code(t) == 0) {
      return invalid("unknown event type '" + t + "'; valid types: " + valid_type_names());
    }
  }
  if (filter.from && filter.to && *filter.from > *filter.to) {
    return invalid("--from " + std::to_string(*filter.from) + " is after --to " + std::to_string(*filter.to));
  }
  return ok_status();
}

Result<int64_t> dump_log(const EventLog& log, const DumpFilter& filter, std::ostream& out) {
  HEARTH_TRY(check_filter(filter));
  auto pj = PayloadJson::create();
  if (!pj) return pj.take_error();
  std::vector<uint32_t> types;
  for (const auto& t : filter.types) types.push_back(event_type_code(t));

  auto matches = [&](const StoredEvent& e) {
    if (!types.empty() && std::find(types.begin(), types.end(), e.type) == types.end()) return false;
    if (filter.room && pj->int_field(e, "room_id") != filter.room) return false;
    if (filter.user && e.actor.value != *filter.user) {
      bool named = false;
      for (auto field : {"user_id", "creator_id", "booster_id"}) {
        named = named || pj->int_field(e, field) == filter.user;
      }
      if (!named) return false;
    }
    return true;
  };

  int64_t written = 0;
  Seq after(filter.from ? std::max<int64_t>(*filter.from, 1) - 1 : 0);
  Seq upto(filter.to.value_or(INT64_MAX));
  auto st = log.scan(after, upto, [&](const StoredEvent& e) -> Status {
    auto view = view_event(e);  // the verifier runs before any field is read
    if (!view) return view.take_error();
    if (!matches(e)) return ok_status();
    auto payload = pj->to_json(e);
    if (!payload) return payload.take_error();
    out << "{\"seq\":" << e.seq.value << ",\"time\":\"" << iso8601_utc(e.time_us)
        << "\",\"actor\":" << e.actor.value << ",\"type\":" << json_string(event_type_name(e.type))
        << ",\"command_id\":" << (e.command_id.empty() ? "null" : json_string(e.command_id))
        << ",\"payload\":" << *payload << "}\n";
    ++written;
    return ok_status();
  });
  if (!st.ok()) return st.take_error();
  out.flush();
  // A dump redirected to a full disk must not look complete.
  if (!out) return Error{ErrorCode::kIo, "writing the dump failed after " + std::to_string(written) + " events"};
  return written;
}

int run_dump(const std::filesystem::path& data_dir, const DumpFilter& filter, std::ostream& out,
             std::ostream& err) {
  if (auto st = check_filter(filter); !st.ok()) {
    err << "dump: " << st.error().message << "\n";
    return kExitBadInput;
  }
  auto log = open_log(data_dir, /*verify_on_open=*/false);  // each payload is verified as read
  if (!log) {
    err << "dump: " << log.error().message << "\n";
    return kExitBadInput;
  }
  auto written = dump_log(**log, filter, out);
  if (!written) {
    err << "dump: " << written.error().message << "\n";
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace hearth::replay
