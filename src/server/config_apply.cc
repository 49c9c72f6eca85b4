#include "server/config_apply.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "keys/secret_source.h"
#include "server/config_reader.h"
#include "store/pg_store.h"
#include "store/redis_url.h"

namespace writ::server {
namespace {

using std::chrono::seconds;

constexpr seconds kMaxRefreshGrace{300};
constexpr seconds kMaxRememberTtl{400 * 24 * 3600};
constexpr seconds kMaxAccessTtl{24 * 3600};

bool IsIpAddress(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// A host name or IPv4 address as written in a listen address or origin.
bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) {
    return false;
  }
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// 0..65535 in decimal digits only; nullopt otherwise.
std::optional<std::uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) {
    return std::nullopt;
  }
  std::uint32_t port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(port);
}

// An exact browser origin (RFC 6454 §6.1 serialisation): scheme "://" host [":" port],
// lower case, no default port, nothing after. Empty when fine, else what to change.
std::string CheckOrigin(std::string_view origin) {
  if (origin.find('*') != std::string_view::npos) {
    return "'*' is not allowed in allowed_origins; list every origin exactly, e.g. "
           "\"https://app.example.com\"";
  }
  std::string_view rest;
  std::string_view default_port;
  if (origin.starts_with("https://")) {
    rest = origin.substr(8);
    default_port = "443";
  } else if (origin.starts_with("http://")) {
    rest = origin.substr(7);
    default_port = "80";
  } else {
    return "an origin starts with https:// or http:// (e.g. \"https://app.example.com\")";
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with('[')) {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return "an IPv6 origin host needs a closing ']'";
    }
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      return "an origin has no path, query or trailing '/': write scheme://host[:port]";
    }
    port = after.empty() ? after : after.substr(1);
    if (!IsIpAddress(std::string(host)) || host.find(':') == std::string_view::npos) {
      return "the bracketed host is not an IPv6 address";
    }
  } else {
    const std::size_t colon = rest.find(':');
    if (colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
    }
    if (!IsHostName(host)) {
      return "an origin has no path, query, user or trailing '/': write scheme://host[:port]";
    }
  }
  for (char c : host) {
    if (c >= 'A' && c <= 'Z') {
      return "write the origin in lower case, as browsers send it";
    }
  }
  if (!port.empty() || rest.ends_with(':')) {
    if (!ParsePort(port) || *ParsePort(port) == 0) {
      return "the port must be a number from 1 to 65535";
    }
    if (port == default_port) {
      return "leave out the default port " + std::string(default_port) +
             ": browsers never send it in Origin";
    }
  }
  return {};
}

// store = "sqlite:PATH" | "postgres:CONNINFO", with store_password = SOURCE (read with the
// other secrets, config_secrets.cc) and store_pool_size for postgres. The password comes
// from its source only: a conninfo holding one is refused (it would sit in the file).
Status ApplyStore(const ConfigReader& reader, ServerConfig& config) {
  if (auto pool = reader.Count("store_pool_size", 1, 256, config.store_pool_size); !pool) {
    return pool;
  }
  constexpr std::string_view kPostgres = "postgres:";
  if (config.store.starts_with(kPostgres) && config.store.size() > kPostgres.size()) {
    if (auto checked = store::CheckPostgresConninfo(config.store.substr(kPostgres.size()));
        !checked) {
      // Never echo the conninfo: it may hold the password.
      return reader.Refuse("store", "postgres:CONNINFO must be a libpq connection string "
                                    "without a password (give it as store_password = "
                                    "\"env:NAME\", \"file:PATH\" or \"exec:...\")");
    }
    return {};
  }
  if (reader.Has("store") &&
      (!config.store.starts_with("sqlite:") || config.store.size() == 7)) {
    return reader.Refuse("store", "write sqlite:PATH or postgres:CONNINFO");
  }
  for (const char* postgres_only : {"store_password", "store_pool_size"}) {
    if (reader.Has(postgres_only)) {
      return reader.Refuse(postgres_only, "is set but the store is not postgres:CONNINFO; "
                                          "remove it");
    }
  }
  return {};
}

