// writ::SecretBytes: key material that is locked in memory, wiped on release and never printed.
#ifndef WRIT_SECRET_BYTES_H_
#define WRIT_SECRET_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace writ {

// Bytes held in libsodium's guarded, locked allocation (sodium_malloc) and wiped on
// destruction. Comparison is constant-time. There is no operator<<; raw access goes
// through the grep-able expose_secret().
class SecretBytes {
 public:
  SecretBytes() = default;
  // Copies `bytes` into secure memory. Aborts only if secure memory cannot be had at all.
  explicit SecretBytes(std::span<const std::uint8_t> bytes);
  static SecretBytes FromString(std::string_view text);
  // `size` bytes from the CSPRNG.
  static SecretBytes Random(std::size_t size);

  SecretBytes(const SecretBytes& other);
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const std::uint8_t> expose_secret() const { return {data_, size_}; }

  // Constant-time in the contents (sizes are not secret).
  friend bool operator==(const SecretBytes& a, const SecretBytes& b);

 private:
  void Release();
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace writ

#endif  // WRIT_SECRET_BYTES_H_
