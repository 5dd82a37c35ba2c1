#include "migrate/import_verifier.h"

#include <map>
#include <set>
#include <sstream>

#include "core/base/secret_hash.h"
#include "core/log/event_log.h"
#include "migrate/import_context.h"  // TRY_ROWS
#include "migrate/rich_text.h"
#include "migrate/source_db.h"

namespace hearth::migrate {
namespace {

namespace fs = std::filesystem;

class Checker {
 public:
  explicit Checker(std::ostream& out) : out_(out) {}
  void check(bool ok, const std::string& what) {
    ++r.checks;
    if (ok) return;
    if (++r.differences <= 50) out_ << "DIFFERENCE: " << what << "\n";
  }
  void count(const std::string& entity, int64_t expected, int64_t actual) {
    check(expected == actual, entity + ": expected " + std::to_string(expected) + ", found " + std::to_string(actual));
    out_ << "  " << entity << ": " << actual << (expected == actual ? " (as expected)" : " (MISMATCH)") << "\n";
  }
  VerifyResult r;

 private:
  std::ostream& out_;
};

template <class Row>
Status each(sqlite::Stmt& st, Row&& row) {
  while (true) {
    auto r = st.step();
    if (!r) return r.take_error();
    if (!*r) return ok_status();
    row();
  }
}

Result<int64_t> state_count(const sqlite::Db& db, const std::string& sql) {
  auto v = db.query_int(sql);
  if (!v) return v.take_error();
  return v->value_or(0);
}

std::string first_word(const std::string& text) {
  std::string w;
  for (char ch : text) {
    bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (alnum) {
      w.push_back(ch);
    } else {
      if (w.size() >= 4) return w;
      w.clear();
    }
  }
  return w.size() >= 4 ? w : std::string();
}

}  // namespace

Result<VerifyResult> verify_import(const fs::path& source, const fs::path& data_dir, std::ostream& out) {
  auto src_r = SourceDb::open(source);
  if (!src_r) return src_r.take_error();
  SourceDb& src = **src_r;
  EventLog::Options lo;
  lo.read_only = true;
  lo.verify_on_open = false;
  if (!fs::exists(data_dir / "log.sqlite3") || !fs::exists(data_dir / "state.sqlite3")) {
    return not_found(data_dir.string() + " is not a Hearth data directory (log.sqlite3, state.sqlite3)");
  }
  auto log = EventLog::open((data_dir / "log.sqlite3").string(), lo);
  if (!log) return log.take_error();
  auto state_r = sqlite::Db::open((data_dir / "state.sqlite3").string(), sqlite::Db::Mode::kReadOnly);
  if (!state_r) return state_r.take_error();
  sqlite::Db& state = *state_r;
  Checker c(out);

  out << "log and projections\n";
  auto verified = (*log)->verify();
  c.check(verified.ok(), verified.ok() ? "" : "log: " + verified.error().message);
  auto applied = state_count(state, "SELECT applied_seq FROM meta");
  if (!applied) return applied.take_error();
  c.check(*applied == (*log)->last_seq().value, "projections applied to seq " + std::to_string(*applied) +
                                                    " but the log ends at " + std::to_string((*log)->last_seq().value));

  out << "counts\n";
  // Users: the source's, plus a placeholder for each missing id messages or boosts point at.
  auto src_users = src.count("SELECT count(*) FROM users WHERE id > 0");
  if (!src_users) return src_users.take_error();
  std::string missing = "SELECT creator_id FROM messages WHERE creator_id > 0 AND creator_id NOT IN (SELECT id FROM users)";
  if (src.has_table("boosts")) missing += " UNION SELECT booster_id FROM boosts WHERE booster_id > 0 AND booster_id NOT IN (SELECT id FROM users)";
  auto placeholders = src.count("SELECT count(*) FROM (" + missing + ")");
  if (!placeholders) return placeholders.take_error();
  auto users = state_count(state, "SELECT count(*) FROM users");
  if (!users) return users.take_error();
  c.count("users (source + placeholders)", *src_users + *placeholders, *users);
  auto rooms_src = src.count("SELECT count(*) FROM rooms WHERE id > 0 AND type IN ('Rooms::Open','Rooms::Closed','Rooms::Direct')");
  auto rooms = state_count(state, "SELECT count(*) FROM rooms");
  if (!rooms_src || !rooms) return rooms_src ? rooms.take_error() : rooms_src.take_error();
  c.count("rooms", *rooms_src, *rooms);

  // Memberships: each carried row, with its involvement.
  std::map<std::pair<int64_t, int64_t>, int64_t> want_members;
  {
    auto st = src.prepare(
        "SELECT room_id, user_id, coalesce(involvement, 'mentions') FROM memberships WHERE "
        "user_id IN (SELECT id FROM users) AND room_id IN (SELECT id FROM rooms WHERE type IN "
        "('Rooms::Open','Rooms::Closed','Rooms::Direct')) AND coalesce(involvement, 'mentions') IN "
        "('invisible','nothing','mentions','everything')");
    if (!st) return st.take_error();
    HEARTH_TRY(each(*st, [&] {
      std::string_view inv = st->col_text(2);
      int64_t code = inv == "invisible" ? 0 : inv == "nothing" ? 1 : inv == "mentions" ? 2 : 3;
      want_members[{st->col_int(0), st->col_int(1)}] = code;
    }));
    auto ms = state.prepare("SELECT room_id, user_id, involvement FROM memberships");
    if (!ms) return ms.take_error();
    int64_t found = 0;
    HEARTH_TRY(each(*ms, [&] {
      ++found;
      auto it = want_members.find({ms->col_int(0), ms->col_int(1)});
      c.check(it != want_members.end() && it->second == ms->col_int(2),
              "membership room " + std::to_string(ms->col_int(0)) + " user " + std::to_string(ms->col_int(1)) +
                  (it == want_members.end() ? " is not in the source" : " has a different involvement"));
    }));
    c.count("memberships", static_cast<int64_t>(want_members.size()), found);
  }

  // Messages, one by one, merged by id with the projection.
  {
    std::map<int64_t, std::string> names;
    auto us = src.prepare("SELECT id, name FROM users");
    if (!us) return us.take_error();
    HEARTH_TRY(each(*us, [&] { names[us->col_int(0)] = std::string(us->col_text(1)); }));
    std::set<int64_t> user_ids;
    auto su = state.prepare("SELECT id FROM users");
    if (!su) return su.take_error();
    HEARTH_TRY(each(*su, [&] { user_ids.insert(su->col_int(0)); }));
    UserNames lookup = [&](int64_t id) -> const std::string* {
      auto it = names.find(id);
      return it == names.end() ? nullptr : &it->second;
    };
    bool storage = src.has_table("active_storage_attachments");
    bool fts = src.has_table("message_search_index");
    auto st = src.prepare(
        std::string("SELECT m.id, m.room_id, m.creator_id, m.client_message_id, r.body, r.id IS NOT NULL, ") +
        (storage ? "(SELECT b.filename FROM active_storage_attachments a JOIN active_storage_blobs b ON b.id = a.blob_id "
                   "WHERE a.record_type = 'Message' AND a.record_id = m.id AND a.name = 'attachment' ORDER BY a.id LIMIT 1)"
                 : "NULL") +
        ", " + (fts ? "(SELECT body FROM message_search_index WHERE rowid = m.id)" : "NULL") +
        " FROM messages m LEFT JOIN action_text_rich_texts r ON r.record_type = 'Message' AND r.record_id = m.id "
        "AND r.name = 'body' WHERE m.room_id IN (SELECT id FROM rooms) ORDER BY m.id");
    if (!st) return st.take_error();
    auto sm = state.prepare("SELECT id, room_id, creator_id, coalesce(client_message_id, ''), plain_text FROM messages WHERE id = ?1");
    auto mm = state.prepare("SELECT user_id FROM message_mentions WHERE message_id = ?1 ORDER BY user_id");
    auto hit = state.prepare("SELECT count(*) FROM message_search WHERE message_search MATCH ?1 AND rowid = ?2");
    if (!sm || !mm || !hit) return !sm ? sm.take_error() : !mm ? mm.take_error() : hit.take_error();
    int64_t expected = 0, sampled = 0, index_equal = 0;
    Status failure = ok_status();
    HEARTH_TRY(each(*st, [&] {
      int64_t id = st->col_int(0);
      ConvertedBody body;
      if (st->col_int(5)) body = convert_body(st->col_text(4), lookup);
      bool has_file = !st->col_null(6);
      if (!st->col_int(5) && !has_file) return;  // no rich text row and no file: skipped by design
      if (body.plain_text.empty() && has_file) body.plain_text = std::string(st->col_text(6));
      ++expected;
      sm->bind(1, id);
      auto row = sm->step();
      if (!row || !*row) {
        c.check(false, "message " + std::to_string(id) + " is missing");
        sm->reset();
        return;
      }
      c.check(sm->col_int(1) == st->col_int(1) && sm->col_int(2) == st->col_int(2) &&
                  sm->col_text(3) == st->col_text(3),
              "message " + std::to_string(id) + ": room, creator or client id differ");
      std::string plain(sm->col_text(4));
      sm->reset();
      c.check(plain == body.plain_text, "message " + std::to_string(id) + ": plain text differs from its body");
      if (!st->col_null(7)) {
        if (plain == st->col_text(7)) {
          ++index_equal;
        } else if (!body.mentions.empty()) {
          ++c.r.explained;  // indexed with the names of that time (renamed or deleted users)
        } else {
          c.check(false, "message " + std::to_string(id) + ": plain text differs from Rails' search index");
        }
      }
      std::set<int64_t> want;
      for (int64_t u : body.mentions) {
        if (user_ids.contains(u)) want.insert(u);
      }
      std::set<int64_t> got;
      mm->bind(1, id);
      while (true) {
        auto m = mm->step();
        if (!m || !*m) break;
        got.insert(mm->col_int(0));
      }
      mm->reset();
      c.check(want == got, "message " + std::to_string(id) + ": mentions differ");
      if (expected % 50 == 1) {
        std::string word = first_word(plain);
        if (!word.empty()) {
          ++sampled;
          hit->bind(1, "\"" + word + "\"").bind(2, id);
          auto h = hit->step();
          c.check(h.ok() && *h && hit->col_int(0) == 1, "search for \"" + word + "\" does not find message " + std::to_string(id));
          hit->reset();
        }
      }
    }));
    HEARTH_TRY(failure);
    auto found = state_count(state, "SELECT count(*) FROM messages");
    if (!found) return found.take_error();
    c.count("messages", expected, *found);
    out << "  plain text equal to Rails' search index: " << index_equal << ", differing with mentions (explained): "
        << c.r.explained << "\n  search hits checked: " << sampled << "\n";
  }

  if (src.has_table("boosts")) {
    auto want = src.count(
        "SELECT count(*) FROM boosts bo JOIN messages m ON m.id = bo.message_id WHERE m.room_id IN (SELECT id FROM rooms) "
        "AND (EXISTS (SELECT 1 FROM action_text_rich_texts r WHERE r.record_type = 'Message' AND r.record_id = m.id "
        "AND r.name = 'body')" +
        std::string(src.has_table("active_storage_attachments")
                        ? " OR EXISTS (SELECT 1 FROM active_storage_attachments a WHERE a.record_type = 'Message' AND "
                          "a.record_id = m.id AND a.name = 'attachment'))"
                        : ")"));
    auto got = state_count(state, "SELECT count(*) FROM boosts");
    if (!want || !got) return want ? got.take_error() : want.take_error();
    c.count("boosts", *want, *got);
  }
  for (auto [table, state_sql] : {std::pair<const char*, const char*>{"push_subscriptions", "SELECT count(*) FROM push_subscriptions"},
                                  {"searches", "SELECT count(*) FROM searches"},
                                  {"bans", "SELECT count(*) FROM bans"}}) {
    if (!src.has_table(table)) continue;
    auto want = src.count(std::string("SELECT count(*) FROM ") + table + " WHERE user_id IN (SELECT id FROM users)" +
                          (std::string(table) == "bans" && src.has_column("users", "status")
                               ? " AND user_id IN (SELECT id FROM users WHERE status = 2)"
                               : "") +
                          (std::string(table) == "push_subscriptions" ? " AND endpoint <> ''" : ""));
    auto got = state_count(state, state_sql);
    if (!want || !got) return want ? got.take_error() : want.take_error();
    c.count(table, *want, *got);
  }

  out << "people\n";
  {
    bool bots = src.has_column("users", "bot_token");
    bool digests = src.has_column("users", "password_digest");
    auto st = src.prepare(std::string("SELECT id, ") + (digests ? "coalesce(password_digest, '')" : "''") + ", " +
                          (bots ? "coalesce(bot_token, '')" : "''") + " FROM users WHERE id > 0");
    auto su = state.prepare("SELECT coalesce(password_digest, ''), coalesce(bot_token_hash, '') FROM users WHERE id = ?1");
    if (!st || !su) return st ? su.take_error() : st.take_error();
    int64_t keys = 0, passwords = 0;
    HEARTH_TRY(each(*st, [&] {
      su->bind(1, st->col_int(0));
      auto row = su->step();
      if (!row || !*row) {
        c.check(false, "user " + std::to_string(st->col_int(0)) + " is missing");
        su->reset();
        return;
      }
      if (!st->col_text(1).empty()) {
        ++passwords;
        c.check(su->col_text(0) == st->col_text(1), "user " + std::to_string(st->col_int(0)) + ": password digest differs");
      }
      if (!st->col_text(2).empty()) {
        ++keys;
        c.check(su->col_text(1) == secret_hash(st->col_text(2)),
                "bot " + std::to_string(st->col_int(0)) + ": stored key hash does not match its Rails token");
      }
      su->reset();
    }));
    out << "  password digests checked: " << passwords << ", bot keys checked: " << keys << "\n";
  }
  out << (c.r.differences == 0 ? "verified: " : "FAILED: ") << c.r.checks << " checks, " << c.r.differences
      << " unexplained differences, " << c.r.explained << " explained\n";
  return c.r;
}

}  // namespace hearth::migrate
