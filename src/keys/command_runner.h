// writ::keys command runner: runs one program (no shell) under a deadline and captures its
// standard output into memory the caller owns — guarded memory when the output is a secret.
// Used by the exec: secret source and by the git check of secret files.
#ifndef WRIT_KEYS_COMMAND_RUNNER_H_
#define WRIT_KEYS_COMMAND_RUNNER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "writ/result.h"

namespace writ::keys {

// How to run a command.
struct CommandOptions {
  // The whole run — start, output, exit — must fit in this; past it the process group is
  // killed (SIGKILL) and reaped.
  std::chrono::milliseconds timeout{10'000};
  // Standard output is written to /dev/null instead of being captured.
  bool discard_stdout = false;
  // Standard error is written to /dev/null instead of being inherited (for internal probes
  // whose messages would only confuse the operator).
  bool discard_stderr = false;
};

// How a command that ran to its end ended.
struct CommandExit {
  std::size_t output_size = 0;  // bytes of standard output written to the caller's buffer
  int exit_status = -1;         // the status it exited with, or -1 when a signal ended it
  int signal = 0;               // the signal that ended it, or 0 when it exited

  bool Succeeded() const { return signal == 0 && exit_status == 0; }
};

// Runs argv[0] with `argv` (argv[0] without a '/' is looked up in PATH; no shell), in a
// process group of its own, stdin from /dev/null, stdout into `output` (unless discarded),
// stderr inherited (unless discarded), no other descriptor of ours. The child is always
// reaped and no descriptor is left open, on every path. Returns how it ended — a non-zero exit is not an error here. Fails with kIo when the
// program cannot be started (the detail says "not found" for a missing program) or when it
// runs past options.timeout (the detail says "timed out after N ms"), and with kTooLarge when
// it writes more than output.size() bytes (it is killed at once). Details never contain the
// output.
[[nodiscard]] Result<CommandExit> RunCommand(const std::vector<std::string>& argv,
                                             const CommandOptions& options,
                                             std::span<std::uint8_t> output);

// "exited with status 1" or "was killed by signal 9 (SIGKILL)", for details.
std::string DescribeExit(const CommandExit& exit);

}  // namespace writ::keys

#endif  // WRIT_KEYS_COMMAND_RUNNER_H_
