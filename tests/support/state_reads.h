#pragma once
// Reads from a live data directory that tests share, each after the sequencer applied everything.
#include <string>

#include "projections/data_dir.h"

namespace hearth::testing {

// The account's current join code ("" before the first run).
std::string current_join_code(DataDir& dir);

}  // namespace hearth::testing
