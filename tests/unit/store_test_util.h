// Shared pieces of the storage tests (store_test.cc, sqlite_store_test.cc): a private
// temporary directory, fixed times and refresh-token hashes.
#ifndef WRIT_TESTS_UNIT_STORE_TEST_UTIL_H_
#define WRIT_TESTS_UNIT_STORE_TEST_UTIL_H_

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>

#include <gtest/gtest.h>

#include "store/store_records.h"
#include "writ/clock.h"

namespace writ::store::test_util {

// A fixed "now": tests never read the wall clock.
inline const Seconds kT0{std::chrono::seconds{1'800'000'000}};

// A fresh directory under the test temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "writ-store-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) {
      path_ = pattern;
    }
  }
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A 32-byte refresh hash with NUL and high bytes in it, distinct for each `n`.
inline TokenHash HashNo(int n) {
  TokenHash hash(32, '\0');
  hash[1] = static_cast<char>(n & 0xff);
  hash[2] = static_cast<char>((n >> 8) & 0xff);
  hash[31] = '\xff';
  return hash;
}

}  // namespace writ::store::test_util

#endif  // WRIT_TESTS_UNIT_STORE_TEST_UTIL_H_
