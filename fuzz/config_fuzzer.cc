// libFuzzer target for the configuration path of `writ serve` up to the secrets: the TOML
// text (ParseConfigToml: toml++ and the key schema), WRIT_* overrides from a fake environment
// (ApplyEnvironmentOverrides), every value checked and stored (ApplyConfigValues), then the
// checks across settings (ValidateServerConfig) and the lint (LintServerConfig).
//
// An input is `TOML` or `TOML\0ENV`, ENV being "NAME=VALUE" lines: the only environment the
// overrides see. The process environment is never read.
//
// Secret sources are never resolved. LoadConfigSecrets (config_secrets.cc) and the loader
// around it (config_loader.cc) are not linked into this target, so no env:, file: or exec:
// reference can be read; the secrets step is stood in for by a signing key and secret keys
// made at start-up (never written anywhere). As a tripwire, keys::RunCommand — the only way
// a source runs a program (exec:, and the git probe of file:) — is defined here to abort.
//
// Invariants: every input ends in a ServerConfig or in a kInvalidArgument "config: ..."
// refusal (no crash, no hang, no sanitizer report); what ApplyConfigValues accepts is within
// the ranges and formats config_apply.cc documents, and its lifetimes read back through
// FormatDuration; a refusal never repeats a postgres conninfo that holds a password; the
// TOML guard (config_toml_guard.h) never refuses as "outside strings" a non-ASCII character
// that toml++ reads inside a string or comment (checked with those characters made '~').
#include <arpa/inet.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include "keys/command_runner.h"
#include "keys/secret_source.h"
#include "server/config_apply.h"
#include "server/config_lint.h"
#include "server/config_reader.h"
#include "server/config_toml_guard.h"
#include "server/config_validate.h"
#include "server/config_values.h"
#include "server/duration.h"
#include "server/server_config.h"
#include "writ/key.h"
#include "writ/secret_bytes.h"

namespace writ::keys {

// The tripwire: nothing the configuration fuzzer reaches may start a program.
Result<CommandExit> RunCommand(const std::vector<std::string>& /*argv*/,
                               const CommandOptions& /*options*/,
                               std::span<std::uint8_t> /*output*/) {
  std::fprintf(stderr, "config_fuzzer: a secret source tried to run a command\n");
  std::abort();
}

std::string DescribeExit(const CommandExit& /*exit*/) { std::abort(); }

}  // namespace writ::keys

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "config_fuzzer invariant broken: %s\n", what);
    std::abort();
  }
}

// A refusal of the configuration: kInvalidArgument, "config: <key>: <what>".
void CheckRefusal(const writ::Error& error, const char* what) {
  if (error.code != writ::ErrorCode::kInvalidArgument || !error.detail.starts_with("config: ")) {
    std::fprintf(stderr, "config_fuzzer: %s: %s: %s\n", what,
                 std::string(writ::ErrorCodeName(error.code)).c_str(), error.detail.c_str());
    Check(false, "a configuration error is a kInvalidArgument \"config: ...\" refusal");
  }
}

// What the secrets step would have stored: fixed for the run, made at start-up.
struct StandInSecrets {
  writ::Key signing_key;
  writ::Key verification_key;
};

const StandInSecrets& Secrets() {
  static const StandInSecrets secrets = [] {
    writ::Key key = writ::Key::Generate(writ::Alg::kEdDsa, "fuzz-signing").value();
    writ::Key verification = key.PublicKey().value();
    return StandInSecrets{std::move(key), std::move(verification)};
  }();
  return secrets;
}

// "NAME=VALUE" lines; a line without '=' is skipped, a later line wins.
std::map<std::string, std::string, std::less<>> ParseEnvironment(std::string_view text) {
  std::map<std::string, std::string, std::less<>> variables;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    const std::size_t equals = line.find('=');
    if (equals != std::string_view::npos) {
      variables.insert_or_assign(std::string(line.substr(0, equals)),
                                 std::string(line.substr(equals + 1)));
    }
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return variables;
}

