#include "core/base64url.h"

#include <array>

namespace writ::internal {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> MakeDecodeTable() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) {
    entry = kInvalid;
  }
  for (std::uint8_t i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = i;
  }
  return table;
}

constexpr std::array<std::uint8_t, 256> kDecode = MakeDecodeTable();

inline std::uint32_t Sextet(char c) { return kDecode[static_cast<unsigned char>(c)]; }

}  // namespace

void Base64UrlEncodeAppend(std::string_view bytes, std::string& out) {
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  const std::size_t start = out.size();
  out.resize(start + (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1));
  char* dst = out.data() + start;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *dst++ = kAlphabet[(v >> 18) & 63];
    *dst++ = kAlphabet[(v >> 12) & 63];
    *dst++ = kAlphabet[(v >> 6) & 63];
    *dst++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    *dst++ = kAlphabet[(v >> 18) & 63];
    *dst++ = kAlphabet[(v >> 12) & 63];
  } else if (n - i == 2) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    *dst++ = kAlphabet[(v >> 18) & 63];
    *dst++ = kAlphabet[(v >> 12) & 63];
    *dst++ = kAlphabet[(v >> 6) & 63];
  }
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  Base64UrlEncodeAppend(bytes, out);
  return out;
}

std::string Base64UrlEncode(std::span<const std::uint8_t> bytes) {
  return Base64UrlEncode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::optional<std::size_t> Base64UrlDecodeInto(std::string_view text, std::uint8_t* out) {
  const std::size_t n = text.size();
  if (n % 4 == 1) {
    return std::nullopt;
  }
  const char* src = text.data();
  std::size_t i = 0;
  std::size_t o = 0;
  // Valid sextets are <= 63; kInvalid (0xff) sets bits 6-7, collected in `bad` and checked
  // once at the end, so the loop has no data-dependent branches.
  std::uint32_t bad = 0;
  for (; i + 4 <= n; i += 4) {
    const std::uint32_t a = Sextet(src[i]);
    const std::uint32_t b = Sextet(src[i + 1]);
    const std::uint32_t c = Sextet(src[i + 2]);
    const std::uint32_t d = Sextet(src[i + 3]);
    bad |= a | b | c | d;
    const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = static_cast<std::uint8_t>(v >> 16);
    out[o + 1] = static_cast<std::uint8_t>(v >> 8);
    out[o + 2] = static_cast<std::uint8_t>(v);
    o += 3;
  }
  const std::size_t rest = n - i;
  if (rest == 2) {
    const std::uint32_t a = Sextet(src[i]);
    const std::uint32_t b = Sextet(src[i + 1]);
    // RFC 4648 §3.5: the unused low 4 bits must be zero for a canonical encoding.
    bad |= a | b | ((b & 0x0f) != 0 ? kInvalid : 0u);
    out[o++] = static_cast<std::uint8_t>((a << 2) | (b >> 4));
  } else if (rest == 3) {
    const std::uint32_t a = Sextet(src[i]);
    const std::uint32_t b = Sextet(src[i + 1]);
    const std::uint32_t c = Sextet(src[i + 2]);
    bad |= a | b | c | ((c & 0x03) != 0 ? kInvalid : 0u);
    out[o++] = static_cast<std::uint8_t>((a << 2) | (b >> 4));
    out[o++] = static_cast<std::uint8_t>((b << 4) | (c >> 2));
  }
  if ((bad & 0xc0) != 0) {
    return std::nullopt;
  }
  return o;
}

bool Base64UrlDecode(std::string_view text, std::string& out, std::size_t extra_capacity) {
  if (text.size() % 4 == 1) {
    return false;
  }
  const std::size_t size = Base64UrlDecodedSize(text.size());
  out.reserve(size + extra_capacity);
  out.resize(size);
  const auto written = Base64UrlDecodeInto(text, reinterpret_cast<std::uint8_t*>(out.data()));
  return written.has_value();
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string out;
  if (!Base64UrlDecode(text, out)) {
    return std::nullopt;
  }
  return out;
}

}  // namespace writ::internal
