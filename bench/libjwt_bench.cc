// libjwt 1.10 (Debian libjwt-dev) on the workload token, as a server would use it.
#include <jwt.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "bench_cases.h"
#include "workload.h"

namespace writ_bench {
namespace {

jwt_alg_t LibjwtAlg(writ::Alg alg) {
  switch (alg) {
    case writ::Alg::kHs256:
      return JWT_ALG_HS256;
    case writ::Alg::kRs256:
      return JWT_ALG_RS256;
    case writ::Alg::kEs256:
      return JWT_ALG_ES256;
    default:
      Die("libjwt 1.10 has no such algorithm");
  }
}

// The verification key as libjwt takes it: the HMAC secret, or PEM text.
const unsigned char* VerifyKey(const Workload& workload, int* size) {
  if (workload.alg == writ::Alg::kHs256) {
    *size = static_cast<int>(workload.hmac_secret.size());
    return workload.hmac_secret.data();
  }
  *size = static_cast<int>(workload.public_pem.size());
  return reinterpret_cast<const unsigned char*>(workload.public_pem.data());
}

const unsigned char* SignKey(const Workload& workload, int* size) {
  if (workload.alg == writ::Alg::kHs256) {
    return VerifyKey(workload, size);
  }
  *size = static_cast<int>(workload.private_pem.size());
  return reinterpret_cast<const unsigned char*>(workload.private_pem.data());
}

// What a server checks after libjwt has verified the signature: exp, iss, aud.
bool ClaimsAccepted(jwt_t* jwt) {
  const long exp = jwt_get_grant_int(jwt, "exp");
  if (exp == 0 || static_cast<std::time_t>(exp) <= std::time(nullptr)) {
    return false;
  }
  const char* iss = jwt_get_grant(jwt, "iss");
  const char* aud = jwt_get_grant(jwt, "aud");
  return iss != nullptr && aud != nullptr && kIssuer == iss && kAudience == aud;
}

}  // namespace

void LibjwtVerify(benchmark::State& state, writ::Alg alg) {
  const Workload& workload = GetWorkload(alg);
  int key_size = 0;
  const unsigned char* key = VerifyKey(workload, &key_size);
  for (auto _ : state) {
    jwt_t* jwt = nullptr;
    if (jwt_decode(&jwt, workload.token.c_str(), key, key_size) != 0) {
      state.SkipWithError("libjwt jwt_decode refused the workload token");
      break;
    }
    const bool accepted = ClaimsAccepted(jwt);
    jwt_free(jwt);
    if (!accepted) {
      state.SkipWithError("libjwt claim checks refused the workload token");
      break;
    }
  }
}

// The claims and key are set once on a jwt_t (as writ's ClaimsBuilder and Signer are);
// each iteration serialises and signs. libjwt orders its header members its own way,
// so its token differs from the workload token in header bytes but not in work.
void LibjwtSign(benchmark::State& state, writ::Alg alg) {
  const Workload& workload = GetWorkload(alg);
  int key_size = 0;
  const unsigned char* key = SignKey(workload, &key_size);
  jwt_t* jwt = nullptr;
  const std::string claims(kClaimsJson);
  if (jwt_new(&jwt) != 0 || jwt_set_alg(jwt, LibjwtAlg(alg), key, key_size) != 0 ||
      jwt_add_header(jwt, "kid", std::string(kKid).c_str()) != 0 ||
      jwt_add_grants_json(jwt, claims.c_str()) != 0) {
    Die("libjwt setup");
  }
  for (auto _ : state) {
    char* token = jwt_encode_str(jwt);
    if (token == nullptr) {
      state.SkipWithError("libjwt jwt_encode_str failed");
      break;
    }
    benchmark::DoNotOptimize(token);
    std::free(token);
  }
  jwt_free(jwt);
}

}  // namespace writ_bench
