#include "keygen_command.h"

#include <iostream>
#include <string_view>

#include "cli_io.h"
#include "exit_codes.h"
#include "writ/alg.h"
#include "writ/key.h"

namespace writ::cli {
namespace {

constexpr std::string_view kAlgHelp =
    "HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA "
    "v4.local v4.public v3.local v3.public";

bool IsPasetoAlg(std::string_view alg) {
  return alg == "v4.local" || alg == "v4.public" || alg == "v3.local" || alg == "v3.public";
}

}  // namespace

CLI::App* AddKeygenCommand(CLI::App& app, KeygenCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "keygen", "Generate a private key, bound to one algorithm, as a JWK");
  command->add_option("--alg", options.alg, "Algorithm: " + std::string(kAlgHelp))->required();
  command->add_option("--kid", options.kid,
                      "Key id (default: the RFC 7638 thumbprint; random for HMAC keys)");
  command->add_option("--out", options.out,
                      "Write the key to this new file (mode 0600; never overwrites)");
  return command;
}

int RunKeygen(const KeygenCommandOptions& options) {
  if (IsPasetoAlg(options.alg)) {
    std::cerr << "writ keygen: " << options.alg << " (PASETO) is not supported yet\n";
    return kExitUsage;
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
  std::span<const std::uint8_t> bytes = jwk->expose_secret();
  std::string_view jwk_text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (options.out.empty()) {
    std::cout << jwk_text << '\n' << std::flush;
    return std::cout ? kExitOk : kExitFailure;
  }
  // Build the file contents in wiped memory: key text plus the final newline.
  WipedString contents;
  contents.mutable_text().reserve(jwk_text.size() + 1);
  contents.mutable_text().append(jwk_text).push_back('\n');
  Status written = WritePrivateFile(options.out, contents.view());
  if (!written) {
    PrintError(written.error().detail);
    return kExitFailure;
  }
  std::cerr << "writ keygen: wrote " << AlgName(key->alg()) << " key '" << key->kid() << "' to "
            << options.out << " (mode 0600)\n";
  return kExitOk;
}

}  // namespace writ::cli
