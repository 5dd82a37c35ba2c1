// bench/fanout: Hearth's realtime figures (issue 3 §7) beside the limit — a minimal Beast broadcast
// server with no log, auth or JSON — in the same run, on the same machine.
//
// Usage: fanout [--scenario fanout|post|resume|storm|memory|all] [--clients 100,1000] [--seconds S]
//               [--warmup S] [--runs N] [--posters N] [--window N] [--fixed-deliveries D]
//               [--minimal-bytes N] [--server-threads N] [--dir D] [--durable-dir D] [--post-clients N]
//               [--resume-events N] [--resume-clients 1,10] [--storm-clients N] [--storm-missed N]
//               [--memory-connections 1000,10000] [--quick]
// --quick: one short run of each (what `make bench` runs).
#include <fmt/format.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "bench/fanout/scenarios.h"

namespace hearth::bench {

void die(const std::string& what) {
  fmt::print(stderr, "fanout: {}\n", what);
  std::exit(1);
}

std::string fresh_dir(const std::string& parent, const std::string& name) {
  std::string tmpl = parent + "/hearth-fanout-" + name + "-XXXXXX";
  if (!mkdtemp(tmpl.data())) die("mkdtemp in " + parent + " failed");
  return tmpl;
}

namespace {

std::vector<int> int_list(const std::string& s) {
  std::vector<int> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoi(item));
  return out;
}

Flags parse(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--quick") f.quick = true;
    else if (a == "--scenario") f.scenario = next();
    else if (a == "--clients") f.clients = int_list(next());
    else if (a == "--seconds") f.seconds = std::stod(next());
    else if (a == "--warmup") f.warmup = std::stod(next());
    else if (a == "--runs") f.runs = std::stoi(next());
    else if (a == "--posters") f.posters = std::stoi(next());
    else if (a == "--window") f.window = std::stoi(next());
    else if (a == "--fixed-deliveries") f.fixed_deliveries = std::stod(next());
    else if (a == "--minimal-bytes") f.minimal_bytes = std::stoi(next());
    else if (a == "--server-threads") f.server_threads = std::stoi(next());
    else if (a == "--dir") f.dir = next();
    else if (a == "--durable-dir") f.durable_dir = next();
    else if (a == "--post-clients") f.post_clients = std::stoi(next());
    else if (a == "--resume-events") f.resume_events = std::stoi(next());
    else if (a == "--resume-clients") f.resume_clients = int_list(next());
    else if (a == "--storm-clients") f.storm_clients = std::stoi(next());
    else if (a == "--storm-missed") f.storm_missed = std::stoi(next());
    else if (a == "--memory-connections") f.memory_connections = int_list(next());
    else if (a == "--serve-child") f.serve_child = next();
    else die("unknown flag " + a + " (see the comment at the top of bench/fanout/main.cc)");
  }
  if (f.quick) {
    f.runs = 1;
    f.seconds = 1;
    f.warmup = 0.3;
  }
  if (f.dir.empty()) f.dir = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
  if (f.durable_dir.empty()) f.durable_dir = std::filesystem::temp_directory_path().string();
  if (f.runs < 1 || f.seconds <= 0 || f.posters < 1 || f.window < 1 || f.server_threads < 1) die("flags out of range");
  return f;
}

// 10,000 loopback connections hold 20,000 descriptors when both ends live in this process.
void raise_fd_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

}  // namespace
}  // namespace hearth::bench

int main(int argc, char** argv) {
  using namespace hearth::bench;
  Flags f = parse(argc, argv);
  raise_fd_limit();
  if (!f.serve_child.empty()) return serve_child(f);
  const std::string& s = f.scenario;
  bool all = s == "all";
  if (!all && s != "fanout" && s != "post" && s != "resume" && s != "storm" && s != "memory") {
    die("unknown scenario " + s);
  }
  // Figures on a shared machine mean little without its load beside them.
  std::ifstream loadavg("/proc/loadavg");
  std::string one, five;
  loadavg >> one >> five;
  fmt::print("bench/fanout: data under {} (durable posting under {}); {} cores, load average {} {}\n", f.dir,
             f.durable_dir, std::thread::hardware_concurrency(), one, five);
  if (all || s == "fanout") fanout_scenario(f);
  if (all || s == "post") post_scenario(f);
  if (all || s == "resume") resume_scenario(f);
  if (all || s == "storm") storm_scenario(f);
  if (all || s == "memory") memory_scenario(f);
  return 0;
}
