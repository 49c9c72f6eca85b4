#include "key_set_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <span>
#include <string_view>

#include "cli_io.h"
#include "keys/secret_source.h"

namespace writ::cli {
namespace {

// Replacements seen while locking before giving up (each means another writer finished).
constexpr int kLockAttempts = 8;

Error IoError(const std::string& what, int error_number) {
  return Error{ErrorCode::kIo, what + ": " + std::strerror(error_number)};
}

std::string_view AsText(const SecretBytes& bytes) {
  const std::span<const std::uint8_t> span = bytes.expose_secret();
  return {reinterpret_cast<const char*>(span.data()), span.size()};
}

std::string DirectoryOf(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// fsync(2) of `directory`, so that a rename or creation in it survives a crash.
Status SyncDirectory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return tl::unexpected(IoError("cannot open directory " + directory, errno));
  }
  const bool synced = ::fsync(fd) == 0;
  const int error_number = errno;
  ::close(fd);
  if (!synced) {
    return tl::unexpected(IoError("cannot sync directory " + directory, error_number));
  }
  return {};
}

// Writes all of `text` to `fd`, sets mode 0600 exactly (the umask can only have removed
// bits) and fsyncs. errno describes a failure.
bool WriteAndSync(int fd, std::string_view text) {
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
    return false;
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t put = ::write(fd, text.data() + written, text.size() - written);
    if (put < 0 && errno == EINTR) {
      continue;
    }
    if (put <= 0) {
      return false;
    }
    written += static_cast<std::size_t>(put);
  }
  return ::fsync(fd) == 0;
}

}  // namespace

Result<KeySetFileLock> KeySetFileLock::Acquire(const std::string& path) {
  for (int attempt = 0; attempt < kLockAttempts; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      return tl::unexpected(IoError("cannot open " + path, errno));
    }
    KeySetFileLock lock(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EWOULDBLOCK) {
        return Fail(ErrorCode::kIo,
                    path + " is locked by another `writ keys` command; try again when it is done");
      }
      return tl::unexpected(IoError("cannot lock " + path, errno));
    }
    struct stat held {};
    struct stat named {};
    if (::fstat(fd, &held) != 0 || ::stat(path.c_str(), &named) != 0) {
      return tl::unexpected(IoError("cannot stat " + path, errno));
    }
    if (held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
      return lock;
    }
    // Replaced between open and flock: the lock is on the old file. Lock the new one.
  }
  return Fail(ErrorCode::kIo, path + " keeps being replaced; is another writer running?");
}

KeySetFileLock::~KeySetFileLock() {
  if (fd_ >= 0) {
    ::close(fd_);  // releases the flock
  }
}

Result<keys::SigningKeySet> ReadKeySetFile(const std::string& path) {
  // The file: source reads straight into guarded memory and caps the size.
  Result<SecretBytes> document = keys::ResolveSecret("file:" + path);
  if (!document) {
    return tl::unexpected(document.error());
  }
  Result<keys::SigningKeySet> set = keys::SigningKeySet::Parse(*document);
  if (!set) {
    return Fail(set.error().code, path + ": " + set.error().detail);
  }
  return set;
}

Status CreateKeySetFile(const std::string& path, const keys::SigningKeySet& set) {
  Result<SecretBytes> document = set.Serialize();
  if (!document) {
    return tl::unexpected(document.error());
  }
  if (Status written = WritePrivateFile(path, AsText(*document)); !written) {
    return written;
  }
  return SyncDirectory(DirectoryOf(path));
}

Status ReplaceKeySetFile(const std::string& path, const keys::SigningKeySet& set) {
  Result<SecretBytes> document = set.Serialize();
  if (!document) {
    return tl::unexpected(document.error());
  }
  const std::string directory = DirectoryOf(path);
  std::string temporary = directory + "/." +
                          std::filesystem::path(path).filename().string() + ".writ-XXXXXX";
  // mkostemp: O_CREAT|O_EXCL with a fresh name, mode 0600.
  const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (fd < 0) {
    return tl::unexpected(IoError("cannot create a temporary file in " + directory, errno));
  }
  bool ok = WriteAndSync(fd, AsText(*document));
  int error_number = errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error_number = errno;
  }
  if (ok && ::rename(temporary.c_str(), path.c_str()) != 0) {
    ok = false;
    error_number = errno;
  }
  if (!ok) {
    ::unlink(temporary.c_str());
    return tl::unexpected(IoError("cannot replace " + path, error_number));
  }
  return SyncDirectory(directory);
}

}  // namespace writ::cli
