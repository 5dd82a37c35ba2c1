// Presence, unread, typing and revocation over real sockets (docs/protocol.md "Presence";
// CAMPFIRE.md 2.9, 2.10): who is present is not marked unread by either post path, becoming
// present reads the room on every tab, a closed socket is no longer present, non-members are
// refused, and a lost membership stops a live socket's room within 1 s.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/sequencer/sequencer.h"
#include "core/sqlite/db.h"
#include "server/api.h"
#include "server/message_commands.h"
#include "server/realtime/presence.h"
#include "socket_fixture.h"

namespace hearth::server {
namespace {

using Clock = std::chrono::steady_clock;

// One user's socket, with everything it received kept: the events in order and the other frames.
class Tab {
 public:
  Tab(std::unique_ptr<WsClient> c, int64_t cursor) : c_(std::move(c)), record_(cursor) {}
  explicit operator bool() const { return c_ != nullptr; }
  // After a network cut: the next connection, resumed from the last seq this tab processed.
  void replace(std::unique_ptr<WsClient> c) { c_ = std::move(c); }
  WsClient& socket() { return *c_; }
  const StreamRecord& record() const { return record_; }

  void send(json::object frame) { c_->send(json::value(std::move(frame))); }
  // Sends a ping and waits for its pong: every frame sent before it has been handled.
  bool sync() {
    send({{"type", "ping"}});
    return until([&](const json::object& f) { return f.at("type").as_string() == "pong"; }, 5s).has_value();
  }

  // Reads until a frame (an event counts as a frame of its own) matches, or the time is up.
  std::optional<json::object> until(const std::function<bool(const json::object&)>& match,
                                    std::chrono::milliseconds limit = 5s) {
    for (size_t i = seen_; i < frames_.size(); ++i) {
      if (match(frames_[i])) {
        seen_ = i + 1;
        return frames_[i];
      }
    }
    seen_ = frames_.size();
    auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline && !c_->closed()) {
      auto f = c_->recv(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
      if (!f) continue;
      record_.feed(*f);
      std::vector<json::object> got;
      const json::object& o = f->as_object();
      if (o.at("type").as_string() == "events") {
        for (const auto& e : o.at("events").as_array()) got.push_back(e.as_object());
      } else {
        got.push_back(o);
      }
      for (auto& g : got) frames_.push_back(std::move(g));
      for (size_t i = seen_; i < frames_.size(); ++i) {
        if (match(frames_[i])) {
          seen_ = i + 1;
          return frames_[i];
        }
      }
      seen_ = frames_.size();
    }
    return std::nullopt;
  }
  std::optional<json::object> event(const std::string& type, int64_t room, std::chrono::milliseconds limit = 5s) {
    return until(
        [&](const json::object& f) {
          return f.contains("seq") && f.contains("data") && f.at("type").as_string() == type &&
                 f.at("data").as_object().contains("room_id") && f.at("data").at("room_id").as_int64() == room;
        },
        limit);
  }
  // Reads until the stream has reached `seq` (checkpoints count).
  bool reach(int64_t seq, std::chrono::milliseconds limit = 10s) {
    if (record_.last >= seq) return true;
    until([&](const json::object&) { return record_.last >= seq; }, limit);
    return record_.last >= seq;
  }
  std::optional<json::object> frame(const std::string& type, std::chrono::milliseconds limit = 5s) {
    // Not an event (events are the only frames with `data`).
    return until([&](const json::object& f) { return !f.contains("data") && f.at("type").as_string() == type; }, limit);
  }
  // Every event received so far (after reading for `settle`).
  std::vector<json::object> events(std::chrono::milliseconds settle = 200ms) {
    until([](const json::object&) { return false; }, settle);
    return events_so_far();
  }
  std::vector<json::object> events_so_far() const {
    std::vector<json::object> out;
    for (auto& f : frames_) {
      if (f.contains("seq") && f.contains("data")) out.push_back(f);
    }
    return out;
  }

