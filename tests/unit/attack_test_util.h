// Helpers shared by the attack, validator and parser tests: run-time keys, hand-built
// (forged) tokens, fixed clocks and assertions on writ::ErrorCode.
#ifndef WRIT_TESTS_UNIT_ATTACK_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_ATTACK_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base64url.h"
#include "core/key_material.h"
#include "writ/writ.h"

namespace writ::attack_test {

// A fixed "now" for every test: 2027-01-15T08:00:00Z. No test reads the wall clock.
inline constexpr std::int64_t kNowSeconds = 1'800'000'000;
inline Seconds At(std::int64_t seconds) { return Seconds(std::chrono::seconds(seconds)); }
inline const Seconds kNow = At(kNowSeconds);

inline std::shared_ptr<const Clock> ClockAt(std::int64_t seconds) {
  return std::make_shared<FixedClock>(At(seconds));
}

// The value of `result`, or an exception (which GoogleTest reports as a failure) naming
// `what` and the error.
template <typename T>
T Unwrap(Result<T> result, std::string_view what) {
  if (!result) {
    throw std::runtime_error(std::string(what) +
                             " failed: " + std::string(ErrorCodeName(result.error().code)) + ": " +
                             result.error().detail);
  }
  return std::move(*result);
}

// Succeeds when `result` failed with exactly `want`; the message names both codes.
template <typename T>
::testing::AssertionResult FailsWith(const Result<T>& result, ErrorCode want) {
  if (result) {
    return ::testing::AssertionFailure() << "succeeded; expected " << ErrorCodeName(want);
  }
  if (result.error().code != want) {
    return ::testing::AssertionFailure()
           << "failed with " << ErrorCodeName(result.error().code) << " (" << result.error().detail
           << "); expected " << ErrorCodeName(want);
  }
  return ::testing::AssertionSuccess();
}

template <typename T>
::testing::AssertionResult Succeeds(const Result<T>& result) {
  if (!result) {
    return ::testing::AssertionFailure()
           << "failed with " << ErrorCodeName(result.error().code) << ": " << result.error().detail;
  }
  return ::testing::AssertionSuccess();
}

inline std::string B64(std::string_view bytes) { return internal::Base64UrlEncode(bytes); }

inline std::string B64Decode(std::string_view text) {
  std::optional<std::string> bytes = internal::Base64UrlDecode(text);
  if (!bytes) {
    throw std::runtime_error("test helper: not base64url: " + std::string(text));
  }
  return *bytes;
}

inline std::string AsString(std::span<const std::uint8_t> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

inline Key GenerateKey(Alg alg, std::string kid) {
  return Unwrap(Key::Generate(alg, std::move(kid)), "Key::Generate");
}

inline KeySet SetOf(std::vector<Key> keys) {
  return Unwrap(KeySet::Create(std::move(keys)), "KeySet");
}

inline Verifier VerifierFor(std::vector<Key> keys) {
  return Unwrap(Verifier::Create(SetOf(std::move(keys))), "Verifier::Create");
}

// A validator with no expectations beyond exp, at the fixed now.
inline Validator DefaultValidator() {
  return Unwrap(ValidatorBuilder().SetClock(ClockAt(kNowSeconds)).Build(), "ValidatorBuilder");
}

// Claims that pass DefaultValidator(): exp five minutes after now.
inline std::string ValidClaimsJson() {
  return "{\"sub\":\"alice\",\"exp\":" + std::to_string(kNowSeconds + 300) + "}";
}

// "h.p" signed with `key` exactly as given (no re-encoding), as "h.p.sig".
inline std::string SignEncoded(const Key& key, std::string_view encoded_header,
                               std::string_view encoded_payload) {
  std::string signing_input = std::string(encoded_header) + "." + std::string(encoded_payload);
  std::string signature = Unwrap(key.material().Sign(signing_input), "KeyMaterial::Sign");
  return signing_input + "." + B64(signature);
}

// A token with the given header and payload JSON texts, signed with `key`.
inline std::string SignJson(const Key& key, std::string_view header_json,
                            std::string_view payload_json) {
  return SignEncoded(key, B64(header_json), B64(payload_json));
}

// {"alg":"<key's alg>","kid":"<key's kid>"}
inline std::string HeaderFor(const Key& key) {
  return "{\"alg\":\"" + std::string(AlgName(key.alg())) + "\",\"kid\":\"" + key.kid() + "\"}";
}

// The three dot-separated parts of a compact token.
struct TokenParts {
  std::string header;
  std::string payload;
  std::string signature;
  std::string Join() const { return header + "." + payload + "." + signature; }
};

inline TokenParts Split(std::string_view token) {
  std::size_t first = token.find('.');
  std::size_t second = token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) {
    throw std::runtime_error("test helper: not a three-part token");
  }
  return TokenParts{std::string(token.substr(0, first)),
                    std::string(token.substr(first + 1, second - first - 1)),
                    std::string(token.substr(second + 1))};
}

// `token` with its signature replaced by `signature` (raw bytes).
inline std::string WithSignature(std::string_view token, std::string_view signature) {
  TokenParts parts = Split(token);
  parts.signature = B64(signature);
  return parts.Join();
}

// HMAC of `message` under an arbitrary `secret`, computed with OpenSSL directly: what an
// attacker who knows (or guesses) the secret can do.
inline std::string RawHmac(const EVP_MD* md, std::string_view secret, std::string_view message) {
  unsigned char tag[EVP_MAX_MD_SIZE];
  unsigned int tag_size = 0;
  if (HMAC(md, secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), tag,
           &tag_size) == nullptr) {
    throw std::runtime_error("test helper: HMAC failed");
  }
  return std::string(reinterpret_cast<const char*>(tag), tag_size);
}

