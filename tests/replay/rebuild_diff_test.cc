// `hearth replay rebuild` + `diff`: a projection rebuilt from the log equals the one built live
// (DESIGN I3), and any changed row makes the diff say so.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "replay/common.h"
#include "replay/diff.h"
#include "replay/rebuild.h"
#include "replay_fixture.h"

namespace hearth::replay_test {
namespace {

TEST(RebuildTest, RebuiltProjectionEqualsTheLiveOne) {
  testing::TempDir dir;
  write_story(dir, /*live=*/true);
  auto report = replay::rebuild_projection(dir.path(), dir.file("rebuilt.sqlite3"));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->events, kStoryEvents);
  EXPECT_EQ(report->applied_seq, Seq(kStoryEvents));

  std::ostringstream out;
  auto diff = replay::diff_states(dir.path(), dir.file("rebuilt.sqlite3"), out);  // a data dir works as A
  ASSERT_TRUE(diff.ok()) << diff.error().message;
  EXPECT_TRUE(diff->equal()) << out.str();
  EXPECT_GT(diff->rows_a, kStoryEvents);  // it really compared something
  EXPECT_EQ(diff->rows_a, diff->rows_b);
  EXPECT_NE(out.str().find("equal: "), std::string::npos) << out.str();
}

TEST(RebuildTest, ChangedRowInARealProjectionIsReportedAndExitsNonZero) {
  testing::TempDir dir;
  write_story(dir, true);
  ASSERT_TRUE(replay::rebuild_projection(dir.path(), dir.file("rebuilt.sqlite3")).ok());
  {
    auto db = sqlite::Db::open(dir.file("rebuilt.sqlite3"), sqlite::Db::Mode::kReadWrite);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("UPDATE rooms SET name = 'Not So Secret' WHERE id = 2").ok());
  }
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_diff(dir.path(), dir.file("rebuilt.sqlite3"), {}, out, err), replay::kExitFindings);
  EXPECT_NE(out.str().find("rooms: only in A: (id=2, kind=1, name='Secret'"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("rooms: only in B: (id=2, kind=1, name='Not So Secret'"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("different: 2 differences"), std::string::npos) << out.str();
}

TEST(RebuildTest, RefusesAnExistingOutputFile) {
  testing::TempDir dir;
  write_story(dir, false);
  std::ofstream(dir.file("taken.sqlite3")) << "precious";
  auto report = replay::rebuild_projection(dir.path(), dir.file("taken.sqlite3"));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kConflict);
  std::ifstream in(dir.file("taken.sqlite3"));
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
}

TEST(RebuildTest, CorruptLogIsRefusedAndLeavesNoFile) {
  testing::TempDir dir;
  write_story(dir, false);
  flip_payload_byte(dir.file("log.sqlite3"), 15);
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_rebuild(dir.path(), dir.file("rebuilt.sqlite3"), out, err), replay::kExitFindings);
  EXPECT_NE(err.str().find("seq 15"), std::string::npos) << err.str();
  EXPECT_FALSE(std::filesystem::exists(dir.file("rebuilt.sqlite3")));
}

// ---- diff on hand-made files: the comparison is generic over SQLite ----

void make_db(const std::string& path, const std::string& sql) {
  auto db = sqlite::Db::open(path, sqlite::Db::Mode::kReadWriteCreate);
  ASSERT_TRUE(db.ok());
  auto st = db->exec(sql);
  ASSERT_TRUE(st.ok()) << st.error().message;
}

TEST(DiffTest, RowOrderOnDiskDoesNotMatter) {
  testing::TempDir dir;
  make_db(dir.file("a"), "CREATE TABLE t(x, y); INSERT INTO t VALUES (1,'a'),(2,'b'),(2,'b'),(NULL,x'00');");
  make_db(dir.file("b"), "CREATE TABLE t(x, y); INSERT INTO t VALUES (NULL,x'00'),(2,'b'),(1,'a'),(2,'b');");
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_diff(dir.file("a"), dir.file("b"), {}, out, err), replay::kExitOk) << out.str();
  EXPECT_NE(out.str().find("equal: 1 tables, 4 rows"), std::string::npos) << out.str();
}

TEST(DiffTest, DuplicateRowOnOneSideIsADifference) {
  testing::TempDir dir;
  make_db(dir.file("a"), "CREATE TABLE t(x); INSERT INTO t VALUES (1),(1);");
  make_db(dir.file("b"), "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
  std::ostringstream out;
  auto report = replay::diff_states(dir.file("a"), dir.file("b"), out);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->differences, 1);
  EXPECT_NE(out.str().find("t: only in A: (x=1)"), std::string::npos) << out.str();
}

