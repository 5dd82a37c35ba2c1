// The outbox (server/consumers/outbox.h) with a small consumer of its own: one POST per posted
// message to each of the test's real receivers on 127.0.0.1. What it must show: each delivery
// arrives with its seq; a failure is retried with backoff and then dropped and counted; a hanging
// endpoint does not delay another; rows and the cursor survive a restart; history is not replayed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>

#include "core/events/event_view.h"
#include "core/sequencer/sequencer.h"
#include "http_client.h"
#include "http_receiver.h"
#include "projections/data_dir.h"
#include "server/consumers/outbox.h"
#include "server/metrics.h"
#include "server/outgoing/http_client.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

using namespace std::chrono_literals;
using server::consumers::Attempt;
using server::consumers::Delivery;
using server::consumers::Outbox;

// Every MessagePosted → one delivery to each URL; 2xx done, 4xx dropped, anything else retried.
class PostToEach : public server::consumers::Consumer {
 public:
  PostToEach(std::vector<std::string> urls, std::chrono::milliseconds timeout) : urls_(std::move(urls)), timeout_(timeout) {}
  Status plan(const StoredEvent& e, std::vector<Delivery>& out) override {
    auto view = view_event(e);
    if (!view.ok()) return view.take_error();
    if ((*view)->payload_as_MessagePosted() == nullptr) return ok_status();
    for (const auto& url : urls_) out.push_back(Delivery{0, Seq(), url, url, 0});
    return ok_status();
  }
  Attempt deliver(const Delivery& d) override {
    server::outgoing::Request r;
    r.url = d.payload;
    r.headers = {{"X-Hearth-Seq", std::to_string(d.seq.value)}, {"Content-Type", "text/plain"}};
    r.body = "seq " + std::to_string(d.seq.value);
    r.timeout = timeout_;
    r.connect_timeout = timeout_;
    auto res = server::outgoing::perform(r);
    if (res.ok() && res.status >= 200 && res.status < 300) return Attempt::kDone;
    if (res.ok() && res.status >= 400 && res.status < 500) return Attempt::kDrop;
    return Attempt::kRetry;
  }

 private:
  std::vector<std::string> urls_;
  std::chrono::milliseconds timeout_;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override { open_data(); }
  void TearDown() override {
    if (outbox_) outbox_->stop();
    if (data_) data_->sequencer().stop();
  }
  void open_data() {
    DataDir::Options o;
    o.durability = Durability::kNormal;
    o.verify_rest_in_background = false;
    auto d = DataDir::open(dir_.file("data"), o);
    ASSERT_TRUE(d.ok()) << d.error().to_string();
    data_ = std::move(*d);
  }
  void close_all() {
    if (outbox_) outbox_->stop();
    outbox_.reset();
    data_->sequencer().stop();
    data_.reset();
  }
  void open_outbox(std::vector<std::string> urls, Outbox::Options o = options(),
                   std::chrono::milliseconds timeout = 2000ms) {
    auto box = Outbox::open(dir_.file("data"), data_->sequencer(), std::make_shared<PostToEach>(urls, timeout), o);
    ASSERT_TRUE(box.ok()) << box.error().to_string();
    outbox_ = std::move(*box);
  }
  static Outbox::Options options() {
    Outbox::Options o;
    o.name = "test";
    o.first_backoff = 100ms;
    return o;
  }
  void setup() {
    auto admin = data_->sequencer().execute({kSystemActor, "", cmd::SetupFirstRun{"Ada", "a@x.io", "$x", "", ""}});
    ASSERT_TRUE(admin.ok());
    admin_ = admin->id;
  }
  Seq post(int n) {
    Seq last;
    for (int i = 0; i < n; ++i) {
      auto o = data_->sequencer().execute({UserId(admin_), "p" + std::to_string(next_++),
                                           cmd::PostMessage{RoomId(1), "<p>x</p>", "x", {}, std::nullopt, {}}});
      EXPECT_TRUE(o.ok());
      if (o.ok()) last = o->seq;
    }
    return last;
  }
  static std::set<int64_t> seqs(const HttpReceiver& r) {
    std::set<int64_t> out;
    for (const auto& q : r.requests()) out.insert(std::stoll(q.headers.at("x-hearth-seq")));
    return out;
  }

