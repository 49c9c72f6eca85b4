// exec:COMMAND ARGS secret sources: no shell, limits on time and output, no leaked
// children or descriptors, and no secret in any error (keys/secret_source.h).
#include "secret_source_test_util.h"

namespace writ::keys {
namespace {

using namespace secret_source_test;  // NOLINT(google-build-using-namespace): test helpers

// --- exec:COMMAND ARGS ---

TEST(SecretSourceExec, StandardOutputIsTheSecret) {
  auto secret = ResolveSecret("exec:printf %s abc");
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "abc");
}

TEST(SecretSourceExec, QuotesGroupWordsAndOneNewlineIsStripped) {
  auto secret = ResolveSecret("exec:/bin/echo \"a b\"");
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "a b");

  secret = ResolveSecret("exec:printf \"%s|%s|%s\"  \"x  y\"\t\"\" z");
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "x  y||z");
}

TEST(SecretSourceExec, NoShellAndNoExpansion) {
  const std::string name = UniqueName("EXPAND");
  ScopedEnv env(name, "expanded");
  auto secret = ResolveSecret("exec:printf %s $" + name + "*;`id`|$(id)");
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "$" + name + "*;`id`|$(id)");
}

TEST(SecretSourceExec, UnterminatedQuoteRefused) {
  auto secret = ResolveSecret("exec:printf \"abc");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(secret.error().detail, "unterminated double quote"))
      << secret.error().detail;
}

TEST(SecretSourceExec, QuoteInsideAWordRefused) {
  for (const char* reference : {"exec:printf a\"b\"", "exec:printf \"a\"b", "exec:pri\"ntf\" x"}) {
    auto secret = ResolveSecret(reference);
    ASSERT_FALSE(secret) << reference;
    EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument) << reference;
    EXPECT_TRUE(Contains(secret.error().detail, "whole word")) << secret.error().detail;
  }
}

TEST(SecretSourceExec, EmptyCommandRefused) {
  for (const char* reference : {"exec:", "exec: \t ", "exec:\"\""}) {
    auto secret = ResolveSecret(reference);
    ASSERT_FALSE(secret) << reference;
    EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument) << reference;
  }
}

TEST(SecretSourceExec, NulByteRefused) {
  auto secret = ResolveSecret(std::string("exec:printf a\0b", 15));
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(secret.error().detail, "NUL")) << secret.error().detail;
}

TEST(SecretSourceExec, CommandNotFoundIsIoError) {
  const std::string missing = "writ-no-such-command-" + UniqueName("x");
  auto secret = ResolveSecret("exec:" + missing + " --field key");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, missing + " not found in PATH"))
      << secret.error().detail;

  secret = ResolveSecret("exec:/nonexistent/writ-test/tool");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "not found")) << secret.error().detail;
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceExec, NonExecutableFileIsIoError) {
  TempFile script("#!/bin/sh\nprintf x\n", kOwnerOnly);
  auto secret = ResolveSecret("exec:" + script.path());
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "cannot run")) << secret.error().detail;
}

TEST(SecretSourceExec, NonZeroExitIsIoErrorNamingTheStatus) {
  auto secret = ResolveSecret("exec:false");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "exited with status 1")) << secret.error().detail;
}

TEST(SecretSourceExec, FailureDetailNeverContainsTheOutput) {
  // The output is "LEAKED" but the command line never spells it.
  auto secret = ResolveSecret("exec:sh -c \"printf %s%s LEA KED; exit 3\"");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "exited with status 3")) << secret.error().detail;
  EXPECT_FALSE(Contains(secret.error().detail, "LEAKED"));
}

