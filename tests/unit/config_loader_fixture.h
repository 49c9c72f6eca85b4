// The fixture of the configuration loader tests: a directory with a fresh signing key and
// secrets (generated at run time, never committed) and a minimal valid production
// configuration referring to them.
#ifndef WRIT_TESTS_UNIT_CONFIG_LOADER_FIXTURE_H_
#define WRIT_TESTS_UNIT_CONFIG_LOADER_FIXTURE_H_

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "server/config_loader.h"
#include "writ/key.h"
#include "writ/secret_bytes.h"

namespace writ::server::testing {

// Writes `contents` to `path`, replacing it.
// Mode 0600, as secret files must be (production refuses group/world-readable ones).
inline void WriteFile(const std::filesystem::path& path, std::string_view contents) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write);
}

inline std::string RandomHex(std::size_t bytes) {
  SecretBytes random = SecretBytes::Random(bytes);
  std::string hex(2 * bytes + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), random.expose_secret().data(), bytes);
  hex.pop_back();
  return hex;
}

inline std::string SecretText(const SecretBytes& secret) {
  auto bytes = secret.expose_secret();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

inline std::string PrivateJwk(const Key& key) { return SecretText(key.ToPrivateJwk().value()); }

// Each test gets a directory with a fresh signing key and secrets (generated now, never
// committed) and a minimal valid production configuration referring to them.
class ConfigLoader : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("writ-config-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter.fetch_add(1)));
    std::filesystem::create_directories(dir_);
    signing_key_ = Key::Generate(Alg::kEdDsa, "test-signing").value();
    WriteFile(dir_ / "signing.jwk", PrivateJwk(*signing_key_));
    refresh_secret_ = RandomHex(32);
    csrf_secret_ = RandomHex(32);
    WriteFile(dir_ / "refresh.key", refresh_secret_ + "\n");
    WriteFile(dir_ / "csrf.key", csrf_secret_ + "\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // The [tokens] and [secrets] tables every valid production file needs.
  std::string SecretTables(const std::string& tokens_extra = "") const {
    return "[tokens]\n"
           "issuer = \"https://auth.example.com\"\n"
           "audience = \"app\"\n"
           "signing_keys = \"file:" + Path("signing.jwk") + "\"\n" + tokens_extra +
           "[secrets]\n"
           "refresh_hash_key = \"file:" + Path("refresh.key") + "\"\n"
           "csrf_key = \"file:" + Path("csrf.key") + "\"\n";
  }

  Result<ServerConfig> Load(const std::string& toml, bool dev = false,
                            std::optional<std::string> listen = std::nullopt) {
    WriteFile(dir_ / "writ.toml", toml);
    LoadOptions options;
    options.config_path = Path("writ.toml");
    options.dev = dev;
    options.listen = std::move(listen);
    options.env = [this](std::string_view name) -> std::optional<std::string> {
      auto found = env_.find(std::string(name));
      return found == env_.end() ? std::nullopt : std::optional<std::string>(found->second);
    };
    return LoadServerConfig(options);
  }

  // Expects a refusal whose detail contains every one of `needles`.
  static void ExpectRefused(const Result<ServerConfig>& config,
                            std::initializer_list<std::string_view> needles,
                            ErrorCode code = ErrorCode::kInvalidArgument) {
    ASSERT_FALSE(config) << "loaded a configuration that should be refused";
    EXPECT_EQ(config.error().code, code) << config.error().detail;
    for (std::string_view needle : needles) {
      EXPECT_NE(config.error().detail.find(needle), std::string::npos)
          << "'" << needle << "' not in: " << config.error().detail;
    }
  }

  std::filesystem::path dir_;
  std::optional<Key> signing_key_;
  std::string refresh_secret_;
  std::string csrf_secret_;
  std::map<std::string, std::string> env_;
};

}  // namespace writ::server::testing

#endif  // WRIT_TESTS_UNIT_CONFIG_LOADER_FIXTURE_H_