  TempDir dir_;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Outbox> outbox_;
  int64_t admin_ = 0;
  int next_ = 0;
};

TEST_F(OutboxTest, EveryPostedMessageIsDeliveredOnceWithItsSeq) {
  setup();
  HttpReceiver receiver([](const ReceivedRequest&) { return Answer{}; });
  open_outbox({receiver.url("/a")});
  Seq last = post(5);
  ASSERT_TRUE(outbox_->wait_idle(last, 10s));
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 5u);
  std::set<int64_t> s = seqs(receiver);
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(*s.rbegin(), last.value);
  for (const auto& q : got) EXPECT_EQ(q.body, "seq " + q.headers.at("x-hearth-seq"));
  EXPECT_EQ(outbox_->stats().delivered.load(), 5u);
  EXPECT_EQ(outbox_->stats().pending.load(), 0);
}

TEST_F(OutboxTest, AFailureIsRetriedAfterABackoff) {
  setup();
  std::atomic<int> calls{0};
  HttpReceiver receiver([&](const ReceivedRequest&) { return Answer{calls++ == 0 ? 500 : 200, "", "", 0ms, false}; });
  open_outbox({receiver.url("/a")});
  Seq last = post(1);
  ASSERT_TRUE(outbox_->wait_idle(last, 10s));
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers.at("x-hearth-seq"), got[1].headers.at("x-hearth-seq"));
  EXPECT_GE(got[1].at - got[0].at, 100ms);  // first_backoff
  EXPECT_EQ(outbox_->stats().retried.load(), 1u);
  EXPECT_EQ(outbox_->stats().delivered.load(), 1u);
}

TEST_F(OutboxTest, BackoffDoublesAndTheRowIsDroppedAfterMaxAttempts) {
  setup();
  HttpReceiver receiver([](const ReceivedRequest&) { return Answer{503, "", "", 0ms, false}; });
  auto o = options();
  o.first_backoff = 50ms;
  o.max_attempts = 4;
  open_outbox({receiver.url("/a")}, o);
  Seq last = post(1);
  ASSERT_TRUE(outbox_->wait_idle(last, 10s));
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_GE(got[1].at - got[0].at, 50ms);
  EXPECT_GE(got[2].at - got[1].at, 100ms);
  EXPECT_GE(got[3].at - got[2].at, 200ms);
  EXPECT_EQ(outbox_->stats().dropped.load(), 1u);
  EXPECT_EQ(outbox_->stats().delivered.load(), 0u);
  EXPECT_EQ(outbox_->stats().pending.load(), 0);

  // The drop is on /metrics, labelled with the outbox's name.
  auto metrics = server::Metrics::start("127.0.0.1", 0, {nullptr, nullptr, nullptr, {&outbox_->stats()}});
  ASSERT_TRUE(metrics.ok());
  auto page = call((*metrics)->port(), server::http::Verb::get, "/metrics", "", {});
  EXPECT_NE(page.body().find("hearth_outbox_deliveries_total{outbox=\"test\",outcome=\"dropped\"} 1"),
            std::string::npos)
      << page.body();
  EXPECT_NE(page.body().find("hearth_outbox_deliveries_total{outbox=\"test\",outcome=\"retried\"} 3"),
            std::string::npos);
}

TEST_F(OutboxTest, AClientErrorIsDroppedWithoutRetry) {
  setup();
  HttpReceiver receiver([](const ReceivedRequest&) { return Answer{404, "", "", 0ms, false}; });
  open_outbox({receiver.url("/a")});
  Seq last = post(1);
  ASSERT_TRUE(outbox_->wait_idle(last, 10s));
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(outbox_->stats().dropped.load(), 1u);
}

