#include "server/config_lint.h"

#include <chrono>

namespace writ::server {
namespace {

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.starts_with("127.");
}

}  // namespace

std::vector<std::string> LintServerConfig(const ServerConfig& config) {
  using std::chrono::hours;
  using std::chrono::seconds;
  std::vector<std::string> findings;
  const bool deployed = config.environment != Environment::kDevelopment;
  if (deployed && config.allowed_origins.empty()) {
    findings.push_back(
        "allowed_origins: empty, so every login, refresh and logout from a browser is refused "
        "as cross-site; list the frontend's origin, e.g. [\"https://app.example.com\"]");
  }
  if (deployed && !config.tls && !IsLoopback(config.listen_host)) {
    findings.push_back("listen: plain HTTP on " + config.listen_host +
                       "; the cookies are Secure, so put a TLS-terminating proxy in front or "
                       "configure [tls]");
  }
  if (config.sessions.access_ttl > hours(1)) {
    findings.push_back("tokens.access_ttl: over 1 h; a revoked session's access token keeps "
                       "working at services that verify it themselves until it expires — keep "
                       "it at 15m or less");
  }
  if (config.sessions.refresh_grace > seconds(60)) {
    findings.push_back("sessions.refresh_grace: over 60 s; a stolen refresh token replayed "
                       "within the grace window is not detected — 10s covers parallel tabs");
  }
  if (config.environment == Environment::kProduction && config.signup_enabled) {
    findings.push_back("accounts.signup: public signup is on in production; make sure that "
                       "is intended (throttling limits guessing, not account creation)");
  }
  if (deployed && !config.redis.empty() && config.redis_password.empty()) {
    findings.push_back("redis_password: not set, so anyone who reaches Redis can reset the "
                       "throttle counters; set requirepass and name its source, e.g. "
                       "redis_password = \"env:WRIT_REDIS_PASSWORD\"");
  }
  if (config.verified_token_cache_entries == 0) {
    findings.push_back("tokens.verify_cache_entries: 0 turns the verified-token cache off; "
                       "every request then pays a signature verification");
  }
  return findings;
}

}  // namespace writ::server
