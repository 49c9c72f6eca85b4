#include "core/jwk.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "core/base64url.h"
#include "core/ec_key.h"
#include "core/ed25519_key.h"
#include "core/hmac_key.h"
#include "core/json_writer.h"
#include "core/printable.h"
#include "core/jwk_members.h"
#include "core/rsa_key.h"

namespace writ::internal {

JwkMembers::~JwkMembers() {
  for (auto& [name, value] : members_) {
    OPENSSL_cleanse(value.data(), value.size());
  }
}

void JwkMembers::Add(std::string name, std::string value) {
  members_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> JwkMembers::Get(std::string_view name) const {
  for (const auto& [candidate, value] : members_) {
    if (candidate == name) {
      return value;
    }
  }
  return std::nullopt;
}

Result<std::string> JwkMembers::Decoded(std::string_view name) const {
  const auto text = Get(name);
  if (!text) {
    return Fail(ErrorCode::kMalformed, "JWK member " + std::string(name) + " is missing");
  }
  auto bytes = Base64UrlDecode(*text);
  if (!bytes) {
    return Fail(ErrorCode::kMalformed, "JWK member " + std::string(name) + " is not base64url");
  }
  return std::move(*bytes);
}

namespace {

// RFC 7517 §4.2/§4.3: the key must be meant for signatures.
Status CheckIntendedUse(simdjson::dom::object jwk) {
  std::string_view use;
  if (auto code = jwk["use"].get(use); code == simdjson::SUCCESS) {
    if (use != "sig") {
      return Fail(ErrorCode::kInvalidKey, "JWK use is \"" + Printable(use) + "\", not \"sig\"");
    }
  } else if (code != simdjson::NO_SUCH_FIELD) {
    return Fail(ErrorCode::kMalformed, "JWK use is not a string");
  }
  simdjson::dom::array ops;
  if (auto code = jwk["key_ops"].get(ops); code == simdjson::SUCCESS) {
    bool signs_or_verifies = false;
    for (auto op : ops) {
      std::string_view name;
      if (op.get(name) != simdjson::SUCCESS) {
        return Fail(ErrorCode::kMalformed, "JWK key_ops holds a non-string");
      }
      signs_or_verifies = signs_or_verifies || name == "sign" || name == "verify";
    }
    if (!signs_or_verifies) {
      return Fail(ErrorCode::kInvalidKey, "JWK key_ops allow neither sign nor verify");
    }
  } else if (code != simdjson::NO_SUCH_FIELD) {
    return Fail(ErrorCode::kMalformed, "JWK key_ops is not an array");
  }
  return {};
}

// RFC 8725 §3.1: each key is used with exactly one algorithm. oct and RSA keys do not
// imply one, so they must name it; EC and OKP keys imply it by their curve.
Result<Alg> ResolveAlg(std::string_view kty, const std::optional<Alg>& alg, const JwkMembers& members) {
  if (kty == "oct" || kty == "RSA") {
    if (!alg) {
      return Fail(ErrorCode::kInvalidKey,
                  std::string(kty) + " JWKs must name their alg (several algorithms could use them)");
    }
    const bool fits = kty == "oct" ? IsSymmetric(*alg)
                                   : (*alg >= Alg::kRs256 && *alg <= Alg::kPs512);
    if (!fits) {
      return Fail(ErrorCode::kInvalidKey, std::string(kty) + " key cannot be used with " +
                                              std::string(AlgName(*alg)));
    }
    return *alg;
  }
  if (kty == "EC") {
    const auto implied = EcAlgForCurve(members.Get("crv").value_or(""));
    if (!implied) {
      return Fail(ErrorCode::kInvalidKey, "EC JWK curve must be P-256, P-384 or P-521");
    }
    if (alg && *alg != *implied) {
      return Fail(ErrorCode::kInvalidKey, "EC JWK alg " + std::string(AlgName(*alg)) +
                                              " does not match its curve");
    }
    return *implied;
  }
  if (kty == "OKP") {
    if (alg && *alg != Alg::kEdDsa) {
      return Fail(ErrorCode::kInvalidKey, "OKP JWK alg must be EdDSA");
    }
    return Alg::kEdDsa;
  }
  return Fail(ErrorCode::kInvalidKey, "unsupported JWK kty \"" + Printable(kty) + "\"");
}

}  // namespace

Result<ParsedJwk> ParseJwk(simdjson::dom::object jwk) {
  JwkMembers members;
  for (auto field : jwk) {
    std::string_view value;
    if (field.value.get(value) == simdjson::SUCCESS) {
      members.Add(std::string(field.key), std::string(value));
    } else if (field.key == "kty" || field.key == "alg" || field.key == "kid" || field.key == "crv") {
      return Fail(ErrorCode::kMalformed, "JWK member " + Printable(field.key) + " is not a string");
    }
  }
  const auto kty = members.Get("kty");
  if (!kty) {
    return Fail(ErrorCode::kMalformed, "JWK has no kty");
  }
  std::optional<Alg> named_alg;
  if (const auto alg_name = members.Get("alg")) {
    named_alg = AlgFromName(*alg_name);
    if (!named_alg) {
      return Fail(ErrorCode::kUnsupportedAlg, "JWK alg \"" + Printable(*alg_name) + "\" is not supported");
    }
  }
  if (auto status = CheckIntendedUse(jwk); !status) {
    return tl::unexpected(status.error());
  }
  auto alg = ResolveAlg(*kty, named_alg, members);
  if (!alg) {
    return tl::unexpected(alg.error());
  }
  Result<KeyMaterialPtr> material = Fail(ErrorCode::kInvalidKey, "unreachable");
  if (*kty == "oct") {
    material = HmacKeyFromJwk(*alg, members);
  } else if (*kty == "RSA") {
    material = RsaKeyFromJwk(*alg, members);
  } else if (*kty == "EC") {
    material = EcKeyFromJwk(*alg, members);
  } else {
    material = Ed25519KeyFromJwk(members);
  }
  if (!material) {
    return tl::unexpected(material.error());
  }
  return ParsedJwk{std::move(*material), std::string(members.Get("kid").value_or(""))};
}

std::string SerializeJwk(const KeyMaterial& material, std::string_view kid, bool include_private) {
  std::string out = "{";
  material.AppendJwkMembers(out, include_private);
  AppendStringMember(out, "kid", kid);
  AppendStringMember(out, "alg", AlgName(material.alg()));
  AppendStringMember(out, "use", "sig");
  out += '}';
  return out;
}

std::string JwkThumbprint(const KeyMaterial& material) {
  std::string input = material.ThumbprintInput();
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  OPENSSL_cleanse(input.data(), input.size());
  return Base64UrlEncode(std::span<const std::uint8_t>(digest, sizeof(digest)));
}

}  // namespace writ::internal
