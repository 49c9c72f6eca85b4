// Random identifiers for sessions, token ids and refresh tokens (libsodium's CSPRNG).
#ifndef WRIT_SERVER_RANDOM_ID_H_
#define WRIT_SERVER_RANDOM_ID_H_

#include <cstddef>
#include <string>

namespace writ::server {

// `bytes` random bytes, base64url without padding (16 bytes → 22 characters).
std::string RandomId(std::size_t bytes);

}  // namespace writ::server

#endif  // WRIT_SERVER_RANDOM_ID_H_
