#include "audit_command.h"

#include <iostream>
#include <utility>
#include <vector>

#include "cli_io.h"
#include "exit_codes.h"
#include "sensitive_claims.h"
#include "token_lint.h"
#include "unverified_token.h"
#include "weak_secret.h"

namespace writ::cli {
namespace {

void Append(std::vector<Finding>& findings, std::vector<Finding> more) {
  for (Finding& finding : more) {
    findings.push_back(std::move(finding));
  }
}

}  // namespace

CLI::App* AddAuditCommand(CLI::App& app, AuditCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "audit",
      "Lint a token: weak HMAC secret, missing exp, long lifetime, size, sensitive claims, "
      "alg none and key-carrying headers");
  command->add_option("token", options.token, "The token, or - to read it from stdin")->required();
  command->add_option("--wordlist", options.wordlist,
                      "Extra candidate HMAC secrets, one per line (tried after the built-in list)")
      ->check(CLI::ExistingFile);
  command
      ->add_option_function<std::int64_t>(
          "--now",
          [&options](const std::int64_t& now) {
            options.now = now;
            options.now_given = true;
          },
          "Judge expiry as of this Unix time (default: the system clock)")
      ->type_name("UNIX_SECONDS");
  return command;
}

int RunAudit(const AuditCommandOptions& options) {
  Result<std::string> text = ReadTokenArgument(options.token);
  if (!text) {
    PrintError(text.error());
    return kExitFailure;
  }
  Result<UnverifiedToken> token = UnverifiedToken::Decode(*text);
  if (!token) {
    PrintError("cannot decode the token: " + FormatError(token.error()));
    return kExitFailure;
  }
  Seconds now = options.now_given ? Seconds(std::chrono::seconds(options.now))
                                  : SystemClock().Now();
  std::vector<Finding> findings = LintHeader(*token);
  Result<std::vector<Finding>> weak_secret = FindWeakHmacSecret(*token, options.wordlist);
  if (!weak_secret) {
    PrintError(weak_secret.error());
    return kExitFailure;
  }
  Append(findings, *std::move(weak_secret));
  Append(findings, LintTimes(*token, now));
  Append(findings, LintSize(*token));
  if (token->payload()) {
    Append(findings, FindSensitiveClaims(*token->payload()));
  }
  for (const Finding& finding : findings) {
    std::cout << FormatFinding(finding) << '\n';
  }
  bool failed = HasWarnings(findings);
  if (!failed) {
    std::cout << "no findings at warning level or above\n";
  }
  std::cout << std::flush;
  return failed ? kExitFailure : kExitOk;
}

}  // namespace writ::cli
