#include "support/state_reads.h"

namespace hearth::testing {

std::string current_join_code(DataDir& dir) {
  dir.sequencer().wait_applied(dir.sequencer().committed_seq());
  auto db = sqlite::Db::open(dir.state_path(), sqlite::Db::Mode::kReadOnly);
  if (!db) return "";
  auto st = db->prepare("SELECT join_code FROM account");
  if (!st) return "";
  auto row = st->step();
  return row.ok() && *row ? std::string(st->col_text(0)) : std::string();
}

}  // namespace hearth::testing
