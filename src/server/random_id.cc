#include "server/random_id.h"

#include <vector>

#include <sodium.h>

#include "core/base64url.h"
#include "core/sodium_init.h"

namespace writ::server {

std::string RandomId(std::size_t bytes) {
  internal::EnsureSodium();
  std::vector<std::uint8_t> buffer(bytes);
  randombytes_buf(buffer.data(), buffer.size());
  std::string id = internal::Base64UrlEncode(std::span<const std::uint8_t>(buffer));
  sodium_memzero(buffer.data(), buffer.size());
  return id;
}

}  // namespace writ::server
