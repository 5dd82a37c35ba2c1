// The WebSocket protocol (docs/protocol.md) against a real server on 127.0.0.1 (port 0), real
// Beast WebSocket clients, and the log as the oracle: what each client received is compared with
// `replay explain` (projections/visibility.h folded over the whole log), which is what a correct
// client must end up with (DESIGN I5).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <future>
#include <sstream>
#include <thread>

#include "core/sequencer/sequencer.h"
#include "http_client.h"
#include "projections/data_dir.h"
#include "replay/explain.h"
#include "server/api.h"
#include "server/message_commands.h"
#include "server/realtime/realtime.h"
#include "server/server.h"
#include "support/temp_dir.h"
#include "socket_fixture.h"
#include "ws_client.h"

namespace hearth::server {
namespace {

TEST_F(SocketTest, UpgradeIsRefusedBeforeTheHandshakeWithoutSessionOrWithAForeignOrigin) {
  Session admin = first_run();
  int status = 0;
  EXPECT_EQ(WsClient::connect(port_, {{"Origin", kOrigin}}, &status), nullptr);
  EXPECT_EQ(status, 401);
  EXPECT_EQ(WsClient::connect(port_, {{"Origin", "http://evil.example"}, {"Cookie", admin.cookie}}, &status), nullptr);
  EXPECT_EQ(status, 403);
  EXPECT_EQ(WsClient::connect(port_, {{"Cookie", admin.cookie}}, &status), nullptr);
  EXPECT_EQ(status, 403);
  auto plain = call(port_, Verb::get, "/socket", "", admin.headers(false));
  EXPECT_EQ(plain.result_int(), 426u);
  EXPECT_EQ(error_code_of(plain), "upgrade_required");
  EXPECT_NE(WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", admin.cookie}}, &status), nullptr);
  EXPECT_EQ(status, 101);
}

TEST_F(SocketTest, AnotherUsersPostArrivesLiveWithSeqAndPrev) {
  Session admin = first_run();
  Session bea = join(admin, "bea");
  int64_t room = all_talk(admin);
  int64_t cursor = bootstrap(admin).at("seq").as_int64();
  auto c = open_socket(admin, cursor);
  ASSERT_NE(c, nullptr);
  int64_t seq = post_http(bea, room, "hello from bea", "c-1");
  StreamRecord record{cursor};
  bool seen = false;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    auto f = c->recv(1s);
    if (!f) continue;
    record.feed(*f);
    if (f->at("type").as_string() != "events") continue;
    for (const auto& e : f->at("events").as_array()) {
      if (e.at("seq").as_int64() != seq) continue;
      seen = true;
      EXPECT_EQ(e.at("type").as_string(), "MessagePosted");
      EXPECT_EQ(e.at("command_id").as_string(), "c-1");
      EXPECT_EQ(e.at("data").at("plain_text").as_string(), "hello from bea");
      EXPECT_EQ(e.at("data").at("room_id").as_int64(), room);
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_TRUE(record.errors.empty()) << record.errors.front();
}

TEST_F(SocketTest, CommandsAreAckedAndTheSameIdAfterAReconnectMakesOneMessage) {
  Session admin = first_run();
  int64_t room = all_talk(admin);
  int64_t cursor = bootstrap(admin).at("seq").as_int64();
  json::object post{{"type", "post"}, {"id", "m-42"}, {"room_id", room}, {"body_html", "<b>x</b>"}, {"plain_text", "x"}};
  int64_t first_seq = 0;
  {
    auto c = open_socket(admin, cursor);
    ASSERT_NE(c, nullptr);
    c->send(json::value(post));
    auto ack = c->recv_type("ack");
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->at("id").as_string(), "m-42");
    EXPECT_FALSE(ack->at("replayed").as_bool());
    first_seq = ack->at("seq").as_int64();
    StreamRecord record{cursor};
    drain(*c, record, first_seq);
    EXPECT_EQ(record.seqs, expected(user_id(admin), cursor));
    c->drop();  // the network goes away
  }
  auto c = open_socket(admin, cursor);
  ASSERT_NE(c, nullptr);
  c->send(json::value(post));  // the client did not know whether its post arrived: it sends again
  auto ack = c->recv_type("ack");
  ASSERT_TRUE(ack);
  EXPECT_TRUE(ack->at("replayed").as_bool());
  EXPECT_EQ(ack->at("seq").as_int64(), first_seq);
  auto page = body_of(call(port_, Verb::get, "/api/rooms/" + std::to_string(room) + "/messages", "",
                           admin.headers(false)));
  EXPECT_EQ(page.at("messages").as_array().size(), 1u);
  EXPECT_EQ(page.at("messages").as_array().at(0).at("body_html").as_string(), "<b>x</b>") << "sanitized like HTTP";
  // A refused command answers with its id and a code.
  c->send(json::value(json::object{{"type", "delete"}, {"id", "d-1"}, {"message_id", 999999}}));
  auto rejected = c->recv_type("rejected");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->at("id").as_string(), "d-1");
  EXPECT_EQ(rejected->at("code").as_string(), "not_found");
}

TEST_F(SocketTest, ResumingFromEveryCursorGivesExactlyTheVisibleEventsAfterIt) {
  Session admin = first_run();
  Session bea = join(admin, "bea");
  Session cy = join(admin, "cy");
  UserId a(user_id(admin)), b(user_id(bea)), c(user_id(cy));
  int64_t open_room = all_talk(admin);
  Sequencer& seq = chat_.data->sequencer();
  // A closed room for Ada and Bea, a ping between Bea and Cy, a revocation: the views differ.
  auto closed = seq.execute({a, "", cmd::CreateClosedRoom{"secret", {a, b}}});
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  auto ping = seq.execute({b, "", cmd::FindOrCreateDirectRoom{{b, c}}});
  ASSERT_TRUE(ping.ok()) << ping.error().message;
  for (int i = 0; i < 5; ++i) {
    post_http(admin, open_room, "open " + std::to_string(i), "o" + std::to_string(i));
    ASSERT_TRUE(seq.execute(server::post_message(a, "s" + std::to_string(i), RoomId(closed->id), "x")).ok());
    ASSERT_TRUE(seq.execute(server::post_message(b, "p" + std::to_string(i), RoomId(ping->id), "x")).ok());
  }
  ASSERT_TRUE(seq.execute({a, "", cmd::ReviseRoomMembers{RoomId(closed->id), {a}}}).ok());
  ASSERT_TRUE(seq.execute(server::post_message(a, "after revoke", RoomId(closed->id), "x")).ok());
  int64_t end = head();
  for (const Session* s : {&admin, &bea, &cy}) {
    int64_t user = user_id(*s);
    for (int64_t cursor = 0; cursor <= end; ++cursor) {
      auto client = open_socket(*s, cursor);
      ASSERT_NE(client, nullptr);
      StreamRecord record{cursor};
      drain(*client, record, end);
      EXPECT_EQ(record.last, end) << "user " << user << " cursor " << cursor;
      EXPECT_TRUE(record.errors.empty()) << record.errors.front();
      EXPECT_EQ(record.seqs, expected(user, cursor)) << "user " << user << " cursor " << cursor;
    }
  }
}

TEST_F(SocketTest, ProtocolMistakesGetClearErrors) {
  Session admin = first_run();
  auto c = WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", admin.cookie}});
  ASSERT_NE(c, nullptr);
  c->send(std::string("{not json"));
  auto e = c->recv_type("error");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("code").as_string(), "bad_frame");
  c->send(json::value(json::object{{"type", "post"}, {"id", "x"}, {"room_id", 1}, {"body_html", "a"}, {"plain_text", "a"}}));
  e = c->recv_type("error");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("code").as_string(), "protocol");  // hello first
  c->send(json::value(json::object{{"type", "ping"}}));
  EXPECT_TRUE(c->recv_type("pong"));
  c->send(json::value(json::object{{"type", "hello"}, {"cursor", head() + 100}}));
  auto reset = c->recv_type("reset");
  ASSERT_TRUE(reset);
  for (int i = 0; i < 50 && !c->closed(); ++i) c->recv(100ms);
  EXPECT_TRUE(c->closed());
  EXPECT_EQ(c->close_code(), 4000);

