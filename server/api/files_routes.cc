// Attachments (CAMPFIRE.md 1.6, 2.11): a message carrying one file, posted as multipart/form-data
// and served to the members of its room while the message exists (docs/api.md "Files").
#include <boost/beast/http/field.hpp>

#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/api/routes.h"
#include "server/files/file_response.h"
#include "server/files/form_upload.h"
#include "server/files/pinned_blob.h"
#include "server/files/stored_file.h"
#include "server/http/router.h"
#include "server/message_commands.h"

namespace hearth::server::api {
namespace {

using http::bhttp::field;

// The refusal for a body that is not a form, or a form that failed; nullptr when `form` is usable.
std::shared_ptr<files::FormUpload> form_of(http::RequestContext& ctx, Respond& respond) {
  auto form = std::dynamic_pointer_cast<files::FormUpload>(ctx.streamed_body);
  unsigned version = ctx.request.version();
  if (!form) {
    respond(error(HS::unsupported_media_type, "bad_request", "Send the file as multipart/form-data", version));
    return nullptr;
  }
  if (form->outcome() != files::FormUpload::Outcome::kOk) {
    respond(form->error_response(version));
    return nullptr;
  }
  return form;
}

// POST /api/rooms/:room/attachments — fields `client_message_id` and the file `attachment`.
void post_attachment(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  RoomId room;
  auto who = api.member_for_write(ctx, respond, room, nullptr);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto form = form_of(ctx, respond);
  if (!form) return;
  auto client_id = form->field("client_message_id");
  auto file = form->take_file();
  if (!client_id || client_id->empty() || !file || file->field != "attachment") {
    return respond(error(HS::bad_request, "bad_request", "client_message_id and the file `attachment` are required", version));
  }
  auto present = api.presence().present_in(room);
  auto job = [&api, version, user = who->user, room, present = std::move(present), client_id = std::move(*client_id),
              file = std::make_shared<files::FormUpload::File>(std::move(*file))](Respond r) mutable {
    // Decoding and thumbnailing run here, on the pool, never on an IO thread.
    auto blob = files::store_pinned_upload(api.reaper(), api.blobs(), std::move(file->writer), file->filename,
                                           file->content_type);
    if (!blob.ok()) return r(from_error(blob.error(), version));
    CommandEnvelope command = server::post_message(user, std::move(client_id), room, "", std::move(present));
    files::submit_with_blob(api.sequencer(), std::move(command), std::move(*blob),
                            [r = std::move(r), version](Outcome o) mutable {
                              if (!o.ok()) return r(from_error(o.error(), version));
                              r(json_response(HS::created, json::object{{"seq", o->seq.value}, {"id", o->id}}, version));
                            });
  };
  api.queue_image_job(respond, version, std::move(job));
}

struct Attached {
  int64_t room = 0;
  Blob blob;
};

// The message's room and file, when the message exists, has a file and `user` is a member of
// its room; nullopt otherwise (one answer, 404, for all three: a non-member learns nothing).
Result<std::optional<Attached>> attached(ApiContext& api, int64_t message, UserId user) {
  auto l = api.lease();
  if (!l.ok()) return l.take_error();
  sqlite::Db& db = (*l)->db();
  auto s = db.prepare(
      "SELECT m.room_id, m.attachment_hash, COALESCE(m.attachment_size, 0), COALESCE(m.attachment_content_type, ''), "
      "COALESCE(m.attachment_filename, ''), COALESCE(m.attachment_width, 0), COALESCE(m.attachment_height, 0) "
      "FROM messages m JOIN memberships ms ON ms.room_id = m.room_id AND ms.user_id = ?2 "
      "WHERE m.id = ?1 AND m.attachment_hash IS NOT NULL");
  if (!s.ok()) return s.take_error();
  s->bind(1, message).bind(2, user.value);
  auto row = s->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return std::optional<Attached>();
  Attached a;
  a.room = s->col_int(0);
  a.blob.content_hash = s->col_text(1);
  a.blob.byte_size = static_cast<uint64_t>(s->col_int(2));
  a.blob.content_type = s->col_text(3);
  a.blob.filename = s->col_text(4);
  a.blob.width = static_cast<uint32_t>(s->col_int(5));
  a.blob.height = static_cast<uint32_t>(s->col_int(6));
  return std::optional<Attached>(std::move(a));
}

// GET /api/messages/:id/attachment and …/thumbnail.
void serve_attachment(ApiContext& api, http::RequestContext& ctx, Respond respond, bool thumbnail) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get("id"));
  auto not_found = [&] { respond(error(HS::not_found, "not_found", "No such file", version)); };
  if (!id) return not_found();
  auto found = attached(api, *id, who->user);
  if (!found.ok()) return respond(from_error(found.error(), version));
  if (!*found) return not_found();
  const Blob& blob = (*found)->blob;
  // Members only, and the URL of a message never shows other bytes: cached privately, for long.
  constexpr std::string_view kCache = "private, max-age=31536000, immutable";
  bool image = files::blob_image_kind(blob).has_value();
  if (thumbnail) {
    if (!image) return not_found();
    return respond(files::file_response(api.blobs().variant_path(blob.content_hash, files::kThumbnailVariant),
                                        "image/webp", files::Disposition::kInline, "", kCache, ctx.request));
  }
  auto path = api.blobs().find(blob.content_hash);
  if (!path) return not_found();
  respond(files::file_response(*path, blob.content_type.empty() ? "application/octet-stream" : blob.content_type,
                               image ? files::Disposition::kInline : files::Disposition::kAttachment, blob.filename,
                               kCache, ctx.request));
}

}  // namespace

void add_files_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  router.add_streamed(Verb::post, "/api/rooms/:room/attachments",
                      files::form_upload_factory(api.blobs(), api.max_upload_bytes()),
                      [p](auto& ctx, Respond r) { post_attachment(*p, ctx, std::move(r)); });
  router.add(Verb::get, "/api/messages/:id/attachment",
             [p](auto& ctx, Respond r) { serve_attachment(*p, ctx, std::move(r), false); });
  router.add(Verb::get, "/api/messages/:id/attachment/thumbnail",
             [p](auto& ctx, Respond r) { serve_attachment(*p, ctx, std::move(r), true); });
  add_picture_routes(router, api);
}

}  // namespace hearth::server::api
