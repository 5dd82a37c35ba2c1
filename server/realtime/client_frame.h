#pragma once
// The JSON side of the WebSocket protocol (docs/protocol.md), without sockets: what a client's
// text message means, and the text of every message the server sends. The connection code reads
// frames with parse_client_frame and writes the strings built here.
//
// Every sequenced `events` message is written as a gather of buffers, so that each event's JSON
// (server/realtime/event_json.h), serialized once and shared by every connection, is never copied
// into a per-connection string:
//
//   events_prefix(prev) + event_json(e1) + "," + event_json(e2) + ... + events_suffix(seq)
//   = {"type":"events","prev":P,"events":[E1,E2,...],"seq":S}
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/base/ids.h"

namespace hearth::server::realtime {

// ---- client → server -----------------------------------------------------------------------

struct Hello { Seq cursor; };
struct Post {
  std::string id;  // the client's command id: the idempotency key (DESIGN I6)
  RoomId room_id;
  std::string body_html;  // plain text and mentions are derived from it (server/message_commands.h)
};
struct Edit {
  std::string id;
  MessageId message_id;
  std::string body_html;
};
struct Delete {
  std::string id;
  MessageId message_id;
};
struct Typing {
  RoomId room_id;
  bool active = false;
};
// Presence (server/realtime/presence.h): this connection views `room_id` now, or no longer;
// `refresh` renews every room this connection is present in.
struct Present { RoomId room_id; };
struct Absent { RoomId room_id; };
struct Refresh {};
struct Gap { Seq last, prev; };
struct Ping {};

using ClientFrame = std::variant<Hello, Post, Edit, Delete, Typing, Present, Absent, Refresh, Gap, Ping>;

// The `code` of the `error` frame the server answers a frame it cannot read with.
inline constexpr std::string_view kBadFrame = "bad_frame";        // not JSON, not an object, bad field
inline constexpr std::string_view kUnknownType = "unknown_type";  // a `type` this server does not know

// The longest client message (protocol: larger ones close the connection with 1009 before they get
// here; checked again so the parser stands alone) and the bounds of a command id.
inline constexpr size_t kMaxClientFrameBytes = 64 * 1024;
inline constexpr size_t kMaxCommandIdBytes = 64;

struct FrameError {
  std::string_view code;  // kBadFrame or kUnknownType
  std::string message;    // for people: names the field and what was wrong
};

// A ClientFrame or a FrameError (Result<T>'s Error carries an ErrorCode enum, and the protocol's
// codes are strings of their own).
class [[nodiscard]] ParsedFrame {
 public:
  ParsedFrame(ClientFrame frame) : v_(std::move(frame)) {}  // NOLINT: implicit by design
  ParsedFrame(FrameError error) : v_(std::move(error)) {}   // NOLINT: implicit by design
  bool ok() const { return v_.index() == 0; }
  const ClientFrame& frame() const { return std::get<0>(v_); }
  ClientFrame& frame() { return std::get<0>(v_); }
  const FrameError& error() const { return std::get<1>(v_); }

 private:
  std::variant<ClientFrame, FrameError> v_;
};

// Reads one client text message. Strict about what the protocol names (types, ranges: ids 1..64
// bytes, entity ids > 0, cursors >= 0, integers not floats), tolerant of fields it does not name
// (ignored, so a newer client can add some). Never throws; any input is either a frame or an error.
ParsedFrame parse_client_frame(std::string_view text);

// ---- server → client -----------------------------------------------------------------------

std::string welcome_frame(UserId user, Seq cursor, Seq head);
std::string ack_frame(std::string_view id, Seq seq, MessageId result_id, bool replayed);
std::string rejected_frame(std::string_view id, std::string_view code, std::string_view message);
std::string typing_frame(RoomId room, UserId user, bool active);
std::string pong_frame();
std::string error_frame(std::string_view code, std::string_view message);
std::string reset_frame(std::string_view reason);
std::string checkpoint_frame(Seq prev, Seq seq);

// `{"type":"events","prev":P,"events":[` and `],"seq":S}`: see the top of this file.
std::string events_prefix(Seq prev);
std::string events_suffix(Seq seq);

}  // namespace hearth::server::realtime
