#include "weak_secret.h"

#include <climits>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string_view>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common_secrets.h"

namespace writ::cli {
namespace {

const EVP_MD* HmacDigest(std::string_view alg) {
  if (alg == "HS256") {
    return EVP_sha256();
  }
  if (alg == "HS384") {
    return EVP_sha384();
  }
  if (alg == "HS512") {
    return EVP_sha512();
  }
  return nullptr;
}

// Checks candidate secrets against one token's MAC.
class MacOracle {
 public:
  MacOracle(const EVP_MD* digest, std::string_view signing_input, std::string_view tag)
      : digest_(digest), signing_input_(signing_input), tag_(tag) {}

  bool Matches(std::string_view secret) const {
    if (secret.size() > static_cast<std::size_t>(INT_MAX)) {
      return false;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    // A non-null pointer even for the empty secret: OpenSSL reads a null key as "reuse".
    const char* key = secret.empty() ? "" : secret.data();
    if (HMAC(digest_, key, static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(signing_input_.data()), signing_input_.size(),
             mac, &mac_size) == nullptr) {
      return false;
    }
    return mac_size == tag_.size() && CRYPTO_memcmp(mac, tag_.data(), tag_.size()) == 0;
  }

 private:
  const EVP_MD* digest_;
  std::string_view signing_input_;
  std::string_view tag_;
};

// The 1-based line of `path` holding the secret, nullopt if none; kIo on read errors.
Result<std::optional<std::size_t>> SearchWordlist(const MacOracle& oracle,
                                                  const std::string& path,
                                                  std::size_t& tried) {
  std::ifstream wordlist(path, std::ios::binary);
  if (!wordlist) {
    return Fail(ErrorCode::kIo, "cannot open wordlist " + path);
  }
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(wordlist, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    ++tried;
    if (oracle.Matches(line)) {
      return std::optional<std::size_t>(line_number);
    }
  }
  if (wordlist.bad()) {
    return Fail(ErrorCode::kIo, "cannot read wordlist " + path);
  }
  return std::optional<std::size_t>();
}

Finding WeakSecretFinding(std::string where) {
  return {Severity::kCritical, "weak_hmac_secret",
          "the HMAC secret is " + where + "; anyone can forge tokens with it"};
}

}  // namespace

Result<std::vector<Finding>> FindWeakHmacSecret(const UnverifiedToken& token,
                                                const std::string& wordlist_path) {
  std::vector<Finding> findings;
  const EVP_MD* digest = HmacDigest(token.header_alg());
  if (digest == nullptr) {
    return findings;
  }
  const std::string& tag = token.jws().signature;
  if (tag.size() != static_cast<std::size_t>(EVP_MD_get_size(digest))) {
    findings.push_back({Severity::kWarning, "bad_mac_length",
                        "the MAC is " + std::to_string(tag.size()) +
                            " bytes, not the hash length; no verifier should accept it"});
    return findings;
  }
  MacOracle oracle(digest, token.jws().signing_input, tag);
  std::span<const std::string_view> common = CommonSecrets();
  for (std::size_t i = 0; i < common.size(); ++i) {
    if (oracle.Matches(common[i])) {
      findings.push_back(WeakSecretFinding(
          common[i].empty() ? std::string("empty")
                            : "entry " + std::to_string(i + 1) +
                                  " of writ's built-in list of common secrets (" +
                                  std::to_string(common[i].size()) + " bytes)"));
      return findings;
    }
  }
  std::size_t tried = common.size();
  if (!wordlist_path.empty()) {
    Result<std::optional<std::size_t>> line = SearchWordlist(oracle, wordlist_path, tried);
    if (!line) {
      return tl::unexpected(line.error());
    }
    if (*line) {
      findings.push_back(
          WeakSecretFinding("on line " + std::to_string(**line) + " of " + wordlist_path));
      return findings;
    }
  }
  findings.push_back({Severity::kInfo, "hmac_secret_not_guessed",
                      "the HMAC secret is none of " + std::to_string(tried) +
                          " common secrets tried"});
  return findings;
}

}  // namespace writ::cli
