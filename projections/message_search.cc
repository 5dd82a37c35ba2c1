#include "projections/message_search.h"

#include <algorithm>

namespace hearth {
namespace {

// CROSS JOIN fixes the FTS table as the outer loop, so its rowid order satisfies ORDER BY (no
// temporary b-tree) and LIMIT ends the walk; the IN list is built once per statement.
constexpr const char* kScopedSearch =
    "SELECT m.id, m.room_id, r.name, m.creator_id, m.body_html, m.plain_text, m.created_at_us "
    "FROM message_search CROSS JOIN messages AS m CROSS JOIN rooms AS r "
    "WHERE message_search MATCH ?1 AND m.id = message_search.rowid "
    "AND m.room_id IN (SELECT room_id FROM memberships WHERE user_id = ?2) AND r.id = m.room_id "
    "ORDER BY message_search.rowid DESC LIMIT ?3";

}  // namespace

Result<std::vector<SearchHit>> search_messages(sqlite::Db& db, UserId user, const SearchQuery& query, int limit) {
  std::vector<SearchHit> hits;
  if (query.empty() || limit <= 0) return hits;
  auto s = db.prepare(kScopedSearch);
  if (!s) return s.take_error();
  s->bind(1, query.match).bind(2, user.value).bind(3, static_cast<int64_t>(limit));
  for (;;) {
    auto row = s->step();
    if (!row) return row.take_error();
    if (!*row) break;
    SearchHit& h = hits.emplace_back();
    h.id = MessageId(s->col_int(0));
    h.room = RoomId(s->col_int(1));
    h.room_name = std::string(s->col_text(2));
    h.creator = UserId(s->col_int(3));
    h.body_html = std::string(s->col_text(4));
    h.plain_text = std::string(s->col_text(5));
    h.created_at_us = s->col_int(6);
  }
  std::reverse(hits.begin(), hits.end());  // oldest first, as Campfire shows them
  return hits;
}

}  // namespace hearth
