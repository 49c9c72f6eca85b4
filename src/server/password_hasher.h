// writ::server::PasswordHasher: Argon2id password hashes through libsodium's
// crypto_pwhash_str / _str_verify / _str_needs_rehash, the whole password API.
#ifndef WRIT_SERVER_PASSWORD_HASHER_H_
#define WRIT_SERVER_PASSWORD_HASHER_H_

#include <string>
#include <string_view>

#include "server/server_config.h"
#include "writ/result.h"

namespace writ::server {

enum class PasswordCheck { kMatch, kMismatch };

// Immutable; thread-safe. Each call costs one Argon2id evaluation (about memlimit of RAM
// and tens of milliseconds): call it off the I/O threads.
class PasswordHasher {
 public:
  // kInvalidArgument when the policy is under the floor (19 MiB, t=2) or over libsodium's
  // limits. Computes a dummy hash with the same parameters (see VerifyAgainstDummy).
  [[nodiscard]] static Result<PasswordHasher> Create(const PasswordPolicy& policy);

  // The crypto_pwhash_str string ("$argon2id$v=19$m=...").
  [[nodiscard]] Result<std::string> Hash(std::string_view password) const;
  // Constant-time in the password; kMismatch also for a malformed stored hash.
  [[nodiscard]] PasswordCheck Verify(std::string_view password, const std::string& stored_hash) const;
  // Costs what Verify costs, always kMismatch: used when the user does not exist so that
  // "unknown user" and "wrong password" take the same time.
  void VerifyAgainstDummy(std::string_view password) const;
  // True when `stored_hash` was made with other parameters (rehash after a good login).
  bool NeedsRehash(const std::string& stored_hash) const;

  const PasswordPolicy& policy() const { return policy_; }

 private:
  PasswordHasher(PasswordPolicy policy, std::string dummy_hash)
      : policy_(policy), dummy_hash_(std::move(dummy_hash)) {}
  PasswordPolicy policy_;
  std::string dummy_hash_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_PASSWORD_HASHER_H_
