// The operator's side of signing key rotation (keys/signing_key_set.h), on a key set file
// that `writ serve` signs with and publishes the JWKS of:
//   writ keys init FILE --environment ENV [--alg EdDSA] [--prepublish 1h]
//   writ keys list FILE
//   writ keys rotate FILE [--force] [--if-older-than DURATION]
//   writ keys retire FILE [--after 24h | --kid KID]
// init creates FILE (0600, never overwriting); rotate and retire replace it atomically and
// remind the operator to reload the servers (SIGHUP), which read FILE only at start and reload.
#ifndef WRIT_CLI_KEYS_ROTATION_COMMAND_H_
#define WRIT_CLI_KEYS_ROTATION_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct KeysRotationOptions {
  std::string file;
  std::string environment;        // init: development, staging or production
  std::string alg = "EdDSA";      // init
  std::string prepublish = "1h";  // init
  bool force = false;             // rotate: before the next key's prepublish time
  std::string if_older_than;      // rotate: only when the active key is this old
  std::string after = "24h";      // retire: the longest token lifetime, skew and reload included
  std::string kid;                // retire: remove this key now
};

struct KeysRotationSubcommands {
  CLI::App* init;
  CLI::App* list;
  CLI::App* rotate;
  CLI::App* retire;
};

// Registers init, list, rotate and retire on the `keys` subcommand.
KeysRotationSubcommands AddKeysRotationCommands(CLI::App& keys, KeysRotationOptions& options);

// Each returns the exit status: 0 done (or rotation not due), 1 refused or failed, 2 usage.
int RunKeysInit(const KeysRotationOptions& options);
// One line per key: KID ALG STATE created=… [activated=…] [retired=…] [may_sign_from=…].
int RunKeysList(const KeysRotationOptions& options);
int RunKeysRotate(const KeysRotationOptions& options);
int RunKeysRetire(const KeysRotationOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_KEYS_ROTATION_COMMAND_H_
