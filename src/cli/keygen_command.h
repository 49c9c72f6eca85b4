// `writ keygen --alg ALG [--kid KID] [--out FILE]`: a new private key as a JWK, or as a
// PASERK secret (k4.local, k4.secret, k3.local, k3.secret) for the PASETO v4.*/v3.* algs.
#ifndef WRIT_CLI_KEYGEN_COMMAND_H_
#define WRIT_CLI_KEYGEN_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct KeygenCommandOptions {
  std::string alg;
  std::string kid;
  std::string out;
};

// Registers the subcommand on `app`, binding its flags to `options`.
CLI::App* AddKeygenCommand(CLI::App& app, KeygenCommandOptions& options);

// Generates the key and writes its private JWK to stdout, or to a new 0600 file.
// Returns the exit status.
int RunKeygen(const KeygenCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_KEYGEN_COMMAND_H_
