#include "sensitive_claims.h"

#include <cstdint>
#include <string>

namespace writ::cli {
namespace {

// Compared against the name lowercased with '_', '-' and '.' removed. Long words match
// anywhere in the name ("user_password"); short ones only the whole name, so that
// "classname" does not match "ssn".
constexpr std::string_view kSensitiveWords[] = {
    "password",     "passwd",        "passphrase",   "secret",        "privatekey",
    "apikey",       "accesskey",     "creditcard",   "cardnumber",    "cardnum",
    "ccnumber",     "securitycode",  "socialsecurity", "passport",    "bankaccount",
    "accountnumber", "routingnumber", "taxid",       "nationalid",    "driverslicense",
    "sessionsecret", "clientsecret",  "refreshtoken", "mothersmaidenname",
};
constexpr std::string_view kSensitiveNames[] = {
    "ssn", "pwd", "pass", "cvv", "cvv2", "cvc", "cvc2", "pin", "iban", "ccn", "sin", "tin", "dob",
};
// NumericDate claims (RFC 7519 §4.1, OpenID Connect Core §5.1) are never card numbers.
constexpr std::string_view kDateClaims[] = {"exp", "nbf", "iat", "auth_time", "updated_at"};

constexpr int kMaxCardDigits = 19;
constexpr int kMinCardDigits = 13;

std::string NormalizeName(std::string_view name) {
  std::string normalized;
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.' || c == ' ') {
      continue;
    }
    normalized.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return normalized;
}

bool IsDateClaim(std::string_view path) {
  for (std::string_view name : kDateClaims) {
    if (path == name) {
      return true;
    }
  }
  return false;
}

// The last four digits, for a message that identifies without repeating the number.
std::string LastFour(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    }
  }
  return digits.substr(digits.size() - 4);
}

void WalkObject(simdjson::dom::object object, const std::string& path,
                std::vector<Finding>& findings);

// Checks `element` (found at `path`, e.g. "user.card") and everything inside it.
void Walk(simdjson::dom::element element, const std::string& path,
          std::vector<Finding>& findings) {
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object object;
      if (element.get(object) == simdjson::SUCCESS) {
        WalkObject(object, path, findings);
      }
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array array;
      if (element.get(array) != simdjson::SUCCESS) {
        return;
      }
      for (simdjson::dom::element item : array) {
        Walk(item, path + "[]", findings);
      }
      return;
    }
    case simdjson::dom::element_type::STRING:
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64: {
      if (IsDateClaim(path)) {
        return;
      }
      std::string text;
      std::string_view string_value;
      if (element.get(string_value) == simdjson::SUCCESS) {
        text = std::string(string_value);
      } else {
        text = simdjson::minify(element);
      }
      if (LooksLikeCardNumber(text)) {
        findings.push_back({Severity::kWarning, "card_number",
                            "claim \"" + path + "\" holds what looks like a payment card number "
                            "(ending " + LastFour(text) + ")"});
      }
      return;
    }
    default:
      return;
  }
}

void WalkObject(simdjson::dom::object object, const std::string& path,
                std::vector<Finding>& findings) {
  for (simdjson::dom::key_value_pair member : object) {
    std::string member_path =
        path.empty() ? std::string(member.key) : path + "." + std::string(member.key);
    if (IsSensitiveClaimName(member.key)) {
      findings.push_back({Severity::kWarning, "sensitive_claim",
                          "claim \"" + member_path +
                              "\" looks sensitive; JWT payloads are readable by anyone "
                              "holding the token"});
    }
    Walk(member.value, member_path, findings);
  }
}

}  // namespace

bool IsSensitiveClaimName(std::string_view name) {
  std::string normalized = NormalizeName(name);
  for (std::string_view exact : kSensitiveNames) {
    if (normalized == exact) {
      return true;
    }
  }
  for (std::string_view word : kSensitiveWords) {
    if (normalized.find(word) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool LooksLikeCardNumber(std::string_view text) {
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      continue;
    }
    // Group separators only between digits.
    bool between_digits = i > 0 && i + 1 < text.size() && text[i - 1] >= '0' &&
                          text[i - 1] <= '9' && text[i + 1] >= '0' && text[i + 1] <= '9';
    if ((c == ' ' || c == '-') && between_digits) {
      continue;
    }
    return false;
  }
  int count = static_cast<int>(digits.size());
  if (count < kMinCardDigits || count > kMaxCardDigits || digits[0] < '2' || digits[0] > '6') {
    return false;
  }
  // Luhn: from the right, double every second digit and sum the digits.
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int digit = *it - '0';
    if (double_it) {
      digit *= 2;
      if (digit > 9) {
        digit -= 9;
      }
    }
    sum += digit;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

std::vector<Finding> FindSensitiveClaims(simdjson::dom::object payload) {
  std::vector<Finding> findings;
  WalkObject(payload, "", findings);
  return findings;
}

}  // namespace writ::cli
