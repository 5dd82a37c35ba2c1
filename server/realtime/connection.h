#pragma once
// One WebSocket connection (docs/protocol.md). Internal to server/realtime/: it includes Beast.
//
// Everything a connection does runs on its strand (the executor its TCP stream was accepted on),
// so it needs no lock: reading client frames, judging and writing events, replies, timers. Other
// threads reach it only by posting there: the hub (wake, typing, shutdown) and the sequencer's
// completions (through the PostGate, which is closed before the io_context goes).
//
// The stream it writes (I5): `viewer_` is the user's facts as of `viewer_->at`, the last event
// judged; `sent_` the seq the client has been brought to (`prev` of the next frame). Each turn
// takes the events after `viewer_->at` — from the hub's window, or from the log when behind it —
// judges each with visible_to() then folds it into `viewer_`, and writes the visible ones as one
// message whose `seq` is the new `viewer_->at`. Nothing is queued per event, so nothing can be
// sent twice or skipped: the cursor is the queue.
//
// Writes: one in flight. Replies (ack, rejected, pong, typing, error) go before events; a close
// waits for the write in flight.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/commands/commands.h"
#include "projections/viewer_state.h"
#include "server/realtime/client_frame.h"
#include "server/realtime/hub.h"
#include "server/realtime/log_readers.h"
#include "server/realtime/presence.h"
#include "server/realtime/realtime.h"

namespace hearth {
class Sequencer;
}

namespace hearth::server::http {
struct Upgrade;
}

namespace hearth::server::realtime {

// Lets the sequencer's completions post to connections only while the io_context is alive.
class PostGate {
 public:
  template <class Fn>
  void run(Fn&& fn) {
    std::lock_guard lock(mu_);
    if (open_) fn();
  }
  void close() {
    std::lock_guard lock(mu_);
    open_ = false;
  }

 private:
  std::mutex mu_;
  bool open_ = true;
};

// What every connection of one server shares.
struct Shared {
  Shared(Sequencer& s, std::shared_ptr<Hub> h, std::shared_ptr<Presence> p, std::string log_path,
         std::string state_path, ConnectionOptions o)
      : sequencer(s),
        hub(std::move(h)),
        presence(std::move(p)),
        readers(std::move(log_path), std::move(state_path)),
        options(o) {}
  Sequencer& sequencer;
  std::shared_ptr<Hub> hub;
  std::shared_ptr<Presence> presence;  // shared with the HTTP API (Api::presence())
  LogReaders readers;
  const ConnectionOptions options;
  std::shared_ptr<PostGate> gate = std::make_shared<PostGate>();
};

// Takes over an upgraded connection (plain or TLS) and answers its WebSocket handshake.
void start_connection(std::shared_ptr<http::Upgrade> upgrade, UserId user, SessionId session,
                      std::shared_ptr<Shared> shared);

// `NextLayer`: beast::tcp_stream, or beast::ssl_stream<beast::tcp_stream> over TLS. The member
// definitions and the two instantiations are in connection.cc (start_connection picks one).
template <class NextLayer>
class Connection : public Subscriber, public std::enable_shared_from_this<Connection<NextLayer>> {
 public:
  Connection(NextLayer next_layer, UserId user, SessionId session, std::shared_ptr<Shared> shared);
  ~Connection() override;

  // Subscriber (any thread: they post to the strand).
  void wake() override;
  void typing(RoomId room, UserId user, bool active) override;
  void shutdown() override;
  void force_close();  // any thread: drop the TCP connection now (a close that cannot finish)

 private:
  friend void start_connection(std::shared_ptr<http::Upgrade>, UserId, SessionId, std::shared_ptr<Shared>);
  using Stream = boost::beast::websocket::stream<NextLayer>;

  void accept(std::shared_ptr<http::Upgrade> upgrade);
  void read();
  void on_read(boost::beast::error_code ec);
  void handle(ClientFrame& frame);
  void hello(Seq cursor);
  void submit(CommandEnvelope command, std::string id);

  // Presence (server/realtime/presence.h). Only members are present: a room the viewer is not
  // in is refused, unless the stream has not yet reached the head the frame was read at (the
  // client may know of a grant its stream has not delivered), in which case it waits for that.
  void present(RoomId room);
  void absent(RoomId room);
  void become_present(RoomId room);
  void mark_read(RoomId room);  // MarkRoomRead; the sequencer drops it when the room is read
  void refuse_room(RoomId room, std::string_view what);
  // After the viewer moved on: leaves rooms no longer a member of, settles waiting presents,
  // and reads a room this connection is present in if `e` marked the user unread there.
  void follow_presence(const StoredEvent& e, bool visible);
  void leave_all_rooms();
  void reply(std::string text);
  void end(uint16_t code, std::string_view why);  // close once the write in flight is done

  void pump();
  void pump_once();
  // Judges events after viewer_->at into the message being built; false on a read error (closes).
  bool collect(size_t& events, size_t& bytes, bool& more);
  bool consider(const StoredEvent& e, const EventText* shared_json, size_t& events, size_t& bytes);
  void write_events();
  void write_text(std::string text);
  void on_write(boost::beast::error_code ec);
  void arm_checkpoint();
  void finish();  // the connection is over: timer off, hub detach happens in the destructor

  Stream ws_;
  std::shared_ptr<Shared> shared_;
  const UserId user_;
  const SessionId session_;
  uint64_t hub_id_ = 0;
  std::string id_text_;  // for logs: "user 7 conn 12"
  boost::beast::flat_buffer read_buffer_;
  boost::asio::steady_timer checkpoint_timer_;

  bool accepted_ = false, said_hello_ = false, writing_ = false, closing_ = false, finished_ = false;
  bool parked_ = false, checkpoint_armed_ = false, checkpoint_due_ = false;
  bool in_pump_ = false, repump_ = false;
  std::optional<uint16_t> end_code_;
  std::optional<ViewerState> viewer_;
  Seq sent_;
  size_t commands_in_flight_ = 0;
  std::deque<std::string> replies_;
  std::vector<RoomId> present_;                           // rooms this connection is present in
  std::vector<std::pair<RoomId, Seq>> waiting_present_;   // (room, head when asked): not yet a member

  // The message being written: the pieces stay alive until the write completes.
  std::string writing_text_;
  std::string head_, tail_;
  std::vector<EventText> pieces_;
  std::vector<boost::asio::const_buffer> buffers_;
  std::deque<std::pair<int64_t, int64_t>> recent_frames_;  // (prev, seq) of the last frames, for gap reports
};

}  // namespace hearth::server::realtime
