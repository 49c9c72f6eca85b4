// Per-key-type facts for PasetoReader and PasetoWriter, as overloads: the PASERK id of a
// key, the id prefix its tokens' footers use, and the operation that opens or makes a
// token with it.
#ifndef WRIT_CORE_PASETO_KEY_TRAITS_H_
#define WRIT_CORE_PASETO_KEY_TRAITS_H_

#include <string>
#include <string_view>

#include "writ/paseto.h"
#include "writ/paserk.h"

namespace writ::internal {

inline std::string KeyId(const V4LocalKey& key) { return paserk::Lid(key); }
inline std::string KeyId(const V3LocalKey& key) { return paserk::Lid(key); }
inline std::string KeyId(const V4PublicKey& key) { return paserk::Pid(key); }
inline std::string KeyId(const V3PublicKey& key) { return paserk::Pid(key); }
inline std::string KeyId(const V4SecretKey& key) { return paserk::Pid(key.public_key()); }
inline std::string KeyId(const V3SecretKey& key) { return paserk::Pid(key.public_key()); }

inline std::string_view IdPrefix(const V4LocalKey&) { return "k4.lid."; }
inline std::string_view IdPrefix(const V3LocalKey&) { return "k3.lid."; }
inline std::string_view IdPrefix(const V4PublicKey&) { return "k4.pid."; }
inline std::string_view IdPrefix(const V3PublicKey&) { return "k3.pid."; }

inline Result<PasetoMessage> Open(const V4LocalKey& key, std::string_view token, std::string_view implicit) {
  return paseto::Decrypt(key, token, implicit);
}
inline Result<PasetoMessage> Open(const V3LocalKey& key, std::string_view token, std::string_view implicit) {
  return paseto::Decrypt(key, token, implicit);
}
inline Result<PasetoMessage> Open(const V4PublicKey& key, std::string_view token, std::string_view implicit) {
  return paseto::Verify(key, token, implicit);
}
inline Result<PasetoMessage> Open(const V3PublicKey& key, std::string_view token, std::string_view implicit) {
  return paseto::Verify(key, token, implicit);
}

inline Result<std::string> Seal(const V4LocalKey& key, std::string_view payload, std::string_view footer,
                                std::string_view implicit) {
  return paseto::Encrypt(key, payload, footer, implicit);
}
inline Result<std::string> Seal(const V3LocalKey& key, std::string_view payload, std::string_view footer,
                                std::string_view implicit) {
  return paseto::Encrypt(key, payload, footer, implicit);
}
inline Result<std::string> Seal(const V4SecretKey& key, std::string_view payload, std::string_view footer,
                                std::string_view implicit) {
  return paseto::Sign(key, payload, footer, implicit);
}
inline Result<std::string> Seal(const V3SecretKey& key, std::string_view payload, std::string_view footer,
                                std::string_view implicit) {
  return paseto::Sign(key, payload, footer, implicit);
}

}  // namespace writ::internal

#endif  // WRIT_CORE_PASETO_KEY_TRAITS_H_
