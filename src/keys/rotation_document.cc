#include "keys/rotation_document.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include <simdjson.h>

#include "core/key_factory.h"
#include "core/printable.h"
#include "core/strict_json.h"
#include "keys/secret_source.h"
#include "writ/key_set.h"

namespace writ::keys {
namespace {

using simdjson::SUCCESS;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Depth: document, "writ_rotation", its "keys", an entry (or document, "keys", a JWK, "oth").
constexpr internal::JsonLimits kDocumentLimits{.max_bytes = kMaxSecretBytes, .max_depth = 8};

std::string Quoted(std::string_view text) { return "\"" + internal::Printable(text) + "\""; }

tl::unexpected<Error> Malformed(std::string detail) {
  return Fail(ErrorCode::kMalformed, "key set document: " + detail);
}

// Fails unless every member name of `value` is one of `allowed`: the metadata decides
// which key signs, so a misspelt member is an error, never silently ignored.
Status OnlyMembers(object value, std::initializer_list<std::string_view> allowed,
                   const std::string& where) {
  for (auto field : value) {
    if (std::find(allowed.begin(), allowed.end(), field.key) == allowed.end()) {
      return Malformed(where + " has an unknown member " + Quoted(field.key));
    }
  }
  return {};
}

// One private key: a signing key set never holds a verification-only key.
Result<Key> ParsePrivateKey(object jwk, const std::string& where) {
  auto key = KeyFactory::FromJwkObject(jwk);
  if (!key) {
    return Fail(key.error().code, "key set document: " + where + ": " + key.error().detail);
  }
  if (!key->can_sign()) {
    return Fail(ErrorCode::kInvalidKey, "key set document: " + where + " (kid " +
                                            Quoted(key->kid()) +
                                            ") has no private part; a signing key set holds "
                                            "private keys only");
  }
  return key;
}

// The keys of a JWK Set's "keys" array (RFC 7517 §5): at least one, at most
// KeySet::kMaxKeys, all private, unique kids, one algorithm.
Result<std::vector<Key>> ParseKeys(array members) {
  if (members.size() == 0) {
    return Malformed("\"keys\" is empty");
  }
  if (members.size() > KeySet::kMaxKeys) {
    return Fail(ErrorCode::kTooLarge, "key set document: more than " +
                                          std::to_string(KeySet::kMaxKeys) + " keys");
  }
  std::vector<Key> keys;
  for (element member : members) {
    const std::string where = "JWK Set member " + std::to_string(keys.size());
    object jwk;
    if (member.get(jwk) != SUCCESS) {
      return Malformed(where + " is not an object");
    }
    auto key = ParsePrivateKey(jwk, where);
    if (!key) {
      return tl::unexpected(key.error());
    }
    for (const Key& earlier : keys) {
      if (earlier.kid() == key->kid()) {
        return Malformed("two keys share the kid " + Quoted(key->kid()));
      }
    }
    if (!keys.empty() && key->alg() != keys.front().alg()) {
      return Malformed("key " + Quoted(key->kid()) + " is " + std::string(AlgName(key->alg())) +
                       " but the first key is " + std::string(AlgName(keys.front().alg())) +
                       "; a key set holds keys of one algorithm");
    }
    keys.push_back(*std::move(key));
  }
  return keys;
}

// A plain JWK or JWK Set: the first key is active, the others retired at an unknown time.
RotationDocument PlainDocument(std::vector<Key> keys) {
  RotationDocument document{{}, kDefaultPrepublish};
  for (Key& key : keys) {
    const KeyState state = document.keys.empty() ? KeyState::kActive : KeyState::kRetired;
    document.keys.push_back(ManagedKey{std::move(key), state, Seconds{}, std::nullopt, std::nullopt});
  }
  return document;
}

struct Entry {
  std::string_view kid;
  KeyState state;
  Seconds created;
  std::optional<Seconds> activated;
  std::optional<Seconds> retired;
};

std::optional<KeyState> StateFromName(std::string_view name) {
  for (KeyState state : {KeyState::kNext, KeyState::kActive, KeyState::kRetired}) {
    if (KeyStateName(state) == name) {
      return state;
    }
  }
  return std::nullopt;
}

// The time member `name` of an entry, nullopt when absent: integer seconds since the epoch
// up to kMaxRotationTime (a fraction, a string or a negative number is refused).
Result<std::optional<Seconds>> ReadTime(object entry, std::string_view name,
                                        const std::string& where) {
  element value;
  if (entry[name].get(value) != SUCCESS) {
    return std::optional<Seconds>();
  }
  std::int64_t seconds = 0;
  if (value.get_int64().get(seconds) != SUCCESS || seconds < 0 || seconds > kMaxRotationTime) {
    return Malformed(where + ": \"" + std::string(name) +
                     "\" must be whole seconds since the epoch, up to the year 9999");
  }
  return std::optional<Seconds>(Seconds{std::chrono::seconds{seconds}});
}

// Which times each state carries: created always; activated never for a next key; retired
// exactly for retired keys (RemoveExpired needs it to know when the key may go).
Status CheckTimes(const Entry& entry, const std::string& where) {
  if (entry.state == KeyState::kRetired && !entry.retired) {
    return Malformed(where + " is retired but has no \"retired\" time");
  }
  if (entry.state != KeyState::kRetired && entry.retired) {
    return Malformed(where + " is " + std::string(KeyStateName(entry.state)) +
                     " but has a \"retired\" time");
  }
  if (entry.state == KeyState::kNext && entry.activated) {
    return Malformed(where + " is next but has an \"activated\" time");
  }
  return {};
}

Result<Entry> ParseEntry(element value, std::size_t index) {
  object object_value;
  std::string_view kid;
  if (value.get(object_value) != SUCCESS || object_value["kid"].get(kid) != SUCCESS) {
    return Malformed("writ_rotation key " + std::to_string(index) +
                     " is not an object with a string \"kid\"");
  }
  const std::string where = "writ_rotation key " + Quoted(kid);
  if (auto status = OnlyMembers(object_value, {"kid", "state", "created", "activated", "retired"},
                                where);
      !status) {
    return tl::unexpected(status.error());
  }
  std::string_view state_name;
  std::optional<KeyState> state;
  if (object_value["state"].get(state_name) == SUCCESS) {
    state = StateFromName(state_name);
  }
  if (!state) {
    return Malformed(where + ": \"state\" must be \"next\", \"active\" or \"retired\"");
  }
  auto created = ReadTime(object_value, "created", where);
  auto activated = ReadTime(object_value, "activated", where);
  auto retired = ReadTime(object_value, "retired", where);
  for (const auto* time : {&created, &activated, &retired}) {
    if (!*time) {
      return tl::unexpected(time->error());
    }
  }
  if (!*created) {
    return Malformed(where + " has no \"created\" time");
  }
  Entry entry{kid, *state, **created, *activated, *retired};
  if (auto status = CheckTimes(entry, where); !status) {
    return tl::unexpected(status.error());
  }
  return entry;
}

// One active key, first in "keys" (readers of a plain JWK Set sign with the first key), and
// at most one next key.
Status CheckStates(const std::vector<ManagedKey>& keys) {
  const auto count = [&keys](KeyState state) {
    return std::count_if(keys.begin(), keys.end(),
                         [state](const ManagedKey& key) { return key.state == state; });
  };
  if (count(KeyState::kActive) != 1) {
    return Malformed("exactly one key must be active; " +
                     std::to_string(count(KeyState::kActive)) + " are");
  }
  if (keys.front().state != KeyState::kActive) {
    return Malformed("the active key must be the first member of \"keys\"");
  }
  if (count(KeyState::kNext) > 1) {
    return Malformed("at most one key may be next; " + std::to_string(count(KeyState::kNext)) +
                     " are");
  }
  return {};
}

// Reads "prepublish" and "keys" of a "writ_rotation" whose version is known.
Result<RotationDocument> ParseRotationV1(object rotation, std::vector<Key> keys) {
  std::int64_t prepublish = 0;
  if (rotation["prepublish"].get_int64().get(prepublish) != SUCCESS ||
      prepublish < kMinPrepublish.count() || prepublish > kMaxPrepublish.count()) {
    return Malformed("writ_rotation \"prepublish\" must be whole seconds from " +
                     std::to_string(kMinPrepublish.count()) + " to " +
                     std::to_string(kMaxPrepublish.count()));
  }
  array entries;
  if (rotation["keys"].get(entries) != SUCCESS) {
    return Malformed("writ_rotation needs a \"keys\" array");
  }
  std::vector<std::optional<ManagedKey>> managed(keys.size());
  std::size_t index = 0;
  for (element value : entries) {
    auto entry = ParseEntry(value, index++);
    if (!entry) {
      return tl::unexpected(entry.error());
    }
    const auto key = std::find_if(keys.begin(), keys.end(),
                                  [&entry](const Key& k) { return k.kid() == entry->kid; });
    if (key == keys.end()) {
      return Malformed("writ_rotation names " + Quoted(entry->kid) + ", which is not among the keys");
    }
    std::optional<ManagedKey>& slot = managed[static_cast<std::size_t>(key - keys.begin())];
    if (slot) {
      return Malformed("two writ_rotation entries name " + Quoted(entry->kid));
    }
    slot = ManagedKey{*key, entry->state, entry->created, entry->activated, entry->retired};
  }
  RotationDocument document{{}, std::chrono::seconds{prepublish}};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!managed[i]) {
      return Malformed("key " + Quoted(keys[i].kid()) + " has no writ_rotation entry");
    }
    document.keys.push_back(*std::move(managed[i]));
  }
  if (auto status = CheckStates(document.keys); !status) {
    return tl::unexpected(status.error());
  }
  return document;
}

