#include "writ/key_set.h"

#include "core/key_factory.h"
#include "core/printable.h"
#include "core/strict_json.h"

namespace writ {
namespace {

constexpr internal::JsonLimits kJwksLimits{.max_bytes = 1 << 20, .max_depth = 8};

}  // namespace

Result<KeySet> KeySet::Create(std::vector<Key> keys) {
  if (keys.size() > kMaxKeys) {
    return Fail(ErrorCode::kTooLarge, "more than " + std::to_string(kMaxKeys) + " keys in one set");
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (std::size_t j = i + 1; j < keys.size(); ++j) {
      if (keys[i].kid() == keys[j].kid()) {
        return Fail(ErrorCode::kInvalidArgument, "two keys share the kid \"" + internal::Printable(keys[i].kid()) + "\"");
      }
    }
  }
  return KeySet(std::move(keys));
}

Result<KeySet> KeySet::FromJwks(std::string_view jwks_json) {
  auto document = internal::ParseStrictObject(jwks_json, kJwksLimits);
  if (!document) {
    return tl::unexpected(document.error());
  }
  simdjson::dom::array members;
  if ((*document)["keys"].get(members) != simdjson::SUCCESS) {
    return Fail(ErrorCode::kMalformed, "a JWK Set needs a \"keys\" array (RFC 7517 §5)");
  }
  std::vector<Key> keys;
  std::size_t index = 0;
  for (auto member : members) {
    simdjson::dom::object jwk;
    if (member.get(jwk) != simdjson::SUCCESS) {
      return Fail(ErrorCode::kMalformed, "JWK Set member " + std::to_string(index) + " is not an object");
    }
    auto key = KeyFactory::FromJwkObject(jwk);
    if (!key) {
      return Fail(key.error().code, "JWK Set member " + std::to_string(index) + ": " + key.error().detail);
    }
    keys.push_back(std::move(*key));
    ++index;
    if (keys.size() > kMaxKeys) {
      return Fail(ErrorCode::kTooLarge, "more than " + std::to_string(kMaxKeys) + " keys in one set");
    }
  }
  return Create(std::move(keys));
}

const Key* KeySet::FindByKid(std::string_view kid) const {
  for (const Key& key : keys_) {
    if (key.kid() == kid) {
      return &key;
    }
  }
  return nullptr;
}

Result<const Key*> KeySet::Select(std::optional<std::string_view> kid, Alg alg) const {
  const Key* selected = nullptr;
  if (kid) {
    selected = FindByKid(*kid);
    if (selected == nullptr) {
      return Fail(ErrorCode::kUnknownKid, "no key with the token's kid");
    }
  } else {
    for (const Key& key : keys_) {
      if (key.alg() == alg) {
        if (selected != nullptr) {
          return Fail(ErrorCode::kAmbiguousKey, "token has no kid and several keys use its alg");
        }
        selected = &key;
      }
    }
    if (selected == nullptr) {
      return Fail(ErrorCode::kAlgMismatch, "no key for the token's alg " + std::string(AlgName(alg)));
    }
  }
  // RFC 8725 §3.1: the algorithm comes from the key; the header may only agree with it.
  if (selected->alg() != alg) {
    return Fail(ErrorCode::kAlgMismatch, "token alg " + std::string(AlgName(alg)) +
                                             " differs from the key's " +
                                             std::string(AlgName(selected->alg())));
  }
  return selected;
}

std::string KeySet::ToPublicJwks() const {
  std::string out = "{\"keys\":[";
  bool first = true;
  for (const Key& key : keys_) {
    auto jwk = key.ToPublicJwk();
    if (!jwk) {
      continue;  // HMAC keys are never published
    }
    if (!first) {
      out += ',';
    }
    out += *jwk;
    first = false;
  }
  out += "]}";
  return out;
}

}  // namespace writ
