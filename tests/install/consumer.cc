// Signs and verifies one token through the installed library only.
#include <cstdio>

#include <writ/writ.h>

int main() {
  auto key = writ::Key::Generate(writ::Alg::kEs256, "consumer-1");
  auto signer = writ::Signer::Create(*key);
  writ::ClaimsBuilder claims;
  claims.SetSubject("user-1").SetExpiresAt(writ::Seconds(std::chrono::seconds(4102444800)));
  auto token = signer->Sign(claims);
  auto keys = writ::KeySet::Create({*key->PublicKey()});
  auto verifier = writ::Verifier::Create(*keys);
  auto validator = writ::ValidatorBuilder().Build();
  auto verified = verifier->Verify(*token, *validator);
  if (!verified || verified->subject() != "user-1") {
    std::fprintf(stderr, "installed libwrit failed the round trip\n");
    return 1;
  }
  // RemoteKeySet links libcurl: Create checks the URL with it (and fetches nothing).
  writ::RemoteKeySetOptions remote;
  remote.url = "https://auth.example.com/.well-known/jwks.json";
  auto good = writ::RemoteKeySet::Create(remote);
  remote.url = "http://auth.example.com/.well-known/jwks.json";
  auto plain = writ::RemoteKeySet::Create(remote);
  if (!good || plain) {
    std::fprintf(stderr, "installed libwrit: RemoteKeySet URL checks failed\n");
    return 1;
  }
  std::printf("installed libwrit: round trip ok\n");
  return 0;
}
