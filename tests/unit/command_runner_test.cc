#include "keys/command_runner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

namespace writ::keys {
namespace {

std::string Text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// What the process writes to its standard error while `run` runs.
template <typename Run>
std::string CapturedStderr(Run run) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("writ_test_stderr_" + std::to_string(::getpid()));
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(file, STDERR_FILENO);
  run();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(file);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);
  return text;
}

TEST(CommandRunner, NonZeroExitIsAnOutcomeNotAnError) {
  std::array<std::uint8_t, 16> output{};
  auto exit = RunCommand({"sh", "-c", "printf out; exit 7"}, {}, output);
  ASSERT_TRUE(exit) << exit.error().detail;
  EXPECT_FALSE(exit->Succeeded());
  EXPECT_EQ(exit->exit_status, 7);
  EXPECT_EQ(exit->signal, 0);
  EXPECT_EQ(Text(std::span(output).first(exit->output_size)), "out");
  EXPECT_EQ(DescribeExit(*exit), "exited with status 7");
}

TEST(CommandRunner, DeathBySignalIsReported) {
  auto exit = RunCommand({"sh", "-c", "kill -TERM $$"}, {.discard_stdout = true}, {});
  ASSERT_TRUE(exit) << exit.error().detail;
  EXPECT_EQ(exit->signal, 15);
  EXPECT_EQ(exit->exit_status, -1);
  EXPECT_EQ(DescribeExit(*exit), "was killed by signal 15 (SIGTERM)");
}

TEST(CommandRunner, OutputFillingTheBufferExactlyFits) {
  std::array<std::uint8_t, 3> output{};
  auto exit = RunCommand({"printf", "abc"}, {}, output);
  ASSERT_TRUE(exit) << exit.error().detail;
  EXPECT_TRUE(exit->Succeeded());
  EXPECT_EQ(Text(output), "abc");

  exit = RunCommand({"printf", "abcd"}, {}, output);
  ASSERT_FALSE(exit);
  EXPECT_EQ(exit.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(exit.error().detail.find("abc"), std::string::npos);
}

TEST(CommandRunner, DiscardedStdoutIsNotCaptured) {
  auto exit = RunCommand({"printf", "abc"}, {.discard_stdout = true}, {});
  ASSERT_TRUE(exit) << exit.error().detail;
  EXPECT_TRUE(exit->Succeeded());
  EXPECT_EQ(exit->output_size, 0U);
}

TEST(CommandRunner, StderrIsInheritedUnlessDiscarded) {
  const std::vector<std::string> noisy = {"sh", "-c", "printf noise >&2"};
  EXPECT_EQ(CapturedStderr([&] { (void)RunCommand(noisy, {.discard_stdout = true}, {}); }),
            "noise");
  EXPECT_EQ(CapturedStderr([&] {
              (void)RunCommand(noisy, {.discard_stdout = true, .discard_stderr = true}, {});
            }),
            "");
}

TEST(CommandRunner, TimeoutAppliesWithDiscardedStdout) {
  auto exit = RunCommand({"sleep", "5"},
                         {.timeout = std::chrono::milliseconds(100), .discard_stdout = true}, {});
  ASSERT_FALSE(exit);
  EXPECT_EQ(exit.error().code, ErrorCode::kIo);
  EXPECT_EQ(exit.error().detail, "timed out after 100 ms (killed)");
}

TEST(CommandRunner, EmptyCommandRefused) {
  EXPECT_EQ(RunCommand({}, {}, {}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(RunCommand({""}, {}, {}).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace writ::keys
