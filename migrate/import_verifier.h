#pragma once
// `hearth import --verify --from SRC --to DATA_DIR`: compares a Rails database with a data
// directory imported from it, independently of the import's own bookkeeping:
//  - the log passes `replay verify` and the projections are caught up to it;
//  - counts per entity (users, placeholders, rooms, memberships, messages, boosts, searches,
//    push subscriptions, bans), with the importer's documented skips recomputed from the source;
//  - every membership (involvement), every message (room, creator, client id, time, plain text
//    recomputed from the body, mentions), and its plain text against Rails' own search index —
//    a difference there is explained only when the message mentions someone (names at indexing
//    time vs now);
//  - FTS hits for a word sampled from every 50th message; password digests; bot keys (the stored
//    hash is secret_hash of the Rails token, so "<id>-<token>" still authenticates).
// Every unexplained difference is printed (the first 50) and counted.
#include <cstdint>
#include <filesystem>
#include <ostream>

#include "core/base/result.h"

namespace hearth::migrate {

struct VerifyResult {
  int64_t checks = 0;
  int64_t differences = 0;
  int64_t explained = 0;  // plain-text vs Rails index differences explained by mentions
};

Result<VerifyResult> verify_import(const std::filesystem::path& source, const std::filesystem::path& data_dir,
                                   std::ostream& out);

}  // namespace hearth::migrate
