#include "writ/signer.h"

#include "core/base64url.h"
#include "core/json_writer.h"
#include "core/key_material.h"
#include "writ/verifier.h"

namespace writ {

Result<Signer> Signer::Create(Key key) {
  if (!key.can_sign()) {
    return Fail(ErrorCode::kInvalidKey, "a public key cannot sign");
  }
  return Signer(std::move(key));
}

Result<std::string> Signer::Sign(const ClaimsBuilder& claims, const SignOptions& options) const {
  // RFC 8725 §3.10 / writ policy: tokens expire unless the caller says otherwise.
  if (!claims.Has("exp") && !options.allow_missing_expiration) {
    return Fail(ErrorCode::kMissingClaim, "refusing to sign a token without exp");
  }
  std::string header = "{";
  internal::AppendStringMember(header, "alg", AlgName(key_.alg()));
  if (!options.type.empty()) {
    internal::AppendStringMember(header, "typ", options.type);
  }
  internal::AppendStringMember(header, "kid", key_.kid());
  header += '}';
  const std::string payload = claims.Build();

  std::string token;
  internal::Base64UrlEncodeAppend(header, token);
  token += '.';
  internal::Base64UrlEncodeAppend(payload, token);
  auto signature = key_.material().Sign(token);
  if (!signature) {
    return tl::unexpected(signature.error());
  }
  token += '.';
  internal::Base64UrlEncodeAppend(*signature, token);
  if (token.size() > kMaxTokenBytes) {
    return Fail(ErrorCode::kTooLarge, "token would be longer than " + std::to_string(kMaxTokenBytes) +
                                          " bytes, which no writ verifier accepts");
  }
  return token;
}

}  // namespace writ
