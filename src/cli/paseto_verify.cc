#include "paseto_verify.h"

#include <iostream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "cli_io.h"
#include "exit_codes.h"
#include "paseto_key_file.h"
#include "writ/paseto_reader.h"

namespace writ::cli {
namespace {

// The key a reader holds: local keys as they are, secret keys as their public key.
V4LocalKey ReaderKey(const V4LocalKey& key) { return key; }
V3LocalKey ReaderKey(const V3LocalKey& key) { return key; }
V4PublicKey ReaderKey(const V4PublicKey& key) { return key; }
V3PublicKey ReaderKey(const V3PublicKey& key) { return key; }
V4PublicKey ReaderKey(const V4SecretKey& key) { return key.public_key(); }
V3PublicKey ReaderKey(const V3SecretKey& key) { return key.public_key(); }

template <typename Key>
Result<VerifiedPaseto> Read(Key key, std::string_view token, const Validator& validator,
                            std::string_view implicit) {
  std::vector<Key> ring;
  ring.push_back(std::move(key));
  Result<PasetoReader<Key>> reader = PasetoReader<Key>::Create(std::move(ring));
  if (!reader) {
    return tl::unexpected(reader.error());
  }
  return reader->Read(token, validator, implicit);
}

// "v3.public" for a token starting "v3.public.", or a description when it has no PASETO
// header at all.
std::string TokenKind(std::string_view token) {
  std::size_t first = token.find('.');
  std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || second > 16) {
    return "not a PASETO token";
  }
  return "a " + PrintableText(token.substr(0, second)) + " token";
}

}  // namespace

int RunPasetoVerify(const VerifyCommandOptions& options, const Validator& validator) {
  if (!options.type.empty()) {
    std::cerr << "writ verify: --typ is a JWS header check; PASETO tokens have no header\n";
    return kExitUsage;
  }
  Result<PaserkKey> key = LoadPaserkFile(options.key_file);
  if (!key) {
    PrintError(key.error());
    return kExitFailure;
  }
  Result<std::string> token = ReadTokenArgument(options.token);
  if (!token) {
    PrintError(token.error());
    return kExitFailure;
  }
  // Version and purpose come from the key, never from the token: say plainly when the
  // two disagree (the library alone would answer "token is not v4.local").
  std::string_view header = TokenHeaderFor(*key);
  if (token->substr(0, header.size()) != header) {
    header.remove_suffix(1);
    return ReportInvalid(Error{ErrorCode::kMalformed,
                               "the key is " + std::string(PaserkTypeName(*key)) + ", for " +
                                   std::string(header) + " tokens only; this is " + TokenKind(*token)});
  }
  Result<VerifiedPaseto> verified = std::visit(
      [&](const auto& typed_key) { return Read(ReaderKey(typed_key), *token, validator, options.implicit); },
      *key);
  if (!verified) {
    return ReportInvalid(verified.error());
  }
  std::cout << verified->payload_json() << '\n' << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli
