#pragma once
// A server secret kept in a file of the data directory (mode 0600): made of random bytes the first
// time it is asked for, then read back on every start. One file per purpose (csrf.key for the CSRF
// tokens; others for session-transfer links, sealed bot keys...), so replacing one secret
// invalidates only what it protects. The log never holds these: a log dump stays shareable.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/base/result.h"

namespace hearth::auth {

// The `bytes`-long key at `path`; created (O_EXCL, fsynced) when absent. A file of another length
// is an error (kCorruption), never silently replaced: that would sign everyone out.
Result<std::vector<uint8_t>> load_or_create_key(const std::string& path, size_t bytes, Random& random);

}  // namespace hearth::auth
