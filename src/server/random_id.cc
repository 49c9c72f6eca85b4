#include "server/random_id.h"

#include <array>
#include <cstdint>
#include <span>
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

std::string RequestId() {
  constexpr std::size_t kIdBytes = 12;
  constexpr std::size_t kBufferBytes = 4096 / kIdBytes * kIdBytes;
  thread_local std::array<std::uint8_t, kBufferBytes> buffer;
  thread_local std::size_t used = kBufferBytes;
  if (used == kBufferBytes) {
    internal::EnsureSodium();
    randombytes_buf(buffer.data(), buffer.size());
    used = 0;
  }
  const std::span<const std::uint8_t> id(buffer.data() + used, kIdBytes);
  used += kIdBytes;
  return internal::Base64UrlEncode(id);
}

}  // namespace writ::server
