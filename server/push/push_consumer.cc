#include "server/push/push_consumer.h"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <optional>

#include "core/events/event_view.h"
#include "core/sequencer/sequencer.h"
#include "server/outgoing/http_client.h"
#include "server/outgoing/target_url.h"
#include "server/push/base64url.h"
#include "server/push/message_encryption.h"
#include "server/push/notification.h"
#include "server/realtime/presence.h"

namespace hearth::server::push {
namespace {

using consumers::Attempt;
using consumers::Delivery;

// A push service's name resolves in well under this; past it the delivery is retried later.
constexpr std::chrono::milliseconds kLookupTimeout{5000};

struct Subscription {
  std::string endpoint, p256dh, auth;
};

Result<std::optional<Subscription>> find_subscription(const std::string& state_path, int64_t id) {
  auto db = sqlite::Db::open(state_path, sqlite::Db::Mode::kReadOnly);
  if (!db.ok()) return db.take_error();
  auto s = db->prepare("SELECT endpoint, p256dh_key, auth_key FROM push_subscriptions WHERE id = ?");
  if (!s.ok()) return s.take_error();
  s->bind(1, id);
  auto row = s->step();
  if (!row.ok()) return row.take_error();
  if (!*row) return std::optional<Subscription>();
  return std::optional<Subscription>(
      Subscription{std::string(s->col_text(0)), std::string(s->col_text(1)), std::string(s->col_text(2))});
}

// A fresh ephemeral key: a random scalar, drawn again in the (2^-32) case it is not below the order.
P256Key ephemeral_key(Random& random) {
  for (;;) {
    std::array<uint8_t, kPrivateKeyBytes> scalar{};
    random.fill(scalar);
    auto key = P256Key::from_private(scalar);
    if (key) return std::move(*key);
  }
}

}  // namespace

struct PushConsumer::Planner {
  std::optional<sqlite::Db> state;
};

PushConsumer::PushConsumer(std::string state_path, Vapid vapid, Sequencer& sequencer,
                           std::shared_ptr<realtime::Presence> presence, Options options)
    : state_path_(std::move(state_path)),
      vapid_(std::move(vapid)),
      sequencer_(sequencer),
      presence_(std::move(presence)),
      options_(std::move(options)),
      planner_(std::make_unique<Planner>()) {}

PushConsumer::~PushConsumer() = default;

Status PushConsumer::plan(const StoredEvent& event, std::vector<Delivery>& out) {
  auto view = view_event(event);
  if (!view.ok()) return view.take_error();
  const auto* posted = (*view)->payload_as_MessagePosted();
  if (posted == nullptr) return ok_status();
  PostedMessage message{RoomId(posted->room_id()), UserId(posted->creator_id()), std::string(sv(posted->plain_text())),
                        posted->attachment() ? std::string(sv(posted->attachment()->filename())) : std::string(), {}};
  if (const auto* ids = posted->mentioned_user_ids()) {
    for (int64_t id : *ids) message.mentioned.emplace_back(id);
  }
  std::vector<UserId> connected;
  if (presence_) connected = presence_->present_in(message.room);
  if (!planner_->state) {
    auto db = sqlite::Db::open(state_path_, sqlite::Db::Mode::kReadOnly);
    if (!db.ok()) return db.take_error();
    planner_->state.emplace(std::move(*db));
  }
  // The outbox never plans past applied_seq, so the projections already hold this message's
  // room and memberships; one read transaction makes every answer below agree.
  HEARTH_TRY(planner_->state->exec("BEGIN"));
  auto planned = plan_notifications(*planner_->state, message, connected);
  (void)planner_->state->exec("COMMIT");
  if (!planned.ok()) return planned.take_error();
  for (auto& n : *planned) {
    std::string id = std::to_string(n.subscription.value);
    out.push_back(Delivery{0, Seq(), "push:" + id, id + "\n" + n.json, 0});
  }
  return ok_status();
}

Attempt PushConsumer::deliver(const Delivery& delivery) {
  auto newline = delivery.payload.find('\n');
  int64_t id = newline == std::string::npos ? 0 : std::atoll(delivery.payload.substr(0, newline).c_str());
  if (id <= 0) return Attempt::kDrop;
  std::string_view notification = std::string_view(delivery.payload).substr(newline + 1);
  auto found = find_subscription(state_path_, id);
  if (!found.ok()) {
    spdlog::warn("push: cannot read subscription {}: {}", id, found.error().to_string());
    return Attempt::kRetry;
  }
  if (!*found) return Attempt::kDone;  // removed since it was planned: nobody to tell
  const Subscription& sub = **found;
  auto p256dh = from_base64url(sub.p256dh);
  auto auth = from_base64url(sub.auth);
  if (!p256dh || !auth) return Attempt::kDrop;  // the route checks both; an import might not have

  SystemRandom random;
  P256Key ephemeral = ephemeral_key(random);
  std::array<uint8_t, kSaltBytes> salt{};
  random.fill(salt);
  auto body = encrypt_aes128gcm(notification, {*p256dh, *auth, &ephemeral, salt});
  if (!body.ok()) {
    spdlog::warn("push: subscription {}: {}", id, body.error().message);
    return Attempt::kDrop;
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  auto authorization = vapid_.authorization(sub.endpoint, now.count());
  if (!authorization.ok()) return Attempt::kDrop;

  // Vetted again at each delivery and pinned: see the header.
  auto target = outgoing::parse_target_url(sub.endpoint);
  if (!target || !target->https) {
    spdlog::warn("push: subscription {}: the endpoint is not an https URL the guard accepts; not sent", id);
    return Attempt::kDrop;
  }
  outgoing::Vetted vetted = options_.guard.vet(*target, kLookupTimeout);
  if (vetted.verdict == outgoing::Vetted::Verdict::refused) {
    spdlog::warn("push: subscription {}: {}; not sent", id, vetted.detail);
    return Attempt::kDrop;
  }
  if (vetted.verdict != outgoing::Vetted::Verdict::ok) {
    spdlog::info("push: subscription {} (seq {}): {}", id, delivery.seq.value, vetted.detail);
    return Attempt::kRetry;
  }

  outgoing::Request request;
  request.url = target->text;
  request.pinned = vetted.address;
  request.body.assign(body->begin(), body->end());
  request.headers = {{"Authorization", *authorization},
                     {"TTL", std::to_string(kTtlSeconds)},
                     {"Urgency", "high"},
                     {"Content-Encoding", "aes128gcm"},
                     {"Content-Type", "application/octet-stream"}};
  request.max_response_bytes = 64 * 1024;
  request.ca_file = options_.ca_file;
  auto response = outgoing::perform(request);
  if (response.failure == outgoing::Failure::kRefused) {
    spdlog::warn("push: subscription {}: {}; not sent", id, response.error);
    return Attempt::kDrop;
  }
  if (!response.ok()) {
    spdlog::info("push: subscription {} (seq {}): {}", id, delivery.seq.value, response.error);
    return Attempt::kRetry;
  }
  long status = response.status;
  if (status >= 200 && status < 300) return Attempt::kDone;
  if (status == 404 || status == 410) {
    // The browser unsubscribed or the subscription expired: it will never be valid again.
    sequencer_.submit(CommandEnvelope{kSystemActor, "", cmd::RemovePushSubscription{PushSubscriptionId(id)}},
                      [id](Outcome o) {
                        if (!o.ok() && o.error().code != ErrorCode::kNotFound) {
                          spdlog::warn("push: cannot remove expired subscription {}: {}", id, o.error().to_string());
                        }
                      });
    return Attempt::kDone;
  }
  if (status == 429 || status >= 500) return Attempt::kRetry;
  spdlog::warn("push: subscription {} refused with {}: {}", id, status, response.body.substr(0, 200));
  return Attempt::kDrop;
}

Result<std::unique_ptr<consumers::Outbox>> open_push_outbox(const std::string& data_dir, Sequencer& sequencer,
                                                            std::shared_ptr<realtime::Presence> presence,
                                                            PushConsumer::Options options) {
  SystemRandom random;
  auto vapid = load_vapid(data_dir, VapidSettings::from_environment(), random);
  if (!vapid.ok()) return vapid.take_error();
  auto consumer = std::make_shared<PushConsumer>(data_dir + "/state.sqlite3", std::move(*vapid), sequencer,
                                                 std::move(presence), std::move(options));
  consumers::Outbox::Options o;
  o.name = "push";
  return consumers::Outbox::open(data_dir, sequencer, std::move(consumer), o);
}

}  // namespace hearth::server::push
