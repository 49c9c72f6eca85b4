#include "server/config_reader.h"

#include <cmath>
#include <cstdio>
#include <variant>

#include "server/duration.h"

namespace writ::server {
namespace {

// 0.001, 20, 1e+06: the shortest readable form of a limit.
std::string FormatNumber(double number) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", number);
  return text;
}

}  // namespace

std::string FormatDuration(std::chrono::seconds duration) {
  const std::int64_t count = duration.count();
  if (count != 0 && count % 86400 == 0) {
    return std::to_string(count / 86400) + "d";
  }
  if (count != 0 && count % 3600 == 0) {
    return std::to_string(count / 3600) + "h";
  }
  if (count != 0 && count % 60 == 0) {
    return std::to_string(count / 60) + "m";
  }
  return std::to_string(count) + "s";
}

tl::unexpected<Error> ConfigReader::Refuse(std::string_view path, std::string_view what) const {
  const ConfigValue* value = values_.Find(path);
  return ConfigError(value != nullptr ? std::string_view(value->origin) : path, what);
}

Status ConfigReader::String(std::string_view path, std::string& out) const {
  const ConfigValue* value = values_.Find(path);
  if (value == nullptr) {
    return {};
  }
  const auto* text = std::get_if<std::string>(&value->value);
  if (text == nullptr) {
    return Refuse(path, "write a string");
  }
  out = *text;
  return {};
}

Status ConfigReader::Bool(std::string_view path, bool& out) const {
  const ConfigValue* value = values_.Find(path);
  if (value == nullptr) {
    return {};
  }
  const auto* flag = std::get_if<bool>(&value->value);
  if (flag == nullptr) {
    return Refuse(path, "write true or false");
  }
  out = *flag;
  return {};
}

Status ConfigReader::List(std::string_view path, std::vector<std::string>& out) const {
  const ConfigValue* value = values_.Find(path);
  if (value == nullptr) {
    return {};
  }
  const auto* items = std::get_if<std::vector<std::string>>(&value->value);
  if (items == nullptr) {
    return Refuse(path, "write a list of strings");
  }
  out = *items;
  return {};
}

Status ConfigReader::Lifetime(std::string_view path, std::chrono::seconds min,
                              std::chrono::seconds max, std::chrono::seconds& out) const {
  const ConfigValue* value = values_.Find(path);
  if (value == nullptr) {
    return {};
  }
  const auto* text = std::get_if<std::string>(&value->value);
  if (text == nullptr) {
    return Refuse(path, "write a duration such as \"30s\", \"15m\", \"12h\" or \"30d\"");
  }
  auto duration = ParseDuration(*text);
  if (!duration) {
    return Refuse(path, "\"" + *text + "\" is not a duration; write e.g. 30s, 15m, 12h or 30d");
  }
  if (*duration < min) {
    return Refuse(path, min.count() == 1 ? std::string("must be longer than 0s")
                                         : "must be at least " + FormatDuration(min));
  }
  if (*duration > max) {
    std::string limit = FormatDuration(max);
    if (limit != std::to_string(max.count()) + "s") {
      limit += " (" + std::to_string(max.count()) + "s)";
    }
    return Refuse(path, "must be at most " + limit);
  }
  out = *duration;
  return {};
}

Status ConfigReader::Millis(std::string_view path, std::chrono::milliseconds& out) const {
  std::chrono::seconds duration{0};
  auto read = Lifetime(path, std::chrono::seconds(1), std::chrono::seconds(86400), duration);
  if (!read) {
    return read;
  }
  if (values_.Has(path)) {
    out = duration;
  }
  return {};
}

Status ConfigReader::Number(std::string_view path, double min, double max, double& out) const {
  const ConfigValue* value = values_.Find(path);
  if (value == nullptr) {
    return {};
  }
  const auto* number = std::get_if<double>(&value->value);
  if (number == nullptr) {
    return Refuse(path, "write a number");
  }
  if (!std::isfinite(*number) || *number < min || *number > max) {
    return Refuse(path, "must be a number from " + FormatNumber(min) + " to " +
                            FormatNumber(max));
  }
  out = *number;
  return {};
}

Result<std::optional<std::int64_t>> ConfigReader::Integer(std::string_view path,
                                                          std::int64_t min,
                                                          std::int64_t max) const {
  const ConfigValue* value = values_.Find(path);
  if (value == nullptr) {
    return std::optional<std::int64_t>();
  }
  const auto* number = std::get_if<std::int64_t>(&value->value);
  if (number == nullptr) {
    return Refuse(path, "write a whole number");
  }
  if (*number < min || *number > max) {
    return Refuse(path, "must be a whole number from " + std::to_string(min) + " to " +
                            std::to_string(max));
  }
  return std::optional<std::int64_t>(*number);
}

}  // namespace writ::server
