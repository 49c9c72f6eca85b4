#include "server/config_loader.h"

#include <cstdlib>
#include <utility>

#include "server/config_apply.h"
#include "server/config_lint.h"
#include "server/config_secrets.h"
#include "server/config_validate.h"
#include "server/config_values.h"

namespace writ::server {
namespace {

// DESIGN.md, `--dev`: what is not configured gets a default for a local trial run.
void ApplyDevDefaults(const ConfigValues& values, ServerConfig& config) {
  config.environment = Environment::kDevelopment;
  config.dev_mode = true;
  const std::string listen_origin = HttpOrigin(config.listen_host, config.listen_port);
  if (!values.Has("store")) {
    config.store = "sqlite:writ-dev.db";
  }
  if (!values.Has("accounts.signup")) {
    config.signup_enabled = true;
  }
  if (!values.Has("allowed_origins")) {
    config.allowed_origins = {listen_origin};
    const std::string localhost_origin = HttpOrigin("localhost", config.listen_port);
    if (localhost_origin != listen_origin) {
      config.allowed_origins.push_back(localhost_origin);
    }
  }
  if (!values.Has("audit.sink")) {
    config.audit.sink = "stdout";
  }
  if (!values.Has("tokens.issuer")) {
    config.issuer = listen_origin;
  }
}

// --dev is for a developer's machine: a configured staging or production environment
// (file or WRIT_ENVIRONMENT) must never start with an ephemeral key and open signup.
Status CheckDevAllowed(const ConfigValues& values, const ServerConfig& config) {
  const ConfigValue* environment = values.Find("environment");
  if (environment != nullptr && config.environment != Environment::kDevelopment) {
    return ConfigError(environment->origin,
                       "--dev runs only in development, not in " +
                           std::string(EnvironmentName(config.environment)) +
                           "; remove --dev or set environment = \"development\"");
  }
  return {};
}

Result<ConfigValues> ReadValues(const LoadOptions& options) {
  ConfigValues values;
  if (options.config_path) {
    auto read = ReadConfigFile(*options.config_path);
    if (!read) {
      return read;
    }
    values = std::move(*read);
  }
  if (options.env) {
    if (auto overridden = ApplyEnvironmentOverrides(options.env, values); !overridden) {
      return tl::unexpected(overridden.error());
    }
  }
  return values;
}

Status LoadInto(const LoadOptions& options, ServerConfig& config) {
  auto values = ReadValues(options);
  if (!values) {
    return tl::unexpected(values.error());
  }
  if (auto applied = ApplyConfigValues(*values, config); !applied) {
    return tl::unexpected(applied.error());
  }
  if (options.listen) {
    auto address = ParseListenAddress(*options.listen, "--listen");
    if (!address) {
      return tl::unexpected(address.error());
    }
    config.listen_host = address->host;
    config.listen_port = address->port;
  }
  if (options.dev) {
    if (auto allowed = CheckDevAllowed(*values, config); !allowed) {
      return tl::unexpected(allowed.error());
    }
    ApplyDevDefaults(*values, config);
  }
  if (!values->Has("tokens.audience")) {
    config.audience = "writ-" + std::string(EnvironmentName(config.environment));
  }
  if (auto secrets = LoadConfigSecrets(*values, options.dev, config); !secrets) {
    return tl::unexpected(secrets.error());
  }
  if (auto valid = ValidateServerConfig(config); !valid) {
    return valid;
  }
  for (std::string& finding : LintServerConfig(config)) {
    config.warnings.push_back(std::move(finding));
  }
  return {};
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const std::string variable(name);
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

Result<ServerConfig> LoadServerConfig(const LoadOptions& options) {
  ServerConfig config;
  auto loaded = LoadInto(options, config);
  if (options.warnings != nullptr) {
    *options.warnings = config.warnings;
  }
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  return config;
}

}  // namespace writ::server
