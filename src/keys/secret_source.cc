#include "keys/secret_source.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <string>

#include "core/printable.h"
#include "core/sodium_init.h"
#include "keys/command_runner.h"

namespace writ::keys {
namespace {

constexpr std::string_view kEnvPrefix = "env:";
constexpr std::string_view kFilePrefix = "file:";
constexpr std::string_view kExecPrefix = "exec:";

// The git probe of a secret file is an internal check: short, and silent on failure.
constexpr std::chrono::milliseconds kGitTimeout{2'000};

// A buffer in libsodium's guarded memory, wiped and freed on destruction, so that a secret
// read in pieces never lingers in ordinary heap memory.
class GuardedBuffer {
 public:
  explicit GuardedBuffer(std::size_t capacity) : capacity_(capacity) {
    internal::EnsureSodium();
    data_ = static_cast<std::uint8_t*>(sodium_malloc(capacity));
    if (data_ == nullptr) {
      std::abort();  // as SecretBytes: no secure memory at all is not recoverable
    }
  }
  GuardedBuffer(const GuardedBuffer&) = delete;
  GuardedBuffer& operator=(const GuardedBuffer&) = delete;
  ~GuardedBuffer() { sodium_free(data_); }  // sodium_free wipes before releasing

  std::uint8_t* data() { return data_; }
  std::size_t capacity() const { return capacity_; }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t capacity_;
};

// Closes a file descriptor on every path out.
class FileCloser {
 public:
  explicit FileCloser(int fd) : fd_(fd) {}
  FileCloser(const FileCloser&) = delete;
  FileCloser& operator=(const FileCloser&) = delete;
  ~FileCloser() { ::close(fd_); }

 private:
  int fd_;
};

// `bytes` without one trailing "\n" or "\r\n" (editors and `echo` add one).
std::span<const std::uint8_t> WithoutTrailingNewline(std::span<const std::uint8_t> bytes) {
  if (!bytes.empty() && bytes.back() == '\n') {
    bytes = bytes.first(bytes.size() - 1);
    if (!bytes.empty() && bytes.back() == '\r') {
      bytes = bytes.first(bytes.size() - 1);
    }
  }
  return bytes;
}

Result<SecretBytes> TooLarge(std::string_view source) {
  return Fail(ErrorCode::kTooLarge, "secret source " + internal::Printable(source, 256) +
                                        " holds more than " + std::to_string(kMaxSecretBytes) +
                                        " bytes");
}

Result<SecretBytes> Empty(std::string_view source) {
  return Fail(ErrorCode::kIo, "secret source " + internal::Printable(source, 256) + " is empty");
}

// The top of the git work tree in which the file at `path` is tracked, nullopt when it is
// not (outside any work tree, untracked, or git missing or failing: no finding then). Runs
// `git ls-files --error-unmatch` with literal pathspecs, stdout and stderr discarded.
std::optional<std::string> TrackingRepository(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "."
                                : slash == 0               ? "/"
                                                           : path.substr(0, slash);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const CommandOptions probe{
      .timeout = kGitTimeout, .discard_stdout = true, .discard_stderr = true};
  auto tracked = RunCommand({"git", "--literal-pathspecs", "-C", directory, "ls-files",
                             "--error-unmatch", "--", name},
                            probe, {});
  if (!tracked || !tracked->Succeeded()) {
    return std::nullopt;
  }
  std::array<std::uint8_t, 4096> top{};
  const CommandOptions capture{.timeout = kGitTimeout, .discard_stderr = true};
  auto shown = RunCommand({"git", "-C", directory, "rev-parse", "--show-toplevel"}, capture, top);
  if (!shown || !shown->Succeeded()) {
    return directory;
  }
  auto line = WithoutTrailingNewline({top.data(), shown->output_size});
  return std::string(reinterpret_cast<const char*>(line.data()), line.size());
}

// What makes the secret file at `path` (with permission bits `mode`) unsafe: being readable
// beyond its owner, or being tracked by git (it is then in every clone and in history).
std::vector<std::string> UnsafeFileFindings(const std::string& path, mode_t mode) {
  std::vector<std::string> findings;
  const std::string shown = internal::Printable(path, 256);
  if ((mode & 077) != 0) {
    char octal[8];
    std::snprintf(octal, sizeof(octal), "%04o", static_cast<unsigned>(mode & 07777));
    findings.push_back("secret file " + shown + " is readable by group/others (mode " + octal +
                       "); chmod 600 " + shown);
  }
  if (auto repository = TrackingRepository(path)) {
    findings.push_back("secret file " + shown + " is tracked by git in " +
                       internal::Printable(*repository, 256) +
                       "; remove it from the repository (git rm --cached) and rotate the secret");
  }
  return findings;
}

// Judges the findings on a secret file by `policy`: an error when unsafe files are refused,
// warnings otherwise.
Status JudgeFindings(std::vector<std::string> findings, const SourcePolicy& policy,
                     std::vector<std::string>& warnings) {
  if (findings.empty()) {
    return {};
  }
  if (policy.refuse_unsafe_files) {
    std::string detail;
    for (const std::string& finding : findings) {
      detail += (detail.empty() ? "" : "; ") + finding;
    }
    return Fail(ErrorCode::kInvalidArgument, detail + " (refused in production)");
  }
  for (std::string& finding : findings) {
    warnings.push_back(std::move(finding));
  }
  return {};
}

// The contents of the file at `path`, reading at most kMaxSecretBytes + 1 bytes so that an
// oversized (or endless, like /dev/zero) file is refused without being read whole. A file
// read successfully is then judged (UnsafeFileFindings) on the mode of the descriptor it was
// read from, not on a second lookup of `path`.
Result<SecretBytes> ReadSecretFile(const std::string& path, std::string_view source,
                                   const SourcePolicy& policy,
                                   std::vector<std::string>& warnings) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int error = errno;
    return Fail(ErrorCode::kIo, "secret source " + internal::Printable(source, 256) +
                                    ": cannot open: " + std::strerror(error));
  }
  FileCloser closer(fd);
  GuardedBuffer buffer(kMaxSecretBytes + 1);
  std::size_t filled = 0;
  while (filled < buffer.capacity()) {
    const ssize_t count = ::read(fd, buffer.data() + filled, buffer.capacity() - filled);
    if (count < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int error = errno;
      return Fail(ErrorCode::kIo, "secret source " + internal::Printable(source, 256) +
                                      ": cannot read: " + std::strerror(error));
    }
    if (count == 0) {
      break;
    }
    filled += static_cast<std::size_t>(count);
  }
  if (filled > kMaxSecretBytes) {
    return TooLarge(source);
  }
  auto secret = WithoutTrailingNewline({buffer.data(), filled});
  if (secret.empty()) {
    return Empty(source);
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    const int error = errno;
    return Fail(ErrorCode::kIo, "secret source " + internal::Printable(source, 256) +
                                    ": cannot stat: " + std::strerror(error));
  }
  Status judged = JudgeFindings(UnsafeFileFindings(path, status.st_mode), policy, warnings);
  if (!judged) {
    return tl::unexpected(judged.error());
  }
  return SecretBytes(secret);
}

// The words of an exec: command line: split on spaces and tabs; a word opened by '"' runs to
// the next '"', which must end it. No escapes, no expansion, no shell.
Result<std::vector<std::string>> SplitCommandLine(std::string_view line,
                                                  std::string_view reference) {
  const auto refuse = [&](std::string_view why) {
    return Fail(ErrorCode::kInvalidArgument,
                "secret source " + internal::Printable(reference, 256) + ": " + std::string(why));
  };
  if (line.find('\0') != std::string_view::npos) {
    return refuse("the command contains a NUL byte");
  }
  const auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
  std::vector<std::string> words;
  std::size_t at = 0;
  while (at < line.size()) {
    if (is_blank(line[at])) {
      ++at;
      continue;
    }
    std::size_t end = 0;
    if (line[at] == '"') {
      const std::size_t close = line.find('"', at + 1);
      if (close == std::string_view::npos) {
        return refuse("unterminated double quote in the command");
      }
      words.emplace_back(line.substr(at + 1, close - at - 1));
      end = close + 1;
    } else {
      end = at;
      while (end < line.size() && !is_blank(line[end]) && line[end] != '"') {
        ++end;
      }
      words.emplace_back(line.substr(at, end - at));
    }
    if (end < line.size() && !is_blank(line[end])) {
      return refuse("a double quote must enclose a whole word of the command");
    }
    at = end;
  }
  if (words.empty() || words.front().empty()) {
    return refuse("needs a command (exec:COMMAND ARGS)");
  }
  return words;
}

// The standard output of the command `reference` names (see ResolveSecret).
Result<SecretBytes> ResolveCommand(std::string_view reference, const SourcePolicy& policy) {
  auto argv = SplitCommandLine(reference.substr(kExecPrefix.size()), reference);
  if (!argv) {
    return tl::unexpected(argv.error());
  }
  GuardedBuffer buffer(kMaxSecretBytes);
  const CommandOptions options{.timeout = policy.exec_timeout};
  auto exit = RunCommand(*argv, options, {buffer.data(), buffer.capacity()});
  if (!exit && exit.error().code == ErrorCode::kTooLarge) {
    return TooLarge(reference);
  }
  if (!exit) {
    return Fail(exit.error().code, "secret source " + internal::Printable(reference, 256) + ": " +
                                       exit.error().detail);
  }
  if (!exit->Succeeded()) {
    return Fail(ErrorCode::kIo, "secret source " + internal::Printable(reference, 256) +
                                    ": the command " + DescribeExit(*exit));
  }
  auto secret = WithoutTrailingNewline({buffer.data(), exit->output_size});
  if (secret.empty()) {
    return Empty(reference);
  }
  return SecretBytes(secret);
}

// Environment variable names as POSIX shells write them: letters, digits and '_', not
// starting with a digit. Anything else (an '=' or a NUL above all) cannot be looked up.
bool IsEnvironmentName(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

Result<SecretBytes> ResolveEnvironment(std::string_view reference, const SourcePolicy& policy,
                                       std::vector<std::string>& warnings) {
  const std::string name(reference.substr(kEnvPrefix.size()));
  if (!IsEnvironmentName(name)) {
    return Fail(ErrorCode::kInvalidArgument,
                "secret source " + internal::Printable(reference, 256) +
                    ": not a valid environment variable name (letters, digits and '_')");
  }
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    // The container convention (Docker/Kubernetes secrets): NAME_FILE names a file.
    const std::string file_variable = name + "_FILE";
    const char* path = std::getenv(file_variable.c_str());
    if (path == nullptr) {
      return Fail(ErrorCode::kIo, "secret source " + internal::Printable(reference, 256) +
                                      ": neither " + name + " nor " + file_variable + " is set");
    }
    return ReadSecretFile(path, "env:" + file_variable + " (file:" + path + ")", policy,
                          warnings);
  }
  const std::size_t length = std::strlen(value);
  if (length > kMaxSecretBytes) {
    return TooLarge(reference);
  }
  auto secret = WithoutTrailingNewline(
      {reinterpret_cast<const std::uint8_t*>(value), length});
  if (secret.empty()) {
    return Empty(reference);
  }
  return SecretBytes(secret);
}

}  // namespace

