// Giving the raw configuration values their meaning: each value checked on its own (type,
// range, format) and stored in a ServerConfig. Internal to the configuration loader.
#ifndef WRIT_SERVER_CONFIG_APPLY_H_
#define WRIT_SERVER_CONFIG_APPLY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "server/config_values.h"
#include "server/server_config.h"
#include "writ/result.h"

namespace writ::server {

struct ListenAddress {
  std::string host;  // without brackets for IPv6
  std::uint16_t port = 0;
};

// "HOST:PORT" or "[IPV6]:PORT" (port 0 to 65535; 0 = any free port). `key` names the
// setting in messages (listen, WRIT_LISTEN, --listen).
[[nodiscard]] Result<ListenAddress> ParseListenAddress(std::string_view text,
                                                       std::string_view key);

// "http://HOST:PORT" with IPv6 hosts in brackets (RFC 3986 §3.2.2).
std::string HttpOrigin(std::string_view host, std::uint16_t port);

// Stores every value set in `values` except the secret sources (config_secrets.h) into
// `config`, refusing malformed and out-of-range values. Keys not set keep their defaults.
[[nodiscard]] Status ApplyConfigValues(const ConfigValues& values, ServerConfig& config);

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_APPLY_H_
