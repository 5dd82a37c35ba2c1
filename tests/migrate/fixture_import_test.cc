// The shared Rails fixture (../shared/fixtures) imported once: every count in its manifest, its
// sample messages, passwords, bot keys, and the log/projection checks every data dir must pass.
#include <crypt.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "core/base/secret_hash.h"
#include "core/events/event_view.h"
#include "migrate/import_verifier.h"
#include "migrate_support.h"
#include "projections/data_dir.h"
#include "projections/write_model_loader.h"
#include "replay/diff.h"
#include "replay/rebuild.h"
#include "replay/verify.h"
#include "support/temp_dir.h"

namespace hearth::testing {
namespace {

EventLog::Options read_only_log() {
  EventLog::Options o;
  o.read_only = true;
  return o;
}

class FixtureImport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(fixture_path())) return;
    dir_ = new TempDir();
    // The fixture folder is read-only and shared: work on a copy.
    fs::copy_file(fixture_path(), dir_->path() / "campfire.sqlite3");
    source_bytes_ = new std::string(read_file(dir_->path() / "campfire.sqlite3"));
    auto r = import_quietly(dir_->path() / "campfire.sqlite3", dir_->path() / "data");
    if (!r.ok()) {
      error_ = new std::string(r.error().message);
      return;
    }
    report_ = new migrate::ImportReport(std::move(*r));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete source_bytes_;
    delete error_;
    delete dir_;
    report_ = nullptr;
    source_bytes_ = nullptr;
    error_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!dir_) GTEST_SKIP() << "shared fixture not found at " << fixture_path();
    ASSERT_EQ(error_, nullptr) << *error_;
    m_ = manifest();
  }
  fs::path source() const { return dir_->path() / "campfire.sqlite3"; }
  fs::path data() const { return dir_->path() / "data"; }
  fs::path state() const { return data() / "state.sqlite3"; }
  int64_t count(const std::string& sql) const { return query_int(state(), sql); }

  Json m_;
  static TempDir* dir_;
  static migrate::ImportReport* report_;
  static std::string* source_bytes_;
  static std::string* error_;
};
TempDir* FixtureImport::dir_ = nullptr;
migrate::ImportReport* FixtureImport::report_ = nullptr;
std::string* FixtureImport::source_bytes_ = nullptr;
std::string* FixtureImport::error_ = nullptr;

TEST_F(FixtureImport, EveryTableCountInTheManifestIsRead) {
  const Json& c = m_["counts"];
  auto read = [&](const char* entity) { return report_->find(entity) ? report_->find(entity)->read : -1; };
  EXPECT_EQ(read("accounts"), c["accounts"].integer());
  EXPECT_EQ(read("users"), c["users"].integer());
  EXPECT_EQ(read("rooms"), c["rooms"].integer());
  EXPECT_EQ(read("memberships"), c["memberships"].integer());
  EXPECT_EQ(read("messages"), c["messages"].integer());
  EXPECT_EQ(read("rich texts"), c["action_text_rich_texts"].integer());
  EXPECT_EQ(read("boosts"), c["boosts"].integer());
  EXPECT_EQ(read("sessions"), c["sessions"].integer());
  EXPECT_EQ(read("push subscriptions"), c["push_subscriptions"].integer());
  EXPECT_EQ(read("searches"), c["searches"].integer());
  EXPECT_EQ(read("webhooks"), c["webhooks"].integer());
  EXPECT_EQ(read("bans"), c["bans"].integer());
}

TEST_F(FixtureImport, EveryCarriedEntityArrivesInTheProjectionsWithManifestCounts) {
  const Json& c = m_["counts"];
  EXPECT_EQ(count("SELECT count(*) FROM account"), c["accounts"].integer());
  // The deleted user 10 comes back as one placeholder (documented in importer.h / the report).
  EXPECT_EQ(count("SELECT count(*) FROM users"), c["users"].integer() + 1);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id <> 10"), c["users"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM rooms"), c["rooms"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM memberships"), c["memberships"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM messages"), c["messages"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM boosts"), c["boosts"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM searches"), c["searches"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM push_subscriptions"), c["push_subscriptions"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE webhook_url IS NOT NULL AND webhook_url <> ''"), c["webhooks"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM bans"), c["bans"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM sessions"), 0) << "sessions are not carried";
  EXPECT_EQ(count("SELECT count(*) FROM message_search"), c["messages"].integer());
}

