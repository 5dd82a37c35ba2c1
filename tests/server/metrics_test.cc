// /metrics: a real listener on 127.0.0.1 (port 0), a real sequencer over a temp data directory,
// scraped over HTTP. Every client operation has a deadline, so no test can hang.
#include "server/metrics.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <future>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "projections/data_dir.h"
#include "server/realtime/hub_stats.h"
#include "server/server.h"
#include "support/temp_dir.h"

namespace hearth::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

struct Scrape {
  beast::error_code error;
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

// GET `target` on 127.0.0.1:port with one fresh connection; every step expires after 5 s.
Scrape get(uint16_t port, const std::string& target = "/metrics") {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  bhttp::response<bhttp::string_body> res;
  Scrape out;
  stream.expires_after(5s);
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    if ((out.error = ec)) return;
    bhttp::async_write(stream, req, [&](beast::error_code ec2, size_t) {
      if ((out.error = ec2)) return;
      bhttp::async_read(stream, buffer, res, [&](beast::error_code ec3, size_t) { out.error = ec3; });
    });
  });
  ioc.run();
  out.status = res.result_int();
  out.content_type = std::string(res[bhttp::field::content_type]);
  out.body = res.body();
  return out;
}

// The value of the sample whose line starts with `series` ("name" or "name{labels}"), or -1.
double value_of(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

// Every line of the text format is a `# HELP`/`# TYPE` comment or `name{labels} value`, and every
// sample belongs to a family announced by a TYPE line before it.
void expect_well_formed(const std::string& text) {
  static const std::regex help(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? )"
      R"((-?[0-9.e+-]+|[+-]?Inf|NaN|Nan)( -?[0-9]+)?)");  // prometheus-cpp writes "Nan"; parsers accept it
  std::istringstream lines(text);
  std::string family;
  int samples = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    std::smatch m;
    if (std::regex_match(line, help)) continue;
    if (std::regex_match(line, m, type)) {
      family = m[1];
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample)) << "not a sample: " << line;
    std::string name = m[1];
    EXPECT_TRUE(name == family || name == family + "_bucket" || name == family + "_sum" || name == family + "_count")
        << name << " outside its family " << family;
    ++samples;
  }
  EXPECT_GT(samples, 0);
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DataDir::Options options;
    options.durability = Durability::kNormal;  // no fsync needed here
    options.verify_rest_in_background = false;
    auto data = DataDir::open(dir_.file("data"), options);
    ASSERT_TRUE(data.ok()) << data.error().to_string();
    data_ = std::move(*data);
  }
  void TearDown() override {
    metrics_.reset();
    if (data_) data_->sequencer().stop();
  }
  void start(Metrics::Sources sources) {
    auto m = Metrics::start("127.0.0.1", 0, sources);
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    metrics_ = std::move(*m);
    ASSERT_NE(metrics_->port(), 0);
  }
  Sequencer& sequencer() { return data_->sequencer(); }
  Outcome setup(const std::string& name) {
    return sequencer().execute(
        CommandEnvelope{kSystemActor, "", cmd::SetupFirstRun{name, name + "@example.com", "$argon2id$x", "", ""}});
  }
  std::string scrape() {
    auto s = get(metrics_->port());
    EXPECT_FALSE(s.error) << s.error.message();
    EXPECT_EQ(s.status, 200u);
    return s.body;
  }

  testing::TempDir dir_;
  std::unique_ptr<DataDir> data_;
  std::unique_ptr<Metrics> metrics_;
};

TEST_F(MetricsTest, ScrapeCountsCommandsBatchesAndCommitsAndIsWellFormed) {
  start({&sequencer(), nullptr, nullptr, {}});
  auto before = scrape();
  expect_well_formed(before);
  EXPECT_EQ(value_of(before, "hearth_up"), 1);
  EXPECT_EQ(value_of(before, "hearth_commands_total{outcome=\"accepted\"}"), 0);
  EXPECT_EQ(value_of(before, "hearth_batch_size_count"), 0);

  ASSERT_TRUE(setup("Ada").ok());     // 5 events: account, user, room, membership, session
  ASSERT_FALSE(setup("Eve").ok());    // a conflict: decided, appends nothing
  auto after = scrape();
  expect_well_formed(after);
  EXPECT_EQ(value_of(after, "hearth_commands_submitted_total"), 2);
  EXPECT_EQ(value_of(after, "hearth_commands_total{outcome=\"accepted\"}"), 1);
  EXPECT_EQ(value_of(after, "hearth_commands_total{outcome=\"rejected\"}"), 1);
  EXPECT_EQ(value_of(after, "hearth_commands_total{outcome=\"refused\"}"), 0);
  EXPECT_EQ(value_of(after, "hearth_events_appended_total"), 5);
  EXPECT_EQ(value_of(after, "hearth_batches_committed_total"), 1);
  // execute() waits for each command, so each was a batch of one; only the first appended.
  EXPECT_EQ(value_of(after, "hearth_batch_size_count"), 2);
  EXPECT_EQ(value_of(after, "hearth_batch_size_bucket{le=\"1\"}"), 2);
  EXPECT_EQ(value_of(after, "hearth_batch_size_sum"), 2);
  EXPECT_EQ(value_of(after, "hearth_commit_seconds_count"), 1);
  EXPECT_EQ(value_of(after, "hearth_commit_seconds_bucket{le=\"+Inf\"}"), 1);
  EXPECT_GT(value_of(after, "hearth_commit_seconds_sum"), 0);
  EXPECT_EQ(value_of(after, "hearth_apply_seconds_count"), 1);
  EXPECT_EQ(value_of(after, "hearth_log_committed_seq"), 5);
  EXPECT_EQ(value_of(after, "hearth_log_applied_seq"), 5);
  EXPECT_EQ(value_of(after, "hearth_log_writable"), 1);
}

