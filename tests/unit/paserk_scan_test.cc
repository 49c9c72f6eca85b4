// ContainsKeyMaterial: every key-carrying PASERK of the k3/k4 vector files is found, in
// any surrounding text; the IDs (lid, pid, sid) are not.
#include <gtest/gtest.h>

#include <array>

#include "paserk_test_util.h"
#include "writ/paserk.h"

namespace writ {
namespace {

using paserk_test::LoadPaserkVectors;
using paserk_test::PaserkCase;

bool IsIdFile(std::string_view file) {
  return file.find(".lid.") != std::string_view::npos || file.find(".pid.") != std::string_view::npos ||
         file.find(".sid.") != std::string_view::npos;
}

TEST(PaserkContainsKeyMaterial, EveryVectorPaserkIsClassifiedByItsType) {
  constexpr std::array<std::string_view, 22> kFiles = {
      "k3.lid.json",          "k3.local-pw.json",        "k3.local-wrap.pie.json", "k3.local.json",
      "k3.pid.json",          "k3.public.json",          "k3.seal.json",           "k3.secret-pw.json",
      "k3.secret-wrap.pie.json", "k3.secret.json",       "k3.sid.json",            "k4.lid.json",
      "k4.local-pw.json",     "k4.local-wrap.pie.json",  "k4.local.json",          "k4.pid.json",
      "k4.public.json",       "k4.seal.json",            "k4.secret-pw.json",      "k4.secret-wrap.pie.json",
      "k4.secret.json",       "k4.sid.json"};
  int checked = 0;
  for (std::string_view file : kFiles) {
    const auto vectors = LoadPaserkVectors(file);
    for (const PaserkCase& c : vectors.cases) {
      const std::string paserk = c.Text("paserk");
      if (paserk.empty()) {
        continue;  // a "cannot serialise" case
      }
      SCOPED_TRACE(c.name);
      const bool expected = !IsIdFile(file);
      EXPECT_EQ(paserk::ContainsKeyMaterial(paserk), expected);
      EXPECT_EQ(paserk::ContainsKeyMaterial("{\"kid\":\"" + paserk + "\"}"), expected);
      ++checked;
    }
  }
  // The 100 cases of the 22 files, less the 14 that carry no PASERK string.
  EXPECT_EQ(checked, 86);
}

TEST(PaserkContainsKeyMaterial, EveryKeyTypeOfAnyVersionIsFound) {
  for (std::string_view type :
       {"local", "public", "secret", "seal", "local-wrap", "secret-wrap", "local-pw", "secret-pw"}) {
    for (std::string_view version : {"k1", "k2", "k3", "k4", "k10"}) {
      const std::string paserk = std::string(version) + "." + std::string(type) + ".AAAA";
      SCOPED_TRACE(paserk);
      EXPECT_TRUE(paserk::ContainsKeyMaterial(paserk));
      EXPECT_TRUE(paserk::ContainsKeyMaterial("prefix " + paserk + " suffix"));
    }
  }
}

TEST(PaserkContainsKeyMaterial, IdsAndOtherTextAreNotKeyMaterial) {
  EXPECT_FALSE(paserk::ContainsKeyMaterial(""));
  EXPECT_FALSE(paserk::ContainsKeyMaterial("{\"kid\":\"k4.lid.iVtYQDjr5gEijCSjJC3fQaJm7nCeQSeaty0Jixy8dbsk\"}"));
  EXPECT_FALSE(paserk::ContainsKeyMaterial("k4.pid.AAAA k3.sid.AAAA"));
  EXPECT_FALSE(paserk::ContainsKeyMaterial("k4.localhost"));       // no '.' after the type
  EXPECT_FALSE(paserk::ContainsKeyMaterial("k.local.AAAA"));       // no version digits
  EXPECT_FALSE(paserk::ContainsKeyMaterial("kx.local.AAAA"));
  EXPECT_FALSE(paserk::ContainsKeyMaterial("v4.local.AAAA"));      // a PASETO token, not a PASERK
  EXPECT_FALSE(paserk::ContainsKeyMaterial("k4"));
  EXPECT_FALSE(paserk::ContainsKeyMaterial("k4."));
}

TEST(PaserkContainsKeyMaterial, KeyAfterAnIdIsFound) {
  EXPECT_TRUE(paserk::ContainsKeyMaterial("k4.lid.AAAA,k4.local.AAAA"));
  EXPECT_TRUE(paserk::ContainsKeyMaterial("kk4.secret.AAAA"));
}

}  // namespace
}  // namespace writ
