#pragma once
// One planned webhook as the outbox stores it (Delivery::payload, JSON): everything the request
// needs but the bot's key, which is looked up when it is sent and never written to disk (I8).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hearth::server::webhooks {

struct Job {
  int64_t bot = 0;
  std::string url;
  int64_t room = 0;
  std::optional<std::string> room_name;  // null for a direct room, as Campfire's
  int64_t message = 0;
  int64_t author = 0;
  std::string author_name;
  std::string html;
  std::string plain;  // "@<bot name>" already removed and trimmed
};

std::string encode(const Job& job);
std::optional<Job> decode(std::string_view payload);  // nullopt: not a Job (a damaged row)

// The request body (webhooks.h). `bot_key` nullopt: room.path left out.
std::string request_body(const Job& job, int64_t seq, const std::optional<std::string>& bot_key);

}  // namespace hearth::server::webhooks
