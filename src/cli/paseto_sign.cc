#include "paseto_sign.h"

#include <iostream>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "cli_io.h"
#include "core/claims_document.h"
#include "exit_codes.h"
#include "paseto_footer.h"
#include "paseto_key_file.h"
#include "writ/clock.h"
#include "writ/paserk.h"
#include "writ/paseto.h"
#include "writ/paseto_writer.h"

namespace writ::cli {
namespace {

// What the token is made of besides the claims.
struct TokenInputs {
  std::chrono::seconds ttl;
  std::string footer_json;  // --footer; empty: PasetoWriter's {"kid":ID}
  std::string implicit;
};

std::string KeyIdOf(const V4LocalKey& key) { return paserk::Lid(key); }
std::string KeyIdOf(const V3LocalKey& key) { return paserk::Lid(key); }
std::string KeyIdOf(const V4SecretKey& key) { return paserk::Pid(key.public_key()); }
std::string KeyIdOf(const V3SecretKey& key) { return paserk::Pid(key.public_key()); }

Result<std::string> Seal(const V4LocalKey& key, std::string_view payload, std::string_view footer,
                         std::string_view implicit) {
  return paseto::Encrypt(key, payload, footer, implicit);
}
Result<std::string> Seal(const V3LocalKey& key, std::string_view payload, std::string_view footer,
                         std::string_view implicit) {
  return paseto::Encrypt(key, payload, footer, implicit);
}
Result<std::string> Seal(const V4SecretKey& key, std::string_view payload, std::string_view footer,
                         std::string_view implicit) {
  return paseto::Sign(key, payload, footer, implicit);
}
Result<std::string> Seal(const V3SecretKey& key, std::string_view payload, std::string_view footer,
                         std::string_view implicit) {
  return paseto::Sign(key, payload, footer, implicit);
}

// With --footer: the same claim completion and checks as PasetoWriter::Write, then the
// token operation itself with the footer built here.
template <typename Key>
Result<std::string> TokenWithFooter(const Key& key, ClaimsBuilder claims, const TokenInputs& inputs) {
  Result<std::string> footer = BuildPasetoFooter(KeyIdOf(key), inputs.footer_json);
  if (!footer) {
    return tl::unexpected(footer.error());
  }
  Seconds now = SystemClock().Now();
  if (!claims.Has("iat")) {
    claims.SetString("iat", FormatRfc3339(now));
  }
  if (!claims.Has("exp")) {
    claims.SetString("exp", FormatRfc3339(now + inputs.ttl));
  }
  std::string payload = claims.Build();
  auto parsed = internal::ClaimsDocument::ParseJson(payload, internal::TimeFormat::kRfc3339);
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  return Seal(key, payload, *footer, inputs.implicit);
}

template <typename Key>
Result<std::string> MakeToken(const Key& key, const ClaimsBuilder& claims, const TokenInputs& inputs) {
  if (!inputs.footer_json.empty()) {
    return TokenWithFooter(key, claims, inputs);
  }
  Result<PasetoWriter<Key>> writer = PasetoWriter<Key>::Create(key);
  if (!writer) {
    return tl::unexpected(writer.error());
  }
  PasetoWriteOptions write_options;
  write_options.default_lifetime = inputs.ttl;
  write_options.implicit = inputs.implicit;
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
