// The memory scenario: a server's resident memory idle and per idle connection, with the server in a
// process of its own (this program again, --serve-child), so the figure is the server's alone and
// 10,000 connections need 10,000 descriptors on each side, not 20,000 in one process.
#include <fmt/format.h>
#include <signal.h>
#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>

#include "bench/fanout/crowd.h"
#include "bench/fanout/hearth_fixture.h"
#include "bench/fanout/minimal_server.h"
#include "bench/fanout/scenarios.h"
#include "bench/fanout/stats.h"

namespace hearth::bench {

namespace {

constexpr int kChildPeople = 100;  // connections share these sessions (a person with many tabs)

struct Child {
  FILE* pipe = nullptr;
  int pid = 0;
  uint16_t port = 0;
  int64_t head = 0;
  std::string origin;
  std::vector<std::string> cookies;

  int64_t rss() const { return rss_kb(fmt::format("/proc/{}/status", pid)); }
  ~Child() {
    if (pid) kill(pid, SIGTERM);
    if (pipe) pclose(pipe);
  }
};

std::optional<std::string> read_line(FILE* f) {
  char buf[4096];
  if (!std::fgets(buf, sizeof buf, f)) return std::nullopt;
  std::string s(buf);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::unique_ptr<Child> spawn(const std::string& kind, const Flags& f) {
  auto c = std::make_unique<Child>();
  std::string self = std::filesystem::read_symlink("/proc/self/exe");
  c->pipe = popen(fmt::format("'{}' --serve-child {} --dir '{}' --server-threads {}", self, kind, f.dir,
                              f.server_threads).c_str(), "r");
  if (!c->pipe) die("popen failed");
  auto first = read_line(c->pipe);
  int pid = 0, port = 0, people = 0;
  long long head = 0;
  if (!first || std::sscanf(first->c_str(), "%d %d %d %lld", &pid, &port, &people, &head) != 4) {
    die("serve-child did not start");
  }
  c->head = head;
  c->pid = pid;
  c->port = static_cast<uint16_t>(port);
  c->origin = fmt::format("http://127.0.0.1:{}", port);
  for (int i = 0; i < people; ++i) c->cookies.push_back(read_line(c->pipe).value_or(""));
  return c;
}

}  // namespace

// The child: serves until SIGTERM. Prints "pid port people head", then one cookie per line.
int serve_child(const Flags& f) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts, so all inherit it
  std::optional<MinimalServer> minimal;
  std::optional<HearthServer> hearth;
  std::string dir;
  Account account;
  uint16_t port = 0;
  if (f.serve_child == "minimal") {
    minimal.emplace(MinimalServer::Mode::kJoined, f.server_threads);
    port = minimal->start();
  } else if (f.serve_child == "hearth") {
    dir = fresh_dir(f.dir, "memory");
    hearth.emplace(HearthServer::Options{dir, Durability::kFull, f.server_threads});
    hearth->start();
    account = hearth->create_account(kChildPeople);
    port = hearth->port();
  } else {
    die("--serve-child minimal|hearth");
  }
  fmt::print("{} {} {} {}\n", getpid(), port, account.cookies.size(), hearth ? hearth->head() : 0);
  for (const auto& c : account.cookies) fmt::print("{}\n", c);
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  if (hearth) hearth->stop();
  if (minimal) minimal->stop();
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return 0;
}

void memory_scenario(const Flags& f) {
  std::vector<int> sizes = f.memory_connections;
  if (f.quick) sizes = {1000};
  fmt::print("\nmemory: resident set of the server process (a child of its own), idle, then with N idle\n"
             "  connections (Hearth: welcomed, {} people sharing them); each N on a fresh child\n",
             kChildPeople);
  fmt::print("  {:<10} {:>8} {:>12} {:>12} {:>14}\n", "server", "N", "idle KiB", "with N KiB", "KiB/connection");
  for (std::string kind : {"minimal", "hearth"}) {
    for (int n : sizes) {
      auto child = spawn(kind, f);
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      int64_t idle = child->rss();
      Crowd crowd({child->port, kind == "hearth", child->origin, child->cookies, n, child->head, false});
      if (!crowd.connect_all(120)) {
        fmt::print("  {:<10} {:>8} {:>12} (connect failed: {})\n", kind, n, idle, crowd.first_error());
        continue;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      int64_t with = child->rss();
      fmt::print("  {:<10} {:>8} {:>12} {:>12} {:>14.1f}\n", kind, n, idle, with,
                 static_cast<double>(with - idle) / n);
      crowd.close_all();
    }
  }
}

}  // namespace hearth::bench
