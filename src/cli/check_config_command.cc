#include "check_config_command.h"

#include <iostream>
#include <string_view>
#include <vector>

#include "cli_io.h"
#include "exit_codes.h"
#include "server/config_loader.h"
#include "server/process_hardening.h"

namespace writ::cli {
namespace {

// Loader errors read "config: KEY: detail"; findings are printed without the prefix.
std::string_view WithoutConfigPrefix(std::string_view detail) {
  constexpr std::string_view kPrefix = "config: ";
  return detail.starts_with(kPrefix) ? detail.substr(kPrefix.size()) : detail;
}

}  // namespace

CLI::App* AddCheckConfigCommand(CLI::App& app, CheckConfigCommandOptions& options) {
  CLI::App* command =
      app.add_subcommand("check-config", "Check a writ serve configuration without starting");
  command->add_option("FILE", options.config_file, "TOML configuration file")->required();
  return command;
}

int RunCheckConfig(const CheckConfigCommandOptions& options) {
  // The secrets are read as by serve: keep them out of core dumps here too.
  if (auto hardened = server::HardenProcess(); !hardened) {
    std::cerr << "writ check-config: " << hardened.error().detail << '\n';
    return kExitFailure;
  }
  std::vector<std::string> warnings;
  server::LoadOptions load;
  load.config_path = options.config_file;
  load.warnings = &warnings;
  auto config = server::LoadServerConfig(load);
  for (const std::string& warning : warnings) {
    std::cout << "warning: " << warning << '\n';
  }
  if (!config) {
    std::cout << "error: " << WithoutConfigPrefix(config.error().detail) << '\n';
    std::cout << options.config_file << ": refused (1 error, " << warnings.size()
              << " warnings); writ serve would not start" << std::endl;
    return kExitFailure;
  }
  std::cout << options.config_file << ": ok (" << warnings.size() << " warnings), environment "
            << server::EnvironmentName(config->environment) << ", signing key \""
            << PrintableText(config->signing_key->kid()) << "\", " << config->published_keys.size()
            << " public keys published" << std::endl;
  return kExitOk;
}

}  // namespace writ::cli
