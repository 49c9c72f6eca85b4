#include "writ/secret_bytes.h"

#include <cstdlib>
#include <cstring>

#include <sodium.h>

#include "core/sodium_init.h"

namespace writ {
namespace internal {

void EnsureSodium() {
  static const bool kReady = sodium_init() >= 0;  // idempotent and thread-safe
  if (!kReady) {
    std::abort();
  }
}

}  // namespace internal

namespace {

std::uint8_t* SecureAlloc(std::size_t size) {
  internal::EnsureSodium();
  // sodium_malloc(0) is valid but pointless; keep one byte so data_ is never null when size_ > 0.
  void* memory = sodium_malloc(size == 0 ? 1 : size);
  if (memory == nullptr) {
    std::abort();  // out of locked memory: nothing safe to do with a secret
  }
  return static_cast<std::uint8_t*>(memory);
}

}  // namespace

SecretBytes::SecretBytes(std::span<const std::uint8_t> bytes) : size_(bytes.size()) {
  if (size_ > 0) {
    data_ = SecureAlloc(size_);
    std::memcpy(data_, bytes.data(), size_);
  }
}

SecretBytes SecretBytes::FromString(std::string_view text) {
  return SecretBytes(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

SecretBytes SecretBytes::Random(std::size_t size) {
  SecretBytes secret;
  if (size > 0) {
    secret.data_ = SecureAlloc(size);
    secret.size_ = size;
    randombytes_buf(secret.data_, size);
  }
  return secret;
}

SecretBytes::SecretBytes(const SecretBytes& other) : SecretBytes(other.expose_secret()) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    SecretBytes copy(other);
    *this = std::move(copy);
  }
  return *this;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

SecretBytes::~SecretBytes() { Release(); }

void SecretBytes::Release() {
  if (data_ != nullptr) {
    sodium_free(data_);  // wipes before unmapping
    data_ = nullptr;
    size_ = 0;
  }
}

bool operator==(const SecretBytes& a, const SecretBytes& b) {
  if (a.size_ != b.size_) {
    return false;
  }
  return a.size_ == 0 || sodium_memcmp(a.data_, b.data_, a.size_) == 0;
}

}  // namespace writ
