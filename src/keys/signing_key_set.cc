#include "keys/signing_key_set.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

#include "core/json_writer.h"
#include "core/printable.h"
#include "core/rfc3339.h"
#include "core/sodium_init.h"
#include "keys/rotation_document.h"
#include "keys/secret_source.h"

namespace writ::keys {
namespace {

constexpr std::array<std::string_view, 3> kEnvironments = {"development", "staging", "production"};
constexpr std::size_t kKidDateDigits = 8;  // YYYYMMDD
constexpr std::size_t kKidRandomHex = 8;   // 4 random bytes
// A kid collision among a handful of keys with 32 random bits is rare; more than this many
// in a row means the CSPRNG is broken.
constexpr int kKidAttempts = 8;

// The environment name in kEnvironments equal to `name`, or nullopt.
std::optional<std::string_view> KnownEnvironment(std::string_view name) {
  for (std::string_view environment : kEnvironments) {
    if (environment == name) {
      return environment;
    }
  }
  return std::nullopt;
}

bool AllOf(std::string_view text, bool (*predicate)(char)) {
  return std::all_of(text.begin(), text.end(), predicate);
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }

// The environment of a kid of the form "<environment>-<YYYYMMDD>-<8 lowercase hex>", or "".
std::string_view EnvironmentOfKid(std::string_view kid) {
  const std::size_t suffix = 1 + kKidDateDigits + 1 + kKidRandomHex;
  if (kid.size() <= suffix) {
    return {};
  }
  const std::string_view tail = kid.substr(kid.size() - suffix);
  if (tail[0] != '-' || tail[1 + kKidDateDigits] != '-' ||
      !AllOf(tail.substr(1, kKidDateDigits), IsDigit) ||
      !AllOf(tail.substr(2 + kKidDateDigits), IsLowerHex)) {
    return {};
  }
  return KnownEnvironment(kid.substr(0, kid.size() - suffix)).value_or(std::string_view{});
}

// "<environment>-<YYYYMMDD of now, UTC>-<8 lowercase hex from the CSPRNG>".
std::string NewKid(std::string_view environment, Seconds now) {
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(now)};
  char day[16];
  std::snprintf(day, sizeof(day), "%04d%02u%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  internal::EnsureSodium();
  std::array<unsigned char, kKidRandomHex / 2> random{};
  randombytes_buf(random.data(), random.size());
  std::array<char, kKidRandomHex + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
  return std::string(environment) + "-" + day + "-" + hex.data();
}

// A fresh key of `alg` whose kid is not among `existing`.
Result<Key> GenerateKey(Alg alg, std::string_view environment, Seconds now,
                        const std::vector<ManagedKey>& existing) {
  for (int attempt = 0; attempt < kKidAttempts; ++attempt) {
    std::string kid = NewKid(environment, now);
    const bool taken = std::any_of(existing.begin(), existing.end(), [&kid](const ManagedKey& key) {
      return key.key.kid() == kid;
    });
    if (!taken) {
      return Key::Generate(alg, std::move(kid));
    }
  }
  return Fail(ErrorCode::kCrypto, "could not draw an unused kid");
}

// A new key for a set whose active key is keys.front() and whose environment that key's
// kid names: same algorithm, same environment.
Result<Key> KeyLikeActive(const std::vector<ManagedKey>& keys, std::string_view environment,
                          Seconds now) {
  if (environment.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the active kid \"" + internal::Printable(keys.front().key.kid()) +
                    "\" names no environment, so a new key cannot be named; start a new set "
                    "with `writ keys init`");
  }
  return GenerateKey(keys.front().key.alg(), environment, now, keys);
}

// A time for error details: RFC 3339 when it has one, else the count of seconds.
std::string TimeText(Seconds time) {
  const std::int64_t seconds = time.time_since_epoch().count();
  if (seconds >= 0 && seconds <= kMaxRotationTime) {
    return internal::FormatRfc3339(seconds);
  }
  return std::to_string(seconds) + " s";
}

int StateRank(KeyState state) {
  switch (state) {
    case KeyState::kActive:
      return 0;
    case KeyState::kNext:
      return 1;
    case KeyState::kRetired:
      return 2;
  }
  return 3;
}

// The order of SigningKeySet::keys_ (see the header).
void SortKeys(std::vector<ManagedKey>& keys) {
  std::stable_sort(keys.begin(), keys.end(), [](const ManagedKey& a, const ManagedKey& b) {
    if (a.state != b.state) {
      return StateRank(a.state) < StateRank(b.state);
    }
    if (a.retired.has_value() != b.retired.has_value()) {
      return a.retired.has_value();
    }
    return a.retired.has_value() && *a.retired > *b.retired;
  });
}

// A std::string reserved once and wiped (all of its capacity) on destruction, for
// assembling a document that holds private JWKs.
class WipedText {
 public:
  explicit WipedText(std::size_t capacity) { text_.reserve(capacity); }
  WipedText(const WipedText&) = delete;
  WipedText& operator=(const WipedText&) = delete;
  ~WipedText() {
    text_.resize(text_.capacity());  // never reallocates; covers bytes past the size
    sodium_memzero(text_.data(), text_.size());
  }
  std::string& text() { return text_; }

