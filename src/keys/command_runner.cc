#include "keys/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>
#include <utility>

#include "core/printable.h"

extern char** environ;  // POSIX: the environment the child inherits

namespace writ::keys {
namespace {

using SteadyClock = std::chrono::steady_clock;

// A file descriptor closed on every path out.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }

  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// The spawned child, killed (with its whole process group) and reaped when it goes out of
// scope unreaped, so that no path leaves a zombie or a runaway process behind.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      Kill();
      ReapBlocking();
    }
  }

  // SIGKILL to the process group (the child leads it: POSIX_SPAWN_SETPGROUP with 0). The
  // child is not reaped yet, so its pid — the group id — cannot have been reused.
  void Kill() const {
    if (::kill(-pid_, SIGKILL) != 0) {
      ::kill(pid_, SIGKILL);
    }
  }

  // The wait status when the child has ended, nullopt while it runs; kIo when it cannot be
  // waited for (ECHILD: SIGCHLD ignored or reaped elsewhere) — it is then no longer ours.
  Result<std::optional<int>> TryReap() {
    int status = 0;
    for (;;) {
      const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
      if (reaped == pid_) {
        pid_ = -1;
        return status;
      }
      if (reaped == 0) {
        return std::nullopt;
      }
      if (errno != EINTR) {
        const int error = errno;
        pid_ = -1;
        return Fail(ErrorCode::kIo, std::string("cannot wait for the command: ") +
                                        std::strerror(error));
      }
    }
  }

  void ReapBlocking() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

 private:
  pid_t pid_;
};

// Milliseconds left until `deadline`, rounded up, for poll(); 0 once it has passed.
int RemainingMs(SteadyClock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, INT_MAX));
}

tl::unexpected<Error> TimedOut(const CommandOptions& options) {
  return Fail(ErrorCode::kIo, "timed out after " + std::to_string(options.timeout.count()) +
                                  " ms (killed)");
}

// `fd` moved above 0-2 (a daemon may run with its standard descriptors closed, and the
// child's 0-2 are rewired by the file actions), still close-on-exec.
Result<Fd> AboveStdio(Fd fd) {
  if (fd.get() > STDERR_FILENO) {
    return fd;
  }
  const int moved = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved < 0) {
    const int error = errno;
    return Fail(ErrorCode::kIo, std::string("cannot create a pipe: ") + std::strerror(error));
  }
  return Fd(moved);
}

struct Pipe {
  Fd read_end;
  Fd write_end;
};

// A close-on-exec pipe whose ends are both above 0-2.
Result<Pipe> MakePipe() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) {
    const int error = errno;
    return Fail(ErrorCode::kIo, std::string("cannot create a pipe: ") + std::strerror(error));
  }
  Fd read_end(ends[0]);
  Fd write_end(ends[1]);
  auto high_read = AboveStdio(std::move(read_end));
  if (!high_read) {
    return tl::unexpected(high_read.error());
  }
  auto high_write = AboveStdio(std::move(write_end));
  if (!high_write) {
    return tl::unexpected(high_write.error());
  }
  return Pipe{std::move(*high_read), std::move(*high_write)};
}

// posix_spawn attributes and file actions, destroyed on every path.
class SpawnSetup {
 public:
  SpawnSetup() {
    attr_ok_ = ::posix_spawnattr_init(&attr_) == 0;
    actions_ok_ = ::posix_spawn_file_actions_init(&actions_) == 0;
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  ~SpawnSetup() {
    if (attr_ok_) {
      ::posix_spawnattr_destroy(&attr_);
    }
    if (actions_ok_) {
      ::posix_spawn_file_actions_destroy(&actions_);
    }
  }

  // A new process group; no blocked signals; the signals a server commonly ignores (SIGPIPE
  // above all) back to their default; stdin from /dev/null, stdout to `stdout_fd` or
  // /dev/null, stderr inherited or /dev/null, every other descriptor closed. Returns an
  // errno value, 0 on success.
  int Configure(int stdout_fd, const CommandOptions& options) {
    if (!attr_ok_ || !actions_ok_) {
      return ENOMEM;
    }
    sigset_t no_signals;
    sigemptyset(&no_signals);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int signal : {SIGPIPE, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2}) {
      sigaddset(&defaults, signal);
    }
    const short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    int error = ::posix_spawnattr_setflags(&attr_, flags);
    error = error != 0 ? error : ::posix_spawnattr_setpgroup(&attr_, 0);
    error = error != 0 ? error : ::posix_spawnattr_setsigmask(&attr_, &no_signals);
    error = error != 0 ? error : ::posix_spawnattr_setsigdefault(&attr_, &defaults);
    error = error != 0 ? error
                       : ::posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null",
                                                            O_RDONLY, 0);
    if (error == 0 && options.discard_stdout) {
      error = ::posix_spawn_file_actions_addopen(&actions_, STDOUT_FILENO, "/dev/null", O_WRONLY,
                                                 0);
    } else if (error == 0) {
      error = ::posix_spawn_file_actions_adddup2(&actions_, stdout_fd, STDOUT_FILENO);
    }
    if (error == 0 && options.discard_stderr) {
      error = ::posix_spawn_file_actions_addopen(&actions_, STDERR_FILENO, "/dev/null", O_WRONLY,
                                                 0);
    }
#if defined(__GLIBC__)
#if __GLIBC_PREREQ(2, 34)
    // Also what others opened without O_CLOEXEC (libstdc++ streams do): the command gets
    // 0, 1 and 2 and nothing of the server's files, sockets or keys.
    if (error == 0) {
      error = ::posix_spawn_file_actions_addclosefrom_np(&actions_, STDERR_FILENO + 1);
    }
#endif
#endif
    return error;
  }

  const posix_spawnattr_t* attr() const { return &attr_; }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawnattr_t attr_{};
  posix_spawn_file_actions_t actions_{};
  bool attr_ok_ = false;
  bool actions_ok_ = false;
};

