// The client address of a request: the TCP peer, or — only when the peer is a configured
// trusted proxy — the right-most X-Forwarded-For entry that is not itself a trusted proxy.
#ifndef WRIT_SERVER_CLIENT_IP_H_
#define WRIT_SERVER_CLIENT_IP_H_

#include <string>
#include <vector>

#include "server/http_message.h"

namespace writ::server {

// `trusted_proxies` are exact IP addresses (v4 or v6 text). A malformed X-Forwarded-For
// (or more than one such header, or over 32 entries) is ignored and the peer is used.
// The result is in canonical text form (inet_ntop; an IPv4-mapped IPv6 address as IPv4);
// a peer that is not an IP address at all is returned unchanged.
std::string ClientIp(const HttpRequest& request, const std::vector<std::string>& trusted_proxies);

}  // namespace writ::server

#endif  // WRIT_SERVER_CLIENT_IP_H_
