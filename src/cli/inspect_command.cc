#include "inspect_command.h"

#include <ctime>
#include <iostream>
#include <string_view>
#include <vector>

#include "cli_io.h"
#include "exit_codes.h"
#include "json_pretty.h"
#include "paseto_inspect.h"
#include "token_lint.h"
#include "unverified_token.h"

namespace writ::cli {
namespace {

constexpr std::string_view kBanner =
    "UNVERIFIED \u2014 signature NOT checked; do not trust these claims";
constexpr std::string_view kRule =
    "==============================================================";

// "2026-01-31T12:00:00Z", or "out of range".
std::string UtcTime(std::int64_t seconds) {
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  char text[32];
  if (gmtime_r(&time, &parts) == nullptr ||
      std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts) == 0) {
    return "out of range";
  }
  return text;
}

void PrintTimes(const UnverifiedToken& token) {
  bool any = false;
  for (std::string_view name : {"iat", "nbf", "exp"}) {
    UnverifiedDate date = token.DateClaim(name);
    if (!date.seconds) {
      continue;
    }
    if (!any) {
      std::cout << "times (UTC):\n";
      any = true;
    }
    std::cout << "  " << name << ": " << UtcTime(*date.seconds) << '\n';
  }
}

}  // namespace

CLI::App* AddInspectCommand(CLI::App& app, InspectCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "inspect", "Decode a token WITHOUT verifying it (for reading only), with warnings");
  command->add_option("token", options.token, "The token, or - to read it from stdin")->required();
  return command;
}

int RunInspect(const InspectCommandOptions& options) {
  Result<std::string> text = ReadTokenArgument(options.token);
  if (!text) {
    PrintError(text.error());
    return kExitFailure;
  }
  if (LooksLikePaseto(*text)) {
    return InspectPaseto(*text);
  }
  Result<UnverifiedToken> token = UnverifiedToken::Decode(*text);
  if (!token) {
    PrintError("cannot decode the token: " + FormatError(token.error()));
    return kExitFailure;
  }
  std::cout << kRule << '\n' << kBanner << '\n' << kRule << '\n';
  std::cout << "header:\n" << PrettyJson(token->jws().header_json) << '\n';
  if (token->jws().payload_is_json) {
    std::cout << "payload:\n" << PrettyJson(token->jws().payload_json) << '\n';
  } else {
    std::cout << "payload (not JSON, " << token->jws().payload_json.size()
              << " bytes):\n" << EscapeForTerminal(token->jws().payload_json) << '\n';
  }
  std::cout << "signature: " << token->jws().signature.size() << " bytes (NOT checked)\n";
  PrintTimes(*token);

  std::vector<Finding> findings = LintHeader(*token);
  for (Finding& finding : LintTimes(*token, SystemClock().Now())) {
    findings.push_back(std::move(finding));
  }
  if (findings.empty()) {
    std::cout << "warnings: none\n";
  } else {
    std::cout << "warnings:\n";
    for (const Finding& finding : findings) {
      std::cout << FormatFinding(finding) << '\n';
    }
  }
  std::cout << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli
