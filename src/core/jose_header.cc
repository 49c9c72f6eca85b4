#include "core/jose_header.h"

#include <array>

#include "core/base64url.h"
#include "core/printable.h"
#include "core/strict_json.h"
#include "writ/verifier.h"

namespace writ::internal {
namespace {

constexpr JsonLimits kHeaderLimits{.max_bytes = kMaxHeaderJsonBytes, .max_depth = kMaxJsonDepth};

// Header parameters that writ never honours, and whose presence alone refuses a token:
// key sources taken from the token (RFC 8725 §3.1, RFC 7515 §4.1.2-4.1.8), extensions
// (crit, RFC 7515 §4.1.11; b64, RFC 7797 §3), compression (zip) and JWE members.
constexpr std::array<std::string_view, 17> kForbiddenMembers{
    "jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "crit", "b64", "zip",
    "enc", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"};

bool IsForbidden(std::string_view name) {
  for (std::string_view forbidden : kForbiddenMembers) {
    if (name == forbidden) {
      return true;
    }
  }
  return false;
}

Result<std::string> StringMember(simdjson::dom::element value, std::string_view name) {
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    return Fail(ErrorCode::kMalformed, "header " + std::string(name) + " is not a string");
  }
  return std::string(text);
}

Result<JoseHeader> ParseUncached(std::string_view encoded) {
  if (Base64UrlDecodedSize(encoded.size()) > kMaxHeaderJsonBytes) {
    return Fail(ErrorCode::kTooLarge, "header longer than " + std::to_string(kMaxHeaderJsonBytes) + " bytes");
  }
  thread_local std::string json;
  if (!Base64UrlDecode(encoded, json, kJsonPadding)) {
    return Fail(ErrorCode::kMalformed, "header is not canonical base64url");
  }
  auto object = ParseStrictObject(json, kHeaderLimits, /*padded=*/true);
  if (!object) {
    return Fail(object.error().code, "header: " + object.error().detail);
  }
  std::optional<Alg> alg;
  bool has_alg = false;
  JoseHeader header{};
  for (auto field : *object) {
    const std::string_view name = field.key;
    if (IsForbidden(name)) {
      return Fail(ErrorCode::kForbiddenHeader, "header member \"" + Printable(name) + "\" is not accepted");
    }
    if (name == "alg") {
      std::string_view alg_name;
      if (field.value.get(alg_name) != simdjson::SUCCESS) {
        return Fail(ErrorCode::kMalformed, "header alg is not a string");
      }
      has_alg = true;
      alg = AlgFromName(alg_name);  // "none" never maps to an Alg
      if (!alg) {
        return Fail(ErrorCode::kUnsupportedAlg, "alg \"" + Printable(alg_name, 32) + "\" is not accepted");
      }
    } else if (name == "kid" || name == "typ" || name == "cty") {
      auto value = StringMember(field.value, name);
      if (!value) {
        return tl::unexpected(value.error());
      }
      if (name == "kid") {
        header.kid = std::move(*value);
      } else if (name == "typ") {
        header.typ = std::move(*value);
      }
    }
  }
  if (!has_alg) {
    return Fail(ErrorCode::kMalformed, "header has no alg");
  }
  header.alg = *alg;
  return header;
}

}  // namespace

Result<const JoseHeader*> ParseJoseHeader(std::string_view encoded) {
  struct Cache {
    std::string encoded;
    JoseHeader header;
    bool valid = false;
  };
  thread_local Cache cache;
  if (cache.valid && cache.encoded == encoded) {
    return &cache.header;
  }
  cache.valid = false;
  auto header = ParseUncached(encoded);
  if (!header) {
    return tl::unexpected(header.error());
  }
  cache.encoded.assign(encoded);
  cache.header = std::move(*header);
  cache.valid = true;
  return &cache.header;
}

}  // namespace writ::internal
