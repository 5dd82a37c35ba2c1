// Downloading stored files (docs/api.md "Files"), against a real server: a file larger than any
// buffer arrives byte-exact without the server holding it in memory, one `Range` is answered 206
// (416 past the end), a file deleted by the blob sweep mid-download still arrives whole, and a
// full image pool refuses uploads (503) while sign-ins go on.
#include <gtest/gtest.h>
#include <malloc.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "api_world.h"
#include "core/sqlite/db.h"
#include "files_fixture.h"
#include "http_client.h"
#include "server/work_pool.h"

namespace hearth::testing {
namespace {

namespace json = boost::json;
namespace net = boost::asio;
using HttpStatus = server::http::Status;
using Response = server::http::Response;
using server::http::bhttp::field;

// Byte i of the test files: a function of its position, so that a byte out of place shows.
char byte_at(uint64_t i) { return static_cast<char>((i * 131 + (i >> 8) * 7 + (i >> 16)) & 0xff); }

std::string pattern(uint64_t from, uint64_t length) {
  std::string out(length, '\0');
  for (uint64_t i = 0; i < length; ++i) out[i] = byte_at(from + i);
  return out;
}

uint64_t status_kb(std::string_view key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(key)) return std::stoull(line.substr(key.size() + 1));
  }
  return 0;
}

// A GET read off a plain socket piece by piece, so that the test itself never holds the body:
// the headers, then the body checked against pattern() as it arrives.
class Download {
 public:
  Download(uint16_t port, const std::string& target, const Session& s) : socket_(ioc_) {
    socket_.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + s.cookie + "\r\nConnection: close\r\n\r\n";
    net::write(socket_, net::buffer(req));
    size_t n = net::read_until(socket_, buffer_, "\r\n\r\n");
    head_.assign(net::buffers_begin(buffer_.data()), net::buffers_begin(buffer_.data()) + static_cast<ptrdiff_t>(n));
    buffer_.consume(n);
  }
  const std::string& head() const { return head_; }
  // Reads up to `limit` more body bytes; false at the first byte that is not pattern()'s.
  bool read_body(uint64_t limit) {
    char chunk[16 * 1024];
    while (limit > 0) {
      size_t n;
      if (buffer_.size() > 0) {
        n = net::buffer_copy(net::buffer(chunk, std::min<uint64_t>(sizeof chunk, limit)), buffer_.data());
        buffer_.consume(n);
      } else {
        boost::system::error_code ec;
        n = socket_.read_some(net::buffer(chunk, std::min<uint64_t>(sizeof chunk, limit)), ec);
        if (ec) return true;  // the end (Connection: close)
      }
      for (size_t i = 0; i < n; ++i) {
        if (chunk[i] != byte_at(received_ + i)) return false;
      }
      received_ += n;
      limit -= n;
    }
    return true;
  }
  uint64_t received() const { return received_; }

 private:
  net::io_context ioc_;
  net::ip::tcp::socket socket_;
  net::streambuf buffer_;
  std::string head_;
  uint64_t received_ = 0;
};

