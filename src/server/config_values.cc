#include "server/config_values.h"

#include <array>
#include <charconv>
#include <system_error>
#include <utility>

namespace writ::server {
namespace {

using Kind = ConfigKind;

// Every key of docs/configuration.md with its value kind. Adding a key here makes it
// readable from the file and from WRIT_*; ApplyConfigValues gives it a meaning.
constexpr std::array kSpecs = {
    ConfigKeySpec{"environment", Kind::kString},
    ConfigKeySpec{"listen", Kind::kString},
    ConfigKeySpec{"allowed_origins", Kind::kStringList},
    ConfigKeySpec{"trusted_proxies", Kind::kStringList},
    ConfigKeySpec{"store", Kind::kString},
    ConfigKeySpec{"store_password", Kind::kSource},
    ConfigKeySpec{"store_pool_size", Kind::kInteger},
    ConfigKeySpec{"redis", Kind::kString},
    ConfigKeySpec{"redis_password", Kind::kSource},
    ConfigKeySpec{"threads", Kind::kInteger},
    ConfigKeySpec{"hash_threads", Kind::kInteger},
    ConfigKeySpec{"pages", Kind::kBool},
    ConfigKeySpec{"web_root", Kind::kString},
    ConfigKeySpec{"tls.certificate_chain", Kind::kString},
    ConfigKeySpec{"tls.private_key", Kind::kSource},
    ConfigKeySpec{"http.max_header_bytes", Kind::kInteger},
    ConfigKeySpec{"http.max_body_bytes", Kind::kInteger},
    ConfigKeySpec{"http.header_timeout", Kind::kDuration},
    ConfigKeySpec{"http.body_timeout", Kind::kDuration},
    ConfigKeySpec{"http.idle_timeout", Kind::kDuration},
    ConfigKeySpec{"http.max_connections", Kind::kInteger},
    ConfigKeySpec{"tokens.issuer", Kind::kString},
    ConfigKeySpec{"tokens.audience", Kind::kString},
    ConfigKeySpec{"tokens.access_ttl", Kind::kDuration},
    ConfigKeySpec{"tokens.signing_keys", Kind::kSource},
    ConfigKeySpec{"tokens.verify_cache_entries", Kind::kInteger},
    ConfigKeySpec{"tokens.jwks_max_age", Kind::kDuration},
    ConfigKeySpec{"tokens.scoped_signing_keys", Kind::kStringList},
    ConfigKeySpec{"tokens.assertion_ttl", Kind::kDuration},
    ConfigKeySpec{"secrets.refresh_hash_key", Kind::kSource},
    ConfigKeySpec{"secrets.csrf_key", Kind::kSource},
    ConfigKeySpec{"accounts.signup", Kind::kBool},
    ConfigKeySpec{"accounts.password_min_length", Kind::kInteger},
    ConfigKeySpec{"accounts.password_max_length", Kind::kInteger},
    ConfigKeySpec{"accounts.argon2_opslimit", Kind::kInteger},
    ConfigKeySpec{"accounts.argon2_memlimit_kib", Kind::kInteger},
    ConfigKeySpec{"sessions.refresh_grace", Kind::kDuration},
    ConfigKeySpec{"sessions.session_ttl", Kind::kDuration},
    ConfigKeySpec{"sessions.remember_ttl", Kind::kDuration},
    ConfigKeySpec{"sessions.idle_ttl", Kind::kDuration},
    ConfigKeySpec{"throttle.max_account_failures", Kind::kInteger},
    ConfigKeySpec{"throttle.account_backoff_base", Kind::kDuration},
    ConfigKeySpec{"throttle.account_backoff_max", Kind::kDuration},
    ConfigKeySpec{"throttle.ip_rate_per_second", Kind::kNumber},
    ConfigKeySpec{"throttle.ip_burst", Kind::kNumber},
    ConfigKeySpec{"forward_auth.user_header", Kind::kString},
    ConfigKeySpec{"forward_auth.user_id_header", Kind::kString},
    ConfigKeySpec{"forward_auth.roles_header", Kind::kString},
    ConfigKeySpec{"forward_auth.session_header", Kind::kString},
    ConfigKeySpec{"forward_auth.assertion_header", Kind::kString},
    ConfigKeySpec{"forward_auth.login_url", Kind::kString},
    ConfigKeySpec{"introspection.clients", Kind::kStringList},
    ConfigKeySpec{"audit.sink", Kind::kString},
    ConfigKeySpec{"audit.retention", Kind::kDuration},
};

constexpr std::array<std::string_view, 10> kTables = {
    "tls",      "http",     "tokens", "secrets",      "accounts",
    "sessions", "throttle", "audit",  "forward_auth", "introspection"};

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

Status ParseList(std::string_view text, const std::string& origin,
                 std::vector<std::string>& items) {
  if (TrimBlanks(text).empty()) {
    return {};
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item =
        TrimBlanks(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    if (item.empty()) {
      return ConfigError(origin, "empty list entry; write entries separated by single commas");
    }
    items.emplace_back(item);
    if (comma == std::string_view::npos) {
      return {};
    }
    start = comma + 1;
  }
}

// Stores `text` as the kind of `spec` into `out` (in place: see ConvertNode in
// config_toml.cc), or says what spelling the override must have.
Status ParseOverride(const ConfigKeySpec& spec, const std::string& text,
                     const std::string& origin, ConfigScalar& out) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  switch (spec.kind) {
    case Kind::kString:
    case Kind::kDuration:
    case Kind::kSource:
      out.emplace<std::string>(text);
      return {};
    case Kind::kBool:
      if (text != "true" && text != "false") {
        return ConfigError(origin, "write true or false");
      }
      out.emplace<bool>(text == "true");
      return {};
    case Kind::kInteger: {
      std::int64_t number = 0;
      auto [end, error] = std::from_chars(first, last, number);
      if (text.empty() || error != std::errc() || end != last) {
        return ConfigError(origin, "write a whole decimal number");
      }
      out.emplace<std::int64_t>(number);
      return {};
    }
    case Kind::kNumber: {
      double number = 0;
      auto [end, error] = std::from_chars(first, last, number, std::chars_format::fixed);
      if (text.empty() || error != std::errc() || end != last) {
        return ConfigError(origin, "write a decimal number such as 1.5");
      }
      out.emplace<double>(number);
      return {};
    }
    case Kind::kStringList:
      return ParseList(text, origin, out.emplace<std::vector<std::string>>());
  }
  return ConfigError(origin, "unsupported value");
}

}  // namespace

std::span<const ConfigKeySpec> ConfigKeySpecs() { return kSpecs; }

const ConfigKeySpec* FindConfigKeySpec(std::string_view path) {
  for (const ConfigKeySpec& spec : kSpecs) {
    if (spec.path == path) {
      return &spec;
    }
  }
  return nullptr;
}

bool IsConfigTable(std::string_view name) {
  for (std::string_view table : kTables) {
    if (table == name) {
      return true;
    }
  }
  return false;
}

std::string ConfigEnvName(std::string_view path) {
  std::string name = "WRIT_";
  for (char c : path) {
    if (c == '.') {
      name += '_';
    } else if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else {
      name += c;
    }
  }
  return name;
}

void ConfigValues::Set(std::string_view path, ConfigValue value) {
  values_.insert_or_assign(std::string(path), std::move(value));
}

const ConfigValue* ConfigValues::Find(std::string_view path) const {
  auto found = values_.find(path);
  return found == values_.end() ? nullptr : &found->second;
}

tl::unexpected<Error> ConfigError(std::string_view key, std::string_view what) {
  std::string detail = "config: ";
  detail += key;
  detail += ": ";
  detail += what;
  return Fail(ErrorCode::kInvalidArgument, std::move(detail));
}

Status ApplyEnvironmentOverrides(const EnvLookup& env, ConfigValues& values) {
  for (const ConfigKeySpec& spec : kSpecs) {
    std::string name = ConfigEnvName(spec.path);
    std::optional<std::string> text = env(name);
    if (!text) {
      continue;
    }
    ConfigValue value;
    if (auto parsed = ParseOverride(spec, *text, name, value.value); !parsed) {
      return parsed;
    }
    value.origin = std::move(name);
    values.Set(spec.path, std::move(value));
  }
  return {};
}

}  // namespace writ::server