TEST_F(FixtureImport, BreakdownsMatchTheManifest) {
  const Json& c = m_["counts"];
  const Json& roles = c["users_by_role"];
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE role = 0 AND id <> 10"), roles["member"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE role = 1"), roles["administrator"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE role = 2"), roles["bot"].integer());
  const Json& statuses = c["users_by_status"];
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE status = 0"), statuses["active"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE status = 1 AND id <> 10"), statuses["deactivated"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE status = 2"), statuses["banned"].integer());
  const Json& types = c["rooms_by_type"];
  EXPECT_EQ(count("SELECT count(*) FROM rooms WHERE kind = 0"), types["Rooms::Open"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM rooms WHERE kind = 1"), types["Rooms::Closed"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM rooms WHERE kind = 2"), types["Rooms::Direct"].integer());
  const Json& inv = c["memberships_by_involvement"];
  EXPECT_EQ(count("SELECT count(*) FROM memberships WHERE involvement = 0"), inv["invisible"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM memberships WHERE involvement = 1"), inv["nothing"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM memberships WHERE involvement = 2"), inv["mentions"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM memberships WHERE involvement = 3"), inv["everything"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM messages WHERE attachment_filename IS NOT NULL"), c["messages_with_attachment"].integer());
  EXPECT_EQ(count("SELECT count(DISTINCT message_id) FROM message_mentions"), c["messages_with_mentions"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM messages WHERE updated_at_us > created_at_us"), c["messages_edited"].integer());
  EXPECT_EQ(count("SELECT count(DISTINCT message_id) FROM boosts"), c["messages_with_boosts"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM messages WHERE creator_id = 10"), c["messages_with_missing_creator"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM boosts WHERE booster_id = 10"), c["boosts_with_missing_booster"].integer());
  EXPECT_EQ(count("SELECT count(*) FROM (SELECT created_at_us FROM messages GROUP BY created_at_us HAVING count(*) > 1)"),
            1) << "the four tied messages share one timestamp";
}

TEST_F(FixtureImport, IdsAreKeptIncludingGaps) {
  for (const char* entity : {"users", "rooms", "messages", "boosts"}) {
    const Json& r = m_["id_ranges"][entity];
    std::string table = entity;
    EXPECT_EQ(count("SELECT min(id) FROM " + table + (table == "users" ? " WHERE id <> 10" : "")), r["min"].integer()) << entity;
    EXPECT_EQ(count("SELECT max(id) FROM " + table), r["max"].integer()) << entity;
  }
  EXPECT_EQ(count("SELECT count(*) FROM rooms WHERE id = 5"), 0) << "the deleted room stays a gap";
}

TEST_F(FixtureImport, SampleMessagesHaveManifestPlainTextAndMentionsInOrder) {
  auto log = EventLog::open((data() / "log.sqlite3").string(), read_only_log());
  ASSERT_TRUE(log.ok()) << log.error().message;
  std::map<int64_t, std::vector<int64_t>> mentions;
  ASSERT_TRUE((*log)->scan(Seq(0), Seq(INT64_MAX), [&](const StoredEvent& e) -> Status {
    auto v = view_event(e);
    if (!v.ok()) return v.take_error();
    if (auto* p = (*v)->payload_as_MessagePosted()) {
      auto& ids = mentions[p->message_id()];
      if (p->mentioned_user_ids()) ids.assign(p->mentioned_user_ids()->begin(), p->mentioned_user_ids()->end());
    }
    return ok_status();
  }).ok());
  for (const Json& s : m_["sample_messages"].items) {
    int64_t id = s["id"].integer();
    SCOPED_TRACE("message " + std::to_string(id));
    EXPECT_EQ(query_text(state(), "SELECT plain_text FROM messages WHERE id = " + std::to_string(id)), s["plain_text"].str);
    EXPECT_EQ(count("SELECT room_id FROM messages WHERE id = " + std::to_string(id)), s["room_id"].integer());
    EXPECT_EQ(count("SELECT creator_id FROM messages WHERE id = " + std::to_string(id)), s["creator_id"].integer());
    EXPECT_EQ(query_text(state(), "SELECT client_message_id FROM messages WHERE id = " + std::to_string(id)),
              s["client_message_id"].str);
    std::vector<int64_t> want;
    for (const Json& u : s["mention_user_ids"].items) want.push_back(u.integer());
    EXPECT_EQ(mentions[id], want);
    EXPECT_EQ(count("SELECT count(*) FROM boosts WHERE message_id = " + std::to_string(id)),
              static_cast<int64_t>(s["boosts"].items.size()));
    EXPECT_EQ(count("SELECT updated_at_us > created_at_us FROM messages WHERE id = " + std::to_string(id)),
              s["edited"].b ? 1 : 0);
    if (!s["attachment_filename"].is_null()) {
      EXPECT_EQ(query_text(state(), "SELECT attachment_filename FROM messages WHERE id = " + std::to_string(id)),
                s["attachment_filename"].str);
    }
  }
}

TEST_F(FixtureImport, PlainTextEqualsRailsSearchIndexExceptTheRowsIndexedBeforeARenameOrDeletion) {
  std::set<int64_t> differing;
  auto db = sqlite::Db::open(state().string(), sqlite::Db::Mode::kReadOnly);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("ATTACH 'file:" + source().string() + "?mode=ro' AS src").ok());
  auto st = db->prepare("SELECT m.id FROM messages m JOIN src.message_search_index f ON f.rowid = m.id WHERE m.plain_text <> f.body");
  ASSERT_TRUE(st.ok()) << st.error().message;
  while (*st->step()) differing.insert(st->col_int(0));
  std::set<int64_t> want;
  for (const Json& id : m_["cases"]["fts_rows_differing_from_current_plain_text"].items) want.insert(id.integer());
  EXPECT_EQ(differing, want);
}

TEST_F(FixtureImport, RailsPasswordsVerifyAgainstTheImportedBcryptDigestsWithCryptR) {
  for (const Json& p : m_["passwords"].items) {
    SCOPED_TRACE(p["name"].str);
    std::string digest = query_text(state(), "SELECT password_digest FROM users WHERE id = " + std::to_string(p["user_id"].integer()));
    ASSERT_EQ(digest.substr(0, 4), "$2a$");
    struct crypt_data data{};
    const char* out = crypt_r(p["password"].str.c_str(), digest.c_str(), &data);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(std::string(out), digest);
    const char* wrong = crypt_r("not the password", digest.c_str(), &data);
    EXPECT_NE(std::string(wrong ? wrong : ""), digest);
    EXPECT_EQ(query_text(state(), "SELECT email FROM users WHERE id = " + std::to_string(p["user_id"].integer())),
              p["email_address"].str);
  }
}

TEST_F(FixtureImport, BotKeysHashToTheStoredTokenHash) {
  for (const Json& k : m_["bot_keys"].items) {
    std::string key = k["bot_key"].str;
    auto dash = key.find('-');
    int64_t id = std::stoll(key.substr(0, dash));
    EXPECT_EQ(id, k["user_id"].integer());
    EXPECT_EQ(query_text(state(), "SELECT bot_token_hash FROM users WHERE id = " + std::to_string(id)),
              secret_hash(key.substr(dash + 1)));
    EXPECT_EQ(query_text(state(), "SELECT name FROM users WHERE id = " + std::to_string(id)), k["name"].str);
  }
}

TEST_F(FixtureImport, AccountKeepsJoinCodeAndName) {
  EXPECT_EQ(query_text(state(), "SELECT join_code FROM account"), m_["join_code"].str);
}

TEST_F(FixtureImport, DeactivatedBannedAndDeletedUsersKeepTheirStatus) {
  for (const Json& id : m_["cases"]["deactivated_users"].items) {
    EXPECT_EQ(count("SELECT status FROM users WHERE id = " + std::to_string(id.integer())), 1) << id.integer();
  }
  for (const Json& id : m_["cases"]["banned_users"].items) {
    EXPECT_EQ(count("SELECT status FROM users WHERE id = " + std::to_string(id.integer())), 2);
    EXPECT_EQ(count("SELECT count(*) FROM bans WHERE user_id = " + std::to_string(id.integer())), 1);
  }
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = 10 AND email IS NULL AND password_digest IS NULL"), 1);
  for (const Json& id : m_["cases"]["banned_user_content_still_present"].items) {
    EXPECT_GT(count("SELECT count(*) FROM messages WHERE creator_id = " + std::to_string(id.integer())), 0);
  }
}

TEST_F(FixtureImport, RawHtmlBodiesAreSanitized) {
  for (const Json& id : m_["cases"]["messages_raw_html_injection"].items) {
    std::string html = query_text(state(), "SELECT body_html FROM messages WHERE id = " + std::to_string(id.integer()));
    SCOPED_TRACE(html);
    for (const char* bad : {"<script", "<style", " onerror=", "javascript:", "<img", "<iframe", "<marquee"}) {
      EXPECT_EQ(html.find(bad), std::string::npos) << bad;
    }
  }
  EXPECT_EQ(count("SELECT count(*) FROM messages WHERE body_html LIKE '%<script%' OR body_html LIKE '% onerror=%'"), 0)
      << "(a space before onerror: ZeroDivisionError is prose)";
}

TEST_F(FixtureImport, LinkPreviewsAreKeptAsAttachmentsWithoutTheirContentHtml) {
  for (const Json& id : m_["cases"]["messages_opengraph"].items) {
    std::string html = query_text(state(), "SELECT body_html FROM messages WHERE id = " + std::to_string(id.integer()));
    EXPECT_NE(html.find("application/vnd.actiontext.opengraph-embed"), std::string::npos) << id.integer();
    EXPECT_NE(html.find(" href=\"http"), std::string::npos) << html;
    EXPECT_EQ(html.find(" content="), std::string::npos) << html;
  }
}

TEST_F(FixtureImport, UnreadFlagsMatchTheSource) {
  auto db = sqlite::Db::open(state().string(), sqlite::Db::Mode::kReadOnly);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("ATTACH 'file:" + source().string() + "?mode=ro' AS src").ok());
  auto n = db->query_int(
      "SELECT count(*) FROM memberships h JOIN src.memberships r ON r.room_id = h.room_id AND r.user_id = h.user_id "
      "WHERE h.unread <> (r.unread_at IS NOT NULL)");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->value_or(-1), 0);
}

