// Webhooks to bots (server/webhooks/webhooks.h; CAMPFIRE.md 2.15) against a real server and real
// receivers on 127.0.0.1: the payload's exact shape and seq, who is told and who is not, the reply
// by content type (text → message, timeout → Campfire's sentence), retries after a 500, a dead
// endpoint that does not delay another bot, and replies that never fire webhooks again.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "api_world.h"
#include "core/html/mention.h"
#include "core/sqlite/db.h"
#include "server/message_commands.h"
#include "files_fixture.h"
#include "http_receiver.h"

namespace hearth::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

struct Posted {
  int64_t creator;
  std::string html, plain, attachment, client_id;
};

class WebhooksTest : public ApiWorld {
 protected:
  void SetUp() override {
    // The server's own store (Api::store_file), slowed so that several sweeps of the blob reaper
    // (every 100 ms in tests) fall between storing a reply's file and posting it: only the pin
    // keeps the file, which nothing refers to yet.
    chat_.webhooks_deps.store_file = [this](std::string_view bytes, std::string_view name, std::string_view type) {
      auto stored = chat_.api->store_file(bytes, name, type);
      std::this_thread::sleep_for(350ms);
      return stored;
    };
    server::webhooks::Options o;
    o.outbox.first_backoff = 200ms;
    chat_.webhooks_options = o;  // with the server's own bot keys (the vault), as serve.cc
    ApiWorld::SetUp();
    ada_ = first_run("Ada");
    ada_id_ = user_id(ada_);
  }

  int64_t make_bot(const std::string& name, const std::string& url) {
    std::string key = create_bot(ada_id_, name, url);
    if (key.empty()) return 0;
    int64_t id = std::stoll(key.substr(0, key.find('-')));
    std::lock_guard lock(keys_mu_);
    keys_[id] = key;
    return id;
  }
  std::string key_of(int64_t bot) {
    std::lock_guard lock(keys_mu_);
    return keys_[bot];
  }
  // Posts as `s`; returns the message's seq.
  int64_t say(const Session& s, int64_t room, const std::string& html) {
    auto res = as(&s, Verb::post, "/api/rooms/" + std::to_string(room) + "/messages",
                  json::serialize(json::object{{"client_message_id", "c" + std::to_string(next_++)}, {"body_html", html}}));
    EXPECT_EQ(res.result_int(), 201u) << res.body();
    return res.result_int() == 201u ? body_of(res).at("seq").as_int64() : 0;
  }
  // Until every event so far is planned and delivered, replies included.
  void settle() {
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(chat_.webhooks->wait_idle(chat_.data->sequencer().committed_seq(), 20s));
    }
  }
  std::vector<Posted> messages(int64_t room) {
    auto db = sqlite::Db::open(dir_.file("data") + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
    EXPECT_TRUE(db.ok());
    auto s = db->prepare(
        "SELECT creator_id, body_html, plain_text, COALESCE(attachment_filename, ''), COALESCE(client_message_id, '') "
        "FROM messages WHERE room_id = ? ORDER BY id");
    s->bind(1, room);
    std::vector<Posted> out;
    while (*s->step()) {
      out.push_back(Posted{s->col_int(0), std::string(s->col_text(1)), std::string(s->col_text(2)),
                           std::string(s->col_text(3)), std::string(s->col_text(4))});
    }
    return out;
  }
  std::vector<Posted> messages_by(int64_t room, int64_t creator) {
    std::vector<Posted> out;
    for (auto& m : messages(room)) {
      if (m.creator == creator) out.push_back(m);
    }
    return out;
  }
  std::string mention(int64_t id, const std::string& name) { return html::mention_html(id, name); }

  Session ada_;
  int64_t ada_id_ = 0;
  std::mutex keys_mu_;
  std::map<int64_t, std::string> keys_;
  int next_ = 0;
};

Answer silent() { return Answer{200, "", "", 0ms, false}; }

