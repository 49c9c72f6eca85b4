// The environment rules of the configuration (issue 5): per-environment audiences and
// keys, production refusals, unsafe key files, and findings reported as warnings.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "config_loader_fixture.h"
#include "keys/signing_key_set.h"
#include "server/config_loader.h"

namespace writ::server {
namespace {

using testing::ConfigLoader;
using testing::SecretText;
using testing::WriteFile;

class ConfigEnvironment : public ConfigLoader {
 protected:
  // A managed key set of `environment` written to signing.jwk (0600).
  void UseKeySet(std::string_view environment) {
    auto set = keys::SigningKeySet::Create(Alg::kEdDsa, environment, SystemClock().Now());
    ASSERT_TRUE(set) << set.error().detail;
    WriteFile(dir_ / "signing.jwk", SecretText(set->Serialize().value()));
  }

  static bool HasWarning(const ServerConfig& config, std::string_view needle) {
    for (const std::string& warning : config.warnings) {
      if (warning.find(needle) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

TEST_F(ConfigEnvironment, AudienceDefaultsToTheEnvironment) {
  // Without an explicit audience, a staging token (aud writ-staging) cannot pass in
  // production (aud writ-production), even with the same issuer.
  std::string tables = SecretTables();
  tables.erase(tables.find("audience = \"app\"\n"), std::string("audience = \"app\"\n").size());
  auto production = Load(tables);
  ASSERT_TRUE(production) << production.error().detail;
  EXPECT_EQ(production->audience, "writ-production");
  auto staging = Load("environment = \"staging\"\n" + tables);
  ASSERT_TRUE(staging) << staging.error().detail;
  EXPECT_EQ(staging->audience, "writ-staging");
}

TEST_F(ConfigEnvironment, DevModeAudienceIsTheDevelopmentOne) {
  auto config = Load("", true);
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->audience, "writ-development");
}

TEST_F(ConfigEnvironment, AttackStagingKeySetIsRefusedInProduction) {
  UseKeySet("staging");
  ExpectRefused(Load(SecretTables()), {"tokens.signing_keys", "belongs to staging", "production"});
}

TEST_F(ConfigEnvironment, ProductionKeySetLoadsInProductionWithItsNextKeyPublished) {
  UseKeySet("production");
  auto config = Load(SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_TRUE(config->signing_key->kid().starts_with("production-"));
  EXPECT_EQ(config->published_keys.size(), 2u);  // active and next
  EXPECT_EQ(config->jwks_max_age, std::chrono::minutes(10));
  EXPECT_EQ(config->signing_keys_source, "file:" + Path("signing.jwk"));
}

TEST_F(ConfigEnvironment, JwksMaxAgeIsConfigurableButNeverAbovePrepublish) {
  UseKeySet("production");  // prepublish 1 h
  auto config = Load(SecretTables("jwks_max_age = \"3h\"\n"));
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->jwks_max_age, std::chrono::hours(1));
}

TEST_F(ConfigEnvironment, AttackGroupReadableKeyFileIsRefusedInProduction) {
  ASSERT_EQ(::chmod(Path("signing.jwk").c_str(), 0644), 0);
  ExpectRefused(Load(SecretTables()), {"tokens.signing_keys", "chmod 600"});
}

TEST_F(ConfigEnvironment, GroupReadableKeyFileIsAWarningInStaging) {
  ASSERT_EQ(::chmod(Path("csrf.key").c_str(), 0640), 0);
  auto config = Load("environment = \"staging\"\n" + SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_TRUE(HasWarning(*config, "secrets.csrf_key"));
  EXPECT_TRUE(HasWarning(*config, "chmod 600"));
}

TEST_F(ConfigEnvironment, AttackPlainHttpOriginIsRefusedInProduction) {
  ExpectRefused(Load("allowed_origins = [\"http://app.example.com\"]\n" + SecretTables()),
                {"allowed_origins", "http://app.example.com", "Secure"});
}

TEST_F(ConfigEnvironment, PlainHttpOriginIsAllowedInStaging) {
  EXPECT_TRUE(Load("environment = \"staging\"\nallowed_origins = [\"http://127.0.0.1:8080\"]\n" +
                   SecretTables()));
}

TEST_F(ConfigEnvironment, AttackLiteralSecretIsRefusedNamingTheSources) {
  const std::string literal = "correct-horse-battery-staple-0123456789";
  std::string tables = SecretTables();
  const std::string csrf_line = "csrf_key = \"file:" + Path("csrf.key") + "\"\n";
  tables.replace(tables.find(csrf_line), csrf_line.size(), "csrf_key = \"" + literal + "\"\n");
  auto config = Load(tables);
  ExpectRefused(config, {"secrets.csrf_key", "env:", "file:", "exec:"});
  EXPECT_EQ(config.error().detail.find(literal), std::string::npos) << "the secret was echoed";
}

TEST_F(ConfigEnvironment, ExecSourceIsResolvedWithoutAShell) {
  // printf prints its argument as is; a shell would have expanded $HOME.
  std::string tables = SecretTables();
  const std::string csrf_line = "csrf_key = \"file:" + Path("csrf.key") + "\"\n";
  tables.replace(tables.find(csrf_line), csrf_line.size(),
                 "csrf_key = \"exec:printf %s $HOME-0123456789abcdef0123456789abcdef\"\n");
  auto config = Load(tables);
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(SecretText(config->csrf_key), "$HOME-0123456789abcdef0123456789abcdef");
  EXPECT_EQ(config->csrf_key_source, "exec:printf %s $HOME-0123456789abcdef0123456789abcdef");
}

TEST_F(ConfigEnvironment, WarningsReachTheCallerEvenWhenLoadingFails) {
  ASSERT_EQ(::chmod(Path("csrf.key").c_str(), 0644), 0);
  std::vector<std::string> warnings;
  WriteFile(dir_ / "writ.toml",
            "environment = \"staging\"\n" + SecretTables() + "[http]\nmax_header_bytes = 1024\n");
  LoadOptions options;
  options.config_path = Path("writ.toml");
  options.env = [](std::string_view) { return std::optional<std::string>(); };
  options.warnings = &warnings;
  ASSERT_FALSE(LoadServerConfig(options));
  bool reported = false;
  for (const std::string& warning : warnings) {
    reported = reported || warning.find("secrets.csrf_key") != std::string::npos;
  }
  EXPECT_TRUE(reported);
}

TEST_F(ConfigEnvironment, LintFindsAnEmptyOriginListAndALongAccessTtl) {
  auto config = Load("environment = \"staging\"\n" + SecretTables("access_ttl = \"2h\"\n"));
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_TRUE(HasWarning(*config, "allowed_origins: empty"));
  EXPECT_TRUE(HasWarning(*config, "tokens.access_ttl"));
}

TEST_F(ConfigEnvironment, ScopedKeySetsLoadPerAudience) {
  UseKeySet("production");
  auto billing = keys::SigningKeySet::Create(Alg::kEdDsa, "production", SystemClock().Now());
  ASSERT_TRUE(billing);
  WriteFile(dir_ / "billing.jwks", SecretText(billing->Serialize().value()));
  auto config = Load(SecretTables("scoped_signing_keys = [\"billing=file:" + Path("billing.jwks") +
                                  "\"]\nassertion_ttl = \"30s\"\n"));
  ASSERT_TRUE(config) << config.error().detail;
  ASSERT_EQ(config->scoped_keys.size(), 1u);
  EXPECT_EQ(config->scoped_keys[0].audience, "billing");
  EXPECT_EQ(config->scoped_keys[0].signing_key->kid(), billing->active().key.kid());
  EXPECT_EQ(config->scoped_keys[0].published.size(), 2u);
  EXPECT_EQ(config->assertion_ttl, std::chrono::seconds(30));
}

TEST_F(ConfigEnvironment, AttackScopedSetSharingTheMainKeysIsRefused) {
  // The same key set for the access tokens and a service: one leak would cover both.
  UseKeySet("production");
  ExpectRefused(Load(SecretTables("scoped_signing_keys = [\"billing=file:" + Path("signing.jwk") +
                                  "\"]\n")),
                {"billing", "used by another key set"});
}

TEST_F(ConfigEnvironment, AttackScopedSetOfAnotherEnvironmentIsRefused) {
  UseKeySet("production");
  auto staging = keys::SigningKeySet::Create(Alg::kEdDsa, "staging", SystemClock().Now());
  WriteFile(dir_ / "billing.jwks", SecretText(staging->Serialize().value()));
  ExpectRefused(Load(SecretTables("scoped_signing_keys = [\"billing=file:" + Path("billing.jwks") +
                                  "\"]\n")),
                {"billing", "belongs to staging"});
}

TEST_F(ConfigEnvironment, ScopedAudienceMustDifferFromTheAccessAudienceAndBeUnique) {
  UseKeySet("production");
  ExpectRefused(Load(SecretTables("scoped_signing_keys = [\"app=file:" + Path("signing.jwk") +
                                  "\"]\n")),
                {"access token's audience"});
  ExpectRefused(Load(SecretTables("scoped_signing_keys = [\"Billing!=file:x\"]\n")),
                {"AUDIENCE=SOURCE"});
}

TEST_F(ConfigEnvironment, IntrospectionClientsNeedStrongDistinctCredentials) {
  WriteFile(dir_ / "svc-a", "0123456789abcdef0123456789abcdef-a");
  WriteFile(dir_ / "svc-b", "0123456789abcdef0123456789abcdef-a");
  WriteFile(dir_ / "short", "too-short");
  auto config = Load("[introspection]\nclients = [\"a=file:" + Path("svc-a") + "\"]\n" +
                     SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  ASSERT_EQ(config->introspection_clients.size(), 1u);
  EXPECT_NE(config->FindIntrospectionClient("0123456789abcdef0123456789abcdef-a"), nullptr);
  EXPECT_EQ(config->FindIntrospectionClient("0123456789abcdef0123456789abcdef-b"), nullptr);
  ExpectRefused(Load("[introspection]\nclients = [\"a=file:" + Path("svc-a") + "\", \"b=file:" +
                     Path("svc-b") + "\"]\n" + SecretTables()),
                {"shares its credential"});
  ExpectRefused(Load("[introspection]\nclients = [\"a=file:" + Path("short") + "\"]\n" +
                     SecretTables()),
                {"under 32 bytes"});
  const std::string literal = "a=0123456789abcdef0123456789abcdef";
  auto refused = Load("[introspection]\nclients = [\"" + literal + "\"]\n" + SecretTables());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail.find("0123456789abcdef"), std::string::npos)
      << "a literal credential was echoed";
}

}  // namespace
}  // namespace writ::server
