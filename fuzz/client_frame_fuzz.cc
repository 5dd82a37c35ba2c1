// libFuzzer target for the client side of the WebSocket protocol (server/realtime/client_frame.h):
// whatever text a browser sends, parse_client_frame answers a frame or a typed error, never
// crashes, and stays bounded. Two round trips make it more than a crash test:
//  - a frame that parses, written back as JSON by our own writer, parses to the same frame (so
//    every string survives the writer's escaping and the reader's unescaping unchanged);
//  - an error, put into the server's `error` frame, is a JSON object the same parser reads (so an
//    error message quoting hostile input never breaks the frame that carries it).
// tests/server/realtime_fuzz_corpus_test.cc includes this file with HEARTH_FUZZ_NO_MAIN defined
// and replays fuzz/corpus/client_frame through check_client_frame_input in every ctest run.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "server/realtime/client_frame.h"
#include "server/realtime/json_writer.h"

namespace hearth::fuzzing {

namespace rt = hearth::server::realtime;

// The frame as a client would send it.
inline std::string client_frame_json(const rt::ClientFrame& frame) {
  std::string out;
  rt::JsonWriter w(out);
  w.begin_object();
  std::visit(
      [&](const auto& f) {
        using F = std::decay_t<decltype(f)>;
        if constexpr (std::is_same_v<F, rt::Hello>) {
          w.key("type").string("hello").key("cursor").integer(f.cursor.value);
        } else if constexpr (std::is_same_v<F, rt::Post>) {
          w.key("type").string("post").key("id").string(f.id).key("room_id").integer(f.room_id.value);
          w.key("body_html").string(f.body_html);
        } else if constexpr (std::is_same_v<F, rt::Edit>) {
          w.key("type").string("edit").key("id").string(f.id).key("message_id").integer(f.message_id.value);
          w.key("body_html").string(f.body_html);
        } else if constexpr (std::is_same_v<F, rt::Delete>) {
          w.key("type").string("delete").key("id").string(f.id).key("message_id").integer(f.message_id.value);
        } else if constexpr (std::is_same_v<F, rt::Typing>) {
          w.key("type").string("typing").key("room_id").integer(f.room_id.value).key("active").boolean(f.active);
        } else if constexpr (std::is_same_v<F, rt::Present>) {
          w.key("type").string("present").key("room_id").integer(f.room_id.value);
        } else if constexpr (std::is_same_v<F, rt::Absent>) {
          w.key("type").string("absent").key("room_id").integer(f.room_id.value);
        } else if constexpr (std::is_same_v<F, rt::Refresh>) {
          w.key("type").string("refresh");
        } else if constexpr (std::is_same_v<F, rt::Gap>) {
          w.key("type").string("gap").key("last").integer(f.last.value).key("prev").integer(f.prev.value);
        } else {
          static_assert(std::is_same_v<F, rt::Ping>);
          w.key("type").string("ping");
        }
      },
      frame);
  w.end_object();
  return out;
}

inline bool same_frame(const rt::ClientFrame& a, const rt::ClientFrame& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using F = std::decay_t<decltype(x)>;
        const F& y = std::get<F>(b);
        if constexpr (std::is_same_v<F, rt::Hello>) return x.cursor == y.cursor;
        if constexpr (std::is_same_v<F, rt::Post>) {
          return x.id == y.id && x.room_id == y.room_id && x.body_html == y.body_html;
        }
        if constexpr (std::is_same_v<F, rt::Edit>) {
          return x.id == y.id && x.message_id == y.message_id && x.body_html == y.body_html;
        }
        if constexpr (std::is_same_v<F, rt::Delete>) return x.id == y.id && x.message_id == y.message_id;
        if constexpr (std::is_same_v<F, rt::Typing>) return x.room_id == y.room_id && x.active == y.active;
        if constexpr (std::is_same_v<F, rt::Present> || std::is_same_v<F, rt::Absent>) return x.room_id == y.room_id;
        if constexpr (std::is_same_v<F, rt::Gap>) return x.last == y.last && x.prev == y.prev;
        return true;  // Refresh, Ping
      },
      a);
}

// Returns nullptr, or which property the input broke.
inline const char* check_client_frame_input(std::string_view input) {
  rt::ParsedFrame parsed = rt::parse_client_frame(input);
  if (!parsed.ok()) {
    const rt::FrameError& e = parsed.error();
    if (e.code != rt::kBadFrame && e.code != rt::kUnknownType) return "error code is not a documented one";
    if (e.message.empty()) return "error without a message";
    if (e.message.size() > 512) return "error message grows with the input";
    rt::ParsedFrame echoed = rt::parse_client_frame(rt::error_frame(e.code, e.message));
    if (echoed.ok() || echoed.error().code != rt::kUnknownType) return "error frame is not a JSON object";
    return nullptr;
  }
  const rt::ClientFrame& frame = parsed.frame();
  if (const auto* p = std::get_if<rt::Post>(&frame); p && (p->id.empty() || p->id.size() > rt::kMaxCommandIdBytes)) {
    return "accepted a command id of bad length";
  }
  if (const auto* h = std::get_if<rt::Hello>(&frame); h && h->cursor.value < 0) return "accepted a negative cursor";
  std::string again = client_frame_json(frame);
  if (again.size() > 2 * rt::kMaxClientFrameBytes + 256) return "frame grew unboundedly when written back";
  rt::ParsedFrame reparsed = rt::parse_client_frame(again);
  // Escaping can lengthen a frame past the parser's bound (a body of control characters); only a
  // frame that fits must read back.
  if (again.size() <= rt::kMaxClientFrameBytes) {
    if (!reparsed.ok()) return "a parsed frame written back does not parse";
    if (!same_frame(frame, reparsed.frame())) return "a parsed frame written back reads differently";
  }
  return nullptr;
}

}  // namespace hearth::fuzzing

#ifndef HEARTH_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const char* broken = hearth::fuzzing::check_client_frame_input(text)) {
    std::fprintf(stderr, "fuzz_client_frame: %s\n", broken);
    std::abort();
  }
  return 0;
}
#endif
