#include "finding.h"

#include "cli_io.h"

namespace writ::cli {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

std::string FormatFinding(const Finding& finding) {
  std::string line(SeverityName(finding.severity));
  line += ": ";
  line += finding.code;
  line += ": ";
  // Messages quote claim names and paths taken from the token.
  line += PrintableText(finding.message);
  return line;
}

bool HasWarnings(const std::vector<Finding>& findings) {
  for (const Finding& finding : findings) {
    if (finding.severity != Severity::kInfo) {
      return true;
    }
  }
  return false;
}

}  // namespace writ::cli
