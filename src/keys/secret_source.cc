#include "keys/secret_source.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>

#include "core/printable.h"
#include "core/sodium_init.h"

namespace writ::keys {
namespace {

constexpr std::string_view kEnvPrefix = "env:";
constexpr std::string_view kFilePrefix = "file:";

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

// The contents of the file at `path`, reading at most kMaxSecretBytes + 1 bytes so that an
// oversized (or endless, like /dev/zero) file is refused without being read whole.
Result<SecretBytes> ReadSecretFile(const std::string& path, std::string_view source) {
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

Result<SecretBytes> ResolveEnvironment(std::string_view reference) {
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
    return ReadSecretFile(path, "env:" + file_variable + " (file:" + path + ")");
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
  return value.starts_with(kEnvPrefix) || value.starts_with(kFilePrefix);
}

Result<SecretBytes> ResolveSecret(std::string_view reference) {
  if (reference.starts_with(kEnvPrefix)) {
    return ResolveEnvironment(reference);
  }
  if (reference.starts_with(kFilePrefix)) {
    const std::string path(reference.substr(kFilePrefix.size()));
    if (path.empty() || path.find('\0') != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "secret source file: needs a path (file:PATH)");
    }
    return ReadSecretFile(path, reference);
  }
  if (reference.starts_with("exec:")) {
    return Fail(ErrorCode::kInvalidArgument,
                "exec: secret sources are not supported yet; use env:NAME or file:PATH");
  }
  // Never echo `reference` here: it may well be the secret itself.
  return Fail(ErrorCode::kInvalidArgument,
              "a secret must be given by its source, env:NAME or file:PATH, never written "
              "literally in the configuration");
}

}  // namespace writ::keys
