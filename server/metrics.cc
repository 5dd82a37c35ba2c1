#include "server/metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <prometheus/metric_family.h>

#include <atomic>
#include <exception>
#include <limits>
#include <utility>
#include <vector>

#include "core/sequencer/sequencer.h"
#include "server/config.h"
#include "server/consumers/outbox.h"
#include "server/realtime/hub_stats.h"
#include "server/server.h"

namespace hearth::server {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily family(std::string name, std::string help, MetricType type) {
  return MetricFamily{std::move(name), std::move(help), type, {}};
}

// One sample of a counter or gauge. Values are doubles in the format; every count here stays far
// below 2^53, where a double stops holding integers exactly.
ClientMetric sample(MetricType type, double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric m;
  m.label = std::move(labels);
  if (type == MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  return m;
}

MetricFamily single(std::string name, std::string help, MetricType type, double value) {
  auto f = family(std::move(name), std::move(help), type);
  f.metric.push_back(sample(type, value));
  return f;
}

double load(const std::atomic<uint64_t>& a) { return static_cast<double>(a.load(std::memory_order_relaxed)); }
double load(const std::atomic<int64_t>& a) { return static_cast<double>(a.load(std::memory_order_relaxed)); }

// A FixedHistogram as Prometheus wants it: cumulative buckets, the last one +Inf, and a count
// equal to it. `unit` divides the recorded integers (microseconds → seconds: 1e6).
template <size_t N>
MetricFamily histogram(std::string name, std::string help, const FixedHistogram<N>& h, double unit) {
  auto f = family(std::move(name), std::move(help), MetricType::Histogram);
  ClientMetric m;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < FixedHistogram<N>::kBuckets; ++i) {
    cumulative += h.bucket(i);
    ClientMetric::Bucket b;
    b.cumulative_count = cumulative;
    b.upper_bound = i < N ? static_cast<double>(h.bounds()[i]) / unit : std::numeric_limits<double>::infinity();
    m.histogram.bucket.push_back(b);
  }
  m.histogram.sample_count = cumulative;
  m.histogram.sample_sum = static_cast<double>(h.sum()) / unit;
  f.metric.push_back(std::move(m));
  return f;
}

void collect_sequencer(const Sequencer& sequencer, std::vector<MetricFamily>& out) {
  const SequencerStats& s = sequencer.stats();
  out.push_back(single("hearth_commands_submitted_total", "Commands handed to the sequencer",
                       MetricType::Counter, load(s.commands_submitted)));
  auto outcomes = family("hearth_commands_total",
                         "Completed commands by outcome: accepted (durable), rejected (a typed error), "
                         "refused (unavailable: queue full, stopping, writes stopped, commit failed)",
                         MetricType::Counter);
  outcomes.metric.push_back(sample(MetricType::Counter, load(s.commands_accepted), {{"outcome", "accepted"}}));
  outcomes.metric.push_back(sample(MetricType::Counter, load(s.commands_rejected), {{"outcome", "rejected"}}));
  outcomes.metric.push_back(sample(MetricType::Counter, load(s.commands_refused), {{"outcome", "refused"}}));
  out.push_back(std::move(outcomes));
  out.push_back(single("hearth_events_appended_total", "Events appended to the log", MetricType::Counter,
                       load(s.events_appended)));
  out.push_back(single("hearth_batches_committed_total", "Group-commit transactions that appended events",
                       MetricType::Counter, load(s.batches_committed)));
  out.push_back(histogram("hearth_batch_size", "Commands decided per group-commit batch", s.batch_size, 1));
  out.push_back(histogram("hearth_commit_seconds", "Time to append and commit one batch to the log", s.commit_us,
                          1e6));
  out.push_back(histogram("hearth_apply_seconds", "Time to apply one round of committed batches to the projections",
                          s.apply_us, 1e6));
  out.push_back(single("hearth_log_committed_seq", "Sequence number of the last event committed to the log",
                       MetricType::Gauge, static_cast<double>(sequencer.committed_seq().value)));
  out.push_back(single("hearth_log_applied_seq", "Sequence number of the last event applied to the projections",
                       MetricType::Gauge, static_cast<double>(sequencer.applied_seq().value)));
  out.push_back(single("hearth_log_writable", "1 while the sequencer accepts writes, 0 once it refuses them",
                       MetricType::Gauge, sequencer.health() ? 0 : 1));
}

void collect_hub(const realtime::HubStats& h, std::vector<MetricFamily>& out) {
  struct Counter {
    const char* name;
    const char* help;
    const std::atomic<uint64_t>& value;
  };
  out.push_back(single("hearth_ws_connections", "Open WebSocket connections", MetricType::Gauge, load(h.connections)));
  for (const Counter& c : {
           Counter{"hearth_ws_connections_total", "WebSocket upgrades accepted", h.connections_total},
           Counter{"hearth_ws_events_delivered_total", "Events written to sockets, one per event per connection",
                   h.events_delivered},
           Counter{"hearth_ws_messages_written_total", "WebSocket messages written", h.messages_written},
           Counter{"hearth_ws_catch_up_events_total", "Events read from the log for connections behind the window",
                   h.catch_up_events},
           Counter{"hearth_ws_resumes_total", "Hellos accepted", h.resumes},
           Counter{"hearth_ws_resume_lag_events_total", "Sum over hellos of the events between cursor and head",
                   h.resume_lag_events},
           Counter{"hearth_ws_resets_total", "Reset frames sent", h.resets},
           Counter{"hearth_ws_queue_overflows_total", "Connections closed because their queue was full",
                   h.queue_overflows},
           Counter{"hearth_ws_gap_reports_total", "Gap frames received from clients", h.gap_reports},
           Counter{"hearth_ws_commands_total", "Commands received over WebSockets", h.commands},
       }) {
    out.push_back(single(c.name, c.help, MetricType::Counter, load(c.value)));
  }
}

// One family per counter, one sample per outbox (label `outbox`: "webhooks", "push", ...).
void collect_outboxes(const std::vector<const consumers::OutboxStats*>& boxes, std::vector<MetricFamily>& out) {
  auto outcomes = family("hearth_outbox_deliveries_total",
                         "Delivery attempts of log consumers by outcome: delivered, retried (rescheduled with "
                         "backoff), dropped (refused for good or out of attempts)",
                         MetricType::Counter);
  auto planned = family("hearth_outbox_planned_total", "Deliveries planned from the log", MetricType::Counter);
  auto pending = family("hearth_outbox_pending", "Deliveries waiting in the outbox", MetricType::Gauge);
  auto cursor = family("hearth_outbox_cursor_seq", "Last seq a log consumer has planned", MetricType::Gauge);
  for (const consumers::OutboxStats* b : boxes) {
    outcomes.metric.push_back(
        sample(MetricType::Counter, load(b->delivered), {{"outbox", b->name}, {"outcome", "delivered"}}));
    outcomes.metric.push_back(
        sample(MetricType::Counter, load(b->retried), {{"outbox", b->name}, {"outcome", "retried"}}));
    outcomes.metric.push_back(
        sample(MetricType::Counter, load(b->dropped), {{"outbox", b->name}, {"outcome", "dropped"}}));
    planned.metric.push_back(sample(MetricType::Counter, load(b->planned), {{"outbox", b->name}}));
    pending.metric.push_back(sample(MetricType::Gauge, static_cast<double>(b->pending.load()), {{"outbox", b->name}}));
    cursor.metric.push_back(sample(MetricType::Gauge, static_cast<double>(b->cursor.load()), {{"outbox", b->name}}));
  }
  for (auto* f : {&outcomes, &planned, &pending, &cursor}) out.push_back(std::move(*f));
}

// Builds every family at scrape time from the sources (no copy of any counter is kept here).
class Collector final : public prometheus::Collectable {
 public:
  explicit Collector(Metrics::Sources sources) : sources_(sources) {}

