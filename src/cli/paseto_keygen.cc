#include "paseto_keygen.h"

#include "writ/paserk.h"
#include "writ/paseto_keys.h"

namespace writ::cli {

bool IsPasetoAlg(std::string_view alg) {
  return alg == "v4.local" || alg == "v4.public" || alg == "v3.local" || alg == "v3.public";
}

Result<SecretBytes> GeneratePaserk(std::string_view alg, std::string& id) {
  if (alg == "v4.local") {
    V4LocalKey key = V4LocalKey::Generate();
    id = paserk::Lid(key);
    return paserk::ToPaserk(key);
  }
  if (alg == "v4.public") {
    V4SecretKey key = V4SecretKey::Generate();
    id = paserk::Pid(key.public_key());
    return paserk::ToPaserk(key);
  }
  if (alg == "v3.local") {
    V3LocalKey key = V3LocalKey::Generate();
    id = paserk::Lid(key);
    return paserk::ToPaserk(key);
  }
  if (alg == "v3.public") {
    Result<V3SecretKey> key = V3SecretKey::Generate();
    if (!key) {
      return tl::unexpected(key.error());
    }
    id = paserk::Pid(key->public_key());
    return paserk::ToPaserk(*key);
  }
  return Fail(ErrorCode::kInvalidArgument, "not a PASETO version and purpose: " + std::string(alg));
}

}  // namespace writ::cli
