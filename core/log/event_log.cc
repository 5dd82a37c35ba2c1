#include "core/log/event_log.h"

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack
#include <xxhash.h>

#include <bit>
#include <climits>
#include <algorithm>
#include <cstring>

#include "schema/events_generated.h"

namespace hearth {
namespace {

constexpr std::string_view kSchemaSql = R"sql(
CREATE TABLE IF NOT EXISTS events(
  seq        INTEGER PRIMARY KEY,
  time_us    INTEGER NOT NULL,
  actor      INTEGER NOT NULL,
  type       INTEGER NOT NULL,
  command_id TEXT,
  payload    BLOB NOT NULL,
  checksum   INTEGER NOT NULL,
  chain      INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_command ON events(actor, command_id) WHERE command_id IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the log is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the log is append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_contiguous BEFORE INSERT ON events
  WHEN NEW.seq IS NOT (SELECT IFNULL(MAX(seq), 0) + 1 FROM events)
  BEGIN SELECT RAISE(ABORT, 'the log is contiguous: seq must be max(seq) + 1'); END;
)sql";

Error corruption_at(Seq seq, const std::string& what) {
  return Error{ErrorCode::kCorruption, "log corrupt at seq " + std::to_string(seq.value) + ": " + what};
}

void read_row(const sqlite::Stmt& st, StoredEvent& e) {
  e.seq = Seq(st.col_int(0));
  e.time_us = st.col_int(1);
  e.actor = UserId(st.col_int(2));
  e.type = static_cast<uint32_t>(st.col_int(3));
  e.command_id = std::string(st.col_text(4));
  auto blob = st.col_blob(5);
  e.payload.assign(blob.begin(), blob.end());
  e.checksum = std::bit_cast<uint64_t>(st.col_int(6));
  e.chain = std::bit_cast<uint64_t>(st.col_int(7));
}

constexpr std::string_view kSelectColumns =
    "SELECT seq, time_us, actor, type, command_id, payload, checksum, chain FROM events ";

}  // namespace

namespace {

void le64(uint8_t* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}
void le32(uint8_t* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

// Streamed, with the fixed header on the stack: this runs for every event at append and verify.
uint64_t event_checksum(const StoredEvent& e) {
  uint8_t header[32];
  le64(header, static_cast<uint64_t>(e.seq.value));
  le64(header + 8, static_cast<uint64_t>(e.time_us));
  le64(header + 16, static_cast<uint64_t>(e.actor.value));
  le32(header + 24, e.type);
  le32(header + 28, static_cast<uint32_t>(e.command_id.size()));
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  XXH3_64bits_update(&state, header, sizeof header);
  XXH3_64bits_update(&state, e.command_id.data(), e.command_id.size());
  XXH3_64bits_update(&state, e.payload.data(), e.payload.size());
  return XXH3_64bits_digest(&state);
}

uint64_t chain_next(uint64_t prev_chain, uint64_t checksum) {
  uint8_t buf[16];
  le64(buf, prev_chain);
  le64(buf + 8, checksum);
  return XXH3_64bits(buf, sizeof buf);
}

Status verify_payload(uint32_t type, std::span<const uint8_t> payload) {
  flatbuffers::Verifier verifier(payload.data(), payload.size(), /*max_depth=*/16,
                                 /*max_tables=*/100000);
  if (!schema::VerifyEventBuffer(verifier)) return invalid("payload fails the FlatBuffers verifier");
  auto* ev = schema::GetEvent(payload.data());
  auto t = static_cast<uint32_t>(ev->payload_type());
  if (t == 0 || t > static_cast<uint32_t>(schema::Payload::MAX)) return invalid("payload has an unknown event type");
  if (t != type) return invalid("payload type " + std::to_string(t) + " differs from type column " + std::to_string(type));
  // A union value is optional in FlatBuffers: a type with no table behind it passes the verifier.
  if (!ev->payload()) return invalid("payload names a type but carries no table");
  // FlatBuffers 2.0's verifier checks a vector's length alignment (4) but not its elements', so a
  // [long] could sit at 4 mod 8 and reading it would be undefined behaviour. These are the
  // schema's only vectors of 8-byte scalars.
  auto aligned = [&](const flatbuffers::Vector<int64_t>* v) {
    // An empty vector reads no element, and the builder does not align it.
    return !v || v->size() == 0 || (reinterpret_cast<uintptr_t>(v->Data()) - reinterpret_cast<uintptr_t>(payload.data())) % 8 == 0;
  };
  bool ok = true;
  if (auto* p = ev->payload_as_MessagePosted()) ok = aligned(p->mentioned_user_ids()) && aligned(p->unread_user_ids());
  if (auto* p = ev->payload_as_MessageEdited()) ok = aligned(p->mentioned_user_ids());
  if (!ok) return invalid("payload has a misaligned vector of 64-bit ids");
  return ok_status();
}

Result<std::unique_ptr<EventLog>> EventLog::open(const std::string& path, const Options& options) {
  auto mode = options.read_only ? sqlite::Db::Mode::kReadOnly
               : options.create  ? sqlite::Db::Mode::kReadWriteCreate
                                 : sqlite::Db::Mode::kReadWrite;
  auto db = sqlite::Db::open(path, mode, options.vfs);
  if (!db) return db.take_error();
  std::unique_ptr<EventLog> log(new EventLog(std::move(*db), options));
  auto& d = log->db_;
  if (!options.read_only) {
    HEARTH_TRY(d.exec("PRAGMA journal_mode=WAL"));
    HEARTH_TRY(d.exec(options.durability == Durability::kFull ? "PRAGMA synchronous=FULL"
                                                              : "PRAGMA synchronous=NORMAL"));
    HEARTH_TRY(d.exec(kSchemaSql));
  } else {
    auto has = d.query_int("SELECT count(*) FROM sqlite_master WHERE name='events' AND type='table'");
    if (!has) return has.take_error();
    if (!has->value_or(0)) return Error{ErrorCode::kCorruption, path + " is not a Hearth log (no events table)"};
  }
  HEARTH_TRY(log->refresh());
  if (options.verify_on_open) {
    Seq after(0);
    if (options.verify_tail > 0) after = Seq(std::max<int64_t>(0, log->last_seq_.value - options.verify_tail));
    auto checked = log->verify(after);
    if (!checked) return checked.take_error();
  }
  if (!options.read_only) HEARTH_TRY(log->prepare_statements());
  return log;
}

Status EventLog::prepare_statements() {
  auto st = db_.prepare(
      "INSERT INTO events(seq, time_us, actor, type, command_id, payload, checksum, chain) "
      "VALUES(?,?,?,?,?,?,?,?)");
  if (!st) return st.take_error();
  insert_ = std::move(*st);
  return ok_status();
}

Status EventLog::refresh() {
  auto st = db_.prepare("SELECT seq, chain FROM events ORDER BY seq DESC LIMIT 1");
  if (!st) return st.take_error();
  auto row = st->step();
  if (!row) return row.take_error();
  if (*row) {
    last_seq_ = Seq(st->col_int(0));
    last_chain_ = std::bit_cast<uint64_t>(st->col_int(1));
  } else {
    last_seq_ = Seq(0);
    last_chain_ = 0;
  }
  return ok_status();
}

Status EventLog::append(std::span<StoredEvent> batch) {
  if (poisoned_) return *poisoned_;
  if (options_.read_only) return Error{ErrorCode::kIo, "log opened read-only"};
  if (batch.empty()) return ok_status();
  auto fail = [&](Error e) -> Status {
    // After a failed write the file's state is indeterminate: refuse all further writes.
    poisoned_ = Error{e.code == ErrorCode::kCorruption ? e.code : ErrorCode::kUnavailable,
                      "log append failed, writes stopped: " + e.message};
    return *poisoned_;
  };
  if (!in_batch_) {
    auto begun = begin_batch();
    if (!begun.ok()) return fail(begun.take_error());
  }
  in_batch_ = false;
  Seq seq = last_seq_;
  uint64_t chain = last_chain_;
  for (auto& e : batch) {
    seq = seq.next();
    e.seq = seq;
    e.checksum = event_checksum(e);
    chain = chain_next(chain, e.checksum);
    e.chain = chain;
    insert_.bind(1, e.seq.value)
        .bind(2, e.time_us)
        .bind(3, e.actor.value)
        .bind(4, static_cast<int64_t>(e.type))
        .bind_text_or_null(5, e.command_id)
        .bind_blob(6, e.payload)
        .bind(7, std::bit_cast<int64_t>(e.checksum))
        .bind(8, std::bit_cast<int64_t>(e.chain));
    auto st = insert_.run();
    if (!st.ok()) {
      (void)db_.exec("ROLLBACK");
      return fail(st.take_error());
    }
  }
  auto committed = db_.exec("COMMIT");
  if (!committed.ok()) {
    (void)db_.exec("ROLLBACK");
    return fail(committed.take_error());
  }
  last_seq_ = seq;
  last_chain_ = chain;
  return ok_status();
}

Status EventLog::begin_batch() {
  if (poisoned_) return *poisoned_;
  if (options_.read_only) return Error{ErrorCode::kIo, "log opened read-only"};
  if (in_batch_) return ok_status();
  HEARTH_TRY(db_.exec("BEGIN IMMEDIATE"));
  in_batch_ = true;
  return ok_status();
}

void EventLog::end_batch() {
  if (!in_batch_) return;
  in_batch_ = false;
  (void)db_.exec("ROLLBACK");  // nothing was written
}

Status EventLog::scan(Seq after, Seq upto, const std::function<Status(const StoredEvent&)>& fn) const {
  auto st = db_.prepare(std::string(kSelectColumns) + "WHERE seq > ? AND seq <= ? ORDER BY seq");
  if (!st) return st.take_error();
  st->bind(1, after.value).bind(2, upto.value);
  StoredEvent e;
  for (;;) {
    auto row = st->step();
    if (!row) return row.take_error();
    if (!*row) break;
    read_row(*st, e);
    HEARTH_TRY(fn(e));
  }
  return ok_status();
}

Result<std::optional<StoredEvent>> EventLog::read(Seq seq) const {
  auto st = db_.prepare(std::string(kSelectColumns) + "WHERE seq = ?");
  if (!st) return st.take_error();
  st->bind(1, seq.value);
  auto row = st->step();
  if (!row) return row.take_error();
  if (!*row) return std::optional<StoredEvent>{};
  StoredEvent e;
  read_row(*st, e);
  return std::optional<StoredEvent>{std::move(e)};
}

Result<std::optional<std::pair<Seq, Seq>>> EventLog::find_command(UserId actor, std::string_view command_id) const {
  using R = std::optional<std::pair<Seq, Seq>>;
  if (command_id.empty()) return R{};
  if (!find_command_.raw()) {
    auto st = db_.prepare(
        "SELECT MIN(seq), MAX(seq) FROM events WHERE actor = ? AND command_id = ? AND command_id IS NOT NULL");
    if (!st) return st.take_error();
    find_command_ = std::move(*st);
  }
  auto& st = find_command_;
  st.bind(1, actor.value).bind(2, command_id);
  auto row = st.step();
  if (!row) return row.take_error();
  R found;
  if (*row && !st.col_null(0)) found = std::pair{Seq(st.col_int(0)), Seq(st.col_int(1))};
  st.reset();
  return found;
}

Result<int64_t> EventLog::verify_range(Seq after, Seq upto) const {
  Seq expect = after.next();
  uint64_t chain = 0;
  if (after.value > 0) {
    auto prev = read(after);
    if (!prev) return prev.take_error();
    if (!*prev) return corruption_at(after, "missing");
    chain = (*prev)->chain;
  }
  int64_t count = 0;
  auto st = scan(after, upto, [&](const StoredEvent& e) -> Status {
    if (e.seq != expect) {
      return corruption_at(expect, "missing; next stored event is seq " + std::to_string(e.seq.value));
    }
    if (event_checksum(e) != e.checksum) return corruption_at(e.seq, "checksum mismatch");
    chain = chain_next(chain, e.checksum);
    if (chain != e.chain) return corruption_at(e.seq, "chain mismatch");
    auto payload_ok = verify_payload(e.type, e.payload);
    if (!payload_ok.ok()) return corruption_at(e.seq, payload_ok.error().message);
    expect = expect.next();
    ++count;
    return ok_status();
  });
  if (!st.ok()) return st.take_error();
  return count;
}

}  // namespace hearth
