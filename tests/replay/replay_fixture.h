#pragma once
// A small but real data directory for the replay tests: a log written through EventLog::append
// (so seqs, checksums and chain are the real ones) and, optionally, a state file folded batch by
// batch by the Projector as the sequencer does live. Payloads are built here with the generated
// FlatBuffers API; nothing is mocked.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/log/event_log.h"
#include "core/sqlite/db.h"
#include "projections/projector.h"
#include "schema/events_generated.h"
#include "support/temp_dir.h"

namespace hearth::replay_test {

namespace fbs = hearth::schema;
using flatbuffers::FlatBufferBuilder;

// One event of payload type T; `build` adds the payload table to the builder.
template <class T, class Build>
StoredEvent event(int64_t actor, std::string command_id, Build build) {
  FlatBufferBuilder fbb;
  flatbuffers::Offset<T> payload = build(fbb);
  fbb.Finish(fbs::CreateEvent(fbb, fbs::PayloadTraits<T>::enum_value, payload.Union()));
  StoredEvent e;
  e.actor = UserId(actor);
  e.type = static_cast<uint32_t>(fbs::PayloadTraits<T>::enum_value);
  e.command_id = std::move(command_id);
  e.payload.assign(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  return e;
}

inline StoredEvent user_joined(int64_t user, const char* name, fbs::Role role = fbs::Role::Member) {
  return event<fbs::UserJoined>(0, "", [&](FlatBufferBuilder& b) {
    return fbs::CreateUserJoinedDirect(b, user, name, (std::string(name) + "@example.com").c_str(),
                                       "$argon2id$digest", role);
  });
}
inline StoredEvent room_created(int64_t actor, int64_t room, fbs::RoomKind kind, const char* name) {
  return event<fbs::RoomCreated>(actor, "", [&](FlatBufferBuilder& b) {
    return fbs::CreateRoomCreatedDirect(b, room, kind, name, actor);
  });
}
inline StoredEvent granted(int64_t actor, int64_t room, int64_t user) {
  return event<fbs::MembershipGranted>(actor, "", [&](FlatBufferBuilder& b) {
    return fbs::CreateMembershipGranted(b, room, user, fbs::Involvement::Mentions);
  });
}
inline StoredEvent posted(int64_t actor, int64_t message, int64_t room, const char* client_id,
                          const char* text, std::vector<int64_t> mentions = {}) {
  return event<fbs::MessagePosted>(actor, client_id, [&](FlatBufferBuilder& b) {
    std::string html = std::string("<p>") + text + "</p>";
    return fbs::CreateMessagePostedDirect(b, message, room, actor, client_id, html.c_str(), text,
                                          &mentions);
  });
}

// The story every replay test reads. Users 1 (admin), 2, 3; room 1 open, room 2 closed.
// seq  1 AccountCreated           10 MembershipGranted r2 u1
// seq  2 UserJoined u1            11 MessagePosted m2 r2 (u2 not yet a member)
// seq  3 RoomCreated r1 open      12 UserJoined u3
// seq  4 MembershipGranted r1 u1  13 MembershipGranted r1 u3
// seq  5 SessionStarted u1        14 BoostAdded on m1 by u2
// seq  6 UserJoined u2            15 MessageEdited m1
// seq  7 MembershipGranted r1 u2  16 MembershipGranted r2 u2
// seq  8 MessagePosted m1 r1      17 MessagePosted m3 r2 by u2, mentions u1
// seq  9 RoomCreated r2 closed    18 RoomRead r2 u1
inline std::vector<std::vector<StoredEvent>> story() {
  using B = FlatBufferBuilder;
  std::vector<std::vector<StoredEvent>> batches;
  batches.push_back({
      event<fbs::AccountCreated>(0, "setup-1", [](B& b) { return fbs::CreateAccountCreatedDirect(b, "Acme", "j01n"); }),
      user_joined(1, "Ada", fbs::Role::Administrator),
      room_created(1, 1, fbs::RoomKind::Open, "All Talk"),
      granted(1, 1, 1),
      event<fbs::SessionStarted>(1, "", [](B& b) {
        return fbs::CreateSessionStartedDirect(b, 1, 1, "5e551011", "127.0.0.1", "test \"agent\"");
      }),
  });
  batches.push_back({user_joined(2, "Bob"), granted(0, 1, 2)});
  batches.push_back({posted(1, 1, 1, "c-1", "hello")});
  batches.push_back({room_created(1, 2, fbs::RoomKind::Closed, "Secret"), granted(1, 2, 1)});
  batches.push_back({posted(1, 2, 2, "c-2", "secret plans\nline two")});
  batches.push_back({user_joined(3, "Cy"), granted(0, 1, 3)});
  batches.push_back({
      event<fbs::BoostAdded>(2, "b-1", [](B& b) { return fbs::CreateBoostAddedDirect(b, 1, 1, 1, 2, "\xF0\x9F\x91\x8D"); }),
      event<fbs::MessageEdited>(1, "e-1", [](B& b) {
        return fbs::CreateMessageEditedDirect(b, 1, 1, "<p>hello, world</p>", "hello, world");
      }),
  });
  batches.push_back({granted(1, 2, 2)});
  batches.push_back({posted(2, 3, 2, "c-3", "@Ada more", {1})});
  batches.push_back({event<fbs::RoomRead>(1, "", [](B& b) { return fbs::CreateRoomRead(b, 2, 1); })});
  return batches;
}
inline constexpr int64_t kStoryEvents = 18;

// Writes the story into data_dir/log.sqlite3; with `live`, also folds each batch into
// data_dir/state.sqlite3 right after appending it, as the sequencer does.
inline void write_story(const testing::TempDir& dir, bool live) {
  auto log = EventLog::open(dir.file("log.sqlite3"), EventLog::Options{});
  ASSERT_TRUE(log.ok()) << log.error().message;
  std::unique_ptr<Projector> projector;
  if (live) {
    auto p = Projector::open(dir.file("state.sqlite3"));
    ASSERT_TRUE(p.ok()) << p.error().message;
    projector = std::move(*p);
  }
  int64_t time_us = 1'700'000'000'000'000;
  for (auto& batch : story()) {
    for (auto& e : batch) e.time_us = time_us += 1'500'123;
    auto st = (*log)->append(batch);
    ASSERT_TRUE(st.ok()) << st.error().message;
    if (projector) {
      auto applied = projector->apply(batch);
      ASSERT_TRUE(applied.ok()) << applied.error().message;
    }
  }
}

// Flips one bit of the byte in the middle of `seq`'s payload, behind the log's back: the
// append-only trigger is dropped first, as an attacker or a bad disk would not ask permission.
inline void flip_payload_byte(const std::string& log_path, int64_t seq) {
  auto db = sqlite::Db::open(log_path, sqlite::Db::Mode::kReadWrite);
  ASSERT_TRUE(db.ok());
  auto st = db->prepare("SELECT payload FROM events WHERE seq = ?");
  ASSERT_TRUE(st.ok());
  st->bind(1, seq);
  ASSERT_TRUE(*st->step());
  auto blob = st->col_blob(0);
  std::vector<uint8_t> payload(blob.begin(), blob.end());
  payload[payload.size() / 2] ^= 0x01;
  ASSERT_TRUE(db->exec("DROP TRIGGER events_no_update").ok());
  auto up = db->prepare("UPDATE events SET payload = ? WHERE seq = ?");
  ASSERT_TRUE(up.ok());
  up->bind_blob(1, payload).bind(2, seq);
  ASSERT_TRUE(up->run().ok());
}

// Runs the `hearth` binary with `args` (a shell fragment); stdout and stderr together.
struct Run {
  int code = -1;
  std::string output;
};
inline Run run_hearth(const std::string& args) {
  std::string cmd = std::string(HEARTH_BINARY) + " " + args + " 2>&1";
  Run run;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return run;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) run.output.append(buf, n);
  int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;  // -1: killed by a signal (a crash)
  return run;
}

// Splits text into lines, without the trailing empty one.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.push_back(text.substr(start, nl - start));
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

}  // namespace hearth::replay_test