  std::vector<MetricFamily> Collect() const override {
    std::vector<MetricFamily> out;
    out.push_back(single("hearth_up", "1 while Hearth serves", MetricType::Gauge, 1));
    if (sources_.sequencer != nullptr) collect_sequencer(*sources_.sequencer, out);
    if (sources_.server != nullptr) {
      out.push_back(single("hearth_http_connections", "Open HTTP connections", MetricType::Gauge,
                           static_cast<double>(sources_.server->connection_count())));
    }
    if (sources_.hub != nullptr) collect_hub(*sources_.hub, out);
    if (!sources_.outboxes.empty()) collect_outboxes(sources_.outboxes, out);
    return out;
  }

 private:
  Metrics::Sources sources_;
};

}  // namespace

struct Metrics::Impl {
  std::string address;
  // The collector outlives the exposer, which holds only a weak pointer to it and may be
  // collecting on its own thread until its destructor has joined them.
  std::shared_ptr<Collector> collector;
  std::unique_ptr<prometheus::Exposer> exposer;
  uint16_t port = 0;
};

Metrics::Metrics(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Metrics::~Metrics() = default;

Result<std::unique_ptr<Metrics>> Metrics::start(const std::string& address, uint16_t port, Sources sources) {
  auto impl = std::make_unique<Impl>();
  impl->address = address;
  impl->collector = std::make_shared<Collector>(sources);
  std::string where = url_host(address) + ":" + std::to_string(port);
  try {
    // Two threads: a scrape is rare and short; the timeout bounds a scraper that stops reading.
    impl->exposer = std::make_unique<prometheus::Exposer>(
        std::vector<std::string>{"listening_ports", where, "num_threads", "2", "request_timeout_ms", "10000"});
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, "metrics listener on " + where + ": " + e.what()};
  }
  auto ports = impl->exposer->GetListeningPorts();
  if (ports.empty()) return Error{ErrorCode::kIo, "metrics listener on " + where + ": no port bound"};
  impl->port = static_cast<uint16_t>(ports.front());
  impl->exposer->RegisterCollectable(impl->collector);
  return std::unique_ptr<Metrics>(new Metrics(std::move(impl)));
}

uint16_t Metrics::port() const { return impl_->port; }

std::string Metrics::url() const {
  return "http://" + url_host(impl_->address) + ":" + std::to_string(impl_->port) + "/metrics";
}

}  // namespace hearth::server
