// The writ command: keys, signing, verifying, inspecting and auditing tokens
// (DESIGN.md, "The command line contract").
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "audit_command.h"
#include "check_config_command.h"
#include "exit_codes.h"
#include "inspect_command.h"
#include "jwks_command.h"
#include "keygen_command.h"
#include "keys_command.h"
#include "serve_command.h"
#include "sign_command.h"
#include "users_command.h"
#include "verify_command.h"

namespace writ::cli {
namespace {

int Main(int argc, char** argv) {
  CLI::App app("writ: misuse-resistant JWS/JWT and PASETO tokens", "writ");
  app.require_subcommand(1);

  KeygenCommandOptions keygen_options;
  JwksCommandOptions jwks_options;
  SignCommandOptions sign_options;
  VerifyCommandOptions verify_options;
  InspectCommandOptions inspect_options;
  AuditCommandOptions audit_options;
  ServeCommandOptions serve_options;
  CheckConfigCommandOptions check_config_options;
  KeysCommandOptions keys_options;
  UsersCommandOptions users_options;
  CLI::App* keygen = AddKeygenCommand(app, keygen_options);
  CLI::App* jwks = AddJwksCommand(app, jwks_options);
  CLI::App* sign = AddSignCommand(app, sign_options);
  CLI::App* verify = AddVerifyCommand(app, verify_options);
  CLI::App* inspect = AddInspectCommand(app, inspect_options);
  CLI::App* audit = AddAuditCommand(app, audit_options);
  CLI::App* serve = AddServeCommand(app, serve_options);
  CLI::App* check_config = AddCheckConfigCommand(app, check_config_options);
  KeysSubcommands keys = AddKeysCommand(app, keys_options);
  UsersSubcommands users = AddUsersCommand(app, users_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help exits 0 (CLI11 prints it); every other parse error is a usage error.
    int status = app.exit(error);
    return status == 0 ? kExitOk : kExitUsage;
  }

  if (keygen->parsed()) {
    return RunKeygen(keygen_options);
  }
  if (jwks->parsed()) {
    return RunJwks(jwks_options);
  }
  if (sign->parsed()) {
    return RunSign(sign_options);
  }
  if (verify->parsed()) {
    return RunVerify(verify_options);
  }
  if (inspect->parsed()) {
    return RunInspect(inspect_options);
  }
  if (audit->parsed()) {
    return RunAudit(audit_options);
  }
  if (keys.id->parsed()) {
    return RunKeysId(keys_options);
  }
  if (keys.public_key->parsed()) {
    return RunKeysPublic(keys_options);
  }
  if (keys.rotation.init->parsed()) {
    return RunKeysInit(keys_options.rotation);
  }
  if (keys.rotation.list->parsed()) {
    return RunKeysList(keys_options.rotation);
  }
  if (keys.rotation.rotate->parsed()) {
    return RunKeysRotate(keys_options.rotation);
  }
  if (keys.rotation.retire->parsed()) {
    return RunKeysRetire(keys_options.rotation);
  }
  if (users.add->parsed() || users.list->parsed() || users.disable->parsed() ||
      users.enable->parsed() || users.set_password->parsed() || users.set_roles->parsed()) {
    return RunUsers(users, users_options);
  }
  if (serve->parsed()) {
    return RunServe(serve_options);
  }
  if (check_config->parsed()) {
    return RunCheckConfig(check_config_options);
  }
  return kExitUsage;
}

}  // namespace
}  // namespace writ::cli

int main(int argc, char** argv) {
  try {
    return writ::cli::Main(argc, argv);
  } catch (const std::exception& error) {
    // Only allocation failures or I/O library surprises can get here.
    std::cerr << "writ: error: " << error.what() << '\n';
    return writ::cli::kExitFailure;
  }
}
