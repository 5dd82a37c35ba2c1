#pragma once
// The tables of DATA_DIR/state.sqlite3 (DESIGN "Projections"). Every row is a fold of the log;
// timestamps are the time_us of the event that wrote them (DESIGN I3).
//
// Enum columns hold the schema's codes: rooms.kind (RoomKind), users.role (Role),
// users.status (UserStatus), memberships.involvement (Involvement). Blob references are four
// columns <name>_hash/_size/_content_type/_filename, all NULL when there is none (messages add
// attachment_width/_height, the pixels of an attached image).
#include "core/sqlite/db.h"

namespace hearth {

// Bumped when the DDL changes incompatibly; a state file of another version is rebuilt from the
// log rather than migrated (it is disposable).
// 2: the *_history tables (viewer facts as of a past seq).
// 3: users.bot_token_sealed.
// 4: messages.attachment_width/_height (an attached image's size, for its thumbnail).
inline constexpr int kStateSchemaVersion = 4;

// Creates every table, index and trigger that does not exist yet, and the singleton rows
// (id_counters, meta). Idempotent. Refuses a file written with another kStateSchemaVersion.
Status create_state_schema(sqlite::Db& db);

}  // namespace hearth
