// RAII owners and small helpers for OpenSSL objects.
#ifndef WRIT_CORE_OPENSSL_UTIL_H_
#define WRIT_CORE_OPENSSL_UTIL_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "writ/alg.h"

namespace writ::internal {

struct EvpPkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct EvpPkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct EvpMdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_clear_free(p); } };

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

// The SHA-2 digest an algorithm uses.
const EVP_MD* DigestFor(Alg alg);

// `bn` as exactly `size` big-endian bytes (left-padded); nullopt if it does not fit.
std::optional<std::string> BnToFixed(const BIGNUM* bn, std::size_t size);
// `bn` as minimal big-endian bytes (at least one byte), as JWK members want them.
std::string BnToMinimal(const BIGNUM* bn);
BnPtr BnFromBytes(std::string_view bytes);

// Drains OpenSSL's error queue into one line, for details.
std::string OpenSslErrors();

// Reads the BIGNUM parameter `name` of `pkey`.
BnPtr GetBnParam(const EVP_PKEY* pkey, const char* name);

}  // namespace writ::internal

#endif  // WRIT_CORE_OPENSSL_UTIL_H_
