#include "keys/secret_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace writ::keys {
namespace {

// A unique name per call, so tests never see each other's variables.
std::string UniqueName(const std::string& stem) {
  static std::atomic<int> counter{0};
  return "WRIT_TEST_" + stem + "_" + std::to_string(::getpid()) + "_" +
         std::to_string(counter.fetch_add(1));
}

// Sets an environment variable for the scope of one test.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() { ::unsetenv(name_.c_str()); }

 private:
  std::string name_;
};

// A file under the test temp directory, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    path_ = std::filesystem::temp_directory_path() / UniqueName("secret");
    std::ofstream out(path_, std::ios::binary);
    out << contents;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  // A file with permission bits `mode` (set explicitly: the umask decides otherwise).
  TempFile(const std::string& contents, std::filesystem::perms mode) : TempFile(contents) {
    std::filesystem::permissions(path_, mode);
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// A directory under the test temp directory, removed with its contents at the end of the test.
class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / UniqueName("dir")) {
    std::filesystem::create_directory(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

  // Writes `name` inside the directory with permission bits `mode`; returns its path.
  std::string Write(const std::string& name, const std::string& contents,
                    std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                  std::filesystem::perms::owner_write) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << contents;
    std::filesystem::permissions(file, mode);
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

constexpr auto kOwnerOnly =
    std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
constexpr auto kWorldReadable = kOwnerOnly | std::filesystem::perms::group_read |
                                std::filesystem::perms::others_read;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// True when a child of this process has ended without being reaped (a zombie).
bool HasUnreapedChild() {
  int status = 0;
  return ::waitpid(-1, &status, WNOHANG) > 0;
}

std::size_t OpenDescriptorCount() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++count;
  }
  return count;
}

bool GitAvailable() { return std::system("git --version >/dev/null 2>&1") == 0; }

// Runs git with `arguments` in `directory`, quietly; true when it exits 0. Test directories
// are ours and have no quotes in their names.
bool Git(const std::filesystem::path& directory, const std::string& arguments) {
  const std::string command = "git -C '" + directory.string() +
                              "' -c user.email=t@t -c user.name=t -c commit.gpgsign=false " +
                              arguments + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

// A fresh git repository in a temp directory.
class TempRepository : public TempDir {
 public:
  TempRepository() { initialized_ = Git(path(), "init -q"); }
  bool initialized() const { return initialized_; }
  bool Commit(const std::string& name) const {
    return Git(path(), "add -- '" + name + "'") && Git(path(), "commit -q -m add");
  }

 private:
  bool initialized_ = false;
};

std::string Text(const SecretBytes& secret) {
  auto bytes = secret.expose_secret();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

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