  auto twice = open_socket(admin, 0);
  ASSERT_NE(twice, nullptr);
  twice->send(json::value(json::object{{"type", "hello"}, {"cursor", 0}}));
  for (int i = 0; i < 50 && !twice->closed(); ++i) twice->recv(100ms);
  EXPECT_EQ(twice->close_code(), 1008);
}

TEST_F(SocketTest, SigningOutClosesTheSocketWith4001) {
  Session admin = first_run();
  auto c = open_socket(admin, bootstrap(admin).at("seq").as_int64());
  ASSERT_NE(c, nullptr);
  auto res = call(port_, Verb::delete_, "/api/session", "", admin.headers());
  EXPECT_EQ(res.result_int(), 204u);
  for (int i = 0; i < 100 && !c->closed(); ++i) c->recv(100ms);
  EXPECT_TRUE(c->closed());
  EXPECT_EQ(c->close_code(), 4001);
  int status = 0;
  EXPECT_EQ(WsClient::connect(port_, {{"Origin", kOrigin}, {"Cookie", admin.cookie}}, &status), nullptr);
  EXPECT_EQ(status, 401);
}

TEST_F(SocketTest, ShutdownClosesSocketsWith1001) {
  Session admin = first_run();
  auto c = open_socket(admin, 0);
  ASSERT_NE(c, nullptr);
  std::thread stopper([this] { chat_.server->stop(); });
  for (int i = 0; i < 100 && !c->closed(); ++i) c->recv(100ms);
  stopper.join();
  EXPECT_TRUE(c->closed());
  EXPECT_EQ(c->close_code(), 1001);
}

}  // namespace
}  // namespace hearth::server

