#include "workload.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <span>
#include <utility>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>

#include "writ/key_set.h"
#include "writ/secret_bytes.h"

namespace writ_bench {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;

template <typename T>
T Must(writ::Result<T> result, std::string_view what) {
  if (!result) {
    Die(std::string(what) + ": " + std::string(writ::ErrorCodeName(result.error().code)) + ": " +
        result.error().detail);
  }
  return std::move(*result);
}

// A BIGNUM parameter of `pkey` as big-endian bytes, left-padded to `width` when non-zero.
std::string BnMember(const EVP_PKEY* pkey, const char* param, int width = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, param, &raw) != 1) {
    Die(std::string("EVP_PKEY_get_bn_param ") + param);
  }
  BnPtr bn(raw);
  const int size = width > 0 ? width : BN_num_bytes(bn.get());
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  if (BN_bn2binpad(bn.get(), bytes.data(), size) != size) {
    Die(std::string("BN_bn2binpad ") + param);
  }
  return Base64UrlEncode(bytes.data(), bytes.size());
}

// "name":"value". Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug
// 105329) on "literal" + std::string.
std::string Member(std::string_view name, std::string_view value) {
  std::string member;
  member.append("\"").append(name).append("\":\"").append(value).append("\"");
  return member;
}

std::string JwkHead(std::string_view kty, std::string_view alg) {
  std::string head = "{";
  head.append(Member("kty", kty)).append(",").append(Member("alg", alg)).append(",");
  head.append(Member("kid", kKid));
  return head;
}

std::string Pem(EVP_PKEY* pkey, bool private_part) {
  BIO* bio = BIO_new(BIO_s_mem());
  const int ok = private_part
                     ? PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr)
                     : PEM_write_bio_PUBKEY(bio, pkey);
  if (ok != 1) {
    Die("PEM_write_bio");
  }
  char* text = nullptr;
  const long size = BIO_get_mem_data(bio, &text);
  std::string pem(text, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

PkeyPtr ParsePublicPem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  PkeyPtr pkey(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  if (!pkey) {
    Die("PEM_read_bio_PUBKEY");
  }
  return pkey;
}

std::vector<std::uint8_t> EcdsaRawToDer(const std::vector<std::uint8_t>& raw) {
  const std::size_t half = raw.size() / 2;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    Die("ECDSA_SIG");
  }
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig, &der);
  if (size <= 0) {
    Die("i2d_ECDSA_SIG");
  }
  std::vector<std::uint8_t> out(der, der + size);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

// The writ key of `workload`, made from the same material the raw and libjwt benchmarks use.
writ::Key MakeKey(Workload& workload) {
  switch (workload.alg) {
    case writ::Alg::kHs256: {
      workload.hmac_secret.resize(32);
      randombytes_buf(workload.hmac_secret.data(), workload.hmac_secret.size());
      return Must(writ::Key::FromHmacSecret(writ::Alg::kHs256,
                                            writ::SecretBytes(std::span<const std::uint8_t>(
                                                workload.hmac_secret)),
                                            std::string(kKid)),
                  "HS256 key");
    }
    case writ::Alg::kRs256: {
      workload.pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
      const EVP_PKEY* pkey = workload.pkey.get();
      if (pkey == nullptr) {
        Die("RSA keygen");
      }
      const std::string jwk =
          JwkHead("RSA", "RS256") + "," + Member("n", BnMember(pkey, OSSL_PKEY_PARAM_RSA_N)) +
          "," + Member("e", BnMember(pkey, OSSL_PKEY_PARAM_RSA_E)) + "," +
          Member("d", BnMember(pkey, OSSL_PKEY_PARAM_RSA_D)) + "," +
          Member("p", BnMember(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1)) + "," +
          Member("q", BnMember(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2)) + "," +
          Member("dp", BnMember(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1)) + "," +
          Member("dq", BnMember(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2)) + "," +
          Member("qi", BnMember(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1)) + "}";
      return Must(writ::Key::FromJwk(jwk), "RS256 key");
    }
    case writ::Alg::kEs256: {
      workload.pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
      const EVP_PKEY* pkey = workload.pkey.get();
      if (pkey == nullptr) {
        Die("EC keygen");
      }
      const std::string jwk = JwkHead("EC", "ES256") + "," + Member("crv", "P-256") + "," +
                              Member("x", BnMember(pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32)) + "," +
                              Member("y", BnMember(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32)) + "," +
                              Member("d", BnMember(pkey, OSSL_PKEY_PARAM_PRIV_KEY, 32)) + "}";
      return Must(writ::Key::FromJwk(jwk), "ES256 key");
    }
    case writ::Alg::kEdDsa: {
      crypto_sign_keypair(workload.ed_public.data(), workload.ed_secret.data());
      // libsodium's secret key is seed || public key; the JWK's d is the seed (RFC 8037 §2).
      const std::string jwk =
          JwkHead("OKP", "EdDSA") + "," + Member("crv", "Ed25519") + "," +
          Member("x", Base64UrlEncode(workload.ed_public.data(), workload.ed_public.size())) +
          "," + Member("d", Base64UrlEncode(workload.ed_secret.data(), crypto_sign_SEEDBYTES)) +
          "}";
      return Must(writ::Key::FromJwk(jwk), "EdDSA key");
    }
    default:
      Die("the workload has no key for this algorithm");
  }
}

