// `writ serve [--config FILE] [--dev] [--listen HOST:PORT]`: the authentication server.
// Not implemented yet; the flags are accepted so scripts fail with a clear message.
#ifndef WRIT_CLI_SERVE_COMMAND_H_
#define WRIT_CLI_SERVE_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct ServeCommandOptions {
  std::string config_file;
  bool dev = false;
  std::string listen;
};

CLI::App* AddServeCommand(CLI::App& app, ServeCommandOptions& options);

// Exits 2: the server does not exist yet.
int RunServe(const ServeCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_SERVE_COMMAND_H_