class FileDownloadTest : public ApiWorld {
 protected:
  Response upload(const Session& s, int64_t room, const std::string& client_id, const std::string& filename,
                  const std::string& bytes) {
    Headers h = s.headers();
    h.emplace_back("Content-Type", multipart_type());
    return call(port_, Verb::post, "/api/rooms/" + std::to_string(room) + "/attachments",
                form_field("client_message_id", client_id) +
                    form_file("attachment", filename, "application/octet-stream", bytes) + form_end(),
                h);
  }
  Response get(const Session& s, const std::string& target, const std::string& range = "") {
    Headers h = s.headers(false);
    if (!range.empty()) h.emplace_back("Range", range);
    return call(port_, Verb::get, target, "", h);
  }
  int64_t first_room(const Session& s) { return bootstrap(s).at("rooms").at(0).at("id").as_int64(); }
  // The attachment URL of a new message holding pattern(0, size).
  std::string posted(const Session& s, int64_t room, uint64_t size, int64_t* id = nullptr) {
    auto res = upload(s, room, "c-" + std::to_string(size), "tape.bin", pattern(0, size));
    EXPECT_EQ(res.result(), HttpStatus::created) << res.body();
    int64_t message = body_of(res).at("id").as_int64();
    if (id) *id = message;
    return "/api/messages/" + std::to_string(message) + "/attachment";
  }
  std::filesystem::path blob_of(int64_t message) {
    auto db = sqlite::Db::open(dir_.file("data/state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    auto s = db->prepare("SELECT attachment_hash FROM messages WHERE id = ?");
    s->bind(1, message);
    auto row = s->step();
    std::string hash = row.ok() && *row ? std::string(s->col_text(0)) : std::string();
    return dir_.path() / "data" / "blobs" / hash.substr(0, 2) / hash;
  }
};

constexpr uint64_t kLarge = 20 << 20;

TEST_F(FileDownloadTest, ALargeFileArrivesByteExactWithoutTheServerHoldingIt) {
  auto ada = first_run();
  std::string url = posted(ada, first_room(ada), kLarge);
  // The upload's 20 MB are freed; give free pages back so they cannot hide a new 20 MB buffer,
  // then count the peak from here (writing 5 to clear_refs resets VmHWM).
  malloc_trim(0);
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  uint64_t before_kb = status_kb("VmRSS:");
  Download d(port_, url, ada);
  EXPECT_TRUE(d.head().starts_with("HTTP/1.1 200")) << d.head();
  EXPECT_NE(d.head().find("Content-Length: " + std::to_string(kLarge) + "\r\n"), std::string::npos) << d.head();
  EXPECT_NE(d.head().find("X-Content-Type-Options: nosniff"), std::string::npos) << d.head();
  EXPECT_NE(d.head().find("Content-Disposition: attachment; filename=\"tape.bin\""), std::string::npos) << d.head();
  EXPECT_NE(d.head().find("Accept-Ranges: bytes"), std::string::npos) << d.head();
  EXPECT_TRUE(d.read_body(kLarge + 1));
  EXPECT_EQ(d.received(), kLarge);
  uint64_t peak_kb = status_kb("VmHWM:");
  // Read whole, the file alone would add 20 MB; streamed, a chunk per connection. Generous for
  // allocator noise, far below the file.
  EXPECT_LT(peak_kb - before_kb, 8u * 1024) << "VmRSS " << before_kb << " kB, peak " << peak_kb << " kB";
}

TEST_F(FileDownloadTest, ARangeIsAnsweredWithThoseBytesAndOnePastTheEndIs416) {
  auto ada = first_run();
  constexpr uint64_t kSize = 100'000;
  std::string url = posted(ada, first_room(ada), kSize);
  struct Case {
    std::string range;
    uint64_t first, length;
  };
  for (const Case& c : {Case{"bytes=0-99", 0, 100}, Case{"bytes=40000-49999", 40'000, 10'000},
                        Case{"bytes=-500", kSize - 500, 500}, Case{"bytes=99990-", 99'990, 10},
                        Case{"bytes=99000-200000", 99'000, 1'000}, Case{"bytes=-200000", 0, kSize}}) {
    auto res = get(ada, url, c.range);
    EXPECT_EQ(res.result(), HttpStatus::partial_content) << c.range;
    EXPECT_EQ(res[field::content_range], "bytes " + std::to_string(c.first) + "-" +
                                             std::to_string(c.first + c.length - 1) + "/" + std::to_string(kSize))
        << c.range;
    EXPECT_EQ(res.body(), pattern(c.first, c.length)) << c.range;
    // A part is the same file: every header of the whole is kept.
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(res["Content-Security-Policy"], "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    EXPECT_TRUE(res[field::content_disposition].starts_with("attachment;"));
    EXPECT_EQ(res[field::cache_control], "private, max-age=31536000, immutable");
  }
  for (std::string past : {"bytes=100000-", "bytes=100000-100001", "bytes=-0"}) {
    auto res = get(ada, url, past);
    EXPECT_EQ(res.result(), HttpStatus::range_not_satisfiable) << past;
    EXPECT_EQ(res[field::content_range], "bytes */100000") << past;
    EXPECT_EQ(error_code_of(res), "range_not_satisfiable");
  }
  // Several ranges, another unit, nonsense: the whole file.
  for (std::string whole : {"bytes=0-9,20-29", "items=0-9", "bytes=9-0", "bytes=abc"}) {
    auto res = get(ada, url, whole);
    EXPECT_EQ(res.result(), HttpStatus::ok) << whole;
    EXPECT_EQ(res.body().size(), kSize) << whole;
  }
}

TEST_F(FileDownloadTest, AFileDeletedByTheSweepMidDownloadStillArrivesWhole) {
  auto ada = first_run();
  int64_t room = first_room(ada), id = 0;
  std::string url = posted(ada, room, kLarge, &id);
  auto blob = blob_of(id);
  ASSERT_TRUE(std::filesystem::exists(blob));
  Download d(port_, url, ada);
  ASSERT_TRUE(d.head().starts_with("HTTP/1.1 200")) << d.head();
  ASSERT_TRUE(d.read_body(1 << 20));  // the server now waits on full socket buffers
  auto removed = as(&ada, Verb::delete_, "/api/rooms/" + std::to_string(room) + "/messages/" + std::to_string(id));
  ASSERT_EQ(removed.result(), HttpStatus::ok);
  for (int i = 0; i < 200 && std::filesystem::exists(blob); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_FALSE(std::filesystem::exists(blob)) << "the sweep deletes the removed message's file";
  EXPECT_TRUE(d.read_body(kLarge + 1));
  EXPECT_EQ(d.received(), kLarge);
}

TEST_F(FileDownloadTest, AFullImagePoolRefusesUploadsWhileSignInsGoOn) {
  auto ada = first_run();
  int64_t room = first_room(ada);
  // Every thread busy and the queue full, with jobs that wait for the test.
  struct Gate {
    std::mutex mu;
    std::condition_variable cv;
    bool open = false;
    size_t waiting = 0;
    void release() {
      {
        std::lock_guard lock(mu);
        open = true;
      }
      cv.notify_all();
    }
    ~Gate() { release(); }  // whatever fails, the pool's threads are let go before it is joined
  } gate;
  auto blocker = [&gate] {
    std::unique_lock lock(gate.mu);
    ++gate.waiting;
    gate.cv.notify_all();
    gate.cv.wait(lock, [&] { return gate.open; });
  };
  auto& pool = chat_.api->image_pool();
  size_t queued = 0;
  while (pool.submit(blocker)) ASSERT_LT(++queued, 10'000u);
  // The threads take their first jobs after the queue filled: fill it again once they have.
  {
    std::unique_lock lock(gate.mu);
    ASSERT_TRUE(gate.cv.wait_for(lock, std::chrono::seconds(10), [&] { return gate.waiting == pool.threads(); }));
  }
  while (pool.submit(blocker)) ASSERT_LT(++queued, 10'000u);

  auto refused = upload(ada, room, "c-busy", "a.txt", "hello");
  EXPECT_EQ(refused.result(), HttpStatus::service_unavailable);
  EXPECT_EQ(error_code_of(refused), "busy");
  EXPECT_EQ(std::string(body_of(refused).at("error").at("message").as_string()), "Too many uploads at once; try again");
  EXPECT_EQ(refused[field::retry_after], "1");
  auto signed_in = call(port_, Verb::post, "/api/session",
                        json::serialize(json::object{{"email", "Ada@example.com"}, {"password", kPassword}}));
  EXPECT_EQ(signed_in.result(), HttpStatus::ok) << signed_in.body();

  gate.release();
  // Drained once a job queued behind every blocker has run.
  std::promise<void> drained;
  while (!pool.submit([&drained] { drained.set_value(); })) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  drained.get_future().wait();
  auto accepted = upload(ada, room, "c-later", "a.txt", "hello");
  EXPECT_EQ(accepted.result(), HttpStatus::created) << accepted.body();
}

}  // namespace
}  // namespace hearth::testing
