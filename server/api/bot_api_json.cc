#include "server/api/bot_api_json.h"

#include <algorithm>
#include <ctime>

namespace hearth::server::api {
namespace json = boost::json;
namespace {

std::string_view role_name(int64_t role) {
  switch (role) {
    case 1: return "administrator";
    case 2: return "bot";
    default: return "member";
  }
}

json::object person(const sqlite::Stmt& s, int first, const std::string& origin) {
  int64_t id = s.col_int(first);
  return json::object{{"id", id},
                      {"name", s.col_text(first + 1)},
                      {"role", role_name(s.col_int(first + 2))},
                      {"avatar_url", origin + "/users/" + std::to_string(id) + "/avatar"}};
}

std::string message_url(const std::string& origin, int64_t room, int64_t id) {
  return origin + "/rooms/" + std::to_string(room) + "/messages/" + std::to_string(id);
}

constexpr const char* kMessageColumns =
    "SELECT m.id, m.room_id, m.body_html, m.plain_text, m.created_at_us, u.id, u.name, u.role, m.seq "
    "FROM messages m JOIN users u ON u.id = m.creator_id ";

json::object message_of(const sqlite::Stmt& s, const std::string& origin) {
  int64_t id = s.col_int(0), room = s.col_int(1);
  return json::object{{"id", id},
                      {"created_at", iso8601_ms(s.col_int(4))},
                      {"body", json::object{{"plain_text", s.col_text(3)}, {"html", s.col_text(2)}}},
                      {"creator", person(s, 5, origin)},
                      {"room", json::object{{"id", room}}},
                      {"url", message_url(origin, room, id)}};
}

}  // namespace

std::string iso8601_ms(int64_t time_us) {
  int64_t seconds = time_us / 1'000'000;
  int64_t ms = (time_us % 1'000'000) / 1000;
  if (ms < 0) {
    ms += 1000;
    --seconds;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];  // room for any int the format could print, so gcc can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

Result<std::optional<json::object>> read_message_json(sqlite::Db& db, RoomId room, MessageId id,
                                                      const std::string& origin) {
  auto s = db.prepare(std::string(kMessageColumns) + "WHERE m.id = ? AND m.room_id = ?");
  if (!s.ok()) return s.take_error();
  s->bind(1, id.value).bind(2, room.value);
  auto row = s->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return std::optional<json::object>();
  return std::optional<json::object>(message_of(*s, origin));
}

Result<std::optional<json::object>> read_boost_json(sqlite::Db& db, RoomId room, BoostId id, const std::string& origin) {
  auto s = db.prepare(
      "SELECT b.id, b.content, b.created_at_us, b.message_id, b.room_id, u.id, u.name, u.role FROM boosts b "
      "JOIN users u ON u.id = b.booster_id WHERE b.id = ? AND b.room_id = ?");
  if (!s.ok()) return s.take_error();
  s->bind(1, id.value).bind(2, room.value);
  auto row = s->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return std::optional<json::object>();
  int64_t message = s->col_int(3);
  return std::optional<json::object>(json::object{
      {"id", s->col_int(0)},
      {"content", s->col_text(1)},
      {"created_at", iso8601_ms(s->col_int(2))},
      {"booster", person(*s, 5, origin)},
      {"message", json::object{{"id", message}, {"url", message_url(origin, s->col_int(4), message)}}}});
}

Result<bool> message_in_room(sqlite::Db& db, MessageId id, RoomId room) {
  auto s = db.prepare("SELECT 1 FROM messages WHERE id = ? AND room_id = ?");
  if (!s.ok()) return s.take_error();
  s->bind(1, id.value).bind(2, room.value);
  return s->step();
}

Result<std::optional<BotPage>> read_bot_page(sqlite::Db& db, RoomId room, std::string_view mode,
                                             std::optional<int64_t> cursor, int limit, const std::string& origin) {
  HEARTH_TRY(db.exec("BEGIN"));
  auto read = [&]() -> Result<std::optional<BotPage>> {
    BotPage page;
    auto count = db.prepare("SELECT count(*) FROM messages WHERE room_id = ?");
    if (!count.ok()) return count.take_error();
    count->bind(1, room.value);
    auto counted = count->step();
    if (!counted.ok()) return counted.take_error();
    page.total = count->col_int(0);

    int64_t cursor_seq = 0;
    if (cursor) {
      auto c = db.prepare("SELECT seq FROM messages WHERE id = ? AND room_id = ?");
      if (!c.ok()) return c.take_error();
      c->bind(1, *cursor).bind(2, room.value);
      auto row = c->step();
      if (!row.ok()) return row.take_error();
      if (!*row) return std::optional<BotPage>();
      cursor_seq = c->col_int(0);
    }
    // One more than a page tells whether more remain that way. Order is the log's (seq): a
    // message's place never changes, and no two share one, unlike Campfire's created_at.
    bool after = mode == "after";
    std::string where = "WHERE m.room_id = ? ";
    if (cursor) where += after ? "AND m.seq > ? " : "AND m.seq < ? ";
    auto s = db.prepare(std::string(kMessageColumns) + where + (after ? "ORDER BY m.seq ASC" : "ORDER BY m.seq DESC") +
                        " LIMIT ?");
    if (!s.ok()) return s.take_error();
    int i = 1;
    s->bind(i++, room.value);
    if (cursor) s->bind(i++, cursor_seq);
    s->bind(i, int64_t{limit} + 1);
    for (;;) {
      auto row = s->step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      page.messages.push_back(message_of(*s, origin));
    }
    bool more = page.messages.size() > static_cast<size_t>(limit);
    if (more) page.messages.pop_back();
    if (!after) std::reverse(page.messages.begin(), page.messages.end());
    if (more && !page.messages.empty()) {
      // Older: on from the oldest shown; newer (?after=): on from the newest shown.
      const auto& edge = after ? page.messages.back() : page.messages.front();
      page.next_cursor = edge.as_object().at("id").as_int64();
    }
    return std::optional<BotPage>(std::move(page));
  };
  auto out = read();
  (void)db.exec("COMMIT");
  return out;
}

}  // namespace hearth::server::api
