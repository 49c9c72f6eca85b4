// `writ sign --key FILE [--claims JSON|@FILE] [--ttl 15m] [--iss I] [--aud A] [--sub S]
// [--typ T] [--footer JSON] [--implicit STRING]`: a signed compact JWT on stdout, or a
// PASETO token when FILE holds a PASERK key (paseto_sign.h).
#ifndef WRIT_CLI_SIGN_COMMAND_H_
#define WRIT_CLI_SIGN_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct SignCommandOptions {
  std::string key_file;
  std::string claims;  // JSON text, or @FILE
  std::string ttl;     // empty: the default, 15m
  std::string issuer;
  std::string audience;
  std::string subject;
  std::string type = "JWT";
  std::string footer;    // PASETO only: extra footer members, a JSON object
  std::string implicit;  // PASETO only: the implicit assertion
};

// 128 random bits, base64url: unguessable and unique enough for a jti (RFC 7519 §4.1.7).
std::string RandomJwtId();

CLI::App* AddSignCommand(CLI::App& app, SignCommandOptions& options);

// Signs the claims with iat = now, exp = now + ttl (unless the claims carry exp and no
// --ttl was given; the default ttl is 15m for JWS, 1h for PASETO) and a random jti
// unless the claims carry one.
int RunSign(const SignCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_SIGN_COMMAND_H_