TEST_F(WebhooksTest, ThePayloadHasCampfiresShapeAndTheSeq) {
  HttpReceiver hook([](const ReceivedRequest&) { return silent(); });
  int64_t echo = make_bot("Echo", hook.url("/hook"));
  std::string html = "<p>" + mention(echo, "Echo") + " what is <b>up</b>?</p>";
  int64_t seq = say(ada_, 1, html);
  settle();
  auto got = hook.requests();
  ASSERT_EQ(got.size(), 1u);
  const ReceivedRequest& r = got[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook");
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_EQ(r.headers.at("x-hearth-seq"), std::to_string(seq));

  auto stored = messages(1);
  ASSERT_EQ(stored.size(), 1u);
  auto body = json::parse(r.body).as_object();
  std::string room_path = "/rooms/1/" + key_of(echo) + "/messages";
  int64_t message_id = body.at("message").as_object().at("id").as_int64();
  json::object expected{
      {"user", {{"id", ada_id_}, {"name", "Ada"}}},
      {"room", {{"id", 1}, {"name", "All Talk"}, {"path", room_path}}},
      {"message",
       {{"id", message_id},
        {"body", {{"html", stored[0].html}, {"plain", "what is up?"}}},
        {"path", "/rooms/1/@" + std::to_string(message_id)}}},
      {"seq", seq},
  };
  EXPECT_EQ(body, expected) << r.body;
  EXPECT_NE(stored[0].plain.find("@Echo"), std::string::npos);  // removed in the payload only
}

TEST_F(WebhooksTest, OnlyMentionedActiveBotsArePingedAndNeverTheAuthor) {
  HttpReceiver a([](const ReceivedRequest&) { return silent(); });
  HttpReceiver b([](const ReceivedRequest&) { return silent(); });
  HttpReceiver gone([](const ReceivedRequest&) { return silent(); });
  int64_t alpha = make_bot("Alpha", a.url("/"));
  int64_t beta = make_bot("Beta", b.url("/"));  // a member of All Talk, never mentioned
  int64_t ghost = make_bot("Ghost", gone.url("/"));
  int64_t mute = make_bot("Mute", "");          // no webhook URL
  ASSERT_TRUE(execute(ada_id_, cmd::DeactivateUser{UserId(ghost)}).ok());

  say(ada_, 1, "<p>no mention at all</p>");
  int64_t seq = say(ada_, 1, "<p>" + mention(alpha, "Alpha") + " " + mention(ghost, "Ghost") + " " +
                                 mention(mute, "Mute") + " hi</p>");
  // A bot's own post through the bot API path (the sequencer directly here) mentioning itself:
  // never its author.
  ASSERT_TRUE(chat_.data->sequencer()
                  .execute(server::post_message(UserId(alpha), "self-1", RoomId(1),
                                                "<p>" + mention(alpha, "Alpha") + " talking to myself</p>"))
                  .ok());
  settle();
  auto got = a.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].headers.at("x-hearth-seq"), std::to_string(seq));
  EXPECT_TRUE(b.requests().empty());
  EXPECT_TRUE(gone.requests().empty()) << "a deactivated bot is never told";
  (void)beta;
}

TEST_F(WebhooksTest, EveryMessageInAPingWithABotFiresItsWebhook) {
  HttpReceiver hook([](const ReceivedRequest&) { return silent(); });
  int64_t pal = make_bot("Pal", hook.url("/"));
  auto ping = execute(ada_id_, cmd::FindOrCreateDirectRoom{{UserId(pal)}});
  ASSERT_TRUE(ping.ok());
  int64_t room = ping->id;
  int64_t s1 = say(ada_, room, "<p>hello</p>");
  int64_t s2 = say(ada_, room, "<p>no mention needed</p>");
  settle();
  auto got = hook.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers.at("x-hearth-seq"), std::to_string(s1));
  EXPECT_EQ(got[1].headers.at("x-hearth-seq"), std::to_string(s2));
  auto body = json::parse(got[0].body).as_object();
  EXPECT_TRUE(body.at("room").as_object().at("name").is_null()) << "a ping has no name, as in Campfire";
  EXPECT_EQ(body.at("room").as_object().at("path").as_string(),
            "/rooms/" + std::to_string(room) + "/" + key_of(pal) + "/messages");
  EXPECT_EQ(body.at("message").as_object().at("body").as_object().at("plain").as_string(), "hello");
}

TEST_F(WebhooksTest, ATextReplyIsPostedByTheBotOnceAndFiresNoWebhook) {
  HttpReceiver other([](const ReceivedRequest&) { return silent(); });
  int64_t listener = make_bot("Listener", other.url("/"));
  // Echo answers with HTML that mentions another bot: posted as Echo's message, through the body
  // policy (the script is gone), and the mention does not fire Listener (a reply never does).
  std::string reply = "<b>pong</b> " + mention(listener, "Listener") + "<script>alert(1)</script>";
  HttpReceiver hook([&](const ReceivedRequest&) { return Answer{200, "text/html; charset=utf-8", reply, 0ms, false}; });
  int64_t echo = make_bot("Echo", hook.url("/"));
  int64_t seq = say(ada_, 1, "<p>" + mention(echo, "Echo") + " ping</p>");
  settle();
  ASSERT_EQ(hook.requests().size(), 1u);
  auto replies = messages_by(1, echo);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_NE(replies[0].html.find("<b>pong</b>"), std::string::npos) << replies[0].html;
  EXPECT_EQ(replies[0].html.find("script"), std::string::npos);
  EXPECT_EQ(replies[0].client_id, "webhook:" + std::to_string(seq) + ":" + std::to_string(echo));
  EXPECT_TRUE(other.requests().empty()) << "a webhook reply fired another bot";
}

