// Exit statuses of the writ command (DESIGN.md, "The command line contract").
#ifndef WRIT_CLI_EXIT_CODES_H_
#define WRIT_CLI_EXIT_CODES_H_

namespace writ::cli {

inline constexpr int kExitOk = 0;
// The token is invalid, audit found problems, or the operation failed.
inline constexpr int kExitFailure = 1;
// The command line itself is wrong (unknown flag, bad duration, missing file, ...).
inline constexpr int kExitUsage = 2;

}  // namespace writ::cli

#endif  // WRIT_CLI_EXIT_CODES_H_
