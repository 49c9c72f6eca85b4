// internal::P384Key: the P-384 key behind V3PublicKey and V3SecretKey.
#ifndef WRIT_CORE_PASETO_P384_KEY_H_
#define WRIT_CORE_PASETO_P384_KEY_H_

#include <memory>
#include <span>
#include <string>

#include <openssl/ec.h>

#include "core/openssl_util.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::internal {

class P384Key {
 public:
  static constexpr std::size_t kCoordinateBytes = 48;

  static Result<std::shared_ptr<const P384Key>> Generate();
  // A compressed SEC 1 point (49 bytes).
  static Result<std::shared_ptr<const P384Key>> FromCompressed(std::span<const std::uint8_t> point);
  // A big-endian scalar (48 bytes) in [1, n-1].
  static Result<std::shared_ptr<const P384Key>> FromScalar(std::span<const std::uint8_t> scalar);

  EVP_PKEY* pkey() const { return pkey_.get(); }
  const std::string& compressed() const { return compressed_; }
  const BIGNUM* order() const;
  bool has_private() const { return has_private_; }
  SecretBytes scalar() const;

 private:
  P384Key(EvpPkeyPtr pkey, std::string compressed, bool has_private);
  static Result<std::shared_ptr<const P384Key>> FromPkey(EvpPkeyPtr pkey, bool has_private);

  EvpPkeyPtr pkey_;
  std::string compressed_;
  bool has_private_;
};

}  // namespace writ::internal

#endif  // WRIT_CORE_PASETO_P384_KEY_H_