bool IsIpAddress(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool Within(seconds value, seconds min, seconds max) { return value >= min && value <= max; }

bool IsToken(std::string_view name) {
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

// The contracts of ApplyConfigValues (config_apply.cc) on what it accepted.
void CheckApplied(const writ::server::ServerConfig& config) {
  using writ::server::Environment;
  Check(!config.listen_host.empty(), "listen host is empty");
  if (config.listen_host.find(':') != std::string::npos) {
    unsigned char buffer[16];
    Check(inet_pton(AF_INET6, config.listen_host.c_str(), buffer) == 1,
          "a listen host with ':' is an IPv6 address");
  }
  for (const std::string& origin : config.allowed_origins) {
    Check(origin.starts_with("https://") || origin.starts_with("http://"),
          "an allowed origin is http(s)://");
    Check(origin.find('*') == std::string::npos, "no '*' in an allowed origin");
    const std::size_t host = origin.find("://") + 3;
    Check(origin.size() > host && origin.find('/', host) == std::string::npos,
          "an allowed origin has a host and no path");
    for (char c : origin) {
      Check(!(c >= 'A' && c <= 'Z'), "an allowed origin is lower case");
    }
  }
  for (const std::string& proxy : config.trusted_proxies) {
    Check(IsIpAddress(proxy), "a trusted proxy is an IP address");
  }
  Check(config.threads >= 1 && config.threads <= 256, "threads in 1..256");
  Check(config.hash_threads >= 1 && config.hash_threads <= 256, "hash_threads in 1..256");
  Check(config.store.starts_with("sqlite:") || config.store.starts_with("postgres:"),
        "store is sqlite: or postgres:");
  Check(config.store_pool_size >= 1 && config.store_pool_size <= 256, "store_pool_size");
  Check(config.redis.empty() || config.redis.starts_with("redis://") ||
            config.redis.starts_with("rediss://"),
        "redis is empty or a redis(s):// URL");
  if (config.tls) {
    Check(!config.tls->certificate_chain_file.empty(), "tls chain is set");
    Check(writ::keys::IsSecretSourceReference(config.tls->private_key_source),
          "tls.private_key is a source, never a literal key");
  }
  const auto& limits = config.limits;
  constexpr std::size_t kMiB = 1024 * 1024;
  Check(limits.max_header_bytes >= 1024 && limits.max_header_bytes <= kMiB, "max_header_bytes");
  Check(limits.max_body_bytes >= 1024 && limits.max_body_bytes <= kMiB, "max_body_bytes");
  for (milliseconds timeout : {limits.header_timeout, limits.body_timeout, limits.idle_timeout}) {
    Check(timeout >= seconds(1) && timeout <= seconds(86400), "an I/O timeout in 1s..1d");
  }
  Check(limits.max_connections >= 1 && limits.max_connections <= 1'000'000, "max_connections");
  const auto& sessions = config.sessions;
  Check(Within(sessions.access_ttl, seconds(1), seconds(86400)), "access_ttl in 1s..24h");
  Check(Within(config.assertion_ttl, seconds(1), seconds(300)), "assertion_ttl in 1s..5m");
  Check(Within(config.jwks_max_age_limit, seconds(0), seconds(86400)), "jwks_max_age in 0..24h");
  Check(Within(sessions.refresh_grace, seconds(0), seconds(300)), "refresh_grace at most 300s");
  for (seconds ttl : {sessions.session_ttl, sessions.remember_ttl, sessions.idle_ttl}) {
    Check(Within(ttl, seconds(1), seconds(400 * 86400)), "a session lifetime in 1s..400d");
  }
  Check(config.passwords.min_length >= 8 && config.passwords.min_length <= 1024, "min_length");
  Check(config.passwords.max_length >= 64 && config.passwords.max_length <= 4096, "max_length");
  Check(config.passwords.opslimit >= 2, "argon2 opslimit at least 2");
  Check(config.passwords.memlimit_bytes >= 19u * kMiB, "argon2 memlimit at least 19 MiB");
  const auto& throttle = config.throttle;
  Check(throttle.max_account_failures >= 1 && throttle.max_account_failures <= 1000,
        "max_account_failures");
  Check(throttle.ip_rate_per_second >= 0.001 && throttle.ip_rate_per_second <= 1e6,
        "ip_rate_per_second");
  Check(throttle.ip_burst >= 1.0 && throttle.ip_burst <= 1e6, "ip_burst");
  const std::string& sink = config.audit.sink;
  Check(sink == "stdout" || sink == "none" || (sink.starts_with("file:") && sink.size() > 5),
        "audit.sink is stdout, none or file:PATH");
  Check(config.audit.retention >= seconds(1), "audit.retention positive");
  const auto& forward = config.forward_auth;
  for (const std::string* header : {&forward.user_header, &forward.user_id_header,
                                    &forward.roles_header, &forward.session_header,
                                    &forward.assertion_header}) {
    Check(IsToken(*header), "a forward_auth header is a field name");
  }
  for (char c : forward.login_url) {
    const auto byte = static_cast<unsigned char>(c);
    Check(byte >= 0x21 && byte <= 0x7e, "login_url has no space or control character");
  }
  Check(config.web_root.empty() || config.pages_enabled, "web_root only with pages");
  // Messages print limits with FormatDuration: what it prints must read back the same.
  for (seconds lifetime :
       {sessions.access_ttl, sessions.refresh_grace, sessions.session_ttl, sessions.remember_ttl,
        sessions.idle_ttl, config.assertion_ttl, config.jwks_max_age_limit,
        throttle.account_backoff_base, throttle.account_backoff_max, config.audit.retention}) {
    auto again = writ::server::ParseDuration(writ::server::FormatDuration(lifetime));
    Check(again.has_value() && *again == lifetime, "FormatDuration does not read back");
  }
  Check(config.environment == Environment::kDevelopment ||
            config.environment == Environment::kStaging ||
            config.environment == Environment::kProduction,
        "environment");
}

// A postgres conninfo holding a password must never be repeated in a message.
void CheckNoConninfoEcho(const writ::server::ConfigValues& values, const writ::Error& error) {
  const auto* store = values.Find("store");
  if (store == nullptr) {
    return;
  }
  const auto* text = std::get_if<std::string>(&store->value);
  if (text == nullptr || !text->starts_with("postgres:")) {
    return;
  }
  const std::string_view conninfo = std::string_view(*text).substr(9);
  if (conninfo.find("password=") != std::string_view::npos) {
    Check(error.detail.find(conninfo) == std::string::npos,
          "a refusal repeats a conninfo that holds a password");
  }
}

// `toml` with every non-ASCII character as '~', which TOML allows only in strings and
// comments; nullopt when `toml` is not UTF-8 (toml++ refuses that anyway).
std::optional<std::string> NonAsciiAsTilde(std::string_view toml) {
  std::string out;
  for (std::size_t i = 0; i < toml.size(); ++i) {
    const auto byte = static_cast<unsigned char>(toml[i]);
    if (byte < 0x80) {
      out.push_back(toml[i]);
      continue;
    }
    const std::size_t length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 ? 2 : 0;
    if (length == 0 || byte > 0xf4 || i + length > toml.size()) {
      return std::nullopt;
    }
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(toml[i + k]) & 0xc0) != 0x80) {
        return std::nullopt;
      }
    }
    out.push_back('~');
    i += length - 1;
  }
  return out;
}

