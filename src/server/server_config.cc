#include "server/server_config.h"

namespace writ::server {

std::string_view EnvironmentName(Environment environment) {
  switch (environment) {
    case Environment::kDevelopment:
      return "development";
    case Environment::kStaging:
      return "staging";
    case Environment::kProduction:
      return "production";
  }
  return "production";
}

}  // namespace writ::server
