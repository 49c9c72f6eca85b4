#include "sign_command.h"

#include <cstdint>
#include <iostream>
#include <utility>

#include <sodium.h>

#include "cli_io.h"
#include "core/base64url.h"
#include "exit_codes.h"
#include "key_file.h"
#include "paseto_key_file.h"
#include "paseto_sign.h"
#include "server/duration.h"
#include "writ/claims_builder.h"
#include "writ/clock.h"
#include "writ/signer.h"

namespace writ::cli {
namespace {

constexpr std::chrono::seconds kDefaultTtl{15 * 60};

// The claims from --claims, or an empty set. Usage problems return kInvalidArgument.
Result<ClaimsBuilder> InitialClaims(const std::string& claims_argument) {
  if (claims_argument.empty()) {
    return ClaimsBuilder();
  }
  Result<std::string> json = ReadInlineOrFile(claims_argument);
  if (!json) {
    return tl::unexpected(json.error());
  }
  return ClaimsBuilder::FromJson(*json);
}

}  // namespace

std::string RandomJwtId() {
  std::uint8_t bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  return internal::Base64UrlEncode(std::span<const std::uint8_t>(bytes, sizeof bytes));
}

CLI::App* AddSignCommand(CLI::App& app, SignCommandOptions& options) {
  CLI::App* command = app.add_subcommand("sign", "Sign claims into a compact JWT");
  command->add_option("--key", options.key_file,
                      "Private JWK file, or PASERK secret/local key file (from writ keygen)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--claims", options.claims, "Claims as a JSON object, or @FILE (@- = stdin)");
  command->add_option("--ttl", options.ttl,
                      "Lifetime: exp = now + ttl (default 15m, PASETO 1h; e.g. 30s, 15m, 12h, 30d)");
  command->add_option("--iss", options.issuer, "Issuer (iss)");
  command->add_option("--aud", options.audience, "Audience (aud)");
  command->add_option("--sub", options.subject, "Subject (sub)");
  command->add_option("--typ", options.type, "Header typ (default JWT; \"\" leaves it out)");
  command->add_option("--footer", options.footer,
                      "PASETO: footer members as a JSON object (kid is set from the key)");
  command->add_option("--implicit", options.implicit,
                      "PASETO: implicit assertion (authenticated, not sent; verify needs the same)");
  return command;
}

int RunSign(const SignCommandOptions& options) {
  const bool paseto = IsPaserkFile(options.key_file);
  if (!paseto && (!options.footer.empty() || !options.implicit.empty())) {
    std::cerr << "writ sign: --footer and --implicit are for PASETO keys (PASERK files); "
              << options.key_file << " is not one\n";
    return kExitUsage;
  }
  std::chrono::seconds ttl = paseto ? kPasetoDefaultTtl : kDefaultTtl;
  if (!options.ttl.empty()) {
    Result<std::chrono::seconds> parsed = server::ParseDuration(options.ttl);
    if (!parsed) {
      std::cerr << "writ sign: --ttl: " << parsed.error().detail << '\n';
      return kExitUsage;
    }
    if (parsed->count() <= 0) {
      std::cerr << "writ sign: --ttl must be longer than 0s\n";
      return kExitUsage;
    }
    ttl = *parsed;
  }
  Result<ClaimsBuilder> claims = InitialClaims(options.claims);
  if (!claims) {
    std::cerr << "writ sign: --claims: " << FormatError(claims.error()) << '\n';
    return kExitUsage;
  }
  if (claims->Has("exp") && !options.ttl.empty()) {
    std::cerr << "writ sign: --ttl conflicts with the exp given in --claims; pass one of them\n";
    return kExitUsage;
  }
  if (paseto) {
    return RunPasetoSign(options, *std::move(claims), ttl);
  }
  Result<Key> key = LoadSingleKeyFile(options.key_file);
  if (!key) {
    PrintError(key.error());
    return kExitFailure;
  }
  Result<Signer> signer = Signer::Create(*std::move(key));
  if (!signer) {
    PrintError(signer.error());
    return kExitFailure;
  }

  Seconds now = SystemClock().Now();
  if (!claims->Has("iat")) {
    claims->SetIssuedAt(now);
  }
  if (!claims->Has("exp")) {
    claims->SetExpiresAt(now + ttl);
  }
  if (!claims->Has("jti")) {
    claims->SetJwtId(RandomJwtId());
  }
  if (!options.issuer.empty()) {
    claims->SetIssuer(options.issuer);
  }
  if (!options.audience.empty()) {
    claims->SetAudience(options.audience);
  }
  if (!options.subject.empty()) {
    claims->SetSubject(options.subject);
  }

  writ::SignOptions sign_options;
  sign_options.type = options.type;
  Result<std::string> token = signer->Sign(*claims, sign_options);
  if (!token) {
    PrintError(token.error());
    return kExitFailure;
  }
  std::cout << *token << '\n' << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli
