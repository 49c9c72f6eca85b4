#include "core/openssl_util.h"

#include <openssl/core_names.h>
#include <openssl/err.h>

namespace writ::internal {

const EVP_MD* DigestFor(Alg alg) {
  switch (alg) {
    case Alg::kHs256: case Alg::kRs256: case Alg::kPs256: case Alg::kEs256:
      return EVP_sha256();
    case Alg::kHs384: case Alg::kRs384: case Alg::kPs384: case Alg::kEs384:
      return EVP_sha384();
    case Alg::kHs512: case Alg::kRs512: case Alg::kPs512: case Alg::kEs512:
      return EVP_sha512();
    case Alg::kEdDsa:
      return nullptr;
  }
  return nullptr;
}

std::optional<std::string> BnToFixed(const BIGNUM* bn, std::size_t size) {
  std::string out(size, '\0');
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) < 0) {
    return std::nullopt;
  }
  return out;
}

std::string BnToMinimal(const BIGNUM* bn) {
  const int size = BN_num_bytes(bn);
  if (size <= 0) {
    return std::string(1, '\0');
  }
  std::string out(static_cast<std::size_t>(size), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

BnPtr BnFromBytes(std::string_view bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

std::string OpenSslErrors() {
  std::string text;
  char buffer[256];
  while (const unsigned long code = ERR_get_error()) {
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (!text.empty()) {
      text += "; ";
    }
    text += buffer;
  }
  return text.empty() ? "unknown OpenSSL error" : text;
}

BnPtr GetBnParam(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) {
    return nullptr;
  }
  return BnPtr(bn);
}

}  // namespace writ::internal
