// Bad input: never a crash, never a partial output directory; a clear error or a reported skip.
#include <gtest/gtest.h>

#include <fstream>

#include "campfire_builder.h"
#include "migrate_support.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

// Imports `source` into t/data and expects a failure with `code` and nothing left behind.
void expect_refused(const TempDir& t, const fs::path& source, ErrorCode code) {
  auto r = import_quietly(source, t.path() / "data");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_FALSE(r.error().message.empty());
  EXPECT_FALSE(fs::exists(t.path() / "data"));
  EXPECT_EQ(leftover_temp_dirs(t.path()), 0);
}

TEST(BadInput, ATextFileIsNotADatabase) {
  TempDir t;
  std::ofstream(t.path() / "notes.txt") << "this is not sqlite\n";
  expect_refused(t, t.path() / "notes.txt", ErrorCode::kInvalid);
}

TEST(BadInput, AMissingFileIsNotFound) {
  TempDir t;
  expect_refused(t, t.path() / "nope.sqlite3", ErrorCode::kNotFound);
}

TEST(BadInput, ASqliteFileThatIsNotCampfireIsRefusedByName) {
  TempDir t;
  {
    auto db = sqlite::Db::open((t.path() / "other.sqlite3").string(), sqlite::Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO things VALUES (1, 'x')").ok());
  }
  auto r = import_quietly(t.path() / "other.sqlite3", t.path() / "data");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a Campfire database"), std::string::npos) << r.error().message;
  expect_refused(t, t.path() / "other.sqlite3", ErrorCode::kInvalid);
}

TEST(BadInput, ACampfireThatWasNeverSetUpIsRefused) {
  TempDir t;
  { CampfireBuilder b(t.path() / "empty.sqlite3", CampfireBuilder::Schema::kCurrent); }
  expect_refused(t, t.path() / "empty.sqlite3", ErrorCode::kInvalid);
}

TEST(BadInput, ATruncatedDatabaseFailsCleanly) {
  if (!fs::exists(fixture_path())) GTEST_SKIP() << "shared fixture not found";
  TempDir t;
  std::string bytes = read_file(fixture_path());
  for (size_t keep : {bytes.size() / 2, bytes.size() / 10, size_t{100}, size_t{4096 * 3 + 17}}) {
    SCOPED_TRACE(keep);
    fs::path cut = t.path() / ("cut-" + std::to_string(keep) + ".sqlite3");
    std::ofstream(cut, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(keep));
    auto r = import_quietly(cut, t.path() / "data");
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().code == ErrorCode::kCorruption || r.error().code == ErrorCode::kInvalid) << r.error().message;
    EXPECT_FALSE(fs::exists(t.path() / "data"));
    EXPECT_EQ(leftover_temp_dirs(t.path()), 0);
  }
}

TEST(BadInput, DanglingReferencesAndMissingRichTextAreReportedSkips) {
  TempDir t;
  {
    CampfireBuilder b(t.path() / "c.sqlite3", CampfireBuilder::Schema::kCurrent);
    b.account();
    b.user(1, "A", "a@example.com", 1);
    b.room(1, "Rooms::Open", "All");
    b.room(2, "Rooms::Weird", "Strange");
    b.member(1, 1);
    b.member(1, 77);            // user 77 does not exist
    b.member(9, 1);             // room 9 does not exist
    b.member(1, 1, "loud");     // unknown involvement (a second row: no unique index here)
    const std::string body = "<div>hi</div>";
    b.message(1, 1, 1, "2024-03-01 10:00:01", &body);
    b.message(2, 9, 1, "2024-03-01 10:00:02", &body);     // room missing
    b.message(3, 1, 1, "2024-03-01 10:00:03", nullptr);   // no rich text, no file
    b.message(4, 1, 55, "2024-03-01 10:00:04", &body);    // creator deleted by hand
    b.boost(1, 1, 1, "ok");
    b.boost(2, 2, 1, "on a skipped message");
    b.boost(3, 404, 1, "message missing");
    b.sql("INSERT INTO searches (user_id, query, created_at, updated_at) VALUES (88, 'q', '2024-03-01 10:00:00', '2024-03-01 10:00:00')");
  }
  auto r = import_quietly(t.path() / "c.sqlite3", t.path() / "data");
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto skipped = [&](const char* entity, const char* reason) {
    const auto* e = r->find(entity);
    if (!e) return int64_t{-1};
    auto it = e->skips.find(reason);
    return it == e->skips.end() ? int64_t{0} : it->second.count;
  };
  EXPECT_EQ(skipped("memberships", "user missing"), 1);
  EXPECT_EQ(skipped("memberships", "room missing"), 1);
  EXPECT_EQ(skipped("memberships", "unknown involvement 'loud'"), 1);
  EXPECT_EQ(skipped("rooms", "unknown room type 'Rooms::Weird'"), 1);
  EXPECT_EQ(skipped("messages", "room missing"), 1);
  EXPECT_EQ(skipped("messages", "no rich text row and no attachment"), 1);
  EXPECT_EQ(skipped("boosts", "its message was skipped"), 1);
  EXPECT_EQ(skipped("boosts", "message missing"), 1);
  EXPECT_EQ(skipped("searches", "user missing"), 1);
  fs::path s = t.path() / "data" / "state.sqlite3";
  EXPECT_EQ(query_int(s, "SELECT count(*) FROM messages"), 2);
  EXPECT_EQ(query_int(s, "SELECT status FROM users WHERE id = 55"), 1) << "placeholder for the deleted creator";
  EXPECT_EQ(r->find("messages")->read, 4);
  EXPECT_EQ(r->find("messages")->imported + r->find("messages")->skipped, 4);
  std::ostringstream printed;
  r->print(printed);
  EXPECT_NE(printed.str().find("skipped 1: room missing (ids 2)"), std::string::npos) << printed.str();
}

TEST(BadInput, CliReportsBadInputWithExitCodeTwo) {
  TempDir t;
  std::ofstream(t.path() / "notes.txt") << "hello";
  std::string cmd = std::string(HEARTH_BINARY) + " import --from '" + (t.path() / "notes.txt").string() + "' --to '" +
                    (t.path() / "d").string() + "' >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2);
  cmd = std::string(HEARTH_BINARY) + " import --to x >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2) << "--from is required";
  EXPECT_FALSE(fs::exists(t.path() / "d"));
}

}  // namespace
}  // namespace hearth::testing
