#include "keygen_command.h"

#include <cstdint>
#include <iostream>
#include <span>
#include <string>
#include <string_view>

#include "cli_io.h"
#include "exit_codes.h"
#include "paseto_keygen.h"
#include "writ/alg.h"
#include "writ/key.h"

namespace writ::cli {
namespace {

constexpr std::string_view kAlgHelp =
    "HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA "
    "v4.local v4.public v3.local v3.public";

// Writes `text` and a newline to stdout, or to a new 0600 file; returns the exit status.
int WriteKey(const KeygenCommandOptions& options, std::string_view text, std::string_view what) {
  if (options.out.empty()) {
    std::cout << text << '\n' << std::flush;
    return std::cout ? kExitOk : kExitFailure;
  }
  // Build the file contents in wiped memory: key text plus the final newline.
  WipedString contents;
  contents.mutable_text().reserve(text.size() + 1);
  contents.mutable_text().append(text).push_back('\n');
  Status written = WritePrivateFile(options.out, contents.view());
  if (!written) {
    PrintError(written.error().detail);
    return kExitFailure;
  }
  std::cerr << "writ keygen: wrote " << what << " to " << options.out << " (mode 0600)\n";
  return kExitOk;
}

std::string_view AsText(const SecretBytes& bytes) {
  std::span<const std::uint8_t> span = bytes.expose_secret();
  return std::string_view(reinterpret_cast<const char*>(span.data()), span.size());
}

// PASETO keys are PASERK strings (k4.local.…, k4.secret.…, ...), named by their PASERK id.
int RunPasetoKeygen(const KeygenCommandOptions& options) {
  if (!options.kid.empty()) {
    std::cerr << "writ keygen: --kid does not apply to " << options.alg
              << " keys: PASETO keys are named by their PASERK id (see writ keys id)\n";
    return kExitUsage;
  }
  std::string id;
  Result<SecretBytes> paserk = GeneratePaserk(options.alg, id);
  if (!paserk) {
    PrintError(paserk.error());
    return kExitFailure;
  }
  return WriteKey(options, AsText(*paserk), options.alg + " key " + id);
}

}  // namespace

CLI::App* AddKeygenCommand(CLI::App& app, KeygenCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "keygen", "Generate a private key, bound to one algorithm: a JWK, or a PASERK for v4.*/v3.*");
  command->add_option("--alg", options.alg, "Algorithm: " + std::string(kAlgHelp))->required();
  command->add_option("--kid", options.kid,
                      "Key id (default: the RFC 7638 thumbprint; random for HMAC keys)");
  command->add_option("--out", options.out,
                      "Write the key to this new file (mode 0600; never overwrites)");
  return command;
}

int RunKeygen(const KeygenCommandOptions& options) {
  if (IsPasetoAlg(options.alg)) {
    return RunPasetoKeygen(options);
  }
  std::optional<Alg> alg = AlgFromName(options.alg);
  if (!alg) {
    std::cerr << "writ keygen: unknown algorithm '" << options.alg << "'; use one of "
              << kAlgHelp << '\n';
    return kExitUsage;
  }
  Result<Key> key = Key::Generate(*alg, options.kid);
  if (!key) {
    PrintError(key.error());
    return kExitFailure;
  }
  Result<SecretBytes> jwk = key->ToPrivateJwk();
  if (!jwk) {
    PrintError(jwk.error());
    return kExitFailure;
  }
  return WriteKey(options, AsText(*jwk),
                  std::string(AlgName(key->alg())) + " key '" + key->kid() + "'");
}

}  // namespace writ::cli
