// `writ keys id FILE...`: the identifiers of key files, never their key material. For a
// PASERK file its PASERK id (operations/ID.md): lid for a local key, pid for a public
// key, sid and pid for a secret key (the pid is what its tokens carry as kid). For a JWK
// or JWK Set file, each key's kid and RFC 7638 thumbprint.
// `writ keys public FILE`: the public PASERK (k4.public.…, k3.public.…) of a PASERK secret
// or public key file, for handing to verifiers.
// `writ keys init|list|rotate|retire`: signing key set rotation (keys_rotation_command.h).
#ifndef WRIT_CLI_KEYS_COMMAND_H_
#define WRIT_CLI_KEYS_COMMAND_H_

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "keys_rotation_command.h"

namespace writ::cli {

struct KeysCommandOptions {
  std::vector<std::string> key_files;  // keys id
  std::string public_key_file;         // keys public
  KeysRotationOptions rotation;        // keys init, list, rotate, retire
};

struct KeysSubcommands {
  CLI::App* id;
  CLI::App* public_key;
  KeysRotationSubcommands rotation;
};

// Registers `keys` with its `id`, `public` and rotation subcommands on `app`.
KeysSubcommands AddKeysCommand(CLI::App& app, KeysCommandOptions& options);

// Prints one "PATH: LABEL ID" line per identifier (LABEL: lid, pid, sid, kid, thumbprint).
// Returns the exit status: 1 if any file could not be read as a key.
int RunKeysId(const KeysCommandOptions& options);

// Prints the public PASERK of options.public_key_file; 1 for local keys (they have no
// public half) and JWK files.
int RunKeysPublic(const KeysCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_KEYS_COMMAND_H_
