// `writ jwks KEYFILE...`: the public JWK Set of the given keys.
#ifndef WRIT_CLI_JWKS_COMMAND_H_
#define WRIT_CLI_JWKS_COMMAND_H_

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct JwksCommandOptions {
  std::vector<std::string> key_files;
};

CLI::App* AddJwksCommand(CLI::App& app, JwksCommandOptions& options);

// Prints {"keys":[...]} with the public members only. An HMAC key is an error
// (exit 1): symmetric keys are never published.
int RunJwks(const JwksCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_JWKS_COMMAND_H_