 private:
  std::unique_ptr<WsClient> c_;
  StreamRecord record_;
  std::vector<json::object> frames_;
  size_t seen_ = 0;
};

bool lists(const json::object& posted, int64_t user) {
  for (const auto& u : posted.at("data").at("unread_user_ids").as_array()) {
    if (u.as_int64() == user) return true;
  }
  return false;
}

class PresenceSocketTest : public SocketTest {
 protected:
  Tab tab(const Session& s) {
    int64_t cursor = bootstrap(s).at("seq").as_int64();
    return Tab(open_socket(s, cursor), cursor);
  }
  // The room's `unread` flag in `s`'s bootstrap (state.sqlite3), or nullopt without the room.
  std::optional<bool> unread(const Session& s, int64_t room) {
    json::value boot = bootstrap(s);
    for (const auto& r : boot.at("rooms").as_array()) {
      if (r.at("id").as_int64() == room) return r.at("unread").as_bool();
    }
    return std::nullopt;
  }
  std::vector<UserId> present_in(int64_t room) { return chat_.api->presence()->present_in(RoomId(room)); }
  bool is_present(int64_t user, int64_t room) {
    for (UserId u : present_in(room)) {
      if (u.value == user) return true;
    }
    return false;
  }
  static json::object post_frame(const std::string& id, int64_t room, const std::string& text) {
    return {{"type", "post"}, {"id", id}, {"room_id", room}, {"body_html", text}, {"plain_text", text}};
  }
};

TEST_F(PresenceSocketTest, APresentMemberIsNotMarkedUnreadByEitherPostPathAnAbsentOneIs) {
  Session ada = first_run();
  Session bea = join(ada, "bea");
  int64_t room = all_talk(ada), b = user_id(bea);
  Tab ada_tab = tab(ada), bea_tab = tab(bea);
  ASSERT_TRUE(ada_tab && bea_tab);

  bea_tab.send({{"type", "present"}, {"room_id", room}});
  ASSERT_TRUE(bea_tab.sync());
  EXPECT_TRUE(is_present(b, room));
  post_http(ada, room, "over http", "h-1");
  auto posted = bea_tab.event("MessagePosted", room);
  ASSERT_TRUE(posted);
  EXPECT_FALSE(lists(*posted, b));
  ada_tab.send(post_frame("s-1", room, "over the socket"));
  posted = bea_tab.event("MessagePosted", room);
  ASSERT_TRUE(posted);
  EXPECT_FALSE(lists(*posted, b));
  EXPECT_EQ(unread(bea, room), false);

  bea_tab.send({{"type", "absent"}, {"room_id", room}});
  ASSERT_TRUE(bea_tab.sync());
  EXPECT_FALSE(is_present(b, room));
  ada_tab.send(post_frame("s-2", room, "while bea is away"));
  posted = bea_tab.event("MessagePosted", room);
  ASSERT_TRUE(posted);
  EXPECT_TRUE(lists(*posted, b));
  EXPECT_EQ(unread(bea, room), true);
}

TEST_F(PresenceSocketTest, BecomingPresentReadsTheRoomOnEveryTabOfTheUser) {
  Session ada = first_run();
  Session bea = join(ada, "bea");
  int64_t room = all_talk(ada), b = user_id(bea);
  post_http(ada, room, "unread for bea", "u-1");
  ASSERT_EQ(unread(bea, room), true);
  Tab first = tab(bea), second = tab(bea);
  ASSERT_TRUE(first && second);
  first.send({{"type", "present"}, {"room_id", room}});
  for (Tab* t : {&first, &second}) {
    auto read = t->event("RoomRead", room);
    ASSERT_TRUE(read) << "a tab of the user did not see the room read";
    EXPECT_EQ(read->at("data").at("user_id").as_int64(), b);
  }
  EXPECT_EQ(unread(bea, room), false);
  // Present again (a second tab, or the same one) appends nothing: the room is read.
  int64_t before = head();
  second.send({{"type", "present"}, {"room_id", room}});
  first.send({{"type", "present"}, {"room_id", room}});
  ASSERT_TRUE(second.sync() && first.sync());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(head(), before);
  EXPECT_EQ(chat_.api->presence()->connections(UserId(b), RoomId(room)), 2u);
}

TEST_F(PresenceSocketTest, AClosedSocketIsNoLongerPresent) {
  Session ada = first_run();
  Session bea = join(ada, "bea");
  int64_t room = all_talk(ada), b = user_id(bea);
  {
    Tab bea_tab = tab(bea);
    ASSERT_TRUE(bea_tab);
    bea_tab.send({{"type", "present"}, {"room_id", room}});
    ASSERT_TRUE(bea_tab.sync());
    EXPECT_TRUE(is_present(b, room));
    bea_tab.socket().drop();  // a network cut, no close handshake
  }
  auto deadline = Clock::now() + 2s;
  while (is_present(b, room) && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_FALSE(is_present(b, room));
  post_http(ada, room, "after bea left", "l-1");
  EXPECT_EQ(unread(bea, room), true);
}

TEST_F(PresenceSocketTest, NonMembersCannotBePresentOrTypeInARoom) {
  Session ada = first_run();
  Session bea = join(ada, "bea");
  UserId a(user_id(ada)), b(user_id(bea));
  auto closed = chat_.data->sequencer().execute({a, "", cmd::CreateClosedRoom{"ada only", {a}}});
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  int64_t room = closed->id;
  Tab ada_tab = tab(ada), bea_tab = tab(bea);
  ASSERT_TRUE(ada_tab && bea_tab);
  bea_tab.send({{"type", "present"}, {"room_id", room}});
  auto refused = bea_tab.frame("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->at("code").as_string(), "not_member");
  EXPECT_FALSE(is_present(b.value, room));
  bea_tab.send({{"type", "typing"}, {"room_id", room}, {"active", true}});
  refused = bea_tab.frame("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->at("code").as_string(), "not_member");
  EXPECT_FALSE(ada_tab.frame("typing", 300ms)) << "a non-member's typing reached the room";
  bea_tab.send({{"type", "present"}, {"room_id", 999999}});  // no such room
  refused = bea_tab.frame("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->at("code").as_string(), "not_member");
}

TEST_F(PresenceSocketTest, TypingReachesTheOtherMembersOnly) {
  Session ada = first_run();
  Session bea = join(ada, "bea");
  Session cy = join(ada, "cy");
  UserId a(user_id(ada)), b(user_id(bea));
  auto closed = chat_.data->sequencer().execute({a, "", cmd::CreateClosedRoom{"two", {a, b}}});
  ASSERT_TRUE(closed.ok());
  int64_t room = closed->id;
  Tab ada_tab = tab(ada), bea_tab = tab(bea), cy_tab = tab(cy);
  ASSERT_TRUE(ada_tab && bea_tab && cy_tab);
  ada_tab.send({{"type", "typing"}, {"room_id", room}, {"active", true}});
  auto typing = bea_tab.frame("typing");
  ASSERT_TRUE(typing);
  EXPECT_EQ(typing->at("user_id").as_int64(), a.value);
  EXPECT_EQ(typing->at("room_id").as_int64(), room);
  EXPECT_TRUE(typing->at("active").as_bool());
  EXPECT_FALSE(cy_tab.frame("typing", 300ms)) << "typing reached a non-member";
  EXPECT_FALSE(ada_tab.frame("typing", 100ms)) << "the typist was told of their own typing";
}

// The user loses the room three ways; each time their live socket passes the event that ends the
// membership within 1 s, carries nothing more of the room, holds no presence there, and is refused
// presence and typing there from then on.
class RevocationTest : public PresenceSocketTest {
 protected:
  struct Setup {
    Session ada, bea;
    UserId a, b;
    int64_t room = 0;
  };
  Setup setup() {
    Setup s{first_run(), {}, {}, {}, 0};
    s.bea = join(s.ada, "bea");
    s.a = UserId(user_id(s.ada));
    s.b = UserId(user_id(s.bea));
    auto closed = chat_.data->sequencer().execute({s.a, "", cmd::CreateClosedRoom{"secret", {s.a, s.b}}});
    EXPECT_TRUE(closed.ok());
    s.room = closed.ok() ? closed->id : 0;
    return s;
  }

  // Bea is present and typing in the room, then `lose` runs; returns the time until her socket saw
  // `ending_event` for the room.
  void check(const std::function<void(Setup&)>& lose, const std::string& ending_event) {
    Setup s = setup();
    Tab ada_tab = tab(s.ada), bea_tab = tab(s.bea);
    ASSERT_TRUE(ada_tab && bea_tab);
    int64_t bea_start = bea_tab.record().last;
    bea_tab.send({{"type", "present"}, {"room_id", s.room}});
    bea_tab.send({{"type", "typing"}, {"room_id", s.room}, {"active", true}});
    ASSERT_TRUE(ada_tab.frame("typing")) << "typing before the revocation must work";
    ASSERT_TRUE(bea_tab.sync());
    ASSERT_TRUE(is_present(s.b.value, s.room));

    auto t0 = Clock::now();
    lose(s);
    auto ended = bea_tab.event(ending_event, s.room, 1s);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    ASSERT_TRUE(ended) << ending_event << " did not reach the live socket within 1 s";
    std::cout << ending_event << " reached the live socket in " << took.count() << " ms\n";
    EXPECT_LT(took, 1s);
    // Her presence there ended with it.
    auto deadline = Clock::now() + 1s;
    while (is_present(s.b.value, s.room) && Clock::now() < deadline) std::this_thread::sleep_for(2ms);
    EXPECT_FALSE(is_present(s.b.value, s.room));

    if (ending_event != "RoomDeleted") {
      ada_tab.send(post_frame("after", s.room, "not for bea"));
      ASSERT_TRUE(ada_tab.event("MessagePosted", s.room));
    }
    bea_tab.send({{"type", "present"}, {"room_id", s.room}});
    auto refused = bea_tab.frame("error");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->at("code").as_string(), "not_member");
    bea_tab.send({{"type", "typing"}, {"room_id", s.room}, {"active", true}});
    refused = bea_tab.frame("error");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->at("code").as_string(), "not_member");
    EXPECT_FALSE(ada_tab.frame("typing", 300ms)) << "typing after the revocation reached the room";
    EXPECT_FALSE(is_present(s.b.value, s.room));
    // And her stream is exactly her filtered log: nothing of the room after the revocation.
    for (const auto& e : bea_tab.events()) {
      if (e.at("type").as_string() == "MessagePosted") {
        EXPECT_NE(e.at("data").at("client_message_id").as_string(), "after");
      }
    }
    int64_t end = head();
    StreamRecord record = bea_tab.record();
    drain(bea_tab.socket(), record, end);
    EXPECT_TRUE(record.errors.empty());
    EXPECT_EQ(record.seqs, expected(s.b.value, bea_start));
  }
};

TEST_F(RevocationTest, RevokedFromAClosedRoom) {
  check([&](Setup& s) {
    ASSERT_TRUE(chat_.data->sequencer().execute({s.a, "", cmd::ReviseRoomMembers{RoomId(s.room), {s.a}}}).ok());
  }, "MembershipRevoked");
}

TEST_F(RevocationTest, TheRoomIsDeleted) {
  check([&](Setup& s) {
    ASSERT_TRUE(chat_.data->sequencer().execute({s.a, "", cmd::DeleteRoom{RoomId(s.room)}}).ok());
  }, "RoomDeleted");
}

TEST_F(RevocationTest, ADeactivatedUsersSocketClosesWithin1s) {
  Setup s = setup();
  Tab bea_tab = tab(s.bea);
  ASSERT_TRUE(bea_tab);
  bea_tab.send({{"type", "present"}, {"room_id", s.room}});
  ASSERT_TRUE(bea_tab.sync());
  ASSERT_TRUE(is_present(s.b.value, s.room));
  auto t0 = Clock::now();
  ASSERT_TRUE(chat_.data->sequencer().execute({s.a, "", cmd::DeactivateUser{s.b}}).ok());
  auto deadline = t0 + 1s;
  while (!bea_tab.socket().closed() && Clock::now() < deadline) bea_tab.socket().recv(10ms);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  std::cout << "a deactivated user's socket closed in " << took.count() << " ms\n";
  EXPECT_TRUE(bea_tab.socket().closed());
  EXPECT_EQ(bea_tab.socket().close_code(), 4001);
  deadline = Clock::now() + 1s;
  while (is_present(s.b.value, s.room) && Clock::now() < deadline) std::this_thread::sleep_for(2ms);
  EXPECT_FALSE(is_present(s.b.value, s.room));
  int status = 0;
  EXPECT_EQ(WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", s.bea.cookie}}, &status), nullptr);
  EXPECT_EQ(status, 401);
}

TEST_F(PresenceSocketTest, PresentForAMembershipTheStreamHasNotDeliveredYetWaitsForIt) {
  Session ada = first_run();
  Session bea = join(ada, "bea");
  UserId a(user_id(ada)), b(user_id(bea));
  Tab bea_tab = tab(bea);
  ASSERT_TRUE(bea_tab);
  // The grant commits and Bea asks at once, as a client that learned of it over HTTP would: her
  // stream may or may not have delivered it yet; either way she ends up present, never refused.
  for (int i = 0; i < 20; ++i) {
    auto closed = chat_.data->sequencer().execute({a, "", cmd::CreateClosedRoom{"r" + std::to_string(i), {a, b}}});
    ASSERT_TRUE(closed.ok());
    bea_tab.send({{"type", "present"}, {"room_id", closed->id}});
    ASSERT_TRUE(bea_tab.event("MembershipGranted", closed->id));
    ASSERT_TRUE(bea_tab.sync());
    EXPECT_TRUE(is_present(b.value, closed->id)) << "room " << closed->id;
  }
  EXPECT_FALSE(bea_tab.frame("error", 100ms));
}


// The unread flags against a model a reader can check by eye (CAMPFIRE.md 2.9): a post marks
// unread every member who is not the author, not invisible and not present (some connection of
// theirs present in the room); becoming present reads the room; a membership that ends takes its
// flag with it. Random steps, one at a time (each is waited for, so the model knows who was
// present when a post was decided); after each, state.sqlite3 must hold exactly the model's flags
// and the registry exactly the model's presence; at the end, each client's flags, folded from
// bootstrap and its own stream, equal the model's for its user.
struct UnreadModel {
  std::map<int64_t, std::map<int64_t, int>> members;   // room → user → involvement (0: invisible)
  std::set<std::pair<int64_t, int64_t>> unread;        // (room, user)
  std::vector<std::set<int64_t>> present;              // per client: rooms it is present in

  bool member(int64_t room, int64_t user) const {
    auto r = members.find(room);
    return r != members.end() && r->second.contains(user);
  }
  bool is_present(int64_t room, int64_t user, const std::vector<int64_t>& client_user) const {
    for (size_t c = 0; c < present.size(); ++c) {
      if (client_user[c] == user && present[c].contains(room)) return true;
    }
    return false;
  }
};

// A client's flags as it computes them: bootstrap, then its stream.
std::map<int64_t, bool> client_flags(const json::value& boot, const std::vector<json::object>& events, int64_t me) {
  std::map<int64_t, bool> flags;
  for (const auto& r : boot.at("rooms").as_array()) flags[r.at("id").as_int64()] = r.at("unread").as_bool();
  for (const auto& e : events) {
    std::string_view type = e.at("type").as_string();
    const json::object& d = e.at("data").as_object();
    if (!d.contains("room_id")) continue;
    int64_t room = d.at("room_id").as_int64();
    bool mine = d.contains("user_id") && d.at("user_id").as_int64() == me;
    if (type == "MessagePosted") {
      for (const auto& u : d.at("unread_user_ids").as_array()) {
        if (u.as_int64() == me) flags[room] = true;
      }
    } else if (type == "RoomRead" && mine) {
      flags[room] = false;
    } else if (type == "MembershipGranted" && mine) {
      flags[room] = false;
    } else if ((type == "MembershipRevoked" && mine) || type == "RoomDeleted") {
      flags.erase(room);
    }
  }
  return flags;
}

TEST_F(PresenceSocketTest, UnreadFlagsMatchASimpleModel) {
  Session ada = first_run();
  std::vector<Session> people{ada, join(ada, "bea"), join(ada, "cy")};
  std::vector<int64_t> ids;
  for (auto& p : people) ids.push_back(user_id(p));
  // Clients: Bea has two tabs, so presence is counted per connection.
  const std::vector<size_t> client_person{0, 1, 1, 2};
  std::vector<int64_t> client_user;
  for (size_t p : client_person) client_user.push_back(ids[p]);
  Sequencer& sequencer = chat_.data->sequencer();
  auto state_path = dir_.file("data") + "/state.sqlite3";

  auto read_state = [&](UnreadModel* into, std::set<std::pair<int64_t, int64_t>>* flags) {
    auto db = sqlite::Db::open(state_path, sqlite::Db::Mode::kReadOnly);
    RC_ASSERT(db.ok());
    auto st = db->prepare("SELECT room_id, user_id, involvement, unread FROM memberships");
    RC_ASSERT(st.ok());
    if (into) into->members.clear();
    for (;;) {
      auto row = st->step();
      RC_ASSERT(row.ok());
      if (!*row) break;
      if (into) into->members[st->col_int(0)][st->col_int(1)] = static_cast<int>(st->col_int(2));
      if (flags && st->col_int(3) != 0) flags->emplace(st->col_int(0), st->col_int(1));
    }
  };
  int run = 0, posts = 0;
  // rc::check reports a falsified property by its result, not to gtest.
  EXPECT_TRUE(rc::check([&] {
    ++run;
    UnreadModel model;
    read_state(&model, &model.unread);
    model.present.assign(client_person.size(), {});
    std::vector<json::value> boots;
    std::vector<Tab> tabs;
    for (size_t c = 0; c < client_person.size(); ++c) {
      boots.push_back(bootstrap(people[client_person[c]]));
      int64_t cursor = boots.back().at("seq").as_int64();
      tabs.emplace_back(open_socket(people[client_person[c]], cursor), cursor);
      RC_ASSERT(static_cast<bool>(tabs.back()));
    }
    auto rooms = [&] {
      std::vector<int64_t> out;
      for (auto& [r, m] : model.members) out.push_back(r);
      out.push_back(999'999);  // no such room
      return out;
    };
    // Membership changed: the model takes it from the state, and keeps only the flags and the
    // presence of memberships that still exist; every client's stream passes the change (its
    // connection leaves rooms it lost at that event).
    auto membership_changed = [&] {
      read_state(&model, nullptr);
      std::erase_if(model.unread, [&](const auto& ru) { return !model.member(ru.first, ru.second); });
      for (size_t c = 0; c < tabs.size(); ++c) {
        std::erase_if(model.present[c], [&](int64_t room) { return !model.member(room, client_user[c]); });
      }
      for (auto& t : tabs) RC_ASSERT(t.reach(head()));
    };
    auto post = [&](size_t c, int64_t room, bool over_socket) {
      int64_t author = client_user[c];
      std::string id = "u" + std::to_string(run) + "-" + std::to_string(++posts);
      bool accepted;
      if (over_socket) {
        tabs[c].send(post_frame(id, room, "hi"));
        auto answer = tabs[c].until([&](const json::object& f) {
          return !f.contains("data") && (f.at("type").as_string() == "ack" || f.at("type").as_string() == "rejected") &&
                 f.at("id").as_string() == id;
        });
        RC_ASSERT(answer.has_value());
        accepted = answer->at("type").as_string() == "ack";
      } else {
        auto res = call(port_, Verb::post, "/api/rooms/" + std::to_string(room) + "/messages",
                        json::serialize(json::object{{"client_message_id", id}, {"body_html", "hi"}, {"plain_text", "hi"}}),
                        people[client_person[c]].headers());
        accepted = res.result_int() == 201;
      }
      RC_ASSERT(accepted == model.member(room, author));
      if (!accepted) return;
      std::set<int64_t> newly;  // the sequencer records transitions only
      for (auto& [u, involvement] : model.members[room]) {
        if (u == author || involvement == 0 || model.is_present(room, u, client_user)) continue;
        if (model.unread.emplace(room, u).second) newly.insert(u);
      }
      // The post itself says whom it marked: exactly those (a present member listed here would
      // be read again by their connection, but their other tabs would have seen it unread).
      auto is_it = [&](const json::object& f) {
        return f.contains("data") && f.at("type").as_string() == "MessagePosted" &&
               f.at("data").at("client_message_id").as_string() == id;
      };
      std::optional<json::object> event;
      for (auto& e : tabs[c].events_so_far()) {  // it may have come before the ack
        if (is_it(e)) event = e;
      }
      if (!event) event = tabs[c].until(is_it);
      RC_ASSERT(event.has_value());
      std::set<int64_t> listed;
      for (const auto& u : event->at("data").at("unread_user_ids").as_array()) listed.insert(u.as_int64());
      RC_ASSERT(listed == newly);
    };
    const int steps = *rc::gen::inRange(5, 25);
    for (int step = 0; step < steps; ++step) {
      size_t c = *rc::gen::inRange<size_t>(0, tabs.size());
      size_t p = client_person[c];
      int64_t user = client_user[c];
      int64_t room = *rc::gen::elementOf(rooms());
      switch (*rc::gen::inRange(0, 9)) {
        case 0: post(c, room, true); break;
        case 1: post(c, room, false); break;
        case 2:  // present (twice sometimes: the second only renews)
        case 3: {
          tabs[c].send({{"type", "present"}, {"room_id", room}});
          if (model.member(room, user)) {
            RC_ASSERT(tabs[c].sync());
            model.present[c].insert(room);
            model.unread.erase({room, user});
          } else {
            auto refused = tabs[c].frame("error", 2s);
            RC_ASSERT(refused.has_value());
            RC_ASSERT(refused->at("code").as_string() == "not_member");
          }
          break;
        }
        case 4:
          tabs[c].send({{"type", "absent"}, {"room_id", room}});
          RC_ASSERT(tabs[c].sync());
          model.present[c].erase(room);
          break;
        case 5: {  // the bell, through the sequencer
          auto level = static_cast<Involvement>(*rc::gen::inRange(0, 4));
          (void)sequencer.execute({UserId(user), "", cmd::ChangeInvolvement{RoomId(room), level}});
          membership_changed();
          break;
        }
        case 6: {  // a closed room with some of the people
          std::vector<UserId> members{UserId(user)};
          for (int64_t other : ids) {
            if (other != user && *rc::gen::arbitrary<bool>()) members.emplace_back(other);
          }
          RC_ASSERT(sequencer.execute({UserId(user), "", cmd::CreateClosedRoom{"r" + std::to_string(run), members}}).ok());
          membership_changed();
          break;
        }
        case 7: {  // revise or delete a room (refused for All Talk's deletion by non-admins, etc.)
          std::vector<UserId> members;
          for (int64_t other : ids) {
            if (*rc::gen::arbitrary<bool>()) members.emplace_back(other);
          }
          if (*rc::gen::arbitrary<bool>()) {
            (void)sequencer.execute({UserId(user), "", cmd::ReviseRoomMembers{RoomId(room), members}});
          } else {
            (void)sequencer.execute({UserId(user), "", cmd::DeleteRoom{RoomId(room)}});
          }
          membership_changed();
          break;
        }
        default: {  // the network cuts this tab; it comes back from where it was
          tabs[c].socket().drop();
          model.present[c].clear();
          tabs[c].replace(open_socket(people[p], tabs[c].record().last));
          RC_ASSERT(static_cast<bool>(tabs[c]));
          // Its old connection's presence goes when the server sees the cut.
          auto deadline = Clock::now() + 2s;
          auto registry_matches = [&] {
            for (auto& [r, m] : model.members) {
              std::vector<UserId> want;
              for (auto& [u, inv] : m) {
                if (model.is_present(r, u, client_user)) want.emplace_back(u);
              }
              if (present_in(r) != want) return false;
            }
            return true;
          };
          while (!registry_matches() && Clock::now() < deadline) std::this_thread::sleep_for(2ms);
          break;
        }
      }
      // After every step: the state's flags and the registry are the model's (a present's
      // MarkRoomRead is submitted before the pong, but may commit just after it: a short wait).
      std::set<std::pair<int64_t, int64_t>> flags;
      auto deadline = Clock::now() + 2s;
      for (;;) {
        flags.clear();
        read_state(nullptr, &flags);
        if (flags == model.unread || Clock::now() > deadline) break;
        std::this_thread::sleep_for(2ms);
      }
      RC_ASSERT(flags == model.unread);
      for (auto& [r, m] : model.members) {
        std::vector<UserId> want;
        for (auto& [u, inv] : m) {
          if (model.is_present(r, u, client_user)) want.emplace_back(u);
        }
        RC_ASSERT(present_in(r) == want);
      }
    }
    // Each client, from bootstrap and its stream, computes the model's flags for its user.
    int64_t end = head();
    for (size_t c = 0; c < tabs.size(); ++c) {
      RC_ASSERT(tabs[c].reach(end));
      RC_ASSERT(tabs[c].record().errors.empty());
      auto flags = client_flags(boots[c], tabs[c].events_so_far(), client_user[c]);
      std::map<int64_t, bool> want;
      for (auto& [r, m] : model.members) {
        if (m.contains(client_user[c])) want[r] = model.unread.contains({r, client_user[c]});
      }
      RC_ASSERT(flags == want);
    }
  }));
}

}  // namespace
}  // namespace hearth::server
