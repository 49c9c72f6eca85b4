#include "writ/verifier.h"

#include <array>

#include "core/base64url.h"
#include "core/claims_document.h"
#include "core/compact_jws.h"
#include "core/jose_header.h"
#include "core/key_material.h"

namespace writ {
namespace {

// The longest signature writ produces or accepts: RSA with an 8192-bit modulus.
constexpr std::size_t kMaxSignatureBytes = 1024;

}  // namespace

Result<Verifier> Verifier::Create(KeySet keys) {
  if (keys.size() == 0) {
    return Fail(ErrorCode::kInvalidArgument, "a verifier needs at least one key");
  }
  return Verifier(std::move(keys));
}

Result<VerifiedJwt> Verifier::Verify(std::string_view token, const Validator& validator) const {
  auto parts = internal::SplitCompact(token);
  if (!parts) {
    return tl::unexpected(parts.error());
  }
  auto header = internal::ParseJoseHeader(parts->header);
  if (!header) {
    return tl::unexpected(header.error());
  }
  const internal::JoseHeader& jose = **header;
  auto key = keys_.Select(jose.kid, jose.alg);
  if (!key) {
    return tl::unexpected(key.error());
  }
  if (parts->signature.size() > (kMaxSignatureBytes / 3 + 1) * 4) {
    return Fail(ErrorCode::kBadSignature, "signature longer than any key produces");
  }
  std::array<std::uint8_t, kMaxSignatureBytes + 3> signature;
  const auto signature_size = internal::Base64UrlDecodeInto(parts->signature, signature.data());
  if (!signature_size) {
    return Fail(ErrorCode::kMalformed, "signature is not canonical base64url");
  }
  // RFC 7515 §5.2 step 8, RFC 8725 §3.1: the signature over the exact bytes received,
  // with the key's own algorithm, before anything in the payload is looked at.
  if (!(*key)->material().Verify(parts->signing_input,
                                 std::span<const std::uint8_t>(signature.data(), *signature_size))) {
    return Fail(ErrorCode::kBadSignature, "signature does not verify");
  }
  auto claims = internal::ClaimsDocument::Parse(parts->payload);
  if (!claims) {
    return tl::unexpected(claims.error());
  }
  VerifiedJwt verified(jose.alg, (*key)->kid(), jose.typ, std::move(*claims));
  if (auto status = validator.Validate(verified); !status) {
    return tl::unexpected(status.error());
  }
  return verified;
}

}  // namespace writ