TEST_F(FixtureImport, ReplayVerifyIsClean) {
  auto v = replay::verify_log(data());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->events, report_->events);
}

TEST_F(FixtureImport, RebuildFromTheLogEqualsTheImportedProjections) {
  TempDir out;
  auto r = replay::rebuild_projection(data(), out.path() / "rebuilt.sqlite3");
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::ostringstream diff;
  auto d = replay::diff_states(state(), out.path() / "rebuilt.sqlite3", diff);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->equal()) << diff.str();
}

TEST_F(FixtureImport, VerifyFlagFindsNoUnexplainedDifference) {
  std::ostringstream out;
  auto v = migrate::verify_import(source(), data(), out);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->differences, 0) << out.str();
  EXPECT_EQ(v->explained, 5) << out.str();
  EXPECT_GT(v->checks, 1000);
}

TEST_F(FixtureImport, TheSourceFileIsNotWritten) {
  EXPECT_EQ(read_file(source()), *source_bytes_);
  for (const char* suffix : {"-wal", "-shm", "-journal"}) EXPECT_FALSE(fs::exists(source().string() + suffix)) << suffix;
}

TEST_F(FixtureImport, ImportingTwiceGivesByteIdenticalFiles) {
  TempDir again;
  auto r = import_quietly(source(), again.path() / "data");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read_file(again.path() / "data" / "log.sqlite3"), read_file(data() / "log.sqlite3"));
  EXPECT_EQ(read_file(again.path() / "data" / "state.sqlite3"), read_file(state()));
}

