#include "server/realtime/client_frame.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <optional>

#include "server/realtime/json_writer.h"

namespace hearth::server::realtime {
namespace {

namespace json = boost::json;

// Nesting a client has no reason to use; bounds the parser's recursion whatever the input.
constexpr unsigned kMaxDepth = 8;

FrameError bad(std::string message) { return FrameError{kBadFrame, std::move(message)}; }

// Field readers: each returns the value, or sets `error` (once: the first problem is reported).
class Fields {
 public:
  explicit Fields(const json::object& o) : o_(o) {}

  std::optional<FrameError> error;

  // An integer >= `min`; floats (even 5.0) and integers beyond int64 are refused.
  int64_t integer(std::string_view name, int64_t min) {
    const json::value* v = find(name);
    if (!v) return 0;
    if (!v->is_int64()) {  // a uint64 here holds a value past INT64_MAX
      fail(name, v->is_number() ? "must be an integer in range" : "must be an integer");
      return 0;
    }
    int64_t n = v->get_int64();
    if (n < min) {
      fail(name, min == 0 ? "must not be negative" : "must be positive");
      return 0;
    }
    return n;
  }
  std::string text(std::string_view name) {
    const json::value* v = find(name);
    if (!v) return {};
    if (!v->is_string()) {
      fail(name, "must be a string");
      return {};
    }
    return std::string(v->get_string());
  }
  bool flag(std::string_view name) {
    const json::value* v = find(name);
    if (!v) return false;
    if (!v->is_bool()) {
      fail(name, "must be true or false");
      return false;
    }
    return v->get_bool();
  }
  std::string command_id() {
    std::string id = text("id");
    if (!error && (id.empty() || id.size() > kMaxCommandIdBytes)) {
      fail("id", "must be 1 to " + std::to_string(kMaxCommandIdBytes) + " bytes");
    }
    return id;
  }
 private:
  const json::value* find(std::string_view name) {
    if (error) return nullptr;
    const json::value* v = o_.if_contains(name);
    if (!v) fail(name, "is missing");
    return v;
  }
  void fail(std::string_view name, std::string_view what) {
    if (!error) error = bad("field '" + std::string(name) + "' " + std::string(what));
  }

  const json::object& o_;
};

template <class Frame>
ParsedFrame done(Fields& f, Frame frame) {
  if (f.error) return std::move(*f.error);
  return ClientFrame(std::move(frame));
}

}  // namespace

ParsedFrame parse_client_frame(std::string_view text) {
  if (text.size() > kMaxClientFrameBytes) {
    return bad("frame is longer than " + std::to_string(kMaxClientFrameBytes) + " bytes");
  }
  // A client frame is small: parse into a stack buffer first, spilling to the heap only for big
  // posts. The DOM lives only until the frame's fields are copied out below.
  unsigned char buffer[4096];
  json::monotonic_resource resource(buffer, sizeof buffer);
  json::parse_options options;
  options.max_depth = kMaxDepth;
  json::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec, &resource, options);
  if (ec) return bad("not JSON: " + ec.message());
  if (!root.is_object()) return bad("a frame is a JSON object");
  const json::object& o = root.get_object();
  const json::value* type_value = o.if_contains("type");
  if (!type_value || !type_value->is_string()) return bad("field 'type' must be a string");
  std::string_view type(type_value->get_string());

  Fields f(o);
  if (type == "hello") return done(f, Hello{Seq(f.integer("cursor", 0))});
  if (type == "post") {
    Post p;
    p.id = f.command_id();
    p.room_id = RoomId(f.integer("room_id", 1));
    p.body_html = f.text("body_html");  // a plain_text or mentions sent too is ignored
    return done(f, std::move(p));
  }
  if (type == "edit") {
    Edit e;
    e.id = f.command_id();
    e.message_id = MessageId(f.integer("message_id", 1));
    e.body_html = f.text("body_html");
    return done(f, std::move(e));
  }
  if (type == "delete") {
    Delete d;
    d.id = f.command_id();
    d.message_id = MessageId(f.integer("message_id", 1));
    return done(f, std::move(d));
  }
  if (type == "typing") {
    Typing t;
    t.room_id = RoomId(f.integer("room_id", 1));
    t.active = f.flag("active");
    return done(f, t);
  }
  if (type == "present") return done(f, Present{RoomId(f.integer("room_id", 1))});
  if (type == "absent") return done(f, Absent{RoomId(f.integer("room_id", 1))});
  if (type == "refresh") return ClientFrame(Refresh{});
  if (type == "gap") {
    Gap g;
    g.last = Seq(f.integer("last", 0));
    g.prev = Seq(f.integer("prev", 0));
    return done(f, g);
  }
  if (type == "ping") return ClientFrame(Ping{});
  std::string shown(type.substr(0, 64));
  return FrameError{kUnknownType, "unknown frame type " + json_string(shown)};
}

// ---- server → client -----------------------------------------------------------------------

namespace {

// A frame is one object that starts with its type; `fill` adds the rest.
template <class Fill>
std::string frame(std::string_view type, Fill fill) {
  std::string out;
  out.reserve(64);
  JsonWriter w(out);
  w.begin_object().key("type").string(type);
  fill(w);
  w.end_object();
  return out;
}

}  // namespace

std::string welcome_frame(UserId user, Seq cursor, Seq head) {
  return frame("welcome", [&](JsonWriter& w) {
    w.key("user_id").integer(user.value).key("cursor").integer(cursor.value).key("head").integer(head.value);
  });
}

std::string ack_frame(std::string_view id, Seq seq, MessageId result_id, bool replayed) {
  return frame("ack", [&](JsonWriter& w) {
    w.key("id").string(id).key("seq").integer(seq.value).key("result_id").integer(result_id.value);
    w.key("replayed").boolean(replayed);
  });
}

std::string rejected_frame(std::string_view id, std::string_view code, std::string_view message) {
  return frame("rejected", [&](JsonWriter& w) {
    w.key("id").string(id).key("code").string(code).key("message").string(message);
  });
}

std::string typing_frame(RoomId room, UserId user, bool active) {
  return frame("typing", [&](JsonWriter& w) {
    w.key("room_id").integer(room.value).key("user_id").integer(user.value).key("active").boolean(active);
  });
}

std::string pong_frame() {
  return frame("pong", [](JsonWriter&) {});
}

std::string error_frame(std::string_view code, std::string_view message) {
  return frame("error", [&](JsonWriter& w) { w.key("code").string(code).key("message").string(message); });
}

std::string reset_frame(std::string_view reason) {
  return frame("reset", [&](JsonWriter& w) { w.key("reason").string(reason); });
}

std::string checkpoint_frame(Seq prev, Seq seq) {
  return frame("checkpoint", [&](JsonWriter& w) { w.key("prev").integer(prev.value).key("seq").integer(seq.value); });
}

std::string events_prefix(Seq prev) {
  return "{\"type\":\"events\",\"prev\":" + std::to_string(prev.value) + ",\"events\":[";
}

std::string events_suffix(Seq seq) {
  return "],\"seq\":" + std::to_string(seq.value) + "}";
}

}  // namespace hearth::server::realtime
