// `writ check-config FILE`: lints a `writ serve` configuration without starting anything.
#ifndef WRIT_CLI_CHECK_CONFIG_COMMAND_H_
#define WRIT_CLI_CHECK_CONFIG_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct CheckConfigCommandOptions {
  std::string config_file;
};

CLI::App* AddCheckConfigCommand(CLI::App& app, CheckConfigCommandOptions& options);

// Loads FILE exactly as `writ serve --config FILE` would — WRIT_* overrides applied, every
// secret source resolved (exec: commands run), environment rules, cookie and CSRF settings,
// token lifetimes and the access cookie's size checked — but opens no store and binds no
// port. Prints one line per finding on stdout, `warning: KEY: what and how to fix` or
// `error: KEY: what and how to fix` (loading stops at the first error), then a summary.
// Exits 0 without errors (warnings allowed), 1 with one, 2 on a usage error.
int RunCheckConfig(const CheckConfigCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_CHECK_CONFIG_COMMAND_H_
