#include "keys_command.h"

#include <iostream>
#include <variant>

#include "cli_io.h"
#include "exit_codes.h"
#include "key_file.h"
#include "paseto_key_file.h"
#include "writ/paserk.h"

namespace writ::cli {
namespace {

void PrintId(const std::string& path, std::string_view label, std::string_view id) {
  std::cout << PrintableText(path) << ": " << label << ' ' << PrintableText(id) << '\n';
}

struct PaserkIdPrinter {
  const std::string& path;
  void operator()(const V4LocalKey& key) const { PrintId(path, "lid", paserk::Lid(key)); }
  void operator()(const V3LocalKey& key) const { PrintId(path, "lid", paserk::Lid(key)); }
  void operator()(const V4PublicKey& key) const { PrintId(path, "pid", paserk::Pid(key)); }
  void operator()(const V3PublicKey& key) const { PrintId(path, "pid", paserk::Pid(key)); }
  void operator()(const V4SecretKey& key) const {
    PrintId(path, "sid", paserk::Sid(key));
    PrintId(path, "pid", paserk::Pid(key.public_key()));
  }
  void operator()(const V3SecretKey& key) const {
    PrintId(path, "sid", paserk::Sid(key));
    PrintId(path, "pid", paserk::Pid(key.public_key()));
  }
};

bool PrintIds(const std::string& path) {
  if (IsPaserkFile(path)) {
    Result<PaserkKey> key = LoadPaserkFile(path);
    if (!key) {
      PrintError(key.error());
      return false;
    }
    std::visit(PaserkIdPrinter{path}, *key);
    return true;
  }
  Result<std::vector<Key>> keys = LoadKeyFile(path);
  if (!keys) {
    PrintError(keys.error());
    return false;
  }
  for (const Key& key : *keys) {
    PrintId(path, "kid", key.kid());
    PrintId(path, "thumbprint", key.Thumbprint());
  }
  return true;
}

struct PublicPaserk {
  Result<std::string> operator()(const V4PublicKey& key) const { return paserk::ToPaserk(key); }
  Result<std::string> operator()(const V3PublicKey& key) const { return paserk::ToPaserk(key); }
  Result<std::string> operator()(const V4SecretKey& key) const { return paserk::ToPaserk(key.public_key()); }
  Result<std::string> operator()(const V3SecretKey& key) const { return paserk::ToPaserk(key.public_key()); }
  Result<std::string> operator()(const V4LocalKey&) const { return NoPublicHalf(); }
  Result<std::string> operator()(const V3LocalKey&) const { return NoPublicHalf(); }
  static Result<std::string> NoPublicHalf() {
    return Fail(ErrorCode::kInvalidArgument, "a local (symmetric) key has no public half and is never published");
  }
};

}  // namespace

KeysSubcommands AddKeysCommand(CLI::App& app, KeysCommandOptions& options) {
  CLI::App* keys = app.add_subcommand(
      "keys", "Key files: identifiers, public halves, and signing key set rotation");
  keys->require_subcommand(1);
  CLI::App* id = keys->add_subcommand(
      "id", "Print key identifiers: PASERK lid/pid/sid, or JWK kid and RFC 7638 thumbprint");
  id->add_option("keyfile", options.key_files, "PASERK or JWK (Set) files")
      ->required()
      ->check(CLI::ExistingFile);
  CLI::App* public_key = keys->add_subcommand(
      "public", "Print the public PASERK (k4.public/k3.public) of a PASERK secret key file");
  public_key->add_option("keyfile", options.public_key_file, "PASERK secret or public key file")
      ->required()
      ->check(CLI::ExistingFile);
  return {id, public_key, AddKeysRotationCommands(*keys, options.rotation)};
}

int RunKeysId(const KeysCommandOptions& options) {
  bool all_ok = true;
  for (const std::string& path : options.key_files) {
    all_ok = PrintIds(path) && all_ok;
  }
  std::cout << std::flush;
  return all_ok && std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli

namespace writ::cli {

int RunKeysPublic(const KeysCommandOptions& options) {
  const std::string& path = options.public_key_file;
  if (!IsPaserkFile(path)) {
    PrintError(path + ": not a PASERK key file; for JWKs use `writ jwks " + path + "`");
    return kExitFailure;
  }
  Result<PaserkKey> key = LoadPaserkFile(path);
  if (!key) {
    PrintError(key.error());
    return kExitFailure;
  }
  Result<std::string> paserk = std::visit(PublicPaserk{}, *key);
  if (!paserk) {
    PrintError(path + ": " + paserk.error().detail);
    return kExitFailure;
  }
  std::cout << *paserk << '\n' << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli
