#include "server/config_loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "config_loader_fixture.h"
#include "writ/key.h"
#include "writ/secret_bytes.h"

namespace writ::server {
namespace {

// A PEM armour line with no key in it: "something that is not a JWK / not a source".
// Built here so that no committed file carries anything shaped like a private key.
const std::string kPemArmour = std::string("-----BEGIN ") + "PRIVATE KEY-----\n";

using std::chrono::seconds;
using testing::ConfigLoader;
using testing::PrivateJwk;
using testing::RandomHex;
using testing::SecretText;
using testing::WriteFile;


TEST_F(ConfigLoader, MinimalProductionConfigLoadsWithDefaults) {
  auto config = Load(SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->environment, Environment::kProduction);
  EXPECT_FALSE(config->dev_mode);
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 8443);
  EXPECT_EQ(config->sessions.access_ttl, seconds(15 * 60));
  EXPECT_EQ(config->sessions.refresh_grace, seconds(10));
  EXPECT_EQ(config->throttle.max_account_failures, 10u);
  EXPECT_FALSE(config->signup_enabled);
  EXPECT_FALSE(config->tls);
  ASSERT_TRUE(config->signing_key);
  EXPECT_EQ(config->signing_key->kid(), "test-signing");
  EXPECT_TRUE(config->signing_key->can_sign());
  ASSERT_EQ(config->verification_keys.size(), 1u);
  EXPECT_FALSE(config->verification_keys[0].can_sign());
  EXPECT_EQ(SecretText(config->refresh_hash_key), refresh_secret_);
  EXPECT_EQ(SecretText(config->csrf_key), csrf_secret_);
}

TEST_F(ConfigLoader, EveryKeyIsParsed) {
  WriteFile(dir_ / "tls.pem", kPemArmour);
  auto config = Load(
      "environment = \"staging\"\n"
      "listen = \"[::1]:9443\"\n"
      "allowed_origins = [\"https://app.example.com\", \"http://localhost:3000\"]\n"
      "trusted_proxies = [\"10.0.0.1\", \"::1\"]\n"
      "store = \"sqlite:/var/lib/writ/test.db\"\n"
      "redis = \"redis://127.0.0.1:6379\"\n"
      "threads = 4\n"
      "hash_threads = 3\n"
      "[tls]\n"
      "certificate_chain = \"/etc/writ/cert.pem\"\n"
      "private_key = \"file:" + Path("tls.pem") + "\"\n"
      "[http]\n"
      "max_header_bytes = 16384\n"
      "max_body_bytes = 32768\n"
      "header_timeout = \"5s\"\n"
      "body_timeout = \"7s\"\n"
      "idle_timeout = \"2m\"\n"
      "max_connections = 500\n" +
      SecretTables("access_ttl = \"5m\"\n") +
      "[accounts]\n"
      "signup = true\n"
      "password_min_length = 12\n"
      "password_max_length = 256\n"
      "argon2_opslimit = 3\n"
      "argon2_memlimit_kib = 65536\n"
      "[sessions]\n"
      "refresh_grace = \"30s\"\n"
      "session_ttl = \"8h\"\n"
      "remember_ttl = \"14d\"\n"
      "idle_ttl = \"3d\"\n"
      "[throttle]\n"
      "max_account_failures = 5\n"
      "account_backoff_base = \"2s\"\n"
      "account_backoff_max = \"10m\"\n"
      "ip_rate_per_second = 2.5\n"
      "ip_burst = 40\n"
      "[audit]\n"
      "sink = \"file:/var/log/writ/audit.log\"\n"
      "retention = \"30d\"\n");
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->environment, Environment::kStaging);
  EXPECT_EQ(config->listen_host, "::1");
  EXPECT_EQ(config->listen_port, 9443);
  EXPECT_EQ(config->allowed_origins,
            (std::vector<std::string>{"https://app.example.com", "http://localhost:3000"}));
  EXPECT_EQ(config->trusted_proxies, (std::vector<std::string>{"10.0.0.1", "::1"}));
  EXPECT_EQ(config->store, "sqlite:/var/lib/writ/test.db");
  EXPECT_EQ(config->redis, "redis://127.0.0.1:6379");
  EXPECT_EQ(config->threads, 4u);
  EXPECT_EQ(config->hash_threads, 3u);
  ASSERT_TRUE(config->tls);
  EXPECT_EQ(config->tls->certificate_chain_file, "/etc/writ/cert.pem");
  EXPECT_EQ(config->tls->private_key_source, "file:" + Path("tls.pem"));
  EXPECT_EQ(config->limits.max_header_bytes, 16384u);
  EXPECT_EQ(config->limits.max_body_bytes, 32768u);
  EXPECT_EQ(config->limits.header_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(config->limits.body_timeout, std::chrono::milliseconds(7000));
  EXPECT_EQ(config->limits.idle_timeout, std::chrono::milliseconds(120000));
  EXPECT_EQ(config->limits.max_connections, 500u);
  EXPECT_EQ(config->issuer, "https://auth.example.com");
  EXPECT_EQ(config->audience, "app");
  EXPECT_EQ(config->sessions.access_ttl, seconds(300));
  EXPECT_TRUE(config->signup_enabled);
  EXPECT_EQ(config->passwords.min_length, 12u);
  EXPECT_EQ(config->passwords.max_length, 256u);
  EXPECT_EQ(config->passwords.opslimit, 3u);
  EXPECT_EQ(config->passwords.memlimit_bytes, 65536u * 1024u);
  EXPECT_EQ(config->sessions.refresh_grace, seconds(30));
  EXPECT_EQ(config->sessions.session_ttl, seconds(8 * 3600));
  EXPECT_EQ(config->sessions.remember_ttl, seconds(14 * 86400));
  EXPECT_EQ(config->sessions.idle_ttl, seconds(3 * 86400));
  EXPECT_EQ(config->throttle.max_account_failures, 5u);
  EXPECT_EQ(config->throttle.account_backoff_base, seconds(2));
  EXPECT_EQ(config->throttle.account_backoff_max, seconds(600));
  EXPECT_DOUBLE_EQ(config->throttle.ip_rate_per_second, 2.5);
  EXPECT_DOUBLE_EQ(config->throttle.ip_burst, 40.0);
  EXPECT_EQ(config->audit.sink, "file:/var/log/writ/audit.log");
  EXPECT_EQ(config->audit.retention, seconds(30 * 86400));
}

TEST_F(ConfigLoader, EnvironmentOverridesWinOverTheFile) {
  env_["WRIT_LISTEN"] = "0.0.0.0:7000";
  env_["WRIT_THREADS"] = "8";
  env_["WRIT_TOKENS_ACCESS_TTL"] = "10m";
  env_["WRIT_TOKENS_AUDIENCE"] = "api";
  env_["WRIT_ACCOUNTS_SIGNUP"] = "true";
  env_["WRIT_ALLOWED_ORIGINS"] = "https://a.example.com, https://b.example.com";
  env_["WRIT_THROTTLE_IP_BURST"] = "7";
  env_["WRIT_THROTTLE_IP_RATE_PER_SECOND"] = "0.5";
  env_["WRIT_SECRETS_CSRF_KEY"] = "file:" + Path("other-csrf.key");
  const std::string other_csrf = RandomHex(40);
  WriteFile(dir_ / "other-csrf.key", other_csrf);
  auto config = Load("listen = \"127.0.0.1:8080\"\nthreads = 2\n"
                     "allowed_origins = [\"https://file.example.com\"]\n" +
                     SecretTables("access_ttl = \"1m\"\n") + "[accounts]\nsignup = false\n");
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->listen_host, "0.0.0.0");
  EXPECT_EQ(config->listen_port, 7000);
  EXPECT_EQ(config->threads, 8u);
  EXPECT_EQ(config->sessions.access_ttl, seconds(600));
  EXPECT_EQ(config->audience, "api");
  EXPECT_TRUE(config->signup_enabled);
  EXPECT_EQ(config->allowed_origins,
            (std::vector<std::string>{"https://a.example.com", "https://b.example.com"}));
  EXPECT_DOUBLE_EQ(config->throttle.ip_burst, 7.0);
  EXPECT_DOUBLE_EQ(config->throttle.ip_rate_per_second, 0.5);
  EXPECT_EQ(SecretText(config->csrf_key), other_csrf);
}

