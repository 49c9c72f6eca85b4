// The raw settings of `writ serve` before validation: the schema of every configuration key,
// the values read from the TOML file, and the WRIT_* environment overrides laid over them.
// Internal to the configuration loader (config_loader.h).
#ifndef WRIT_SERVER_CONFIG_VALUES_H_
#define WRIT_SERVER_CONFIG_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/config_loader.h"
#include "writ/result.h"

namespace writ::server {

// The largest configuration file read (a larger one is refused unread).
inline constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

// What a key holds. Durations and secret sources are strings at this stage.
enum class ConfigKind { kString, kBool, kInteger, kNumber, kDuration, kStringList, kSource };

struct ConfigKeySpec {
  std::string_view path;  // "listen", "tokens.issuer": [table.]key
  ConfigKind kind;
};

// Every key `writ serve` knows, in the order of docs/configuration.md.
std::span<const ConfigKeySpec> ConfigKeySpecs();

// The spec of `path`, or nullptr for an unknown key.
const ConfigKeySpec* FindConfigKeySpec(std::string_view path);

// True when `name` is a table of the format ("tls", "http", "tokens", ...).
bool IsConfigTable(std::string_view name);

// The environment variable that overrides `path`: "WRIT_" + path upper-cased, '.' as '_'
// (tokens.access_ttl -> WRIT_TOKENS_ACCESS_TTL).
std::string ConfigEnvName(std::string_view path);

using ConfigScalar =
    std::variant<std::string, bool, std::int64_t, double, std::vector<std::string>>;

struct ConfigValue {
  ConfigScalar value;
  // Where the value was set, for messages: the key ("tokens.issuer") for the file, the
  // variable ("WRIT_TOKENS_ISSUER") for an override.
  std::string origin;
};

// The values set so far, by key path. Typed by the key's ConfigKind: kString, kDuration and
// kSource hold std::string, kBool bool, kInteger std::int64_t, kNumber double, kStringList
// std::vector<std::string>.
class ConfigValues {
 public:
  void Set(std::string_view path, ConfigValue value);
  // The value of `path`, or nullptr when neither the file nor the environment set it.
  const ConfigValue* Find(std::string_view path) const;
  bool Has(std::string_view path) const { return Find(path) != nullptr; }

 private:
  std::map<std::string, ConfigValue, std::less<>> values_;
};

// kInvalidArgument "config: <key>: <what>"; `what` says what to change.
tl::unexpected<Error> ConfigError(std::string_view key, std::string_view what);

// The values of a TOML document (`source_name` names it in messages). Syntax errors give
// their line and column; unknown tables and keys and values of the wrong TOML type are
// refused, and so is text that toml++ must not see (config_toml_guard.h: nesting too deep
// for its recursion, characters it mishandles). The one place where toml++'s exceptions
// are caught.
[[nodiscard]] Result<ConfigValues> ParseConfigToml(std::string_view text,
                                                   std::string_view source_name);

// The file at `path`, read up to kMaxConfigFileBytes (kTooLarge beyond, kIo when
// unreadable), parsed by ParseConfigToml.
[[nodiscard]] Result<ConfigValues> ReadConfigFile(const std::string& path);

// Lays every WRIT_* variable that `env` has over `values`, parsed by the key's kind: lists
// comma-separated (blanks around entries trimmed, "" for none), booleans true/false,
// integers and numbers in decimal.
[[nodiscard]] Status ApplyEnvironmentOverrides(const EnvLookup& env, ConfigValues& values);

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_VALUES_H_
