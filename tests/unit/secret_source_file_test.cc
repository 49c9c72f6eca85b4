// Secret file hygiene: group/world-readable or git-tracked secret files are warned about,
// and refused in production (keys/secret_source.h, SourcePolicy).
#include "secret_source_test_util.h"

namespace writ::keys {
namespace {

using namespace secret_source_test;  // NOLINT(google-build-using-namespace): test helpers

TEST(SecretSourceFile, OwnerOnlyFileHasNoWarning) {
  TempFile file("file-secret", kOwnerOnly);
  std::vector<std::string> warnings;
  auto secret = ResolveSecret("file:" + file.path(), SourcePolicy{}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_TRUE(warnings.empty()) << warnings.front();

  TempFile read_only("file-secret", std::filesystem::perms::owner_read);
  secret = ResolveSecret("file:" + read_only.path(), SourcePolicy{.refuse_unsafe_files = true},
                         warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_TRUE(warnings.empty());
}

TEST(SecretSourceFile, WorldReadableFileIsWarnedByDefault) {
  TempFile file("file-secret", kWorldReadable);
  std::vector<std::string> warnings;
  auto secret = ResolveSecret("file:" + file.path(), SourcePolicy{}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "file-secret");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0], "secret file " + file.path() +
                             " is readable by group/others (mode 0644); chmod 600 " +
                             file.path());
  EXPECT_FALSE(Contains(warnings[0], "file-secret"));
}

TEST(SecretSourceFile, GroupReadableFileIsWarned) {
  TempFile file("file-secret", kOwnerOnly | std::filesystem::perms::group_read);
  std::vector<std::string> warnings;
  auto secret = ResolveSecret("file:" + file.path(), SourcePolicy{}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_TRUE(Contains(warnings[0], "(mode 0640)")) << warnings[0];
}

TEST(SecretSourceFile, WorldReadableFileIsRefusedInProduction) {
  TempFile file("file-secret", kWorldReadable);
  std::vector<std::string> warnings;
  auto secret =
      ResolveSecret("file:" + file.path(), SourcePolicy{.refuse_unsafe_files = true}, warnings);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(secret.error().detail, "secret file " + file.path() +
                                       " is readable by group/others (mode 0644); chmod 600 " +
                                       file.path() + " (refused in production)");
  EXPECT_TRUE(warnings.empty());
}

TEST(SecretSourceFile, EnvFileFallbackToWorldReadableFileIsWarned) {
  const std::string name = UniqueName("WIDEFILE");
  TempFile file("from-the-file", kWorldReadable);
  ScopedEnv env(name + "_FILE", file.path());
  std::vector<std::string> warnings;
  auto secret = ResolveSecret("env:" + name, SourcePolicy{}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "from-the-file");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_TRUE(Contains(warnings[0], "secret file " + file.path() + " is readable"))
      << warnings[0];

  secret = ResolveSecret("env:" + name, SourcePolicy{.refuse_unsafe_files = true}, warnings);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument);
}

TEST(SecretSourceFile, UnreadableFileErrorComesBeforeAnyFinding) {
  // Over the limit and world-readable: the size error, not a finding.
  TempFile file(std::string(kMaxSecretBytes + 1, 'k'), kWorldReadable);
  std::vector<std::string> warnings;
  auto secret =
      ResolveSecret("file:" + file.path(), SourcePolicy{.refuse_unsafe_files = true}, warnings);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kTooLarge);
  EXPECT_TRUE(warnings.empty());
}

TEST(SecretSourceFile, FileTrackedByGitIsWarnedAndRefusedInProduction) {
  if (!GitAvailable()) {
    GTEST_SKIP() << "git is not on PATH";
  }
  TempRepository repository;
  ASSERT_TRUE(repository.initialized());
  const std::string path = repository.Write("signing.jwk", "committed-secret");
  ASSERT_TRUE(repository.Commit("signing.jwk"));
  const std::string top = std::filesystem::canonical(repository.path()).string();
  const std::string finding = "secret file " + path + " is tracked by git in " + top +
                              "; remove it from the repository (git rm --cached) and rotate "
                              "the secret";

  std::vector<std::string> warnings;
  auto secret = ResolveSecret("file:" + path, SourcePolicy{}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "committed-secret");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0], finding);

  warnings.clear();
  secret = ResolveSecret("file:" + path, SourcePolicy{.refuse_unsafe_files = true}, warnings);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(secret.error().detail, finding + " (refused in production)");
  EXPECT_TRUE(warnings.empty());
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceFile, TrackedAndWorldReadableGivesBothFindings) {
  if (!GitAvailable()) {
    GTEST_SKIP() << "git is not on PATH";
  }
  TempRepository repository;
  ASSERT_TRUE(repository.initialized());
  const std::string path = repository.Write("csrf.key", "committed-secret", kWorldReadable);
  ASSERT_TRUE(repository.Commit("csrf.key"));
  std::vector<std::string> warnings;
  auto secret = ResolveSecret("file:" + path, SourcePolicy{}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  ASSERT_EQ(warnings.size(), 2U);
  EXPECT_TRUE(Contains(warnings[0], "(mode 0644)")) << warnings[0];
  EXPECT_TRUE(Contains(warnings[1], "tracked by git")) << warnings[1];

  secret = ResolveSecret("file:" + path, SourcePolicy{.refuse_unsafe_files = true}, warnings);
  ASSERT_FALSE(secret);
  EXPECT_TRUE(Contains(secret.error().detail, "(mode 0644)")) << secret.error().detail;
  EXPECT_TRUE(Contains(secret.error().detail, "tracked by git")) << secret.error().detail;
}

TEST(SecretSourceFile, UntrackedFileInAGitWorkTreeIsNotFlagged) {
  if (!GitAvailable()) {
    GTEST_SKIP() << "git is not on PATH";
  }
  TempRepository repository;
  ASSERT_TRUE(repository.initialized());
  repository.Write("README", "tracked, not a secret");
  ASSERT_TRUE(repository.Commit("README"));
  const std::string path = repository.Write("local.key", "untracked-secret");
  std::vector<std::string> warnings;
  auto secret =
      ResolveSecret("file:" + path, SourcePolicy{.refuse_unsafe_files = true}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "untracked-secret");
  EXPECT_TRUE(warnings.empty());
}

TEST(SecretSourceFile, FileNameIsNotReadAsAGitPathspec) {
  // Untracked "*" beside a tracked file: a glob pathspec would match README.
  if (!GitAvailable()) {
    GTEST_SKIP() << "git is not on PATH";
  }
  TempRepository repository;
  ASSERT_TRUE(repository.initialized());
  repository.Write("README", "tracked, not a secret");
  ASSERT_TRUE(repository.Commit("README"));
  const std::string path = repository.Write("*", "untracked-secret");
  std::vector<std::string> warnings;
  auto secret =
      ResolveSecret("file:" + path, SourcePolicy{.refuse_unsafe_files = true}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_TRUE(warnings.empty());
}

TEST(SecretSourceFile, EnvFileFallbackToTrackedFileIsWarned) {
  if (!GitAvailable()) {
    GTEST_SKIP() << "git is not on PATH";
  }
  TempRepository repository;
  ASSERT_TRUE(repository.initialized());
  const std::string path = repository.Write("db.password", "committed-secret");
  ASSERT_TRUE(repository.Commit("db.password"));
  const std::string name = UniqueName("TRACKED");
  ScopedEnv env(name + "_FILE", path);
  std::vector<std::string> warnings;
  auto secret = ResolveSecret("env:" + name, SourcePolicy{}, warnings);
  ASSERT_TRUE(secret) << secret.error().detail;
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_TRUE(Contains(warnings[0], "tracked by git")) << warnings[0];
}

}  // namespace
}  // namespace writ::keys