TEST_F(ConfigLoader, EnvironmentAloneCanConfigureEverything) {
  env_["WRIT_TOKENS_ISSUER"] = "https://auth.example.com";
  env_["WRIT_TOKENS_AUDIENCE"] = "app";
  env_["WRIT_TOKENS_SIGNING_KEYS"] = "file:" + Path("signing.jwk");
  env_["WRIT_SECRETS_REFRESH_HASH_KEY"] = "file:" + Path("refresh.key");
  env_["WRIT_SECRETS_CSRF_KEY"] = "file:" + Path("csrf.key");
  LoadOptions options;
  options.env = [this](std::string_view name) -> std::optional<std::string> {
    auto found = env_.find(std::string(name));
    return found == env_.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
  auto config = LoadServerConfig(options);
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->issuer, "https://auth.example.com");
}

TEST_F(ConfigLoader, EmptyListOverrideClearsTheList) {
  env_["WRIT_TRUSTED_PROXIES"] = "";
  auto config = Load("trusted_proxies = [\"10.0.0.1\"]\n" + SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_TRUE(config->trusted_proxies.empty());
}

TEST_F(ConfigLoader, MalformedOverridesRefusedNamingTheVariable) {
  env_["WRIT_ACCOUNTS_SIGNUP"] = "yes";
  ExpectRefused(Load(SecretTables()), {"WRIT_ACCOUNTS_SIGNUP", "true or false"});
  env_.clear();
  env_["WRIT_THREADS"] = "4x";
  ExpectRefused(Load(SecretTables()), {"WRIT_THREADS"});
  env_.clear();
  env_["WRIT_ALLOWED_ORIGINS"] = "https://a.example.com,,https://b.example.com";
  ExpectRefused(Load(SecretTables()), {"WRIT_ALLOWED_ORIGINS", "empty"});
  env_.clear();
  env_["WRIT_SESSIONS_REFRESH_GRACE"] = "301s";
  ExpectRefused(Load(SecretTables()), {"WRIT_SESSIONS_REFRESH_GRACE", "300s"});
}

TEST_F(ConfigLoader, ListenFlagWinsOverFileAndEnvironment) {
  env_["WRIT_LISTEN"] = "0.0.0.0:7000";
  auto config = Load("listen = \"127.0.0.1:8080\"\n" + SecretTables(), false, "[::]:0");
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->listen_host, "::");
  EXPECT_EQ(config->listen_port, 0);
}

TEST_F(ConfigLoader, MalformedListenAddressesRefused) {
  for (const char* listen : {"8080", "::1:8080", "[::1]8080", "[nothost]:80", "host:", "host:65536",
                             ":80", "host:-1", "a b:80", "[::1]:"}) {
    ExpectRefused(Load(SecretTables(), false, listen), {"--listen"});
  }
}

TEST_F(ConfigLoader, UnknownKeyRefused) {
  ExpectRefused(Load("listne = \"127.0.0.1:8080\"\n" + SecretTables()),
                {"config: listne: unknown key", "listen"});
  ExpectRefused(Load(SecretTables("acces_ttl = \"5m\"\n")),
                {"tokens.acces_ttl", "unknown key", "access_ttl"});
}

TEST_F(ConfigLoader, UnknownTableRefused) {
  ExpectRefused(Load(SecretTables() + "[session]\nidle_ttl = \"1d\"\n"),
                {"[session]", "unknown table"});
  ExpectRefused(Load(SecretTables() + "[tokens.extra]\nx = 1\n"), {"tokens.extra"});
}

TEST_F(ConfigLoader, WrongTomlTypeRefused) {
  ExpectRefused(Load("threads = \"2\"\n" + SecretTables()), {"threads", "whole number"});
  ExpectRefused(Load("allowed_origins = \"https://a.example.com\"\n" + SecretTables()),
                {"allowed_origins", "list"});
  ExpectRefused(Load("tokens = 1\n"), {"tokens", "table"});
}

TEST_F(ConfigLoader, LiteralSecretRefusedWithoutEchoingIt) {
  const std::string literal = RandomHex(32);
  std::string toml = SecretTables();
  toml.replace(toml.find("\"file:" + Path("csrf.key")), Path("csrf.key").size() + 7,
               "\"" + literal + "\"");
  auto config = Load(toml);
  ExpectRefused(config, {"config: secrets.csrf_key", "env:", "file:"});
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().detail.find(literal), std::string::npos);
}

TEST_F(ConfigLoader, LiteralSigningKeyRefused) {
  std::string toml = SecretTables();
  const std::string reference = "\"file:" + Path("signing.jwk") + "\"";
  std::string literal = PrivateJwk(*signing_key_);
  toml.replace(toml.find(reference), reference.size(), "'" + literal + "'");
  auto config = Load(toml);
  ExpectRefused(config, {"tokens.signing_keys", "env:", "file:"});
}

TEST_F(ConfigLoader, WeakSecretRefused) {
  WriteFile(dir_ / "refresh.key", std::string(31, 'k'));
  ExpectRefused(Load(SecretTables()), {"secrets.refresh_hash_key", "31 bytes", "32"});
}

TEST_F(ConfigLoader, SecretOfExactly32BytesAccepted) {
  WriteFile(dir_ / "refresh.key", RandomHex(16));
  auto config = Load(SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->refresh_hash_key.size(), 32u);
}

TEST_F(ConfigLoader, SameSecretForBothJobsRefused) {
  WriteFile(dir_ / "csrf.key", refresh_secret_);
  ExpectRefused(Load(SecretTables()), {"secrets.csrf_key", "same secret"});
}

TEST_F(ConfigLoader, UnreadableSecretSourceIsIoError) {
  std::filesystem::remove(dir_ / "csrf.key");
  ExpectRefused(Load(SecretTables()), {"secrets.csrf_key", "csrf.key"}, ErrorCode::kIo);
}

TEST_F(ConfigLoader, EnvSecretSourceReadsTheProcessEnvironment) {
  const std::string name = "WRIT_TEST_CSRF_" + std::to_string(::getpid());
  const std::string secret = RandomHex(32);
  ::setenv(name.c_str(), secret.c_str(), 1);
  env_["WRIT_SECRETS_CSRF_KEY"] = "env:" + name;
  auto config = Load(SecretTables());
  ::unsetenv(name.c_str());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(SecretText(config->csrf_key), secret);
}

TEST_F(ConfigLoader, RefreshGraceOver300sRefused) {
  ExpectRefused(Load(SecretTables() + "[sessions]\nrefresh_grace = \"301s\"\n"),
                {"config: sessions.refresh_grace", "at most 5m"});
  auto at_limit = Load(SecretTables() + "[sessions]\nrefresh_grace = \"300s\"\n");
  ASSERT_TRUE(at_limit) << at_limit.error().detail;
  EXPECT_EQ(at_limit->sessions.refresh_grace, seconds(300));
}

TEST_F(ConfigLoader, RememberTtlOver400DaysRefused) {
  ExpectRefused(Load(SecretTables() + "[sessions]\nremember_ttl = \"401d\"\n"),
                {"config: sessions.remember_ttl", "400d"});
  auto at_limit = Load(SecretTables() + "[sessions]\nremember_ttl = \"400d\"\n");
  ASSERT_TRUE(at_limit) << at_limit.error().detail;
}

