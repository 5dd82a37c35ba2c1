#include "server/webhooks/webhooks.h"

#include <spdlog/spdlog.h>

#include <array>
#include <utility>

#include "core/base/text.h"
#include "core/events/event_view.h"
#include "core/sequencer/sequencer.h"
#include "core/sqlite/db.h"
#include "server/api.h"
#include "server/bots/bot_keys.h"
#include "server/message_commands.h"
#include "server/outgoing/http_client.h"
#include "server/webhooks/job.h"

namespace hearth::server::webhooks {
namespace {

using consumers::Attempt;
using consumers::Delivery;

// "Hi @Echo, how are you" → "Hi , how are you": every "@<bot name>", then surrounding space.
std::string without_mention(std::string_view plain, std::string_view bot_name) {
  std::string out(plain);
  std::string mention = "@" + std::string(bot_name);
  for (size_t at = out.find(mention); at != std::string::npos; at = out.find(mention, at)) out.erase(at, mention.size());
  return std::string(trim(out));
}

class WebhookConsumer final : public consumers::Consumer {
 public:
  WebhookConsumer(sqlite::Db state, Sequencer& sequencer, Deps deps, Options options)
      : state_(std::move(state)), sequencer_(sequencer), deps_(std::move(deps)), options_(std::move(options)) {}

  Status plan(const StoredEvent& e, std::vector<Delivery>& out) override;
  Attempt deliver(const Delivery& d) override;

 private:
  struct Bot {
    int64_t id;
    std::string name, url;
  };
  Result<std::vector<Bot>> recipients(const schema::MessagePosted& m, bool direct);
  Attempt post_reply(const Job& job, int64_t seq, CommandEnvelope command);
  Attempt posted(const Job& job, int64_t seq, const Outcome& done);  // what its outcome leaves to do

