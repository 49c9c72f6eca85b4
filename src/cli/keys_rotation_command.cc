#include "keys_rotation_command.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_io.h"
#include "core/rfc3339.h"
#include "exit_codes.h"
#include "key_set_file.h"
#include "keys/rotation_document.h"
#include "keys/signing_key_set.h"
#include "server/duration.h"
#include "writ/alg.h"
#include "writ/clock.h"

namespace writ::cli {
namespace {

using keys::KeyState;
using keys::ManagedKey;
using keys::SigningKeySet;

constexpr std::string_view kAlgHelp =
    "HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA";

// RFC 3339 UTC; "unknown" for the epoch (the created time of a key from a plain JWK file).
std::string TimeText(Seconds time) {
  const std::int64_t seconds = time.time_since_epoch().count();
  if (seconds == 0) {
    return "unknown";
  }
  if (seconds < 0 || seconds > keys::kMaxRotationTime) {
    return std::to_string(seconds);
  }
  return internal::FormatRfc3339(seconds);
}

// The duration of `flag`, or nullopt after printing a usage error.
std::optional<std::chrono::seconds> DurationFlag(std::string_view command, std::string_view flag,
                                                 const std::string& text) {
  Result<std::chrono::seconds> parsed = server::ParseDuration(text);
  if (!parsed) {
    std::cerr << "writ keys " << command << ": " << flag << ": " << parsed.error().detail << '\n';
    return std::nullopt;
  }
  return *parsed;
}

void PrintReloadReminder(std::string_view command, const std::string& file) {
  std::cerr << "writ keys " << command << ": wrote " << PrintableText(file)
            << "; reload every server that uses it (SIGHUP) so that they sign and publish "
               "the new set\n";
}

// The key set file, read under its lock (held until this is destroyed): a rotation or
// removal reads, changes and replaces the file as one step against concurrent ones.
struct LockedKeySet {
  KeySetFileLock lock;
  SigningKeySet set;
};

// Prints the error and returns nullopt when the lock cannot be taken or the file read.
std::optional<LockedKeySet> LockAndRead(const std::string& file) {
  Result<KeySetFileLock> lock = KeySetFileLock::Acquire(file);
  if (!lock) {
    PrintError(lock.error());
    return std::nullopt;
  }
  Result<SigningKeySet> set = ReadKeySetFile(file);
  if (!set) {
    PrintError(set.error());
    return std::nullopt;
  }
  return LockedKeySet{std::move(*lock), std::move(*set)};
}

int Finish() {
  std::cout << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace

KeysRotationSubcommands AddKeysRotationCommands(CLI::App& keys, KeysRotationOptions& options) {
  CLI::App* init = keys.add_subcommand(
      "init", "Create a signing key set file: an active and a next key (mode 0600, never overwrites)");
  init->add_option("file", options.file, "Key set file to create")->required();
  init->add_option("--environment", options.environment,
                   "development, staging or production (the kids' prefix)")
      ->required()
      ->check(CLI::IsMember({"development", "staging", "production"}));
  init->add_option("--alg", options.alg, "Algorithm of every key in the set (default EdDSA)");
  init->add_option("--prepublish", options.prepublish,
                   "How long a next key is published before it may sign (default 1h; 1m to 30d)");

  CLI::App* list = keys.add_subcommand(
      "list", "List a key set's keys: kid, alg, state and times (never key material)");
  list->add_option("file", options.file, "Key set file")->required()->check(CLI::ExistingFile);

  CLI::App* rotate = keys.add_subcommand(
      "rotate", "Promote the next key to active, retire the active key, create a new next key");
  rotate->add_option("file", options.file, "Key set file")->required()->check(CLI::ExistingFile);
  rotate->add_flag("--force", options.force,
                   "Rotate before the next key's prepublish time (after a leak: verifiers may "
                   "reject the new key's tokens until they refetch the JWKS)");
  rotate->add_option("--if-older-than", options.if_older_than,
                     "Only when the active key has signed for longer than this (else print "
                     "\"not due\" and exit 0), for a timer");

  CLI::App* retire = keys.add_subcommand(
      "retire", "Remove retired keys whose tokens have all expired, or one key at once (--kid)");
  retire->add_option("file", options.file, "Key set file")->required()->check(CLI::ExistingFile);
  CLI::Option* after = retire->add_option(
      "--after", options.after,
      "Remove keys retired at least this long ago: the longest token lifetime plus clock skew "
      "and server reload time (default 24h)");
  CLI::Option* kid = retire->add_option(
      "--kid", options.kid, "Remove this retired or next key now (a leaked key; a next key is replaced)");
  kid->excludes(after);
  return {init, list, rotate, retire};
}

int RunKeysInit(const KeysRotationOptions& options) {
  const std::optional<Alg> alg = AlgFromName(options.alg);
  if (!alg) {
    std::cerr << "writ keys init: unknown algorithm '" << PrintableText(options.alg)
              << "'; use one of " << kAlgHelp << '\n';
    return kExitUsage;
  }
  const auto prepublish = DurationFlag("init", "--prepublish", options.prepublish);
  if (!prepublish) {
    return kExitUsage;
  }
  if (*prepublish < keys::kMinPrepublish || *prepublish > keys::kMaxPrepublish) {
    std::cerr << "writ keys init: --prepublish must be from 1m to 30d\n";
    return kExitUsage;
  }
  // Checked again, atomically, by O_EXCL at creation; this only spares the key generation.
  struct stat existing {};
  if (::lstat(options.file.c_str(), &existing) == 0) {
    PrintError(options.file + " already exists; refusing to overwrite it");
    return kExitFailure;
  }
  Result<SigningKeySet> set =
      SigningKeySet::Create(*alg, options.environment, SystemClock().Now(), *prepublish);
  if (!set) {
    PrintError(set.error());
    return kExitFailure;
  }
  if (Status created = CreateKeySetFile(options.file, *set); !created) {
    PrintError(created.error());
    return kExitFailure;
  }
  const ManagedKey& next = *set->next();
  std::cout << "active " << set->active().key.kid() << '\n'
            << "next " << next.key.kid() << '\n';
  std::cerr << "writ keys init: wrote " << PrintableText(options.file)
            << " (mode 0600); the next key may sign from " << TimeText(next.created + *prepublish)
            << " (writ keys rotate)\n";
  return Finish();
}

int RunKeysList(const KeysRotationOptions& options) {
  Result<SigningKeySet> set = ReadKeySetFile(options.file);
  if (!set) {
    PrintError(set.error());
    return kExitFailure;
  }
  for (const ManagedKey& key : set->keys()) {
    std::cout << PrintableText(key.key.kid()) << ' ' << AlgName(key.key.alg()) << ' '
              << keys::KeyStateName(key.state) << " created=" << TimeText(key.created);
    if (key.activated) {
      std::cout << " activated=" << TimeText(*key.activated);
    }
    if (key.retired) {
      std::cout << " retired=" << TimeText(*key.retired);
    }
    if (key.state == KeyState::kNext) {
      std::cout << " may_sign_from=" << TimeText(key.created + set->prepublish());
    }
    std::cout << '\n';
  }
  return Finish();
}

int RunKeysRotate(const KeysRotationOptions& options) {
  std::optional<std::chrono::seconds> min_age;
  if (!options.if_older_than.empty()) {
    min_age = DurationFlag("rotate", "--if-older-than", options.if_older_than);
    if (!min_age) {
      return kExitUsage;
    }
  }
  std::optional<LockedKeySet> locked = LockAndRead(options.file);
  if (!locked) {
    return kExitFailure;
  }
  SigningKeySet* set = &locked->set;
  const Seconds now = SystemClock().Now();
  const ManagedKey& active = set->active();
  const Seconds signing_since = active.activated.value_or(active.created);
  if (min_age && now - signing_since <= *min_age) {
    std::cout << "not due: " << PrintableText(active.key.kid()) << " has signed since "
              << TimeText(signing_since) << ", not longer than " << options.if_older_than << '\n';
    return Finish();
  }
  const std::string retiring = active.key.kid();
  if (Status rotated = set->Rotate(now, options.force); !rotated) {
    PrintError(options.file + ": " + FormatError(rotated.error()));
    return kExitFailure;
  }
  if (Status written = ReplaceKeySetFile(options.file, *set); !written) {
    PrintError(written.error());
    return kExitFailure;
  }
  std::cout << "active " << PrintableText(set->active().key.kid()) << '\n'
            << "next " << PrintableText(set->next()->key.kid()) << '\n'
            << "retired " << PrintableText(retiring) << '\n';
  PrintReloadReminder("rotate", options.file);
  return Finish();
}

int RunKeysRetire(const KeysRotationOptions& options) {
  const auto lifetime = DurationFlag("retire", "--after", options.after);
  if (!lifetime) {
    return kExitUsage;
  }
  std::optional<LockedKeySet> locked = LockAndRead(options.file);
  if (!locked) {
    return kExitFailure;
  }
  SigningKeySet* set = &locked->set;
  const Seconds now = SystemClock().Now();
  std::vector<std::string> removed;
  std::optional<std::string> replacement;
  if (!options.kid.empty()) {
    const bool was_next = set->next() != nullptr && set->next()->key.kid() == options.kid;
    if (Status status = set->Remove(options.kid); !status) {
      PrintError(options.file + ": " + FormatError(status.error()));
      return kExitFailure;
    }
    removed.push_back(options.kid);
    // A leaked next key is replaced, so that the set can still rotate.
    if (was_next) {
      if (Status added = set->AddNext(now); !added) {
        PrintError(options.file + ": " + FormatError(added.error()));
        return kExitFailure;
      }
      replacement = set->next()->key.kid();
    }
  } else {
    removed = set->RemoveExpired(now, *lifetime);
  }
  if (removed.empty()) {
    std::cout << "nothing to remove\n";
    return Finish();
  }
  if (Status written = ReplaceKeySetFile(options.file, *set); !written) {
    PrintError(written.error());
    return kExitFailure;
  }
  for (const std::string& kid : removed) {
    std::cout << "removed " << PrintableText(kid) << '\n';
  }
  if (replacement) {
    std::cout << "next " << PrintableText(*replacement) << '\n';
  }
  PrintReloadReminder("retire", options.file);
  return Finish();
}

}  // namespace writ::cli
