// Secret sources: reference shapes, env:, NAME_FILE and file: (keys/secret_source.h).
// exec: is in secret_source_exec_test.cc, file hygiene in secret_source_file_test.cc.
#include "secret_source_test_util.h"

namespace writ::keys {
namespace {

using namespace secret_source_test;  // NOLINT(google-build-using-namespace): test helpers

TEST(SecretSource, ReferenceShapes) {
  EXPECT_TRUE(IsSecretSourceReference("env:X"));
  EXPECT_TRUE(IsSecretSourceReference("file:/run/secrets/x"));
  EXPECT_TRUE(IsSecretSourceReference("exec:vault kv get -field=key secret/writ"));
  EXPECT_FALSE(IsSecretSourceReference("EXEC:x"));
  EXPECT_FALSE(IsSecretSourceReference("hunter2hunter2hunter2hunter2hunter2"));
  EXPECT_FALSE(IsSecretSourceReference("ENV:X"));
  EXPECT_FALSE(IsSecretSourceReference(""));
}

TEST(SecretSource, EnvVariableIsRead) {
  const std::string name = UniqueName("SET");
  ScopedEnv env(name, "a-secret-value");
  auto secret = ResolveSecret("env:" + name);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "a-secret-value");
}

TEST(SecretSource, UnsetEnvVariableIsIoError) {
  const std::string name = UniqueName("UNSET");
  auto secret = ResolveSecret("env:" + name);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_NE(secret.error().detail.find(name), std::string::npos);
}

TEST(SecretSource, EmptyEnvVariableIsIoError) {
  const std::string name = UniqueName("EMPTY");
  ScopedEnv env(name, "");
  auto secret = ResolveSecret("env:" + name);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
}

TEST(SecretSource, InvalidEnvNameRefused) {
  auto secret = ResolveSecret("env:A=B");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ResolveSecret("env:"));
}

TEST(SecretSource, EnvFileFallbackReadsTheNamedFile) {
  const std::string name = UniqueName("VIAFILE");
  TempFile file("from-the-file\n");
  ScopedEnv env(name + "_FILE", file.path());
  auto secret = ResolveSecret("env:" + name);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "from-the-file");
}

TEST(SecretSource, EnvVariableWinsOverItsFileFallback) {
  const std::string name = UniqueName("BOTH");
  TempFile file("from-the-file");
  ScopedEnv file_env(name + "_FILE", file.path());
  ScopedEnv env(name, "from-the-variable");
  auto secret = ResolveSecret("env:" + name);
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "from-the-variable");
}

TEST(SecretSource, FileIsRead) {
  TempFile file("file-secret");
  auto secret = ResolveSecret("file:" + file.path());
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "file-secret");
}

TEST(SecretSource, OnlyOneTrailingNewlineIsStripped) {
  TempFile lf("abc\n\n");
  auto secret = ResolveSecret("file:" + lf.path());
  ASSERT_TRUE(secret);
  EXPECT_EQ(Text(*secret), "abc\n");

  TempFile crlf("abc\r\n");
  secret = ResolveSecret("file:" + crlf.path());
  ASSERT_TRUE(secret);
  EXPECT_EQ(Text(*secret), "abc");

  TempFile bare_cr("abc\r");
  secret = ResolveSecret("file:" + bare_cr.path());
  ASSERT_TRUE(secret);
  EXPECT_EQ(Text(*secret), "abc\r");

  const std::string name = UniqueName("NEWLINE");
  ScopedEnv env(name, "xyz\n\n");
  secret = ResolveSecret("env:" + name);
  ASSERT_TRUE(secret);
  EXPECT_EQ(Text(*secret), "xyz\n");
}

TEST(SecretSource, BinaryContentsAreKeptExactly) {
  const std::string bytes("\x00\x01\xff\x00tail", 8);
  TempFile file(bytes);
  auto secret = ResolveSecret("file:" + file.path());
  ASSERT_TRUE(secret);
  EXPECT_EQ(Text(*secret), bytes);
}

TEST(SecretSource, MissingFileIsIoErrorNamingTheSource) {
  const std::string path = "/nonexistent/writ-test/" + UniqueName("missing");
  auto secret = ResolveSecret("file:" + path);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_NE(secret.error().detail.find(path), std::string::npos);
}

TEST(SecretSource, EmptyFileIsIoError) {
  TempFile file("\n");
  auto secret = ResolveSecret("file:" + file.path());
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
}

TEST(SecretSource, FileAtTheLimitIsAccepted) {
  TempFile file(std::string(kMaxSecretBytes, 'k'));
  auto secret = ResolveSecret("file:" + file.path());
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(secret->size(), kMaxSecretBytes);
}

TEST(SecretSource, FileOverTheLimitIsTooLarge) {
  TempFile file(std::string(kMaxSecretBytes + 1, 'k'));
  auto secret = ResolveSecret("file:" + file.path());
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kTooLarge);
}

TEST(SecretSource, EndlessFileIsRefusedWithoutReadingItWhole) {
  // /dev/zero never ends: only a bounded read can return.
  auto secret = ResolveSecret("file:/dev/zero");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kTooLarge);
}

TEST(SecretSource, OversizedEnvVariableIsTooLarge) {
  const std::string name = UniqueName("BIG");
  ScopedEnv env(name, std::string(kMaxSecretBytes + 1, 'k'));
  auto secret = ResolveSecret("env:" + name);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kTooLarge);
}

TEST(SecretSource, DirectoryIsIoError) {
  auto secret = ResolveSecret("file:/");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
}

TEST(SecretSource, LiteralSecretRefusedWithoutEchoingIt) {
  const std::string literal = "correct-horse-battery-staple-0123456789";
  auto secret = ResolveSecret(literal);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(secret.error().detail.find("env:NAME"), std::string::npos);
  EXPECT_NE(secret.error().detail.find("file:PATH"), std::string::npos);
  EXPECT_NE(secret.error().detail.find("exec:COMMAND ARGS"), std::string::npos);
  EXPECT_EQ(secret.error().detail.find(literal), std::string::npos);
}

TEST(SecretSource, DetailsNeverContainTheSecret) {
  const std::string name = UniqueName("TOOBIG");
  std::string value(kMaxSecretBytes + 1, 'q');
  value.replace(0, 12, "SENSITIVE123");
  ScopedEnv env(name, value);
  auto secret = ResolveSecret("env:" + name);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().detail.find("SENSITIVE123"), std::string::npos);
}

}  // namespace
}  // namespace writ::keys
