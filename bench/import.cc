// bench/import: `hearth import` throughput and memory on a generated Campfire-shaped database.
//
//   import [MESSAGES]   (default 200000)
//
// Generates a Rails Campfire database (current schema, 50 users, 20 rooms, Trix bodies with
// mentions in the JSON sgid form, a link preview every 40th message, a boost on every 8th), then
// imports it twice in forked children — MESSAGES/4 and MESSAGES — and prints messages/s and each
// child's peak RSS: memory must not grow with the message count (DESIGN I7), the target is
// >= 50,000 messages/s.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/sqlite/db.h"
#include "migrate/importer.h"

namespace {

namespace fs = std::filesystem;
using hearth::sqlite::Db;

constexpr const char* kSchema = R"sql(
CREATE TABLE accounts (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, created_at datetime(6) NOT NULL, custom_styles text,
  join_code varchar NOT NULL, name varchar NOT NULL, settings json, singleton_guard integer DEFAULT 0 NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, bio text, bot_token varchar, created_at datetime(6) NOT NULL,
  email_address varchar, name varchar NOT NULL, password_digest varchar, role integer DEFAULT 0 NOT NULL,
  status integer DEFAULT 0 NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE rooms (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, created_at datetime(6) NOT NULL, creator_id bigint NOT NULL,
  name varchar, type varchar NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE memberships (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, connected_at datetime(6), connections integer DEFAULT 0 NOT NULL,
  created_at datetime(6) NOT NULL, involvement varchar DEFAULT 'mentions', room_id integer NOT NULL, unread_at datetime(6),
  updated_at datetime(6) NOT NULL, user_id integer NOT NULL);
CREATE TABLE messages (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, client_message_id varchar NOT NULL, created_at datetime(6) NOT NULL,
  creator_id integer NOT NULL, room_id integer NOT NULL, updated_at datetime(6) NOT NULL);
CREATE INDEX index_messages_on_room_id ON messages (room_id);
CREATE INDEX index_messages_on_creator_id ON messages (creator_id);
CREATE TABLE action_text_rich_texts (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, body text, created_at datetime(6) NOT NULL,
  name varchar NOT NULL, record_id bigint NOT NULL, record_type varchar NOT NULL, updated_at datetime(6) NOT NULL);
CREATE UNIQUE INDEX index_action_text_rich_texts_uniqueness ON action_text_rich_texts (record_type, record_id, name);
CREATE TABLE boosts (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, booster_id integer NOT NULL, content varchar(16) NOT NULL,
  created_at datetime(6) NOT NULL, message_id integer NOT NULL, updated_at datetime(6) NOT NULL);
CREATE INDEX index_boosts_on_message_id ON boosts (message_id);
CREATE TABLE active_storage_blobs (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, byte_size bigint NOT NULL, checksum varchar,
  content_type varchar, created_at datetime(6) NOT NULL, filename varchar NOT NULL, key varchar NOT NULL, metadata text, service_name varchar NOT NULL);
CREATE TABLE active_storage_attachments (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, blob_id bigint NOT NULL, created_at datetime(6) NOT NULL,
  name varchar NOT NULL, record_id bigint NOT NULL, record_type varchar NOT NULL);
CREATE UNIQUE INDEX index_active_storage_attachments_uniqueness ON active_storage_attachments (record_type, record_id, name, blob_id);
)sql";

// base64 of {"_rails":{"data":"gid://campfire/User/<id>","pur":"attachable"}}, as Rails writes it.
std::string sgid_for(int user) {
  std::string json = "{\"_rails\":{\"data\":\"gid://campfire/User/" + std::to_string(user) + "\",\"pur\":\"attachable\"}}";
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < json.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(json[i]) << 16) | (static_cast<uint8_t>(json[i + 1]) << 8) | static_cast<uint8_t>(json[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kB64[(v >> s) & 63]);
  }
  if (i < json.size()) {
    uint32_t v = static_cast<uint8_t>(json[i]) << 16;
    if (i + 1 < json.size()) v |= static_cast<uint8_t>(json[i + 1]) << 8;
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(i + 1 < json.size() ? kB64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out + "--0123456789abcdef0123456789abcdef01234567";
}

std::string stamp(int64_t seconds, int micros) {
  time_t t = static_cast<time_t>(1'700'000'000 + seconds);
  struct tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
  return buf;
}

void must(const hearth::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "bench/import: %s\n", s.error().message.c_str());
    std::exit(1);
  }
}

void generate(const fs::path& path, int64_t messages) {
  auto db = Db::open(path.string(), Db::Mode::kReadWriteCreate);
  if (!db) must(db.error());
  must(db->exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN"));
  must(db->exec(kSchema));
  must(db->exec("INSERT INTO accounts (created_at, join_code, name, updated_at) VALUES "
                "('2023-11-14 22:13:20', 'abcd-efgh-ijkl', 'Campfire', '2023-11-14 22:13:20')"));
  constexpr int kUsers = 50, kRooms = 20;
  for (int u = 1; u <= kUsers; ++u) {
    auto st = db->prepare("INSERT INTO users (id, created_at, email_address, name, password_digest, role, updated_at) "
                          "VALUES (?1, '2023-11-14 22:13:21', ?2, ?3, '$2a$12$abcdefghijklmnopqrstuuJ0Tq1dMBTQb1HyIxyFzHjoFPkXHQZIa', 0, '2023-11-14 22:13:21')");
    st->bind(1, int64_t{u}).bind(2, "user" + std::to_string(u) + "@example.com").bind(3, "User " + std::to_string(u));
    must(st->run());
  }
  for (int r = 1; r <= kRooms; ++r) {
    auto st = db->prepare("INSERT INTO rooms (id, created_at, creator_id, name, type, updated_at) VALUES "
                          "(?1, '2023-11-14 22:13:22', 1, ?2, 'Rooms::Open', '2023-11-14 22:13:22')");
    st->bind(1, int64_t{r}).bind(2, "Room " + std::to_string(r));
    must(st->run());
    for (int u = 1; u <= kUsers; ++u) {
      auto m = db->prepare("INSERT INTO memberships (created_at, room_id, user_id, updated_at) VALUES "
                           "('2023-11-14 22:13:22', ?1, ?2, '2023-11-14 22:13:22')");
      m->bind(1, int64_t{r}).bind(2, int64_t{u});
      must(m->run());
    }
  }
  auto msg = db->prepare("INSERT INTO messages (id, client_message_id, created_at, creator_id, room_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?3)");
  auto rt = db->prepare("INSERT INTO action_text_rich_texts (body, created_at, name, record_id, record_type, updated_at) VALUES (?1, ?2, 'body', ?3, 'Message', ?2)");
  auto boost = db->prepare("INSERT INTO boosts (booster_id, content, created_at, message_id, updated_at) VALUES (?1, '👍', ?2, ?3, ?2)");
  for (int64_t i = 1; i <= messages; ++i) {
    std::string at = stamp(100 + i * 7, static_cast<int>((i * 7919) % 1000000));
    int creator = static_cast<int>(i % kUsers) + 1, mentioned = static_cast<int>((i * 13) % kUsers) + 1;
    msg->bind(1, i).bind(2, "c" + std::to_string(i)).bind(3, at).bind(4, int64_t{creator}).bind(5, (i % kRooms) + 1);
    must(msg->run());
    std::string body = "<div>Deploy " + std::to_string(i) + " is <strong>green</strong>, thanks ";
    if (i % 3 == 0) {
      body += "<action-text-attachment sgid=\"" + sgid_for(mentioned) +
              "\" content-type=\"application/vnd.campfire.mention\" content=\"&lt;span class=&quot;mention&quot;&gt;User&lt;/span&gt;\"></action-text-attachment>";
    }
    body += " for the review!</div>";
    if (i % 40 == 0) {
      body += "<div><a href=\"https://example.com/" + std::to_string(i) + "\">https://example.com</a>"
              "<action-text-attachment content-type=\"application/vnd.actiontext.opengraph-embed\" url=\"https://example.com/og.png\" "
              "href=\"https://example.com/\" filename=\"Example\" caption=\"An example\"></action-text-attachment></div>";
    }
    rt->bind(1, body).bind(2, at).bind(3, i);
    must(rt->run());
    if (i % 8 == 0) {
      boost->bind(1, int64_t{creator % kUsers + 1}).bind(2, at).bind(3, i);
      must(boost->run());
    }
  }
  must(db->exec("COMMIT"));
}

// Imports in a child process so ru_maxrss is this import's peak alone.
void run_child(const fs::path& db, const fs::path& out, int64_t messages) {
  pid_t pid = fork();
  if (pid == 0) {
    hearth::migrate::ImportOptions o;
    o.from = db;
    o.to = out;
    auto start = std::chrono::steady_clock::now();
    auto report = hearth::migrate::import_campfire(o);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!report) {
      std::fprintf(stderr, "import failed: %s\n", report.error().message.c_str());
      _exit(1);
    }
    struct rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("import %8lld messages: %6.2f s, %8.0f messages/s (log and projections), %lld events, peak RSS %ld MB\n",
                static_cast<long long>(messages), secs, static_cast<double>(messages) / secs,
                static_cast<long long>(report->events), ru.ru_maxrss / 1024);
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t messages = argc > 1 ? std::atoll(argv[1]) : 200'000;
  if (messages < 4) messages = 4;
  fs::path dir = fs::temp_directory_path() / ("hearth-bench-import-" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (int64_t n : {messages / 4, messages}) {
    fs::path db = dir / ("campfire-" + std::to_string(n) + ".sqlite3");
    auto start = std::chrono::steady_clock::now();
    generate(db, n);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("generated %8lld messages in %.2f s (%lld MB)\n", static_cast<long long>(n), secs,
                static_cast<long long>(fs::file_size(db) >> 20));
    std::fflush(stdout);
    run_child(db, dir / ("data-" + std::to_string(n)), n);
  }
  if (std::getenv("HEARTH_BENCH_KEEP")) {
    std::printf("kept %s\n", dir.c_str());  // for profiling the queries by hand
  } else {
    fs::remove_all(dir);
  }
  return 0;
}
