#pragma once
// Web Push delivery: a consumer of the log on the outbox (server/consumers/outbox.h), so every
// notification is sent at least once, survives a restart and never slows the sequencer.
//
// plan()    (planner thread) for each MessagePosted: the recipients and their notification JSON
//           (notification.h), one row per subscription: target "push:<subscription id>", payload
//           "<subscription id>\n<notification JSON>". "Connected" is the presence registry's
//           answer at planning time (see notification.h); after a restart it is empty, so rows
//           planned then reach everyone eligible (at least once, as the outbox promises).
// deliver() (worker threads) one POST to the subscription's endpoint, read from the state
//           database at send time (a subscription removed since — signed out, unsubscribed — gets
//           nothing). The endpoint goes through the outgoing guard again (the route vetted it at
//           subscription time, but a name may resolve elsewhere now, and a subscription may have
//           been stored before the guard): https only, every address public, the connection pinned
//           to the vetted one, no redirect followed; a refused endpoint is dropped unsent. The body encrypted for its keys (RFC 8291 aes128gcm, a fresh ephemeral key
//           and salt each time), `Authorization: vapid …` (vapid.h), `TTL: 86400`,
//           `Urgency: high`, `Content-Encoding: aes128gcm`. The answer decides:
//             2xx                     → done
//             404 or 410              → the subscription is gone: the system removes it
//                                       (RemovePushSubscription, actor kSystemActor) → done
//             429, 5xx, no answer     → retry with the outbox's backoff
//             any other status        → dropped (a request the push service will never take:
//                                       400 malformed, 403 VAPID refused, 413 too large)
#include <memory>
#include <string>

#include "server/consumers/outbox.h"
#include "server/outgoing/address_guard.h"
#include "server/push/vapid.h"

namespace hearth {
class Sequencer;
}
namespace hearth::server::realtime {
class Presence;
}

namespace hearth::server::push {

inline constexpr int kTtlSeconds = 86400;

class PushConsumer final : public consumers::Consumer {
 public:
  struct Options {
    std::string ca_file;  // a PEM bundle trusted instead of the system's (config push_ca_file)
    outgoing::AddressGuard guard;  // which endpoint addresses may be reached
  };
  // `sequencer` and `presence` must outlive the consumer's outbox.
  PushConsumer(std::string state_path, Vapid vapid, Sequencer& sequencer,
               std::shared_ptr<realtime::Presence> presence, Options options);
  ~PushConsumer() override;

  Status plan(const StoredEvent& event, std::vector<consumers::Delivery>& out) override;
  consumers::Attempt deliver(const consumers::Delivery& delivery) override;

 private:
  struct Planner;
  std::string state_path_;
  Vapid vapid_;
  Sequencer& sequencer_;
  std::shared_ptr<realtime::Presence> presence_;
  Options options_;
  std::unique_ptr<Planner> planner_;  // the planner thread's own read connection
};

// The push outbox (DATA_DIR/outbox.push.sqlite3) with its consumer, as `hearth serve` runs it: the
// VAPID key from the environment or the data dir (vapid.h). Open it before the server starts;
// stop() it before the sequencer stops.
Result<std::unique_ptr<consumers::Outbox>> open_push_outbox(const std::string& data_dir, Sequencer& sequencer,
                                                            std::shared_ptr<realtime::Presence> presence,
                                                            PushConsumer::Options options);

}  // namespace hearth::server::push
