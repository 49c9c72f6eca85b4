// `writ users add|list|disable|enable|set-password|set-roles`: account administration for
// operators, straight on the store (the server need not run).
//   writ users add NAME [--roles user,admin] (--store sqlite:PATH | --config FILE)
//   (or --store postgres:CONNINFO, its password in the environment as WRIT_STORE_PASSWORD)
//   writ users list / disable NAME / enable NAME / set-password NAME / set-roles NAME ROLES
// Passwords are read from stdin (one line), never from the command line, where other
// users could read them in the process list.
#ifndef WRIT_CLI_USERS_COMMAND_H_
#define WRIT_CLI_USERS_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct UsersCommandOptions {
  std::string store;        // --store sqlite:PATH | postgres:CONNINFO
  std::string config_file;  // --config FILE (its store and password policy)
  std::string username;
  std::string roles;        // comma-separated
};

struct UsersSubcommands {
  CLI::App* add;
  CLI::App* list;
  CLI::App* disable;
  CLI::App* enable;
  CLI::App* set_password;
  CLI::App* set_roles;
};

UsersSubcommands AddUsersCommand(CLI::App& app, UsersCommandOptions& options);

// Runs whichever subcommand was parsed. 0 on success, 1 when the user does not exist, the
// password is refused or the store fails, 2 on usage errors.
int RunUsers(const UsersSubcommands& commands, const UsersCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_USERS_COMMAND_H_
