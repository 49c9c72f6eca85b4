// `writ serve [--config FILE] [--dev] [--listen HOST:PORT]`: the authentication server
// (DESIGN.md, "The HTTP contract of writ serve").
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

// Loads and validates the configuration, opens the store, listens, and serves until
// SIGTERM/SIGINT. Prints `writ: listening on http(s)://HOST:PORT` on stderr once
// accepting. Exits 0 after a graceful shutdown, 1 when the configuration or the store is
// refused (one line saying what to fix), 2 on a usage error.
int RunServe(const ServeCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_SERVE_COMMAND_H_