TEST_F(FixtureImport, ImportRefusesAnExistingDestinationAndLeavesItAlone) {
  std::string before = read_file(data() / "log.sqlite3");
  auto r = import_quietly(source(), data());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConflict);
  EXPECT_EQ(read_file(data() / "log.sqlite3"), before);
  EXPECT_EQ(leftover_temp_dirs(dir_->path()), 0);
}

TEST_F(FixtureImport, CliImportAndVerifyExitZero) {
  TempDir t;
  std::string cmd = std::string(HEARTH_BINARY) + " import --from '" + source().string() + "' --to '" +
                    (t.path() / "d").string() + "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  cmd = std::string(HEARTH_BINARY) + " import --verify --from '" + source().string() + "' --to '" +
        (t.path() / "d").string() + "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  cmd = std::string(HEARTH_BINARY) + " import --from '" + source().string() + "' --to '" + (t.path() / "d").string() +
        "' >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2) << "an existing destination is bad input";
}

TEST_F(FixtureImport, WriteModelLoadedFromProjectionsEqualsAFoldOfTheImportedLog) {
  auto log = EventLog::open((data() / "log.sqlite3").string(), read_only_log());
  ASSERT_TRUE(log.ok());
  WriteModel folded;
  ASSERT_TRUE((*log)->scan(Seq(0), Seq(INT64_MAX), [&](const StoredEvent& e) -> Status {
    folded.apply(e);
    return ok_status();
  }).ok());
  auto db = sqlite::Db::open(state().string(), sqlite::Db::Mode::kReadOnly);
  ASSERT_TRUE(db.ok());
  auto loaded = load_write_model(*db);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(*loaded == folded);
  EXPECT_EQ(folded.last_ids.message, m_["id_ranges"]["messages"]["max"].integer());
}

TEST_F(FixtureImport, TheImportedDataDirectoryStartsAndTakesNewMessagesAfterTheRailsIds) {
  TempDir t;
  fs::copy(data(), t.path() / "d", fs::copy_options::recursive);
  auto dir = DataDir::open((t.path() / "d").string());
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  cmd::PostMessage post;
  post.room = RoomId(1);
  post.body_html = "<div>hello from Hearth</div>";
  post.plain_text = "hello from Hearth";
  auto ack = (*dir)->sequencer().execute(CommandEnvelope{UserId(1), "after-import-1", post});
  ASSERT_TRUE(ack.ok()) << ack.error().message;
  EXPECT_EQ(ack->id, m_["id_ranges"]["messages"]["max"].integer() + 1);
}

}  // namespace
}  // namespace hearth::testing
