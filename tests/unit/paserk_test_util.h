// Helpers for the PASERK known-answer tests (tests/vectors/paseto/k3.*.json, k4.*.json):
// reading a vector file's cases, their members, and the bytes inside a PASERK.
#ifndef WRIT_TESTS_UNIT_PASERK_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_PASERK_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/base64url.h"
#include "core/ecdsa.h"
#include "core/openssl_util.h"
#include "vector_files.h"
#include "writ/paserk.h"

namespace writ::paserk_test {

// One test case of a PASERK vector file. Members that are absent or null read as "".
struct PaserkCase {
  std::string name;
  bool expect_fail = false;
  simdjson::dom::object json;

  std::string Text(const char* member) const {
    std::string_view value;
    return json[member].get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
  }
  // The member's hex decoded to bytes.
  std::string Hex(const char* member) const { return vectors::HexDecode(Text(member)); }
  std::uint64_t Option(const char* option) const {
    std::uint64_t value = 0;
    if (json["options"][option].get(value) != simdjson::SUCCESS) {
      throw std::runtime_error("vector has no option " + std::string(option));
    }
    return value;
  }
};

// The cases of `file` (relative to tests/vectors/paseto/). The returned file owns the
// parsed JSON the cases point into, so keep it alive while using them.
struct PaserkVectorFile {
  vectors::JsonVectorFile file;
  std::vector<PaserkCase> cases;
};

inline PaserkVectorFile LoadPaserkVectors(std::string_view file) {
  PaserkVectorFile loaded{vectors::LoadJsonVector("paseto/" + std::string(file)), {}};
  for (simdjson::dom::object test : loaded.file.root["tests"].get_array()) {
    PaserkCase c;
    c.name = std::string(test["name"].get_string().value());
    c.expect_fail = test["expect-fail"].get_bool().value();
    c.json = test;
    loaded.cases.push_back(std::move(c));
  }
  return loaded;
}

// The decoded data of `paserk` after its `prefix`, for reading the nonce or salt a vector
// was made with.
inline std::string DataOf(std::string_view paserk, std::string_view prefix) {
  if (!paserk.starts_with(prefix)) {
    throw std::runtime_error("PASERK without prefix " + std::string(prefix));
  }
  auto data = internal::Base64UrlDecode(paserk.substr(prefix.size()));
  if (!data) {
    throw std::runtime_error("PASERK data is not base64url");
  }
  return *data;
}

// The error a failing vector must give: kMalformed for the other version's PASERK (or
// type) and for data that is not canonical base64url (some "altered tag" vectors change
// the last character's unused bits, which strict decoding refuses before any tag check);
// kBadSignature otherwise (a wrong key or password, or an altered tag).
inline ErrorCode ExpectedFailure(std::string_view paserk, std::string_view prefix) {
  if (!paserk.starts_with(prefix) || !internal::Base64UrlDecode(paserk.substr(prefix.size()))) {
    return ErrorCode::kMalformed;
  }
  return ErrorCode::kBadSignature;
}

// `paserk` with the unused low bits of its last base64url character cleared: the
// canonical encoding of the bytes a lenient decoder would read. For checking that an
// "altered tag" vector also fails its tag once the encoding is no obstacle.
inline std::string Canonical(std::string paserk, std::string_view prefix) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t data_size = paserk.size() - prefix.size();
  const std::size_t unused_bits = data_size % 4 == 2 ? 4 : data_size % 4 == 3 ? 2 : 0;
  const std::size_t index = kAlphabet.find(paserk.back());
  if (unused_bits > 0 && index != std::string_view::npos) {
    paserk.back() = kAlphabet[index >> unused_bits << unused_bits];
  }
  return paserk;
}

// The raw bytes of a P-384 key in PEM (SEC 1 "EC PRIVATE KEY" or SPKI "PUBLIC KEY"):
// the 48-byte scalar of a private key, the compressed point of a public key.
inline std::string P384ScalarFromPem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  internal::EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) {
    throw std::runtime_error("not a PEM private key");
  }
  auto scalar = internal::BnToFixed(internal::GetBnParam(pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY).get(), 48);
  if (!scalar) {
    throw std::runtime_error("not a P-384 scalar");
  }
  return *scalar;
}

inline std::string P384CompressedFromPem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  internal::EvpPkeyPtr pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) {
    throw std::runtime_error("not a PEM public key");
  }
  auto point = internal::CompressedPoint(pkey.get(), 48);
  if (!point) {
    throw std::runtime_error("not a P-384 public key");
  }
  return *point;
}

inline std::string Bytes(const SecretBytes& secret) {
  return std::string(reinterpret_cast<const char*>(secret.expose_secret().data()), secret.size());
}

// `text` with the character at `index` replaced by another base64url character (away
// from the last character, the result stays canonical base64url).
inline std::string WithCharFlipped(std::string text, std::size_t index) {
  text[index] = text[index] == 'A' ? 'B' : 'A';
  return text;
}

}  // namespace writ::paserk_test

#endif  // WRIT_TESTS_UNIT_PASERK_TEST_UTIL_H_
