// Argon2id password hashes (RFC 9106) through libsodium's string API. The stored string
// carries the algorithm, version, parameters and salt ("$argon2id$v=19$m=...,t=...,p=1$...").
#include "server/password_hasher.h"

#include <sodium.h>

#include <array>
#include <utility>

#include "core/sodium_init.h"

namespace writ::server {
namespace {

// OWASP Password Storage Cheat Sheet's minimum Argon2id setting: 19 MiB, 2 passes, p=1.
constexpr std::uint64_t kMinOpslimit = 2;
constexpr std::size_t kMinMemlimitBytes = 19 * 1024 * 1024;
constexpr std::size_t kDummyPasswordBytes = 32;

Status CheckPolicy(const PasswordPolicy& policy) {
  if (policy.opslimit < kMinOpslimit || policy.memlimit_bytes < kMinMemlimitBytes) {
    return Fail(ErrorCode::kInvalidArgument, "Argon2id parameters under the floor (19 MiB, t=2)");
  }
  if (policy.opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      policy.memlimit_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return Fail(ErrorCode::kInvalidArgument, "Argon2id parameters over libsodium's limits");
  }
  return {};
}

// crypto_pwhash_str_* read the stored hash as a C string of at most crypto_pwhash_STRBYTES
// bytes including the terminator; anything else cannot be one of ours.
bool IsPlausibleStoredHash(const std::string& stored_hash) {
  return !stored_hash.empty() && stored_hash.size() < crypto_pwhash_STRBYTES &&
         stored_hash.find('\0') == std::string::npos;
}

Result<std::string> HashWith(std::string_view password, const PasswordPolicy& policy) {
  if (password.size() > crypto_pwhash_argon2id_PASSWD_MAX) {
    return Fail(ErrorCode::kInvalidArgument, "password longer than Argon2id accepts");
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  // The password is bytes: its length comes from the view, so NUL bytes are hashed too.
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), policy.opslimit,
                            policy.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(ErrorCode::kCrypto, "Argon2id failed (out of memory?)");
  }
  return std::string(out.data());
}

}  // namespace

Result<PasswordHasher> PasswordHasher::Create(const PasswordPolicy& policy) {
  if (auto usable = CheckPolicy(policy); !usable) {
    return tl::unexpected(usable.error());
  }
  internal::EnsureSodium();
  // The dummy hash is of a random password nobody knows, so VerifyAgainstDummy never matches.
  std::array<char, kDummyPasswordBytes> dummy_password{};
  randombytes_buf(dummy_password.data(), dummy_password.size());
  auto dummy_hash = HashWith(std::string_view(dummy_password.data(), dummy_password.size()), policy);
  sodium_memzero(dummy_password.data(), dummy_password.size());
  if (!dummy_hash) {
    return tl::unexpected(dummy_hash.error());
  }
  return PasswordHasher(policy, std::move(*dummy_hash));
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  return HashWith(password, policy_);
}

PasswordCheck PasswordHasher::Verify(std::string_view password, const std::string& stored_hash) const {
  if (!IsPlausibleStoredHash(stored_hash)) {
    return PasswordCheck::kMismatch;
  }
  // libsodium compares the recomputed tag in constant time and returns -1 for a wrong
  // password, a malformed string or a failed allocation alike.
  if (crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0) {
    return PasswordCheck::kMatch;
  }
  return PasswordCheck::kMismatch;
}

void PasswordHasher::VerifyAgainstDummy(std::string_view password) const {
  // The result is meaningless by construction; only the time spent matters.
  [[maybe_unused]] const int ignored =
      crypto_pwhash_str_verify(dummy_hash_.c_str(), password.data(), password.size());
}

bool PasswordHasher::NeedsRehash(const std::string& stored_hash) const {
  if (!IsPlausibleStoredHash(stored_hash)) {
    return true;
  }
  // 0: made with exactly these parameters; 1: other parameters or Argon2i; -1: malformed.
  return crypto_pwhash_str_needs_rehash(stored_hash.c_str(), policy_.opslimit, policy_.memlimit_bytes) != 0;
}

}  // namespace writ::server
