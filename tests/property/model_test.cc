// The model-based property (STYLE 17): random command sequences — many users and rooms, commands
// submitted concurrently so batches interleave — against a real data directory. Two properties:
// InvariantsHold... draws its ops at size 4, which yields only joins, bots and open rooms (see
// full_range_op); ViewerStateAgrees... draws every command kind.
//
// After every step:   the log is contiguous and its chain verifies (I1, I2); every active user is
//                     a member of every open room; no two pings share a member set; a repeated
//                     command id appends nothing and returns the first outcome (I6).
// After every case:   a rebuild of the projections equals the live file row by row (I3); the
//                     write model loaded from the projections equals the one folded from the log,
//                     direct-room keys included;
//                     visible_to() agrees with a simple model for every event and every user;
//                     (ViewerStateAgrees... only) for every user, and one who never joins,
//                     ViewerState folded from 0 to c == load_viewer_state(state, user, c) (c:
//                     where it changed, and every fourth seq), and visible_to() over it, folded
//                     from 0 or resumed from a loaded cursor, gives the same answer and reason
//                     as over the WriteModel at every event.
//
// Cases: RC_PARAMS=max_success=N (ctest sets 1000).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "core/events/event_view.h"
#include "projections/data_dir.h"
#include "projections/viewer_state.h"
#include "projections/visibility.h"
#include "projections/write_model_loader.h"
#include "replay/diff.h"
#include "replay/rebuild.h"
#include "support/bot_commands.h"
#include "support/state_reads.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

struct Op {
  int kind = 0;
  int a = 0, b = 0, c = 0;
  bool repeat = false;  // after the step, repeat an earlier command id
};

inline void showValue(const Op& op, std::ostream& os) {
  os << "{kind " << op.kind << ", a " << op.a << ", b " << op.b << ", c " << op.c << (op.repeat ? ", repeat}" : "}");
}

}  // namespace
}  // namespace hearth::testing

namespace rc {
template <>
struct Arbitrary<hearth::testing::Op> {
  static Gen<hearth::testing::Op> arbitrary() {
    using hearth::testing::Op;
    return gen::build<Op>(gen::set(&Op::kind, gen::inRange(0, 28)), gen::set(&Op::a, gen::inRange(0, 1000)),
                          gen::set(&Op::b, gen::inRange(0, 1000)), gen::set(&Op::c, gen::inRange(0, 1000)),
                          gen::set(&Op::repeat, gen::weightedElement<bool>({{1, true}, {4, false}})));
  }
};
}  // namespace rc

