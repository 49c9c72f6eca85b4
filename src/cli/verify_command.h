// `writ verify (--jwks FILE | --key FILE) [--iss I] [--aud A] [--leeway 30s] [--typ T]
// TOKEN|-`: checks a token's signature and claims.
#ifndef WRIT_CLI_VERIFY_COMMAND_H_
#define WRIT_CLI_VERIFY_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

#include "writ/result.h"

namespace writ::cli {

struct VerifyCommandOptions {
  std::string jwks_file;
  std::string key_file;
  std::string issuer;
  std::string audience;
  std::string leeway;  // empty: no leeway
  std::string type;
  std::string token;   // the token, or "-" for stdin
  std::string implicit;  // PASETO only: the implicit assertion the token was made with
};

// Prints the one line a failed verification prints, "invalid: CODE: DETAIL" on stderr
// (control characters neutralised), and returns the exit status 1.
int ReportInvalid(const Error& error);

CLI::App* AddVerifyCommand(CLI::App& app, VerifyCommandOptions& options);

// Exit 0 with the verified claims JSON on stdout; exit 1 with exactly one line
// "invalid: REASON_CODE: detail" on stderr; exit 2 on a usage error.
int RunVerify(const VerifyCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_VERIFY_COMMAND_H_