TEST_F(OutboxTest, AHangingEndpointDoesNotDelayAnother) {
  setup();
  HttpReceiver hanging([](const ReceivedRequest&) { return Answer{200, "", "", 30s, false}; });
  HttpReceiver healthy([](const ReceivedRequest&) { return Answer{}; });
  open_outbox({hanging.url("/dead"), healthy.url("/ok")}, options(), 3000ms);
  auto start = std::chrono::steady_clock::now();
  post(4);
  ASSERT_TRUE(healthy.wait_for(4, 2s)) << "the healthy endpoint waited for the hanging one";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  // One delivery at a time per target: the hanging endpoint holds one worker, not all of them.
  EXPECT_EQ(hanging.requests().size(), 1u);
  hanging.stop();
}

TEST_F(OutboxTest, PendingRowsAndEventsAfterTheCursorSurviveARestart) {
  setup();
  HttpReceiver receiver([](const ReceivedRequest&) { return Answer{500, "", "", 0ms, false}; });
  auto o = options();
  o.first_backoff = 2s;  // still waiting when the server stops
  open_outbox({receiver.url("/a")}, o);
  Seq first = post(2);
  ASSERT_TRUE(receiver.wait_for(2, 5s));
  outbox_->stop();
  outbox_.reset();
  Seq last = post(3);  // committed while no outbox runs: after its cursor
  close_all();
  ASSERT_GT(last, first);

  open_data();
  receiver.set_handler([](const ReceivedRequest&) { return Answer{}; });
  o.first_backoff = 100ms;
  // The two rows scheduled 2 s ahead keep their schedule across the restart.
  open_outbox({receiver.url("/a")}, o);
  ASSERT_TRUE(outbox_->wait_idle(last, 20s));
  std::set<int64_t> s = seqs(receiver);
  EXPECT_EQ(s.size(), 5u) << "every message delivered at least once";
  EXPECT_EQ(*s.rbegin(), last.value);
}

TEST_F(OutboxTest, ANewOutboxDoesNotReplayHistory) {
  setup();
  post(3);
  HttpReceiver receiver([](const ReceivedRequest&) { return Answer{}; });
  open_outbox({receiver.url("/a")});
  Seq last = post(1);
  ASSERT_TRUE(outbox_->wait_idle(last, 10s));
  EXPECT_EQ(seqs(receiver), std::set<int64_t>{last.value});
}

TEST(OutgoingHttp, BoundsTheAnswerAndReportsRefusalAndTimeout) {
  HttpReceiver big([](const ReceivedRequest&) { return Answer{200, "text/plain; charset=utf-8", std::string(5000, 'x'), 0ms, false}; });
  server::outgoing::Request r;
  r.url = big.url("/");
  r.max_response_bytes = 4096;
  EXPECT_EQ(server::outgoing::perform(r).failure, server::outgoing::Failure::kTooLarge);
  r.max_response_bytes = 10000;
  auto ok = server::outgoing::perform(r);
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(server::outgoing::media_type(ok.content_type), "text/plain");
  EXPECT_EQ(ok.body.size(), 5000u);
  ASSERT_EQ(big.requests().size(), 2u);
  EXPECT_EQ(big.requests()[0].method, "POST");

  HttpReceiver slow([](const ReceivedRequest&) { return Answer{200, "", "", 10s, false}; });
  r.url = slow.url("/");
  r.timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server::outgoing::perform(r).failure, server::outgoing::Failure::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  slow.stop();

  uint16_t closed_port = slow.port();  // stopped: nothing listens there now
  r.url = "http://127.0.0.1:" + std::to_string(closed_port) + "/";
  EXPECT_EQ(server::outgoing::perform(r).failure, server::outgoing::Failure::kConnect);
}

}  // namespace
}  // namespace hearth::testing
