#include "paseto_sign.h"

#include <iostream>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "cli_io.h"
#include "exit_codes.h"
#include "paseto_key_file.h"
#include "writ/clock.h"
#include "writ/paseto_writer.h"

namespace writ::cli {
namespace {

// What the token is made of besides the claims.
struct TokenInputs {
  std::chrono::seconds ttl;
  std::string footer_json;  // --footer: members after the kid; empty for none
  std::string implicit;
};

template <typename Key>
Result<std::string> MakeToken(const Key& key, const ClaimsBuilder& claims, const TokenInputs& inputs) {
  Result<PasetoWriter<Key>> writer = PasetoWriter<Key>::Create(key);
  if (!writer) {
    return tl::unexpected(writer.error());
  }
  PasetoWriteOptions write_options;
  write_options.default_lifetime = inputs.ttl;
  write_options.implicit = inputs.implicit;
  write_options.footer_members = inputs.footer_json;
  return writer->Write(claims, write_options);
}

}  // namespace

int RunPasetoSign(const SignCommandOptions& options, ClaimsBuilder claims, std::chrono::seconds ttl) {
  if (options.type != "JWT") {
    std::cerr << "writ sign: --typ is a JWS header; PASETO tokens have no header\n";
    return kExitUsage;
  }
  Result<PaserkKey> key = LoadPaserkFile(options.key_file);
  if (!key) {
    PrintError(key.error());
    return kExitFailure;
  }
  if (std::holds_alternative<V4PublicKey>(*key) || std::holds_alternative<V3PublicKey>(*key)) {
    PrintError(options.key_file + ": a " + std::string(PaserkTypeName(*key)) +
               " key only verifies; sign with its secret key");
    return kExitFailure;
  }
  if (!claims.Has("jti")) {
    claims.SetJwtId(RandomJwtId());
  }
  if (!options.issuer.empty()) {
    claims.SetIssuer(options.issuer);
  }
  if (!options.audience.empty()) {
    claims.SetAudience(options.audience);
  }
  if (!options.subject.empty()) {
    claims.SetSubject(options.subject);
  }
  TokenInputs inputs{ttl, options.footer, options.implicit};
  Result<std::string> token = std::visit(
      [&](const auto& typed_key) -> Result<std::string> {
        using Key = std::decay_t<decltype(typed_key)>;
        if constexpr (std::is_same_v<Key, V4PublicKey> || std::is_same_v<Key, V3PublicKey>) {
          return Fail(ErrorCode::kInvalidKey, "a public key cannot sign");
        } else {
          return MakeToken(typed_key, claims, inputs);
        }
      },
      *key);
  if (!token) {
    if (token.error().code == ErrorCode::kInvalidClaim) {
      std::cerr << "writ sign: --claims: " << FormatError(token.error())
                << " (PASETO exp, nbf and iat are RFC 3339 strings, e.g. \"2030-01-01T00:00:00Z\")\n";
      return kExitUsage;
    }
    if (token.error().code == ErrorCode::kInvalidArgument) {
      std::cerr << "writ sign: " << PrintableText(token.error().detail) << '\n';
      return kExitUsage;
    }
    PrintError(token.error());
    return kExitFailure;
  }
  std::cout << *token << '\n' << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli
