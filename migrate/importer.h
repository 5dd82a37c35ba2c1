#pragma once
// `hearth import`: a Rails Campfire SQLite database into a NEW Hearth data directory.
//
// Guarantees (issue 4):
//  - the source is opened read-only, in one read transaction (source_db.h);
//  - the output is built under a temporary name next to `to` and renamed (RENAME_NOREPLACE) only
//    when complete; on any failure the temporary directory is removed: no partial output;
//  - deterministic: the same source gives the same log.sqlite3, byte for byte (fixed event order,
//    fixed batch size, the log rewritten in rollback-journal mode at the end);
//  - ids and timestamps are the source's.
//
// Event order (every event's references exist before it):
//   1. account: AccountCreated, custom styles, settings, logo;
//   2. users by id: UserJoined / BotCreated (+ webhook), profile (bio), avatar; then a placeholder
//      UserJoined for every missing user id that messages or boosts still point at;
//   3. rooms by id, each followed by its memberships in (created_at, id) order;
//   4. messages in (created_at, id) order: MessagePosted (the room's last message carries the
//      members Campfire had marked unread), MessageEdited when the rich text was edited, then the
//      message's boosts in (created_at, id) order;
//   5. searches in (updated_at, id) order, push subscriptions by id;
//   6. status last, by user id: UserDeactivated (placeholders too), UserBanned with the IPs of its
//      bans — last, because the user's messages were posted while they were active.
// Each event's time is the source row's timestamp, so the log's times are not monotonic: order
// is the sequence number, as always. Sessions are not carried (users sign in again).
#include <filesystem>
#include <ostream>

#include "core/base/result.h"
#include "migrate/import_report.h"

namespace hearth::migrate {

struct ImportOptions {
  std::filesystem::path from;     // the Rails database
  std::filesystem::path storage;  // the Rails storage directory (blob files); may be empty
  std::filesystem::path to;       // the new data directory; must not exist
  std::ostream* progress = nullptr;  // stderr in the CLI; nullptr: silent
  bool progress_tty = false;
  size_t batch_events = 4096;     // events per log transaction (part of the byte-exact output)
};

// Errors: kConflict (`to` exists), kNotFound (no source), kInvalid (not a Campfire database),
// kCorruption (damaged source), kIo. The report is complete only on success.
Result<ImportReport> import_campfire(const ImportOptions& options);

}  // namespace hearth::migrate
