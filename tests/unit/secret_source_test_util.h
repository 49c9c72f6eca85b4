// Shared by the secret source tests (secret_source_test.cc, secret_source_exec_test.cc,
// secret_source_file_test.cc): scoped environment variables, temporary files, directories
// and git repositories, and checks for leaked children and descriptors.
#ifndef WRIT_TESTS_UNIT_SECRET_SOURCE_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_SECRET_SOURCE_TEST_UTIL_H_

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

namespace writ::keys::secret_source_test {

// A unique name per call, so tests never see each other's variables.
inline std::string UniqueName(const std::string& stem) {
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

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// True when a child of this process has ended without being reaped (a zombie).
inline bool HasUnreapedChild() {
  int status = 0;
  return ::waitpid(-1, &status, WNOHANG) > 0;
}

inline std::size_t OpenDescriptorCount() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++count;
  }
  return count;
}

inline bool GitAvailable() { return std::system("git --version >/dev/null 2>&1") == 0; }

// Runs git with `arguments` in `directory`, quietly; true when it exits 0. Test directories
// are ours and have no quotes in their names.
inline bool Git(const std::filesystem::path& directory, const std::string& arguments) {
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

inline std::string Text(const SecretBytes& secret) {
  auto bytes = secret.expose_secret();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace writ::keys::secret_source_test

#endif  // WRIT_TESTS_UNIT_SECRET_SOURCE_TEST_UTIL_H_