 private:
  std::string text_;
};

std::string_view AsText(const SecretBytes& bytes) {
  const auto span = bytes.expose_secret();
  return {reinterpret_cast<const char*>(span.data()), span.size()};
}

void AppendTime(std::string& out, std::string_view name, Seconds time) {
  out += ",\"";
  out += name;
  out += "\":";
  out += std::to_string(time.time_since_epoch().count());
}

// The "writ_rotation" member's value (no secrets in it).
std::string RotationJson(const std::vector<ManagedKey>& keys, std::chrono::seconds prepublish) {
  std::string out = "{\"version\":" + std::to_string(kRotationVersion) +
                    ",\"prepublish\":" + std::to_string(prepublish.count()) + ",\"keys\":[";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const ManagedKey& key = keys[i];
    out += i == 0 ? "\n{" : ",\n{";
    internal::AppendStringMember(out, "kid", key.key.kid());
    internal::AppendStringMember(out, "state", KeyStateName(key.state));
    AppendTime(out, "created", key.created);
    if (key.activated) {
      AppendTime(out, "activated", *key.activated);
    }
    if (key.retired) {
      AppendTime(out, "retired", *key.retired);
    }
    out += '}';
  }
  out += "\n]}";
  return out;
}

}  // namespace

std::string_view KeyStateName(KeyState state) {
  switch (state) {
    case KeyState::kNext:
      return "next";
    case KeyState::kActive:
      return "active";
    case KeyState::kRetired:
      return "retired";
  }
  return "unknown";
}

Result<SigningKeySet> SigningKeySet::Create(Alg alg, std::string_view environment, Seconds now,
                                            std::chrono::seconds prepublish) {
  const std::optional<std::string_view> known = KnownEnvironment(environment);
  if (!known) {
    return Fail(ErrorCode::kInvalidArgument,
                "unknown environment \"" + internal::Printable(environment) +
                    "\" (development, staging or production)");
  }
  if (prepublish < kMinPrepublish || prepublish > kMaxPrepublish) {
    return Fail(ErrorCode::kInvalidArgument,
                "prepublish must be between " + std::to_string(kMinPrepublish.count()) + " s and " +
                    std::to_string(kMaxPrepublish.count()) + " s");
  }
  std::vector<ManagedKey> keys;
  auto active = GenerateKey(alg, *known, now, keys);
  if (!active) {
    return tl::unexpected(active.error());
  }
  keys.push_back(ManagedKey{*std::move(active), KeyState::kActive, now, now, std::nullopt});
  auto next = GenerateKey(alg, *known, now, keys);
  if (!next) {
    return tl::unexpected(next.error());
  }
  keys.push_back(ManagedKey{*std::move(next), KeyState::kNext, now, std::nullopt, std::nullopt});
  return SigningKeySet(std::move(keys), prepublish);
}

Result<SigningKeySet> SigningKeySet::Parse(const SecretBytes& document) {
  auto parsed = ParseRotationDocument(AsText(document));
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  SortKeys(parsed->keys);
  return SigningKeySet(std::move(parsed->keys), parsed->prepublish);
}