namespace hearth::server {
namespace {

// A client that never reads costs the server one message in flight, whatever is posted meanwhile
// (DESIGN I7), and then catches up exactly. The window is made small so that it is the log, not the
// window, that serves the catch-up.
class SlowClientTest : public SocketTest {
 protected:
  void configure(realtime::Realtime::Options& o) override {
    o.window_events = 256;
    o.window_bytes = 256 << 10;
  }
};

int64_t resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

TEST_F(SlowClientTest, AClientThatNeverReadsDoesNotGrowServerMemoryThenCatchesUp) {
  Session admin = first_run();
  UserId a(user_id(admin));
  RoomId room(all_talk(admin));
  Sequencer& seq = chat_.data->sequencer();
  const std::string body(10'000, 'x');
  auto post_many = [&](const std::string& prefix, int count) {
    for (int round = 0; round < count / 500; ++round) {
      std::vector<std::future<Outcome>> acks;
      for (int i = 0; i < 500; ++i) {
        acks.push_back(seq.submit(post_message(a, prefix + std::to_string(round * 500 + i), room, body)));
      }
      for (auto& f : acks) ASSERT_TRUE(f.get().ok());
    }
  };
  // First with no client at all: the allocator, SQLite's caches and the sequencer's batches reach
  // their working size.
  post_many("warm-", 4'000);
  int64_t cursor = head();
  auto c = open_socket(admin, cursor);
  ASSERT_NE(c, nullptr);
  // Then ~80 MB of events (each message's body twice) while the client reads nothing: far past
  // what socket buffers hold. Were they queued for it, the process would grow by that much.
  int64_t before = resident_kib();
  post_many("slow-", 4'000);
  int64_t grown_mib = (resident_kib() - before) / 1024;
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed memory in quarantine (256 MB), so RSS follows allocation churn,
  // not what is live; the bound is asserted in the plain build.
  constexpr int64_t kLimitMib = 400;
#else
  // Half of what was posted: queuing it for the client would show as at least 80 MB; allocator
  // arenas of the sequencer's 10 MB batches have been seen to add ~20 MB on a loaded machine.
  constexpr int64_t kLimitMib = 40;
#endif
  EXPECT_LT(grown_mib, kLimitMib) << "RSS grew by " << grown_mib << " MiB while a client read nothing";
  std::cout << "RSS growth while a client read nothing: " << grown_mib << " MiB\n";
  StreamRecord record{cursor};
  drain(*c, record, head(), 120s);  // 80 MB of JSON: slow under the sanitizers
  EXPECT_EQ(record.last, head());
  EXPECT_TRUE(record.errors.empty()) << record.errors.front();
  EXPECT_EQ(record.seqs, expected(a.value, cursor));
  EXPECT_GT(chat_.realtime->stats().catch_up_events.load(), 0u);
}

// DESIGN's "zombie or half-registered connections": connections that come and go, cleanly or cut
// mid-handshake or mid-stream, leave nothing behind in the hub or the server.
TEST_F(SocketTest, TenThousandConnectsAndDisconnectsLeaveNothingBehind) {
#if defined(__SANITIZE_ADDRESS__)
  const int kCycles = 2'000;  // the same paths, at the sanitizers' pace
#else
  const int kCycles = 10'000;
#endif
  Session admin = first_run();
  Headers headers{{"Origin", kOrigin}, {"Cookie", admin.cookie}};
  int64_t before = resident_kib();
  for (int i = 0; i < kCycles; ++i) {
    auto c = WsClient::connect(port_, headers);
    ASSERT_NE(c, nullptr) << "cycle " << i;
    if (i % 2 == 0) c->send(json::value(json::object{{"type", "hello"}, {"cursor", 0}}));
    if (i % 4 == 0) c->recv(1ms);  // sometimes cut with frames in flight
    c->drop();
  }
  for (int i = 0; i < 200 && (chat_.realtime->connections() > 0 || chat_.server->connection_count() > 0); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(chat_.realtime->connections(), 0u);
  EXPECT_EQ(chat_.server->connection_count(), 0u);
  EXPECT_EQ(chat_.realtime->stats().connections.load(), 0);
  EXPECT_EQ(chat_.realtime->stats().connections_total.load(), static_cast<uint64_t>(kCycles));
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT((resident_kib() - before) / 1024, 16);
#else
  (void)before;
#endif
}

// Random posters (over HTTP and over sockets), random room commands (closed rooms made, re-membered
// and deleted, bells, boosts), random presence, random network cuts and reconnects: every client's
// stream, across all its connections, equals the log filtered for its user — in order, no
// duplicates, `prev` chain intact (DESIGN I5) — whoever gains or loses which room meanwhile.
TEST_F(SocketTest, EveryClientEndsWithExactlyItsFilteredLogWhateverTheDisconnects) {
  Session admin = first_run();
  std::vector<Session> people{admin, join(admin, "bea"), join(admin, "cy")};
  std::vector<int64_t> ids;
  for (auto& p : people) ids.push_back(user_id(p));
  int64_t room = all_talk(admin);
  Sequencer& sequencer = chat_.data->sequencer();
  std::vector<int64_t> rooms{room};   // All Talk first: the background poster's, never left
  std::vector<int64_t> messages, boosts;
  int run = 0;
  // rc::check reports a falsified property by its result, not to gtest.
  EXPECT_TRUE(rc::check([&] {
    ++run;
    const size_t n = people.size();
    std::vector<StreamRecord> records(n);
    std::vector<int64_t> starts(n);
    std::vector<std::unique_ptr<WsClient>> clients(n);
    for (size_t i = 0; i < n; ++i) {
      starts[i] = records[i].last = head();
      clients[i] = open_socket(people[i], starts[i]);
      RC_ASSERT(clients[i] != nullptr);
    }
    // A poster outside the clients' control, at the same time.
    std::atomic<bool> stop{false};
    std::thread background([&] {
      for (int k = 0; !stop && k < 20; ++k) post_http(people[k % n], room, "bg", "bg-" + std::to_string(run) + "-" + std::to_string(k));
    });
    auto some_people = [&](UserId always) {
      std::vector<UserId> out{always};
      for (int64_t id : ids) {
        if (UserId(id) != always && *rc::gen::arbitrary<bool>()) out.emplace_back(id);
      }
      return out;
    };
    const int steps = *rc::gen::inRange(5, 30);
    for (int step = 0; step < steps; ++step) {
      size_t who = *rc::gen::inRange<size_t>(0, n);
      UserId actor(ids[who]);
      int64_t target = *rc::gen::elementOf(rooms);
      std::string tag = "r" + std::to_string(run) + "-" + std::to_string(step);
      switch (*rc::gen::inRange(0, 11)) {
        case 0:  // post over the socket
          if (clients[who]) {
            clients[who]->send(json::value(json::object{
                {"type", "post"}, {"id", tag}, {"room_id", target}, {"body_html", "hi"}, {"plain_text", "hi"}}));
          }
          break;
        case 1:  // the network drops
          if (clients[who]) {
            for (int k = *rc::gen::inRange(0, 3); k > 0; --k) {
              if (auto f = clients[who]->recv(20ms)) records[who].feed(*f);
            }
            clients[who]->drop();
            clients[who].reset();
          }
          break;
        case 2:  // it comes back, from the last seq it processed
          if (!clients[who]) clients[who] = open_socket(people[who], records[who].last);
          break;
        case 3: {  // a closed room with some of the people
          auto made = sequencer.execute({actor, "", cmd::CreateClosedRoom{tag, some_people(actor)}});
          if (made.ok()) rooms.push_back(made->id);
          break;
        }
        case 4:  // granted and revoked at once (never All Talk: the background poster needs it)
          if (target != room) {
            (void)sequencer.execute({actor, "", cmd::ReviseRoomMembers{RoomId(target), some_people(actor)}});
          }
          break;
        case 5:  // the bell, invisible included
          (void)sequencer.execute(
              {actor, "", cmd::ChangeInvolvement{RoomId(target), static_cast<Involvement>(*rc::gen::inRange(0, 4))}});
          break;
        case 6:  // a room goes with its messages (never All Talk: the background poster needs it)
          if (target != room) (void)sequencer.execute({actor, "", cmd::DeleteRoom{RoomId(target)}});
          break;
        case 7: {  // a message to boost, and a boost (several per user allowed), or one taken back
          auto posted = sequencer.execute(server::post_message(actor, tag, RoomId(target), "b"));
          if (posted.ok()) messages.push_back(posted->id);
          if (!messages.empty()) {
            auto boosted = sequencer.execute({actor, "", cmd::AddBoost{MessageId(*rc::gen::elementOf(messages)), "+1"}});
            if (boosted.ok()) boosts.push_back(boosted->id);
          }
          if (!boosts.empty() && *rc::gen::arbitrary<bool>()) {
            (void)sequencer.execute({actor, "", cmd::RemoveBoost{BoostId(*rc::gen::elementOf(boosts))}});
          }
          break;
        }
        case 8:  // presence and typing (ephemeral: never in the stream, refused for non-members)
          if (clients[who]) {
            const char* type = *rc::gen::element("present", "absent", "typing");
            clients[who]->send(json::value(json::object{{"type", type}, {"room_id", target}, {"active", true}}));
          }
          break;
        default:  // read a little
          if (clients[who]) {
            if (auto f = clients[who]->recv(20ms)) records[who].feed(*f);
          }
      }
    }
    stop = true;
    background.join();
    // Let the commands in flight land (posts, and the reads that presence submits), then
    // everyone reconnects and catches up.
    int64_t end = head();
    do {
      end = head();
      std::this_thread::sleep_for(50ms);
    } while (head() != end);
    for (size_t i = 0; i < n; ++i) {
      if (!clients[i]) clients[i] = open_socket(people[i], records[i].last);
      RC_ASSERT(clients[i] != nullptr);
      drain(*clients[i], records[i], end);
      RC_ASSERT(records[i].errors.empty());
      RC_ASSERT(records[i].last == end);
      RC_ASSERT(records[i].seqs == expected(ids[i], starts[i]));
    }
  }));
}

}  // namespace
}  // namespace hearth::server
