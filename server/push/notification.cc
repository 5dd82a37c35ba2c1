#include "server/push/notification.h"

#include <algorithm>
#include <cctype>
#include <boost/json.hpp>

#include "core/commands/commands.h"
#include "server/push/message_encryption.h"

namespace hearth::server::push {
namespace {

namespace json = boost::json;

// `text` cut to at most `bytes`, not inside a UTF-8 sequence, with an ellipsis when cut.
std::string cut(std::string_view text, size_t bytes) {
  if (text.size() <= bytes) return std::string(text);
  size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}

std::string render(std::string_view title, std::string_view body, RoomId room, int64_t badge) {
  json::object data{{"path", "/rooms/" + std::to_string(room.value)}, {"badge", badge}};
  json::object options{{"body", body}, {"icon", "/account/logo"}, {"data", std::move(data)}};
  return json::serialize(json::object{{"title", title}, {"options", std::move(options)}});
}

// The JSON, its text shortened until it fits one record (escapes can make JSON longer than its text).
std::string notification_json(std::string_view title, std::string_view prefix, std::string_view text, RoomId room,
                              int64_t badge) {
  size_t room_for_text = 2000;
  for (;;) {
    std::string body = std::string(prefix) + cut(text, room_for_text);
    std::string out = render(cut(title, 500), body, room, badge);
    if (out.size() <= kMaxPlaintextBytes || room_for_text == 0) return out;
    room_for_text /= 2;
  }
}

}  // namespace

Result<std::vector<Notification>> plan_notifications(sqlite::Db& state, const PostedMessage& message,
                                                     const std::vector<UserId>& connected) {
  std::vector<Notification> out;
  auto room = state.prepare("SELECT kind, name FROM rooms WHERE id = ?");
  if (!room.ok()) return room.take_error();
  room->bind(1, message.room.value);
  auto found = room->step();
  if (!found.ok()) return found.take_error();
  if (!*found) return out;  // deleted since: nobody to tell
  bool direct = room->col_int(0) == static_cast<int64_t>(RoomKind::kDirect);
  std::string room_name(room->col_text(1));

  auto author = state.prepare("SELECT name FROM users WHERE id = ?");
  if (!author.ok()) return author.take_error();
  author->bind(1, message.author.value);
  auto has_author = author->step();
  if (!has_author.ok()) return has_author.take_error();
  std::string author_name = *has_author ? std::string(author->col_text(0)) : std::string();

  auto members = state.prepare(
      "SELECT m.user_id, m.involvement FROM memberships m JOIN users u ON u.id = m.user_id "
      "WHERE m.room_id = ? AND m.user_id != ? AND u.status = ? AND u.role != ? AND m.involvement IN (?, ?) "
      "ORDER BY m.user_id");
  if (!members.ok()) return members.take_error();
  members->bind(1, message.room.value)
      .bind(2, message.author.value)
      .bind(3, static_cast<int64_t>(UserStatus::kActive))
      .bind(4, static_cast<int64_t>(Role::kBot))
      .bind(5, static_cast<int64_t>(Involvement::kEverything))
      .bind(6, static_cast<int64_t>(Involvement::kMentions));
  std::vector<UserId> recipients;
  for (;;) {
    auto row = members->step();
    if (!row.ok()) return row.take_error();
    if (!*row) break;
    UserId user(members->col_int(0));
    bool everything = members->col_int(1) == static_cast<int64_t>(Involvement::kEverything);
    bool mentioned = std::find(message.mentioned.begin(), message.mentioned.end(), user) != message.mentioned.end();
    if (!everything && !mentioned) continue;
    if (std::find(connected.begin(), connected.end(), user) != connected.end()) continue;
    recipients.push_back(user);
  }

  std::string_view text = message.plain_text;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); })) {
    text = message.attachment_filename;
  }
  std::string title = direct ? author_name : room_name;
  std::string prefix = direct ? std::string() : author_name + ": ";

  auto badge = state.prepare("SELECT count(*) FROM memberships WHERE user_id = ? AND unread != 0 AND involvement != ?");
  auto subscriptions = state.prepare("SELECT id FROM push_subscriptions WHERE user_id = ? ORDER BY id");
  if (!badge.ok()) return badge.take_error();
  if (!subscriptions.ok()) return subscriptions.take_error();
  for (UserId user : recipients) {
    badge->reset();
    badge->bind(1, user.value).bind(2, static_cast<int64_t>(Involvement::kInvisible));
    auto counted = badge->step();
    if (!counted.ok()) return counted.take_error();
    std::string notification = notification_json(title, prefix, text, message.room, badge->col_int(0));
    subscriptions->reset();
    subscriptions->bind(1, user.value);
    for (;;) {
      auto row = subscriptions->step();
      if (!row.ok()) return row.take_error();
      if (!*row) break;
      out.push_back(Notification{PushSubscriptionId(subscriptions->col_int(0)), user, notification});
    }
  }
  return out;
}

}  // namespace hearth::server::push
