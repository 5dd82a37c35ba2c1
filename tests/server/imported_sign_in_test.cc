// Issue 4's last promise, end to end: the shared Rails fixture imported by the real `hearth import`
// command, then served, and its people sign in over HTTP with their Rails passwords (bcrypt, then
// rehashed to argon2id on that first sign-in). Skipped when the fixture is not next to the tree.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/sqlite/db.h"
#include "http_client.h"
#include "projections/data_dir.h"
#include "server/api.h"
#include "server/server.h"
#include "support/temp_dir.h"

namespace hearth::server {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace testing;
using http::Verb;

fs::path fixture() {
  if (const char* env = std::getenv("HEARTH_CAMPFIRE_FIXTURE")) return env;
  return fs::path(HEARTH_SOURCE_DIR) / ".." / "shared" / "fixtures" / "campfire-rails-small.sqlite3";
}

TEST(ImportedSignIn, RailsPeopleSignInWithTheirOldPasswordsAndAreRehashed) {
  fs::path source = fixture();
  if (!fs::exists(source)) GTEST_SKIP() << "no fixture at " << source;
  fs::path manifest_path = source;
  manifest_path.replace_extension();
  std::ifstream in(manifest_path.string() + ".manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  json::value manifest = json::parse(text.str());

  TempDir dir;
  std::string data = dir.file("data");
  std::string command = std::string(HEARTH_BINARY) + " import --from '" + source.string() + "' --to '" + data +
                        "' > '" + dir.file("import.log") + "' 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << "see " << dir.file("import.log");

  DataDir::Options options;
  options.verify_rest_in_background = false;
  auto data_dir = DataDir::open(data, options);
  ASSERT_TRUE(data_dir.ok()) << data_dir.error().to_string();
  Api::Options api_options;
  api_options.password_threads = 2;
  api_options.sign_in_limit = 1'000;  // three tries per person from one address
  auto api = Api::open(data, &(*data_dir)->sequencer(), api_options);
  ASSERT_TRUE(api.ok()) << api.error().to_string();
  std::filesystem::create_directories(dir.path() / "web");
  Config config;
  config.port = 0;
  config.web_root = dir.file("web");
  Server server(config, &(*data_dir)->sequencer());
  (*api)->add_routes(server.router());
  ASSERT_TRUE(server.start().ok());

  auto digest_of = [&](int64_t user) {
    auto db = sqlite::Db::open(data + "/state.sqlite3", sqlite::Db::Mode::kReadOnly);
    auto s = db->prepare("SELECT password_digest FROM users WHERE id = ?");
    s->bind(1, user);
    EXPECT_TRUE(*s->step());
    return std::string(s->col_text(0));
  };
  auto sign_in = [&](const std::string& email, const std::string& password) {
    return call(server.port(), Verb::post, "/api/session",
                json::serialize(json::object{{"email", email}, {"password", password}}));
  };

  int signed_in = 0;
  for (const auto& p : manifest.at("passwords").as_array()) {
    std::string email(p.at("email_address").as_string()), password(p.at("password").as_string());
    int64_t id = p.at("user_id").as_int64();
    SCOPED_TRACE(email);
    auto wrong = sign_in(email, password + "x");
    EXPECT_EQ(wrong.result_int(), 401u);
    auto res = sign_in(email, password);
    if (p.at("status").as_string() != "active") {
      EXPECT_EQ(res.result_int(), 401u) << "a " << p.at("status").as_string() << " user signed in";
      continue;
    }
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    auto session = session_from(res);
    ASSERT_TRUE(session);
    auto me = body_of(call(server.port(), Verb::get, "/api/bootstrap", "", session->headers(false)));
    EXPECT_EQ(me.at("me").at("id").as_int64(), id);
    ++signed_in;
    // The Rails bcrypt digest was replaced by argon2id on this sign-in, and the old password
    // still works against the new digest.
    (*data_dir)->sequencer().wait_applied((*data_dir)->sequencer().committed_seq());
    EXPECT_EQ(digest_of(id).rfind("$argon2id$", 0), 0u) << digest_of(id);
    EXPECT_EQ(sign_in(email, password).result_int(), 200u);
  }
  EXPECT_GE(signed_in, 2);
  server.stop();
  (*api)->stop();
  (*data_dir)->sequencer().stop();
}

}  // namespace
}  // namespace hearth::server
