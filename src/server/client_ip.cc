// The client address behind trusted reverse proxies. X-Forwarded-For is the de-facto
// header that RFC 7239 standardised as Forwarded "for=" (§5.2): a comma-separated list
// to which each proxy appends its own peer. Any sender can write it (RFC 7239 §8.1), so
// only entries appended by proxies we trust are believed: the list is read from the
// right and the first address that is not a trusted proxy is the client.
#include "server/client_ip.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

namespace writ::server {
namespace {

constexpr std::size_t kMaxForwardedEntries = 32;
constexpr std::string_view kForwardedFor = "x-forwarded-for";

// An address in a form that compares equal however it was written ("::1" and
// "0:0:0:0:0:0:0:1"; "::ffff:10.0.0.1" and "10.0.0.1").
struct IpAddress {
  int family = AF_UNSPEC;
  std::array<unsigned char, 16> bytes{};
  bool operator==(const IpAddress&) const = default;
};

// inet_pton's strict forms only: dotted quad without leading zeros, or RFC 4291 §2.2 text;
// no ports, brackets, zone ids or host names.
std::optional<IpAddress> ParseIp(std::string_view text) {
  // inet_pton reads a C string: a NUL inside would hide what follows it.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string terminated(text);
  IpAddress address;
  if (inet_pton(AF_INET, terminated.c_str(), address.bytes.data()) == 1) {
    address.family = AF_INET;
    return address;
  }
  if (inet_pton(AF_INET6, terminated.c_str(), address.bytes.data()) != 1) {
    return std::nullopt;
  }
  constexpr std::array<unsigned char, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), address.bytes.begin())) {
    std::copy(address.bytes.begin() + 12, address.bytes.end(), address.bytes.begin());
    std::fill(address.bytes.begin() + 4, address.bytes.end(), 0);
    address.family = AF_INET;
    return address;
  }
  address.family = AF_INET6;
  return address;
}

std::string Format(const IpAddress& address) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (inet_ntop(address.family, address.bytes.data(), text.data(), text.size()) == nullptr) {
    return {};
  }
  return std::string(text.data());
}

bool IsTrusted(const IpAddress& address, const std::vector<IpAddress>& trusted) {
  return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

std::string_view TrimOws(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// Every entry of one X-Forwarded-For value, or nothing when any entry is not an address
// or there are too many (a hostile list must not cost more than a bounded parse).
std::optional<std::vector<IpAddress>> ParseForwardedFor(std::string_view value) {
  if (std::count(value.begin(), value.end(), ',') >= static_cast<std::ptrdiff_t>(kMaxForwardedEntries)) {
    return std::nullopt;
  }
  std::vector<IpAddress> entries;
  while (true) {
    const auto comma = value.find(',');
    auto entry = ParseIp(TrimOws(value.substr(0, comma)));
    if (!entry) {
      return std::nullopt;
    }
    entries.push_back(*entry);
    if (comma == std::string_view::npos) {
      return entries;
    }
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

std::string ClientIp(const HttpRequest& request, const std::vector<std::string>& trusted_proxies) {
  const auto peer = ParseIp(request.peer_ip);
  if (!peer) {
    return request.peer_ip;  // not an IP address (a test or a Unix socket): nothing to read
  }
  const std::string peer_text = Format(*peer);
  std::vector<IpAddress> trusted;
  trusted.reserve(trusted_proxies.size());
  for (const std::string& proxy : trusted_proxies) {
    if (auto address = ParseIp(proxy)) {
      trusted.push_back(*address);
    }
  }
  // Anyone can send X-Forwarded-For: it means something only when a trusted proxy sent it.
  if (!IsTrusted(*peer, trusted) || request.HeaderCount(kForwardedFor) != 1) {
    return peer_text;
  }
  const auto entries = ParseForwardedFor(*request.Header(kForwardedFor));
  if (!entries) {
    return peer_text;
  }
  // Entries left of the first untrusted one (from the right) were written by the client.
  for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
    if (!IsTrusted(*it, trusted)) {
      return Format(*it);
    }
  }
  // Every hop is a trusted proxy: the left-most is the furthest one known.
  return Format(entries->front());
}

}  // namespace writ::server
