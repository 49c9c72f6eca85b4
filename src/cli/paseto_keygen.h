// New PASETO keys, serialised as PASERK secrets for `writ keygen --alg v4.local|...`.
#ifndef WRIT_CLI_PASETO_KEYGEN_H_
#define WRIT_CLI_PASETO_KEYGEN_H_

#include <optional>
#include <string>
#include <string_view>

#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::cli {

// True for "v4.local", "v4.public", "v3.local" and "v3.public".
bool IsPasetoAlg(std::string_view alg);

// A fresh key for `alg` (one of the above) as its PASERK secret form: "k4.local.…" (32
// CSPRNG bytes), "k4.secret.…" (Ed25519), "k3.local.…", "k3.secret.…" (P-384 scalar).
// The PASERK id to show is written to `id` (lid for local keys; pid for secret keys, the
// id tokens carry as kid).
Result<SecretBytes> GeneratePaserk(std::string_view alg, std::string& id);

}  // namespace writ::cli

#endif  // WRIT_CLI_PASETO_KEYGEN_H_
