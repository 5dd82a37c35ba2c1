#pragma once
// Search of message text scoped to the searcher's rooms (CAMPFIRE.md 2.13): the newest
// kSearchResults messages matching every term, in rooms the user is a member of now (any
// involvement, pings included), returned oldest first. "Newest" is by message id, which the
// sequencer hands out in log order.
//
// How it stays fast (bench/search, 1,000,000 messages over 100 rooms, users in 10 rooms each):
// FTS5 walks the terms' doclists newest-first (ORDER BY rowid DESC is native to FTS5, no sort),
// each match's room is checked against the user's rooms (an in-memory list SQLite builds once
// per query), and the walk stops at the 100th hit. With a user in 1/10 of the rooms that is about
// 1,000 index entries for a common word, whatever its total count. The obvious join (match
// everything, join, filter, sort by time, take 100) materializes and sorts every match: hundreds
// of milliseconds for a word in most messages.
//
// Alternatives measured and not taken: the room as a second FTS5 column intersected with
// `room: (r1 OR ... r10)` was slower than the walk for every query shape (2-3x for common words,
// 10-100x for rare ones: FTS5 reads the ten room doclists, ~100,000 entries, in reverse); a per-room token for every
// word needs a custom tokenizer registered on every connection that opens state.sqlite3.
// Several terms whose matches are few (at most 500 anywhere) are read forward instead, where
// FTS5 intersects faster (message_search.cc).
// Known cost of the walk: a word frequent only in rooms the searcher is NOT in is walked to the
// end of its doclist (bench/search reports this case separately).
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/sqlite/db.h"
#include "projections/search_query.h"

namespace hearth {

inline constexpr int kSearchResults = 100;

struct SearchHit {
  MessageId id;
  RoomId room;
  std::string room_name;
  UserId creator;
  std::string body_html;
  std::string plain_text;
  int64_t created_at_us = 0;
};

// An empty query (no terms) returns no hits without reading the index. `db` is any connection to
// state.sqlite3; its reads run in one read transaction (begun here unless the caller is in one),
// so they see one snapshot.
Result<std::vector<SearchHit>> search_messages(sqlite::Db& db, UserId user, const SearchQuery& query,
                                               int limit = kSearchResults);

}  // namespace hearth