// A compact HS256 token over the given header/payload JSON, MACed with `secret`.
inline std::string ForgeHs256(std::string_view secret, std::string_view header_json,
                              std::string_view payload_json) {
  std::string signing_input = B64(header_json) + "." + B64(payload_json);
  return signing_input + "." + B64(RawHmac(EVP_sha256(), secret, signing_input));
}

// The value of the string member `name` of a JSON object text.
inline std::string JsonStringMember(std::string_view json, std::string_view name) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  std::string_view value;
  if (parser.parse(padded).get_object().at_key(name).get_string().get(value) != simdjson::SUCCESS) {
    throw std::runtime_error("test helper: no string member " + std::string(name));
  }
  return std::string(value);
}

struct PkeyFree {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

inline PkeyPtr PkeyFromFromdata(const char* type, OSSL_PARAM_BLD* builder) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  if (ctx == nullptr || params == nullptr || EVP_PKEY_fromdata_init(ctx) != 1 ||
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    pkey = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  if (pkey == nullptr) {
    throw std::runtime_error("test helper: EVP_PKEY_fromdata failed");
  }
  return PkeyPtr(pkey);
}

inline BIGNUM* BnFromB64(std::string_view text) {
  std::string bytes = B64Decode(text);
  return BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                   static_cast<int>(bytes.size()), nullptr);
}

// The public key of `key` as an OpenSSL EVP_PKEY, rebuilt from its public JWK (the
// only thing an attacker has). RSA, EC and Ed25519 keys.
inline PkeyPtr PublicPkeyOf(const Key& key) {
  std::string jwk = Unwrap(key.ToPublicJwk(), "ToPublicJwk");
  std::string kty = JsonStringMember(jwk, "kty");
  if (kty == "OKP") {
    std::string x = B64Decode(JsonStringMember(jwk, "x"));
    EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(x.data()), x.size());
    if (pkey == nullptr) {
      throw std::runtime_error("test helper: Ed25519 public key");
    }
    return PkeyPtr(pkey);
  }
  OSSL_PARAM_BLD* builder = OSSL_PARAM_BLD_new();
  PkeyPtr pkey;
  if (kty == "RSA") {
    BIGNUM* n = BnFromB64(JsonStringMember(jwk, "n"));
    BIGNUM* e = BnFromB64(JsonStringMember(jwk, "e"));
    OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, n);
    OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, e);
    pkey = PkeyFromFromdata("RSA", builder);
    BN_free(n);
    BN_free(e);
  } else {
    std::string crv = JsonStringMember(jwk, "crv");
    std::string group = crv == "P-256" ? "prime256v1" : crv == "P-384" ? "secp384r1" : "secp521r1";
    std::string point =
        "\x04" + B64Decode(JsonStringMember(jwk, "x")) + B64Decode(JsonStringMember(jwk, "y"));
    OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0);
    OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    pkey = PkeyFromFromdata("EC", builder);
  }
  OSSL_PARAM_BLD_free(builder);
  return pkey;
}

// SubjectPublicKeyInfo of `pkey` as PEM text ("-----BEGIN PUBLIC KEY-----...").
inline std::string PublicPem(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio, pkey) != 1) {
    BIO_free(bio);
    throw std::runtime_error("test helper: PEM_write_bio_PUBKEY");
  }
  char* data = nullptr;
  long size = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

// SubjectPublicKeyInfo of `pkey` as DER bytes.
inline std::string PublicDer(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  int size = i2d_PUBKEY(pkey, &der);
  if (size <= 0) {
    throw std::runtime_error("test helper: i2d_PUBKEY");
  }
  std::string bytes(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size));
  OPENSSL_free(der);
  return bytes;
}

}  // namespace writ::attack_test

#endif  // WRIT_TESTS_UNIT_ATTACK_TEST_UTIL_H_
