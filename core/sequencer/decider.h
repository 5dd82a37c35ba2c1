#pragma once
// The decider: turns one command into events, or rejects it — Campfire's rules of who may do what
// (CAMPFIRE.md 2.1–2.21), checked against the write model plus the batch so far.
//
// Contract of every decide_* function:
//  - validate everything first, then emit; a rejected command emits nothing (no half-applied
//    multi-entity command is possible, and the batch's transaction holds the rest).
//  - emit() folds each event into the write model at once, so the next command in the same batch
//    sees it.
//  - all events of one command share one time (one clock read) and the envelope's actor and
//    command id.
//
// Thread safety: sequencer thread only.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/base/clock.h"
#include "core/commands/commands.h"
#include "core/log/event_log.h"
#include "core/events/event_view.h"
#include "core/sequencer/downstream.h"
#include "core/write_model/write_model.h"
#include "schema/events_generated.h"

namespace hearth {

class Decider {
 public:
  Decider(WriteModel& model, Clock& clock, Random& random, MessageIndex& messages, const EventLog& log)
      : model_(model), clock_(clock), random_(random), messages_(messages), log_(log) {}

  // Called before each batch: drops overlay entries the projection now holds.
  void begin_batch(Seq applied);
  // Decides one command; accepted events are appended to `out`. `base` is the log's last seq
  // before this batch, so event i of the batch will get seq base + i + 1.
  Outcome decide(const CommandEnvelope& command, std::vector<StoredEvent>& out, Seq base);
  // Called after the batch committed (or failed: then nothing matters, writes stop).
  void end_batch();

  // The id an Ack reports for a command's events: the first event's entity id.
  static int64_t primary_id(const schema::Event& e);

 private:
  friend struct DecideContext;
  struct OverlayMessage { std::optional<MessageFacts> facts; Seq seq; };  // nullopt: removed
  struct OverlayBoost { std::optional<BoostFacts> facts; Seq seq; };

  Outcome dispatch(const CommandEnvelope& c);

  // account, users, sessions (decide_people.cc)
  Outcome setup_first_run(const cmd::SetupFirstRun& c);
  Outcome rename_account(const cmd::RenameAccount& c);
  Outcome change_account_logo(const cmd::ChangeAccountLogo& c);
  Outcome change_custom_styles(const cmd::ChangeCustomStyles& c);
  Outcome change_account_settings(const cmd::ChangeAccountSettings& c);
  Outcome reset_join_code(const cmd::ResetJoinCode& c);
  Outcome join_account(const cmd::JoinAccount& c);
  Outcome create_bot(const cmd::CreateBot& c);
  Outcome update_bot(const cmd::UpdateBot& c);
  Outcome reset_bot_key(const cmd::ResetBotKey& c);
  Outcome update_profile(const cmd::UpdateProfile& c);
  Outcome change_avatar(const cmd::ChangeAvatar& c);
  Outcome change_password(const cmd::ChangePassword& c);
  Outcome change_role(const cmd::ChangeRole& c);
  Outcome deactivate_user(const cmd::DeactivateUser& c);
  Outcome ban_user(const cmd::BanUser& c);
  Outcome unban_user(const cmd::UnbanUser& c);
  Outcome start_session(const cmd::StartSession& c);
  Outcome end_session(const cmd::EndSession& c);
  Outcome end_other_sessions(const cmd::EndOtherSessions& c);
  // Ends every session of `user` but `keep` (SessionEnded each; sockets on them close); session
  // ids start at 1, so SessionId{} keeps none (deactivation, a ban).
  void emit_sessions_ended(UserId user, SessionId keep);
  // rooms (decide_rooms.cc)
  Outcome create_open_room(const cmd::CreateOpenRoom& c);
  Outcome create_closed_room(const cmd::CreateClosedRoom& c);
  Outcome find_or_create_direct_room(const cmd::FindOrCreateDirectRoom& c);
  Outcome rename_room(const cmd::RenameRoom& c);
  Outcome convert_room(const cmd::ConvertRoom& c);
  Outcome revise_room_members(const cmd::ReviseRoomMembers& c);
  Outcome delete_room(const cmd::DeleteRoom& c);
  Outcome change_involvement(const cmd::ChangeInvolvement& c);
  Outcome mark_room_read(const cmd::MarkRoomRead& c);
  // messages, boosts, searches, push (decide_messages.cc)
  Outcome post_message(const cmd::PostMessage& c);
  Outcome edit_message(const cmd::EditMessage& c);
  Outcome remove_message(const cmd::RemoveMessage& c);
  Outcome add_boost(const cmd::AddBoost& c);
  Outcome remove_boost(const cmd::RemoveBoost& c);
  Outcome record_search(const cmd::RecordSearch& c);
  Outcome clear_searches(const cmd::ClearSearches& c);
  Outcome add_push_subscription(const cmd::AddPushSubscription& c);
  Outcome remove_push_subscription(const cmd::RemovePushSubscription& c);

  // ---- shared checks ----
  // The actor as an active person (not a bot, not deactivated/banned), or the error to return.
  Result<const UserFacts*> person();
  Result<const UserFacts*> person_or_bot();
  Status administrator();
  Result<const RoomFacts*> room_of_member(RoomId room);  // not_found unless the actor is a member
  Status room_admin(const RoomFacts& room);             // creator or administrator
  Result<MessageFacts> live_message(MessageId id);
  // A live message in a room of the actor's that the actor wrote or administers.
  Result<MessageFacts> message_to_change(MessageId id, std::string_view verb);
  Result<BoostFacts> live_boost(BoostId id);
  Result<std::vector<MessageId>> live_messages_by(UserId creator);
  std::vector<UserId> active_users() const;

  // ---- emitting ----
  flatbuffers::FlatBufferBuilder& fbb() { return fbb_; }
  template <class T>
  void emit(flatbuffers::Offset<T> payload) {
    emit_raw(schema::PayloadTraits<T>::enum_value, payload.Union());
  }
  void emit_raw(schema::Payload type, flatbuffers::Offset<void> payload);
  flatbuffers::Offset<schema::BlobRef> blob(const std::optional<Blob>& b);
  flatbuffers::Offset<flatbuffers::Vector<uint8_t>> sealed_bytes(std::string_view sealed);
  void emit_grant(RoomId room, UserId user, Involvement involvement);
  void emit_session(UserId user, std::string_view ip, std::string_view ua, std::string& token_out);
  std::string mint_join_code();
  Ack ack(int64_t id = 0);

  WriteModel& model_;
  Clock& clock_;
  Random& random_;
  MessageIndex& messages_;
  const EventLog& log_;
  flatbuffers::FlatBufferBuilder fbb_{1024};

  // The command being decided.
  const CommandEnvelope* cmd_ = nullptr;
  int64_t now_us_ = 0;
  std::vector<StoredEvent>* out_ = nullptr;
  size_t first_event_ = 0;
  Seq base_;

  // Messages and boosts posted or removed in batches the projection has not applied yet.
  std::unordered_map<MessageId, OverlayMessage> message_overlay_;
  std::unordered_map<BoostId, OverlayBoost> boost_overlay_;
  // Idempotency keys decided in this batch (not yet in the log).
  std::unordered_map<std::string, Ack> batch_keys_;
};

}  // namespace hearth
