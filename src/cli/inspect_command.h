// `writ inspect TOKEN|-`: decodes a token WITHOUT verifying it, for people to read.
#ifndef WRIT_CLI_INSPECT_COMMAND_H_
#define WRIT_CLI_INSPECT_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct InspectCommandOptions {
  std::string token;  // the token, or "-" for stdin
};

CLI::App* AddInspectCommand(CLI::App& app, InspectCommandOptions& options);

// Prints the UNVERIFIED banner, the header and payload indented, the NumericDate claims
// as UTC times, and warnings (alg none, key-carrying headers, missing exp, expired).
// Exit 0 once decoded; 1 when the token cannot be decoded.
int RunInspect(const InspectCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_INSPECT_COMMAND_H_
