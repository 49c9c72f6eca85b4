#include "paseto_key_file.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "cli_io.h"
#include "writ/paserk.h"

namespace writ::cli {
namespace {

std::string_view TrimAsciiSpace(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

// The "kN.TYPE" part of a PASERK ("k4.local-pw"), for messages: printable, bounded, and
// never any of the key's base64url data.
std::string PaserkPrefix(std::string_view paserk) {
  std::size_t first_dot = paserk.find('.');
  std::size_t second_dot = first_dot == std::string_view::npos ? first_dot : paserk.find('.', first_dot + 1);
  return PrintableText(paserk.substr(0, std::min<std::size_t>(second_dot, 24)));
}

template <typename Key>
Result<PaserkKey> AsVariant(Result<Key> key) {
  if (!key) {
    return tl::unexpected(key.error());
  }
  return PaserkKey(*std::move(key));
}

Result<PaserkKey> ParsePaserk(std::string_view paserk) {
  auto starts = [paserk](std::string_view prefix) { return paserk.substr(0, prefix.size()) == prefix; };
  if (starts("k4.local.")) {
    return AsVariant(paserk::ParseV4Local(paserk));
  }
  if (starts("k4.public.")) {
    return AsVariant(paserk::ParseV4Public(paserk));
  }
  if (starts("k4.secret.")) {
    return AsVariant(paserk::ParseV4Secret(paserk));
  }
  if (starts("k3.local.")) {
    return AsVariant(paserk::ParseV3Local(paserk));
  }
  if (starts("k3.public.")) {
    return AsVariant(paserk::ParseV3Public(paserk));
  }
  if (starts("k3.secret.")) {
    return AsVariant(paserk::ParseV3Secret(paserk));
  }
  std::string prefix = PaserkPrefix(paserk);
  if (!starts("k4.") && !starts("k3.")) {
    return Fail(ErrorCode::kInvalidArgument,
                "a " + prefix + " PASERK: only k4 and k3 keys (PASETO v4 and v3) are supported");
  }
  for (std::string_view id : {"lid.", "pid.", "sid."}) {
    if (paserk.substr(3, id.size()) == id) {
      return Fail(ErrorCode::kInvalidArgument,
                  "a " + prefix + " PASERK is a key id, not a key; give the key file itself");
    }
  }
  return Fail(ErrorCode::kInvalidArgument,
              "a " + prefix + " PASERK is not a plain key (wrapped, password-wrapped or sealed keys " +
                  "must be unwrapped first); expected kN.local, kN.secret or kN.public");
}

}  // namespace

bool LooksLikePaserk(std::string_view text) {
  text = TrimAsciiSpace(text);
  if (text.size() < 3 || text[0] != 'k') {
    return false;
  }
  std::size_t digits = 1;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  return digits > 1 && digits < text.size() && text[digits] == '.';
}

bool IsPaserkFile(const std::string& path) {
  Result<WipedString> text = ReadFileLimited(path);
  return text && LooksLikePaserk(text->view());
}

Result<PaserkKey> LoadPaserkFile(const std::string& path) {
  Result<WipedString> text = ReadFileLimited(path);
  if (!text) {
    return tl::unexpected(text.error());
  }
  std::string_view paserk = TrimAsciiSpace(text->view());
  if (paserk.find_first_of(" \t\r\n") != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, path + ": a PASERK key file holds exactly one key on one line");
  }
  Result<PaserkKey> key = ParsePaserk(paserk);
  if (!key) {
    Error error = key.error();
    error.detail = path + ": " + error.detail;
    return tl::unexpected(std::move(error));
  }
  return key;
}

std::string_view PaserkTypeName(const PaserkKey& key) {
  static constexpr std::array<std::string_view, std::variant_size_v<PaserkKey>> kNames = {
      "k4.local", "k4.public", "k4.secret", "k3.local", "k3.public", "k3.secret"};
  return kNames[key.index()];
}

std::string_view TokenHeaderFor(const PaserkKey& key) {
  static constexpr std::array<std::string_view, std::variant_size_v<PaserkKey>> kHeaders = {
      "v4.local.", "v4.public.", "v4.public.", "v3.local.", "v3.public.", "v3.public."};
  return kHeaders[key.index()];
}

}  // namespace writ::cli