namespace hearth::testing {
namespace {

// Every command kind with any argument. inRange scales with the size, and the steps run at size
// 4, where Arbitrary<Op> above yields only kinds 0-2 (joins, bots, open rooms); this one holds
// the nominal size, so rooms get converted, revised and deleted and users banned and deactivated.
rc::Gen<Op> full_range_op() {
  auto any = [](int n) { return rc::gen::resize(rc::kNominalSize, rc::gen::inRange(0, n)); };
  return rc::gen::build<Op>(rc::gen::set(&Op::kind, any(29)), rc::gen::set(&Op::a, any(1000)),
                            rc::gen::set(&Op::b, any(1000)), rc::gen::set(&Op::c, any(1000)),
                            rc::gen::set(&Op::repeat, rc::gen::weightedElement<bool>({{1, true}, {4, false}})));
}

std::filesystem::path scratch_base() {
  std::error_code ec;
  return std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                       : std::filesystem::temp_directory_path();
}

// An independent, deliberately plain statement of the visibility rule, folded alongside.
class SimpleVisibility {
 public:
  bool visible(const schema::Event& ev, int64_t viewer) const {
    using P = schema::Payload;
    auto t = ev.payload_type();
    if (t == P::UserJoined && ev.payload_as_UserJoined()->user_id() == viewer) return true;
    if (t == P::BotCreated && ev.payload_as_BotCreated()->user_id() == viewer) return true;
    auto s = status_.find(viewer);
    if (s == status_.end() || s->second != 0) return false;
    auto member = [&](int64_t room) { return members_.count(room) && members_.at(room).count(viewer); };
    switch (t) {
      case P::PasswordChanged: return ev.payload_as_PasswordChanged()->user_id() == viewer;
      case P::SessionStarted: return ev.payload_as_SessionStarted()->user_id() == viewer;
      case P::SessionEnded: return ev.payload_as_SessionEnded()->user_id() == viewer;
      case P::SearchRecorded: return ev.payload_as_SearchRecorded()->user_id() == viewer;
      case P::SearchesCleared: return ev.payload_as_SearchesCleared()->user_id() == viewer;
      case P::PushSubscriptionAdded: return ev.payload_as_PushSubscriptionAdded()->user_id() == viewer;
      case P::PushSubscriptionRemoved: return ev.payload_as_PushSubscriptionRemoved()->user_id() == viewer;
      case P::InvolvementChanged: return ev.payload_as_InvolvementChanged()->user_id() == viewer;
      case P::RoomRead: return ev.payload_as_RoomRead()->user_id() == viewer;
      case P::RoomCreated: {
        auto* p = ev.payload_as_RoomCreated();
        return p->kind() == schema::RoomKind::Open || p->creator_id() == viewer;
      }
      case P::RoomRenamed: {
        auto room = ev.payload_as_RoomRenamed()->room_id();
        return kind_.count(room) && kind_.at(room) == 0 ? true : member(room);
      }
      case P::RoomDeleted: return member(ev.payload_as_RoomDeleted()->room_id());
      case P::MembershipGranted: {
        auto* p = ev.payload_as_MembershipGranted();
        return p->user_id() == viewer || member(p->room_id());
      }
      case P::MembershipRevoked: {
        auto* p = ev.payload_as_MembershipRevoked();
        return p->user_id() == viewer || member(p->room_id());
      }
      case P::MessagePosted: return member(ev.payload_as_MessagePosted()->room_id());
      case P::MessageEdited: return member(ev.payload_as_MessageEdited()->room_id());
      case P::MessageRemoved: return member(ev.payload_as_MessageRemoved()->room_id());
      case P::BoostAdded: return member(ev.payload_as_BoostAdded()->room_id());
      case P::BoostRemoved: return member(ev.payload_as_BoostRemoved()->room_id());
      default: return true;  // the account, users and bots, conversions: everyone
    }
  }

  void fold(const schema::Event& ev) {
    using P = schema::Payload;
    switch (ev.payload_type()) {
      case P::UserJoined: status_[ev.payload_as_UserJoined()->user_id()] = 0; break;
      case P::BotCreated: status_[ev.payload_as_BotCreated()->user_id()] = 0; break;
      case P::UserDeactivated: status_[ev.payload_as_UserDeactivated()->user_id()] = 1; break;
      case P::UserBanned: status_[ev.payload_as_UserBanned()->user_id()] = 2; break;
      case P::UserUnbanned: status_[ev.payload_as_UserUnbanned()->user_id()] = 0; break;
      case P::RoomCreated: kind_[ev.payload_as_RoomCreated()->room_id()] = static_cast<int>(ev.payload_as_RoomCreated()->kind()); break;
      case P::RoomConverted: kind_[ev.payload_as_RoomConverted()->room_id()] = static_cast<int>(ev.payload_as_RoomConverted()->kind()); break;
      case P::RoomDeleted:
        kind_.erase(ev.payload_as_RoomDeleted()->room_id());
        members_.erase(ev.payload_as_RoomDeleted()->room_id());
        break;
      case P::MembershipGranted:
        members_[ev.payload_as_MembershipGranted()->room_id()].insert(ev.payload_as_MembershipGranted()->user_id());
        break;
      case P::MembershipRevoked:
        members_[ev.payload_as_MembershipRevoked()->room_id()].erase(ev.payload_as_MembershipRevoked()->user_id());
        break;
      default: break;
    }
  }

