// RELIABILITY S10: the link-preview fetcher (server/previews/fetcher.h) refuses every target that
// is not the public internet — however the address is spelt, whatever a name resolves to, wherever
// a redirect points, and when a DNS answer changes between the check and the connect.
//
// The resolver is the test's: names resolve as each test says, never through the system's DNS.
// Where a test needs a first hop that the guard lets through (to redirect from it), its own origin
// on 127.0.0.1 is allowed by the guard's test allowance (server/outgoing/address_guard.h), for that
// port only.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/outgoing/address_guard.h"
#include "server/outgoing/address_policy.h"
#include "server/previews/fetcher.h"
#include "server/outgoing/target_url.h"
#include "test_origin.h"

namespace hearth::server::previews {
namespace {

using namespace hearth::server::outgoing;  // the guard's pieces (moved out of previews/ for Web Push)

using hearth::testing::TestOrigin;
using std::chrono::milliseconds;

// A DNS that answers from a table, in turn: the n-th lookup of a name gets its n-th answer (the
// last one again after that), and every lookup is counted.
class TableResolver {
 public:
  void answer(const std::string& host, std::vector<std::vector<IpAddress>> answers) {
    std::lock_guard lock(mu_);
    table_[host] = std::move(answers);
  }
  int lookups(const std::string& host) {
    std::lock_guard lock(mu_);
    return counts_[host];
  }
  Resolver resolver() {
    return [this](const std::string& host, milliseconds) -> std::vector<IpAddress> {
      std::lock_guard lock(mu_);
      int n = counts_[host]++;
      auto it = table_.find(host);
      if (it == table_.end() || it->second.empty()) return {};
      return it->second[std::min<size_t>(static_cast<size_t>(n), it->second.size() - 1)];
    };
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::vector<IpAddress>>> table_;
  std::map<std::string, int> counts_;
};

IpAddress v6(const char* text) { return *parse_ipv6(text); }
// A public address (TEST-NET is refused, so a real-looking one): nothing is ever sent to it here,
// because each test that names it is refused before connecting.
const IpAddress kPublic = ipv4(93, 184, 216, 34);

class SsrfGuardTest : public ::testing::Test {
 protected:
  SsrfGuardTest() {
    dns_.answer("localtest.me", {{ipv4(127, 0, 0, 1)}});
    dns_.answer("internal.example.com", {{ipv4(10, 0, 0, 7)}});
    dns_.answer("mixed.example.com", {{kPublic, ipv4(192, 168, 0, 1)}});
    dns_.answer("metadata.example.com", {{ipv4(169, 254, 169, 254)}});
    dns_.answer("v6-local.example.com", {{v6("fe80::1")}});
    dns_.answer("mapped.example.com", {{v6("::ffff:10.0.0.1")}});
  }

  PreviewFetcher fetcher(std::optional<TestAllowance> origin = std::nullopt) {
    PreviewFetcher::Options o;
    o.guard.resolver = dns_.resolver();
    o.guard.test_allowance = origin;
    o.limits.total = milliseconds(3000);
    return PreviewFetcher(std::move(o));
  }
  static TestAllowance allow(const TestOrigin& origin) {
    return TestAllowance{ipv4(127, 0, 0, 1), origin.port()};
  }

