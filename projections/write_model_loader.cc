#include "projections/write_model_loader.h"

#include <functional>
#include <string>

namespace hearth {
namespace {

// Runs `sql` and calls `row` for each result row.
Status each_row(const sqlite::Db& db, std::string_view sql, const std::function<void(const sqlite::Stmt&)>& row) {
  auto st = db.prepare(sql);
  if (!st) return st.take_error();
  for (;;) {
    auto has = st->step();
    if (!has) return has.take_error();
    if (!*has) return ok_status();
    row(*st);
  }
}

// NULL columns read back as "": the projection stores empty emails and hashes as NULL.
std::string text(const sqlite::Stmt& s, int i) { return std::string(s.col_text(i)); }

}  // namespace

// Reads in one read transaction so the tables are mutually consistent even while the projector
// commits on another connection.
Result<WriteModel> load_write_model(const sqlite::Db& state) {
  WriteModel m;
  auto begin = state.prepare("BEGIN");
  if (!begin) return begin.take_error();
  HEARTH_TRY(begin->run());
  auto load = [&]() -> Status {
    HEARTH_TRY(each_row(state, "SELECT name, join_code, restrict_room_creation FROM account WHERE id = 1",
                        [&](const sqlite::Stmt& s) {
                          m.account.exists = true;
                          m.account.name = text(s, 0);
                          m.account.join_code = text(s, 1);
                          m.account.restrict_room_creation = s.col_int(2) != 0;
                        }));
    HEARTH_TRY(each_row(state, "SELECT id, name, email, role, status, bot_token_hash FROM users",
                        [&](const sqlite::Stmt& s) {
                          auto& u = m.users[UserId(s.col_int(0))];
                          u.name = text(s, 1);
                          u.email = text(s, 2);
                          u.role = static_cast<Role>(s.col_int(3));
                          u.status = static_cast<UserStatus>(s.col_int(4));
                          u.bot_token_hash = text(s, 5);
                        }));
    HEARTH_TRY(each_row(state, "SELECT id, kind, name, creator_id FROM rooms", [&](const sqlite::Stmt& s) {
      auto& r = m.rooms[RoomId(s.col_int(0))];
      r.kind = static_cast<RoomKind>(s.col_int(1));
      r.name = text(s, 2);
      r.creator = UserId(s.col_int(3));
    }));
    // Memberships of rooms that no longer exist cannot be there (RoomDeleted takes them), but the
    // join keeps the model free of phantom rooms whatever the file holds.
    HEARTH_TRY(each_row(state,
                        "SELECT m.room_id, m.user_id, m.involvement, m.unread FROM memberships m "
                        "JOIN rooms r ON r.id = m.room_id",
                        [&](const sqlite::Stmt& s) {
                          m.rooms[RoomId(s.col_int(0))].members[UserId(s.col_int(1))] =
                              MemberFacts{static_cast<Involvement>(s.col_int(2)), s.col_int(3) != 0};
                        }));
    HEARTH_TRY(each_row(state, "SELECT id, user_id, token_hash, ip FROM sessions", [&](const sqlite::Stmt& s) {
      m.sessions[SessionId(s.col_int(0))] = SessionFacts{UserId(s.col_int(1)), text(s, 2), text(s, 3)};
    }));
    HEARTH_TRY(each_row(state, "SELECT id, user_id, endpoint, p256dh_key, auth_key FROM push_subscriptions",
                        [&](const sqlite::Stmt& s) {
                          m.push_subscriptions[PushSubscriptionId(s.col_int(0))] =
                              PushFacts{UserId(s.col_int(1)), text(s, 2), text(s, 3), text(s, 4)};
                        }));
    return each_row(state,
                    "SELECT user, room, message, boost, session, push_subscription FROM id_counters WHERE id = 1",
                    [&](const sqlite::Stmt& s) {
                      m.last_ids = IdCounters{s.col_int(0), s.col_int(1), s.col_int(2),
                                              s.col_int(3), s.col_int(4), s.col_int(5)};
                    });
  };
  Status st = load();
  auto end = state.prepare("COMMIT");
  if (!end) return end.take_error();
  HEARTH_TRY(end->run());
  if (!st.ok()) return st.take_error();
  m.reindex();
  return m;
}

}  // namespace hearth