 private:
  std::map<int64_t, int> status_;
  std::map<int64_t, int> kind_;
  std::map<int64_t, std::set<int64_t>> members_;
};

// The system under test plus what the generator needs to pick plausible arguments.
class World {
 public:
  // `step_invariants`: check the per-step invariants (see the file comment) after every step.
  // `viewer_states`: at the end of the case, also check ViewerState and its history.
  explicit World(bool step_invariants = true, bool viewer_states = false)
      : tmp_(scratch_base()), step_invariants_(step_invariants), viewer_states_(viewer_states) {
    DataDir::Options o;
    o.durability = Durability::kNormal;
    o.clock = &clock_;
    o.random = &random_;
    o.sequencer.max_batch = 8;  // small batches: more batch boundaries inside each step
    auto d = DataDir::open(tmp_.path().string(), o);
    RC_ASSERT(d.ok());
    dir_ = std::move(*d);
    auto setup = run({kSystemActor, "setup", cmd::SetupFirstRun{"Ada", "ada@x.io", "$x", "203.0.113.1", "ua"}});
    RC_ASSERT(setup.ok());
    users_.push_back(UserId(setup->id));
    rooms_.push_back(RoomId(1));
  }

  Outcome run(CommandEnvelope c) { return dir_->sequencer().execute(std::move(c)); }

  template <class T>
  T pick(const std::vector<T>& v, int i) const { return v.empty() ? T() : v[static_cast<size_t>(i) % v.size()]; }
  std::vector<UserId> subset(int mask) const {
    std::vector<UserId> out;
    for (size_t i = 0; i < users_.size() && i < 10; ++i) {
      if (mask & (1 << i)) out.push_back(users_[i]);
    }
    return out;
  }

  CommandEnvelope make(const Op& op) {
    UserId actor = pick(users_, op.a);
    UserId admin = users_[0];
    RoomId room = pick(rooms_, op.b);
    MessageId msg = pick(messages_, op.b);
    std::string id = "k" + std::to_string(++commands_);
    switch (op.kind) {
      case 0: return {kSystemActor, id, cmd::JoinAccount{join_code(), "u" + id, id + "@x.io", "$y", "198.51.100." + std::to_string(op.c % 250), "ua"}};
      case 1: return {admin, id, create_bot_command("bot" + id)};
      case 2: return {actor, id, cmd::CreateOpenRoom{"open " + id}};
      case 3: return {actor, id, cmd::CreateClosedRoom{"closed " + id, subset(op.c)}};
      case 4: return {actor, id, cmd::FindOrCreateDirectRoom{subset(op.c)}};
      case 5: return {actor, id, cmd::ConvertRoom{room, op.c % 2 ? RoomKind::kOpen : RoomKind::kClosed}};
      case 6: return {actor, id, cmd::ReviseRoomMembers{room, subset(op.c)}};
      case 7: return {op.c % 3 ? actor : admin, id, cmd::DeleteRoom{room}};
      case 8: return {actor, id, cmd::ChangeInvolvement{room, static_cast<Involvement>(op.c % 4)}};
      case 9: return {actor, id, cmd::MarkRoomRead{room}};
      case 10: case 11: case 12:
        return {actor, id, cmd::PostMessage{room, "<p>w" + std::to_string(op.c) + " hello</p>", "w" + std::to_string(op.c) + " hello",
                                            subset(op.c), std::nullopt, subset(op.c >> 3)}};
      case 13: return {op.c % 2 ? actor : admin, id, cmd::EditMessage{msg, "<p>edited</p>", "edited " + std::to_string(op.c), subset(op.c)}};
      case 14: return {op.c % 2 ? actor : admin, id, cmd::RemoveMessage{msg}};
      case 15: return {actor, id, cmd::AddBoost{msg, op.c % 2 ? "🔥" : "nice"}};
      case 16: return {actor, id, cmd::RemoveBoost{pick(boosts_, op.c)}};
      case 17: return {admin, id, cmd::DeactivateUser{pick(users_, op.c)}};
      case 18: return {admin, id, cmd::BanUser{pick(users_, op.c)}};
      case 19: return {admin, id, cmd::UnbanUser{pick(users_, op.c)}};
      case 20: return {admin, id, cmd::ChangeRole{pick(users_, op.c), op.b % 2 ? Role::kAdministrator : Role::kMember}};
      case 21: return {actor, id, cmd::RecordSearch{"q" + std::to_string(op.c % 13)}};
      case 22: return {actor, id, cmd::ClearSearches{}};
      case 23: return {actor, id, cmd::StartSession{"203.0.113." + std::to_string(op.c % 250), "ua"}};
      case 24: return {actor, id, cmd::AddPushSubscription{"https://push.example/" + std::to_string(op.c % 7), "p", "a", "ua"}};
      case 25: return {admin, id, cmd::ChangeAccountSettings{op.c % 2 == 0}};
      // A session of anyone's, as the one to keep: the actor's own or not (then none is kept).
      case 26: return {actor, id, cmd::ChangePassword{actor, "$p" + id, SessionId(op.c % 16), false}};
      case 27: return {actor, id, cmd::EndOtherSessions{SessionId(op.c % 16)}};
      default: return {actor, id, cmd::RemovePushSubscription{PushSubscriptionId(op.c % 5)}};
    }
  }

