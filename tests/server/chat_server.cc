#include "chat_server.h"

#include <gtest/gtest.h>

namespace hearth::testing {

void ChatServer::start(const std::string& data_dir, const server::Config& config,
                       const server::realtime::Realtime::Options& realtime_options) {
  DataDir::Options options;
  options.verify_rest_in_background = false;
  auto opened = DataDir::open(data_dir, options);
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  data = std::move(*opened);
  server::Api::Options api_options;
  api_options.password_threads = 2;
  api_options.max_upload_bytes = config.max_upload_bytes;
  api_options.blob_sweep_ms = 100;  // tests wait for a removed message's file to go
  api_options.outgoing_guard = outgoing_guard;
  if (!api_options.outgoing_guard.resolver) api_options.outgoing_guard.resolver = test_resolver();
  auto a = server::Api::open(data_dir, &data->sequencer(), api_options, clock);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  api = std::move(*a);
  auto rt = server::realtime::Realtime::open(data_dir, data->sequencer(), *api, realtime_options);
  ASSERT_TRUE(rt.ok()) << rt.error().to_string();
  realtime = std::move(*rt);
  if (webhooks_options) {
    server::webhooks::Deps deps = webhooks_deps;
    if (!deps.bot_key) deps.bot_key = server::webhooks::vault_bot_key(data_dir, api->bot_keys());
    if (!deps.store_file) deps.store_file = server::webhooks::api_store_file(*api);
    auto w = server::webhooks::open(data_dir, data->sequencer(), deps, *webhooks_options);
    ASSERT_TRUE(w.ok()) << w.error().to_string();
    webhooks = std::move(*w);
  }
  auto s = std::make_unique<server::Server>(config, &data->sequencer());
  api->add_routes(s->router());
  realtime->add_routes(s->router());
  s->on_stop([r = realtime.get()] { r->stop(); });
  auto st = s->start();
  ASSERT_TRUE(st.ok()) << st.error().message;
  server = std::move(s);
}

server::outgoing::Resolver ChatServer::test_resolver() {
  return [](const std::string& host, std::chrono::milliseconds) -> std::vector<server::outgoing::IpAddress> {
    if (host == "localtest.me") return {server::outgoing::ipv4(127, 0, 0, 1)};
    if (host.ends_with(".example")) return {server::outgoing::ipv4(93, 184, 216, 34)};
    return {};
  };
}

void ChatServer::stop() {
  if (server) server->stop();
  if (api) api->stop();
  if (webhooks) webhooks->stop();  // a reply in flight still reaches the sequencer
  if (data) data->sequencer().stop();
  server.reset();
  realtime.reset();
  webhooks.reset();
  api.reset();
  data.reset();
}

}  // namespace hearth::testing
