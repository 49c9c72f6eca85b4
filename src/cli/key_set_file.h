// Signing key set files on disk (keys/signing_key_set.h), for `writ keys init|list|rotate|
// retire`: created 0600 and never overwritten by init, replaced atomically by the others
// under an exclusive lock, so that a server reloading at any moment reads either the old
// or the new set and two `writ keys` runs never interleave.
#ifndef WRIT_CLI_KEY_SET_FILE_H_
#define WRIT_CLI_KEY_SET_FILE_H_

#include <string>

#include "keys/signing_key_set.h"
#include "writ/result.h"

namespace writ::cli {

// An exclusive flock(2) on the key set file, held until destruction. Writers replace the
// file by rename, so the lock is taken on the file the path names once locked: a lock on a
// file that was replaced while it was being taken is dropped and taken again.
class KeySetFileLock {
 public:
  // kIo when the file cannot be opened or another process holds the lock (no waiting: a
  // timer-driven rotation fails and is retried rather than hanging).
  [[nodiscard]] static Result<KeySetFileLock> Acquire(const std::string& path);

  KeySetFileLock(KeySetFileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  KeySetFileLock& operator=(KeySetFileLock&&) = delete;
  KeySetFileLock(const KeySetFileLock&) = delete;
  KeySetFileLock& operator=(const KeySetFileLock&) = delete;
  ~KeySetFileLock();

 private:
  explicit KeySetFileLock(int fd) : fd_(fd) {}
  int fd_;
};

// The set in the file at `path`, read into secure memory (at most keys::kMaxSecretBytes).
// Errors name the path, never key material.
[[nodiscard]] Result<keys::SigningKeySet> ReadKeySetFile(const std::string& path);

// Writes `set` to the new file `path`: mode 0600, O_CREAT|O_EXCL|O_NOFOLLOW (kIo when the
// path exists, even as a dangling symlink), fsync of the file and its directory.
[[nodiscard]] Status CreateKeySetFile(const std::string& path, const keys::SigningKeySet& set);

// Replaces the file at `path` with `set`: a new 0600 file in the same directory is
// written and fsynced, renamed over `path` (atomic, rename(2)), and the directory is
// fsynced. On failure before the rename, `path` is unchanged and the new file removed.
[[nodiscard]] Status ReplaceKeySetFile(const std::string& path, const keys::SigningKeySet& set);

}  // namespace writ::cli

#endif  // WRIT_CLI_KEY_SET_FILE_H_
