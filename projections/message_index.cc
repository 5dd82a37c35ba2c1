#include "projections/message_index.h"

namespace hearth {

Result<std::unique_ptr<SqliteMessageIndex>> SqliteMessageIndex::open(const std::string& state_path) {
  auto db = sqlite::Db::open(state_path, sqlite::Db::Mode::kReadOnly);
  if (!db) return db.take_error();
  std::unique_ptr<SqliteMessageIndex> index(new SqliteMessageIndex(std::move(*db)));
  auto prepare = [&](sqlite::Stmt& into, std::string_view sql) -> Status {
    auto s = index->db_.prepare(sql);
    if (!s) return s.take_error();
    into = std::move(*s);
    return ok_status();
  };
  HEARTH_TRY(prepare(index->message_,
                     "SELECT room_id, creator_id, attachment_hash IS NOT NULL FROM messages WHERE id = ?1"));
  HEARTH_TRY(prepare(index->boost_, "SELECT message_id, room_id, booster_id FROM boosts WHERE id = ?1"));
  HEARTH_TRY(prepare(index->by_creator_, "SELECT id FROM messages WHERE creator_id = ?1 ORDER BY id"));
  return index;
}

// Each look-up resets its statement before returning, so no read transaction stays open and
// the next call sees what the projector committed since.
Result<std::optional<MessageFacts>> SqliteMessageIndex::message(MessageId id) {
  message_.bind(1, id.value);
  auto row = message_.step();
  if (!row) return row.take_error();
  std::optional<MessageFacts> facts;
  if (*row) facts = MessageFacts{RoomId(message_.col_int(0)), UserId(message_.col_int(1)), message_.col_int(2) != 0};
  message_.reset();
  return facts;
}

Result<std::optional<BoostFacts>> SqliteMessageIndex::boost(BoostId id) {
  boost_.bind(1, id.value);
  auto row = boost_.step();
  if (!row) return row.take_error();
  std::optional<BoostFacts> facts;
  if (*row) facts = BoostFacts{MessageId(boost_.col_int(0)), RoomId(boost_.col_int(1)), UserId(boost_.col_int(2))};
  boost_.reset();
  return facts;
}

Result<std::vector<MessageId>> SqliteMessageIndex::messages_by(UserId creator) {
  by_creator_.bind(1, creator.value);
  std::vector<MessageId> ids;
  for (;;) {
    auto row = by_creator_.step();
    if (!row) return row.take_error();
    if (!*row) break;
    ids.emplace_back(by_creator_.col_int(0));
  }
  by_creator_.reset();
  return ids;
}

}  // namespace hearth