TEST_F(WebhooksTest, APlainTextReplyIsPostedAndAnErrorAnswerIsNot) {
  std::atomic<int> calls{0};
  HttpReceiver hook([&](const ReceivedRequest&) {
    return calls++ == 0 ? Answer{200, "text/plain", "42 is the answer", 0ms, false}
                        : Answer{404, "text/html", "<p>not here</p>", 0ms, false};
  });
  int64_t echo = make_bot("Echo", hook.url("/"));
  say(ada_, 1, "<p>" + mention(echo, "Echo") + " question</p>");
  say(ada_, 1, "<p>" + mention(echo, "Echo") + " again</p>");
  settle();
  EXPECT_EQ(hook.requests().size(), 2u) << "a 404 is an answer: not retried";
  auto replies = messages_by(1, echo);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].plain, "42 is the answer");
}

TEST_F(WebhooksTest, AFailureIsRetriedWithTheSameSeqAndTheReplyPostedOnce) {
  std::atomic<int> calls{0};
  HttpReceiver hook([&](const ReceivedRequest&) {
    return calls++ == 0 ? Answer{500, "text/html", "<p>oops</p>", 0ms, false}
                        : Answer{200, "text/plain", "better now", 0ms, false};
  });
  int64_t echo = make_bot("Echo", hook.url("/"));
  int64_t seq = say(ada_, 1, "<p>" + mention(echo, "Echo") + " are you there</p>");
  settle();
  auto got = hook.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers.at("x-hearth-seq"), std::to_string(seq));
  EXPECT_EQ(got[1].headers.at("x-hearth-seq"), std::to_string(seq));
  EXPECT_EQ(got[0].body, got[1].body);
  EXPECT_GE(got[1].at - got[0].at, 200ms);  // the backoff
  auto replies = messages_by(1, echo);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].plain, "better now");
}

TEST_F(WebhooksTest, AFileReplyIsTheBotsAttachmentPostedOnceAfterARetry) {
  std::atomic<int> calls{0};
  const std::string png = tiny_png();
  HttpReceiver hook([&](const ReceivedRequest&) {
    return calls++ == 0 ? Answer{503, "text/plain", "busy", 0ms, false} : Answer{200, "image/png", png, 0ms, false};
  });
  int64_t painter = make_bot("Painter", hook.url("/"));
  int64_t seq = say(ada_, 1, "<p>" + mention(painter, "Painter") + " draw</p>");
  settle();
  ASSERT_EQ(hook.requests().size(), 2u);
  auto replies = messages_by(1, painter);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].attachment, "attachment.png");
  EXPECT_EQ(replies[0].client_id, "webhook:" + std::to_string(seq) + ":" + std::to_string(painter));

  auto db = sqlite::Db::open(dir_.file("data") + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
  ASSERT_TRUE(db.ok());
  auto s = db->prepare("SELECT id, attachment_content_type FROM messages WHERE creator_id = ?");
  s->bind(1, painter);
  ASSERT_TRUE(*s->step());
  std::string id = std::to_string(s->col_int(0));
  EXPECT_EQ(s->col_text(1), "image/png");
  std::this_thread::sleep_for(300ms);  // more sweeps: now the message holds the file
  auto file = call(port_, Verb::get, "/api/messages/" + id + "/attachment", "", ada_.headers(false));
  ASSERT_EQ(file.result_int(), 200u) << file.body();
  EXPECT_EQ(file.body(), png);
}

TEST_F(WebhooksTest, ATimeoutPostsCampfiresSentence) {
  HttpReceiver hook([](const ReceivedRequest&) { return Answer{200, "text/plain", "too late", 20s, false}; });
  int64_t slow = make_bot("Slow", hook.url("/"));
  auto start = std::chrono::steady_clock::now();
  say(ada_, 1, "<p>" + mention(slow, "Slow") + " take your time</p>");
  settle();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 7s);
  EXPECT_LT(took, 15s);
  auto replies = messages_by(1, slow);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].plain, "Failed to respond within 7 seconds");
  EXPECT_EQ(hook.requests().size(), 1u) << "a timeout is answered by the sentence, not retried";
  hook.stop();
}

TEST_F(WebhooksTest, ADeadEndpointDoesNotDelayAnotherBot) {
  HttpReceiver dead([](const ReceivedRequest&) { return Answer{200, "", "", 30s, false}; });
  HttpReceiver alive([](const ReceivedRequest&) { return Answer{200, "text/plain", "here", 0ms, false}; });
  int64_t zombie = make_bot("Zombie", dead.url("/"));
  int64_t quick = make_bot("Quick", alive.url("/"));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) say(ada_, 1, "<p>" + mention(zombie, "Zombie") + " " + mention(quick, "Quick") + "</p>");
  ASSERT_TRUE(alive.wait_for(3, 3s)) << "the live bot waited for the dead one";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(dead.requests().size(), 1u) << "one delivery at a time per bot";
  dead.stop();
}

}  // namespace
}  // namespace hearth::testing