TEST(SecretSourceExec, DeathBySignalIsIoErrorNamingTheSignal) {
  auto secret = ResolveSecret("exec:sh -c \"printf partial; kill -KILL $$\"");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "killed by signal 9 (SIGKILL)"))
      << secret.error().detail;
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceExec, TimeoutKillsAndReapsTheCommand) {
  const SourcePolicy policy{.exec_timeout = std::chrono::milliseconds(200)};
  std::vector<std::string> warnings;
  const auto start = std::chrono::steady_clock::now();
  auto secret = ResolveSecret("exec:sleep 5", policy, warnings);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "timed out after 200 ms")) << secret.error().detail;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceExec, TimeoutAppliesAfterTheOutputIsClosed) {
  // Closes stdout, then hangs: the wait for its exit is bounded too.
  const SourcePolicy policy{.exec_timeout = std::chrono::milliseconds(200)};
  std::vector<std::string> warnings;
  const auto start = std::chrono::steady_clock::now();
  auto secret = ResolveSecret("exec:sh -c \"printf x; exec >&-; sleep 5\"", policy, warnings);
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "timed out")) << secret.error().detail;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceExec, BackgroundChildHoldingTheOutputIsKilledWithItsGroup) {
  // The command exits at once but leaves a child with stdout open: the output never ends, so
  // the run times out and the whole process group is killed.
  const SourcePolicy policy{.exec_timeout = std::chrono::milliseconds(200)};
  std::vector<std::string> warnings;
  const auto start = std::chrono::steady_clock::now();
  auto secret = ResolveSecret("exec:sh -c \"sleep 5 & printf x\"", policy, warnings);
  ASSERT_FALSE(secret);
  EXPECT_TRUE(Contains(secret.error().detail, "timed out")) << secret.error().detail;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceExec, OutputAtTheLimitIsAccepted) {
  auto secret = ResolveSecret("exec:head -c " + std::to_string(kMaxSecretBytes) + " /dev/zero");
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(secret->size(), kMaxSecretBytes);
}

TEST(SecretSourceExec, OutputOverTheLimitIsTooLarge) {
  auto secret = ResolveSecret("exec:head -c 70000 /dev/zero");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kTooLarge);
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceExec, EndlessOutputIsCutOffAndTheCommandKilled) {
  const auto start = std::chrono::steady_clock::now();
  auto secret = ResolveSecret("exec:cat /dev/zero");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kTooLarge);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceExec, SecretOnStandardErrorOnlyIsEmpty) {
  auto secret = ResolveSecret("exec:sh -c \"echo 'writ test: expected stderr line' >&2\"");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "is empty")) << secret.error().detail;
}

TEST(SecretSourceExec, StandardInputIsEmpty) {
  // A command that reads stdin sees /dev/null at once, never the server's terminal.
  auto secret = ResolveSecret("exec:cat");
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Contains(secret.error().detail, "is empty")) << secret.error().detail;
}

TEST(SecretSourceExec, NoDescriptorLeaksOnAnyPath) {
  const std::size_t before = OpenDescriptorCount();
  const SourcePolicy policy{.exec_timeout = std::chrono::milliseconds(100)};
  std::vector<std::string> warnings;
  for (const char* reference :
       {"exec:printf %s abc", "exec:false", "exec:writ-no-such-command", "exec:sleep 5",
        "exec:cat /dev/zero", "exec:cat", "exec:\"unterminated"}) {
    (void)ResolveSecret(reference, policy, warnings);
  }
  EXPECT_EQ(OpenDescriptorCount(), before);
  EXPECT_FALSE(HasUnreapedChild());
}

TEST(SecretSourceExec, CommandsGetNoAccessToOurDescriptors) {
  // Every descriptor the server holds is close-on-exec: the command sees only 0, 1 and 2
  // (plus the one ls opens to list them).
  TempFile open_file("held open");
  std::ifstream held(open_file.path());
  auto secret = ResolveSecret("exec:ls /proc/self/fd");
  ASSERT_TRUE(secret) << secret.error().detail;
  EXPECT_EQ(Text(*secret), "0\n1\n2\n3");
}

// --- unsafe secret files ---

}  // namespace
}  // namespace writ::keys