Result<pid_t> Spawn(const std::vector<std::string>& argv, const CommandOptions& options,
                    int stdout_fd) {
  const std::string program = internal::Printable(argv.front(), 256);
  SpawnSetup setup;
  if (const int error = setup.Configure(stdout_fd, options); error != 0) {
    return Fail(ErrorCode::kIo, "cannot prepare to run " + program + ": " + std::strerror(error));
  }
  std::vector<char*> pointers;
  pointers.reserve(argv.size() + 1);
  for (const std::string& word : argv) {
    pointers.push_back(const_cast<char*>(word.c_str()));  // posix_spawn does not write them
  }
  pointers.push_back(nullptr);
  pid_t pid = -1;
  const int error = ::posix_spawnp(&pid, pointers.front(), setup.actions(), setup.attr(),
                                   pointers.data(), environ);
  if (error == ENOENT) {
    const bool searched = argv.front().find('/') == std::string::npos;
    return Fail(ErrorCode::kIo,
                "command " + program + " not found" + (searched ? " in PATH" : ""));
  }
  if (error != 0) {
    return Fail(ErrorCode::kIo, "cannot run " + program + ": " + std::strerror(error));
  }
  return pid;
}

// Reads `fd` into `output` until end of file, the deadline (kIo) or more than output.size()
// bytes (kTooLarge). Returns the byte count.
Result<std::size_t> ReadOutput(int fd, SteadyClock::time_point deadline,
                               const CommandOptions& options, std::span<std::uint8_t> output) {
  std::size_t filled = 0;
  for (;;) {
    const int wait_ms = RemainingMs(deadline);
    if (wait_ms == 0) {
      return TimedOut(options);
    }
    pollfd readable{.fd = fd, .events = POLLIN, .revents = 0};
    const int ready = ::poll(&readable, 1, wait_ms);
    if (ready < 0 && errno != EINTR) {
      const int error = errno;
      return Fail(ErrorCode::kIo, std::string("cannot wait for output: ") + std::strerror(error));
    }
    if (ready <= 0) {
      continue;  // EINTR or the deadline: checked at the top
    }
    ssize_t count = 0;
    if (filled == output.size()) {
      // Full: one more byte means too much; end of file means it fitted exactly.
      std::uint8_t probe = 0;
      count = ::read(fd, &probe, 1);
      ::explicit_bzero(&probe, sizeof(probe));
      if (count > 0) {
        return Fail(ErrorCode::kTooLarge, "wrote more than " + std::to_string(output.size()) +
                                              " bytes (killed)");
      }
    } else {
      count = ::read(fd, output.data() + filled, output.size() - filled);
    }
    if (count == 0) {
      return filled;
    }
    if (count < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        continue;
      }
      const int error = errno;
      return Fail(ErrorCode::kIo, std::string("cannot read output: ") + std::strerror(error));
    }
    filled += static_cast<std::size_t>(count);
  }
}

// Waits for `child` to end before the deadline. There is no waitpid with a timeout, so this
// polls, from 1 ms up to 32 ms between tries (a command has usually ended with its output).
Result<int> WaitForExit(Child& child, SteadyClock::time_point deadline,
                        const CommandOptions& options) {
  int pause_ms = 1;
  for (;;) {
    auto status = child.TryReap();
    if (!status) {
      return tl::unexpected(status.error());
    }
    if (status->has_value()) {
      return **status;
    }
    const int wait_ms = RemainingMs(deadline);
    if (wait_ms == 0) {
      return TimedOut(options);  // ~Child kills and reaps
    }
    ::poll(nullptr, 0, std::min(wait_ms, pause_ms));
    pause_ms = std::min(pause_ms * 2, 32);
  }
}

}  // namespace

Result<CommandExit> RunCommand(const std::vector<std::string>& argv, const CommandOptions& options,
                               std::span<std::uint8_t> output) {
  if (argv.empty() || argv.front().empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no command to run");
  }
  const auto deadline = SteadyClock::now() + options.timeout;
  Pipe output_pipe;
  if (!options.discard_stdout) {
    auto made = MakePipe();
    if (!made) {
      return tl::unexpected(made.error());
    }
    output_pipe = std::move(*made);
  }
  auto pid = Spawn(argv, options, output_pipe.write_end.get());
  if (!pid) {
    return tl::unexpected(pid.error());
  }
  Child child(*pid);
  output_pipe.write_end.Reset();  // the child holds the only write end: its exit means end of file

  CommandExit result;
  if (!options.discard_stdout) {
    auto size = ReadOutput(output_pipe.read_end.get(), deadline, options, output);
    if (!size) {
      return tl::unexpected(size.error());  // ~Child kills and reaps
    }
    result.output_size = *size;
  }
  auto status = WaitForExit(child, deadline, options);
  if (!status) {
    return tl::unexpected(status.error());
  }
  if (WIFSIGNALED(*status)) {
    result.signal = WTERMSIG(*status);
  } else {
    result.exit_status = WEXITSTATUS(*status);
  }
  return result;
}

std::string DescribeExit(const CommandExit& exit) {
  if (exit.signal != 0) {
    const char* name = nullptr;
#if defined(__GLIBC__)
#if __GLIBC_PREREQ(2, 32)
    name = ::sigabbrev_np(exit.signal);  // thread-safe, unlike strsignal
#endif
#endif
    return "was killed by signal " + std::to_string(exit.signal) +
           (name != nullptr ? " (SIG" + std::string(name) + ")" : std::string());
  }
  return "exited with status " + std::to_string(exit.exit_status);
}

}  // namespace writ::keys
