#include "paseto_inspect.h"

#include <cstddef>
#include <iostream>
#include <string>
#include <vector>

#include "cli_io.h"
#include "core/base64url.h"
#include "core/rfc3339.h"
#include "core/strict_json.h"
#include "exit_codes.h"
#include "finding.h"
#include "json_pretty.h"
#include "writ/clock.h"
#include "writ/paserk.h"
#include "writ/paseto.h"

namespace writ::cli {
namespace {

constexpr std::string_view kBanner =
    "UNVERIFIED \u2014 signature NOT checked; do not trust these claims";
constexpr std::string_view kLocalBanner =
    "UNVERIFIED \u2014 nothing checked; the payload is encrypted and only the key holder can read it";
constexpr std::string_view kRule =
    "==============================================================";

constexpr internal::JsonLimits kDisplayLimits{.max_bytes = kMaxPasetoBytes, .max_depth = 64};

// The token's dot-separated parts: "v4", "public", body, and the footer when present.
std::vector<std::string_view> SplitToken(std::string_view token) {
  std::vector<std::string_view> parts;
  while (parts.size() < 5) {
    std::size_t dot = token.find('.');
    parts.push_back(token.substr(0, dot));
    if (dot == std::string_view::npos) {
      break;
    }
    token.remove_prefix(dot + 1);
  }
  return parts;
}

bool IsJson(std::string_view text) { return internal::CheckStrictValue(text, kDisplayLimits).has_value(); }

void PrintText(std::string_view label, std::string_view text) {
  if (!text.empty() && IsJson(text)) {
    std::cout << label << ":\n" << PrettyJson(text) << '\n';
  } else {
    std::cout << label << " (not JSON, " << text.size() << " bytes):\n" << EscapeForTerminal(text) << '\n';
  }
}

// PASETO times are RFC 3339 strings: list them, and lint exp.
void LintPayload(std::string_view payload, std::vector<Finding>& findings) {
  Result<simdjson::dom::object> claims = internal::ParseStrictObject(payload, kDisplayLimits);
  if (!claims) {
    findings.push_back({Severity::kWarning, "payload_not_json", "the payload is not a strict JSON object"});
    return;
  }
  bool any = false;
  for (std::string_view name : {"iat", "nbf", "exp"}) {
    std::string_view value;
    if (claims->at_key(name).get(value) != simdjson::SUCCESS) {
      continue;
    }
    if (!any) {
      std::cout << "times (as written):\n";
      any = true;
    }
    std::cout << "  " << name << ": " << PrintableText(value) << '\n';
    if (!internal::ParseRfc3339(value)) {
      findings.push_back({Severity::kWarning, "bad_time", std::string(name) + " is not an RFC 3339 date-time"});
    }
  }
  simdjson::dom::element exp_element;
  if (claims->at_key("exp").get(exp_element) != simdjson::SUCCESS) {
    findings.push_back({Severity::kWarning, "missing_exp", "no exp: the token never expires"});
    return;
  }
  std::string_view exp_text;
  if (exp_element.get(exp_text) != simdjson::SUCCESS) {
    findings.push_back({Severity::kWarning, "bad_time", "exp is not a string (PASETO uses RFC 3339)"});
    return;
  }
  std::optional<std::int64_t> exp = internal::ParseRfc3339(exp_text);
  if (exp && *exp <= SystemClock().Now().time_since_epoch().count()) {
    findings.push_back({Severity::kInfo, "expired", "exp is in the past"});
  }
}

}  // namespace

bool LooksLikePaseto(std::string_view token) {
  std::size_t digits = 1;
  while (digits < token.size() && token[digits] >= '0' && token[digits] <= '9') {
    ++digits;
  }
  return !token.empty() && token[0] == 'v' && digits > 1 && digits < token.size() && token[digits] == '.';
}

int InspectPaseto(std::string_view token) {
  if (token.size() > kMaxPasetoBytes) {
    PrintError("cannot decode the token: too_large: over " + std::to_string(kMaxPasetoBytes) + " bytes");
    return kExitFailure;
  }
  std::vector<std::string_view> parts = SplitToken(token);
  if (parts.size() < 3 || parts.size() > 4) {
    PrintError("cannot decode the token: malformed: a PASETO token is vN.PURPOSE.BODY[.FOOTER]");
    return kExitFailure;
  }
  const std::string_view version = parts[0];
  const std::string_view purpose = parts[1];
  if ((version != "v4" && version != "v3") || (purpose != "local" && purpose != "public")) {
    PrintError("cannot decode the token: unsupported_alg: " + PrintableText(version) + "." +
               PrintableText(purpose) + " (writ reads v4 and v3, local and public)");
    return kExitFailure;
  }
  std::optional<std::string> body = internal::Base64UrlDecode(parts[2]);
  if (!body) {
    PrintError("cannot decode the token: malformed: the body is not canonical base64url");
    return kExitFailure;
  }
  Result<std::string> footer = paseto::UnverifiedFooter(token);
  if (!footer) {
    PrintError("cannot decode the token: " + FormatError(footer.error()));
    return kExitFailure;
  }
  const bool is_public = purpose == "public";
  const std::size_t signature_size = version == "v4" ? 64 : 96;  // Ed25519; P-384 r || s
  if (is_public && body->size() < signature_size) {
    PrintError("cannot decode the token: malformed: the body is shorter than a signature");
    return kExitFailure;
  }

  std::vector<Finding> findings;
  std::cout << kRule << '\n' << (is_public ? kBanner : kLocalBanner) << '\n' << kRule << '\n';
  std::cout << "PASETO version: " << version << '\n';
  if (is_public) {
    std::cout << "purpose: public (signed; anyone can read the payload)\n";
    std::string_view payload(*body);
    payload.remove_suffix(signature_size);
    PrintText("payload", payload);
    std::cout << "signature: " << signature_size << " bytes (NOT checked)\n";
    LintPayload(payload, findings);
  } else {
    std::cout << "purpose: local (encrypted)\n";
    std::cout << "payload: encrypted, " << body->size()
              << " bytes of nonce, ciphertext and tag; only the " << version
              << ".local key can decrypt it\n";
  }
  if (footer->empty()) {
    std::cout << "footer: none\n";
  } else {
    PrintText("footer (authenticated only when the token is verified)", *footer);
    if (paserk::ContainsKeyMaterial(*footer)) {
      findings.push_back({Severity::kCritical, "key_in_footer",
                          "the footer carries a PASERK key; footers must never contain key material"});
    }
  }
  if (findings.empty()) {
    std::cout << "warnings: none\n";
  } else {
    std::cout << "warnings:\n";
    for (const Finding& finding : findings) {
      std::cout << FormatFinding(finding) << '\n';
    }
  }
  std::cout << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

}  // namespace writ::cli
