// Import phase for messages: one ordered query streams every message with its rich text and
// attachment; a second, in the same order, streams boosts alongside (a merge, so nothing per
// message is held in memory). Bodies go through convert_body (rich_text.h).
#include <algorithm>

#include "core/events/event_view.h"
#include "migrate/import_context.h"
#include "migrate/rich_text.h"

namespace hearth::migrate {
namespace {

using flatbuffers::FlatBufferBuilder;

std::string text(const sqlite::Stmt& st, int i) { return std::string(st.col_text(i)); }

// The last message of each room in (created_at, id) order: it carries the room's unread flags.
Status find_last_messages(ImportContext& c) {
  auto st = c.src.prepare(
      "SELECT room_id, id FROM (SELECT room_id, id, row_number() OVER "
      "(PARTITION BY room_id ORDER BY created_at DESC, id DESC) AS rn FROM messages) WHERE rn = 1");
  if (!st) return st.take_error();
  while (true) {
    auto row = st->step();
    if (!row) return row.take_error();
    if (!*row) return ok_status();
    c.last_message_of_room[st->col_int(0)] = st->col_int(1);
  }
}

// Rows of the boost query, read one ahead so the message loop can take those of its message.
class BoostCursor {
 public:
  explicit BoostCursor(sqlite::Stmt st) : st_(std::move(st)) {}
  Status advance() {
    auto row = st_.step();
    if (!row) return row.take_error();
    has_ = *row;
    return ok_status();
  }
  bool has() const { return has_; }
  int64_t message_id() const { return st_.col_int(1); }
  const sqlite::Stmt& row() const { return st_; }