TEST_F(ConfigLoader, ZeroLifetimeRefused) {
  ExpectRefused(Load(SecretTables("access_ttl = \"0s\"\n")), {"tokens.access_ttl"});
  ExpectRefused(Load(SecretTables() + "[sessions]\nidle_ttl = \"0d\"\n"), {"sessions.idle_ttl"});
  ExpectRefused(Load(SecretTables() + "[http]\nheader_timeout = \"0s\"\n"),
                {"http.header_timeout"});
}

TEST_F(ConfigLoader, MalformedDurationRefused) {
  ExpectRefused(Load(SecretTables("access_ttl = \"15 minutes\"\n")),
                {"tokens.access_ttl", "30s, 15m, 12h or 30d"});
}

TEST_F(ConfigLoader, WildcardOriginRefused) {
  ExpectRefused(Load("allowed_origins = [\"*\"]\n" + SecretTables()), {"allowed_origins", "'*'"});
  ExpectRefused(Load("allowed_origins = [\"https://*.example.com\"]\n" + SecretTables()),
                {"allowed_origins", "'*'"});
}

TEST_F(ConfigLoader, OriginsMustBeExact) {
  for (const char* origin : {"https://app.example.com/", "https://app.example.com/login",
                             "app.example.com", "https://App.example.com",
                             "https://app.example.com:443", "null", "ftp://x.example.com"}) {
    ExpectRefused(Load("allowed_origins = [\"" + std::string(origin) + "\"]\n" + SecretTables()),
                  {"allowed_origins"});
  }
  auto config = Load(
      "environment = \"staging\"\n"  // production refuses http:// (config_environment_test)
      "allowed_origins = [\"https://app.example.com:8443\", \"http://[::1]:8080\"]\n" +
      SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
}

TEST_F(ConfigLoader, TrustedProxyMustBeAnAddress) {
  ExpectRefused(Load("trusted_proxies = [\"10.0.0.0/8\"]\n" + SecretTables()),
                {"trusted_proxies", "10.0.0.0/8"});
}

TEST_F(ConfigLoader, WeakPasswordHashingRefused) {
  ExpectRefused(Load(SecretTables() + "[accounts]\nargon2_opslimit = 1\n"),
                {"accounts.argon2_opslimit"});
  ExpectRefused(Load(SecretTables() + "[accounts]\nargon2_memlimit_kib = 19455\n"),
                {"accounts.argon2_memlimit_kib"});
  ExpectRefused(Load(SecretTables() + "[accounts]\npassword_min_length = 7\n"),
                {"accounts.password_min_length"});
}

TEST_F(ConfigLoader, DevInProductionRefused) {
  ExpectRefused(Load("environment = \"production\"\n" + SecretTables(), true),
                {"config: environment", "--dev", "production"});
}

TEST_F(ConfigLoader, DevWithProductionFromEnvironmentRefused) {
  env_["WRIT_ENVIRONMENT"] = "production";
  ExpectRefused(Load("", true), {"config: WRIT_ENVIRONMENT", "--dev"});
}

TEST_F(ConfigLoader, DevDefaults) {
  auto config = Load("", true, "127.0.0.1:9000");
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_TRUE(config->dev_mode);
  EXPECT_EQ(config->environment, Environment::kDevelopment);
  EXPECT_EQ(config->store, "sqlite:writ-dev.db");
  EXPECT_TRUE(config->signup_enabled);
  EXPECT_EQ(config->allowed_origins,
            (std::vector<std::string>{"http://127.0.0.1:9000", "http://localhost:9000"}));
  EXPECT_EQ(config->audit.sink, "stdout");
  EXPECT_EQ(config->issuer, "http://127.0.0.1:9000");
  EXPECT_EQ(config->audience, "writ-development");
  ASSERT_TRUE(config->signing_key);
  EXPECT_EQ(config->signing_key->alg(), Alg::kEdDsa);
  EXPECT_TRUE(config->signing_key->can_sign());
  EXPECT_EQ(config->signing_key->kid().rfind("dev-", 0), 0u);
  ASSERT_EQ(config->verification_keys.size(), 1u);
  EXPECT_EQ(config->verification_keys[0].kid(), config->signing_key->kid());
  EXPECT_EQ(config->refresh_hash_key.size(), 32u);
  EXPECT_EQ(config->csrf_key.size(), 32u);
  EXPECT_FALSE(config->refresh_hash_key == config->csrf_key);
}

TEST_F(ConfigLoader, DevKeysAreFreshEachRun) {
  auto first = Load("", true);
  auto second = Load("", true);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->signing_key->kid(), second->signing_key->kid());
  EXPECT_FALSE(first->csrf_key == second->csrf_key);
}

