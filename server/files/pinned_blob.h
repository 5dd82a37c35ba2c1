#pragma once
// A file on its way into a message — the browser's attachment post, the bot API's, a webhook's file
// reply: stored under a pin of the blob reaper (blob_reaper.h) and released with the outcome of the
// PostMessage that refers to it, so that no sweep between the store and the commit deletes it.
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/blobs/blob_store.h"
#include "core/commands/commands.h"
#include "core/sequencer/sequencer.h"
#include "server/files/blob_reaper.h"

namespace hearth::server::files {

struct PinnedBlob {
  Blob blob;
  std::shared_ptr<BlobReaper::Pin> pin;
};

// store_upload and store_bytes (stored_file.h) under a new pin. REQUIRES: `reaper` outlives the result.
Result<PinnedBlob> store_pinned_upload(BlobReaper& reaper, const blobs::BlobStore& store,
                                       blobs::BlobStore::Writer writer, std::string_view filename,
                                       std::string_view content_type);
Result<PinnedBlob> store_pinned_bytes(BlobReaper& reaper, const blobs::BlobStore& store, std::string_view bytes,
                                      std::string_view filename, std::string_view content_type, uint64_t max_bytes);

// Submits `post` (a PostMessage) with the blob attached; the pin is released with its outcome
// before `done` runs.
void submit_with_blob(Sequencer& sequencer, CommandEnvelope post, PinnedBlob blob, Sequencer::Done done);

// The same, waiting for the outcome: for threads that may block (webhook deliveries).
Outcome execute_with_blob(Sequencer& sequencer, CommandEnvelope post, PinnedBlob blob);

}  // namespace hearth::server::files