Status ApplyTopLevel(const ConfigReader& reader, ServerConfig& config) {
  std::string environment;
  if (auto read = reader.String("environment", environment); !read) {
    return read;
  }
  if (reader.Has("environment")) {
    if (environment == "development") {
      config.environment = Environment::kDevelopment;
    } else if (environment == "staging") {
      config.environment = Environment::kStaging;
    } else if (environment == "production") {
      config.environment = Environment::kProduction;
    } else {
      return reader.Refuse("environment", "write development, staging or production");
    }
  }
  if (const ConfigValue* listen = reader.Find("listen")) {
    std::string text;
    if (auto read = reader.String("listen", text); !read) {
      return read;
    }
    auto address = ParseListenAddress(text, listen->origin);
    if (!address) {
      return tl::unexpected(address.error());
    }
    config.listen_host = address->host;
    config.listen_port = address->port;
  }
  Status status = reader.Count("threads", 1, 256, config.threads);
  status = status ? reader.Count("hash_threads", 1, 256, config.hash_threads) : status;
  status = status ? reader.String("store", config.store) : status;
  status = status ? reader.String("redis", config.redis) : status;
  if (!status) {
    return status;
  }
  if (auto store = ApplyStore(reader, config); !store) {
    return store;
  }
  if (!config.redis.empty() && !config.redis.starts_with("redis://") &&
      !config.redis.starts_with("rediss://")) {
    return reader.Refuse("redis", "write a redis:// or rediss:// URL, or leave it empty");
  }
  return {};
}

// redis = "redis://HOST:PORT/DB" (store/redis_url.h) and redis_password = SOURCE, which is
// read with the other secrets (config_secrets.cc) and means nothing without `redis`.
Status ApplyRedis(const ConfigReader& reader, const ServerConfig& config) {
  if (!config.redis.empty()) {
    if (auto url = store::ParseRedisUrl(config.redis); !url) {
      return reader.Refuse("redis", url.error().detail);
    }
  } else if (reader.Has("redis_password")) {
    return reader.Refuse("redis_password", "is set but redis is not; set redis = \"redis://HOST:PORT/DB\" or remove it");
  }
  return {};
}

Status ApplyNetworkLists(const ConfigReader& reader, ServerConfig& config) {
  if (auto read = reader.List("allowed_origins", config.allowed_origins); !read) {
    return read;
  }
  for (const std::string& origin : config.allowed_origins) {
    if (std::string problem = CheckOrigin(origin); !problem.empty()) {
      return reader.Refuse("allowed_origins", "\"" + origin + "\": " + problem);
    }
  }
  if (auto read = reader.List("trusted_proxies", config.trusted_proxies); !read) {
    return read;
  }
  for (const std::string& proxy : config.trusted_proxies) {
    if (!IsIpAddress(proxy)) {
      return reader.Refuse("trusted_proxies",
                          "\"" + proxy + "\" is not an IP address; list exact IPv4/IPv6 addresses");
    }
  }
  return {};
}

Status ApplyTls(const ConfigReader& reader, ServerConfig& config) {
  const bool has_chain = reader.Has("tls.certificate_chain");
  const bool has_key = reader.Has("tls.private_key");
  if (!has_chain && !has_key) {
    return {};
  }
  if (!has_chain || !has_key) {
    return reader.Refuse(has_chain ? "tls.private_key" : "tls.certificate_chain",
                        "[tls] needs both certificate_chain and private_key");
  }
  TlsConfig tls;
  Status status = reader.String("tls.certificate_chain", tls.certificate_chain_file);
  status = status ? reader.String("tls.private_key", tls.private_key_source) : status;
  if (!status) {
    return status;
  }
  if (tls.certificate_chain_file.empty()) {
    return reader.Refuse("tls.certificate_chain", "write the path of the PEM certificate chain");
  }
  if (!keys::IsSecretSourceReference(tls.private_key_source)) {
    return reader.Refuse("tls.private_key",
                        "write a secret source, env:NAME, file:PATH or exec:COMMAND ARGS, never "
                        "the key itself");
  }
  config.tls = std::move(tls);
  return {};
}

Status ApplyHttp(const ConfigReader& reader, HttpLimits& limits) {
  constexpr std::int64_t kMiB = 1024 * 1024;
  Status status = reader.Count("http.max_header_bytes", 1024, kMiB, limits.max_header_bytes);
  status = status ? reader.Count("http.max_body_bytes", 1024, kMiB, limits.max_body_bytes) : status;
  status = status ? reader.Millis("http.header_timeout", limits.header_timeout) : status;
  status = status ? reader.Millis("http.body_timeout", limits.body_timeout) : status;
  status = status ? reader.Millis("http.idle_timeout", limits.idle_timeout) : status;
  status = status ? reader.Count("http.max_connections", 1, 1'000'000, limits.max_connections)
                  : status;
  return status;
}

