// Finding PASERKs that carry key material in arbitrary text, e.g. a token footer. The
// paserk README lists the types; only the IDs (lid, pid, sid) name a key without
// carrying it, so they alone are allowed through.
#include <array>

#include "writ/paserk.h"

namespace writ::paserk {
namespace {

// Every key-carrying type, each followed by the '.' that ends the type.
constexpr std::array<std::string_view, 8> kKeyTypes = {
    "local.", "public.", "secret.", "seal.", "local-wrap.", "secret-wrap.", "local-pw.", "secret-pw.",
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True if a key-carrying PASERK prefix "k<digits>.<type>." starts at text[start].
bool KeyPrefixAt(std::string_view text, std::size_t start) {
  std::size_t i = start + 1;  // past the 'k'
  const std::size_t first_digit = i;
  while (i < text.size() && IsDigit(text[i])) {
    ++i;
  }
  if (i == first_digit || i >= text.size() || text[i] != '.') {
    return false;
  }
  const std::string_view rest = text.substr(i + 1);
  for (std::string_view type : kKeyTypes) {
    if (rest.starts_with(type)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool ContainsKeyMaterial(std::string_view text) {
  for (std::size_t i = text.find('k'); i != std::string_view::npos; i = text.find('k', i + 1)) {
    if (KeyPrefixAt(text, i)) {
      return true;
    }
  }
  return false;
}

}  // namespace writ::paserk
