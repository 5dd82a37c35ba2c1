#include "server/webhooks/job.h"

#include <boost/json.hpp>

namespace hearth::server::webhooks {

namespace json = boost::json;

std::string encode(const Job& job) {
  json::object o;
  o["bot"] = job.bot;
  o["url"] = job.url;
  o["room"] = job.room;
  if (job.room_name) o["room_name"] = *job.room_name;
  o["message"] = job.message;
  o["author"] = job.author;
  o["author_name"] = job.author_name;
  o["html"] = job.html;
  o["plain"] = job.plain;
  return json::serialize(o);
}

std::optional<Job> decode(std::string_view payload) {
  json::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.as_object();
  auto integer = [&](const char* k) -> std::optional<int64_t> {
    const json::value* x = o.if_contains(k);
    if (x == nullptr || !x->is_int64()) return std::nullopt;
    return x->as_int64();
  };
  auto text = [&](const char* k) -> std::optional<std::string> {
    const json::value* x = o.if_contains(k);
    if (x == nullptr || !x->is_string()) return std::nullopt;
    return std::string(x->as_string());
  };
  auto bot = integer("bot"), room = integer("room"), message = integer("message"), author = integer("author");
  auto url = text("url"), author_name = text("author_name"), html = text("html"), plain = text("plain");
  if (!bot || !room || !message || !author || !url || !author_name || !html || !plain) return std::nullopt;
  return Job{*bot, std::move(*url), *room, text("room_name"), *message, *author,
             std::move(*author_name), std::move(*html), std::move(*plain)};
}

std::string request_body(const Job& job, int64_t seq, const std::optional<std::string>& bot_key) {
  std::string room_id = std::to_string(job.room);
  json::object room;
  room["id"] = job.room;
  room["name"] = job.room_name ? json::value(*job.room_name) : json::value(nullptr);
  if (bot_key) room["path"] = "/rooms/" + room_id + "/" + *bot_key + "/messages";
  json::object body;
  body["html"] = job.html;
  body["plain"] = job.plain;
  json::object message;
  message["id"] = job.message;
  message["body"] = std::move(body);
  message["path"] = "/rooms/" + room_id + "/@" + std::to_string(job.message);
  json::object out;
  out["user"] = json::object{{"id", job.author}, {"name", job.author_name}};
  out["room"] = std::move(room);
  out["message"] = std::move(message);
  out["seq"] = seq;
  return json::serialize(out);
}

}  // namespace hearth::server::webhooks
