#include "verify_command.h"

#include <iostream>
#include <utility>
#include <vector>

#include "cli_io.h"
#include "exit_codes.h"
#include "key_file.h"
#include "paseto_key_file.h"
#include "paseto_verify.h"
#include "server/duration.h"
#include "writ/key_set.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ::cli {
namespace {

// The validator from the flags, or a usage error (already printed).
Result<Validator> BuildValidator(const VerifyCommandOptions& options) {
  ValidatorBuilder builder;
  if (!options.leeway.empty()) {
    Result<std::chrono::seconds> leeway = server::ParseDuration(options.leeway);
    if (!leeway) {
      return Fail(ErrorCode::kInvalidArgument, "--leeway: " + leeway.error().detail);
    }
    if (*leeway > ValidatorBuilder::kMaxClockSkew) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--leeway " + options.leeway + " is over the 10m maximum");
    }
    builder.ClockSkew(*leeway);
  }
  if (!options.issuer.empty()) {
    builder.ExpectIssuer(options.issuer);
  }
  // Without --aud, a token that carries aud is rejected (RFC 7519 §4.1.3).
  if (!options.audience.empty()) {
    builder.ExpectAudience(options.audience);
  }
  if (!options.type.empty()) {
    builder.ExpectType(options.type);
  }
  return builder.Build();
}

// The verifier for the key or JWKS file; errors are printed.
Result<Verifier> BuildVerifier(const VerifyCommandOptions& options) {
  const std::string& path = options.key_file.empty() ? options.jwks_file : options.key_file;
  Result<std::vector<Key>> keys = LoadKeyFile(path);
  if (!keys) {
    return tl::unexpected(keys.error());
  }
  Result<std::vector<Key>> verification_keys = VerificationKeys(*keys);
  if (!verification_keys) {
    return tl::unexpected(verification_keys.error());
  }
  Result<KeySet> set = KeySet::Create(*std::move(verification_keys));
  if (!set) {
    return tl::unexpected(set.error());
  }
  return Verifier::Create(*std::move(set));
}

}  // namespace

int ReportInvalid(const Error& error) {
  // PrintableText also keeps it to one line: newlines in the detail become '?'.
  std::cerr << "invalid: " << ErrorCodeName(error.code) << ": " << PrintableText(error.detail)
            << '\n';
  return kExitFailure;
}

CLI::App* AddVerifyCommand(CLI::App& app, VerifyCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "verify", "Verify a token's signature and claims; print the claims as JSON");
  CLI::Option* jwks = command->add_option("--jwks", options.jwks_file, "JWK Set file")
                          ->check(CLI::ExistingFile);
  CLI::Option* key =
      command->add_option("--key", options.key_file,
                          "JWK or PASERK key file (private keys: the public half is used)")
          ->check(CLI::ExistingFile);
  jwks->excludes(key);
  command->add_option("--iss", options.issuer, "Expected issuer (iss)");
  command->add_option("--aud", options.audience,
                      "Expected audience (aud); without it, tokens carrying aud are rejected");
  command->add_option("--leeway", options.leeway, "Clock skew allowed, at most 10m (e.g. 30s)");
  command->add_option("--typ", options.type, "Expected header typ (e.g. at+jwt)");
  command->add_option("--implicit", options.implicit,
                      "PASETO: the implicit assertion the token was made with");
  command->add_option("token", options.token, "The token, or - to read it from stdin")->required();
  return command;
}

int RunVerify(const VerifyCommandOptions& options) {
  if (options.jwks_file.empty() && options.key_file.empty()) {
    std::cerr << "writ verify: one of --jwks FILE or --key FILE is required\n";
    return kExitUsage;
  }
  Result<Validator> validator = BuildValidator(options);
  if (!validator) {
    std::cerr << "writ verify: " << validator.error().detail << '\n';
    return kExitUsage;
  }
  const std::string& key_path = options.key_file.empty() ? options.jwks_file : options.key_file;
  if (IsPaserkFile(key_path)) {
    if (options.key_file.empty()) {
      std::cerr << "writ verify: " << options.jwks_file
                << " holds a PASERK key, not a JWK Set; pass it with --key\n";
      return kExitUsage;
    }
    return RunPasetoVerify(options, *validator);
  }
  if (!options.implicit.empty()) {
    std::cerr << "writ verify: --implicit is for PASETO keys (PASERK files); " << key_path
              << " is not one\n";
    return kExitUsage;
  }
  Result<Verifier> verifier = BuildVerifier(options);
  if (!verifier) {
    PrintError(verifier.error());
    return kExitFailure;
  }
  Result<std::string> token = ReadTokenArgument(options.token);
  if (!token) {
    PrintError(token.error());
    return kExitFailure;
  }
  Result<VerifiedJwt> verified = verifier->Verify(*token, *validator);
  if (!verified) {
    return ReportInvalid(verified.error());
  }
  std::cout << verified->payload_json() << '\n' << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli
