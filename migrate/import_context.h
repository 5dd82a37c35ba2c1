#pragma once
// State shared by the import phases (importer.cc, import_people.cc, import_messages.cc). Holds
// only people-sized things — users, rooms, memberships — never messages (DESIGN I7): messages
// stream from one ordered query straight into the log.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/commands/commands.h"
#include "migrate/blob_store.h"
#include "migrate/event_sink.h"
#include "migrate/import_report.h"
#include "migrate/progress.h"
#include "migrate/source_db.h"

namespace hearth::migrate {

struct SourceUser {
  std::string name;
  UserStatus status = UserStatus::kActive;
  int64_t updated_at_us = 0;
  std::string email;
  bool placeholder = false;  // missing from the source, synthesized (see import_people.cc)
};

struct ImportContext {
  SourceDb& src;
  EventSink& sink;
  BlobStore& blobs;
  ImportReport& report;
  Progress& progress;
  int64_t account_time_us = 0;
  std::map<int64_t, SourceUser> users{};        // imported users (placeholders included), by id
  std::map<int64_t, std::string> user_names{};  // source users only: what plain text names
  std::map<int64_t, RoomKind> rooms{};          // imported rooms
  std::map<int64_t, std::vector<int64_t>> unread_members{};  // room -> users Campfire marked unread
  std::map<int64_t, int64_t> last_message_of_room{};         // room -> its last message id
};

// Phases, in log order (importer.h).
Status import_account(ImportContext& c);
Status import_users(ImportContext& c);
Status import_rooms(ImportContext& c);
Status import_messages(ImportContext& c);
Status import_searches_and_push(ImportContext& c);
Status import_statuses(ImportContext& c);
Status count_uncarried(ImportContext& c);  // sessions and other rows read but not carried

// A source timestamp, or `fallback` (reported by the caller) when it is not Rails' format.
int64_t time_or(std::string_view text, int64_t fallback);

}  // namespace hearth::migrate
