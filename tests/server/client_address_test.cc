// X-Forwarded-For is believed only from trusted proxies, and only from its right end.
#include "server/client_address.h"

#include <gtest/gtest.h>

namespace hearth::server {
namespace {

TrustedProxies proxies(std::vector<std::string> entries) {
  auto p = TrustedProxies::parse(entries);
  EXPECT_TRUE(p.ok());
  return p.ok() ? *p : TrustedProxies{};
}

TEST(ClientAddressTest, UntrustedPeerIsTheClientWhateverItForwards) {
  auto p = proxies({"10.0.0.1"});
  EXPECT_EQ(client_address("203.0.113.9", "1.2.3.4", p), "203.0.113.9");
  EXPECT_EQ(client_address("203.0.113.9", "", TrustedProxies{}), "203.0.113.9");
}

TEST(ClientAddressTest, TrustedProxyForwardsTheClient) {
  auto p = proxies({"10.0.0.1"});
  EXPECT_EQ(client_address("10.0.0.1", "198.51.100.7", p), "198.51.100.7");
  EXPECT_EQ(client_address("10.0.0.1", "", p), "10.0.0.1") << "no header: the proxy itself";
}

TEST(ClientAddressTest, ForgedLeftEntriesAreIgnored) {
  // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the real peer.
  auto p = proxies({"10.0.0.0/8"});
  EXPECT_EQ(client_address("10.0.0.1", "6.6.6.6, 198.51.100.7", p), "198.51.100.7");
}

TEST(ClientAddressTest, ChainsOfTrustedProxiesAreWalkedFromTheRight) {
  auto p = proxies({"10.0.0.0/8", "192.168.0.0/16"});
  EXPECT_EQ(client_address("10.0.0.1", "198.51.100.7, 192.168.1.1, 10.2.3.4", p), "198.51.100.7");
  // Every hop trusted: the leftmost is the best answer there is.
  EXPECT_EQ(client_address("10.0.0.1", "10.9.9.9, 10.2.3.4", p), "10.9.9.9");
}

TEST(ClientAddressTest, GarbageStopsAtTheLastTrustedHop) {
  auto p = proxies({"10.0.0.0/8"});
  EXPECT_EQ(client_address("10.0.0.1", "198.51.100.7, not-an-ip", p), "10.0.0.1");
  EXPECT_EQ(client_address("10.0.0.1", "198.51.100.7, 10.0.0.2, bogus", p), "10.0.0.1");
  EXPECT_EQ(client_address("10.0.0.1", std::string_view("1.2.3.4\0", 8), p), "10.0.0.1");
}

TEST(ClientAddressTest, Ipv6AndMappedIpv4) {
  auto p = proxies({"::1", "127.0.0.0/8"});
  EXPECT_EQ(client_address("::1", "2001:db8::5", p), "2001:db8::5");
  EXPECT_EQ(client_address("::ffff:127.0.0.1", "198.51.100.7", p), "198.51.100.7");
  EXPECT_EQ(client_address("127.0.0.1", "::ffff:198.51.100.7", p), "198.51.100.7");
}

TEST(ClientAddressTest, NetworksParseAndContain) {
  auto n = IpNetwork::parse("10.1.0.0/16");
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(n->contains(*IpAddress::parse("10.1.255.3")));
  EXPECT_FALSE(n->contains(*IpAddress::parse("10.2.0.1")));
  auto odd = IpNetwork::parse("10.0.0.0/9");
  ASSERT_TRUE(odd.ok());
  EXPECT_TRUE(odd->contains(*IpAddress::parse("10.127.0.1")));
  EXPECT_FALSE(odd->contains(*IpAddress::parse("10.128.0.1")));
  EXPECT_FALSE(IpNetwork::parse("10.0.0.0/33").ok());
  EXPECT_FALSE(IpNetwork::parse("10.0.0.0/").ok());
  EXPECT_FALSE(IpNetwork::parse("fd00::/129").ok());
  EXPECT_TRUE(IpNetwork::parse("fd00::/8").ok());
  EXPECT_FALSE(IpAddress::parse("1.2.3.4:80").has_value());
  EXPECT_FALSE(IpAddress::parse("").has_value());
}

}  // namespace
}  // namespace hearth::server
