// Typed, range-checked reads of raw configuration values, with messages that name where the
// value came from (the key or its WRIT_* variable). Internal to the configuration loader.
#ifndef WRIT_SERVER_CONFIG_READER_H_
#define WRIT_SERVER_CONFIG_READER_H_

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "server/config_values.h"
#include "writ/result.h"

namespace writ::server {

// "300s", "15m", "12h", "400d": the largest unit that divides `duration` evenly.
std::string FormatDuration(std::chrono::seconds duration);

// Each read leaves `out` untouched and succeeds when the key is not set; otherwise it
// stores the value or refuses it with "config: <origin>: <what to change>".
class ConfigReader {
 public:
  explicit ConfigReader(const ConfigValues& values) : values_(values) {}

  bool Has(std::string_view path) const { return values_.Has(path); }
  const ConfigValue* Find(std::string_view path) const { return values_.Find(path); }
  // The refusal for `path`, naming its origin when set (else the key).
  tl::unexpected<Error> Refuse(std::string_view path, std::string_view what) const;

  [[nodiscard]] Status String(std::string_view path, std::string& out) const;
  [[nodiscard]] Status Bool(std::string_view path, bool& out) const;
  [[nodiscard]] Status List(std::string_view path, std::vector<std::string>& out) const;
  // A duration in [min, max].
  [[nodiscard]] Status Lifetime(std::string_view path, std::chrono::seconds min,
                                std::chrono::seconds max, std::chrono::seconds& out) const;
  // A duration from 1 s to 1 day, for I/O timeouts.
  [[nodiscard]] Status Millis(std::string_view path, std::chrono::milliseconds& out) const;
  // A finite number in [min, max].
  [[nodiscard]] Status Number(std::string_view path, double min, double max, double& out) const;

  // A whole number in [min, max] (min >= 0).
  template <typename T>
  [[nodiscard]] Status Count(std::string_view path, std::int64_t min, std::int64_t max,
                             T& out) const {
    auto number = Integer(path, min, max);
    if (!number) {
      return tl::unexpected(number.error());
    }
    if (*number) {
      out = static_cast<T>(**number);
    }
    return {};
  }

 private:
  // The integer at `path` when set and in range; nullopt when not set.
  Result<std::optional<std::int64_t>> Integer(std::string_view path, std::int64_t min,
                                              std::int64_t max) const;
  const ConfigValues& values_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_READER_H_
