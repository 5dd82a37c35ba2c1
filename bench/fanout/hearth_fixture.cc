#include "bench/fanout/hearth_fixture.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <future>

#include "core/sqlite/db.h"
#include "projections/data_dir.h"
#include "server/api.h"
#include "server/server.h"
#include "server/realtime/realtime.h"

namespace hearth::bench {

namespace {
[[noreturn]] void die(const std::string& what) {
  fmt::print(stderr, "fanout: {}\n", what);
  std::exit(1);
}
}  // namespace

struct HearthServer::Impl {
  Options options;
  std::unique_ptr<DataDir> data;
  std::shared_ptr<server::Api> api;
  std::unique_ptr<server::realtime::Realtime> realtime;
  std::unique_ptr<server::Server> server;
};

HearthServer::HearthServer(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  std::filesystem::create_directories(impl_->options.dir);
  spdlog::set_level(spdlog::level::warn);  // a line per connection would be the benchmark's cost
}

HearthServer::~HearthServer() { stop(); }

void HearthServer::start(uint16_t port) {
  Impl& s = *impl_;
  DataDir::Options data_options;
  data_options.durability = s.options.durability;
  auto data = DataDir::open(s.options.dir, data_options);
  if (!data.ok()) die("open data dir: " + data.error().to_string());
  s.data = std::move(*data);
  auto api = server::Api::open(s.options.dir, &s.data->sequencer(), server::Api::Options{});
  if (!api.ok()) die("open api: " + api.error().to_string());
  s.api = std::move(*api);
  auto realtime = server::realtime::Realtime::open(s.options.dir, s.data->sequencer(), *s.api, {});
  if (!realtime.ok()) die("open realtime: " + realtime.error().to_string());
  s.realtime = std::move(*realtime);
  server::Config config;
  config.listen_address = "127.0.0.1";
  config.port = port;
  config.data_dir = s.options.dir;
  config.durability = s.options.durability;
  config.io_threads = s.options.io_threads;
  config.max_connections = s.options.max_connections;
  config.web_root = s.options.dir;  // no static files needed
  s.server = std::make_unique<server::Server>(config, &s.data->sequencer());
  s.api->add_routes(s.server->router());
  s.realtime->add_routes(s.server->router());
  s.server->on_stop([rt = s.realtime.get()] { rt->stop(); });
  if (auto st = s.server->start(); !st.ok()) die("listen: " + st.error().message);
}

void HearthServer::stop() {
  Impl& s = *impl_;
  if (!s.server) return;
  s.server->stop();
  s.api->stop();
  s.data->sequencer().stop();
  s.server.reset();
  s.realtime.reset();
  s.api.reset();
  s.data.reset();
}

bool HearthServer::running() const { return impl_->server != nullptr; }
uint16_t HearthServer::port() const { return impl_->server->port(); }
std::string HearthServer::origin() const { return fmt::format("http://127.0.0.1:{}", port()); }
Sequencer& HearthServer::sequencer() { return impl_->data->sequencer(); }
int64_t HearthServer::head() const { return impl_->data->sequencer().committed_seq().value; }

Account HearthServer::create_account(int people) {
  Sequencer& seq = sequencer();
  // Any digest will do: nobody signs in with a password here.
  const std::string digest = "$argon2id$bench", ip = "127.0.0.1", agent = "bench/fanout";
  auto first = seq.execute({kSystemActor, "", cmd::SetupFirstRun{"Admin", "admin@example.com", digest, ip, agent}});
  if (!first.ok()) die("first run: " + first.error().to_string());
  auto state = sqlite::Db::open(impl_->data->state_path(), sqlite::Db::Mode::kReadOnly);
  if (!state.ok()) die("open state: " + state.error().to_string());
  auto code_row = state->prepare("SELECT join_code FROM account");
  if (!code_row.ok() || !*code_row->step()) die("no account after first run");
  std::string code(code_row->col_text(0));
  Account a;
  a.cookies.push_back("session_token=" + first->secret);
  std::vector<std::future<Outcome>> joins;
  for (int i = 1; i < people; ++i) {
    joins.push_back(seq.submit({kSystemActor, "", cmd::JoinAccount{code, fmt::format("User {}", i),
                                                                   fmt::format("user{}@example.com", i), digest, ip,
                                                                   agent}}));
  }
  for (auto& j : joins) {
    Outcome o = j.get();
    if (!o.ok()) die("join: " + o.error().to_string());
    a.cookies.push_back("session_token=" + o->secret);
  }
  seq.wait_applied(seq.committed_seq());
  auto room = state->query_int("SELECT id FROM rooms WHERE name = 'All Talk'");
  if (!room.ok() || !*room) die("no All Talk room");
  a.room = RoomId(**room);
  auto users = state->prepare("SELECT id FROM users ORDER BY id");
  if (!users.ok()) die("users: " + users.error().to_string());
  while (*users->step()) a.users.emplace_back(users->col_int(0));
  return a;
}

}  // namespace hearth::bench
