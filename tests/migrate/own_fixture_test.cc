// A second fixture built here, through the same tables: the ORIGINAL schema (users.active, no
// bans/settings/singleton guard, migration column order), attachments with real files in a
// storage directory, legacy Marshal mentions, owner-era roles — what the shared fixture lacks.
#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>

#include "campfire_builder.h"
#include "migrate/import_verifier.h"
#include "migrate_support.h"
#include "replay/verify.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

class OriginalSchemaImport : public ::testing::Test {
 protected:
  void SetUp() override {
    CampfireBuilder b(t_.path() / "old.sqlite3", CampfireBuilder::Schema::kOriginal);
    b.account("Old Camp");
    b.user(1, "Owner", "owner@example.com", /*role=*/1);
    b.user(2, "Leaver", "leaver@example.com", 0, /*status=*/1);
    b.user(3, "Bot", "", 2, 0, "", "tok3nABCdef1");
    b.sql("INSERT INTO webhooks (user_id, url, created_at, updated_at) VALUES (3, 'https://bot.example/hook', "
          "'2024-03-01 10:00:00', '2024-03-01 10:00:00')");
    b.room(1, "Rooms::Open", "Lobby");
    b.room(2, "Rooms::Direct", "");
    b.member(1, 1, "mentions");
    b.member(1, 3, "everything", /*unread=*/true);
    b.member(2, 1, "everything");
    b.member(2, 3, "everything");
    const std::string hello = "<div>Hello " + CampfireBuilder::mention(3, /*legacy=*/true) + "</div><blockquote>quoted</blockquote>";
    b.message(1, 1, 1, "2024-03-01 10:00:01", &hello, "abc123def");
    const std::string later = "<div>later</div>";
    b.message(2, 1, 2, "2024-03-01 10:00:02.5", &later, "zzz");
    b.message(3, 2, 1, "2024-03-01 10:00:03", nullptr, "file1");  // upload: no rich text row
    b.attachment(3, 1, "abcd1234efgh5678", "notes.txt", 11);
    b.message(4, 2, 3, "2024-03-01 10:00:04", nullptr, "file2");  // upload whose file is gone
    b.attachment(4, 2, "zzzz9999yyyy8888", "lost.png", 99);
    b.boost(1, 1, 2, "👍");
    // Active Storage's Disk layout: files/<k[0..1]>/<k[2..3]>/<key>.
    std::filesystem::create_directories(t_.path() / "storage/files/ab/cd");
    std::ofstream(t_.path() / "storage/files/ab/cd/abcd1234efgh5678") << "hello notes";
  }
  fs::path state() const { return t_.path() / "data" / "state.sqlite3"; }
  int64_t count(const std::string& sql) const { return query_int(state(), sql); }
  TempDir t_;
};