  void learn(const CommandEnvelope& c, const Outcome& o) {
    if (!o.ok() || o->replayed) return;
    std::visit([&](const auto& x) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, cmd::JoinAccount> || std::is_same_v<T, cmd::CreateBot>) users_.push_back(UserId(o->id));
      else if constexpr (std::is_same_v<T, cmd::CreateOpenRoom> || std::is_same_v<T, cmd::CreateClosedRoom> ||
                         std::is_same_v<T, cmd::FindOrCreateDirectRoom>) rooms_.push_back(RoomId(o->id));
      else if constexpr (std::is_same_v<T, cmd::PostMessage>) messages_.push_back(MessageId(o->id));
      else if constexpr (std::is_same_v<T, cmd::AddBoost>) boosts_.push_back(BoostId(o->id));
    }, c.command);
    if (!c.command_id.empty()) done_.push_back({c, *o});
  }

  void step(const std::vector<Op>& ops) {
    std::vector<CommandEnvelope> commands;
    std::vector<std::future<Outcome>> outcomes;
    for (auto& op : ops) {
      commands.push_back(make(op));
      outcomes.push_back(dir_->sequencer().submit(commands.back()));
    }
    for (size_t i = 0; i < ops.size(); ++i) learn(commands[i], outcomes[i].get());
    for (auto& op : ops) {
      if (op.repeat && !done_.empty()) check_repeat(done_[static_cast<size_t>(op.c) % done_.size()]);
    }
    if (step_invariants_) {
      check_step();
    } else {
      dir_->sequencer().wait_applied(dir_->sequencer().committed_seq());
    }
  }

  // I6: a command id that appended events returns its first outcome and appends nothing more.
  void check_repeat(const std::pair<CommandEnvelope, Ack>& earlier) {
    auto log = read_log();
    auto appended = log->find_command(earlier.first.actor, earlier.first.command_id);
    RC_ASSERT(appended.ok());
    if (!*appended) return;  // it appended nothing; a repeat is decided afresh
    Seq before = dir_->sequencer().committed_seq();
    auto again = run(earlier.first);
    RC_ASSERT(again.ok());
    RC_ASSERT(again->replayed);
    RC_ASSERT(again->id == earlier.second.id);
    RC_ASSERT(again->seq == earlier.second.seq);
    RC_ASSERT(dir_->sequencer().committed_seq() == before);
  }

