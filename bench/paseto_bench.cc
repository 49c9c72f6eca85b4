// PASETO v4 on the shared workload (shared/bench-workload.md: the same claims with RFC 3339
// times, footer {"kid":"k1"}, no implicit assertion), in writ and in the raw libsodium
// primitives on the same bytes, registered into token_bench. Names are
// TOKEN/OPERATION/IMPLEMENTATION:
//   v4.local/encrypt/{writ,raw}   v4.local/decrypt/{writ,reader,raw}
//   v4.public/sign/{writ,raw}     v4.public/verify/{writ,reader,raw}
// writ:   writ::paseto::Encrypt/Decrypt/Sign/Verify with the workload's footer.
// reader: what a server does per request: PasetoReader::Read (footer rules, key selection
//         by kid, the cryptography, strict payload parse with RFC 3339 times) and a
//         Validator checking exp, iss and aud. PasetoReader only accepts a PASERK id as
//         footer kid, so this token's footer is {"kid":"k4.lid.…"} / {"kid":"k4.pid.…"}
//         (what PasetoWriter writes) instead of {"kid":"k1"}.
// raw:    v4.local: the spec's steps in libsodium, nothing else: two keyed BLAKE2b key
//         derivations, XChaCha20 (crypto_stream_xchacha20_xor), and the keyed BLAKE2b tag
//         over the PAE of the same header, nonce, ciphertext and footer (decrypt: tag
//         check with sodium_memcmp first). Encrypt also draws the 32-byte nonce. Base64url
//         and JSON are left out. v4.public: crypto_sign_detached /
//         crypto_sign_verify_detached over the PAE of the same header, payload and footer.
// Every raw figure is checked at start-up to produce or accept writ's exact bytes.
#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "workload.h"
#include "writ/paserk.h"
#include "writ/paseto.h"
#include "writ/paseto_reader.h"
#include "writ/validator.h"

namespace writ_bench {
namespace {

constexpr std::string_view kPasetoClaims =
    R"({"iss":"https://auth.example.com","sub":"user-12345","aud":"api.example.com",)"
    R"("iat":"2025-11-24T16:00:00Z","exp":"2100-01-01T00:00:00Z",)"
    R"("jti":"4f1c2a9e-8d3b-4e7a-9c1d-2b3e4f5a6b7c","scope":"read write","roles":["user","admin"]})";
constexpr std::string_view kFooter = R"({"kid":"k1"})";
constexpr std::string_view kLocalHeader = "v4.local.";
constexpr std::string_view kPublicHeader = "v4.public.";
constexpr std::size_t kNonceSize = 32;
constexpr std::size_t kTagSize = 32;

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

void AppendLe64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

// PAE (PASETO spec, "Authentication Padding"), written independently of writ's.
std::string Pae(std::initializer_list<std::string_view> pieces) {
  std::string out;
  AppendLe64(out, pieces.size());
  for (std::string_view piece : pieces) {
    AppendLe64(out, piece.size());
    out.append(piece);
  }
  return out;
}

std::string Body(std::string_view token, std::string_view header) {
  std::string_view rest = token.substr(header.size());
  rest = rest.substr(0, rest.find('.'));
  std::vector<std::uint8_t> bytes = Base64UrlDecode(rest);
  return std::string(bytes.begin(), bytes.end());
}

template <typename T>
T Must(writ::Result<T> result, std::string_view what) {
  if (!result) {
    Die(std::string(what) + ": " + result.error().detail);
  }
  return std::move(*result);
}

// The spec's key splitting for v4.local: Ek || n2 (56 bytes) and Ak (32 bytes).
void SplitKeys(const unsigned char* key, const unsigned char* nonce, unsigned char* encryption,
               unsigned char* authentication) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, key, 32, 56);
  crypto_generichash_update(&state, Bytes("paseto-encryption-key"), 21);
  crypto_generichash_update(&state, nonce, kNonceSize);
  crypto_generichash_final(&state, encryption, 56);
  crypto_generichash_init(&state, key, 32, 32);
  crypto_generichash_update(&state, Bytes("paseto-auth-key-for-aead"), 24);
  crypto_generichash_update(&state, nonce, kNonceSize);
  crypto_generichash_final(&state, authentication, 32);
}

struct PasetoWorkload {
  // v4.local
  std::unique_ptr<writ::V4LocalKey> local_key;
  std::array<unsigned char, 32> local_key_bytes{};
  std::string local_token;         // footer {"kid":"k1"}
  std::string local_reader_token;  // footer {"kid":LID}
  std::string nonce;
  std::string ciphertext;
  std::string tag;
  std::string local_pae;  // PAE(h, n, c, f, "") of local_token
  std::unique_ptr<writ::PasetoReader<writ::V4LocalKey>> local_reader;
  // v4.public
  std::unique_ptr<writ::V4SecretKey> secret_key;
  std::unique_ptr<writ::V4PublicKey> public_key;
  std::string public_token;
  std::string public_reader_token;
  std::string signature;
  std::string public_pae;  // PAE(h, m, f, "") of public_token
  std::unique_ptr<writ::PasetoReader<writ::V4PublicKey>> public_reader;
  std::unique_ptr<writ::Validator> validator;
};

