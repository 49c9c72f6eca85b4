#include "token_lint.h"

#include <cctype>
#include <string>
#include <string_view>

#include "writ/alg.h"

namespace writ::cli {
namespace {

constexpr std::string_view kKeyHeaders[] = {"jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string SecondsText(std::int64_t count) { return std::to_string(count) + "s"; }

}  // namespace

std::vector<Finding> LintHeader(const UnverifiedToken& token) {
  std::vector<Finding> findings;
  simdjson::dom::element alg_element;
  std::string_view alg = token.header_alg();
  if (token.header()["alg"].get(alg_element) != simdjson::SUCCESS) {
    findings.push_back({Severity::kCritical, "missing_alg", "the header has no alg"});
  } else if (EqualsIgnoringCase(alg, "none")) {
    // RFC 8725 §3.1: an unsigned token must never be accepted.
    findings.push_back({Severity::kCritical, "alg_none",
                        "alg is \"" + std::string(alg) +
                            "\": the token is unsigned and anyone can forge it"});
  } else if (!AlgFromName(alg)) {
    findings.push_back({Severity::kWarning, "unsupported_alg",
                        "alg is not one writ accepts (HS/RS/PS/ES 256-512, EdDSA)"});
  }
  for (std::string_view name : kKeyHeaders) {
    simdjson::dom::element member;
    if (token.header()[name].get(member) == simdjson::SUCCESS) {
      findings.push_back({Severity::kCritical, "key_in_header",
                          "header carries \"" + std::string(name) +
                              "\": a verifier that trusts it lets the sender pick the key"});
    }
  }
  simdjson::dom::element crit;
  if (token.header()["crit"].get(crit) == simdjson::SUCCESS) {
    findings.push_back({Severity::kWarning, "crit_header",
                        "header has crit; writ understands no extension and rejects it"});
  }
  return findings;
}

std::vector<Finding> LintTimes(const UnverifiedToken& token, Seconds now) {
  std::vector<Finding> findings;
  if (!token.payload()) {
    findings.push_back({Severity::kWarning, "payload_not_json",
                        "the payload is not a JSON object, so its claims cannot be checked"});
    return findings;
  }
  const std::int64_t now_seconds = now.time_since_epoch().count();
  UnverifiedDate exp = token.DateClaim("exp");
  UnverifiedDate iat = token.DateClaim("iat");
  UnverifiedDate nbf = token.DateClaim("nbf");
  if (!exp.present) {
    findings.push_back({Severity::kWarning, "missing_exp",
                        "no exp: the token never expires (RFC 8725 §3.10)"});
  } else if (!exp.seconds) {
    findings.push_back({Severity::kWarning, "invalid_exp", "exp is not a NumericDate number"});
  } else {
    if (iat.seconds && *exp.seconds - *iat.seconds > kMaxRecommendedLifetime.count()) {
      findings.push_back({Severity::kWarning, "long_lifetime",
                          "lifetime exp - iat is " + SecondsText(*exp.seconds - *iat.seconds) +
                              ", over 1 hour"});
    } else if (!iat.seconds &&
               *exp.seconds - now_seconds > kMaxRecommendedLifetime.count()) {
      findings.push_back({Severity::kWarning, "long_lifetime",
                          "no iat, and exp is " + SecondsText(*exp.seconds - now_seconds) +
                              " from now, over 1 hour"});
    }
    // RFC 7519 §4.1.4: expired when now >= exp.
    if (now_seconds >= *exp.seconds) {
      findings.push_back({Severity::kInfo, "expired",
                          "expired " + SecondsText(now_seconds - *exp.seconds) + " ago"});
    }
  }
  if (iat.present && !iat.seconds) {
    findings.push_back({Severity::kWarning, "invalid_iat", "iat is not a NumericDate number"});
  }
  if (nbf.present && !nbf.seconds) {
    findings.push_back({Severity::kWarning, "invalid_nbf", "nbf is not a NumericDate number"});
  } else if (nbf.seconds && now_seconds < *nbf.seconds) {
    findings.push_back({Severity::kInfo, "not_yet_valid",
                        "valid only in " + SecondsText(*nbf.seconds - now_seconds)});
  }
  return findings;
}

std::vector<Finding> LintSize(const UnverifiedToken& token) {
  std::vector<Finding> findings;
  if (token.token_size() > kMaxCookieTokenBytes) {
    findings.push_back({Severity::kWarning, "too_large_for_cookie",
                        "token is " + std::to_string(token.token_size()) +
                            " bytes; browsers drop cookies over 4096 bytes"});
  }
  return findings;
}

}  // namespace writ::cli