  void check_step() {
    dir_->sequencer().wait_applied(dir_->sequencer().committed_seq());
    auto log = read_log();
    auto verified = log->verify();
    RC_ASSERT(verified.ok());
    RC_ASSERT(*verified == log->last_seq().value);
    auto state = sqlite::Db::open(tmp_.file("state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    RC_ASSERT(state.ok());
    auto missing = state->query_int(
        "SELECT count(*) FROM rooms r, users u WHERE r.kind = 0 AND u.status = 0 AND NOT EXISTS "
        "(SELECT 1 FROM memberships m WHERE m.room_id = r.id AND m.user_id = u.id)");
    RC_ASSERT(missing.ok());
    RC_ASSERT(missing->value_or(-1) == 0);
    auto sets = state->prepare(
        "SELECT room_id, group_concat(user_id) FROM (SELECT m.room_id, m.user_id FROM memberships m "
        "JOIN rooms r ON r.id = m.room_id WHERE r.kind = 2 ORDER BY m.room_id, m.user_id) GROUP BY room_id");
    RC_ASSERT(sets.ok());
    std::set<std::string> seen;
    for (;;) {
      auto row = sets->step();
      RC_ASSERT(row.ok());
      if (!*row) break;
      RC_ASSERT(seen.insert(std::string(sets->col_text(1))).second);
    }
  }

  void check_case() {
    dir_->sequencer().wait_applied(dir_->sequencer().committed_seq());
    // I3: rebuild equals live.
    auto rebuilt = tmp_.file("rebuilt.sqlite3");
    auto report = replay::rebuild_projection(tmp_.path(), rebuilt);
    RC_ASSERT(report.ok());
    std::ostringstream diff_out;
    auto diff = replay::diff_states(tmp_.file("state.sqlite3"), rebuilt, diff_out);
    RC_ASSERT(diff.ok());
    if (!diff->equal()) RC_FAIL("rebuild differs from live:\n" + diff_out.str());
    // Start-up's write model (loaded from tables) equals the fold of the log.
    auto state = sqlite::Db::open(tmp_.file("state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    RC_ASSERT(state.ok());
    auto loaded = load_write_model(*state);
    RC_ASSERT(loaded.ok());
    WriteModel folded;
    SimpleVisibility simple;
    auto log = read_log();
    std::vector<int64_t> viewers;
    for (auto u : users_) viewers.push_back(u.value);
    viewers.push_back(9999);  // nobody
    auto scanned = log->scan(Seq(0), Seq(INT64_MAX), [&](const StoredEvent& e) -> Status {
      auto ev = view_event(e);
      if (!ev) return ev.take_error();
      for (auto v : viewers) {
        bool ours = visible_to(e, UserId(v), folded).visible;
        if (ours != simple.visible(**ev, v)) {
          return invalid("visibility of seq " + std::to_string(e.seq.value) + " (" +
                         std::string(event_type_name(e.type)) + ") for user " + std::to_string(v) + " disagrees");
        }
      }
      folded.apply(e);
      simple.fold(**ev);
      return ok_status();
    });
    if (!scanned.ok()) RC_FAIL(scanned.error().to_string());
    RC_ASSERT(*loaded == folded);
    // The indexes too: the fold keeps them event by event, the loader builds them at once.
    RC_ASSERT(loaded->direct_rooms == folded.direct_rooms);
    RC_ASSERT(loaded->user_by_email == folded.user_by_email);
    RC_ASSERT(loaded->session_by_token == folded.session_by_token);
    if (!viewer_states_) return;
    // One read transaction: thousands of loads follow, and a lock per statement would dominate.
    RC_ASSERT(state->exec("BEGIN").ok());
    check_viewer_states(*state, viewers);
    RC_ASSERT(state->exec("COMMIT").ok());
  }

  // One connection's view (viewer_state.h) against the write model, for every viewer and seq.
  void check_viewer_states(const sqlite::Db& state, const std::vector<int64_t>& viewers) {
    auto log = read_log();
    const int64_t last = log->last_seq().value;
    WriteModel model;
    std::map<int64_t, ViewerState> from_zero, resumed;
    auto reader = ViewerStateReader::open(state);
    RC_ASSERT(reader.ok());
    for (size_t i = 0; i < viewers.size(); ++i) {
      from_zero[viewers[i]].viewer = UserId(viewers[i]);
      // Each viewer resumes from a different cursor, spread over the log.
      auto r = load_viewer_state(state, UserId(viewers[i]), Seq(last * static_cast<int64_t>(i + 1) /
                                                                static_cast<int64_t>(viewers.size() + 1)));
      RC_ASSERT(r.ok());
      resumed[viewers[i]] = std::move(*r);
    }
    auto same = [](const Visibility& a, const Visibility& b) { return a.visible == b.visible && a.reason == b.reason; };
    // Loading at every seq for every viewer would double the test's time; instead each viewer
    // loads where its facts just changed (the seqs a wrong history would show first) and at every
    // fourth seq, staggered so that every seq is loaded for some viewers.
    std::map<int64_t, bool> changed;
    auto scanned = log->scan(Seq(0), Seq(INT64_MAX), [&](const StoredEvent& e) -> Status {
      for (size_t i = 0; i < viewers.size(); ++i) {
        const int64_t v = viewers[i];
        ViewerState& mine = from_zero[v];
        if (changed[v] || (mine.at.value + static_cast<int64_t>(i)) % 4 == 0) {
          auto loaded = reader->load(UserId(v), mine.at);
          if (!loaded) return loaded.take_error();
          if (!(*loaded == mine)) {
            return invalid("load_viewer_state(" + std::to_string(v) + ", " + std::to_string(mine.at.value) +
                           ") differs from the fold");
          }
        }
        Visibility expected = visible_to(e, UserId(v), model);
        if (!same(expected, visible_to(e, UserId(v), mine))) {
          return invalid("ViewerState visibility of seq " + std::to_string(e.seq.value) + " for user " +
                         std::to_string(v) + " disagrees with the write model's");
        }
        ViewerState& back = resumed[v];
        if (back.at.value + 1 == e.seq.value) {
          if (!same(expected, visible_to(e, UserId(v), back))) {
            return invalid("resumed visibility of seq " + std::to_string(e.seq.value) + " for user " +
                           std::to_string(v) + " disagrees with the write model's");
          }
          back.apply(e);
        }
        // One event changes at most one room of each set, or the status: sizes show any change.
        const auto sizes = std::tuple(mine.status, mine.rooms.size(), mine.open_rooms.size());
        mine.apply(e);
        changed[v] = sizes != std::tuple(mine.status, mine.rooms.size(), mine.open_rooms.size());
      }
      model.apply(e);
      return ok_status();
    });
    if (!scanned.ok()) RC_FAIL(scanned.error().to_string());
    for (auto v : viewers) {
      RC_ASSERT(resumed[v] == from_zero[v]);
      auto loaded = load_viewer_state(state, UserId(v), Seq(last));
      RC_ASSERT(loaded.ok());
      RC_ASSERT(*loaded == from_zero[v]);
    }
  }

 private:
  std::unique_ptr<EventLog> read_log() {
    EventLog::Options o;
    o.read_only = true;
    o.verify_on_open = false;
    auto log = EventLog::open(tmp_.file("log.sqlite3"), o);
    RC_ASSERT(log.ok());
    return std::move(*log);
  }
  std::string join_code() { return current_join_code(*dir_); }

  TempDir tmp_;
  bool step_invariants_;
  bool viewer_states_;
  ManualClock clock_;
  SeededRandom random_{7};
  std::unique_ptr<DataDir> dir_;
  std::vector<UserId> users_;
  std::vector<RoomId> rooms_;
  std::vector<MessageId> messages_;
  std::vector<BoostId> boosts_;
  std::vector<std::pair<CommandEnvelope, Ack>> done_;
  int commands_ = 0;
};

RC_GTEST_PROP(ModelTest, InvariantsHoldOverRandomInterleavedCommands, ()) {
  auto steps = *rc::gen::container<std::vector<std::vector<Op>>>(
      rc::gen::resize(4, rc::gen::nonEmpty(rc::gen::arbitrary<std::vector<Op>>())));
  if (steps.size() > 30) steps.resize(30);
  World world;
  for (auto& ops : steps) world.step(ops);
  world.check_case();
}

// The per-step invariants and the end-of-case checks (rebuild == live, loaded == folded write
// model, visibility over the write model, ViewerState and its history) over every command kind:
// with deletions, bans and unbans in play.
RC_GTEST_PROP(ModelTest, ViewerStateAgreesWithWriteModelOverEveryCommandKind, ()) {
  auto steps = *rc::gen::container<std::vector<std::vector<Op>>>(
      rc::gen::resize(4, rc::gen::nonEmpty(rc::gen::container<std::vector<Op>>(full_range_op()))));
  if (steps.size() > 30) steps.resize(30);
  World world(/*step_invariants=*/true, /*viewer_states=*/true);
  for (auto& ops : steps) world.step(ops);
  world.check_case();
}

}  // namespace
}  // namespace hearth::testing