const PasetoWorkload& GetPasetoWorkload() {
  static const PasetoWorkload* workload = [] {
    if (sodium_init() < 0) {
      Die("sodium_init");
    }
    auto w = std::make_unique<PasetoWorkload>();
    w->local_key = std::make_unique<writ::V4LocalKey>(writ::V4LocalKey::Generate());
    std::memcpy(w->local_key_bytes.data(), w->local_key->secret().expose_secret().data(), 32);
    w->local_token = Must(writ::paseto::Encrypt(*w->local_key, kPasetoClaims, kFooter), "encrypt");
    const std::string local_body = Body(w->local_token, kLocalHeader);
    w->nonce = local_body.substr(0, kNonceSize);
    w->ciphertext = local_body.substr(kNonceSize, local_body.size() - kNonceSize - kTagSize);
    w->tag = local_body.substr(local_body.size() - kTagSize);
    w->local_pae = Pae({kLocalHeader, w->nonce, w->ciphertext, kFooter, ""});
    w->local_reader_token = Must(writ::paseto::Encrypt(*w->local_key, kPasetoClaims,
                                                       R"({"kid":")" + writ::paserk::Lid(*w->local_key) + R"("})"),
                                 "encrypt with lid");
    w->local_reader = std::make_unique<writ::PasetoReader<writ::V4LocalKey>>(
        Must(writ::PasetoReader<writ::V4LocalKey>::Create({*w->local_key}), "local reader"));

    w->secret_key = std::make_unique<writ::V4SecretKey>(writ::V4SecretKey::Generate());
    w->public_key = std::make_unique<writ::V4PublicKey>(w->secret_key->public_key());
    w->public_token = Must(writ::paseto::Sign(*w->secret_key, kPasetoClaims, kFooter), "sign");
    const std::string public_body = Body(w->public_token, kPublicHeader);
    w->signature = public_body.substr(public_body.size() - crypto_sign_BYTES);
    w->public_pae = Pae({kPublicHeader, public_body.substr(0, public_body.size() - crypto_sign_BYTES), kFooter, ""});
    w->public_reader_token = Must(writ::paseto::Sign(*w->secret_key, kPasetoClaims,
                                                     R"({"kid":")" + writ::paserk::Pid(*w->public_key) + R"("})"),
                                  "sign with pid");
    w->public_reader = std::make_unique<writ::PasetoReader<writ::V4PublicKey>>(
        Must(writ::PasetoReader<writ::V4PublicKey>::Create({*w->public_key}), "public reader"));
    w->validator = std::make_unique<writ::Validator>(
        Must(writ::ValidatorBuilder().ExpectIssuer(std::string(kIssuer)).ExpectAudience(std::string(kAudience)).Build(),
             "validator"));

    // The raw paths must agree with writ byte for byte, or no figure is worth reporting.
    if (Body(w->local_token, kLocalHeader).size() != kNonceSize + kPasetoClaims.size() + kTagSize) {
      Die("v4.local body size differs from nonce + payload + tag");
    }
    unsigned char encryption[56];
    unsigned char authentication[32];
    SplitKeys(w->local_key_bytes.data(), Bytes(w->nonce), encryption, authentication);
    unsigned char tag[kTagSize];
    crypto_generichash(tag, kTagSize, Bytes(w->local_pae), w->local_pae.size(), authentication, 32);
    if (w->tag != std::string_view(reinterpret_cast<const char*>(tag), kTagSize)) {
      Die("raw v4.local tag differs from writ's");
    }
    std::string plaintext(w->ciphertext.size(), '\0');
    crypto_stream_xchacha20_xor(reinterpret_cast<unsigned char*>(plaintext.data()), Bytes(w->ciphertext),
                                w->ciphertext.size(), encryption + 32, encryption);
    if (plaintext != kPasetoClaims) {
      Die("raw v4.local decryption differs from the workload claims");
    }
    if (crypto_sign_verify_detached(Bytes(w->signature), Bytes(w->public_pae), w->public_pae.size(),
                                    Bytes(w->public_key->bytes())) != 0) {
      Die("raw Ed25519 does not verify writ's v4.public signature");
    }
    auto read_local = w->local_reader->Read(w->local_reader_token, *w->validator);
    auto read_public = w->public_reader->Read(w->public_reader_token, *w->validator);
    if (!read_local || !read_public || read_local->payload_json() != kPasetoClaims ||
        read_public->payload_json() != kPasetoClaims) {
      Die("PasetoReader does not accept the workload tokens");
    }
    return w.release();
  }();
  return *workload;
}

void WritEncrypt(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  for (auto _ : state) {
    auto token = writ::paseto::Encrypt(*w.local_key, kPasetoClaims, kFooter);
    if (!token) {
      state.SkipWithError("writ encrypt failed");
      break;
    }
    benchmark::DoNotOptimize(token->data());
  }
}

void WritDecrypt(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  for (auto _ : state) {
    auto message = writ::paseto::Decrypt(*w.local_key, w.local_token);
    if (!message) {
      state.SkipWithError("writ decrypt failed");
      break;
    }
    benchmark::DoNotOptimize(message->payload.data());
  }
}

