#include "server/message_commands.h"

namespace hearth::server {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

CommandEnvelope post_message(UserId actor, std::string client_id, RoomId room, std::string_view body_html,
                             std::string plain_text, std::vector<UserId> mentions, std::vector<UserId> present) {
  cmd::PostMessage post;
  post.room = room;
  post.body_html = html_escape(body_html);
  post.plain_text = std::move(plain_text);
  post.mentions = std::move(mentions);
  post.present = std::move(present);
  return CommandEnvelope{actor, std::move(client_id), std::move(post)};
}

CommandEnvelope edit_message(UserId actor, std::string client_id, MessageId message, std::string_view body_html,
                             std::string plain_text, std::vector<UserId> mentions) {
  return CommandEnvelope{actor, std::move(client_id),
                         cmd::EditMessage{message, html_escape(body_html), std::move(plain_text), std::move(mentions)}};
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
