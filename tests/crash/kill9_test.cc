// kill -9 during writes (RELIABILITY T1; DESIGN I1, I2, I3, I4, I6).
//
// A driver process opens a data directory (durability kFull, real files) and drives the
// sequencer from several threads: posts with unique client message ids, boosts, edits, and now
// and then a multi-event command (CreateOpenRoom, JoinAccount). It reports each command on a
// pipe only after its completion callback said it succeeded. The test process SIGKILLs the driver
// at a random moment, then checks the data directory the kill left behind:
//   (a) the log verifies: `hearth replay verify` (the binary) and EventLog::open with verification;
//       history is never rewritten (the chain of the previous end is unchanged);
//   (b) every acknowledged command is in the log exactly once with the seq and id it was
//       acknowledged with, and posted messages exist in the projections after catch-up; no command
//       id is used by two commands anywhere in the log; no (user, client message id) names two
//       messages;
//   (c) after DataDir::open (catch-up) and close, the projections folded from the log equal the
//       live state.sqlite3 row by row (replay::diff_states): a shadow fold kept by the test after
//       every kill, a from-scratch replay::rebuild_projection every 10th kill and after the last;
//       both files pass PRAGMA integrity_check.
// Each restart re-submits command ids sent before the kill (acknowledged or not): each must
// still name exactly one message, and an id acknowledged before must return its original outcome.
//
// The driver is this test binary itself, re-executed (fork + exec, so the child never inherits a
// threaded parent's state) with HEARTH_KILL9_DRIVER set: a static initializer then registers the
// one test Kill9Driver.Run, which is otherwise invisible (ctest never lists it).
//
// Environment: HEARTH_CRASH_KILLS (default 50, split between the two tests), HEARTH_CRASH_SEED.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <semaphore>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "core/commands/commands.h"
#include "core/events/event_view.h"
#include "core/log/event_log.h"
#include "core/sqlite/db.h"
#include "projections/data_dir.h"
#include "projections/projector.h"
#include "replay/diff.h"
#include "replay/rebuild.h"
#include "support/temp_dir.h"

extern char** environ;

namespace hearth::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kDriverEnv = "HEARTH_KILL9_DRIVER";        // the data directory
constexpr const char* kDriverFdEnv = "HEARTH_KILL9_FD";          // the pipe's write end
constexpr const char* kDriverIterEnv = "HEARTH_KILL9_ITER";      // makes command ids unique
constexpr const char* kDriverSeedEnv = "HEARTH_KILL9_SEED";      // the driver's RNG
constexpr const char* kDriverResubmitEnv = "HEARTH_KILL9_RESUBMIT";  // file: "actor cid room" lines
constexpr int kDriverFd = 97;
constexpr int kWorkers = 4;
constexpr int kInflightPerWorker = 8;
// Commands per second per worker, at most: bounds how fast the log grows (every check after a
// kill is O(log)) on machines with fast disks, while keeping group commit busy.
constexpr int kMaxRatePerWorker = 5000;
// The driver stops by itself after this long, should the test fail to kill it.
constexpr auto kDriverLifetime = std::chrono::seconds(30);

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

// ================================ the driver (child process) ================================

class Driver {
 public:
  Driver(std::string dir, int fd, int64_t iter, uint64_t seed)
      : dir_(std::move(dir)), fd_(fd), iter_(iter), seed_(seed) {}

  int run(const std::string& resubmit_file) {
    auto opened = DataDir::open(dir_);
    if (!opened) return fail("DataDir::open: " + opened.error().to_string());
    data_ = std::move(*opened);
    if (int rc = setup_if_new(); rc != 0) return rc;
    if (int rc = load_state(); rc != 0) return rc;
    read_resubmissions(resubmit_file);
    line("READY " + std::to_string(data_->sequencer().committed_seq().value));

    deadline_ = Clock::now() + kDriverLifetime;
    std::vector<std::thread> workers;
    for (int t = 0; t < kWorkers; ++t) workers.emplace_back([this, t] { work(t); });
    for (auto& w : workers) w.join();
    // Only reached when nobody killed us: let every callback run before the DataDir goes.
    data_.reset();
    line("DONE");
    return 0;
  }

 private:
  struct Resubmission {
    UserId actor;
    std::string cid;
    RoomId room;
  };

  // One write() per line: lines are shorter than PIPE_BUF, so they never interleave.
  void line(std::string s) {
    s.push_back('\n');
    const char* p = s.data();
    size_t n = s.size();
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        _exit(4);  // the test is gone
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
  }

  int fail(const std::string& why) {
    std::string one_line = why;
    for (char& c : one_line) {
      if (c == '\n') c = ' ';
    }
    line("FAIL " + one_line.substr(0, 3000));
    return 3;
  }

  Outcome execute(UserId actor, std::string cid, Command c) {
    return data_->sequencer().execute(CommandEnvelope{actor, std::move(cid), std::move(c)});
  }