void ReaderDecrypt(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  for (auto _ : state) {
    auto verified = w.local_reader->Read(w.local_reader_token, *w.validator);
    if (!verified) {
      state.SkipWithError("PasetoReader v4.local failed");
      break;
    }
    benchmark::DoNotOptimize(verified->payload_json().data());
  }
}

void RawEncrypt(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  std::string nonce(kNonceSize, '\0');
  std::string ciphertext(kPasetoClaims.size(), '\0');
  std::string pae;
  pae.reserve(w.local_pae.size());
  unsigned char encryption[56];
  unsigned char authentication[32];
  unsigned char tag[kTagSize];
  for (auto _ : state) {
    randombytes_buf(nonce.data(), nonce.size());
    SplitKeys(w.local_key_bytes.data(), Bytes(nonce), encryption, authentication);
    crypto_stream_xchacha20_xor(reinterpret_cast<unsigned char*>(ciphertext.data()), Bytes(kPasetoClaims),
                                kPasetoClaims.size(), encryption + 32, encryption);
    pae.clear();
    AppendLe64(pae, 5);
    for (std::string_view piece : {kLocalHeader, std::string_view(nonce), std::string_view(ciphertext), kFooter,
                                   std::string_view()}) {
      AppendLe64(pae, piece.size());
      pae.append(piece);
    }
    crypto_generichash(tag, kTagSize, Bytes(pae), pae.size(), authentication, 32);
    benchmark::DoNotOptimize(tag);
    benchmark::DoNotOptimize(ciphertext.data());
  }
}

void RawDecrypt(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  std::string plaintext(w.ciphertext.size(), '\0');
  unsigned char encryption[56];
  unsigned char authentication[32];
  unsigned char tag[kTagSize];
  for (auto _ : state) {
    SplitKeys(w.local_key_bytes.data(), Bytes(w.nonce), encryption, authentication);
    crypto_generichash(tag, kTagSize, Bytes(w.local_pae), w.local_pae.size(), authentication, 32);
    if (sodium_memcmp(tag, w.tag.data(), kTagSize) != 0) {
      state.SkipWithError("raw tag mismatch");
      break;
    }
    crypto_stream_xchacha20_xor(reinterpret_cast<unsigned char*>(plaintext.data()), Bytes(w.ciphertext),
                                w.ciphertext.size(), encryption + 32, encryption);
    benchmark::DoNotOptimize(plaintext.data());
  }
}

void WritSignV4(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  for (auto _ : state) {
    auto token = writ::paseto::Sign(*w.secret_key, kPasetoClaims, kFooter);
    if (!token) {
      state.SkipWithError("writ sign failed");
      break;
    }
    benchmark::DoNotOptimize(token->data());
  }
}

void WritVerifyV4(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  for (auto _ : state) {
    auto message = writ::paseto::Verify(*w.public_key, w.public_token);
    if (!message) {
      state.SkipWithError("writ verify failed");
      break;
    }
    benchmark::DoNotOptimize(message->payload.data());
  }
}

void ReaderVerifyV4(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  for (auto _ : state) {
    auto verified = w.public_reader->Read(w.public_reader_token, *w.validator);
    if (!verified) {
      state.SkipWithError("PasetoReader v4.public failed");
      break;
    }
    benchmark::DoNotOptimize(verified->payload_json().data());
  }
}

void RawSignV4(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  const std::span<const std::uint8_t> secret = w.secret_key->secret().expose_secret();
  unsigned char signature[crypto_sign_BYTES];
  for (auto _ : state) {
    crypto_sign_detached(signature, nullptr, Bytes(w.public_pae), w.public_pae.size(), secret.data());
    benchmark::DoNotOptimize(signature);
  }
}

void RawVerifyV4(benchmark::State& state) {
  const PasetoWorkload& w = GetPasetoWorkload();
  for (auto _ : state) {
    if (crypto_sign_verify_detached(Bytes(w.signature), Bytes(w.public_pae), w.public_pae.size(),
                                    Bytes(w.public_key->bytes())) != 0) {
      state.SkipWithError("raw Ed25519 verify failed");
      break;
    }
  }
}

// Registered at start-up, next to token_bench's JWS benchmarks.
const bool kRegistered = [] {
  const std::pair<const char*, void (*)(benchmark::State&)> cases[] = {
      {"v4.local/encrypt/writ", WritEncrypt},   {"v4.local/encrypt/raw", RawEncrypt},
      {"v4.local/decrypt/writ", WritDecrypt},   {"v4.local/decrypt/reader", ReaderDecrypt},
      {"v4.local/decrypt/raw", RawDecrypt},     {"v4.public/sign/writ", WritSignV4},
      {"v4.public/sign/raw", RawSignV4},        {"v4.public/verify/writ", WritVerifyV4},
      {"v4.public/verify/reader", ReaderVerifyV4}, {"v4.public/verify/raw", RawVerifyV4},
  };
  for (const auto& [name, body] : cases) {
    benchmark::RegisterBenchmark(name, body)->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace
}  // namespace writ_bench