TEST_F(OriginalSchemaImport, ImportsWithActiveFlagAsStatusAndNoBansTable) {
  auto r = import_quietly(t_.path() / "old.sqlite3", t_.path() / "data", t_.path() / "storage");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(count("SELECT status FROM users WHERE id = 2"), 1) << "active = 0 is deactivated";
  EXPECT_EQ(count("SELECT status FROM users WHERE id = 1"), 0);
  EXPECT_EQ(count("SELECT role FROM users WHERE id = 3"), 2);
  EXPECT_EQ(query_text(state(), "SELECT webhook_url FROM users WHERE id = 3"), "https://bot.example/hook");
  EXPECT_EQ(query_text(state(), "SELECT name FROM account"), "Old Camp");
  EXPECT_EQ(count("SELECT restrict_room_creation FROM account"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM bans"), 0);
  EXPECT_TRUE(replay::verify_log(t_.path() / "data").ok());
}

TEST_F(OriginalSchemaImport, LegacyMentionsBlockquotesAndUnreadCarryOver) {
  ASSERT_TRUE(import_quietly(t_.path() / "old.sqlite3", t_.path() / "data").ok());
  EXPECT_EQ(query_text(state(), "SELECT plain_text FROM messages WHERE id = 1"), "Hello @Bot\n“quoted”");
  EXPECT_EQ(count("SELECT user_id FROM message_mentions WHERE message_id = 1"), 3);
  EXPECT_EQ(count("SELECT unread FROM memberships WHERE room_id = 1 AND user_id = 3"), 1);
  EXPECT_EQ(count("SELECT unread FROM memberships WHERE room_id = 1 AND user_id = 1"), 0);
  EXPECT_EQ(count("SELECT created_at_us FROM messages WHERE id = 2"), 1709287202500000);
}

TEST_F(OriginalSchemaImport, AttachmentFilesAreCopiedContentAddressedAndMissingOnesReported) {
  auto r = import_quietly(t_.path() / "old.sqlite3", t_.path() / "data", t_.path() / "storage");
  ASSERT_TRUE(r.ok()) << r.error().message;
  unsigned char digest[crypto_hash_sha256_BYTES];
  const std::string bytes = "hello notes";
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string hex;
  for (unsigned char c : digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  EXPECT_EQ(query_text(state(), "SELECT attachment_hash FROM messages WHERE id = 3"), hex);
  EXPECT_EQ(read_file(t_.path() / "data" / "blobs" / hex.substr(0, 2) / hex), bytes);
  EXPECT_EQ(query_text(state(), "SELECT plain_text FROM messages WHERE id = 3"), "notes.txt");
  // The lost file: the message stays, with its name and no content; the report says why.
  EXPECT_EQ(query_text(state(), "SELECT attachment_filename FROM messages WHERE id = 4"), "lost.png");
  const auto* a = r->find("attachments");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->read, 2);
  EXPECT_EQ(a->imported, 1);
  EXPECT_EQ(a->skipped, 1);
  EXPECT_EQ(a->skips.begin()->second.first_ids, std::vector<int64_t>{2});
}

TEST_F(OriginalSchemaImport, VerifyPassesOnTheOriginalSchema) {
  ASSERT_TRUE(import_quietly(t_.path() / "old.sqlite3", t_.path() / "data").ok());
  std::ostringstream out;
  auto v = migrate::verify_import(t_.path() / "old.sqlite3", t_.path() / "data", out);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->differences, 0) << out.str();
}

TEST(OwnerEraImport, RoleTwoBeforeTheRoleMigrationIsAnAdministrator) {
  TempDir t;
  {
    CampfireBuilder b(t.path() / "c.sqlite3", CampfireBuilder::Schema::kOriginal);
    b.sql("DELETE FROM schema_migrations WHERE version >= '20240115124901'");
    b.account();
    b.user(1, "Owner", "o@example.com", 2);
  }
  ASSERT_TRUE(import_quietly(t.path() / "c.sqlite3", t.path() / "data").ok());
  EXPECT_EQ(query_int(t.path() / "data" / "state.sqlite3", "SELECT role FROM users WHERE id = 1"), 1);
}

TEST(CurrentSchemaImport, SettingsBansAndMessageOrderByCreatedAtThenId) {
  TempDir t;
  {
    CampfireBuilder b(t.path() / "c.sqlite3", CampfireBuilder::Schema::kCurrent);
    b.account();
    b.sql("UPDATE accounts SET settings = '{\"restrict_room_creation_to_administrators\": true}', custom_styles = 'body{}'");
    b.user(1, "A", "a@example.com", 1);
    b.user(2, "Spam", "s@example.com", 0, 2);
    b.sql("INSERT INTO bans (user_id, ip_address, created_at, updated_at) VALUES (2, '203.0.113.9', '2024-03-02 00:00:00', "
          "'2024-03-02 00:00:00'), (1, '198.51.100.1', '2024-03-02 00:00:00', '2024-03-02 00:00:00')");
    b.room(1, "Rooms::Open", "All");
    b.member(1, 1);
    b.member(1, 2);
    const std::string body = "<div>x</div>";
    b.message(9, 1, 2, "2024-03-01 10:00:01", &body);  // higher id, earlier time: posted first
    b.message(8, 1, 1, "2024-03-01 10:00:02", &body);
  }
  auto r = import_quietly(t.path() / "c.sqlite3", t.path() / "data");
  ASSERT_TRUE(r.ok()) << r.error().message;
  fs::path s = t.path() / "data" / "state.sqlite3";
  EXPECT_EQ(query_int(s, "SELECT restrict_room_creation FROM account"), 1);
  EXPECT_EQ(query_text(s, "SELECT custom_css FROM account"), "body{}");
  EXPECT_EQ(query_int(s, "SELECT status FROM users WHERE id = 2"), 2);
  EXPECT_EQ(query_text(s, "SELECT ip_address FROM bans WHERE user_id = 2"), "203.0.113.9");
  EXPECT_EQ(query_int(s, "SELECT count(*) FROM bans WHERE user_id = 1"), 0) << "a ban row of an unbanned user is skipped";
  EXPECT_EQ(r->find("bans")->skipped, 1);
  EXPECT_LT(query_int(s, "SELECT seq FROM messages WHERE id = 9"), query_int(s, "SELECT seq FROM messages WHERE id = 8"));
}

}  // namespace
}  // namespace hearth::testing
