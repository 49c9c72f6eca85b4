#include "serve_command.h"

#include <iostream>

#include "exit_codes.h"
#include "server/config_loader.h"
#include "server/process_hardening.h"
#include "server/server_app.h"

namespace writ::cli {
namespace {

void WarnDevMode() {
  std::cerr << "\n"
               "  *****************************************************************\n"
               "  *  writ serve --dev: DEVELOPMENT MODE. NOT FOR PRODUCTION.       *\n"
               "  *  The signing key is ephemeral (tokens die with this process),  *\n"
               "  *  secrets are random per run, signup is open to anyone.         *\n"
               "  *****************************************************************\n\n";
}

}  // namespace

CLI::App* AddServeCommand(CLI::App& app, ServeCommandOptions& options) {
  CLI::App* command = app.add_subcommand("serve", "Run the authentication server");
  command->add_option("--config", options.config_file, "TOML configuration file");
  command->add_flag("--dev", options.dev, "Development mode: ephemeral key, local SQLite file");
  command->add_option("--listen", options.listen, "HOST:PORT to listen on");
  return command;
}

int RunServe(const ServeCommandOptions& options) {
  if (auto hardened = server::HardenProcess(); !hardened) {
    std::cerr << "writ serve: " << hardened.error().detail << '\n';
    return kExitFailure;
  }
  server::LoadOptions load;
  if (!options.config_file.empty()) {
    load.config_path = options.config_file;
  }
  load.dev = options.dev;
  if (!options.listen.empty()) {
    load.listen = options.listen;
  }
  auto config = server::LoadServerConfig(load);
  if (!config) {
    std::cerr << "writ serve: " << config.error().detail << '\n';
    return kExitFailure;
  }
  if (config->dev_mode) {
    WarnDevMode();
  }
  for (const std::string& warning : config->warnings) {
    std::cerr << "writ: warning: " << warning << '\n';
  }
  const bool tls = config->tls.has_value();
  const std::string host = config->listen_host;
  auto app = server::ServerApp::Create(std::move(*config), DefaultClock());
  if (!app) {
    std::cerr << "writ serve: " << app.error().detail << '\n';
    return kExitFailure;
  }
  std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::cerr << "writ: listening on " << (tls ? "https" : "http") << "://" << shown_host << ':'
            << (*app)->port() << std::endl;
  (*app)->Run();
  std::cerr << "writ: stopped" << std::endl;
  return kExitOk;
}

}  // namespace writ::cli