  TableResolver dns_;
};

// Every one of these is refused by the guard itself (Outcome::refused, not a failed connection).
const char* const kRefusedTargets[] = {
    "http://127.0.0.1/",
    "http://127.0.0.1:8080/admin",
    "http://2130706433/",               // decimal
    "http://0177.0.0.1/",               // octal
    "http://0x7f000001/",               // hex
    "http://0x7f.0.0.1/",               // hex part
    "http://127.1/",                    // short form
    "http://127.0.0.1./",               // trailing dot
    "http://0/",                        // 0.0.0.0
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",       // IPv4-mapped
    "http://[::127.0.0.1]/",            // IPv4-compatible
    "http://[::ffff:7f00:1]/",          // IPv4-mapped in hex
    "http://[::ffff:169.254.169.254]/",
    "http://[::169.254.169.254]/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",        // NAT64 well-known prefix
    "http://[2002:7f00:1::1]/",         // 6to4 of 127.0.0.1
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  // Teredo
    "http://[fd00::1]/",                // unique local
    "http://[fe80::1]/",                // link-local
    "http://[fe80::1%25eth0]/",         // with a zone id
    "http://[ff02::1]/",                // multicast
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",               // CGNAT
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.1.1/",
    "http://224.0.0.1/",                // multicast
    "http://255.255.255.255/",          // broadcast
    "http://198.18.0.1/",               // benchmarking
    "http://192.0.2.1/",                // documentation
    "http://240.0.0.1/",                // reserved
    "http://a@127.0.0.1/",              // userinfo
    "http://example.com@127.0.0.1/",
    "http://127.0.0.1:80@example.com/",
    "http://127.0.0.1\\@example.com/",  // backslash as a browser's slash
    "http://%31%32%37.0.0.1/",          // percent-encoded host
    "http://1.2.3.999/",                // numeric but not an address: never a name
    "http://0x100000000/",              // past 32 bits
    "file:///etc/passwd",
    "gopher://127.0.0.1:70/_",
    "ftp://example.com/",
    "dict://127.0.0.1:11211/",
    "javascript:alert(1)",
    "http:/127.0.0.1/",
    "http://localtest.me/",             // a public-looking name for 127.0.0.1
    "http://internal.example.com/",     // ... for 10.0.0.7
    "http://mixed.example.com/",        // one public and one private address: any private refuses
    "http://metadata.example.com/",     // ... for the metadata service
    "http://v6-local.example.com/",     // ... for fe80::1
    "http://mapped.example.com/",       // ... for ::ffff:10.0.0.1
};

TEST_F(SsrfGuardTest, EveryTargetInTheTableIsRefused) {
  ASSERT_GE(std::size(kRefusedTargets), 30u);
  auto f = fetcher();
  for (const char* target : kRefusedTargets) {
    FetchResult r = f.fetch(target);
    EXPECT_EQ(r.outcome, Outcome::refused) << target << ": " << to_string(r.outcome) << " " << r.detail;
  }
}

TEST_F(SsrfGuardTest, EveryNumericSpellingOfLoopbackIsReadAsLoopback) {
  for (const char* host : {"127.0.0.1", "2130706433", "0177.0.0.1", "0x7f000001", "0x7f.1", "127.1", "127.0.1",
                           "0177.0.0.01", "0X7F.0.0.1", "127.0.0.1."}) {
    auto url = parse_target_url(std::string("http://") + host + "/");
    ASSERT_TRUE(url) << host;
    ASSERT_TRUE(url->literal) << host;
    EXPECT_EQ(*url->literal, ipv4(127, 0, 0, 1)) << host;
    EXPECT_EQ(url->text, "http://127.0.0.1/") << host;  // what curl is given: never the odd spelling
  }
}

// The length limit holds for what curl is given, not only for what was typed: a path of raw
// non-ASCII bytes triples when percent-encoded, and the rebuilt text must still parse again.
TEST_F(SsrfGuardTest, AUrlTooLongOnceEncodedIsRefused) {
  std::string path(700, '\xff');
  EXPECT_LE(17 + path.size(), kMaxUrlBytes);
  EXPECT_FALSE(parse_target_url("http://a.example/" + path));
  auto fits = parse_target_url("http://a.example/" + std::string(600, '\xff'));
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->text.size(), 17 + 600 * 3u);
  EXPECT_TRUE(parse_target_url(fits->text));
}

TEST_F(SsrfGuardTest, AddressPolicyTable) {
  for (IpAddress a : {ipv4(8, 8, 8, 8), ipv4(1, 1, 1, 1), ipv4(93, 184, 216, 34), ipv4(172, 32, 0, 1),
                      ipv4(100, 128, 0, 1), ipv4(192, 169, 0, 1), v6("2606:4700:4700::1111"), v6("2a00:1450::1")}) {
    EXPECT_TRUE(is_public_address(a)) << to_string(a);
  }
  for (IpAddress a : {ipv4(127, 255, 255, 255), ipv4(100, 127, 255, 255), ipv4(169, 254, 0, 1),
                      ipv4(172, 16, 0, 0), ipv4(172, 31, 255, 255), ipv4(203, 0, 113, 5), ipv4(198, 51, 100, 1),
                      ipv4(239, 255, 255, 250), v6("::ffff:8.8.8.8"), v6("::8.8.8.8"), v6("64:ff9b::808:808"),
                      v6("64:ff9b:1::1"), v6("fc00::1"), v6("fec0::1"), v6("2001:db8::1"), v6("100::1"),
                      v6("ff0e::1"), v6("::ffff:0:808:808")}) {
    EXPECT_FALSE(is_public_address(a)) << to_string(a);
  }
}

TEST_F(SsrfGuardTest, ARedirectFromAnAllowedFirstHopToAPrivateAddressIsRefusedAndNeverFetched) {
  TestOrigin first;
  TestOrigin inside;  // another port on 127.0.0.1: not the allowed origin
  inside.on("/secret", "200 OK", "text/html", "<title>secret</title>");
  first.on("/to-inside", "302 Found", "text/html", "", "Location: " + inside.url("/secret") + "\r\n");
  first.on("/to-decimal", "302 Found", "text/html", "",
           "Location: http://2130706433:" + std::to_string(inside.port()) + "/secret\r\n");
  first.on("/to-metadata", "301 Moved", "text/html", "", "Location: http://169.254.169.254/latest/\r\n");
  first.on("/to-mapped", "307 Temporary", "text/html", "", "Location: http://[::ffff:127.0.0.1]/\r\n");
  first.on("/to-name", "308 Permanent", "text/html", "", "Location: http://localtest.me/\r\n");
  first.on("/to-file", "302 Found", "text/html", "", "Location: file:///etc/passwd\r\n");
  first.on("/to-gopher", "302 Found", "text/html", "", "Location: gopher://127.0.0.1:70/_stats\r\n");
  first.on("/to-userinfo", "302 Found", "text/html", "", "Location: http://x@10.0.0.1/\r\n");
  auto f = fetcher(allow(first));
  for (const char* path : {"/to-inside", "/to-decimal", "/to-metadata", "/to-mapped", "/to-name", "/to-file",
                           "/to-gopher", "/to-userinfo"}) {
    FetchResult r = f.fetch(first.url(path));
    EXPECT_EQ(r.outcome, Outcome::refused) << path << ": " << to_string(r.outcome) << " " << r.detail;
  }
  EXPECT_EQ(inside.connections(), 0);
  EXPECT_EQ(first.connections(), 8);
}

TEST_F(SsrfGuardTest, AtMostTenRedirectsAreFollowed) {
  TestOrigin origin;
  for (int i = 0; i < 11; ++i) {
    origin.on("/hop" + std::to_string(i), "302 Found", "text/html", "",
              "Location: /hop" + std::to_string(i + 1) + "\r\n");  // relative: resolved against the hop
  }
  origin.on("/hop11", "200 OK", "text/html", "<title>end</title>");
  auto f = fetcher(allow(origin));
  EXPECT_EQ(f.fetch(origin.url("/hop1")).outcome, Outcome::ok);     // 10 redirects
  EXPECT_EQ(f.fetch(origin.url("/hop0")).outcome, Outcome::refused);  // 11
}

// The first lookup of rebind.test answers the allowed origin, every later one a private address
// where another server listens on the same port. The connection goes where the check looked, and
// the next fetch, which sees the private answer, is refused: the second server never hears a thing.
TEST_F(SsrfGuardTest, ADnsAnswerThatChangesBetweenCheckAndConnectIsNeverUsed) {
  TestOrigin vetted("127.0.0.1");
  TestOrigin rebound("127.0.0.2", vetted.port());
  vetted.on("/", "200 OK", "text/html; charset=utf-8", "<title>vetted</title>");
  rebound.on("/", "200 OK", "text/html", "<title>rebound</title>");
  dns_.answer("rebind.test", {{ipv4(127, 0, 0, 1)}, {ipv4(127, 0, 0, 2)}});
  auto f = fetcher(allow(vetted));
  std::string url = "http://rebind.test:" + std::to_string(vetted.port()) + "/";
  FetchResult first = f.fetch(url);
  ASSERT_EQ(first.outcome, Outcome::ok) << first.detail;
  EXPECT_NE(first.body.find("vetted"), std::string::npos);
  EXPECT_EQ(dns_.lookups("rebind.test"), 1);  // curl never resolved the name itself
  EXPECT_EQ(f.fetch(url).outcome, Outcome::refused);
  EXPECT_EQ(rebound.connections(), 0);
  EXPECT_EQ(vetted.connections(), 1);
}

// The same name redirecting to itself: each hop is looked up and vetted again, so a rebinding
// answer on the second hop is refused.
TEST_F(SsrfGuardTest, EveryRedirectHopIsResolvedAndVettedAgain) {
  TestOrigin vetted("127.0.0.1");
  TestOrigin rebound("127.0.0.2", vetted.port());
  vetted.on("/start", "302 Found", "text/html", "", "Location: /next\r\n");
  rebound.on("/next", "200 OK", "text/html", "<title>rebound</title>");
  dns_.answer("hop.test", {{ipv4(127, 0, 0, 1)}, {ipv4(127, 0, 0, 2)}});
  auto f = fetcher(allow(vetted));
  FetchResult r = f.fetch("http://hop.test:" + std::to_string(vetted.port()) + "/start");
  EXPECT_EQ(r.outcome, Outcome::refused) << r.detail;
  EXPECT_EQ(dns_.lookups("hop.test"), 2);
  EXPECT_EQ(rebound.connections(), 0);
}

TEST_F(SsrfGuardTest, TheTestAllowanceCoversOneLoopbackPortOnly) {
  TestOrigin origin;
  origin.on("/", "200 OK", "text/html", "<title>t</title>");
  AddressGuard allowed{dns_.resolver(), allow(origin)};
  EXPECT_TRUE(allowed.allowed(ipv4(127, 0, 0, 1), origin.port()));
  EXPECT_FALSE(allowed.allowed(ipv4(127, 0, 0, 1), static_cast<uint16_t>(origin.port() + 1)));
  EXPECT_FALSE(allowed.allowed(ipv4(127, 0, 0, 2), origin.port()));
  EXPECT_EQ(fetcher(allow(origin)).fetch(origin.url("/")).outcome, Outcome::ok);
  // Without it (as the server always constructs its fetcher), the same origin is refused.
  TestOrigin other;
  other.on("/", "200 OK", "text/html", "<title>t</title>");
  EXPECT_EQ(fetcher().fetch(other.url("/")).outcome, Outcome::refused);
  EXPECT_EQ(other.connections(), 0);
}

// The setting `hearth serve` takes for its end-to-end tests opens one loopback port, nothing else.
TEST_F(SsrfGuardTest, TheTestAllowanceSettingNamesOneLoopbackPortOnly) {
  auto a = parse_test_allowance("127.0.0.1:8443");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->address, ipv4(127, 0, 0, 1));
  EXPECT_EQ(a->port, 8443);
  for (const char* text : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80x",
                           "127.0.0.1:-1", "10.0.0.1:80", "0.0.0.0:80", "[::1]:80", "::1:80", "localhost:80",
                           "169.254.169.254:80", "93.184.216.34:443", "a@127.0.0.1:80"}) {
    EXPECT_FALSE(parse_test_allowance(text)) << text;
  }
  Config config;
  EXPECT_TRUE(set_config_key(config, "test_outgoing_origin", "127.0.0.1:8443").ok());
  EXPECT_EQ(config.test_outgoing_origin, "127.0.0.1:8443");
  EXPECT_FALSE(set_config_key(config, "test_outgoing_origin", "192.168.0.1:80").ok());
  EXPECT_FALSE(set_config_key(config, "test_outgoing_origin", "localhost:80").ok());
}

}  // namespace
}  // namespace hearth::server::previews
