// RandomId and RequestId (random_id.h): shape and uniqueness, across the buffer refill of
// RequestId and across threads.
#include "server/random_id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace writ::server {
namespace {

bool IsBase64Url(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

TEST(RandomId, IsBase64UrlOfTheAskedLength) {
  EXPECT_EQ(RandomId(16).size(), 22u);
  EXPECT_EQ(RandomId(32).size(), 43u);
  EXPECT_TRUE(IsBase64Url(RandomId(32)));
  EXPECT_NE(RandomId(16), RandomId(16));
}

// 5,000 ids span 14 refills of the 4 KiB buffer: none repeats, so no refill hands out a
// stretch of the buffer twice.
TEST(RequestId, IsUniqueAcrossBufferRefills) {
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) {
    const std::string id = RequestId();
    ASSERT_EQ(id.size(), 16u);
    ASSERT_TRUE(IsBase64Url(id)) << id;
    ASSERT_TRUE(seen.insert(id).second) << "repeated after " << i << " ids: " << id;
  }
}

// Each thread has its own buffer, filled from the CSPRNG on its own: threads never share ids.
TEST(RequestId, ThreadsNeverShareIds) {
  constexpr std::size_t kThreads = 4;
  constexpr std::size_t kEach = 1000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      for (std::size_t i = 0; i < kEach; ++i) {
        ids[t].push_back(RequestId());
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  std::set<std::string> all;
  for (const auto& list : ids) {
    all.insert(list.begin(), list.end());
  }
  EXPECT_EQ(all.size(), kThreads * kEach);
}

}  // namespace
}  // namespace writ::server
