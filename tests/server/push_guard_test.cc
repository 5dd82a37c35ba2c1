// Web Push delivery goes through the outgoing guard (server/outgoing/address_guard.h) at each
// attempt, whatever the stored endpoint says: a subscription that reached the state without the
// route's check (a command, an import, a store from before the guard) or whose name now resolves
// elsewhere is never sent to a private address. The "private" listeners are TestOrigins on
// loopback that count connections: each refused endpoint must leave them at zero.
//
// Names resolve through the test's table, never the system's DNS.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "core/sequencer_fixture.h"
#include "server/outgoing/address_guard.h"
#include "server/push/push_consumer.h"
#include "test_origin.h"

namespace hearth::testing {
namespace {

using server::consumers::Attempt;
using server::consumers::Delivery;
using server::outgoing::AddressGuard;
using server::outgoing::IpAddress;
using server::outgoing::ipv4;
using server::outgoing::TestAllowance;
using std::chrono::milliseconds;

constexpr const char* kP256dh = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
constexpr const char* kAuth = "BTBZMqHH6r4Tts7J_aSIgg";

// The n-th lookup of a name gets its n-th answer (the last one again after that).
class Dns {
 public:
  void answer(const std::string& host, std::vector<std::vector<IpAddress>> answers) {
    std::lock_guard lock(mu_);
    table_[host] = std::move(answers);
    counts_[host] = 0;
  }
  server::outgoing::Resolver resolver() {
    return [this](const std::string& host, milliseconds) -> std::vector<IpAddress> {
      std::lock_guard lock(mu_);
      auto it = table_.find(host);
      if (it == table_.end() || it->second.empty()) return {};
      size_t n = static_cast<size_t>(counts_[host]++);
      return it->second[std::min(n, it->second.size() - 1)];
    };
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::vector<IpAddress>>> table_;
  std::map<std::string, int> counts_;
};

class PushGuardTest : public SequencerTest {
 protected:
  void SetUp() override {
    SequencerTest::SetUp();
    setup();
    bo_ = join("Bo");
  }

  server::push::PushConsumer consumer(std::optional<TestAllowance> allowance = std::nullopt) {
    SystemRandom random;
    auto vapid = server::push::load_vapid(tmp_.path().string(), {}, random);
    EXPECT_TRUE(vapid.ok());
    server::push::PushConsumer::Options options;
    options.guard = AddressGuard{dns_.resolver(), allowance};
    return server::push::PushConsumer(tmp_.file("state.sqlite3"), std::move(*vapid), dir_->sequencer(), nullptr,
                                      std::move(options));
  }

  // Stores a subscription straight through the sequencer (no route, so no check at subscription
  // time) and delivers one notification to it.
  Attempt deliver(server::push::PushConsumer& c, const std::string& endpoint) {
    Ack ack = ok(bo_, cmd::AddPushSubscription{endpoint, kP256dh, kAuth, "ua"});
    dir_->sequencer().wait_applied(last_seq());
    std::string id = std::to_string(ack.id);
    return c.deliver(Delivery{1, last_seq(), "push:" + id, id + "\n{\"title\":\"t\"}", 0});
  }

  Dns dns_;
  UserId bo_;
};

TEST_F(PushGuardTest, AStoredEndpointOnAPrivateAddressIsDroppedAndNeverConnected) {
  TestOrigin inside;  // 127.0.0.1: what every endpoint below points at, one way or another
  std::string port = std::to_string(inside.port());
  dns_.answer("localtest.me", {{ipv4(127, 0, 0, 1)}});
  dns_.answer("mixed.example", {{ipv4(93, 184, 216, 34), ipv4(127, 0, 0, 1)}});
  dns_.answer("mapped.example", {{*server::outgoing::parse_ipv6("::ffff:127.0.0.1")}});
  auto c = consumer();
  for (const std::string& endpoint :
       {"https://127.0.0.1:" + port + "/push", "https://127.1:" + port + "/push", "https://2130706433:" + port + "/",
        "https://0x7f000001:" + port + "/", "https://0177.0.0.1:" + port + "/", "https://[::1]:" + port + "/",
        "https://[::ffff:127.0.0.1]:" + port + "/", "https://[::ffff:7f00:1]:" + port + "/",
        "https://localtest.me:" + port + "/", "https://mixed.example:" + port + "/",
        "https://mapped.example:" + port + "/", "https://a@127.0.0.1:" + port + "/",
        std::string("https://10.0.0.1/"), std::string("https://192.168.0.1/"), std::string("https://172.16.0.1/"),
        std::string("https://169.254.169.254/latest/"), std::string("https://[fe80::1]/"),
        std::string("https://[fd00::1]/"), std::string("https://0.0.0.0/")}) {
    EXPECT_EQ(deliver(c, endpoint), Attempt::kDrop) << endpoint;
  }
  EXPECT_EQ(inside.connections(), 0);
}

// The endpoint's name resolves to a private address now (whatever it answered when it was
// subscribed): delivery looks again and refuses; neither listener hears a thing.
TEST_F(PushGuardTest, AnEndpointWhoseNameNowResolvesPrivatelyIsNotDelivered) {
  TestOrigin vetted("127.0.0.1");
  TestOrigin rebound("127.0.0.2", vetted.port());
  dns_.answer("push.rebind.test", {{ipv4(127, 0, 0, 2)}});
  auto c = consumer(TestAllowance{ipv4(127, 0, 0, 1), vetted.port()});
  EXPECT_EQ(deliver(c, "https://push.rebind.test:" + std::to_string(vetted.port()) + "/p"), Attempt::kDrop);
  EXPECT_EQ(rebound.connections(), 0);
  EXPECT_EQ(vetted.connections(), 0);
}

// With the allowance for one listener (as the end-to-end test gives its push service), delivery
// connects there, pinned to the vetted address: the name is looked up once, by the guard. The
// listener speaks plain HTTP, so the TLS handshake fails and the delivery is retried later; the
// connection it counted is the point.
TEST_F(PushGuardTest, TheTestAllowanceLetsExactlyItsListenerBeReached) {
  TestOrigin allowed("127.0.0.1");
  TestOrigin rebound("127.0.0.2", allowed.port());
  dns_.answer("push.allowed.test", {{ipv4(127, 0, 0, 1)}, {ipv4(127, 0, 0, 2)}});
  auto c = consumer(TestAllowance{ipv4(127, 0, 0, 1), allowed.port()});
  EXPECT_EQ(deliver(c, "https://push.allowed.test:" + std::to_string(allowed.port()) + "/p"), Attempt::kRetry);
  EXPECT_EQ(allowed.connections(), 1);
  // The second attempt sees the private answer and is refused before connecting.
  EXPECT_EQ(deliver(c, "https://push.allowed.test:" + std::to_string(allowed.port()) + "/q"), Attempt::kDrop);
  EXPECT_EQ(rebound.connections(), 0);
  EXPECT_EQ(allowed.connections(), 1);
  // Another port on the allowed address is not covered.
  TestOrigin other("127.0.0.1");
  EXPECT_EQ(deliver(c, "https://127.0.0.1:" + std::to_string(other.port()) + "/p"), Attempt::kDrop);
  EXPECT_EQ(other.connections(), 0);
}

}  // namespace
}  // namespace hearth::testing