  void report_ack(const std::string& kind, UserId actor, const std::string& cid, const Ack& a) {
    line("ACK " + kind + " " + std::to_string(actor.value) + " " + cid + " " + std::to_string(a.seq.value) + " " +
         std::to_string(a.id) + " " + (a.replayed ? "1" : "0"));
  }
  void report_reject(const std::string& kind, UserId actor, const std::string& cid, const Error& e) {
    std::string msg = e.to_string();
    for (char& c : msg) {
      if (c == '\n') c = ' ';
    }
    line("REJ " + kind + " " + std::to_string(actor.value) + " " + cid + " " +
         std::string(error_code_name(e.code)) + " " + msg.substr(0, 2000));
  }

  Result<std::string> join_code() {
    auto db = sqlite::Db::open(data_->state_path(), sqlite::Db::Mode::kReadOnly);
    if (!db) return db.take_error();
    auto st = db->prepare("SELECT join_code FROM account");
    if (!st) return st.take_error();
    auto row = st->step();
    if (!row) return row.take_error();
    if (!*row) return std::string();
    return std::string(st->col_text(0));
  }

  // First run only, before READY (never killed): the account, its administrator and 3 members.
  int setup_if_new() {
    auto code = join_code();
    if (!code) return fail("reading the join code: " + code.error().to_string());
    if (!code->empty()) return 0;
    cmd::SetupFirstRun setup{"Admin", "admin@example.com", "$argon2id$not-a-real-digest", "203.0.113.1", "kill9"};
    auto a = execute(kSystemActor, "setup", setup);
    if (!a) return fail("SetupFirstRun: " + a.error().to_string());
    report_ack("setup", kSystemActor, "setup", *a);
    code = join_code();
    if (!code || code->empty()) return fail("no join code after setup");
    for (int i = 0; i < 3; ++i) {
      std::string cid = "join-first-" + std::to_string(i);
      cmd::JoinAccount j{*code, "Member " + std::to_string(i), cid + "@example.com", "$argon2id$x", "203.0.113.2", "kill9"};
      auto b = execute(kSystemActor, cid, j);
      if (!b) return fail("JoinAccount: " + b.error().to_string());
      report_ack("join", kSystemActor, cid, *b);
    }
    return 0;
  }

  // Who may post where: every active person is a member of every open room (JoinAccount and
  // CreateOpenRoom grant exactly that), so any (user, open room) pair is a valid post.
  int load_state() {
    auto db = sqlite::Db::open(data_->state_path(), sqlite::Db::Mode::kReadOnly);
    if (!db) return fail("open state: " + db.error().to_string());
    auto ints = [&](const char* sql, auto&& each) -> Status {
      auto st = db->prepare(sql);
      if (!st) return st.take_error();
      while (true) {
        auto row = st->step();
        if (!row) return row.take_error();
        if (!*row) return ok_status();
        each(*st);
      }
    };
    Status s = ints("SELECT id FROM users WHERE status = 0 AND role IN (0, 1) ORDER BY id",
                    [&](sqlite::Stmt& st) { users_.push_back(UserId(st.col_int(0))); });
    if (s.ok()) s = ints("SELECT id FROM rooms WHERE kind = 0 ORDER BY id",
                         [&](sqlite::Stmt& st) { rooms_.push_back(RoomId(st.col_int(0))); });
    if (s.ok()) {
      s = ints("SELECT m.id, m.creator_id FROM messages m JOIN rooms r ON r.id = m.room_id AND r.kind = 0 "
               "ORDER BY m.id DESC LIMIT 200",
               [&](sqlite::Stmt& st) { messages_.push_back({MessageId(st.col_int(0)), UserId(st.col_int(1))}); });
    }
    if (s.ok()) {
      auto code = join_code();
      if (!code) return fail(code.error().to_string());
      join_code_ = *code;
    }
    if (!s.ok()) return fail("load state: " + s.error().to_string());
    if (users_.empty() || rooms_.empty()) return fail("no users or no open rooms");
    return 0;
  }

  void read_resubmissions(const std::string& file) {
    if (file.empty()) return;
    std::ifstream in(file);
    std::string l;
    while (std::getline(in, l)) {
      auto w = split(l);
      if (w.size() != 3) continue;
      resubmit_.push_back({UserId(std::stoll(w[0])), w[1], RoomId(std::stoll(w[2]))});
    }
  }

  static cmd::PostMessage post_for(const std::string& cid, RoomId room) {
    // The body follows from the command id, so a re-submission is the same request.
    cmd::PostMessage p;
    p.room = room;
    p.body_html = "<p>message " + cid + "</p>";
    p.plain_text = "message " + cid;
    return p;
  }

  // Submits without waiting; at most kInflightPerWorker per worker, so batches are large.
  void submit(std::counting_semaphore<kInflightPerWorker>& slots, const std::string& kind, UserId actor,
              std::string cid, Command c, bool remember_message = false) {
    slots.acquire();
    data_->sequencer().submit(
        CommandEnvelope{actor, cid, std::move(c)},
        [this, &slots, kind, actor, cid, remember_message](Outcome o) {
          if (o) {
            report_ack(kind, actor, cid, *o);
            if (remember_message) {
              std::lock_guard lock(mu_);
              messages_.push_back({MessageId(o->id), actor});
            }
          } else {
            report_reject(kind, actor, cid, o.error());
          }
          slots.release();
        });
  }

