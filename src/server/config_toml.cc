// The TOML side of the configuration loader: the only code that touches toml++, whose
// parse errors (exceptions) stop here.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include <toml++/toml.h>

#include "server/config_toml_guard.h"
#include "server/config_values.h"

namespace writ::server {
namespace {

std::string KindName(ConfigKind kind) {
  switch (kind) {
    case ConfigKind::kString:
      return "a string";
    case ConfigKind::kBool:
      return "true or false";
    case ConfigKind::kInteger:
      return "a whole number";
    case ConfigKind::kNumber:
      return "a number";
    case ConfigKind::kDuration:
      return "a duration string such as \"30s\", \"15m\", \"12h\" or \"30d\"";
    case ConfigKind::kStringList:
      return "a list of strings";
    case ConfigKind::kSource:
      return "a secret source string, \"env:NAME\" or \"file:PATH\"";
  }
  return "a value";
}

// The keys of `table` ("" for the top level), for the unknown-key message.
std::string KeysOf(std::string_view table) {
  std::string keys;
  for (const ConfigKeySpec& spec : ConfigKeySpecs()) {
    std::string_view path = spec.path;
    const std::size_t dot = path.find('.');
    const std::string_view spec_table =
        dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
    if (spec_table != table) {
      continue;
    }
    keys += keys.empty() ? "" : ", ";
    keys += dot == std::string_view::npos ? path : path.substr(dot + 1);
  }
  return keys;
}

// Stores the TOML value `node` as the kind of `spec` into `out`, or says why not. (Filling
// `out` in place, rather than returning a Result<ConfigScalar>, avoids a GCC 12
// -Wmaybe-uninitialized false positive on moved variants.)
Status ConvertNode(const toml::node& node, const ConfigKeySpec& spec, ConfigScalar& out) {
  switch (spec.kind) {
    case ConfigKind::kString:
    case ConfigKind::kDuration:
    case ConfigKind::kSource:
      if (const auto* text = node.as_string()) {
        out.emplace<std::string>(text->get());
        return {};
      }
      break;
    case ConfigKind::kBool:
      if (const auto* flag = node.as_boolean()) {
        out.emplace<bool>(flag->get());
        return {};
      }
      break;
    case ConfigKind::kInteger:
      if (const auto* number = node.as_integer()) {
        out.emplace<std::int64_t>(number->get());
        return {};
      }
      break;
    case ConfigKind::kNumber:
      if (const auto* number = node.as_floating_point()) {
        out.emplace<double>(number->get());
        return {};
      }
      if (const auto* number = node.as_integer()) {
        out.emplace<double>(static_cast<double>(number->get()));
        return {};
      }
      break;
    case ConfigKind::kStringList:
      if (const auto* array = node.as_array()) {
        auto& items = out.emplace<std::vector<std::string>>();
        for (const toml::node& item : *array) {
          const auto* text = item.as_string();
          if (text == nullptr) {
            return ConfigError(spec.path, "write " + KindName(spec.kind));
          }
          items.push_back(text->get());
        }
        return {};
      }
      break;
  }
  return ConfigError(spec.path, "write " + KindName(spec.kind));
}

Status CollectValue(std::string_view path, const toml::node& node, ConfigValues& values) {
  const ConfigKeySpec* spec = FindConfigKeySpec(path);
  if (spec == nullptr) {
    const std::size_t dot = path.find('.');
    const std::string_view table =
        dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
    return ConfigError(path, "unknown key; the keys " +
                                 (table.empty() ? std::string("at the top level")
                                                : "of [" + std::string(table) + "]") +
                                 " are " + KeysOf(table) + " (see docs/configuration.md)");
  }
  ConfigValue value;
  value.origin = std::string(path);
  if (auto converted = ConvertNode(node, *spec, value.value); !converted) {
    return converted;
  }
  values.Set(path, std::move(value));
  return {};
}

// Top-level keys and the known tables one level down; a table is never nested deeper.
Status CollectTable(const toml::table& root, ConfigValues& values) {
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    if (const toml::table* table = node.as_table()) {
      if (!IsConfigTable(name)) {
        return ConfigError(
            "[" + name + "]",
            "unknown table; the tables are tls, http, tokens, secrets, accounts, sessions, "
            "throttle and audit (see docs/configuration.md)");
      }
      for (auto&& [inner_key, inner_node] : *table) {
        const std::string path = name + "." + std::string(inner_key.str());
        auto collected = CollectValue(path, inner_node, values);
        if (!collected) {
          return collected;
        }
      }
      continue;
    }
    if (IsConfigTable(name)) {
      return ConfigError(name, "must be a table, [" + name + "]");
    }
    auto collected = CollectValue(name, node, values);
    if (!collected) {
      return collected;
    }
  }
  return {};
}

}  // namespace

Result<ConfigValues> ParseConfigToml(std::string_view text, std::string_view source_name) {
  if (auto problem = CheckTomlText(text)) {
    return ConfigError(std::string(source_name) + ":" + std::to_string(problem->line),
                       problem->what);
  }
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    return ConfigError(std::string(source_name) + ":" + std::to_string(begin.line) + ":" +
                           std::to_string(begin.column),
                       "not valid TOML: " + std::string(error.description()));
  } catch (const std::exception& error) {
    return ConfigError(source_name, std::string("cannot be parsed: ") + error.what());
  }
  ConfigValues values;
  auto collected = CollectTable(root, values);
  if (!collected) {
    return tl::unexpected(collected.error());
  }
  return values;
}

Result<ConfigValues> ReadConfigFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int error = errno;
    return Fail(ErrorCode::kIo, "config: " + path + ": cannot open: " + std::strerror(error));
  }
  // One byte more than allowed tells an oversized file from one exactly at the limit.
  std::string text(kMaxConfigFileBytes + 1, '\0');
  std::size_t filled = 0;
  while (filled < text.size()) {
    const ssize_t count = ::read(fd, text.data() + filled, text.size() - filled);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      const int error = errno;
      ::close(fd);
      return Fail(ErrorCode::kIo, "config: " + path + ": cannot read: " + std::strerror(error));
    }
    if (count == 0) {
      break;
    }
    filled += static_cast<std::size_t>(count);
  }
  ::close(fd);
  if (filled > kMaxConfigFileBytes) {
    return Fail(ErrorCode::kTooLarge, "config: " + path + ": larger than " +
                                          std::to_string(kMaxConfigFileBytes) +
                                          " bytes; a configuration file is a few kilobytes");
  }
  text.resize(filled);
  return ParseConfigToml(text, path);
}

}  // namespace writ::server
