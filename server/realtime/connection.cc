#include "server/realtime/connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>  // the WebSocket close over TLS

#include <algorithm>
#include <variant>

#include "core/events/event_view.h"
#include "core/sequencer/sequencer.h"
#include "projections/visibility.h"
#include "server/http/upgrade.h"
#include "server/message_commands.h"
#include "server/realtime/event_json.h"

namespace hearth::server::realtime {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;

namespace {
// Close codes of docs/protocol.md.
constexpr uint16_t kGoingAway = 1001, kUnsupported = 1003, kPolicy = 1008, kInternal = 1011;
constexpr uint16_t kReset = 4000, kSignedOut = 4001;
constexpr size_t kRecentFrames = 8;
// Rooms one connection may be present in (or wait for) at once: a tab views one room; this only
// bounds what a misbehaving client can make the registry hold.
constexpr size_t kMaxPresentRooms = 64;
const std::string kComma = ",";

// Whether `session` is still in state.sqlite3 (SessionEnded deletes its row).
Result<bool> session_alive(const sqlite::Db& state, SessionId session) {
  auto s = state.prepare("SELECT 1 FROM sessions WHERE id = ?");
  if (!s.ok()) return s.take_error();
  s->bind(1, session.value);
  return s->step();
}

bool user_may_stay(const ViewerState& v) { return !v.status || *v.status == UserStatus::kActive; }
}  // namespace

template <class NextLayer>
Connection<NextLayer>::Connection(NextLayer next_layer, UserId user, SessionId session, std::shared_ptr<Shared> shared)
    : ws_(std::move(next_layer)),
      shared_(std::move(shared)),
      user_(user),
      session_(session),
      checkpoint_timer_(ws_.get_executor()) {}

template <class NextLayer>
Connection<NextLayer>::~Connection() {
  leave_all_rooms();
  if (hub_id_ != 0) {
    shared_->hub->detach(hub_id_);
    shared_->hub->stats().connections.fetch_sub(1, std::memory_order_relaxed);
  }
}

template <class NextLayer>
void Connection<NextLayer>::accept(std::shared_ptr<http::Upgrade> upgrade) {
  const ConnectionOptions& o = shared_->options;
  websocket::stream_base::timeout timeouts;
  timeouts.handshake_timeout = o.handshake_timeout;
  timeouts.idle_timeout = o.idle_timeout;
  timeouts.keep_alive_pings = true;  // a ping after half the idle time; no answer by the end: closed
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "hearth"); }));
  ws_.read_message_max(kMaxClientFrameBytes);
  ws_.auto_fragment(false);
  ws_.text(true);
  auto& request = upgrade->request;
  ws_.async_accept(request, [self = this->shared_from_this(), upgrade](beast::error_code ec) {
    if (ec) {
      spdlog::debug("socket: handshake failed: {}", ec.message());
      return;
    }
    Hub& hub = *self->shared_->hub;
    self->hub_id_ = hub.attach(self);
    if (self->hub_id_ == 0) {  // the server is stopping
      self->end(kGoingAway, "the server is shutting down");
      return;
    }
    hub.stats().connections.fetch_add(1, std::memory_order_relaxed);
    hub.stats().connections_total.fetch_add(1, std::memory_order_relaxed);
    self->accepted_ = true;
    self->id_text_ = "user " + std::to_string(self->user_.value) + " conn " + std::to_string(self->hub_id_);
    self->read();
  });
}

// ---- reading client frames -------------------------------------------------------------------