  sqlite::Db state_;  // the planner thread's own read-only connection
  Sequencer& sequencer_;
  const Deps deps_;
  const Options options_;
};

// Active bots with a webhook URL (role 2 = bot, status 0 = active).
constexpr const char* kBotColumns =
    "SELECT u.id, u.name, u.webhook_url FROM users u WHERE u.role = 2 AND u.status = 0 AND u.webhook_url IS NOT NULL "
    "AND u.webhook_url != '' AND u.id != ?1 ";

Result<std::vector<WebhookConsumer::Bot>> WebhookConsumer::recipients(const schema::MessagePosted& m, bool direct) {
  std::vector<Bot> bots;
  auto collect = [&](sqlite::Stmt& s) -> Status {
    for (;;) {
      auto row = s.step();
      if (!row.ok()) return row.take_error();
      if (!*row) return ok_status();
      bots.push_back(Bot{s.col_int(0), std::string(s.col_text(1)), std::string(s.col_text(2))});
    }
  };
  if (direct) {
    auto s = state_.prepare(std::string(kBotColumns) +
                            "AND u.id IN (SELECT user_id FROM memberships WHERE room_id = ?2) ORDER BY u.id");
    if (!s.ok()) return s.take_error();
    s->bind(1, m.creator_id()).bind(2, m.room_id());
    HEARTH_TRY(collect(*s));
    return bots;
  }
  if (m.mentioned_user_ids() == nullptr) return bots;
  auto s = state_.prepare(std::string(kBotColumns) + "AND u.id = ?2");
  if (!s.ok()) return s.take_error();
  for (int64_t id : *m.mentioned_user_ids()) {
    s->reset();
    s->bind(1, m.creator_id()).bind(2, id);
    HEARTH_TRY(collect(*s));
  }
  return bots;
}

Status WebhookConsumer::plan(const StoredEvent& e, std::vector<Delivery>& out) {
  if (e.type != static_cast<uint32_t>(schema::Payload::MessagePosted)) return ok_status();
  auto view = view_event(e);
  if (!view.ok()) return view.take_error();
  const schema::MessagePosted* m = (*view)->payload_as_MessagePosted();
  if (m == nullptr) return ok_status();

  auto room = state_.prepare("SELECT kind, name FROM rooms WHERE id = ?");
  if (!room.ok()) return room.take_error();
  room->bind(1, m->room_id());
  auto found = room->step();
  if (!found.ok()) return found.take_error();
  if (!*found) return ok_status();  // deleted since: no one to tell
  bool direct = room->col_int(0) == static_cast<int64_t>(RoomKind::kDirect);
  std::optional<std::string> room_name;
  if (!direct) room_name = std::string(room->col_text(1));

  auto author = state_.prepare("SELECT name, role FROM users WHERE id = ?");
  if (!author.ok()) return author.take_error();
  author->bind(1, m->creator_id());
  auto has_author = author->step();
  if (!has_author.ok()) return has_author.take_error();
  if (!*has_author) return ok_status();
  std::string author_name(author->col_text(0));
  bool by_bot = author->col_int(1) == static_cast<int64_t>(Role::kBot);
  // A bot's webhook reply never fires webhooks (no loops between bots).
  if (by_bot && e.command_id.starts_with(kReplyCommandPrefix)) return ok_status();

  auto bots = recipients(*m, direct);
  if (!bots.ok()) return bots.take_error();
  for (const Bot& bot : *bots) {
    Job job{bot.id, bot.url, m->room_id(), room_name, m->message_id(), m->creator_id(), author_name,
            std::string(sv(m->body_html())), without_mention(sv(m->plain_text()), bot.name)};
    out.push_back(Delivery{0, Seq(), "bot:" + std::to_string(bot.id), encode(job), 0});
  }
  return ok_status();
}

Attempt WebhookConsumer::post_reply(const Job& job, int64_t seq, CommandEnvelope command) {
  return posted(job, seq, sequencer_.execute(std::move(command)));
}

Attempt WebhookConsumer::posted(const Job& job, int64_t seq, const Outcome& done) {
  if (done.ok()) return Attempt::kDone;
  switch (done.error().code) {
    case ErrorCode::kUnavailable:  // stopping, or writes stopped: the row stays for the next start
    case ErrorCode::kIo:
    case ErrorCode::kCorruption:
      return Attempt::kRetry;
    default:  // the bot left the room, was deactivated, the body is blank...: nothing to post
      spdlog::info("webhook reply of bot {} to seq {} not posted: {}", job.bot, seq, done.error().to_string());
      return Attempt::kDone;
  }
}

Attempt WebhookConsumer::deliver(const Delivery& d) {
  std::optional<Job> job = decode(d.payload);
  if (!job) return Attempt::kDrop;
  std::optional<std::string> key;
  if (deps_.bot_key) {
    auto k = deps_.bot_key(UserId(job->bot));
    if (!k.ok()) {
      spdlog::warn("webhook of bot {}: cannot read its key: {}", job->bot, k.error().to_string());
      return Attempt::kRetry;
    }
    key = std::move(*k);
  }
  outgoing::Request request;
  request.url = job->url;
  request.headers = {{"Content-Type", "application/json"}, {"X-Hearth-Seq", std::to_string(d.seq.value)}};
  request.body = request_body(*job, d.seq.value, key);
  request.connect_timeout = options_.timeout;
  request.timeout = options_.timeout;
  request.max_response_bytes = options_.max_reply_bytes;
  outgoing::Response answer = outgoing::perform(request);

  std::string command_id = std::string(kReplyCommandPrefix) + std::to_string(d.seq.value) + ":" + std::to_string(job->bot);
  UserId bot(job->bot);
  RoomId room(job->room);
  if (answer.failure == outgoing::Failure::kTimeout) {
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options_.timeout).count();
    std::string text = "Failed to respond within " + std::to_string(seconds) + " seconds";
    return post_reply(*job, d.seq.value, post_message(bot, command_id, room, text));
  }
  if (!answer.ok()) {
    spdlog::info("webhook of bot {} for seq {}: {}", job->bot, d.seq.value, answer.error);
    return Attempt::kRetry;
  }
  long status = answer.status;
  if (status >= 500 || status == 408 || status == 429) return Attempt::kRetry;
  if (status >= 300) return Attempt::kDone;  // answered, with nothing to post
  std::string type = outgoing::media_type(answer.content_type);
  if (status == 200 && (type == "text/html" || type == "text/plain")) {
    if (is_blank(answer.body)) return Attempt::kDone;
    return post_reply(*job, d.seq.value, post_message(bot, command_id, room, answer.body));
  }
  if (type.empty() || answer.body.empty()) return Attempt::kDone;
  if (!deps_.store_file) {
    spdlog::warn("webhook reply of bot {} is a file ({}), and this server cannot store files", job->bot, type);
    return Attempt::kDone;
  }
  auto blob = deps_.store_file(answer.body, attachment_name(type), type);
  if (!blob.ok()) {
    spdlog::warn("webhook reply of bot {}: cannot store its file: {}", job->bot, blob.error().to_string());
    return blob.error().code == ErrorCode::kIo ? Attempt::kRetry : Attempt::kDone;
  }
  // A retried delivery stores the same bytes again (the same blob) and posts under the same
  // command id: the sequencer answers the first post, so there is one message.
  CommandEnvelope post = post_message(bot, command_id, room, "");
  return posted(*job, d.seq.value, files::execute_with_blob(sequencer_, std::move(post), std::move(*blob)));
}

}  // namespace