Result<SecretBytes> SigningKeySet::Serialize() const {
  std::vector<SecretBytes> jwks;
  std::size_t capacity = 0;
  for (const ManagedKey& key : keys_) {
    auto jwk = key.key.ToPrivateJwk();
    if (!jwk) {
      return Fail(jwk.error().code, "key \"" + internal::Printable(key.key.kid()) + "\": " +
                                        jwk.error().detail);
    }
    capacity += jwk->size() + 2;  // ",\n"
    jwks.push_back(*std::move(jwk));
  }
  // A plain JWK Set still holding a retired key of unknown retirement stays plain: the
  // metadata would have to invent a retired time, or be refused by Parse.
  const bool plain = std::any_of(keys_.begin(), keys_.end(), [](const ManagedKey& key) {
    return key.state == KeyState::kRetired && !key.retired;
  });
  const std::string rotation = plain ? std::string() : RotationJson(keys_, prepublish_);
  capacity += rotation.size() + 64;  // the fixed text below fits in 64 bytes
  WipedText out(capacity);
  std::string& text = out.text();
  text += "{\"keys\":[";
  for (std::size_t i = 0; i < jwks.size(); ++i) {
    text += i == 0 ? "\n" : ",\n";
    text += AsText(jwks[i]);
  }
  text += "\n]";
  if (!plain) {
    text += ",\n\"writ_rotation\":";
    text += rotation;
  }
  text += "}\n";
  if (text.size() > kMaxSecretBytes) {
    return Fail(ErrorCode::kTooLarge, "the key set document would exceed " +
                                          std::to_string(kMaxSecretBytes) + " bytes");
  }
  return SecretBytes::FromString(text);
}

Status SigningKeySet::Rotate(Seconds now, bool force) {
  if (keys_.size() < 2 || keys_[1].state != KeyState::kNext) {
    return Fail(ErrorCode::kInvalidArgument,
                "the set has no next key to promote (a key set from `writ keys init` has one)");
  }
  const ManagedKey& next = keys_[1];
  const Seconds ready = next.created + prepublish_;
  if (!force && now < ready) {
    return Fail(ErrorCode::kInvalidArgument,
                "the next key \"" + internal::Printable(next.key.kid()) + "\" was published at " +
                    TimeText(next.created) + " and may sign from " + TimeText(ready) +
                    " (prepublish " + std::to_string(prepublish_.count()) +
                    " s, so that every verifier has fetched it); force only after a leak");
  }
  auto fresh = KeyLikeActive(keys_, environment(), now);
  if (!fresh) {
    return tl::unexpected(fresh.error());
  }
  keys_[0].state = KeyState::kRetired;
  keys_[0].retired = now;
  keys_[1].state = KeyState::kActive;
  keys_[1].activated = now;
  keys_.push_back(ManagedKey{*std::move(fresh), KeyState::kNext, now, std::nullopt, std::nullopt});
  SortKeys(keys_);
  return {};
}

Status SigningKeySet::AddNext(Seconds now) {
  if (next() != nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "the set has a next key already: \"" + internal::Printable(next()->key.kid()) + "\"");
  }
  auto fresh = KeyLikeActive(keys_, environment(), now);
  if (!fresh) {
    return tl::unexpected(fresh.error());
  }
  keys_.push_back(ManagedKey{*std::move(fresh), KeyState::kNext, now, std::nullopt, std::nullopt});
  SortKeys(keys_);
  return {};
}

std::vector<std::string> SigningKeySet::RemoveExpired(Seconds now,
                                                      std::chrono::seconds max_token_lifetime) {
  const std::chrono::seconds lifetime = std::max(max_token_lifetime, std::chrono::seconds{0});
  std::vector<std::string> removed;
  std::vector<ManagedKey> kept;
  kept.reserve(keys_.size());
  for (ManagedKey& key : keys_) {
    // RFC 7519 §4.1.4: a token with exp <= now is expired; none signed by this key is left.
    if (key.state == KeyState::kRetired && key.retired && now >= *key.retired + lifetime) {
      removed.push_back(key.key.kid());
    } else {
      kept.push_back(std::move(key));
    }
  }
  keys_ = std::move(kept);
  return removed;
}

Status SigningKeySet::Remove(std::string_view kid) {
  const auto found = std::find_if(keys_.begin(), keys_.end(),
                                  [kid](const ManagedKey& key) { return key.key.kid() == kid; });
  if (found == keys_.end()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no key \"" + internal::Printable(kid) + "\" in the set");
  }
  if (found->state == KeyState::kActive) {
    return Fail(ErrorCode::kInvalidArgument,
                "\"" + internal::Printable(kid) +
                    "\" is the active key; rotate first (with force after a leak), then remove it");
  }
  keys_.erase(found);
  return {};
}

const ManagedKey& SigningKeySet::active() const { return keys_.front(); }

const ManagedKey* SigningKeySet::next() const {
  if (keys_.size() > 1 && keys_[1].state == KeyState::kNext) {
    return &keys_[1];
  }
  return nullptr;
}

std::string_view SigningKeySet::environment() const { return EnvironmentOfKid(active().key.kid()); }

}  // namespace writ::keys
