// Random identifiers for sessions, token ids and refresh tokens (libsodium's CSPRNG).
#ifndef WRIT_SERVER_RANDOM_ID_H_
#define WRIT_SERVER_RANDOM_ID_H_

#include <cstddef>
#include <string>

namespace writ::server {

// `bytes` random bytes, base64url without padding (16 bytes → 22 characters). For secrets
// and identifiers that must not be guessed: session ids, refresh tokens, token ids.
std::string RandomId(std::size_t bytes);

// 12 random bytes, base64url (16 characters): the id of one request (X-Request-Id, audit
// lines). Unique and unguessable but not a secret: drawn from a per-thread buffer that
// libsodium's CSPRNG refills every 4 KiB, so that a request does not cost a getrandom()
// system call.
std::string RequestId();

}  // namespace writ::server

#endif  // WRIT_SERVER_RANDOM_ID_H_