  void work(int t) {
    std::counting_semaphore<kInflightPerWorker> slots(kInflightPerWorker);
    std::mt19937_64 rng(seed_ * 1000003 + static_cast<uint64_t>(t));
    auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
    // Re-submissions first, spread over the workers, so a kill can land in the middle of them.
    for (size_t i = static_cast<size_t>(t); i < resubmit_.size(); i += kWorkers) {
      const auto& r = resubmit_[i];
      submit(slots, "resub", r.actor, r.cid, post_for(r.cid, r.room));
    }
    std::string prefix = std::to_string(iter_) + "-" + std::to_string(t) + "-";
    auto started = Clock::now();
    for (int64_t n = 0; Clock::now() < deadline_; ++n) {
      std::this_thread::sleep_until(started + std::chrono::microseconds(n * 1'000'000 / kMaxRatePerWorker));
      int r = std::uniform_int_distribution<int>(0, 999)(rng);
      std::string num = prefix + std::to_string(n);
      std::optional<std::pair<MessageId, UserId>> target;
      {
        std::lock_guard lock(mu_);
        if (!messages_.empty()) target = messages_[messages_.size() - 1 - pick(std::min<size_t>(messages_.size(), 500))];
      }
      if (r < 700 || !target) {
        UserId actor = users_[pick(users_.size())];
        RoomId room = rooms_[pick(rooms_.size())];
        std::string cid = "p" + num;
        line("SENT " + std::to_string(actor.value) + " " + cid + " " + std::to_string(room.value));
        submit(slots, "post", actor, cid, post_for(cid, room), true);
      } else if (r < 850) {
        UserId actor = users_[pick(users_.size())];
        submit(slots, "boost", actor, "b" + num, cmd::AddBoost{target->first, "+1"});
      } else if (r < 990) {
        std::string cid = "e" + num;
        submit(slots, "edit", target->second, cid,
               cmd::EditMessage{target->first, "<p>edited " + cid + "</p>", "edited " + cid, {}});
      } else if (r < 995) {
        if (multi_.fetch_add(1) >= 4) continue;  // a few per run: rooms make every join larger
        UserId actor = users_[pick(users_.size())];
        submit(slots, "room", actor, "r" + num, cmd::CreateOpenRoom{"Room " + num});
      } else {
        if (multi_.fetch_add(1) >= 4) continue;
        std::string cid = "j" + num;
        submit(slots, "join", kSystemActor, cid,
               cmd::JoinAccount{join_code_, "Joiner " + num, cid + "@example.com", "$argon2id$x", "203.0.113.3", "kill9"});
      }
    }
    // Wait for this worker's commands before its semaphore goes out of scope.
    for (int i = 0; i < kInflightPerWorker; ++i) slots.acquire();
  }

  std::string dir_;
  int fd_;
  int64_t iter_;
  uint64_t seed_;
  std::unique_ptr<DataDir> data_;
  std::vector<UserId> users_;
  std::vector<RoomId> rooms_;
  std::string join_code_;
  std::vector<Resubmission> resubmit_;
  std::mutex mu_;
  std::vector<std::pair<MessageId, UserId>> messages_;  // guarded by mu_ once workers run
  std::atomic<int> multi_{0};
  Clock::time_point deadline_;
};

class DriverTest : public ::testing::Test {
 public:
  void TestBody() override {
    const char* dir = std::getenv(kDriverEnv);
    const char* fd = std::getenv(kDriverFdEnv);
    const char* iter = std::getenv(kDriverIterEnv);
    const char* seed = std::getenv(kDriverSeedEnv);
    const char* resubmit = std::getenv(kDriverResubmitEnv);
    ASSERT_TRUE(dir && fd && iter && seed);
    Driver d(dir, std::atoi(fd), std::atoll(iter), std::strtoull(seed, nullptr, 10));
    EXPECT_EQ(d.run(resubmit ? resubmit : ""), 0);
  }
};

// Registered only in a driver process, so ctest never lists it.
[[maybe_unused]] const bool kDriverRegistered = [] {
  if (std::getenv(kDriverEnv) == nullptr) return false;
  ::testing::RegisterTest("Kill9Driver", "Run", nullptr, nullptr, __FILE__, __LINE__,
                          []() -> ::testing::Test* { return new DriverTest(); });
  return true;
}();

// ================================ the test (parent process) ================================

