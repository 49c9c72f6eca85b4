#include "serve_command.h"

#include <iostream>

#include "exit_codes.h"

namespace writ::cli {

CLI::App* AddServeCommand(CLI::App& app, ServeCommandOptions& options) {
  CLI::App* command = app.add_subcommand("serve", "Run the authentication server (not yet)");
  command->add_option("--config", options.config_file, "TOML configuration file");
  command->add_flag("--dev", options.dev, "Development mode: ephemeral key, local SQLite file");
  command->add_option("--listen", options.listen, "HOST:PORT to listen on");
  return command;
}

int RunServe(const ServeCommandOptions& /*options*/) {
  std::cerr << "writ serve: not implemented yet\n";
  return kExitUsage;
}

}  // namespace writ::cli
