// The primitives PASERK k3/k4 compose (BLAKE2b, XChaCha20, SHA-384, HMAC-SHA384,
// AES-256-CTR), over byte strings given in parts, and a stack buffer wiped on scope exit.
#ifndef WRIT_CORE_PASERK_PASERK_CRYPTO_H_
#define WRIT_CORE_PASERK_PASERK_CRYPTO_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace writ::internal {

// Fixed-size scratch space for key material; wiped when it goes out of scope.
template <std::size_t kSize>
struct WipedBuffer {
  static constexpr std::size_t size() { return kSize; }
  std::uint8_t bytes[kSize];
  std::span<std::uint8_t, kSize> span() { return std::span<std::uint8_t, kSize>(bytes, kSize); }
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes), kSize}; }
  WipedBuffer() = default;
  WipedBuffer(const WipedBuffer&) = delete;
  WipedBuffer& operator=(const WipedBuffer&) = delete;
  ~WipedBuffer();
};

// Overwrites `size` bytes at `data` in a way the compiler cannot elide.
void Wipe(void* data, std::size_t size);

template <std::size_t kSize>
WipedBuffer<kSize>::~WipedBuffer() {
  Wipe(bytes, kSize);
}

// Views bytes as text and back, for concatenating parts.
inline std::string_view AsText(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}
inline const std::uint8_t* BytePointer(std::string_view text) {
  return reinterpret_cast<const std::uint8_t*>(text.data());
}

// BLAKE2b (libsodium crypto_generichash) of the concatenated `parts`, `out.size()` bytes
// (16..64), keyed with `key` unless it is empty.
void Blake2b(std::span<std::uint8_t> out, std::string_view key, std::initializer_list<std::string_view> parts);

// XChaCha20 keystream XOR (libsodium): `out` and `in` have the same size.
void XChaCha20Xor(std::uint8_t* out, std::string_view in, std::string_view key32, std::string_view nonce24);

// SHA-384 of the concatenated parts into 48 bytes. False only if OpenSSL fails.
[[nodiscard]] bool Sha384(std::span<std::uint8_t, 48> out, std::initializer_list<std::string_view> parts);

// HMAC-SHA384 keyed with `key` over the concatenated parts, into 48 bytes.
[[nodiscard]] bool HmacSha384(std::span<std::uint8_t, 48> out, std::string_view key,
                              std::initializer_list<std::string_view> parts);

// AES-256-CTR with a 16-byte initial counter block: `out` gets in.size() bytes.
[[nodiscard]] bool Aes256Ctr(std::uint8_t* out, std::string_view in, std::string_view key32,
                             std::string_view counter16);

// Constant-time equality of two equally long byte strings (false if the sizes differ).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// Big-endian fixed-width integers, as PBKW encodes its cost parameters.
void AppendBigEndian(std::string& out, std::uint64_t value, std::size_t width);
std::uint64_t ReadBigEndian(std::string_view bytes);

}  // namespace writ::internal

#endif  // WRIT_CORE_PASERK_PASERK_CRYPTO_H_
