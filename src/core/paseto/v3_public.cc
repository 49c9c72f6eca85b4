// v3.public: ECDSA P-384 with SHA-384 over PAE(pk, h, m, f, i), the compressed public key
// bound into the signed input (PASETO spec, Version 3, "v3.public"), and the v3 key types.
#include "core/ecdsa.h"
#include "core/paseto/p384_key.h"
#include "core/paseto/pae.h"
#include "core/paseto/token_format.h"
#include "writ/paseto.h"

namespace writ {
namespace {

constexpr std::string_view kHeader = "v3.public.";
constexpr std::size_t kSignatureSize = 2 * internal::P384Key::kCoordinateBytes;

}  // namespace

Result<V3PublicKey> V3PublicKey::FromBytes(std::span<const std::uint8_t> compressed) {
  auto key = internal::P384Key::FromCompressed(compressed);
  if (!key) {
    return tl::unexpected(key.error());
  }
  return V3PublicKey(std::move(*key));
}

const std::string& V3PublicKey::bytes() const { return key_->compressed(); }

Result<V3SecretKey> V3SecretKey::Generate() {
  auto key = internal::P384Key::Generate();
  if (!key) {
    return tl::unexpected(key.error());
  }
  return V3SecretKey(std::move(*key));
}

Result<V3SecretKey> V3SecretKey::FromBytes(std::span<const std::uint8_t> scalar) {
  auto key = internal::P384Key::FromScalar(scalar);
  if (!key) {
    return tl::unexpected(key.error());
  }
  return V3SecretKey(std::move(*key));
}

SecretBytes V3SecretKey::secret() const { return key_->scalar(); }

namespace paseto {

Result<std::string> Sign(const V3SecretKey& key, std::string_view payload, std::string_view footer,
                         std::string_view implicit) {
  if (footer.size() > kMaxPasetoFooterBytes) {
    return Fail(ErrorCode::kTooLarge, "footer longer than " + std::to_string(kMaxPasetoFooterBytes) + " bytes");
  }
  const internal::P384Key& p384 = key.key();
  const std::string pre_auth = internal::Pae({p384.compressed(), kHeader, payload, footer, implicit});
  auto signature = internal::EcdsaSignRaw(p384.pkey(), EVP_sha384(), internal::P384Key::kCoordinateBytes, pre_auth);
  if (!signature) {
    return tl::unexpected(signature.error());
  }
  return internal::JoinPaseto(kHeader, std::string(payload) + *signature, footer);
}

Result<PasetoMessage> Verify(const V3PublicKey& key, std::string_view token, std::string_view implicit) {
  auto parts = internal::SplitPaseto(token, kHeader, kSignatureSize);
  if (!parts) {
    return tl::unexpected(parts.error());
  }
  const std::string_view body = parts->body;
  const std::string_view payload = body.substr(0, body.size() - kSignatureSize);
  const std::string_view signature = body.substr(body.size() - kSignatureSize);
  const internal::P384Key& p384 = key.key();
  const std::string pre_auth = internal::Pae({p384.compressed(), kHeader, payload, parts->footer, implicit});
  if (!internal::EcdsaVerifyRaw(p384.pkey(), EVP_sha384(), p384.order(), internal::P384Key::kCoordinateBytes,
                                pre_auth,
                                std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(signature.data()),
                                                              signature.size()))) {
    return Fail(ErrorCode::kBadSignature, "signature does not verify");
  }
  return PasetoMessage{std::string(payload), std::move(parts->footer)};
}

}  // namespace paseto
}  // namespace writ