TEST(DiffTest, TableOnOneSideAndDifferentColumnsAreDifferences) {
  testing::TempDir dir;
  make_db(dir.file("a"), "CREATE TABLE only_a(x); INSERT INTO only_a VALUES (1); CREATE TABLE t(x, y);");
  make_db(dir.file("b"), "CREATE TABLE t(x, z);");
  std::ostringstream out;
  auto report = replay::diff_states(dir.file("a"), dir.file("b"), out);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->differences, 2);
  EXPECT_NE(out.str().find("only_a: table only in A (1 rows)"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("t: columns differ: A (x, y) vs B (x, z)"), std::string::npos) << out.str();
}

TEST(DiffTest, Fts5IsComparedByRowidWithoutItsShadowTables) {
  testing::TempDir dir;
  // Same documents, different insertion history: the shadow tables' bytes differ, the content not.
  make_db(dir.file("a"), "CREATE VIRTUAL TABLE s USING fts5(body); "
                         "INSERT INTO s(rowid, body) VALUES (1,'hello world'),(2,'bye');");
  make_db(dir.file("b"), "CREATE VIRTUAL TABLE s USING fts5(body); "
                         "INSERT INTO s(rowid, body) VALUES (2,'bye'); INSERT INTO s(rowid, body) VALUES (3,'x');"
                         "DELETE FROM s WHERE rowid = 3; INSERT INTO s(rowid, body) VALUES (1,'hello world');");
  std::ostringstream out;
  auto report = replay::diff_states(dir.file("a"), dir.file("b"), out);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->equal()) << out.str();
  // s and its index; s_data, s_idx, s_content, s_docsize, s_config are skipped.
  EXPECT_EQ(report->tables, 2);

  make_db(dir.file("b"), "UPDATE s SET body = 'hello there' WHERE rowid = 1;");
  std::ostringstream out2;
  report = replay::diff_states(dir.file("a"), dir.file("b"), out2);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->differences, 4);  // the row on each side, and 'world' vs 'there' in the index
  EXPECT_NE(out2.str().find("s: only in B: (rowid=1, body='hello there')"), std::string::npos) << out2.str();
  EXPECT_NE(out2.str().find("s (fts5 index): only in A: (term='world', doc=1, col='body', offset=1)"),
            std::string::npos) << out2.str();
}

TEST(DiffTest, ExternalContentIndexOutOfStepIsADifference) {
  // The projection's search index is external-content: its columns read back from the messages
  // table, so only the index itself can show it missed a row.
  testing::TempDir dir;
  const std::string schema =
      "CREATE TABLE docs(id INTEGER PRIMARY KEY, body TEXT);"
      "CREATE VIRTUAL TABLE s USING fts5(body, content='docs', content_rowid='id');";
  make_db(dir.file("a"), schema + "INSERT INTO docs VALUES (1, 'alpha beta');"
                                  "INSERT INTO s(rowid, body) VALUES (1, 'alpha beta');");
  make_db(dir.file("b"), schema + "INSERT INTO docs VALUES (1, 'alpha beta');");  // index never told
  std::ostringstream out;
  auto report = replay::diff_states(dir.file("a"), dir.file("b"), out);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->differences, 2) << out.str();
  EXPECT_NE(out.str().find("s (fts5 index): only in A: (term='alpha', doc=1, col='body', offset=0)"),
            std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("docs: only"), std::string::npos) << out.str();
}

TEST(DiffTest, LimitCapsPrintedDifferencesButNotTheCount) {
  testing::TempDir dir;
  make_db(dir.file("a"), "CREATE TABLE t(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<10) "
                         "INSERT INTO t SELECT i FROM n;");
  make_db(dir.file("b"), "CREATE TABLE t(x);");
  std::ostringstream out;
  auto report = replay::diff_states(dir.file("a"), dir.file("b"), out, {.max_printed = 3});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->differences, 10);
  EXPECT_EQ(lines(out.str()).size(), 2u + 3u + 2u);  // A:, B:, three rows, "... more", summary
  EXPECT_NE(out.str().find("... 7 more not shown"), std::string::npos) << out.str();
}

TEST(DiffTest, MissingOrNonSqliteInputIsAnErrorNotADifference) {
  testing::TempDir dir;
  make_db(dir.file("a"), "CREATE TABLE t(x);");
  std::ofstream(dir.file("junk")) << std::string(4096, 'j');
  std::ostringstream out, err;
  EXPECT_EQ(replay::run_diff(dir.file("a"), dir.file("junk"), {}, out, err), replay::kExitBadInput);
  EXPECT_NE(err.str().find("not a database"), std::string::npos) << err.str();
  err.str("");
  EXPECT_EQ(replay::run_diff(dir.file("a"), dir.path(), {}, out, err), replay::kExitBadInput);  // no state.sqlite3
  EXPECT_NE(err.str().find("state.sqlite3 is missing"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace hearth::replay_test
