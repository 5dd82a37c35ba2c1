#include "server/realtime/event_json.h"

#include "server/files/urls.h"

#include "core/events/event_view.h"
#include "server/realtime/json_writer.h"

namespace hearth::server::realtime {
namespace {

namespace fbs = schema;

// Field writers: one line per schema field in the switch below, so a review can hold each case
// against schema/events.fbs.
struct DataWriter {
  JsonWriter& w;

  void id(std::string_view k, int64_t v) { w.key(k).integer(v); }
  void text(std::string_view k, const flatbuffers::String* s) { w.key(k).string(sv(s)); }
  void flag(std::string_view k, bool v) { w.key(k).boolean(v); }
  void ids(std::string_view k, const flatbuffers::Vector<int64_t>* v) {
    w.key(k).begin_array();
    if (v) {
      for (int64_t x : *v) w.integer(x);
    }
    w.end_array();
  }
  void blob(std::string_view k, const fbs::BlobRef* b) {
    if (!b) return;  // absent: removed, or no attachment
    w.key(k).begin_object();
    text("content_hash", b->content_hash());
    w.key("byte_size").unsigned_integer(b->byte_size());
    text("content_type", b->content_type());
    text("filename", b->filename());
    if (b->width() != 0) w.key("width").unsigned_integer(b->width());
    if (b->height() != 0) w.key("height").unsigned_integer(b->height());
    w.end_object();
  }
  // A message's file, as message pages show it (server/files/urls.h).
  void attachment(int64_t message_id, const fbs::BlobRef* b) {
    if (!b) return;
    std::string_view type = b->content_type() ? b->content_type()->string_view() : std::string_view();
    auto links = files::attachment_links(message_id, type, b->width(), b->height());
    w.key("attachment").begin_object();
    text("filename", b->filename());
    text("content_type", b->content_type());
    w.key("byte_size").unsigned_integer(b->byte_size());
    w.key("url").string(links.url);
    if (links.image) {
      w.key("width").unsigned_integer(b->width());
      w.key("height").unsigned_integer(b->height());
      w.key("thumbnail_url").string(links.thumbnail_url);
      w.key("thumbnail_width").unsigned_integer(links.thumbnail_width);
      w.key("thumbnail_height").unsigned_integer(links.thumbnail_height);
    }
    w.end_object();
  }
  void kind(fbs::RoomKind k) { w.key("kind").string(room_kind_name(from_schema(k))); }
  void role(fbs::Role r) { w.key("role").string(role_name(from_schema(r))); }
  void involvement(fbs::Involvement i) { w.key("involvement").string(involvement_name(from_schema(i))); }
};

// The payload's fields, secrets left out (see the header). No `default:` on purpose: a union
// member added to the schema without a case here is a -Wswitch error under -Werror.
void write_data(DataWriter& d, const fbs::Event& ev) {
  using P = fbs::Payload;
  switch (ev.payload_type()) {
    case P::NONE: return;
    case P::AccountCreated: {
      auto* p = ev.payload_as_AccountCreated();
      d.text("name", p->name());  // join_code left out
      return;
    }
    case P::AccountRenamed: d.text("name", ev.payload_as_AccountRenamed()->name()); return;
    case P::AccountLogoChanged: d.blob("logo", ev.payload_as_AccountLogoChanged()->logo()); return;
    case P::AccountCustomStylesChanged: d.text("css", ev.payload_as_AccountCustomStylesChanged()->css()); return;
    case P::AccountSettingsChanged:
      d.flag("restrict_room_creation_to_administrators",
             ev.payload_as_AccountSettingsChanged()->restrict_room_creation_to_administrators());
      return;
    case P::JoinCodeReset: return;  // only join_code, left out
    case P::UserJoined: {
      auto* p = ev.payload_as_UserJoined();  // email, password_digest left out
      d.id("user_id", p->user_id());
      d.text("name", p->name());
      d.role(p->role());
      return;
    }
    case P::BotCreated: {
      auto* p = ev.payload_as_BotCreated();  // bot_token_hash, webhook_url left out
      d.id("user_id", p->user_id());
      d.text("name", p->name());
      return;
    }
    case P::UserProfileChanged: {
      auto* p = ev.payload_as_UserProfileChanged();  // email left out
      d.id("user_id", p->user_id());
      d.text("name", p->name());
      d.text("bio", p->bio());
      return;
    }
    case P::UserAvatarChanged: {
      auto* p = ev.payload_as_UserAvatarChanged();
      d.id("user_id", p->user_id());
      d.blob("avatar", p->avatar());
      return;
    }
    case P::PasswordChanged: d.id("user_id", ev.payload_as_PasswordChanged()->user_id()); return;
    case P::RoleChanged: {
      auto* p = ev.payload_as_RoleChanged();
      d.id("user_id", p->user_id());
      d.role(p->role());
      return;
    }
    case P::UserDeactivated: d.id("user_id", ev.payload_as_UserDeactivated()->user_id()); return;
    case P::UserBanned: d.id("user_id", ev.payload_as_UserBanned()->user_id()); return;
    case P::UserUnbanned: d.id("user_id", ev.payload_as_UserUnbanned()->user_id()); return;
    case P::BotKeyReset: d.id("user_id", ev.payload_as_BotKeyReset()->user_id()); return;
    case P::WebhookSet: d.id("user_id", ev.payload_as_WebhookSet()->user_id()); return;
    case P::SessionStarted: {
      auto* p = ev.payload_as_SessionStarted();  // token_hash, ip_address, user_agent left out
      d.id("session_id", p->session_id());
      d.id("user_id", p->user_id());
      return;
    }
    case P::SessionEnded: {
      auto* p = ev.payload_as_SessionEnded();
      d.id("session_id", p->session_id());
      d.id("user_id", p->user_id());
      return;
    }
    case P::RoomCreated: {
      auto* p = ev.payload_as_RoomCreated();
      d.id("room_id", p->room_id());
      d.kind(p->kind());
      d.text("name", p->name());
      d.id("creator_id", p->creator_id());
      return;
    }
    case P::RoomRenamed: {
      auto* p = ev.payload_as_RoomRenamed();
      d.id("room_id", p->room_id());
      d.text("name", p->name());
      return;
    }
    case P::RoomConverted: {
      auto* p = ev.payload_as_RoomConverted();
      d.id("room_id", p->room_id());
      d.kind(p->kind());
      return;
    }
    case P::RoomDeleted: d.id("room_id", ev.payload_as_RoomDeleted()->room_id()); return;
    case P::MembershipGranted: {
      auto* p = ev.payload_as_MembershipGranted();
      d.id("room_id", p->room_id());
      d.id("user_id", p->user_id());
      d.involvement(p->involvement());
      return;
    }
    case P::MembershipRevoked: {
      auto* p = ev.payload_as_MembershipRevoked();
      d.id("room_id", p->room_id());
      d.id("user_id", p->user_id());
      return;
    }
    case P::InvolvementChanged: {
      auto* p = ev.payload_as_InvolvementChanged();
      d.id("room_id", p->room_id());
      d.id("user_id", p->user_id());
      d.involvement(p->involvement());
      return;
    }
    case P::RoomRead: {
      auto* p = ev.payload_as_RoomRead();
      d.id("room_id", p->room_id());
      d.id("user_id", p->user_id());
      return;
    }
    case P::MessagePosted: {
      auto* p = ev.payload_as_MessagePosted();
      d.id("message_id", p->message_id());
      d.id("room_id", p->room_id());
      d.id("creator_id", p->creator_id());
      d.text("client_message_id", p->client_message_id());
      d.text("body_html", p->body_html());
      d.text("plain_text", p->plain_text());
      d.ids("mentioned_user_ids", p->mentioned_user_ids());
      d.attachment(p->message_id(), p->attachment());
      d.ids("unread_user_ids", p->unread_user_ids());
      return;
    }
    case P::MessageEdited: {
      auto* p = ev.payload_as_MessageEdited();
      d.id("message_id", p->message_id());
      d.id("room_id", p->room_id());
      d.text("body_html", p->body_html());
      d.text("plain_text", p->plain_text());
      d.ids("mentioned_user_ids", p->mentioned_user_ids());
      return;
    }
    case P::MessageRemoved: {
      auto* p = ev.payload_as_MessageRemoved();
      d.id("message_id", p->message_id());
      d.id("room_id", p->room_id());
      return;
    }
    case P::BoostAdded: {
      auto* p = ev.payload_as_BoostAdded();
      d.id("boost_id", p->boost_id());
      d.id("message_id", p->message_id());
      d.id("room_id", p->room_id());
      d.id("booster_id", p->booster_id());
      d.text("content", p->content());
      return;
    }
    case P::BoostRemoved: {
      auto* p = ev.payload_as_BoostRemoved();
      d.id("boost_id", p->boost_id());
      d.id("message_id", p->message_id());
      d.id("room_id", p->room_id());
      return;
    }
    case P::SearchRecorded: {
      auto* p = ev.payload_as_SearchRecorded();
      d.id("user_id", p->user_id());
      d.text("query", p->query());
      return;
    }
    case P::SearchesCleared: d.id("user_id", ev.payload_as_SearchesCleared()->user_id()); return;
    case P::PushSubscriptionAdded: {
      auto* p = ev.payload_as_PushSubscriptionAdded();  // endpoint, keys, user_agent left out
      d.id("subscription_id", p->subscription_id());
      d.id("user_id", p->user_id());
      return;
    }
    case P::PushSubscriptionRemoved: {
      auto* p = ev.payload_as_PushSubscriptionRemoved();
      d.id("subscription_id", p->subscription_id());
      d.id("user_id", p->user_id());
      return;
    }
  }
}

}  // namespace

std::string event_json(const StoredEvent& e) {
  std::string out;
  // The payload's size bounds its text closely (strings dominate); the header adds ~100 bytes.
  out.reserve(e.payload.size() + 128);
  JsonWriter w(out);
  w.begin_object();
  w.key("seq").integer(e.seq.value);
  w.key("time").integer(e.time_us);
  w.key("type").string(event_type_name(e.type));
  w.key("actor").integer(e.actor.value);
  w.key("command_id");
  if (e.command_id.empty()) {
    w.null();
  } else {
    w.string(e.command_id);
  }
  w.key("data").begin_object();
  if (!e.payload.empty()) {
    // The caller verified the payload (view_event), so reading the root directly is safe.
    const auto* ev = fbs::GetEvent(e.payload.data());
    if (static_cast<uint32_t>(ev->payload_type()) == e.type) {
      DataWriter d{w};
      write_data(d, *ev);
    }
  }
  w.end_object();
  w.end_object();
  return out;
}

}  // namespace hearth::server::realtime
