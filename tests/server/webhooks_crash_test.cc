// Webhooks survive kill -9 (DESIGN, failure modes: "webhooks lost or doubled"): a real `hearth
// serve` process is SIGKILLed while deliveries to a slow bot are in flight; after each restart
// every message that mentions the bot must reach it at least once, each request carrying its seq
// (header and body agree), and the bot's reply to each message is posted exactly once however
// many times the message was delivered (the reply's command id is derived from the delivery).
//
// Lives with the server tests, not tests/crash, because it needs the receiver (Beast) these link.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "core/html/mention.h"
#include "core/sqlite/db.h"
#include "http_client.h"
#include "http_receiver.h"
#include "projections/data_dir.h"
#include "server/auth/bot_key_vault.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;
using Verb = server::http::Verb;

uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

class Served {
 public:
  Served(std::string data, std::string web, uint16_t port) : data_(std::move(data)), web_(std::move(web)), port_(port) {}
  ~Served() {
    if (pid_ > 0) kill(SIGKILL);
  }
  void start() {
    pid_ = fork();
    if (pid_ == 0) {
      std::string port = std::to_string(port_);
      int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, 1);
      execl(HEARTH_BINARY, HEARTH_BINARY, "serve", "--data-dir", data_.c_str(), "--web-root", web_.c_str(), "--port",
            port.c_str(), "--durability", "full", static_cast<char*>(nullptr));
      _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      // Not listening yet is no answer (status 0): try_call, as call() would fail the test.
      if (try_call(port_, Verb::get, "/up", "", {}).result_int() == 200) return;
      std::this_thread::sleep_for(20ms);
    }
    FAIL() << "hearth serve did not come up";
  }
  void kill(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  uint16_t port() const { return port_; }

 private:
  std::string data_, web_;
  uint16_t port_;
  pid_t pid_ = -1;
};

TEST(WebhooksCrash, KilledMidDeliveryEveryMessageArrivesWithItsSeqAndIsAnsweredOnce) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "web");
  std::string data = dir.file("data");
  // Slow at first, so that deliveries are in flight when the server dies.
  std::atomic<int> delay_ms{150};
  HttpReceiver bot([&](const ReceivedRequest& r) {
    auto seq = r.headers.count("x-hearth-seq") ? r.headers.at("x-hearth-seq") : "?";
    return Answer{200, "text/plain", "seen " + seq, std::chrono::milliseconds(delay_ms.load()), false};
  });
  Served hearth(data, dir.file("web"), free_port());  // after the receiver has its port

  hearth.start();
  auto first = call(hearth.port(), Verb::post, "/api/first_run", person("Ada", "ada@example.com"));
  ASSERT_EQ(first.result_int(), 201u) << first.body() << " port " << hearth.port();
  Session ada = *session_from(first);
  hearth.kill(SIGTERM);
  // The bot, made through the sequencer while no server runs (the data directory is single-writer).
  int64_t echo = 0;
  std::string echo_key;
  {
    DataDir::Options o;
    o.verify_rest_in_background = false;
    auto d = DataDir::open(data, o);
    ASSERT_TRUE(d.ok()) << d.error().to_string();
    // Its token minted and sealed with the data directory's vault, as the bots page does.
    SystemRandom random;
    auto vault = auth::BotKeyVault::open(data, random);
    ASSERT_TRUE(vault.ok()) << vault.error().to_string();
    auto minted = (*vault)->mint(random);
    auto made = (*d)->sequencer().execute(
        {UserId(1), "", cmd::CreateBot{"Echo", bot.url("/hook"), minted.token_hash, minted.token_sealed}});
    ASSERT_TRUE(made.ok()) << made.error().to_string();
    echo = made->id;
    echo_key = std::to_string(echo) + "-" + minted.token;
    (*d)->sequencer().stop();
  }

  std::set<int64_t> posted;
  int next = 0;
  for (int round = 0; round < 3; ++round) {
    hearth.start();
    size_t before = bot.requests().size();
    for (int i = 0; i < 12; ++i) {
      std::string html = "<p>" + html::mention_html(echo, "Echo") + " message " + std::to_string(next) + "</p>";
      auto res = call(hearth.port(), Verb::post, "/api/rooms/1/messages",
                      json::serialize(json::object{{"client_message_id", "m" + std::to_string(next++)}, {"body_html", html}}),
                      ada.headers());
      ASSERT_EQ(res.result_int(), 201u) << res.body();
      posted.insert(body_of(res).at("seq").as_int64());
    }
    // Some delivered, more in flight or waiting: now.
    ASSERT_TRUE(bot.wait_for(before + 3, 20s));
    hearth.kill(SIGKILL);
  }

  delay_ms = 0;
  hearth.start();
  auto delivered = [&] {
    std::set<int64_t> seen;
    for (const auto& r : bot.requests()) seen.insert(std::stoll(r.headers.at("x-hearth-seq")));
    return seen;
  };
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto seen = delivered();
    if (std::includes(seen.begin(), seen.end(), posted.begin(), posted.end())) break;
    std::this_thread::sleep_for(50ms);
  }
  auto seen = delivered();
  for (int64_t seq : posted) EXPECT_TRUE(seen.count(seq)) << "seq " << seq << " was never delivered";
  size_t repeats = bot.requests().size() - seen.size();
  for (const auto& r : bot.requests()) {
    auto body = json::parse(r.body).as_object();
    EXPECT_EQ(std::to_string(body.at("seq").as_int64()), r.headers.at("x-hearth-seq"));
    EXPECT_EQ(body.at("room").as_object().at("path").as_string(), "/rooms/1/" + echo_key + "/messages");
  }

  // Every reply posted, each exactly once, even for the messages delivered twice.
  std::map<std::string, int> replies;
  size_t reply_rows = 0;
  deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    replies.clear();
    reply_rows = 0;
    auto db = sqlite::Db::open(data + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
    ASSERT_TRUE(db.ok());
    auto s = db->prepare("SELECT client_message_id FROM messages WHERE creator_id = ?");
    s->bind(1, echo);
    while (*s->step()) {
      replies[std::string(s->col_text(0))]++;
      reply_rows++;
    }
    if (replies.size() >= posted.size()) break;
    std::this_thread::sleep_for(50ms);
  }
  hearth.kill(SIGTERM);
  EXPECT_EQ(replies.size(), posted.size());
  EXPECT_EQ(reply_rows, posted.size()) << "a reply posted twice";
  for (int64_t seq : posted) {
    EXPECT_EQ(replies["webhook:" + std::to_string(seq) + ":" + std::to_string(echo)], 1) << "reply to seq " << seq;
  }
  std::cout << posted.size() << " messages, " << bot.requests().size() << " deliveries (" << repeats
            << " repeated after kills), " << replies.size() << " replies\n";
}

}  // namespace
}  // namespace hearth::testing
