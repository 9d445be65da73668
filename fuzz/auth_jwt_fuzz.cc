// JWT verification and JWKS parsing on arbitrary input: never crash, never
// accept a token the fixed HMAC key did not sign, never accept a JWKS with a
// private or symmetric key.
//
// The claim checks only run after a valid signature, which random bytes never
// have, so the target also signs what it is given with the fixture's key:
// "header.payload" as written, and, when the input has a newline, the raw
// header JSON before it and payload JSON after it (base64url-encoded here).
// A token that verifies then must satisfy the verifier's documented
// contract: HS256, iss "i", "a" among aud, and exp/nbf/iat within the leeway.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bulwark/auth/jwt.h"
#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/keyset.h"

namespace {
constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::int64_t kLeeway = 30;  // JwtVerifierOptions::leeway's default

struct Fixture {
  bulwark::ManualClock clock{kNow};
  bulwark::SecretBytes key = bulwark::SecretBytes::CopyFrom(bulwark::Bytes(32, 7));
  bulwark::crypto::Keyset keyset =
      *bulwark::crypto::Keyset::FromMaterial(bulwark::crypto::KeyType::kHmacSha256,
                                             bulwark::SecretBytes::CopyFrom(bulwark::Bytes(32, 7)));
  bulwark::auth::JwtVerifier verifier = *bulwark::auth::JwtVerifier::Create(
      keyset, {.issuer = "i", .audience = "a", .require_key_id = false, .clock = &clock});
};

Fixture& F() {
  static Fixture* f = new Fixture();
  return *f;
}

void CheckAccepted(const bulwark::auth::VerifiedJwt& jwt) {
  using bulwark::auth::JwsAlgorithm;
  if (jwt.algorithm() != JwsAlgorithm::kHS256) std::abort();
  const bulwark::auth::Claims& c = jwt.claims();
  if (c.issuer() != std::optional<std::string_view>("i")) std::abort();
  const std::vector<std::string> aud = c.audience();
  if (std::find(aud.begin(), aud.end(), "a") == aud.end()) std::abort();
  // exp is required; a NumericDate may also be a (floored) double, which
  // GetInt does not return, so only integer values are compared here.
  if (c.Find("exp") == nullptr) std::abort();
  if (auto exp = c.expires_at(); exp && kNow >= *exp && kNow - *exp >= kLeeway) std::abort();
  if (auto nbf = c.not_before(); nbf && *nbf > kNow && *nbf - kNow > kLeeway) std::abort();
  if (auto iat = c.issued_at(); iat && *iat > kNow && *iat - kNow > kLeeway) std::abort();
}

void VerifySigned(std::string_view signing_input) {
  auto mac = bulwark::crypto::Hmac(bulwark::crypto::HmacAlgorithm::kSha256, F().key,
                                   bulwark::AsBytes(signing_input));
  if (!mac.ok()) std::abort();
  std::string token(signing_input);
  token += '.';
  token += bulwark::Base64UrlEncode(*mac);
  auto jwt = F().verifier.Verify(bulwark::Untrusted<std::string_view>(token));
  if (jwt.ok()) CheckAccepted(*jwt);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto jwt = F().verifier.Verify(bulwark::Untrusted<std::string_view>(text));
  if (jwt.ok() && jwt->algorithm() != bulwark::auth::JwsAlgorithm::kHS256) std::abort();
  auto jwks = bulwark::auth::Jwks::Parse(bulwark::Untrusted<std::string_view>(text));
  if (jwks.ok() && jwks->size() == 0) std::abort();
  (void)bulwark::auth::JwkThumbprint(text);

  if (const std::size_t dot = text.find('.'); dot != std::string_view::npos) {
    const std::size_t dot2 = text.find('.', dot + 1);
    VerifySigned(text.substr(0, dot2));
  }
  if (const std::size_t nl = text.find('\n'); nl != std::string_view::npos) {
    VerifySigned(bulwark::Base64UrlEncode(bulwark::AsBytes(text.substr(0, nl))) + "." +
                 bulwark::Base64UrlEncode(bulwark::AsBytes(text.substr(nl + 1))));
  }
  return 0;
}
