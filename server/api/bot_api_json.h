#pragma once
// The JSON the bot API answers with, in Campfire's shapes (CAMPFIRE.md 2.15), read from the state
// database. `origin` ("http://host:port") makes the absolute URLs Campfire's url helpers give.
//
//   message: {id, created_at, body:{plain_text, html}, creator:{id, name, role, avatar_url},
//             room:{id}, url}              url = <origin>/rooms/<room>/messages/<id>
//   boost:   {id, content, created_at, booster:{id, name, role, avatar_url}, message:{id, url}}
//   created_at: UTC ISO-8601 with milliseconds, "2026-11-27T01:02:03.456Z".
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/sqlite/db.h"

namespace hearth::server::api {

std::string iso8601_ms(int64_t time_us);

// A message of `room`, or nullopt when there is none.
Result<std::optional<boost::json::object>> read_message_json(sqlite::Db& db, RoomId room, MessageId id,
                                                             const std::string& origin);
// A boost of a message of `room`, or nullopt.
Result<std::optional<boost::json::object>> read_boost_json(sqlite::Db& db, RoomId room, BoostId id,
                                                           const std::string& origin);
Result<bool> message_in_room(sqlite::Db& db, MessageId id, RoomId room);

struct BotPage {
  boost::json::array messages;         // oldest first, at most `limit`
  int64_t total = 0;                   // the room's message count (X-Total-Count)
  std::optional<int64_t> next_cursor;  // the id to page on from when more remain that way (Link)
};
// The newest `limit` messages (mode ""), the `limit` just before the cursor message ("before") or
// just after it ("after"), read in one transaction; nullopt when the cursor is not in the room.
Result<std::optional<BotPage>> read_bot_page(sqlite::Db& db, RoomId room, std::string_view mode,
                                             std::optional<int64_t> cursor, int limit, const std::string& origin);

}  // namespace hearth::server::api