Status ApplyTokensAndSessions(const ConfigReader& reader, ServerConfig& config) {
  SessionPolicy& sessions = config.sessions;
  Status status = reader.String("tokens.issuer", config.issuer);
  status = status ? reader.String("tokens.audience", config.audience) : status;
  status = status ? reader.Lifetime("tokens.access_ttl", seconds(1), kMaxAccessTtl,
                                    sessions.access_ttl)
                  : status;
  status = status ? reader.Lifetime("tokens.assertion_ttl", seconds(1), seconds(300),
                                    config.assertion_ttl)
                  : status;
  status = status ? reader.Count("tokens.verify_cache_entries", 0, 1'000'000,
                                 config.verified_token_cache_entries)
                  : status;
  status = status ? reader.Lifetime("tokens.jwks_max_age", seconds(0), seconds(24 * 3600),
                                    config.jwks_max_age_limit)
                  : status;
  status = status ? reader.Lifetime("sessions.refresh_grace", seconds(0), kMaxRefreshGrace,
                                    sessions.refresh_grace)
                  : status;
  status = status ? reader.Lifetime("sessions.session_ttl", seconds(1), kMaxRememberTtl,
                                    sessions.session_ttl)
                  : status;
  status = status ? reader.Lifetime("sessions.remember_ttl", seconds(1), kMaxRememberTtl,
                                    sessions.remember_ttl)
                  : status;
  status = status ? reader.Lifetime("sessions.idle_ttl", seconds(1), kMaxRememberTtl,
                                    sessions.idle_ttl)
                  : status;
  return status;
}

Status ApplyAccounts(const ConfigReader& reader, ServerConfig& config) {
  PasswordPolicy& passwords = config.passwords;
  // NIST SP 800-63B §5.1.1.2: at least 8 characters, and allow at least 64.
  Status status = reader.Bool("accounts.signup", config.signup_enabled);
  status = status ? reader.Count("accounts.password_min_length", 8, 1024, passwords.min_length)
                  : status;
  status = status ? reader.Count("accounts.password_max_length", 64, 4096, passwords.max_length)
                  : status;
  const auto max_ops = static_cast<std::int64_t>(
      std::min<std::size_t>(crypto_pwhash_opslimit_max(), 1'000'000));
  status = status ? reader.Count("accounts.argon2_opslimit", 2, max_ops, passwords.opslimit)
                  : status;
  std::size_t memlimit_kib = passwords.memlimit_bytes / 1024;
  // OWASP / RFC 9106 §4: Argon2id with at least 19 MiB; at most 4 GiB per hash.
  status = status ? reader.Count("accounts.argon2_memlimit_kib", 19 * 1024, 4 * 1024 * 1024,
                                 memlimit_kib)
                  : status;
  if (!status) {
    return status;
  }
  passwords.memlimit_bytes = memlimit_kib * 1024;
  return {};
}

Status ApplyThrottleAndAudit(const ConfigReader& reader, ServerConfig& config) {
  ThrottlePolicy& throttle = config.throttle;
  Status status =
      reader.Count("throttle.max_account_failures", 1, 1000, throttle.max_account_failures);
  status = status ? reader.Lifetime("throttle.account_backoff_base", seconds(1), kMaxAccessTtl,
                                    throttle.account_backoff_base)
                  : status;
  status = status ? reader.Lifetime("throttle.account_backoff_max", seconds(1), kMaxAccessTtl,
                                    throttle.account_backoff_max)
                  : status;
  status = status ? reader.Number("throttle.ip_rate_per_second", 0.001, 1e6,
                                  throttle.ip_rate_per_second)
                  : status;
  status = status ? reader.Number("throttle.ip_burst", 1.0, 1e6, throttle.ip_burst) : status;
  status = status ? reader.String("audit.sink", config.audit.sink) : status;
  status = status ? reader.Lifetime("audit.retention", seconds(1), seconds::max(),
                                    config.audit.retention)
                  : status;
  if (!status) {
    return status;
  }
  const std::string& sink = config.audit.sink;
  if (sink != "stdout" && sink != "none" && (!sink.starts_with("file:") || sink.size() == 5)) {
    return reader.Refuse("audit.sink", "write stdout, none or file:PATH");
  }
  return {};
}