std::string attachment_name(std::string_view content_type) {
  // Rails' Mime::Type symbols for the types a bot is likely to answer with.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kExtensions{{
      {"application/json", "json"},   {"application/pdf", "pdf"},  {"application/xml", "xml"},
      {"application/zip", "zip"},     {"application/gzip", "gz"},  {"application/octet-stream", "bin"},
      {"text/csv", "csv"},            {"text/xml", "xml"},         {"text/calendar", "ics"},
      {"text/css", "css"},            {"text/javascript", "js"},   {"text/markdown", "md"},
      {"image/png", "png"},           {"image/jpeg", "jpeg"},      {"image/gif", "gif"},
      {"image/webp", "webp"},         {"image/svg+xml", "svg"},    {"image/bmp", "bmp"},
      {"audio/mpeg", "mp3"},          {"video/mp4", "mp4"},        {"video/webm", "webm"},
      {"text/vcard", "vcf"},
  }};
  std::string type = outgoing::media_type(content_type);
  for (const auto& [mime, ext] : kExtensions) {
    if (type == mime) return "attachment." + std::string(ext);
  }
  return "attachment.bin";
}

std::function<Result<std::optional<std::string>>(UserId)> vault_bot_key(const std::string& data_dir,
                                                                        const auth::BotKeyVault& vault) {
  std::string state_path = data_dir + "/state.sqlite3";
  return [state_path, &vault](UserId bot) -> Result<std::optional<std::string>> {
    // Opened per request: requests take up to 7 s each, an open well under a millisecond.
    auto state = sqlite::Db::open(state_path, sqlite::Db::Mode::kReadOnly);
    if (!state.ok()) return state.take_error();
    HEARTH_TRY(state->exec("PRAGMA busy_timeout = 5000"));
    return bots::bot_key_for(*state, vault, bot);
  };
}

Deps::StoreFile api_store_file(Api& api) {
  return [&api](std::string_view bytes, std::string_view filename, std::string_view content_type) {
    return api.store_file(bytes, filename, content_type);
  };
}

Result<std::unique_ptr<consumers::Outbox>> open(const std::string& data_dir, Sequencer& sequencer, Deps deps,
                                                Options options) {
  auto state = sqlite::Db::open(data_dir + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
  if (!state.ok()) return state.take_error();
  HEARTH_TRY(state->exec("PRAGMA busy_timeout = 5000"));
  auto outbox_options = options.outbox;
  auto consumer = std::make_shared<WebhookConsumer>(std::move(*state), sequencer, std::move(deps), std::move(options));
  return consumers::Outbox::open(data_dir, sequencer, std::move(consumer), std::move(outbox_options));
}

}  // namespace hearth::server::webhooks
