#pragma once
// Start-up never replays the whole log: the sequencer's write model is loaded from the
// projection tables, which are current to applied_seq. A property test checks the loaded model
// equals the one folded live by WriteModel::apply.
#include "core/sqlite/db.h"
#include "core/write_model/write_model.h"

namespace hearth {

Result<WriteModel> load_write_model(const sqlite::Db& state);

}  // namespace hearth