// pages = true|false and web_root = "DIR" (web_pages.h): the directory must hold every
// allow-listed file, which is checked when the server starts.
Status ApplyPages(const ConfigReader& reader, ServerConfig& config) {
  Status status = reader.Bool("pages", config.pages_enabled);
  status = status ? reader.String("web_root", config.web_root) : status;
  if (!status) {
    return status;
  }
  if (reader.Has("web_root") && config.web_root.empty()) {
    return reader.Refuse("web_root", "write the path of a directory, or leave web_root out to "
                                     "serve the pages built into writ");
  }
  if (!config.web_root.empty() && !config.pages_enabled) {
    return reader.Refuse("web_root", "is set but pages = false; remove one of them");
  }
  return {};
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text, std::string_view key) {
  ListenAddress address;
  std::string_view port;
  if (text.starts_with('[')) {
    const std::size_t close = text.find("]:");
    if (close == std::string_view::npos) {
      return ConfigError(key, "write [IPV6]:PORT, e.g. [::1]:8080");
    }
    address.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
    unsigned char buffer[16];
    if (inet_pton(AF_INET6, address.host.c_str(), buffer) != 1) {
      return ConfigError(key, "the bracketed host is not an IPv6 address; write e.g. [::1]:8080");
    }
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return ConfigError(key, "write HOST:PORT, e.g. 127.0.0.1:8080");
    }
    address.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
    if (address.host.find(':') != std::string::npos) {
      return ConfigError(key, "put an IPv6 address in brackets, e.g. [::1]:8080");
    }
    if (!IsHostName(address.host)) {
      return ConfigError(key,
                         "write HOST:PORT with a host name or IP address, e.g. 127.0.0.1:8080");
    }
  }
  auto parsed_port = ParsePort(port);
  if (!parsed_port) {
    return ConfigError(key, "the port must be a number from 0 to 65535");
  }
  address.port = *parsed_port;
  return address;
}

std::string HttpOrigin(std::string_view host, std::uint16_t port) {
  const bool ipv6 = host.find(':') != std::string_view::npos;
  return "http://" + (ipv6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" +
         std::to_string(port);
}

// RFC 9110 §5.1: a field name is a token.
bool IsFieldName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) {
      return false;
    }
  }
  return true;
}

Status ApplyForwardAuth(const ConfigReader& reader, ForwardAuthConfig& forward) {
  for (auto [path, field] : {std::pair{"forward_auth.user_header", &forward.user_header},
                             std::pair{"forward_auth.user_id_header", &forward.user_id_header},
                             std::pair{"forward_auth.roles_header", &forward.roles_header},
                             std::pair{"forward_auth.session_header", &forward.session_header},
                             std::pair{"forward_auth.assertion_header", &forward.assertion_header}}) {
    if (auto read = reader.String(path, *field); !read) {
      return read;
    }
    if (!IsFieldName(*field)) {
      return reader.Refuse(path, "write a header name such as \"X-Writ-User\" (letters, digits, '-')");
    }
  }
  if (auto read = reader.String("forward_auth.login_url", forward.login_url); !read) {
    return read;
  }
  if (!forward.login_url.empty() && !forward.login_url.starts_with("https://") &&
      !forward.login_url.starts_with("http://") && !forward.login_url.starts_with("/")) {
    return reader.Refuse("forward_auth.login_url", "write an absolute URL or a path starting with '/'");
  }
  for (char c : forward.login_url) {
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) {
      return reader.Refuse("forward_auth.login_url", "no spaces or control characters in a URL");
    }
  }
  return {};
}

Status ApplyConfigValues(const ConfigValues& values, ServerConfig& config) {
  const ConfigReader reader(values);
  Status status = ApplyTopLevel(reader, config);
  status = status ? ApplyNetworkLists(reader, config) : status;
  status = status ? ApplyTls(reader, config) : status;
  status = status ? ApplyHttp(reader, config.limits) : status;
  status = status ? ApplyTokensAndSessions(reader, config) : status;
  status = status ? ApplyAccounts(reader, config) : status;
  status = status ? ApplyThrottleAndAudit(reader, config) : status;
  status = status ? ApplyForwardAuth(reader, config.forward_auth) : status;
  status = status ? ApplyRedis(reader, config) : status;
  status = status ? ApplyPages(reader, config) : status;
  return status;
}

}  // namespace writ::server
