#pragma once
// `hearth replay verify DATA_DIR`: contiguity, checksums, chain and the FlatBuffers verifier
// over the whole log (DESIGN I2), reporting the first bad seq.
#include <filesystem>
#include <ostream>

#include "core/base/ids.h"
#include "core/base/result.h"

namespace hearth::replay {

struct VerifyReport {
  int64_t events = 0;
  Seq last_seq;
  uint64_t chain = 0;  // chain[last_seq]; 0 for an empty log
};

// Errors: kNotFound / kIo when the log cannot be opened; kCorruption either because the file is
// not a Hearth log or because an event fails a check ("log corrupt at seq N: ...").
// `opened` (optional) is set once the log was opened, so callers can tell "not a log" from
// "a corrupt log".
Result<VerifyReport> verify_log(const std::filesystem::path& data_dir, bool* opened = nullptr);

// Prints "ok: N events, last seq S, chain <16 hex>" to `out`, or the error to `err`.
// Returns kExitOk, kExitFindings (corrupt) or kExitBadInput (not there / not a Hearth log).
int run_verify(const std::filesystem::path& data_dir, std::ostream& out, std::ostream& err);

}  // namespace hearth::replay