Result<RotationDocument> ParseRotation(element value, std::vector<Key> keys) {
  object rotation;
  if (value.get(rotation) != SUCCESS) {
    return Malformed("\"writ_rotation\" is not an object");
  }
  // The version first: a later version's members are reported as a version problem.
  std::int64_t version = 0;
  if (rotation["version"].get_int64().get(version) != SUCCESS) {
    return Malformed("writ_rotation needs an integer \"version\"");
  }
  if (version != kRotationVersion) {
    return Malformed("writ_rotation version " + std::to_string(version) +
                     " is not supported (this writ reads version " +
                     std::to_string(kRotationVersion) + ")");
  }
  if (auto status = OnlyMembers(rotation, {"version", "prepublish", "keys"}, "writ_rotation");
      !status) {
    return tl::unexpected(status.error());
  }
  return ParseRotationV1(rotation, std::move(keys));
}

}  // namespace

Result<RotationDocument> ParseRotationDocument(std::string_view document) {
  if (document.size() > kMaxSecretBytes) {
    return Fail(ErrorCode::kTooLarge, "key set document: longer than " +
                                          std::to_string(kMaxSecretBytes) + " bytes");
  }
  // ParseStrictObject copies the text into a padded buffer that it wipes after parsing.
  auto root = internal::ParseStrictObject(document, kDocumentLimits);
  if (!root) {
    return Fail(root.error().code, "key set document: " + root.error().detail);
  }
  element rotation;
  const bool has_rotation = (*root)["writ_rotation"].get(rotation) == SUCCESS;
  element keys_value;
  if ((*root)["keys"].get(keys_value) != SUCCESS) {
    if (has_rotation) {
      return Malformed("\"writ_rotation\" without a \"keys\" array");
    }
    auto key = ParsePrivateKey(*root, "the JWK");  // one JWK (RFC 7517 §4)
    if (!key) {
      return tl::unexpected(key.error());
    }
    return PlainDocument({*std::move(key)});
  }
  array members;
  if (keys_value.get(members) != SUCCESS) {
    return Malformed("\"keys\" is not an array (RFC 7517 §5)");
  }
  auto keys = ParseKeys(members);
  if (!keys) {
    return tl::unexpected(keys.error());
  }
  if (!has_rotation) {
    return PlainDocument(*std::move(keys));
  }
  return ParseRotation(rotation, *std::move(keys));
}

}  // namespace writ::keys
