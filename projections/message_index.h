#pragma once
// MessageIndex over state.sqlite3, with its own read-only connection (WAL: it never blocks the
// projector). Used only on the sequencer thread.
#include <memory>
#include <string>

#include "core/sequencer/downstream.h"
#include "core/sqlite/db.h"

namespace hearth {

class SqliteMessageIndex final : public MessageIndex {
 public:
  static Result<std::unique_ptr<SqliteMessageIndex>> open(const std::string& state_path);
  Result<std::optional<MessageFacts>> message(MessageId id) override;
  Result<std::optional<BoostFacts>> boost(BoostId id) override;
  Result<std::vector<MessageId>> messages_by(UserId creator) override;

 private:
  explicit SqliteMessageIndex(sqlite::Db db) : db_(std::move(db)) {}
  sqlite::Db db_;
  sqlite::Stmt message_, boost_, by_creator_;
};

}  // namespace hearth
