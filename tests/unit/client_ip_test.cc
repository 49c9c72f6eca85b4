#include "server/client_ip.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace writ::server {
namespace {

const std::vector<std::string> kProxies = {"10.0.0.1", "10.0.0.2", "2001:db8::10"};

HttpRequest RequestFrom(std::string peer, std::vector<std::string> forwarded_for = {}) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/auth/login";
  request.peer_ip = std::move(peer);
  for (std::string& value : forwarded_for) {
    request.headers.emplace_back("x-forwarded-for", std::move(value));
  }
  return request;
}

TEST(ClientIp, PeerWithoutForwardedForIsTheClient) {
  EXPECT_EQ(ClientIp(RequestFrom("203.0.113.7"), kProxies), "203.0.113.7");
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1"), kProxies), "10.0.0.1");
}

TEST(ClientIp, TrustedProxyForwardedForNamesTheClient) {
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"203.0.113.7"}), kProxies), "203.0.113.7");
  EXPECT_EQ(ClientIp(RequestFrom("2001:db8::10", {"2001:db8:aa::5"}), kProxies), "2001:db8:aa::5");
}

TEST(ClientIp, UntrustedPeerForwardedForIsIgnored) {
  // Attack: a client connects directly and claims to be someone else.
  EXPECT_EQ(ClientIp(RequestFrom("198.51.100.9", {"203.0.113.7"}), kProxies), "198.51.100.9");
  EXPECT_EQ(ClientIp(RequestFrom("198.51.100.9", {"10.0.0.1"}), kProxies), "198.51.100.9");
  EXPECT_EQ(ClientIp(RequestFrom("198.51.100.9", {"203.0.113.7"}), {}), "198.51.100.9");
}

TEST(ClientIp, SpoofedLeftMostEntriesAreIgnored) {
  // Attack: the client sends "X-Forwarded-For: 1.2.3.4"; the proxy appends the real peer.
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"1.2.3.4, 198.51.100.9"}), kProxies), "198.51.100.9");
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"1.2.3.4,5.6.7.8,198.51.100.9"}), kProxies), "198.51.100.9");
}

TEST(ClientIp, RightMostUntrustedEntryWinsThroughAChainOfProxies) {
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"1.2.3.4, 198.51.100.9, 10.0.0.2"}), kProxies), "198.51.100.9");
  // Spoofing a trusted proxy address on the left changes nothing.
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"10.0.0.2, 198.51.100.9, 10.0.0.2"}), kProxies), "198.51.100.9");
}

TEST(ClientIp, AllEntriesTrustedGivesTheLeftMost) {
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"10.0.0.2"}), kProxies), "10.0.0.2");
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"2001:db8::10, 10.0.0.2"}), kProxies), "2001:db8::10");
}

TEST(ClientIp, MalformedEntryFallsBackToThePeer) {
  for (const char* value : {"", " ", ",", "198.51.100.9,", ",198.51.100.9", "198.51.100.9,,1.2.3.4",
                            "unknown", "evil.example", "198.51.100.9:443", "[2001:db8::1]", "2001:db8::1%eth0",
                            "198.51.100.256", "198.51.100", "198.051.100.9", "1.2.3.4 5.6.7.8",
                            "1.2.3.4;5.6.7.8", "for=198.51.100.9", "0x7f.0.0.1",
                            "::ffff:1.2.3.4.5", "1.2.3.4, garbage, 198.51.100.9"}) {
    EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {value}), kProxies), "10.0.0.1") << value;
  }
}

TEST(ClientIp, EmbeddedNulEntryFallsBackToThePeer) {
  using namespace std::string_literals;
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"198.51.100.9\0"s}), kProxies), "10.0.0.1");
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"1.2.3.4\0, 5.6.7.8"s}), kProxies), "10.0.0.1");
}

TEST(ClientIp, TwoForwardedForHeadersFallBackToThePeer) {
  // Attack: the client's own header survives next to the proxy's; which is which is unknown.
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"1.2.3.4", "198.51.100.9"}), kProxies), "10.0.0.1");
}

TEST(ClientIp, ThirtyTwoEntriesAreRead) {
  std::string value;
  for (int i = 0; i < 31; ++i) {
    value += "10.0.0.2, ";
  }
  value += "198.51.100.9";
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {value}), kProxies), "198.51.100.9");
}

TEST(ClientIp, OverThirtyTwoEntriesFallBackToThePeer) {
  std::string value;
  for (int i = 0; i < 32; ++i) {
    value += "10.0.0.2, ";
  }
  value += "198.51.100.9";
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {value}), kProxies), "10.0.0.1");
  std::string huge;
  for (int i = 0; i < 10'000; ++i) {
    huge += "1.2.3.4,";
  }
  huge += "198.51.100.9";
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {huge}), kProxies), "10.0.0.1");
}

TEST(ClientIp, AddressesCompareInCanonicalForm) {
  // The peer written as an IPv4-mapped IPv6 address (a dual-stack socket) is still trusted.
  EXPECT_EQ(ClientIp(RequestFrom("::ffff:10.0.0.1", {"203.0.113.7"}), kProxies), "203.0.113.7");
  // A long form of a trusted IPv6 proxy is trusted too; results come out canonical.
  EXPECT_EQ(ClientIp(RequestFrom("2001:0DB8:0:0:0:0:0:0010", {"2001:DB8:AA:0::5"}), kProxies), "2001:db8:aa::5");
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"::ffff:203.0.113.7"}), kProxies), "203.0.113.7");
  EXPECT_EQ(ClientIp(RequestFrom("::FFFF:198.51.100.9"), kProxies), "198.51.100.9");
}

TEST(ClientIp, PeerThatIsNotAnAddressIsReturnedUnchanged) {
  EXPECT_EQ(ClientIp(RequestFrom("test-peer", {"203.0.113.7"}), {"test-peer"}), "test-peer");
  EXPECT_EQ(ClientIp(RequestFrom(""), kProxies), "");
}

TEST(ClientIp, MalformedTrustedProxyEntriesTrustNobody) {
  EXPECT_EQ(ClientIp(RequestFrom("10.0.0.1", {"203.0.113.7"}), {"10.0.0.0/8", "proxy.local", ""}), "10.0.0.1");
}

}  // namespace
}  // namespace writ::server
