// `writ sign --key FILE [--claims JSON|@FILE] [--ttl 15m] [--iss I] [--aud A] [--sub S]
// [--typ T]`: a signed compact JWT on stdout.
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
};

CLI::App* AddSignCommand(CLI::App& app, SignCommandOptions& options);

// Signs the claims with iat = now, exp = now + ttl (unless the claims carry exp and no
// --ttl was given) and a random jti unless the claims carry one.
int RunSign(const SignCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_SIGN_COMMAND_H_