// The guard (config_toml_guard.h) must not refuse valid TOML for a non-ASCII character
// "outside strings": with those characters made '~', toml++ (safe on ASCII) would then
// refuse the text, as '~' is valid only in strings and comments.
void CheckNonAsciiRefusal(std::string_view toml, const writ::Error& error) {
  if (error.detail.find("non-ASCII character outside") == std::string::npos) {
    return;
  }
  const auto ascii = NonAsciiAsTilde(toml);
  if (!ascii || writ::server::CheckTomlText(*ascii)) {
    return;
  }
  bool valid = true;
  try {
    (void)toml::parse(*ascii);
  } catch (const toml::parse_error&) {
    valid = false;
  }
  Check(!valid, "the TOML guard refused a non-ASCII character that toml++ reads in a string");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace server = writ::server;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = bytes.find('\0');
  const std::string_view toml = bytes.substr(0, nul);
  const auto environment = ParseEnvironment(
      nul == std::string_view::npos ? std::string_view() : bytes.substr(nul + 1));

  auto values = server::ParseConfigToml(toml, "fuzz.toml");
  if (!values) {
    CheckRefusal(values.error(), "ParseConfigToml");
    CheckNonAsciiRefusal(toml, values.error());
    return 0;
  }
  const server::EnvLookup env =
      [&environment](std::string_view name) -> std::optional<std::string> {
    const auto found = environment.find(name);
    if (found == environment.end()) {
      return std::nullopt;
    }
    return found->second;
  };
  if (auto overridden = server::ApplyEnvironmentOverrides(env, *values); !overridden) {
    CheckRefusal(overridden.error(), "ApplyEnvironmentOverrides");
    Check(overridden.error().detail.starts_with("config: WRIT_"),
          "an override refusal names its variable");
    return 0;
  }

  server::ServerConfig config;
  if (auto applied = server::ApplyConfigValues(*values, config); !applied) {
    CheckRefusal(applied.error(), "ApplyConfigValues");
    CheckNoConninfoEcho(*values, applied.error());
    return 0;
  }
  CheckApplied(config);

  // As LoadServerConfig (config_loader.cc), without --dev: the audience default, then the
  // secrets — here the stand-ins, not the configured sources.
  if (!values->Has("tokens.audience")) {
    config.audience = "writ-" + std::string(server::EnvironmentName(config.environment));
  }
  config.signing_key = Secrets().signing_key;
  config.verification_keys = {Secrets().verification_key};
  config.refresh_hash_key = writ::SecretBytes::Random(32);
  config.csrf_key = writ::SecretBytes::Random(32);
  if (auto valid = server::ValidateServerConfig(config); !valid) {
    CheckRefusal(valid.error(), "ValidateServerConfig");
    return 0;
  }
  Check(!config.issuer.empty() && !config.audience.empty(), "a valid config has iss and aud");
  Check(server::EstimateAccessCookieBytes(config.issuer, config.audience, *config.signing_key) <=
            4096,
        "a valid config's access cookie fits 4096 bytes");
  Check(config.passwords.min_length <= config.passwords.max_length, "min <= max length");
  for (const std::string& finding : server::LintServerConfig(config)) {
    Check(!finding.empty(), "a lint finding says something");
  }
  return 0;
}
