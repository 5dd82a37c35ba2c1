#include "server/files/pinned_blob.h"

#include <utility>
#include <variant>

#include "server/files/stored_file.h"

namespace hearth::server::files {
namespace {

void attach(CommandEnvelope& post, const Blob& blob) { std::get<cmd::PostMessage>(post.command).attachment = blob; }

void release(BlobReaper::Pin& pin, const Outcome& o) { pin.release(o.ok() ? o->seq.value : 0); }

template <typename Store>
Result<PinnedBlob> store_pinned(BlobReaper& reaper, Store store) {
  // Taken before the file is stored: its hash is not known until then (blob_reaper.h).
  auto pin = reaper.pin();
  Result<Blob> blob = store();
  if (!blob.ok()) return blob.take_error();
  pin->set(blob->content_hash);
  return PinnedBlob{std::move(*blob), std::move(pin)};
}

}  // namespace

Result<PinnedBlob> store_pinned_upload(BlobReaper& reaper, const blobs::BlobStore& store,
                                       blobs::BlobStore::Writer writer, std::string_view filename,
                                       std::string_view content_type) {
  return store_pinned(reaper, [&] { return store_upload(store, std::move(writer), filename, content_type); });
}

Result<PinnedBlob> store_pinned_bytes(BlobReaper& reaper, const blobs::BlobStore& store, std::string_view bytes,
                                      std::string_view filename, std::string_view content_type, uint64_t max_bytes) {
  return store_pinned(reaper, [&] { return store_bytes(store, bytes, filename, content_type, max_bytes); });
}

void submit_with_blob(Sequencer& sequencer, CommandEnvelope post, PinnedBlob blob, Sequencer::Done done) {
  attach(post, blob.blob);
  sequencer.submit(std::move(post), [pin = std::move(blob.pin), done = std::move(done)](Outcome o) mutable {
    release(*pin, o);
    done(std::move(o));
  });
}

Outcome execute_with_blob(Sequencer& sequencer, CommandEnvelope post, PinnedBlob blob) {
  attach(post, blob.blob);
  Outcome o = sequencer.execute(std::move(post));
  release(*blob.pin, o);
  return o;
}

}  // namespace hearth::server::files