TEST_F(MetricsTest, ConcurrentCommandsAreGroupedAndEveryOutcomeIsCounted) {
  start({&sequencer(), nullptr, nullptr, {}});
  constexpr int kCommands = 64;
  std::vector<std::future<Outcome>> results;
  for (int i = 0; i < kCommands; ++i) {
    results.push_back(sequencer().submit(CommandEnvelope{
        kSystemActor, "", cmd::SetupFirstRun{"U" + std::to_string(i), "u" + std::to_string(i) + "@x.io", "$x", "", ""}}));
  }
  int accepted = 0;
  for (auto& r : results) accepted += r.get().ok() ? 1 : 0;
  EXPECT_EQ(accepted, 1);
  auto text = scrape();
  EXPECT_EQ(value_of(text, "hearth_commands_total{outcome=\"accepted\"}"), 1);
  EXPECT_EQ(value_of(text, "hearth_commands_total{outcome=\"rejected\"}"), kCommands - 1);
  double batches = value_of(text, "hearth_batch_size_count");
  EXPECT_GE(batches, 1);
  EXPECT_LE(batches, kCommands);
  EXPECT_EQ(value_of(text, "hearth_batch_size_sum"), kCommands) << "every command is in exactly one batch";
  EXPECT_EQ(value_of(text, "hearth_batch_size_bucket{le=\"+Inf\"}"), batches);
}

TEST_F(MetricsTest, CommandsRefusedAfterStopAreCountedAndWritableDrops) {
  start({&sequencer(), nullptr, nullptr, {}});
  sequencer().halt(Error{ErrorCode::kCorruption, "checksum mismatch at seq 7"});
  EXPECT_FALSE(setup("Ada").ok());
  auto text = scrape();
  EXPECT_EQ(value_of(text, "hearth_commands_total{outcome=\"refused\"}"), 1);
  EXPECT_EQ(value_of(text, "hearth_commands_total{outcome=\"rejected\"}"), 0);
  EXPECT_EQ(value_of(text, "hearth_log_writable"), 0);
}

TEST_F(MetricsTest, HubCountersAreReadAtScrapeTimeAndAbsentWithoutAHub) {
  realtime::HubStats hub;
  start({&sequencer(), nullptr, &hub, {}});
  hub.connections = 3;
  hub.events_delivered = 120;
  hub.resume_lag_events = 40;
  hub.queue_overflows = 2;
  hub.gap_reports = 1;
  auto text = scrape();
  expect_well_formed(text);
  EXPECT_EQ(value_of(text, "hearth_ws_connections"), 3);
  EXPECT_EQ(value_of(text, "hearth_ws_events_delivered_total"), 120);
  EXPECT_EQ(value_of(text, "hearth_ws_resume_lag_events_total"), 40);
  EXPECT_EQ(value_of(text, "hearth_ws_queue_overflows_total"), 2);
  EXPECT_EQ(value_of(text, "hearth_ws_gap_reports_total"), 1);
  hub.gap_reports += 4;
  EXPECT_EQ(value_of(scrape(), "hearth_ws_gap_reports_total"), 5);

  metrics_.reset();
  start({&sequencer(), nullptr, nullptr, {}});
  EXPECT_EQ(scrape().find("hearth_ws_"), std::string::npos);
}

TEST_F(MetricsTest, HttpConnectionsGaugeFollowsTheServer) {
  Config config;
  config.port = 0;
  config.web_root = dir_.file("web");
  Server server(config, &sequencer());
  ASSERT_TRUE(server.start().ok());
  start({&sequencer(), &server, nullptr, {}});
  EXPECT_EQ(value_of(scrape(), "hearth_http_connections"), 0);

  // One idle keep-alive connection; the server registers it once accepted, so poll (bounded).
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
  double seen = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < deadline;) {
    if ((seen = value_of(scrape(), "hearth_http_connections")) == 1) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(seen, 1);
  socket.close();
  metrics_.reset();  // before the server it reads
  server.stop();
}

TEST_F(MetricsTest, OnlyMetricsIsServedAsPrometheusText) {
  start({&sequencer(), nullptr, nullptr, {}});
  auto ok = get(metrics_->port());
  EXPECT_EQ(ok.status, 200u);
  EXPECT_NE(ok.content_type.find("text/plain"), std::string::npos) << ok.content_type;
  EXPECT_EQ(get(metrics_->port(), "/").status, 404u);
  EXPECT_NE(metrics_->url().find("http://127.0.0.1:"), std::string::npos);
}

TEST_F(MetricsTest, ATakenPortIsAnErrorNamingIt) {
  start({&sequencer(), nullptr, nullptr, {}});
  auto second = Metrics::start("127.0.0.1", metrics_->port(), {&sequencer(), nullptr, nullptr, {}});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("127.0.0.1:" + std::to_string(metrics_->port())), std::string::npos)
      << second.error().message;
}

}  // namespace
}  // namespace hearth::server
