#include "server/message_commands.h"

#include "core/base/text.h"
#include "core/html/body.h"

namespace hearth::server {
namespace {

struct Body {
  std::string html, plain_text;
  std::vector<UserId> mentions;
};

Body clean(std::string_view body_html) {
  html::CleanBody c = html::clean_body(body_html);
  // Markup with nothing to read (an <img> that lost its onerror, an empty <div>) is no message.
  if (is_blank(c.plain_text)) return {};
  Body b{std::move(c.html), std::move(c.plain_text), {}};
  for (int64_t id : c.mentions) b.mentions.emplace_back(id);
  return b;
}

}  // namespace

CommandEnvelope post_message(UserId actor, std::string client_id, RoomId room, std::string_view body_html,
                             std::vector<UserId> present) {
  Body b = clean(body_html);
  cmd::PostMessage post;
  post.room = room;
  post.body_html = std::move(b.html);
  post.plain_text = std::move(b.plain_text);
  post.mentions = std::move(b.mentions);
  post.present = std::move(present);
  return CommandEnvelope{actor, std::move(client_id), std::move(post)};
}

CommandEnvelope edit_message(UserId actor, std::string client_id, MessageId message, std::string_view body_html) {
  Body b = clean(body_html);
  return CommandEnvelope{actor, std::move(client_id),
                         cmd::EditMessage{message, std::move(b.html), std::move(b.plain_text), std::move(b.mentions)}};
}

CommandEnvelope remove_message(UserId actor, std::string client_id, MessageId message) {
  return CommandEnvelope{actor, std::move(client_id), cmd::RemoveMessage{message}};
}

std::string_view client_error_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kInvalid: return "invalid";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kCorruption:
    case ErrorCode::kIo: break;
  }
  return "internal";
}

}  // namespace hearth::server
