#include "key_file.h"

#include <utility>

#include "cli_io.h"
#include "key_set_file.h"
#include "writ/key_set.h"

namespace writ::cli {
namespace {

Error WithPath(const std::string& path, Error error) {
  error.detail = path + ": " + error.detail;
  return error;
}

}  // namespace

Result<std::vector<Key>> LoadKeyFile(const std::string& path) {
  Result<WipedString> text = ReadFileLimited(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  // A JWK Set has a "keys" member; a JWK never does. The substring only picks which
  // parser's error to report: each parser still checks the whole document strictly.
  bool looks_like_set = text->view().find("\"keys\"") != std::string_view::npos;
  Result<KeySet> set = KeySet::FromJwks(text->view());
  if (set) {
    return set->keys();
  }
  Result<Key> key = Key::FromJwk(text->view());
  if (key) {
    return std::vector<Key>{*std::move(key)};
  }
  return tl::unexpected(WithPath(path, looks_like_set ? set.error() : key.error()));
}

Result<Key> LoadSingleKeyFile(const std::string& path) {
  Result<std::vector<Key>> keys = LoadKeyFile(path);
  if (!keys) {
    return tl::unexpected(keys.error());
  }
  if (keys->size() > 1) {
    // A managed signing key set (writ keys init, with rotation metadata): its active key
    // signs. A plain JWK Set of several keys stays ambiguous and is refused below.
    if (auto set = ReadKeySetFile(path);
        set && (set->next() != nullptr || set->active().activated.has_value())) {
      return set->active().key;
    }
  }
  if (keys->size() != 1) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": holds " + std::to_string(keys->size()) + " keys; expected exactly one");
  }
  return keys->front();
}

Result<std::vector<Key>> VerificationKeys(const std::vector<Key>& keys) {
  std::vector<Key> verification_keys;
  verification_keys.reserve(keys.size());
  for (const Key& key : keys) {
    if (IsSymmetric(key.alg()) || !key.can_sign()) {
      verification_keys.push_back(key);
      continue;
    }
    Result<Key> public_key = key.PublicKey();
    if (!public_key) {
      return tl::unexpected(public_key.error());
    }
    verification_keys.push_back(*std::move(public_key));
  }
  return verification_keys;
}

}  // namespace writ::cli