template <class NextLayer>
void Connection<NextLayer>::read() {
  ws_.async_read(read_buffer_, [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
}

template <class NextLayer>
void Connection<NextLayer>::on_read(beast::error_code ec) {
  if (ec) {
    // Closed by the peer or by us, a timeout, a reset, or a message past read_message_max (Beast
    // has then already failed the connection with 1009). Either way this connection is over.
    if (ec != websocket::error::closed && ec != net::error::operation_aborted) {
      spdlog::debug("socket {}: read ended: {}", id_text_, ec.message());
    }
    finish();
    return;
  }
  if (!ws_.got_text()) {
    read_buffer_.consume(read_buffer_.size());
    end(kUnsupported, "binary messages are not part of the protocol");
    return;
  }
  auto text = beast::buffers_to_string(read_buffer_.data());
  read_buffer_.consume(read_buffer_.size());
  auto parsed = parse_client_frame(text);
  if (!parsed.ok()) {
    reply(error_frame(parsed.error().code, parsed.error().message));
  } else {
    handle(parsed.frame());
  }
  if (!finished_) read();
}

template <class NextLayer>
void Connection<NextLayer>::handle(ClientFrame& frame) {
  // Closing (its session ended, the hello was refused...): nothing more is done in its name; a
  // post sent after a refused hello would otherwise still reach the sequencer as the user.
  if (end_code_) return;
  if (auto* h = std::get_if<Hello>(&frame)) {
    if (said_hello_) {
      reply(error_frame("protocol", "hello was already sent on this connection"));
      end(kPolicy, "hello twice");
      return;
    }
    hello(h->cursor);
    return;
  }
  if (std::holds_alternative<Ping>(frame)) {
    reply(pong_frame());
    return;
  }
  if (!said_hello_) {
    reply(error_frame("protocol", "send hello first"));
    return;
  }
  Hub& hub = *shared_->hub;
  if (auto* p = std::get_if<Post>(&frame)) {
    std::string id = p->id;
    submit(server::post_message(user_, std::move(p->id), p->room_id, p->body_html,
                                shared_->presence->present_in(p->room_id)),
           std::move(id));
  } else if (auto* e = std::get_if<Edit>(&frame)) {
    std::string id = e->id;
    submit(server::edit_message(user_, std::move(e->id), e->message_id, e->body_html), std::move(id));
  } else if (auto* d = std::get_if<Delete>(&frame)) {
    std::string id = d->id;
    submit(server::remove_message(user_, std::move(d->id), d->message_id), std::move(id));
  } else if (!viewer_) {
    return;  // the hello was refused: the connection is closing
  } else if (auto* t = std::get_if<Typing>(&frame)) {
    if (viewer_->member(t->room_id)) {
      hub.typing(t->room_id, user_, t->active, hub_id_);
    } else {
      refuse_room(t->room_id, "typing");
    }
  } else if (auto* pr = std::get_if<Present>(&frame)) {
    present(pr->room_id);
  } else if (auto* ab = std::get_if<Absent>(&frame)) {
    absent(ab->room_id);
  } else if (std::holds_alternative<Refresh>(frame)) {
    for (RoomId room : shared_->presence->refresh(hub_id_)) mark_read(room);
  } else if (auto* g = std::get_if<Gap>(&frame)) {
    hub.stats().gap_reports.fetch_add(1, std::memory_order_relaxed);
    std::string ranges;
    for (auto [prev, seq] : recent_frames_) ranges += " (" + std::to_string(prev) + "," + std::to_string(seq) + "]";
    spdlog::warn("socket {}: gap report: client last {}, frame prev {}; recent frames sent:{}", id_text_,
                 g->last.value, g->prev.value, ranges.empty() ? " none" : ranges);
  }
}

template <class NextLayer>
void Connection<NextLayer>::hello(Seq cursor) {
  Hub& hub = *shared_->hub;
  Seq head = hub.head();
  hub.stats().resumes.fetch_add(1, std::memory_order_relaxed);
  said_hello_ = true;
  auto refuse = [&](const std::string& reason) {
    hub.stats().resets.fetch_add(1, std::memory_order_relaxed);
    reply(reset_frame(reason));
    end(kReset, reason);
  };
  if (cursor.value > head.value) {
    return refuse("cursor " + std::to_string(cursor.value) + " is ahead of the log (" + std::to_string(head.value) +
                  ")");
  }
  if (head.value - cursor.value > shared_->options.max_resume_events) {
    return refuse("cursor " + std::to_string(cursor.value) + " is too far behind the log (" +
                  std::to_string(head.value) + ")");
  }
  hub.stats().resume_lag_events.fetch_add(static_cast<uint64_t>(head.value - cursor.value), std::memory_order_relaxed);
  auto lease = shared_->readers.acquire();
  if (!lease.ok()) {
    spdlog::error("socket {}: {}", id_text_, lease.error().to_string());
    reply(error_frame("internal", "Internal error"));
    end(kInternal, "no reader");
    return;
  }
  auto viewer = load_viewer_state((*lease)->state, user_, cursor);
  if (!viewer.ok()) {
    spdlog::error("socket {}: viewer state at {}: {}", id_text_, cursor.value, viewer.error().to_string());
    reply(error_frame("internal", "Internal error"));
    end(kInternal, "no viewer state");
    return;
  }
  // The session may have ended between the upgrade and this hello (signed out, or ended by a new
  // password or "sign out everywhere else" in another browser) with the cursor already past its
  // SessionEnded, which the stream would then never pass. Read after the viewer state: the
  // projection is then at or past the cursor, so a session still in the table ends after the
  // cursor and the stream closes on its SessionEnded as usual.
  auto alive = session_alive((*lease)->state, session_);
  if (!alive.ok()) {
    spdlog::error("socket {}: session check: {}", id_text_, alive.error().to_string());
    reply(error_frame("internal", "Internal error"));
    end(kInternal, "no session check");
    return;
  }
  if (!*alive) {
    end(kSignedOut, "the session ended");
    return;
  }
  viewer_ = std::move(*viewer);
  sent_ = cursor;
  reply(welcome_frame(user_, cursor, head));
}

template <class NextLayer>
void Connection<NextLayer>::submit(CommandEnvelope command, std::string id) {
  if (commands_in_flight_ >= shared_->options.max_commands_in_flight) {
    reply(rejected_frame(id, "busy", "Too many commands in flight on this connection; wait for their answers"));
    return;
  }
  ++commands_in_flight_;
  shared_->hub->stats().commands.fetch_add(1, std::memory_order_relaxed);
  // The completion runs on the sequencer's apply thread: it only posts to this strand, and only
  // while the gate is open (the io_context is alive).
  shared_->sequencer.submit(std::move(command), [weak = this->weak_from_this(), gate = shared_->gate,
                                                 executor = ws_.get_executor(), id = std::move(id)](Outcome o) {
    std::string text = o.ok() ? ack_frame(id, o->seq, MessageId(o->id), o->replayed)
                              : rejected_frame(id, client_error_code(o.error().code),
                                               client_error_code(o.error().code) == "internal" ? "Internal error"
                                                                                               : o.error().message);
    gate->run([&] {
      net::post(executor, [weak, text = std::move(text)]() mutable {
        auto self = weak.lock();
        if (!self) return;
        --self->commands_in_flight_;
        self->reply(std::move(text));
      });
    });
  });
}

// ---- presence ------------------------------------------------------------------------------------

template <class NextLayer>
void Connection<NextLayer>::present(RoomId room) {
  std::erase_if(waiting_present_, [&](const auto& w) { return w.first == room; });
  if (viewer_->member(room)) {
    become_present(room);
    return;
  }
  Seq head = shared_->hub->head();
  if (viewer_->at >= head) {
    refuse_room(room, "present");
    return;
  }
  if (present_.size() + waiting_present_.size() >= kMaxPresentRooms) {
    refuse_room(room, "present (too many rooms)");
    return;
  }
  waiting_present_.emplace_back(room, head);
}

template <class NextLayer>
void Connection<NextLayer>::absent(RoomId room) {
  std::erase_if(waiting_present_, [&](const auto& w) { return w.first == room; });
  auto it = std::find(present_.begin(), present_.end(), room);
  if (it == present_.end()) return;
  present_.erase(it);
  shared_->presence->leave(hub_id_, room);
}

template <class NextLayer>
void Connection<NextLayer>::become_present(RoomId room) {
  bool fresh = std::find(present_.begin(), present_.end(), room) == present_.end();
  if (fresh && present_.size() >= kMaxPresentRooms) {
    refuse_room(room, "present (too many rooms)");
    return;
  }
  if (fresh) present_.push_back(room);
  shared_->presence->enter(hub_id_, user_, room);
  // Becoming present reads the room (CAMPFIRE.md 2.9); its RoomRead reaches every tab of the user.
  if (fresh) mark_read(room);
}

template <class NextLayer>
void Connection<NextLayer>::mark_read(RoomId room) {
  // No answer to wait for: a refusal means the membership just ended, which the stream shows.
  shared_->sequencer.submit(CommandEnvelope{user_, "", cmd::MarkRoomRead{room}}, [](Outcome) {});
}

template <class NextLayer>
void Connection<NextLayer>::refuse_room(RoomId room, std::string_view what) {
  // Like typing, refusals are dropped rather than allowed to crowd out acks (a stale tab may
  // keep sending for a room it lost).
  if (replies_.size() * 2 >= shared_->options.max_replies) return;
  reply(error_frame("not_member", std::string(what) + " refused: not a member of room " +
                                      std::to_string(room.value)));
}

template <class NextLayer>
void Connection<NextLayer>::follow_presence(const StoredEvent& e, bool visible) {
  if (!present_.empty()) {
    // Revocation is immediate: a room the viewer left is left here at the same event.
    for (size_t i = present_.size(); i-- > 0;) {
      if (viewer_->member(present_[i])) continue;
      shared_->presence->leave(hub_id_, present_[i]);
      present_.erase(present_.begin() + static_cast<ptrdiff_t>(i));
    }
    // A post that raced with this connection's present (built before it) marked the user unread
    // in a room they are viewing: read it again.
    if (visible && e.type == static_cast<uint32_t>(schema::Payload::MessagePosted)) {
      auto* p = schema::GetEvent(e.payload.data())->payload_as_MessagePosted();
      RoomId room(p ? p->room_id() : 0);
      if (p && p->unread_user_ids() && std::find(present_.begin(), present_.end(), room) != present_.end()) {
        for (int64_t u : *p->unread_user_ids()) {
          if (u == user_.value) mark_read(room);
        }
      }
    }
  }
  if (!waiting_present_.empty()) {
    for (size_t i = waiting_present_.size(); i-- > 0;) {
      auto [room, until] = waiting_present_[i];
      bool member = viewer_->member(room);
      if (!member && viewer_->at < until) continue;
      waiting_present_.erase(waiting_present_.begin() + static_cast<ptrdiff_t>(i));
      if (member) {
        become_present(room);
      } else {
        refuse_room(room, "present");
      }
    }
  }
}

template <class NextLayer>
void Connection<NextLayer>::leave_all_rooms() {
  waiting_present_.clear();
  if (present_.empty()) return;
  present_.clear();
  shared_->presence->leave_all(hub_id_);
}

// ---- replies and closing ---------------------------------------------------------------------

template <class NextLayer>
void Connection<NextLayer>::reply(std::string text) {
  if (closing_ || finished_) return;
  if (replies_.size() >= shared_->options.max_replies) {
    shared_->hub->stats().queue_overflows.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("socket {}: reply queue full ({}); closing, the client resumes", id_text_, replies_.size());
    replies_.clear();
    end(kPolicy, "reply queue overflow");
    return;
  }
  replies_.push_back(std::move(text));
  pump();
}

template <class NextLayer>
void Connection<NextLayer>::end(uint16_t code, std::string_view why) {
  if (end_code_) return;
  end_code_ = code;
  spdlog::debug("socket {}: closing {}: {}", id_text_, code, why);
  pump();
}

template <class NextLayer>
void Connection<NextLayer>::finish() {
  if (finished_) return;
  finished_ = true;
  closing_ = true;
  checkpoint_timer_.cancel();
  replies_.clear();
  leave_all_rooms();  // a closed connection views nothing
}

template <class NextLayer>
void Connection<NextLayer>::wake() {
  net::post(ws_.get_executor(), [self = this->shared_from_this()] {
    self->parked_ = false;
    self->pump();
  });
}

template <class NextLayer>
void Connection<NextLayer>::typing(RoomId room, UserId user, bool active) {
  net::post(ws_.get_executor(), [self = this->shared_from_this(), room, user, active] {
    if (!self->viewer_ || user == self->user_ || !self->viewer_->member(room)) return;
    // Ephemeral: dropped rather than allowed to crowd out acks.
    if (self->replies_.size() * 2 >= self->shared_->options.max_replies) return;
    self->reply(typing_frame(room, user, active));
  });
}

template <class NextLayer>
void Connection<NextLayer>::shutdown() {
  net::post(ws_.get_executor(), [self = this->shared_from_this()] {
    self->replies_.clear();
    self->end(kGoingAway, "the server is shutting down");
  });
}

template <class NextLayer>
void Connection<NextLayer>::force_close() {
  net::post(ws_.get_executor(), [self = this->shared_from_this()] {
    beast::get_lowest_layer(self->ws_).close();
    self->finish();
  });
}

// ---- the stream --------------------------------------------------------------------------------

// pump() may be asked for again while it runs (a reply or an end() from inside a turn): the
// request is remembered and the turn repeated, never nested.
template <class NextLayer>
void Connection<NextLayer>::pump() {
  if (in_pump_) {
    repump_ = true;
    return;
  }
  in_pump_ = true;
  do {
    repump_ = false;
    pump_once();
  } while (repump_);
  in_pump_ = false;
}

template <class NextLayer>
void Connection<NextLayer>::pump_once() {
  if (!accepted_ || writing_ || closing_ || finished_) return;
  if (!replies_.empty()) {
    std::string text = std::move(replies_.front());
    replies_.pop_front();
    write_text(std::move(text));
    return;
  }
  if (end_code_) {
    closing_ = true;
    checkpoint_timer_.cancel();
    ws_.async_close(websocket::close_reason(*end_code_), [self = this->shared_from_this()](beast::error_code) {
      self->finish();  // the read loop ends with `closed` too
    });
    return;
  }
  if (!viewer_) return;  // no hello yet

  size_t events = 0, bytes = 0;
  bool more = false;
  if (!collect(events, bytes, more)) {
    repump_ = true;  // the error reply and the close
    return;
  }
  if (events > 0) {
    write_events();
    return;
  }
  if (end_code_) {  // the user's session ended or they lost access with nothing more to see
    repump_ = true;
    return;
  }
  Seq at = viewer_->at;
  if (at.value > sent_.value) {
    if (checkpoint_due_ || at.value - sent_.value >= shared_->options.checkpoint_events) {
      checkpoint_due_ = false;
      recent_frames_.emplace_back(sent_.value, at.value);
      if (recent_frames_.size() > kRecentFrames) recent_frames_.pop_front();
      std::string text = checkpoint_frame(sent_, at);
      sent_ = at;
      write_text(std::move(text));
      return;
    }
    arm_checkpoint();
  }
  if (more) {
    // Judged a full turn of events the user may not see: let other connections on this IO thread
    // run before the next turn.
    net::post(ws_.get_executor(), [self = this->shared_from_this()] { self->pump(); });
    return;
  }
  if (!parked_) {
    if (shared_->hub->park(hub_id_, at)) {
      parked_ = true;
    } else {
      net::post(ws_.get_executor(), [self = this->shared_from_this()] { self->pump(); });
    }
  }
}

template <class NextLayer>
bool Connection<NextLayer>::collect(size_t& events, size_t& bytes, bool& more) {
  const ConnectionOptions& o = shared_->options;
  Hub& hub = *shared_->hub;
  pieces_.clear();
  size_t examined = 0;
  auto full = [&] { return events >= o.max_frame_events || bytes >= o.max_frame_bytes || end_code_.has_value(); };
  while (!full()) {
    if (examined >= o.max_examined_per_turn) {
      more = true;
      return true;
    }
    Seq cursor = viewer_->at;
    auto after = hub.after(cursor, 16);
    if (after.log_until) {
      // Behind the window: read the log (checked event by event, DESIGN I2), then ask again.
      Seq upto(std::min(after.log_until->value, cursor.value + static_cast<int64_t>(o.log_chunk_events)));
      auto lease = shared_->readers.acquire();
      Status st = lease.ok() ? ok_status() : Status(lease.take_error());
      size_t read = 0;
      if (st.ok()) {
        st = (*lease)->log->scan(cursor, upto, [&](const StoredEvent& e) -> Status {
          if (full()) return ok_status();  // the rest waits for the next turn
          if (event_checksum(e) != e.checksum) {
            return Error{ErrorCode::kCorruption, "event " + std::to_string(e.seq.value) + " fails its checksum"};
          }
          HEARTH_TRY(view_event(e));
          ++read;
          ++examined;
          consider(e, nullptr, events, bytes);
          return ok_status();
        });
      }
      if (!st.ok()) {
        spdlog::error("socket {}: catch-up read after {}: {}", id_text_, cursor.value, st.error().to_string());
        replies_.clear();
        reply(error_frame("internal", "Internal error"));
        end(kInternal, "catch-up read failed");
        return false;
      }
      hub.stats().catch_up_events.fetch_add(read, std::memory_order_relaxed);
      if (read == 0) {
        // The range is in the log (the hub said so): reading nothing means the log is not there.
        spdlog::error("socket {}: the log has no events in ({}, {}]", id_text_, cursor.value, upto.value);
        end(kInternal, "log range missing");
        return false;
      }
      continue;
    }
    if (after.batches.empty()) break;
    for (const BatchRef& b : after.batches) {
      const auto& evs = *b->events;
      // Batches are contiguous; skip the events of the first one already judged.
      size_t i = viewer_->at.value >= b->first().value ? static_cast<size_t>(viewer_->at.value - b->first().value + 1) : 0;
      for (; i < evs.size() && !full(); ++i) {
        ++examined;
        consider(evs[i], &b->json[i], events, bytes);
      }
      if (full()) break;
    }
  }
  return true;
}

// Judges one event (the next after viewer_->at) and folds it in. True when it goes into the message.
template <class NextLayer>
bool Connection<NextLayer>::consider(const StoredEvent& e, const EventText* shared_json, size_t& events,
                                     size_t& bytes) {
  bool visible = visible_to(e, user_, *viewer_).visible;
  viewer_->apply(e);
  if (!present_.empty() || !waiting_present_.empty()) follow_presence(e, visible);
  if (visible) {
    pieces_.push_back(shared_json ? *shared_json : std::make_shared<const std::string>(event_json(e)));
    ++events;
    bytes += pieces_.back()->size();
    if (e.type == static_cast<uint32_t>(schema::Payload::SessionEnded)) {
      auto* p = schema::GetEvent(e.payload.data())->payload_as_SessionEnded();
      if (p && SessionId(p->session_id()) == session_) end(kSignedOut, "the session ended");
    }
  }
  if (!user_may_stay(*viewer_)) end(kSignedOut, "the user may no longer sign in");
  return visible;
}

template <class NextLayer>
void Connection<NextLayer>::write_events() {
  Seq seq = viewer_->at;
  head_ = events_prefix(sent_);
  tail_ = events_suffix(seq);
  recent_frames_.emplace_back(sent_.value, seq.value);
  if (recent_frames_.size() > kRecentFrames) recent_frames_.pop_front();
  sent_ = seq;
  checkpoint_due_ = false;
  buffers_.clear();
  buffers_.reserve(pieces_.size() * 2 + 1);
  buffers_.emplace_back(head_.data(), head_.size());
  for (size_t i = 0; i < pieces_.size(); ++i) {
    if (i > 0) buffers_.emplace_back(kComma.data(), kComma.size());
    buffers_.emplace_back(pieces_[i]->data(), pieces_[i]->size());
  }
  buffers_.emplace_back(tail_.data(), tail_.size());
  auto& stats = shared_->hub->stats();
  stats.events_delivered.fetch_add(pieces_.size(), std::memory_order_relaxed);
  writing_ = true;
  ws_.async_write(buffers_, [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_write(ec); });
}

template <class NextLayer>
void Connection<NextLayer>::write_text(std::string text) {
  writing_text_ = std::move(text);
  writing_ = true;
  ws_.async_write(net::buffer(writing_text_),
                  [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_write(ec); });
}

template <class NextLayer>
void Connection<NextLayer>::on_write(beast::error_code ec) {
  writing_ = false;
  pieces_.clear();
  buffers_.clear();
  writing_text_.clear();
  if (ec) {
    spdlog::debug("socket {}: write failed: {}", id_text_, ec.message());
    finish();
    return;
  }
  shared_->hub->stats().messages_written.fetch_add(1, std::memory_order_relaxed);
  pump();
}

template <class NextLayer>
void Connection<NextLayer>::arm_checkpoint() {
  if (checkpoint_armed_) return;
  checkpoint_armed_ = true;
  checkpoint_timer_.expires_after(shared_->options.checkpoint_delay);
  checkpoint_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
    self->checkpoint_armed_ = false;
    if (ec) return;
    self->checkpoint_due_ = true;
    self->pump();
  });
}

void start_connection(std::shared_ptr<http::Upgrade> upgrade, UserId user, SessionId session,
                      std::shared_ptr<Shared> shared) {
  std::visit(
      [&](auto& stream) {
        using NextLayer = std::decay_t<decltype(stream)>;
        auto c = std::make_shared<Connection<NextLayer>>(std::move(stream), user, session, std::move(shared));
        c->accept(upgrade);
      },
      upgrade->stream);
}

// The two streams a connection can arrive on (server/http/upgrade.h).
template class Connection<beast::tcp_stream>;
template class Connection<beast::ssl_stream<beast::tcp_stream>>;

}  // namespace hearth::server::realtime
