// Decisions about messages, boosts, searches and push subscriptions (CAMPFIRE.md 2.9–2.16).
#include <algorithm>
#include <set>

#include "core/commands/limits.h"
#include "core/sequencer/checks.h"
#include "core/sequencer/decider.h"

namespace hearth {
namespace {

Status check_body(std::string_view html, std::string_view plain, bool has_attachment) {
  HEARTH_TRY(checks::text("body", html, limits::kBodyBytes, false));
  HEARTH_TRY(checks::text("plain text", plain, limits::kBodyBytes, false));
  if (!has_attachment && is_blank(plain) && is_blank(html)) return invalid("a message needs a body or a file");
  return ok_status();
}

// Mentions are kept as user ids, in order, once each, and only for members of the room (2.14).
std::vector<int64_t> room_mentions(const RoomFacts& room, const std::vector<UserId>& mentions) {
  std::vector<int64_t> out;
  for (auto u : mentions) {
    if (room.members.contains(u) && std::find(out.begin(), out.end(), u.value) == out.end()) out.push_back(u.value);
  }
  return out;
}

}  // namespace

Outcome Decider::post_message(const cmd::PostMessage& c) {
  auto me = person_or_bot();
  if (!me) return me.take_error();
  auto found = room_of_member(c.room);
  if (!found) return found.take_error();
  const RoomFacts& room = **found;
  // The client message id is the idempotency key: a retried post can't become two messages.
  if (is_blank(cmd_->command_id)) return invalid("a message needs a client message id");
  HEARTH_TRY(check_body(c.body_html, c.plain_text, c.attachment.has_value()));
  HEARTH_TRY(checks::blob(c.attachment));
  auto mentions = room_mentions(room, c.mentions);
  // Unread marking (2.9): members not invisible, not the author, not viewing the room now. Only
  // transitions are recorded, so a busy room does not rewrite every membership per message.
  std::set<UserId> present(c.present.begin(), c.present.end());
  std::vector<int64_t> unread;
  for (auto& [u, m] : room.members) {
    if (u == cmd_->actor || m.involvement == Involvement::kInvisible || m.unread || present.contains(u)) continue;
    unread.push_back(u.value);
  }
  MessageId id(model_.last_ids.message + 1);
  emit(schema::CreateMessagePosted(fbb_, id.value, c.room.value, cmd_->actor.value, fbb_.CreateString(cmd_->command_id),
                                   fbb_.CreateString(c.body_html), fbb_.CreateString(c.plain_text),
                                   fbb_.CreateVector(mentions), blob(c.attachment), fbb_.CreateVector(unread)));
  return ack();
}

Result<MessageFacts> Decider::message_to_change(MessageId id, std::string_view verb) {
  auto me = person_or_bot();
  if (!me) return me.take_error();
  auto msg = live_message(id);
  if (!msg) return msg.take_error();
  if (!room_of_member(msg->room)) return not_found("no such message");
  // Author or administrator (2.11); a bot only its own (2.15).
  if (msg->creator != cmd_->actor && !model_.is_admin(cmd_->actor)) {
    return forbidden("only the author or an administrator may " + std::string(verb) + " this");
  }
  return msg;
}

Outcome Decider::edit_message(const cmd::EditMessage& c) {
  auto msg = message_to_change(c.message, "edit");
  if (!msg) return msg.take_error();
  if (msg->has_attachment) return invalid("a file message can only be deleted");
  HEARTH_TRY(check_body(c.body_html, c.plain_text, false));
  auto mentions = room_mentions(*model_.room(msg->room), c.mentions);
  emit(schema::CreateMessageEdited(fbb_, c.message.value, msg->room.value, fbb_.CreateString(c.body_html),
                                   fbb_.CreateString(c.plain_text), fbb_.CreateVector(mentions)));
  return ack();
}

Outcome Decider::remove_message(const cmd::RemoveMessage& c) {
  auto msg = message_to_change(c.message, "delete");
  if (!msg) return msg.take_error();
  emit(schema::CreateMessageRemoved(fbb_, c.message.value, msg->room.value));
  return ack();
}

Outcome Decider::add_boost(const cmd::AddBoost& c) {
  auto me = person_or_bot();
  if (!me) return me.take_error();
  auto msg = live_message(c.message);
  if (!msg) return msg.take_error();
  auto room = room_of_member(msg->room);
  if (!room) return not_found("no such message");
  HEARTH_TRY(checks::text("boost", c.content, limits::kBoostChars * 4, true));
  if (utf8_length(c.content) > limits::kBoostChars) return invalid("a boost is at most 16 characters");
  BoostId id(model_.last_ids.boost + 1);
  emit(schema::CreateBoostAdded(fbb_, id.value, c.message.value, msg->room.value, cmd_->actor.value,
                                fbb_.CreateString(c.content)));
  return ack();
}

Outcome Decider::remove_boost(const cmd::RemoveBoost& c) {
  auto me = person_or_bot();
  if (!me) return me.take_error();
  auto boost = live_boost(c.boost);
  if (!boost) return boost.take_error();
  // Only the booster; to anyone else the boost is "not found", as Campfire's bot API answers.
  if (boost->booster != cmd_->actor) return not_found("no such boost");
  // A booster who has left the room (revoked, or the room became closed without them) no longer
  // changes it: revocation is immediate for boosts as for messages.
  if (!room_of_member(boost->room)) return not_found("no such boost");
  emit(schema::CreateBoostRemoved(fbb_, c.boost.value, boost->message.value, boost->room.value));
  return ack();
}

Outcome Decider::record_search(const cmd::RecordSearch& c) {
  auto me = person();
  if (!me) return me.take_error();
  HEARTH_TRY(checks::text("query", c.query, limits::kQueryBytes, true));
  emit(schema::CreateSearchRecorded(fbb_, cmd_->actor.value, fbb_.CreateString(trim(c.query))));
  return ack();
}

Outcome Decider::clear_searches(const cmd::ClearSearches&) {
  auto me = person();
  if (!me) return me.take_error();
  emit(schema::CreateSearchesCleared(fbb_, cmd_->actor.value));
  return ack();
}

Outcome Decider::add_push_subscription(const cmd::AddPushSubscription& c) {
  auto me = person();
  if (!me) return me.take_error();
  HEARTH_TRY(checks::text("endpoint", c.endpoint, limits::kUrlBytes, true));
  HEARTH_TRY(checks::text("p256dh key", c.p256dh_key, 256, true));
  HEARTH_TRY(checks::text("auth key", c.auth_key, 256, true));
  HEARTH_TRY(checks::text("user agent", c.user_agent, limits::kUserAgentBytes, false));
  if (!c.endpoint.starts_with("https://")) return invalid("a push endpoint is an https URL");
  // The same triple again only touches the existing subscription (2.16).
  PushSubscriptionId id(model_.last_ids.push_subscription + 1);
  for (auto& [pid, p] : model_.push_subscriptions) {
    if (p.user == cmd_->actor && p.endpoint == c.endpoint && p.p256dh_key == c.p256dh_key && p.auth_key == c.auth_key) {
      id = pid;
      break;
    }
  }
  emit(schema::CreatePushSubscriptionAdded(fbb_, id.value, cmd_->actor.value, fbb_.CreateString(c.endpoint),
                                           fbb_.CreateString(c.p256dh_key), fbb_.CreateString(c.auth_key),
                                           fbb_.CreateString(c.user_agent)));
  return ack();
}

// The owner removes a subscription (unsubscribing, signing out); so does the system, when the push
// service answers that it is gone (404/410: server/push/).
Outcome Decider::remove_push_subscription(const cmd::RemovePushSubscription& c) {
  bool system = cmd_->actor == kSystemActor;
  if (!system) {
    auto me = person();
    if (!me) return me.take_error();
  }
  auto it = model_.push_subscriptions.find(c.subscription);
  if (it == model_.push_subscriptions.end() || (!system && it->second.user != cmd_->actor)) {
    return not_found("no such subscription");
  }
  emit(schema::CreatePushSubscriptionRemoved(fbb_, c.subscription.value, it->second.user.value));
  return ack();
}

}  // namespace hearth