TEST_F(ConfigLoader, DevKeepsWhatIsConfigured) {
  auto config = Load("store = \"sqlite:/tmp/mine.db\"\n[accounts]\nsignup = false\n" +
                         SecretTables(),
                     true, "[::1]:8080");
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->store, "sqlite:/tmp/mine.db");
  EXPECT_FALSE(config->signup_enabled);
  EXPECT_EQ(config->issuer, "https://auth.example.com");
  EXPECT_EQ(config->signing_key->kid(), "test-signing");
  EXPECT_EQ(config->allowed_origins,
            (std::vector<std::string>{"http://[::1]:8080", "http://localhost:8080"}));
}

TEST_F(ConfigLoader, MissingIssuerRefusedOutsideDev) {
  std::string toml = SecretTables();
  toml.erase(toml.find("issuer ="), std::string("issuer = \"https://auth.example.com\"\n").size());
  ExpectRefused(Load(toml), {"config: tokens.issuer"});
  auto dev = Load(toml, true);
  ASSERT_TRUE(dev) << dev.error().detail;
}

TEST_F(ConfigLoader, MissingSecretsRefusedOutsideDev) {
  ExpectRefused(Load("[tokens]\nissuer = \"https://a.example.com\"\naudience = \"app\"\n"),
                {"config: tokens.signing_keys", "missing"});
  std::string toml = SecretTables();
  toml.erase(toml.find("csrf_key ="));
  ExpectRefused(Load(toml), {"config: secrets.csrf_key", "missing"});
}

TEST_F(ConfigLoader, PublicOnlySigningKeyRefused) {
  WriteFile(dir_ / "signing.jwk", signing_key_->ToPublicJwk().value());
  ExpectRefused(Load(SecretTables()), {"tokens.signing_keys", "private"});
}

TEST_F(ConfigLoader, JwkSetFirstKeySignsAndAllVerify) {
  // A plain JWK Set (no rotation metadata): the first key signs, the others are retired.
  Key next = Key::Generate(Alg::kEdDsa, "next").value();
  WriteFile(dir_ / "signing.jwk", "{\"keys\":[" + PrivateJwk(*signing_key_) + "," +
                                      PrivateJwk(next) + "]}");
  auto config = Load(SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->signing_key->kid(), "test-signing");
  ASSERT_EQ(config->verification_keys.size(), 2u);
  EXPECT_EQ(config->verification_keys[0].kid(), "test-signing");
  EXPECT_EQ(config->verification_keys[1].kid(), "next");
  for (const Key& key : config->verification_keys) {
    EXPECT_FALSE(key.can_sign()) << key.kid();
  }
}

TEST_F(ConfigLoader, JwkSetWithPublicFirstKeyRefused) {
  Key other = Key::Generate(Alg::kEdDsa, "other").value();
  WriteFile(dir_ / "signing.jwk", "{\"keys\":[" + signing_key_->ToPublicJwk().value() + "," +
                                      PrivateJwk(other) + "]}");
  ExpectRefused(Load(SecretTables()), {"tokens.signing_keys", "private part"});
}

TEST_F(ConfigLoader, EmptyJwkSetRefused) {
  WriteFile(dir_ / "signing.jwk", "{\"keys\":[]}");
  ExpectRefused(Load(SecretTables()), {"tokens.signing_keys"});
}

