#include "writ/alg.h"

#include <array>
#include <utility>

namespace writ {
namespace {

constexpr std::array<std::pair<Alg, std::string_view>, 13> kAlgNames{{
    {Alg::kHs256, "HS256"}, {Alg::kHs384, "HS384"}, {Alg::kHs512, "HS512"},
    {Alg::kRs256, "RS256"}, {Alg::kRs384, "RS384"}, {Alg::kRs512, "RS512"},
    {Alg::kPs256, "PS256"}, {Alg::kPs384, "PS384"}, {Alg::kPs512, "PS512"},
    {Alg::kEs256, "ES256"}, {Alg::kEs384, "ES384"}, {Alg::kEs512, "ES512"},
    {Alg::kEdDsa, "EdDSA"},
}};

}  // namespace

std::string_view AlgName(Alg alg) {
  for (const auto& [candidate, name] : kAlgNames) {
    if (candidate == alg) {
      return name;
    }
  }
  return "";
}

std::optional<Alg> AlgFromName(std::string_view name) {
  for (const auto& [alg, candidate] : kAlgNames) {
    if (candidate == name) {
      return alg;
    }
  }
  return std::nullopt;
}

bool IsSymmetric(Alg alg) {
  return alg == Alg::kHs256 || alg == Alg::kHs384 || alg == Alg::kHs512;
}

}  // namespace writ