 private:
  sqlite::Stmt st_;
  bool has_ = false;
};

}  // namespace

Status import_messages(ImportContext& c) {
  HEARTH_TRY(find_last_messages(c));
  bool storage = c.src.has_table("active_storage_attachments") && c.src.has_table("active_storage_blobs");
  std::string blob_join =
      storage ? "LEFT JOIN active_storage_blobs b ON b.id = (SELECT a.blob_id FROM active_storage_attachments a "
                "WHERE a.record_type = 'Message' AND a.record_id = m.id AND a.name = 'attachment' ORDER BY a.id LIMIT 1) "
              : "LEFT JOIN (SELECT NULL AS id, NULL AS key, NULL AS filename, NULL AS content_type, NULL AS byte_size) b "
                "ON 0 ";
  // Only the (created_at, id) keys are sorted — a small temp b-tree instead of one holding every
  // body — and rows are then fetched by id in that order. The LIMIT keeps SQLite from dropping
  // the subquery's ORDER BY; CROSS JOIN keeps the sorted keys as the outer loop. The loop below
  // checks the order anyway, so a planner change can never reorder the log silently.
  auto st = c.src.prepare(
      "WITH o AS MATERIALIZED (SELECT id FROM messages ORDER BY created_at, id LIMIT 9223372036854775807) "
      "SELECT m.id, m.room_id, m.creator_id, m.client_message_id, m.created_at, "
      "r.id, r.body, r.created_at, r.updated_at, b.id, b.key, b.filename, b.content_type, b.byte_size "
      "FROM o CROSS JOIN messages m ON m.id = o.id "
      "LEFT JOIN action_text_rich_texts r ON r.record_type = 'Message' AND r.record_id = m.id AND r.name = 'body' " +
      blob_join);
  if (!st) return st.take_error();
  std::optional<BoostCursor> boosts;
  if (c.src.has_table("boosts")) {
    auto bq = c.src.prepare(
        "SELECT bo.id, bo.message_id, bo.booster_id, bo.content, bo.created_at FROM boosts bo "
        "JOIN messages m ON m.id = bo.message_id ORDER BY m.created_at, m.id, bo.created_at, bo.id");
    if (!bq) return bq.take_error();
    boosts.emplace(std::move(*bq));
    HEARTH_TRY(boosts->advance());
    auto orphans = c.src.prepare("SELECT id FROM boosts WHERE message_id NOT IN (SELECT id FROM messages) ORDER BY id");
    if (!orphans) return orphans.take_error();
    while (true) {
      auto row = orphans->step();
      if (!row) return row.take_error();
      if (!*row) break;
      c.report.read("boosts");
      c.report.skip("boosts", orphans->col_int(0), "message missing");
    }
  }
  auto orphan_texts = c.src.count(
      "SELECT count(*) FROM action_text_rich_texts WHERE NOT (record_type = 'Message' AND name = 'body' AND "
      "record_id IN (SELECT id FROM messages))");
  if (!orphan_texts) return orphan_texts.take_error();
  if (*orphan_texts > 0) {
    c.report.entity("rich texts").read += *orphan_texts;
    c.report.entity("rich texts").skipped += *orphan_texts;
    c.report.entity("rich texts").skips["not the body of an existing message"].count += *orphan_texts;
  }

  auto total = c.src.count("SELECT count(*) FROM messages");
  if (!total) return total.take_error();
  c.progress.phase("messages", *total);
  UserNames names = [&](int64_t id) -> const std::string* {
    auto it = c.user_names.find(id);
    return it == c.user_names.end() ? nullptr : &it->second;
  };
  std::vector<int64_t> mentions, unread;
  std::string last_created;
  int64_t last_id = 0;
  while (true) {
    auto row = st->step();
    if (!row) return row.take_error();
    if (!*row) break;
    c.progress.advance();
    {
      std::string_view created = st->col_text(4);
      int cmp = created.compare(last_created);
      if (cmp < 0 || (cmp == 0 && st->col_int(0) < last_id)) {
        return Error{ErrorCode::kIo, "messages did not arrive in (created_at, id) order at id " +
                                         std::to_string(st->col_int(0)) + "; refusing a misordered log"};
      }
      last_created.assign(created);
      last_id = st->col_int(0);
    }
    c.report.read("messages");
    const int64_t id = st->col_int(0), room = st->col_int(1), creator = st->col_int(2);
    const bool has_text = !st->col_null(5), has_blob = !st->col_null(9);
    if (has_text) c.report.read("rich texts");
    bool keep = true;
    std::string why;
    if (!c.rooms.contains(room)) {
      why = "room missing";
    } else if (!c.users.contains(creator)) {
      why = "creator id is not a valid user id";  // placeholders cover every positive id
    } else if (id <= 0) {
      why = "id is not a positive integer";
    }
    keep = why.empty();
    ConvertedBody body;
    if (keep && has_text) body = convert_body(st->col_text(6), names);
    // A message with a rich text row is kept even when nothing survives sanitizing (a body of
    // only <script> or <img onerror>): Campfire has it, counts it and shows it empty. Without
    // a rich text row or a file there is nothing to show at all: skipped.
    if (keep && !has_blob && !has_text) {
      keep = false;
      why = "no rich text row and no attachment";
    }
    if (!keep) {
      c.report.skip("messages", id, why);
      if (has_text) c.report.skip("rich texts", st->col_int(5), "its message was skipped");
      while (boosts && boosts->has() && boosts->message_id() == id) {
        c.report.read("boosts");
        c.report.skip("boosts", boosts->row().col_int(0), "its message was skipped");
        HEARTH_TRY(boosts->advance());
      }
      continue;
    }
    std::optional<Blob> blob;
    if (has_blob) {
      c.report.read("attachments");
      std::string filename = text(*st, 11);
      std::string why_missing;
      auto copied = c.blobs.copy(text(*st, 10), &why_missing);
      if (!copied) return copied.take_error();
      // Documented choice: a missing file keeps the message and its file name (what Campfire
      // shows and indexes); the reference then has no content hash, and the report says so.
      blob = copied->value_or(Blob{});
      if (!*copied) {
        blob->byte_size = static_cast<uint64_t>(std::max<int64_t>(0, st->col_int(13)));
        c.report.skip("attachments", st->col_int(9), why_missing + " (message kept with its file name, no content)");
      } else {
        c.report.imported("attachments");
      }
      blob->filename = filename;
      blob->content_type = text(*st, 12);
      // Campfire's plain text of an upload is its file name (CAMPFIRE.md 1.5).
      if (body.plain_text.empty()) body.plain_text = filename;
    }
    mentions.clear();
    for (int64_t u : body.mentions) {
      if (c.users.contains(u)) mentions.push_back(u);
    }
    unread.clear();
    auto last = c.last_message_of_room.find(room);
    if (last != c.last_message_of_room.end() && last->second == id) {
      auto it = c.unread_members.find(room);
      if (it != c.unread_members.end()) unread = it->second;
    }
    const int64_t t = time_or(st->col_text(4), c.account_time_us);
    std::string client_id = text(*st, 3);
    HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) {
      flatbuffers::Offset<schema::BlobRef> ref;
      if (blob) {
        ref = schema::CreateBlobRef(b, b.CreateString(blob->content_hash), blob->byte_size,
                                    b.CreateString(blob->content_type), b.CreateString(blob->filename));
      }
      return schema::CreateMessagePosted(b, id, room, creator, b.CreateString(client_id), b.CreateString(body.html),
                                         b.CreateString(body.plain_text), b.CreateVector(mentions), ref,
                                         b.CreateVector(unread));
    }));
    c.report.imported("messages");
    if (has_text) {
      c.report.imported("rich texts");
      // A message was edited when its rich text changed after it was made (README: a boost
      // touches messages.updated_at, so that column says nothing).
      int64_t made = time_or(st->col_text(7), t), changed = time_or(st->col_text(8), made);
      if (changed > made && !blob) {
        HEARTH_TRY(c.sink.emit(changed, [&](FlatBufferBuilder& b) {
          return schema::CreateMessageEdited(b, id, room, b.CreateString(body.html), b.CreateString(body.plain_text),
                                             b.CreateVector(mentions));
        }));
        c.report.read("message edits");
        c.report.imported("message edits");
      }
    }
    while (boosts && boosts->has() && boosts->message_id() == id) {
      const sqlite::Stmt& bo = boosts->row();
      c.report.read("boosts");
      int64_t boost_id = bo.col_int(0), booster = bo.col_int(2);
      if (!c.users.contains(booster) || boost_id <= 0) {
        c.report.skip("boosts", boost_id, "booster id is not a valid user id");
      } else {
        std::string content = text(bo, 3);
        HEARTH_TRY(c.sink.emit(time_or(bo.col_text(4), t), [&](FlatBufferBuilder& b) {
          return schema::CreateBoostAdded(b, boost_id, id, room, booster, b.CreateString(content));
        }));
        c.report.imported("boosts");
      }
      HEARTH_TRY(boosts->advance());
    }
  }
  c.progress.finish();
  for (const auto& [room, users] : c.unread_members) {
    if (!c.last_message_of_room.contains(room)) {
      for (int64_t u : users) c.report.note("room " + std::to_string(room) + " unread for user " + std::to_string(u) + " but has no messages: flag dropped");
    }
  }
  return ok_status();
}

}  // namespace hearth::migrate