TEST_F(ConfigLoader, HmacSigningKeyAllowed) {
  Key hmac = Key::Generate(Alg::kHs256, "hmac").value();
  WriteFile(dir_ / "signing.jwk", PrivateJwk(hmac));
  auto config = Load(SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->signing_key->alg(), Alg::kHs256);
  ASSERT_EQ(config->verification_keys.size(), 1u);
  EXPECT_EQ(config->verification_keys[0].alg(), Alg::kHs256);
}

TEST_F(ConfigLoader, NotAJwkRefused) {
  WriteFile(dir_ / "signing.jwk", kPemArmour);
  ExpectRefused(Load(SecretTables()), {"tokens.signing_keys", "JWK"});
}

TEST_F(ConfigLoader, AccessCookieOver4KRefused) {
  const std::string long_issuer = "https://" + std::string(3000, 'a') + ".example.com";
  std::string toml = SecretTables();
  toml.replace(toml.find("https://auth.example.com"), 24, long_issuer);
  ExpectRefused(Load(toml), {"config: tokens", "4096"});
}

TEST_F(ConfigLoader, HeaderLimitBelowTheCookieRefused) {
  ExpectRefused(Load(SecretTables() + "[http]\nmax_header_bytes = 2048\n"),
                {"http.max_header_bytes"});
}

TEST_F(ConfigLoader, ContradictoryLimitsRefused) {
  ExpectRefused(Load(SecretTables() + "[accounts]\npassword_min_length = 100\n"
                                      "password_max_length = 64\n"),
                {"accounts.password_min_length"});
  ExpectRefused(Load(SecretTables() + "[throttle]\naccount_backoff_base = \"1h\"\n"
                                      "account_backoff_max = \"1m\"\n"),
                {"throttle.account_backoff_max"});
}

TEST_F(ConfigLoader, TlsNeedsBothMembersAndASource) {
  ExpectRefused(Load("[tls]\ncertificate_chain = \"/etc/cert.pem\"\n" + SecretTables()),
                {"tls.private_key", "both"});
  ExpectRefused(Load("[tls]\ncertificate_chain = \"/etc/cert.pem\"\n"
                     "private_key = \"" + kPemArmour.substr(0, kPemArmour.size() - 1) + "\"\n" +
                     SecretTables()),
                {"tls.private_key", "env:", "file:"});
}

TEST_F(ConfigLoader, MalformedTomlGivesLineAndColumn) {
  auto config = Load("listen = \"127.0.0.1:8080\n" + SecretTables());
  ExpectRefused(config, {"config: ", "writ.toml:1:", "not valid TOML"});
}

TEST_F(ConfigLoader, DuplicateTomlKeyRefused) {
  ExpectRefused(Load("threads = 2\nthreads = 3\n" + SecretTables()), {"not valid TOML"});
}

TEST_F(ConfigLoader, TwoMegabyteFileRefused) {
  std::string toml = SecretTables() + "# " + std::string(2 * 1024 * 1024, 'x') + "\n";
  ExpectRefused(Load(toml), {"writ.toml", "1048576"}, ErrorCode::kTooLarge);
}

TEST_F(ConfigLoader, MissingFileIsIoError) {
  LoadOptions options;
  options.config_path = Path("absent.toml");
  options.env = [](std::string_view) { return std::optional<std::string>(); };
  ExpectRefused(LoadServerConfig(options), {"absent.toml"}, ErrorCode::kIo);
}

TEST_F(ConfigLoader, UnknownEnvironmentNameRefused) {
  ExpectRefused(Load("environment = \"prod\"\n" + SecretTables()),
                {"environment", "development, staging or production"});
}

TEST(ServerConfig, EnvironmentNames) {
  EXPECT_EQ(EnvironmentName(Environment::kDevelopment), "development");
  EXPECT_EQ(EnvironmentName(Environment::kStaging), "staging");
  EXPECT_EQ(EnvironmentName(Environment::kProduction), "production");
}

}  // namespace
}  // namespace writ::server