std::string WorkloadHeader(writ::Alg alg) {
  return R"({"alg":")" + std::string(writ::AlgName(alg)) + R"(","typ":"JWT","kid":"k1"})";
}

std::string Encode(std::string_view text) {
  return Base64UrlEncode(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::unique_ptr<Workload> MakeWorkload(writ::Alg alg) {
  auto workload = std::make_unique<Workload>();
  workload->alg = alg;
  writ::Key key = MakeKey(*workload);

  workload->claims = std::make_unique<writ::ClaimsBuilder>(
      Must(writ::ClaimsBuilder::FromJson(kClaimsJson), "claims"));
  if (workload->claims->Build() != kClaimsJson) {
    Die("ClaimsBuilder does not reproduce the workload claims byte for byte");
  }
  workload->signer = std::make_unique<writ::Signer>(Must(writ::Signer::Create(key), "signer"));
  workload->token = Must(workload->signer->Sign(*workload->claims), "sign");

  const std::string expected_input = Encode(WorkloadHeader(alg)) + "." + Encode(kClaimsJson);
  const std::size_t last_dot = workload->token.rfind('.');
  workload->signing_input = workload->token.substr(0, last_dot);
  if (workload->signing_input != expected_input) {
    Die("writ's token is not the workload token: " + workload->signing_input);
  }
  workload->signature = Base64UrlDecode(std::string_view(workload->token).substr(last_dot + 1));
  if (alg == writ::Alg::kEs256) {
    workload->der_signature = EcdsaRawToDer(workload->signature);
  }
  if (workload->pkey) {
    workload->public_pem = Pem(workload->pkey.get(), false);
    workload->private_pem = Pem(workload->pkey.get(), true);
    workload->public_pkey = ParsePublicPem(workload->public_pem);
  }

  writ::Key verification_key = writ::IsSymmetric(alg) ? key : Must(key.PublicKey(), "public");
  auto keys = Must(writ::KeySet::Create({verification_key}), "key set");
  workload->verifier =
      std::make_unique<writ::Verifier>(Must(writ::Verifier::Create(std::move(keys)), "verifier"));
  workload->validator = std::make_unique<writ::Validator>(
      Must(writ::ValidatorBuilder()
               .ExpectIssuer(std::string(kIssuer))
               .ExpectAudience(std::string(kAudience))
               .Build(),
           "validator"));
  Must(workload->verifier->Verify(workload->token, *workload->validator), "verify");
  return workload;
}

}  // namespace

const Workload& GetWorkload(writ::Alg alg) {
  if (sodium_init() < 0) {
    Die("sodium_init");
  }
  static std::mutex mutex;
  static std::map<writ::Alg, std::unique_ptr<Workload>> workloads;
  std::lock_guard lock(mutex);
  auto& slot = workloads[alg];
  if (!slot) {
    slot = MakeWorkload(alg);
  }
  return *slot;
}

void Die(std::string_view what) {
  std::fprintf(stderr, "token_bench: %.*s\n", static_cast<int>(what.size()), what.data());
  std::exit(1);
}

std::string Base64UrlEncode(const std::uint8_t* bytes, std::size_t size) {
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) |
                            std::uint32_t{bytes[i + 2]};
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size - i == 1) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (size - i == 2) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::vector<std::uint8_t> Base64UrlDecode(std::string_view text) {
  std::vector<std::uint8_t> out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const std::size_t index = kAlphabet.find(c);
    if (index == std::string_view::npos) {
      Die("bad base64url in the workload token");
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace writ_bench
