#include "core/paseto/pae.h"

#include <cstdint>

namespace writ::internal {
namespace {

void AppendLe64(std::string& out, std::uint64_t value) {
  value &= ~(std::uint64_t{1} << 63);  // spec: clear the most significant bit
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>(value & 0xff));
    value >>= 8;
  }
}

}  // namespace

std::string Pae(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 8;
  for (std::string_view piece : pieces) {
    size += 8 + piece.size();
  }
  std::string out;
  out.reserve(size);
  AppendLe64(out, pieces.size());
  for (std::string_view piece : pieces) {
    AppendLe64(out, piece.size());
    out.append(piece);
  }
  return out;
}

}  // namespace writ::internal
