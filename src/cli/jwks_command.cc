#include "jwks_command.h"

#include <iostream>
#include <utility>

#include "cli_io.h"
#include "exit_codes.h"
#include "key_file.h"
#include "paseto_key_file.h"
#include "writ/key_set.h"

namespace writ::cli {

CLI::App* AddJwksCommand(CLI::App& app, JwksCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "jwks", "Print the public JWK Set of key files (never any private member)");
  command->add_option("keyfile", options.key_files, "JWK or JWK Set files")
      ->required()
      ->check(CLI::ExistingFile);
  return command;
}

int RunJwks(const JwksCommandOptions& options) {
  std::vector<Key> public_keys;
  for (const std::string& path : options.key_files) {
    if (IsPaserkFile(path)) {
      PrintError(path + ": a PASERK key (PASETO), not a JWK: PASERK keys are not published as "
                 "a JWK Set; use `writ keys id " + path + "` for its PASERK id");
      return kExitFailure;
    }
    Result<std::vector<Key>> keys = LoadKeyFile(path);
    if (!keys) {
      PrintError(keys.error());
      return kExitFailure;
    }
    for (const Key& key : *keys) {
      if (IsSymmetric(key.alg())) {
        PrintError(path + ": key '" + key.kid() + "' is an HMAC (" +
                   std::string(AlgName(key.alg())) +
                   ") key; symmetric keys are never published");
        return kExitFailure;
      }
      Result<Key> public_key = key.can_sign() ? key.PublicKey() : Result<Key>(key);
      if (!public_key) {
        PrintError(public_key.error());
        return kExitFailure;
      }
      public_keys.push_back(*std::move(public_key));
    }
  }
  Result<KeySet> set = KeySet::Create(std::move(public_keys));
  if (!set) {
    PrintError(set.error());
    return kExitFailure;
  }
  std::cout << set->ToPublicJwks() << '\n' << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli
