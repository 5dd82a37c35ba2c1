// Avatars (CAMPFIRE.md 2.18) and the account's logo (2.17): uploaded as multipart/form-data,
// re-encoded here as square PNGs (the upload itself is never served), with drawn fallbacks
// (docs/api.md "Files").
#include <boost/beast/http/field.hpp>

#include "core/sequencer/sequencer.h"
#include "server/api/context.h"
#include "server/api/routes.h"
#include "server/files/file_response.h"
#include "server/files/form_upload.h"
#include "server/files/placeholder_images.h"
#include "server/files/stored_file.h"
#include "server/http/router.h"

namespace hearth::server::api {
namespace {

constexpr uint32_t kAvatarSide = 512, kLogoSide = 512, kSmallLogoSide = 192;
constexpr std::string_view kSmallLogoVariant = "small.png";

// The uploaded picture as a square PNG of `side`, stored; an error (422) when it is not one of
// the four image types. `small` > 0 also writes the small.png variant of that side.
Result<Blob> store_picture(ApiContext& api, files::FormUpload::File file, uint32_t side, uint32_t small,
                           std::string_view name) {
  auto upload = files::store_upload(api.blobs(), std::move(file.writer), file.filename, file.content_type);
  if (!upload.ok()) return upload.take_error();
  auto kind = files::blob_image_kind(*upload);
  if (!kind) return invalid("the picture must be a PNG, JPEG, GIF or WebP image");
  auto source = api.blobs().find(upload->content_hash);
  if (!source) return Error{ErrorCode::kIo, "the uploaded picture is missing"};
  auto png = files::square_png(*source, *kind, side);
  if (!png.ok()) return png.take_error();
  // The upload itself is referenced by nothing: the sweep deletes it.
  auto blob = files::store_bytes(api.blobs(), *png, name, "image/png", api.max_upload_bytes());
  if (!blob.ok()) return blob.take_error();
  if (small > 0) {
    auto stored = api.blobs().find(blob->content_hash);
    if (!stored) return Error{ErrorCode::kIo, "the stored picture is missing"};
    auto little = files::square_png(*stored, files::ImageKind::kPng, small);
    if (!little.ok()) return little.take_error();
    HEARTH_TRY(api.blobs().put_variant(blob->content_hash, kSmallLogoVariant, *little));
  }
  return blob;
}

// Takes the form's `field` file, makes the picture on the pool and submits make(blob).
void change_picture(ApiContext& api, http::RequestContext& ctx, Respond respond, UserId user, std::string_view field,
                    uint32_t side, uint32_t small, std::function<Command(Blob)> make) {
  unsigned version = ctx.request.version();
  auto form = std::dynamic_pointer_cast<files::FormUpload>(ctx.streamed_body);
  if (!form) return respond(error(HS::unsupported_media_type, "bad_request", "Send the picture as multipart/form-data", version));
  if (form->outcome() != files::FormUpload::Outcome::kOk) return respond(form->error_response(version));
  auto file = form->take_file();
  if (!file || file->field != field) {
    return respond(error(HS::bad_request, "bad_request", "The file `" + std::string(field) + "` is required", version));
  }
  std::string name = std::string(field) + ".png";
  auto job = [&api, version, user, side, small, name, make = std::move(make),
              file = std::make_shared<files::FormUpload::File>(std::move(*file))](Respond r) mutable {
    auto pin = api.reaper().pin();
    auto blob = store_picture(api, std::move(*file), side, small, name);
    if (!blob.ok()) return r(from_error(blob.error(), version));
    pin->set(blob->content_hash);
    api.sequencer().submit(CommandEnvelope{user, "", make(std::move(*blob))},
                           [r = std::move(r), pin, version](Outcome o) mutable {
                             pin->release(o.ok() ? o->seq.value : 0);
                             if (!o.ok()) return r(from_error(o.error(), version));
                             r(json_response(HS::ok, json::object{{"seq", o->seq.value}}, version));
                           });
  };
  api.queue_image_job(respond, version, std::move(job));
}

bool is_administrator(ApiContext& api, UserId user, unsigned version, Respond& respond) {
  auto l = api.lease();
  if (!l.ok()) {
    respond(from_error(l.error(), version));
    return false;
  }
  auto role = (*l)->db().prepare("SELECT role FROM users WHERE id = ?");
  if (!role.ok()) {
    respond(from_error(role.error(), version));
    return false;
  }
  role->bind(1, user.value);
  auto row = role->step();
  if (row.ok() && *row && role->col_int(0) == static_cast<int64_t>(Role::kAdministrator)) return true;
  respond(error(HS::forbidden, "forbidden", "Only administrators change the logo", version));
  return false;
}

// GET /api/users/:id/avatar — signed-in users; the uploaded picture, else initials (bots: a robot).
void serve_avatar(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  auto who = api.authenticate(ctx, respond, false);
  if (!who) return;
  unsigned version = ctx.request.version();
  auto id = to_int(ctx.params.get("id"));
  if (!id) return respond(error(HS::not_found, "not_found", "No such user", version));
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  auto s = (*l)->db().prepare("SELECT name, role, COALESCE(avatar_hash, '') FROM users WHERE id = ?");
  if (!s.ok()) return respond(from_error(s.error(), version));
  s->bind(1, *id);
  auto row = s->step();
  if (!row.ok()) return respond(from_error(row.error(), version));
  if (!*row) return respond(error(HS::not_found, "not_found", "No such user", version));
  // Campfire caches avatars for 30 minutes; the URL's ?v= changes with the picture.
  constexpr std::string_view kCache = "private, max-age=1800";
  std::string hash(s->col_text(2));
  if (!hash.empty()) {
    if (auto path = api.blobs().find(hash)) {
      return respond(files::file_response(*path, "image/png", files::Disposition::kInline, "", kCache, ctx.request));
    }
  }
  bool bot = s->col_int(1) == static_cast<int64_t>(Role::kBot);
  respond(files::bytes_response(bot ? files::bot_svg() : files::initials_svg(*id, s->col_text(0)), "image/svg+xml",
                                kCache, version));
}

// GET /account/logo[?size=small] — public (the sign-in page and the web manifest show it).
void serve_logo(ApiContext& api, http::RequestContext& ctx, Respond respond) {
  unsigned version = ctx.request.version();
  constexpr std::string_view kCache = "public, max-age=300, stale-while-revalidate=604800";
  bool small = query_param(ctx.query, "size") == std::optional<std::string_view>("small");
  auto l = api.lease();
  if (!l.ok()) return respond(from_error(l.error(), version));
  std::string h;
  if (auto s = (*l)->db().prepare("SELECT COALESCE(logo_hash, '') FROM account WHERE id = 1"); s.ok()) {
    if (auto row = s->step(); row.ok() && *row) h = s->col_text(0);
  }
  if (!h.empty()) {
    auto path = small ? std::optional(api.blobs().variant_path(h, kSmallLogoVariant)) : api.blobs().find(h);
    if (path && std::filesystem::exists(*path)) {
      return respond(files::file_response(*path, "image/png", files::Disposition::kInline, "", kCache, ctx.request));
    }
  }
  respond(files::bytes_response(files::stock_logo_svg(), "image/svg+xml", kCache, version));
}

}  // namespace

void add_picture_routes(http::Router& router, ApiContext& api) {
  using http::Verb;
  ApiContext* p = &api;
  auto form = files::form_upload_factory(api.blobs(), api.max_upload_bytes());
  router.add_streamed(Verb::post, "/api/users/me/avatar", form, [p](auto& ctx, Respond r) {
    auto who = p->authenticate(ctx, r, true);
    if (!who) return;
    change_picture(*p, ctx, std::move(r), who->user, "avatar", kAvatarSide, 0,
                   [](Blob b) -> Command { return cmd::ChangeAvatar{std::move(b)}; });
  });
  router.add(Verb::delete_, "/api/users/me/avatar", [p](auto& ctx, Respond r) {
    auto who = p->authenticate(ctx, r, true);
    if (!who) return;
    p->answer_ack(CommandEnvelope{who->user, "", cmd::ChangeAvatar{std::nullopt}}, HS::ok, ctx.request.version(),
                  std::move(r));
  });
  router.add(Verb::get, "/api/users/:id/avatar", [p](auto& ctx, Respond r) { serve_avatar(*p, ctx, std::move(r)); });
  router.add_streamed(Verb::post, "/api/account/logo", form, [p](auto& ctx, Respond r) {
    auto who = p->authenticate(ctx, r, true);
    if (!who || !is_administrator(*p, who->user, ctx.request.version(), r)) return;
    change_picture(*p, ctx, std::move(r), who->user, "logo", kLogoSide, kSmallLogoSide,
                   [](Blob b) -> Command { return cmd::ChangeAccountLogo{std::move(b)}; });
  });
  router.add(Verb::delete_, "/api/account/logo", [p](auto& ctx, Respond r) {
    auto who = p->authenticate(ctx, r, true);
    if (!who) return;
    p->answer_ack(CommandEnvelope{who->user, "", cmd::ChangeAccountLogo{std::nullopt}}, HS::ok, ctx.request.version(),
                  std::move(r));
  });
  router.add(Verb::get, "/account/logo", [p](auto& ctx, Respond r) { serve_logo(*p, ctx, std::move(r)); });
}

}  // namespace hearth::server::api
