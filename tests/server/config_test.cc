// Configuration layers (server/config.h): defaults < TOML < HEARTH_* < flags, and every bad value
// is an error naming its key.
#include "server/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "support/temp_dir.h"

namespace hearth::server {
namespace {

TEST(ConfigTest, DefaultsServeLoopbackOnPort8080) {
  Config c;
  EXPECT_EQ(c.listen_address, "127.0.0.1");
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.durability, Durability::kFull);
  EXPECT_EQ(c.io_threads, 2);
  EXPECT_EQ(c.metrics_port, 0) << "no metrics listener unless asked for";
  EXPECT_EQ(c.metrics_address, "127.0.0.1");
  EXPECT_TRUE(validate(c).ok());
}

TEST(ConfigTest, TomlSetsEveryKindOfKey) {
  Config c;
  auto s = apply_toml_string(c, R"(
    listen_address = "0.0.0.0"
    port = 9000
    durability = "normal"
    io_threads = 4
    max_body_bytes = 4096
    web_root = "/srv/web"
    trusted_proxies = ["10.0.0.0/8", "::1"]
    log_json = true
  )", "test.toml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(c.listen_address, "0.0.0.0");
  EXPECT_EQ(c.port, 9000);
  EXPECT_EQ(c.durability, Durability::kNormal);
  EXPECT_EQ(c.io_threads, 4);
  EXPECT_EQ(c.max_body_bytes, 4096u);
  EXPECT_EQ(c.web_root, "/srv/web");
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  EXPECT_TRUE(c.log_json);
}

TEST(ConfigTest, TomlFileIsRead) {
  testing::TempDir dir;
  std::ofstream(dir.file("hearth.toml")) << "port = 1234\n";
  Config c;
  ASSERT_TRUE(apply_toml_file(c, dir.file("hearth.toml")).ok());
  EXPECT_EQ(c.port, 1234);
  auto missing = apply_toml_file(c, dir.file("nope.toml"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nope.toml"), std::string::npos);
}

TEST(ConfigTest, TomlErrorsNameTheKeyOrLine) {
  Config c;
  auto unknown = apply_toml_string(c, "prot = 80\n", "x.toml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("prot"), std::string::npos);

  auto syntax = apply_toml_string(c, "port = = 80\n", "x.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.error().message.find("x.toml:1"), std::string::npos) << syntax.error().message;

  auto wrong_type = apply_toml_string(c, "port = \"eighty\"\n", "x.toml");
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.error().message.find("port"), std::string::npos);

  auto list_as_scalar = apply_toml_string(c, "trusted_proxies = \"10.0.0.1\"\n", "x.toml");
  EXPECT_FALSE(list_as_scalar.ok());
}

TEST(ConfigTest, BadValuesAreRefusedWithWhatWasExpected) {
  Config c;
  for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"port", "65536"}, {"port", "-1"}, {"port", "80x"}, {"port", ""}, {"io_threads", "0"},
           {"durability", "fast"}, {"listen_address", "localhost"}, {"log_json", "maybe"},
           {"trusted_proxies", "10.0.0.0/33"}, {"trusted_proxies", "proxy.example"}, {"max_body_bytes", "0"},
           {"metrics_address", "::1"}, {"metrics_port", "70000"}}) {
    auto s = set_config_key(c, key, value);
    ASSERT_FALSE(s.ok()) << key << "=" << value;
    EXPECT_NE(s.error().message.find(key), std::string::npos) << s.error().message;
  }
  EXPECT_EQ(c.port, 8080) << "a refused value changes nothing";
}

TEST(ConfigTest, EnvironmentOverridesToml) {
  Config c;
  ASSERT_TRUE(apply_toml_string(c, "port = 9000\nio_threads = 3\n", "t.toml").ok());
  std::map<std::string, std::string> env = {{"HEARTH_PORT", "9100"},
                                            {"HEARTH_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"},
                                            {"HEARTH_DATA_DIR", "/var/lib/hearth"}};
  auto lookup = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  ASSERT_TRUE(apply_env(c, lookup).ok());
  EXPECT_EQ(c.port, 9100);
  EXPECT_EQ(c.io_threads, 3);
  EXPECT_EQ(c.data_dir, "/var/lib/hearth");
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8"}));

  env = {{"HEARTH_DURABILITY", "sometimes"}};
  auto bad = apply_env(c, lookup);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("HEARTH_DURABILITY"), std::string::npos);
}

TEST(ConfigTest, EveryKeyIsSettable) {
  for (const auto& k : config_keys()) {
    Config c;
    std::string sample = k.name == "durability"                                       ? "normal"
                         : k.name == "log_json"                                       ? "true"
                         : k.name.find("address") != std::string_view::npos || k.list ? "127.0.0.1"
                         : k.name.find("port") != std::string_view::npos || k.name.find("_") != std::string_view::npos
                             ? "5"
                             : "x";
    if (k.name == "data_dir" || k.name == "web_root" || k.name == "tls_cert" || k.name == "tls_key") sample = "x";
    if (k.name == "test_outgoing_origin") sample = "127.0.0.1:5";
    auto s = set_config_key(c, k.name, sample);
    EXPECT_TRUE(s.ok()) << k.name << ": " << s.error().message;
  }
}

TEST(ConfigTest, TlsCertWithoutKeyIsRefused) {
  Config c;
  c.tls_cert = "cert.pem";
  EXPECT_FALSE(validate(c).ok());
  c.tls_key = "key.pem";
  EXPECT_TRUE(validate(c).ok());
}

}  // namespace
}  // namespace hearth::server
