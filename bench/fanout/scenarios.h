#pragma once
// bench/fanout's scenarios (issue 3 §7). Each prints a small table; main.cc picks them by flag.
#include <string>
#include <vector>

namespace hearth::bench {

struct Flags {
  std::string scenario = "all";  // fanout | post | resume | storm | memory | all
  std::vector<int> clients = {100, 1000};  // fan-out room sizes
  double seconds = 3, warmup = 0.5;        // per measured run
  int runs = 3;                            // figures are medians of this many runs
  int posters = 4;                         // clients that also post, in the fan-out
  int window = 64;                         // flat out: posts in flight (a post retires when all received it)
  double fixed_deliveries = 20'000;        // fixed rate: posts/s = this / clients (light load)
  int minimal_bytes = 300;  // padding of the minimal server's messages: ~ the bytes of a Hearth post event
  int server_threads = 1;                  // IO threads of both servers
  std::string dir;                         // data directories go under it (default /dev/shm, else /tmp)
  std::string durable_dir;                 // the posting scenario's (default /tmp: a real disk)
  int post_clients = 16;
  int resume_events = 100'000;
  std::vector<int> resume_clients = {1, 10};
  int storm_clients = 1000;
  int storm_missed = 10;  // posts appended right after the restart
  std::vector<int> memory_connections = {1000, 10000};
  bool quick = false;
  std::string serve_child;  // internal: --serve-child minimal|hearth (memory scenario's server)
};

[[noreturn]] void die(const std::string& what);
std::string fresh_dir(const std::string& parent, const std::string& name);

void fanout_scenario(const Flags& flags);
void post_scenario(const Flags& flags);
void resume_scenario(const Flags& flags);
void storm_scenario(const Flags& flags);
void memory_scenario(const Flags& flags);
int serve_child(const Flags& flags);

}  // namespace hearth::bench
