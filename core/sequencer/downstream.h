#pragma once
// The seams between the sequencer (core/) and what folds its output (projections/, the server's
// hub). core/ defines them; projections/ implements them, so dependencies point one way.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/base/ids.h"
#include "core/base/result.h"
#include "core/log/event_log.h"

namespace hearth {

// What the sequencer must know about a message it does not keep in memory.
struct MessageFacts {
  RoomId room;
  UserId creator;
  bool has_attachment = false;
  bool operator==(const MessageFacts&) const = default;
};
struct BoostFacts {
  MessageId message;
  RoomId room;
  UserId booster;
  bool operator==(const BoostFacts&) const = default;
};

// Read access to messages and boosts as of the last batch the projector applied. Called only on
// the sequencer thread; the implementation owns its own read connection.
class MessageIndex {
 public:
  virtual ~MessageIndex() = default;
  virtual Result<std::optional<MessageFacts>> message(MessageId id) = 0;  // nullopt: no such live message
  virtual Result<std::optional<BoostFacts>> boost(BoostId id) = 0;
  virtual Result<std::vector<MessageId>> messages_by(UserId creator) = 0;  // live messages, by id
};

// A committed batch, shared read-only by every consumer.
using Batch = std::shared_ptr<const std::vector<StoredEvent>>;

// Folds committed batches into the projections. Called on the sequencer's apply thread, in log
// order, each batch exactly once. applied_seq() is readable from any thread.
class BatchApplier {
 public:
  virtual ~BatchApplier() = default;
  virtual Status apply(std::span<const StoredEvent> batch) = 0;
  virtual Seq applied_seq() const = 0;
};

// Called after a batch is committed and applied (DESIGN I4: durable before visible), in order.
using BatchListener = std::function<void(const Batch&)>;

}  // namespace hearth