bool IsSecretSourceReference(std::string_view value) {
  return value.starts_with(kEnvPrefix) || value.starts_with(kFilePrefix) ||
         value.starts_with(kExecPrefix);
}

Result<SecretBytes> ResolveSecret(std::string_view reference, const SourcePolicy& policy,
                                  std::vector<std::string>& warnings) {
  if (reference.starts_with(kEnvPrefix)) {
    return ResolveEnvironment(reference, policy, warnings);
  }
  if (reference.starts_with(kFilePrefix)) {
    const std::string path(reference.substr(kFilePrefix.size()));
    if (path.empty() || path.find('\0') != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "secret source file: needs a path (file:PATH)");
    }
    return ReadSecretFile(path, reference, policy, warnings);
  }
  if (reference.starts_with(kExecPrefix)) {
    return ResolveCommand(reference, policy);
  }
  // Never echo `reference` here: it may well be the secret itself.
  return Fail(ErrorCode::kInvalidArgument,
              "a secret must be given by its source, env:NAME, file:PATH or exec:COMMAND ARGS, "
              "never written literally in the configuration");
}

Result<SecretBytes> ResolveSecret(std::string_view reference) {
  std::vector<std::string> dropped;
  return ResolveSecret(reference, SourcePolicy{}, dropped);
}

}  // namespace writ::keys