// A driver process and the read end of its pipe. The destructor kills and reaps it, so a failed
// ASSERT never leaves a child behind.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    kill_and_reap();
    if (read_fd_ >= 0) ::close(read_fd_);
  }

  // Re-executes this binary as the driver. Everything the child needs is built before fork().
  bool start(const std::vector<std::string>& extra_env, const std::string& log_file, std::string& error) {
    std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<std::string> args = {self, "--gtest_filter=Kill9Driver.Run"};
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      // The parent's gtest settings (XML output, sharding, filters) must not reach the driver.
      if (std::strncmp(*e, "GTEST_", 6) == 0) continue;
      env.emplace_back(*e);
    }
    env.push_back(std::string(kDriverFdEnv) + "=" + std::to_string(kDriverFd));
    for (auto& e : extra_env) env.push_back(e);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      error = std::string("pipe2: ") + std::strerror(errno);
      return false;
    }
    int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      error = std::string("open log: ") + std::strerror(errno);
      ::close(fds[0]);
      ::close(fds[1]);
      return false;
    }
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
      error = std::string("fork: ") + std::strerror(errno);
      ::close(fds[0]);
      ::close(fds[1]);
      ::close(log_fd);
      return false;
    }
    if (pid == 0) {
      // Async-signal-safe calls only until exec.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) _exit(5);
      if (::dup2(fds[1], kDriverFd) < 0) _exit(6);
      if (fds[1] == kDriverFd) ::fcntl(kDriverFd, F_SETFD, 0);
      ::dup2(log_fd, STDOUT_FILENO);
      ::dup2(log_fd, STDERR_FILENO);
      ::execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    ::close(fds[1]);
    ::close(log_fd);
    pid_ = pid;
    read_fd_ = fds[0];
    return true;
  }

  // Reads complete lines until `until` (or EOF); returns false at EOF.
  bool read_until(Clock::time_point until, std::vector<std::string>& lines) {
    while (true) {
      auto now = Clock::now();
      int timeout_ms = now >= until ? 0
                                    : static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(until - now).count());
      pollfd p{read_fd_, POLLIN, 0};
      int r = ::poll(&p, 1, timeout_ms);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return true;  // timed out
      char buf[65536];
      ssize_t n = ::read(read_fd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;  // EOF: the driver is gone
      pending_.append(buf, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
        lines.push_back(pending_.substr(start, nl - start));
      }
      pending_.erase(0, start);
      if (Clock::now() >= until) return true;
    }
  }

  // Reads everything left until EOF (after the kill), with a generous bound.
  void drain(std::vector<std::string>& lines) {
    auto until = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < until && read_until(until, lines)) {
    }
  }

  // SIGKILL, then waitpid. Returns the wait status (or -1 if there was no child).
  int kill_and_reap() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }
  // waitpid for a child that exits by itself, up to `timeout`; -1 if it did not.
  int wait_exit(std::chrono::milliseconds timeout) {
    auto until = Clock::now() + timeout;
    while (pid_ > 0 && Clock::now() < until) {
      int status = 0;
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int read_fd_ = -1;
  std::string pending_;
};

struct AckRecord {
  std::string kind;
  UserId actor;
  std::string cid;
  Seq seq;
  int64_t id = 0;
  bool replayed = false;
};

struct SentPost {
  UserId actor;
  std::string cid;
  RoomId room;
};

using Key = std::pair<int64_t, std::string>;  // (actor, command id)

std::string tail_of(const std::string& file, size_t bytes = 4000) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  std::string all = s.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

// Runs a command line; returns (exit status, combined output).
std::pair<int, std::string> run_command(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return {-1, "popen failed"};
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string shell_quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

uint64_t test_seed() {
  if (const char* v = std::getenv("HEARTH_CRASH_SEED"); v && *v) return std::strtoull(v, nullptr, 10);
  return (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
}

// Each test's share of HEARTH_CRASH_KILLS (default 50 in all).
int kills_for(double share) {
  int total = std::max(2, env_int("HEARTH_CRASH_KILLS", 50));
  return std::max(1, static_cast<int>(total * share + 0.5));
}

struct LoopConfig {
  int kills = 25;
  size_t resubmit_recent = 8;  // the last posts sent before the kill, acknowledged or not
  size_t resubmit_acked = 8;   // posts acknowledged in any earlier run
};

// The crash loop and every check after each kill. Failures are recorded with ADD_FAILURE and
// the loop stops at the first iteration that found any.
class CrashLoop {
 public:
  CrashLoop(LoopConfig config, uint64_t seed) : config_(config), seed_(seed), rng_(seed) {}

  void run() {
    dir_ = tmp_.file("data");
    std::cout << "[kill9] seed " << seed_ << " (rerun with HEARTH_CRASH_SEED=" << seed_ << "), " << config_.kills
              << " kills, data dir " << dir_ << std::endl;
    auto start = Clock::now();
    for (int iter = 0; iter < config_.kills; ++iter) {
      SCOPED_TRACE("seed " + std::to_string(seed_) + ", iteration " + std::to_string(iter));
      if (!one_iteration(iter)) {
        std::cout << "[kill9] driver log tail:\n" << tail_of(log_file()) << std::endl;
        return;
      }
    }
    SCOPED_TRACE("seed " + std::to_string(seed_) + ", final check");
    final_check();
    auto secs = std::chrono::duration<double>(Clock::now() - start).count();
    std::cout << "[kill9] " << kills_ << " kills in " << secs << " s; " << acked_.size()
              << " acknowledged commands checked (" << acked_posts_.size() << " posts), " << resubmitted_
              << " re-submissions acknowledged (" << resubmitted_replayed_ << " replayed, " << resubmitted_new_
              << " first committed on re-submission, " << recovered_unacked_
              << " committed before a kill without their ack); " << diffs_ << " row-by-row diffs ("
              << full_rebuilds_ << " against a from-scratch rebuild); log ends at seq " << last_seq_.value << std::endl;
    ::testing::Test::RecordProperty("kills", kills_);
    ::testing::Test::RecordProperty("acknowledged", static_cast<int>(acked_.size()));
    ::testing::Test::RecordProperty("seed", std::to_string(seed_));
    EXPECT_EQ(kills_, config_.kills);
    EXPECT_GT(acked_posts_.size(), 0u) << "the driver never got a post acknowledged: the test checked nothing";
  }

  int kills() const { return kills_; }
  int64_t resubmitted() const { return resubmitted_; }

 private:
  std::string log_file() const { return tmp_.file("driver.log"); }

  std::string write_resubmissions(int iter) {
    std::vector<SentPost> chosen;
    size_t from = sent_last_run_.size() > config_.resubmit_recent ? sent_last_run_.size() - config_.resubmit_recent : 0;
    for (size_t i = from; i < sent_last_run_.size(); ++i) chosen.push_back(sent_last_run_[i]);
    for (size_t i = 0; i < config_.resubmit_acked && !acked_posts_.empty(); ++i) {
      const Key& k = acked_posts_[std::uniform_int_distribution<size_t>(0, acked_posts_.size() - 1)(rng_)];
      chosen.push_back(sent_.at(k));
    }
    std::string file = tmp_.file("resubmit-" + std::to_string(iter) + ".txt");
    std::ofstream out(file);
    for (auto& s : chosen) out << s.actor.value << " " << s.cid << " " << s.room.value << "\n";
    return file;
  }

  bool one_iteration(int iter) {
    std::string resubmit = write_resubmissions(iter);
    uint64_t driver_seed = rng_();
    ChildProcess child;
    std::string error;
    if (!child.start({std::string(kDriverEnv) + "=" + dir_, std::string(kDriverIterEnv) + "=" + std::to_string(iter),
                      std::string(kDriverSeedEnv) + "=" + std::to_string(driver_seed),
                      std::string(kDriverResubmitEnv) + "=" + resubmit},
                     log_file(), error)) {
      ADD_FAILURE() << "cannot start the driver: " << error;
      return false;
    }
    // Wait for READY (start-up verifies the log and catches up: allow plenty of time).
    std::vector<std::string> lines;
    bool ready = false;
    auto ready_deadline = Clock::now() + std::chrono::seconds(60);
    while (!ready && Clock::now() < ready_deadline) {
      size_t seen = lines.size();
      bool open = child.read_until(std::min(ready_deadline, Clock::now() + std::chrono::milliseconds(200)), lines);
      for (size_t i = seen; i < lines.size(); ++i) {
        if (lines[i].starts_with("READY")) ready = true;
        if (lines[i].starts_with("FAIL")) {
          ADD_FAILURE() << "driver failed before READY: " << lines[i];
          return false;
        }
      }
      if (!open && !ready) {
        int status = child.wait_exit(std::chrono::seconds(5));
        ADD_FAILURE() << "driver exited before READY (wait status " << status << ")";
        return false;
      }
    }
    if (!ready) {
      ADD_FAILURE() << "driver not ready within 60 s";
      return false;
    }
    int delay_ms = std::uniform_int_distribution<int>(5, 150)(rng_);
    child.read_until(Clock::now() + std::chrono::milliseconds(delay_ms), lines);
    int status = child.kill_and_reap();
    child.drain(lines);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      ADD_FAILURE() << "the driver ended before the kill (wait status " << status << ")";
      return false;
    }
    ++kills_;
    return absorb(lines, iter) && check_after_kill(iter);
  }

  // Takes the driver's report: what it sent, what was acknowledged.
  bool absorb(const std::vector<std::string>& lines, int iter) {
    sent_last_run_.clear();
    new_acks_.clear();
    bool ok = true;
    for (auto& l : lines) {
      auto w = split(l);
      if (w.empty()) continue;
      if (w[0] == "SENT" && w.size() == 4) {
        SentPost s{UserId(std::stoll(w[1])), w[2], RoomId(std::stoll(w[3]))};
        sent_[Key{s.actor.value, s.cid}] = s;
        sent_last_run_.push_back(s);
      } else if (w[0] == "ACK" && w.size() == 7) {
        new_acks_.push_back(
            AckRecord{w[1], UserId(std::stoll(w[2])), w[3], Seq(std::stoll(w[4])), std::stoll(w[5]), w[6] == "1"});
      } else if (w[0] == "REJ" || w[0] == "FAIL") {
        ADD_FAILURE() << "iteration " << iter << ": the driver reported: " << l;
        ok = false;
      }
    }
    return ok;
  }

  bool fail(const std::string& what) {
    ADD_FAILURE() << what;
    return false;
  }

  // The entity an acknowledged command's first event names, as its Ack::id must.
  static Result<int64_t> first_entity(const std::string& kind, const StoredEvent& e) {
    auto ev = view_event(e);
    if (!ev) return ev.take_error();
    const schema::Event* v = *ev;
    if (kind == "post" || kind == "resub") {
      if (auto* p = v->payload_as_MessagePosted()) return p->message_id();
    } else if (kind == "boost") {
      if (auto* p = v->payload_as_BoostAdded()) return p->boost_id();
    } else if (kind == "edit") {
      if (auto* p = v->payload_as_MessageEdited()) return p->message_id();
    } else if (kind == "room") {
      if (auto* p = v->payload_as_RoomCreated()) return p->room_id();
    } else if (kind == "join") {
      if (auto* p = v->payload_as_UserJoined()) return p->user_id();
    } else if (kind == "setup") {
      if (v->payload_as_AccountCreated()) return 0;
    }
    return Error{ErrorCode::kInvalid, "first event is " + std::string(event_type_name(e.type)) + " for a " + kind};
  }

  // The command's events in the log: [first, last] must end at the acknowledged seq and its
  // first event must name the acknowledged entity.
  bool check_in_log(const EventLog& log, const AckRecord& a) {
    auto found = log.find_command(a.actor, a.cid);
    if (!found) return fail("find_command: " + found.error().to_string());
    if (!*found) return fail("acknowledged " + a.kind + " " + a.cid + " (seq " + std::to_string(a.seq.value) +
                             ") is not in the log: lost after kill -9");
    auto [first, last] = **found;
    if (last != a.seq) {
      return fail(a.kind + " " + a.cid + " acknowledged with seq " + std::to_string(a.seq.value) +
                  " but its events are " + std::to_string(first.value) + ".." + std::to_string(last.value));
    }
    auto run = runs_.find(Key{a.actor.value, a.cid});
    if (run == runs_.end() || run->second.first != first || run->second.last != last) {
      return fail("the log scan disagrees with find_command for " + a.cid);
    }
    if (a.kind == "setup") return true;  // its first event (AccountCreated) names no entity
    auto e = log.read(first);
    if (!e || !*e) return fail("cannot read seq " + std::to_string(first.value));
    auto id = first_entity(a.kind, **e);
    if (!id) return fail(a.cid + ": " + id.error().to_string());
    if (*id != a.id) {
      return fail(a.kind + " " + a.cid + " acknowledged id " + std::to_string(a.id) + " but the log says " +
                  std::to_string(*id));
    }
    return true;
  }

  // (user, client message id) -> message ids, as state.sqlite3 holds them (one scan: the messages
  // table has no index on the client id, and a query per acknowledgement would be quadratic).
  using MessagesByClientId = std::map<Key, std::vector<int64_t>>;
  static Result<MessagesByClientId> messages_by_client_id(sqlite::Db& state) {
    auto st = state.prepare("SELECT creator_id, client_message_id, id FROM messages WHERE client_message_id IS NOT NULL");
    if (!st) return st.take_error();
    MessagesByClientId out;
    while (true) {
      auto row = st->step();
      if (!row) return row.take_error();
      if (!*row) return out;
      out[Key{st->col_int(0), std::string(st->col_text(1))}].push_back(st->col_int(2));
    }
  }

  // A posted message is in the projections exactly once, under the acknowledged id.
  bool check_message(const MessagesByClientId& messages, const Key& k, int64_t id) {
    auto it = messages.find(k);
    if (it == messages.end() || it->second.size() != 1 || it->second[0] != id) {
      std::string got;
      if (it != messages.end()) {
        for (auto i : it->second) got += " " + std::to_string(i);
      }
      return fail("client message id " + k.second + " of user " + std::to_string(k.first) + " (acknowledged as message " +
                  std::to_string(id) + ") names messages [" + got + " ] in state.sqlite3");
    }
    return true;
  }

  // Scans the events after the previous end: each (actor, command id) is one contiguous run
  // whose first event type occurs once in it (a repeated command would show a second head).
  bool scan_new_events(const EventLog& log) {
    std::string problem;
    auto st = log.scan(last_seq_, Seq(INT64_MAX), [&](const StoredEvent& e) -> Status {
      if (e.command_id.empty()) return ok_status();
      Key k{e.actor.value, e.command_id};
      auto [it, inserted] = runs_.try_emplace(k, Run{e.seq, e.seq, e.type});
      if (inserted) return ok_status();
      Run& r = it->second;
      if (r.last.next() != e.seq) {
        problem = "command id " + e.command_id + " of actor " + std::to_string(e.actor.value) + " appears at seq " +
                  std::to_string(r.first.value) + ".." + std::to_string(r.last.value) + " and again at seq " +
                  std::to_string(e.seq.value);
        return Error{ErrorCode::kConflict, problem};
      }
      if (e.type == r.head_type) {
        problem = "command id " + e.command_id + " appended " + std::string(event_type_name(e.type)) +
                  " twice (seq " + std::to_string(r.first.value) + " and " + std::to_string(e.seq.value) + ")";
        return Error{ErrorCode::kConflict, problem};
      }
      r.last = e.seq;
      return ok_status();
    });
    if (!st.ok()) return fail(problem.empty() ? "scan: " + st.error().to_string() : problem);
    return true;
  }

  static Result<std::string> query_text(sqlite::Db& db, const std::string& sql) {
    auto st = db.prepare(sql);
    if (!st) return st.take_error();
    std::string out;
    while (true) {
      auto row = st->step();
      if (!row) return row.take_error();
      if (!*row) return out;
      if (!out.empty()) out += "; ";
      for (int i = 0; i < st->columns(); ++i) out += (i ? " " : "") + std::string(st->col_text(i));
    }
  }

  bool check_after_kill(int iter) {
    // (a) the binary verifies the log exactly as the kill left it (before anything repairs it).
    // 126/127 mean the binary could not be executed at all (e.g. being relinked by a concurrent
    // build), not that it judged the log: retry that for a while.
    auto [rc, out] = run_command(shell_quoted(HEARTH_BINARY) + " replay verify " + shell_quoted(dir_));
    for (int attempt = 0; (rc == 126 || rc == 127) && attempt < 60; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      std::tie(rc, out) = run_command(shell_quoted(HEARTH_BINARY) + " replay verify " + shell_quoted(dir_));
    }
    if (rc != 0 || !out.starts_with("ok")) {
      return fail("`hearth replay verify` after kill " + std::to_string(iter) + " exited " + std::to_string(rc) + ": " + out);
    }

    // Start-up as the server does it: verify, catch up the projections, load the write model.
    {
      auto data = DataDir::open(dir_);
      if (!data) return fail("DataDir::open after kill -9: " + data.error().to_string());
    }

    EventLog::Options lo;
    lo.read_only = true;
    lo.create = false;
    lo.verify_on_open = true;
    auto log = EventLog::open(dir_ + "/log.sqlite3", lo);
    if (!log) return fail("EventLog::open (verifying) after kill -9: " + log.error().to_string());
    EventLog& l = **log;
    if (l.last_seq() < last_seq_) {
      return fail("the log shrank from seq " + std::to_string(last_seq_.value) + " to " + std::to_string(l.last_seq().value));
    }
    if (last_seq_.value > 0) {
      auto prev = l.read(last_seq_);
      if (!prev || !*prev || (*prev)->chain != last_chain_) {
        return fail("history rewritten: the chain at seq " + std::to_string(last_seq_.value) + " changed");
      }
    }
    if (!scan_new_events(l)) return false;

    auto state = sqlite::Db::open(dir_ + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
    if (!state) return fail("open state: " + state.error().to_string());
    auto applied = state->query_int("SELECT applied_seq FROM meta");
    if (!applied || !*applied || **applied != l.last_seq().value) {
      return fail("after start-up the projections are not caught up with the log (log ends at " +
                  std::to_string(l.last_seq().value) + ")");
    }

    auto messages = messages_by_client_id(*state);
    if (!messages) return fail("reading messages: " + messages.error().to_string());

    // (b) every acknowledgement of this run.
    for (auto& a : new_acks_) {
      Key k{a.actor.value, a.cid};
      if (a.seq > l.last_seq()) {
        return fail(a.cid + " acknowledged with seq " + std::to_string(a.seq.value) + " beyond the log's end " +
                    std::to_string(l.last_seq().value));
      }
      if (!check_in_log(l, a)) return false;
      auto earlier = acked_.find(k);
      if (a.kind == "resub") {
        ++resubmitted_;
        if (earlier != acked_.end()) {
          // I6 across a crash: the original outcome, nothing appended.
          if (!a.replayed || a.id != earlier->second.id || a.seq != earlier->second.seq) {
            return fail("re-submitted " + a.cid + " (first acknowledged as message " + std::to_string(earlier->second.id) +
                        " at seq " + std::to_string(earlier->second.seq.value) + ") came back as " +
                        std::to_string(a.id) + " at seq " + std::to_string(a.seq.value) +
                        (a.replayed ? " (replayed)" : " (new)"));
          }
          ++resubmitted_replayed_;
          continue;
        }
        if (a.replayed) {
          ++recovered_unacked_;  // committed before a kill that came before its ack
          ++resubmitted_replayed_;
        } else {
          ++resubmitted_new_;
        }
        a.kind = "post";
      } else if (a.replayed || earlier != acked_.end()) {
        return fail("a fresh command id " + a.cid + " was acknowledged as a repeat");
      }
      acked_.emplace(k, a);
      if (a.kind == "post") acked_posts_.push_back(k);
      if (a.kind == "post" && !check_message(*messages, k, a.id)) return false;
    }
    // No (user, client message id) names two messages: also the ones sent but never acknowledged.
    auto dup = query_text(*state,
                          "SELECT creator_id, client_message_id, count(*) FROM messages "
                          "GROUP BY creator_id, client_message_id HAVING count(*) > 1 LIMIT 5");
    if (!dup) return fail(dup.error().to_string());
    if (!dup->empty()) return fail("duplicate messages: " + *dup);
    if (!check_integrity(*state, "state.sqlite3")) return false;
    if (!check_integrity(l.db(), "log.sqlite3")) return false;
    last_seq_ = l.last_seq();
    last_chain_ = l.last_chain();

    return check_projections(**log, iter);
  }

  bool check_integrity(sqlite::Db& db, const std::string& name) {
    auto r = query_text(db, "PRAGMA integrity_check");
    if (!r) return fail(name + " integrity_check: " + r.error().to_string());
    if (*r != "ok") return fail(name + " integrity_check: " + *r);
    return true;
  }

  // (c) The live projections equal a fold of the log, row by row. Every iteration compares with
  // a shadow projection that only this process writes, caught up from the log after each kill
  // (the same fold, in different batches, never interrupted); every kFullRebuildEvery iterations
  // and after the last, with a from-scratch `replay::rebuild_projection` as well. (A full
  // rebuild after every kill costs O(log) each time: ~2 s at 50k events.)
  static constexpr int kFullRebuildEvery = 10;

  bool check_projections(const EventLog& log, int iter) {
    std::filesystem::path live = std::filesystem::path(dir_) / "state.sqlite3";
    if (!shadow_) {
      auto opened = Projector::open(tmp_.file("shadow.sqlite3"));
      if (!opened) return fail("open the shadow projection: " + opened.error().to_string());
      shadow_ = std::move(*opened);
    }
    if (auto st = shadow_->catch_up(log); !st.ok()) return fail("shadow catch-up: " + st.error().to_string());
    if (!same_rows(tmp_.file("shadow.sqlite3"), live, "the shadow projection (caught up from the log)", iter)) {
      return false;
    }
    if ((iter + 1) % kFullRebuildEvery != 0 && iter + 1 != config_.kills) return true;
    std::filesystem::path rebuilt = tmp_.file("rebuilt-" + std::to_string(iter) + ".sqlite3");
    auto report = replay::rebuild_projection(dir_, rebuilt);
    if (!report) return fail("rebuild: " + report.error().to_string());
    if (report->applied_seq != last_seq_) return fail("rebuild stopped at seq " + std::to_string(report->applied_seq.value));
    ++full_rebuilds_;
    if (!same_rows(rebuilt, live, "a from-scratch rebuild (kept at " + rebuilt.string() + ")", iter)) return false;
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(rebuilt.string() + suffix, ec);
    return true;
  }

  bool same_rows(const std::filesystem::path& folded, const std::filesystem::path& live, const std::string& what, int iter) {
    std::ostringstream out;
    auto diff = replay::diff_states(folded, live, out);
    if (!diff) return fail("diff: " + diff.error().to_string());
    if (!diff->equal()) {
      return fail(what + " differs from the live state.sqlite3 after kill " + std::to_string(iter) + " (" +
                  std::to_string(diff->differences) + " differences):\n" + out.str());
    }
    ++diffs_;
    return true;
  }

  // After the last kill: every acknowledgement of every run, against the final log and state.
  void final_check() {
    EventLog::Options lo;
    lo.read_only = true;
    lo.create = false;
    auto log = EventLog::open(dir_ + "/log.sqlite3", lo);
    ASSERT_TRUE(log.ok()) << log.error().to_string();
    auto state = sqlite::Db::open(dir_ + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
    ASSERT_TRUE(state.ok()) << state.error().to_string();
    auto by_client_id = messages_by_client_id(*state);
    ASSERT_TRUE(by_client_id.ok()) << by_client_id.error().to_string();
    for (auto& [k, a] : acked_) {
      if (!check_in_log(**log, a)) return;
      if (a.kind == "post" && !check_message(*by_client_id, k, a.id)) return;
    }
    auto messages = state->query_int("SELECT count(*) FROM messages");
    ASSERT_TRUE(messages.ok() && *messages);
    EXPECT_GE(**messages, static_cast<int64_t>(acked_posts_.size()));
  }

  struct Run {
    Seq first, last;
    uint32_t head_type = 0;
  };

  LoopConfig config_;
  uint64_t seed_;
  std::mt19937_64 rng_;
  TempDir tmp_;
  std::string dir_;
  int kills_ = 0;
  Seq last_seq_;
  uint64_t last_chain_ = 0;
  std::map<Key, Run> runs_;            // every command id in the log
  std::map<Key, AckRecord> acked_;     // first acknowledgement of each command
  std::vector<Key> acked_posts_;
  std::map<Key, SentPost> sent_;       // every post ever sent
  std::vector<SentPost> sent_last_run_;
  std::vector<AckRecord> new_acks_;
  int64_t resubmitted_ = 0, resubmitted_replayed_ = 0, resubmitted_new_ = 0, recovered_unacked_ = 0;
  std::unique_ptr<Projector> shadow_;
  int diffs_ = 0, full_rebuilds_ = 0;
};

TEST(Kill9Test, EveryAcknowledgedCommandSurvivesExactlyOnce) {
  // Mostly fresh load: posts, boosts, edits, a few rooms and joins; a few re-submissions.
  CrashLoop loop(LoopConfig{.kills = kills_for(0.6), .resubmit_recent = 4, .resubmit_acked = 4}, test_seed());
  loop.run();
}

TEST(Kill9Test, ResubmittedCommandIdsStayOneMessageAcrossKills) {
  // Each restart re-submits many ids: the last ones sent before the kill (acknowledged or not)
  // and ones acknowledged in earlier runs, while new load runs, and the next kill lands among them.
  CrashLoop loop(LoopConfig{.kills = kills_for(0.4), .resubmit_recent = 40, .resubmit_acked = 40}, test_seed());
  loop.run();
  EXPECT_GT(loop.resubmitted(), 0) << "no re-submission was acknowledged before a kill";
}

}  // namespace
}  // namespace hearth::testing
