// Wycheproof xchacha20_poly1305_test.json, where it exercises the primitive v4.local calls:
// the XChaCha20 stream (libsodium crypto_stream_xchacha20_xor). In the AEAD construction
// the message is encrypted with the keystream from block 1 on (block 0 makes the Poly1305
// key), so every case with a 24-byte nonce gives a known answer for the stream: its ct
// must equal XChaCha20(key, nonce, counter 1) xor msg. That holds for "invalid" cases too,
// which differ from valid ones only in the tag or AAD that writ never uses. Cases with
// other nonce sizes cannot reach writ's call: the v4.local nonce is always the 24 bytes
// of the BLAKE2b key split; they are counted and skipped.
#include <gtest/gtest.h>
#include <sodium.h>

#include "vector_files.h"

namespace writ {
namespace {

TEST(WycheproofXChaCha20, KeystreamMatchesEveryCaseWithA24ByteNonce) {
  ASSERT_GE(sodium_init(), 0);
  auto file = vectors::LoadJsonVector("wycheproof/xchacha20_poly1305_test.json");
  const std::int64_t declared = file.root["numberOfTests"].get_int64().value();
  std::int64_t checked = 0;
  std::int64_t other_nonce_sizes = 0;
  for (auto group : file.root["testGroups"].get_array()) {
    const std::int64_t iv_bits = group["ivSize"].get_int64().value();
    for (auto test : group["tests"].get_array()) {
      if (iv_bits != 192) {
        ++other_nonce_sizes;
        continue;
      }
      const std::int64_t id = test["tcId"].get_int64().value();
      const std::string key = vectors::HexDecode(test["key"].get_string().value());
      const std::string nonce = vectors::HexDecode(test["iv"].get_string().value());
      const std::string message = vectors::HexDecode(test["msg"].get_string().value());
      const std::string expected = vectors::HexDecode(test["ct"].get_string().value());
      ASSERT_EQ(key.size(), crypto_stream_xchacha20_KEYBYTES) << id;
      std::string ciphertext(message.size(), '\0');
      crypto_stream_xchacha20_xor_ic(reinterpret_cast<unsigned char*>(ciphertext.data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     reinterpret_cast<const unsigned char*>(nonce.data()), 1,
                                     reinterpret_cast<const unsigned char*>(key.data()));
      EXPECT_EQ(ciphertext, expected) << "tcId " << id;
      ++checked;
    }
  }
  std::printf("[wycheproof] xchacha20_poly1305: %lld of %lld cases checked, %lld with other nonce sizes skipped\n",
              static_cast<long long>(checked), static_cast<long long>(declared),
              static_cast<long long>(other_nonce_sizes));
  EXPECT_EQ(checked + other_nonce_sizes, declared);
  EXPECT_EQ(checked, 306);
}

}  // namespace
}  // namespace writ
