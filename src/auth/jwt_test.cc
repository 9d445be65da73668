#include "bulwark/auth/jwt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <limits>
#include <string>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/auth/events.h"
#include "bulwark/crypto/keyset.h"
#include "test_util.h"

namespace bulwark::auth {
namespace {

using crypto::KeyType;
using crypto::Keyset;
using testing::B64;
using testing::HmacToken;
using testing::Str;
using testing::Vector;
using ::testing::HasSubstr;

constexpr std::int64_t kNow = 1'700'000'000;
const char* kIss = "https://id.example";
const char* kAud = "api";

JwtSignerOptions SignerOpts(const Clock& clock) {
  return {.issuer = kIss, .audience = kAud, .clock = &clock};
}
JwtVerifierOptions VerifierOpts(const Clock& clock) {
  return {.issuer = kIss, .audience = kAud, .clock = &clock};
}
Untrusted<std::string_view> U(const std::string& s) { return Untrusted<std::string_view>(s); }

std::string Replace(std::string s, std::size_t pos, char c) {
  s[pos] = c;
  return s;
}

std::vector<std::string> Parts(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = token.find('.', start);
    parts.push_back(token.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

class JwtAllAlgorithms : public ::testing::TestWithParam<KeyType> {};

TEST_P(JwtAllAlgorithms, SignVerifyRoundTripAndJwks) {
  ManualClock clock(kNow);
  Result<Keyset> keyset = Keyset::Generate(GetParam(), clock);
  ASSERT_TRUE(keyset.ok());
  auto signer = JwtSigner::Create(*keyset, SignerOpts(clock));
  ASSERT_TRUE(signer.ok()) << signer.error().ToString();
  Claims claims;
  claims.SetString("sub", "user-42").SetStrings("scope", {"read", "write"}).SetBool("admin", false);
  Result<std::string> token = signer->Sign(claims);
  ASSERT_TRUE(token.ok()) << token.error().ToString();

  auto verifier = JwtVerifier::Create(*keyset, VerifierOpts(clock));
  ASSERT_TRUE(verifier.ok());
  Result<VerifiedJwt> jwt = verifier->Verify(U(*token));
  ASSERT_TRUE(jwt.ok()) << jwt.error().ToString();
  EXPECT_EQ(jwt->claims().subject(), "user-42");
  EXPECT_EQ(jwt->claims().issuer(), kIss);
  EXPECT_EQ(jwt->claims().audience(), std::vector<std::string>{kAud});
  EXPECT_EQ(jwt->claims().expires_at(), kNow + 900);
  EXPECT_EQ(jwt->claims().GetStrings("scope"), (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(jwt->claims().GetBool("admin"), false);
  EXPECT_TRUE(jwt->claims().jwt_id().has_value());
  EXPECT_EQ(jwt->key_id(), KeyIdString(keyset->primary_id()));
  EXPECT_EQ(jwt->algorithm(), signer->algorithm());

  // Tampering with any part fails.
  std::vector<std::string> parts = Parts(*token);
  Claims evil;
  evil.SetString("sub", "admin");
  std::string swapped_payload = parts[0] + "." + B64("{\"sub\":\"admin\"}") + "." + parts[2];
  EXPECT_EQ(verifier->Verify(U(swapped_payload)).error().message(), "token signature is invalid");
  std::string flipped_sig = parts[2];
  flipped_sig[3] = flipped_sig[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier->Verify(U(parts[0] + "." + parts[1] + "." + flipped_sig)).ok());

  // Public algorithms verify through the published JWKS, too.
  if (GetParam() != KeyType::kHmacSha256 && GetParam() != KeyType::kHmacSha512) {
    Result<std::string> published = PublishJwks(*keyset);
    ASSERT_TRUE(published.ok());
    EXPECT_THAT(*published, HasSubstr("\"use\":\"sig\""));
    Result<Jwks> jwks = Jwks::Parse(Untrusted<std::string_view>(*published));
    ASSERT_TRUE(jwks.ok()) << jwks.error().ToString();
    auto remote = JwtVerifier::Create(*jwks, VerifierOpts(clock));
    ASSERT_TRUE(remote.ok());
    EXPECT_TRUE(remote->Verify(U(*token)).ok());
  } else {
    EXPECT_EQ(*PublishJwks(*keyset), "{\"keys\":[]}");
  }
}

INSTANTIATE_TEST_SUITE_P(Jws, JwtAllAlgorithms,
                         ::testing::Values(KeyType::kEd25519, KeyType::kEcdsaP256,
                                           KeyType::kRsaPkcs1Sha256, KeyType::kRsaPssSha256,
                                           KeyType::kHmacSha256, KeyType::kHmacSha512));

TEST(JwtVectors, Rfc7515AppendixA1Hs256) {
  const auto& v = Vector("jws_hs256_rfc7515_appendix_a1");
  const std::string jwks_doc =
      "{\"keys\":[{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"" + Str(v.at("key_b64url")) + "\"}]}";
  // Symmetric keys are refused in a JWKS unless explicitly allowed.
  EXPECT_FALSE(Jwks::Parse(Untrusted<std::string_view>(jwks_doc)).ok());
  Result<Jwks> jwks = Jwks::Parse(Untrusted<std::string_view>(jwks_doc), {.allow_symmetric = true});
  ASSERT_TRUE(jwks.ok()) << jwks.error().ToString();
  const std::string token = Str(v.at("signing_input")) + "." + Str(v.at("signature_b64url"));

  ManualClock before_exp(1300819370);
  JwtVerifierOptions options{.issuer = "joe", .expected_type = "JWT", .leeway = std::chrono::seconds(0),
                             .require_key_id = false, .clock = &before_exp,
                             .unsafe_skip_audience_check = true};
  auto verifier = JwtVerifier::Create(*jwks, options);
  ASSERT_TRUE(verifier.ok());
  Result<VerifiedJwt> jwt = verifier->Verify(U(token));
  ASSERT_TRUE(jwt.ok()) << jwt.error().ToString();
  EXPECT_EQ(jwt->claims().issuer(), "joe");
  EXPECT_EQ(jwt->claims().GetBool("http://example.com/is_root"), true);
  EXPECT_EQ(jwt->algorithm(), JwsAlgorithm::kHS256);

  // The same token with the real clock: expired in 2011.
  options.clock = &SystemClock();
  auto real = JwtVerifier::Create(*jwks, options);
  EXPECT_EQ(real->Verify(U(token)).error().message(), "token has expired");
}

TEST(JwtVectors, Rfc8037Ed25519) {
  const auto& v = Vector("eddsa_rfc8037_appendix_a");
  // The private key from the RFC yields the RFC's public key and thumbprint.
  Result<Bytes> d = Base64UrlDecode(Str(v.at("private_d_b64url")));
  ASSERT_TRUE(d.ok());
  Result<Keyset> keyset = Keyset::FromMaterial(KeyType::kEd25519, SecretBytes::Adopt(std::move(*d)));
  ASSERT_TRUE(keyset.ok());
  Result<std::string> published = PublishJwks(*keyset);
  ASSERT_TRUE(published.ok());
  EXPECT_THAT(*published, HasSubstr("\"x\":\"" + Str(v.at("public_x_b64url")) + "\""));
  const std::string jwk =
      "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + Str(v.at("public_x_b64url")) + "\"}";
  EXPECT_EQ(*JwkThumbprint(jwk), Str(v.at("jwk_thumbprint_sha256_b64url")));

  // The RFC's signature verifies: the verifier gets past the signature and
  // refuses only the payload, which is plain text, not JWT claims.
  Result<Jwks> jwks = Jwks::Parse(Untrusted<std::string_view>("{\"keys\":[" + jwk + "]}"));
  ASSERT_TRUE(jwks.ok()) << jwks.error().ToString();
  auto verifier = JwtVerifier::Create(
      *jwks, {.issuer = "x", .audience = "y", .require_type = false, .require_key_id = false});
  ASSERT_TRUE(verifier.ok());
  const std::string token = Str(v.at("signing_input")) + "." + Str(v.at("signature_b64url"));
  EXPECT_EQ(verifier->Verify(U(token)).error().message(),
            "token payload is not a valid JSON object");
  // One bit off in the signature: refused at the signature.
  std::string bad = token;
  bad[bad.size() - 5] = bad[bad.size() - 5] == 'a' ? 'b' : 'a';
  EXPECT_EQ(verifier->Verify(U(bad)).error().message(), "token signature is invalid");
}

TEST(JwtAttacks, AlgNoneIsRefused) {
  ManualClock clock(kNow);
  Keyset keyset = *Keyset::Generate(KeyType::kHmacSha256, clock);
  auto verifier = *JwtVerifier::Create(keyset, VerifierOpts(clock));
  const std::string kid = KeyIdString(keyset.primary_id());
  const std::string payload = "{\"iss\":\"https://id.example\",\"aud\":\"api\",\"exp\":" +
                              std::to_string(kNow + 60) + "}";
  const std::string vector_header = Str(Vector("jws_none_rfc7515_appendix_a5").at("header_json"));
  for (const std::string& header :
       {vector_header, "{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}",
        "{\"alg\":\"None\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}",
        "{\"alg\":\"NONE\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}"}) {
    const std::string unsigned_token = B64(header) + "." + B64(payload) + ".";
    EXPECT_FALSE(verifier.Verify(U(unsigned_token)).ok()) << header;
    // Even with a (valid-for-HS256) MAC attached, "none" never selects a key.
    std::string with_mac = HmacToken(keyset, header, payload);
    Result<VerifiedJwt> r = verifier.Verify(U(with_mac));
    ASSERT_FALSE(r.ok()) << header;
    EXPECT_EQ(r.error().code(), ErrorCode::kUnauthenticated);
  }
}

TEST(JwtAttacks, PsychicSignatureIsRefused) {
  ManualClock clock(kNow);
  Keyset keyset = *Keyset::Generate(KeyType::kEcdsaP256, clock);
  auto signer = *JwtSigner::Create(keyset, SignerOpts(clock));
  auto verifier = *JwtVerifier::Create(keyset, VerifierOpts(clock));
  std::string token = *signer.Sign(Claims().SetString("sub", "u"));
  ASSERT_TRUE(verifier.Verify(U(token)).ok());
  std::vector<std::string> parts = Parts(token);
  const std::string zero = Str(Vector("ecdsa_psychic_signature_cve_2022_21449").at("signature_b64url"));
  EXPECT_EQ(verifier.Verify(U(parts[0] + "." + parts[1] + "." + zero)).error().message(),
            "token signature is invalid");
  // r = s = n (the group order) is as bad as zero.
  Bytes n = *HexDecode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  Bytes nn = n;
  nn.insert(nn.end(), n.begin(), n.end());
  EXPECT_FALSE(verifier.Verify(U(parts[0] + "." + parts[1] + "." + Base64UrlEncode(nn))).ok());
  // A DER-encoded signature (what OpenSSL emits) is not the JOSE form.
  Bytes der = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
  EXPECT_FALSE(verifier.Verify(U(parts[0] + "." + parts[1] + "." + Base64UrlEncode(der))).ok());
}

TEST(JwtAttacks, RsaHmacKeyConfusionIsImpossible) {
  ManualClock clock(kNow);
  Keyset keyset = *Keyset::Generate(KeyType::kRsaPkcs1Sha256, clock);
  auto verifier = *JwtVerifier::Create(keyset, VerifierOpts(clock));
  const std::string kid = KeyIdString(keyset.primary_id());
  std::string jwks = *PublishJwks(keyset);
  // The attacker MACs with the public key (in any encoding) as the HMAC key.
  const std::string header = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}";
  const std::string payload = "{\"iss\":\"https://id.example\",\"aud\":\"api\",\"sub\":\"admin\","
                              "\"exp\":" + std::to_string(kNow + 60) + "}";
  const std::string input = B64(header) + "." + B64(payload);
  SecretBytes public_as_secret = SecretBytes::CopyFrom(AsBytes(jwks));
  Bytes tag = *crypto::Hmac(crypto::HmacAlgorithm::kSha256, public_as_secret, AsBytes(input));
  Result<VerifiedJwt> r = verifier.Verify(U(input + "." + Base64UrlEncode(tag)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "token alg does not match the key's algorithm");

  // Same through a consumed JWKS.
  auto remote = *JwtVerifier::Create(*Jwks::Parse(Untrusted<std::string_view>(jwks)), VerifierOpts(clock));
  EXPECT_FALSE(remote.Verify(U(input + "." + Base64UrlEncode(tag))).ok());

  // An RS256 key never verifies PS256 (padding is part of the key type).
  Keyset pss = *Keyset::Generate(KeyType::kRsaPssSha256, clock);
  auto pss_signer = *JwtSigner::Create(pss, SignerOpts(clock));
  std::string pss_token = *pss_signer.Sign(Claims());
  auto pss_verifier = *JwtVerifier::Create(pss, VerifierOpts(clock));
  ASSERT_TRUE(pss_verifier.Verify(U(pss_token)).ok());
  std::vector<std::string> parts = Parts(pss_token);
  const std::string rs_header = B64("{\"alg\":\"RS256\",\"kid\":\"" +
                                    KeyIdString(pss.primary_id()) + "\",\"typ\":\"at+jwt\"}");
  EXPECT_FALSE(pss_verifier.Verify(U(rs_header + "." + parts[1] + "." + parts[2])).ok());
}

class JwtClaimsChecks : public ::testing::Test {
 protected:
  JwtClaimsChecks()
      : clock_(kNow),
        keyset_(*Keyset::Generate(KeyType::kHmacSha256, clock_)),
        verifier_(*JwtVerifier::Create(keyset_, VerifierOpts(clock_))),
        kid_(KeyIdString(keyset_.primary_id())) {}

  std::string Header(const std::string& extra = "") const {
    return "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid_ + "\"" + extra + "}";
  }
  std::string Token(const std::string& payload, const std::string& header = "") const {
    return HmacToken(keyset_, header.empty() ? Header() : header, payload);
  }
  std::string Message(const std::string& token) const {
    Result<VerifiedJwt> r = verifier_.Verify(U(token));
    return r.ok() ? "ok" : r.error().message();
  }
  static std::string Payload(const std::string& extra, std::int64_t exp = kNow + 60) {
    return "{\"iss\":\"https://id.example\",\"aud\":\"api\",\"exp\":" + std::to_string(exp) +
           extra + "}";
  }

  ManualClock clock_;
  Keyset keyset_;
  JwtVerifier verifier_;
  std::string kid_;
};

TEST_F(JwtClaimsChecks, Baseline) { EXPECT_EQ(Message(Token(Payload(""))), "ok"); }

TEST_F(JwtClaimsChecks, ExpiryWithLeeway) {
  EXPECT_EQ(Message(Token(Payload("", kNow - 29))), "ok");  // within the 30 s leeway
  EXPECT_EQ(Message(Token(Payload("", kNow - 30))), "token has expired");
  EXPECT_EQ(Message(Token("{\"iss\":\"https://id.example\",\"aud\":\"api\"}")), "token has no exp");
  EXPECT_EQ(Message(Token(Payload("").replace(Payload("").find("exp\":") + 5, 10, "\"soon\""))),
            "token exp is not a NumericDate");
}

TEST_F(JwtClaimsChecks, NotBeforeAndIssuedAt) {
  EXPECT_EQ(Message(Token(Payload(",\"nbf\":" + std::to_string(kNow + 31)))), "token is not yet valid");
  EXPECT_EQ(Message(Token(Payload(",\"nbf\":" + std::to_string(kNow + 20)))), "ok");
  EXPECT_EQ(Message(Token(Payload(",\"iat\":" + std::to_string(kNow + 3600)))),
            "token was issued in the future");
  clock_.SetUnixSeconds(kNow + 10'000);
  EXPECT_EQ(Message(Token(Payload(",\"nbf\":" + std::to_string(kNow + 31), kNow + 20'000))), "ok");
}

// NumericDates anywhere in the int64 range: `exp + leeway` and `now - iat`
// overflowed (undefined behaviour; in practice INT64_MAX expired and INT64_MIN
// was never too old).
TEST_F(JwtClaimsChecks, TimeClaimsAtTheEndsOfTheRangeDoNotOverflow) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(Message(Token(Payload("", kMax))), "ok");
  EXPECT_EQ(Message(Token(Payload("", kMin))), "token has expired");
  EXPECT_EQ(Message(Token(Payload(",\"nbf\":" + std::to_string(kMin)))), "ok");
  EXPECT_EQ(Message(Token(Payload(",\"nbf\":" + std::to_string(kMax)))), "token is not yet valid");
  EXPECT_EQ(Message(Token(Payload(",\"iat\":" + std::to_string(kMax)))),
            "token was issued in the future");
  JwtVerifierOptions options = VerifierOpts(clock_);
  options.max_age = std::chrono::hours(1);
  JwtVerifier aged = *JwtVerifier::Create(keyset_, options);
  const std::string old_token = Token(Payload(",\"iat\":" + std::to_string(kMin)));
  Result<VerifiedJwt> r = aged.Verify(U(old_token));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "token is older than the maximum age");
  EXPECT_TRUE(aged.Verify(U(Token(Payload(",\"iat\":" + std::to_string(kNow - 60))))).ok());
}

TEST_F(JwtClaimsChecks, IssuerAndAudience) {
  EXPECT_EQ(Message(Token("{\"iss\":\"https://evil.example\",\"aud\":\"api\",\"exp\":" +
                          std::to_string(kNow + 60) + "}")),
            "token issuer is wrong");
  EXPECT_EQ(Message(Token("{\"aud\":\"api\",\"exp\":" + std::to_string(kNow + 60) + "}")),
            "token issuer is wrong");
  EXPECT_EQ(Message(Token("{\"iss\":\"https://id.example\",\"aud\":\"other\",\"exp\":" +
                          std::to_string(kNow + 60) + "}")),
            "token audience is wrong");
  EXPECT_EQ(Message(Token("{\"iss\":\"https://id.example\",\"aud\":[\"other\",\"api\"],\"exp\":" +
                          std::to_string(kNow + 60) + "}")),
            "ok");
  EXPECT_EQ(Message(Token("{\"iss\":\"https://id.example\",\"exp\":" + std::to_string(kNow + 60) + "}")),
            "token audience is wrong");
  // Both are required by default.
  EXPECT_FALSE(JwtVerifier::Create(keyset_, {.audience = "api"}).ok());
  EXPECT_FALSE(JwtVerifier::Create(keyset_, {.issuer = "x"}).ok());
}

TEST_F(JwtClaimsChecks, TypeIsChecked) {
  EXPECT_EQ(Message(Token(Payload(""), "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid_ + "\"}")),
            "token typ is not the expected type");
  EXPECT_EQ(Message(Token(Payload(""), "{\"alg\":\"HS256\",\"kid\":\"" + kid_ + "\"}")),
            "token typ is missing");
  EXPECT_EQ(Message(Token(Payload(""),
                          "{\"alg\":\"HS256\",\"typ\":\"application/AT+JWT\",\"kid\":\"" + kid_ + "\"}")),
            "ok");
}

TEST_F(JwtClaimsChecks, KidOnlyFromTheLocalKeyset) {
  EXPECT_EQ(Message(Token(Payload(""), "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"deadbeef\"}")),
            "token kid is not a known key");
  EXPECT_EQ(Message(Token(Payload(""), "{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}")), "token has no kid");
  EXPECT_EQ(Message(Token(Payload(""), "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":7}")),
            "token kid is not a string");
  // Path-like or URL-like kids are only strings to compare.
  EXPECT_EQ(Message(Token(Payload(""),
                          "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"../../dev/null\"}")),
            "token kid is not a known key");
}

TEST_F(JwtClaimsChecks, ExternalKeyHeadersAreNeverFollowed) {
  for (const char* extra : {",\"jku\":\"https://evil.example/jwks\"",
                            ",\"x5u\":\"https://evil.example/cert\"",
                            ",\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}", ",\"x5c\":[\"MIIB\"]"}) {
    EXPECT_EQ(Message(Token(Payload(""), Header(extra))),
              "token header names an external key (jku/x5u/jwk/x5c); refused")
        << extra;
  }
  EXPECT_EQ(Message(Token(Payload(""), Header(",\"crit\":[\"exp\"],\"exp\":1"))),
            "token header uses an unsupported extension (crit/zip/b64/enc)");
  EXPECT_EQ(Message(Token(Payload(""), Header(",\"b64\":false"))),
            "token header uses an unsupported extension (crit/zip/b64/enc)");
}

TEST_F(JwtClaimsChecks, StrictEncodingAndJson) {
  std::string good = Token(Payload(""));
  std::vector<std::string> p = Parts(good);
  // Non-canonical base64url: padding, whitespace, a standard-alphabet char,
  // and non-zero trailing bits in the last character.
  EXPECT_EQ(verifier_.Verify(U(p[0] + "." + p[1] + "." + p[2] + "=")).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(verifier_.Verify(U(p[0] + " ." + p[1] + "." + p[2])).ok());
  EXPECT_FALSE(verifier_.Verify(U(p[0] + "." + p[1] + "." + Replace(p[2], 0, '+'))).ok());
  std::string sig = p[2];  // 32 bytes -> 43 chars; the last carries 2 spare bits
  const char last = sig.back();
  std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  sig.back() = alphabet[(alphabet.find(last) | 1)];
  if (sig.back() != last) {
    EXPECT_EQ(verifier_.Verify(U(p[0] + "." + p[1] + "." + sig)).error().message(),
              "token signature is not canonical base64url");
  }
  // A byte >= 0x80 in place of a '_' or '/': libsodium 1.0.18 decodes it as
  // that character, so without the check the altered token would verify.
  for (std::size_t part = 0; part < 3; ++part) {
    for (std::size_t i = 0; i < p[part].size(); ++i) {
      std::vector<std::string> q = p;
      q[part][i] = static_cast<char>(0xdf);
      EXPECT_FALSE(verifier_.Verify(U(q[0] + "." + q[1] + "." + q[2])).ok()) << part << ":" << i;
    }
  }
  // Structure.
  EXPECT_EQ(Message(p[0] + "." + p[1]), "token is not a compact JWS (three parts)");
  EXPECT_EQ(Message(good + ".x.y"), "token is not a compact JWS (three parts)");
  EXPECT_EQ(Message(""), "token is empty or too large");
  EXPECT_EQ(Message(std::string(9000, 'a')), "token is empty or too large");
  // Duplicate claims: two parsers could disagree about which "sub" counts.
  EXPECT_EQ(Message(Token(Payload(",\"sub\":\"a\",\"sub\":\"admin\""))),
            "token payload is not a valid JSON object");
  EXPECT_EQ(Message(Token(Payload(""), Header(",\"alg\":\"HS256\""))),
            "token header is not a valid JSON object");
  // Depth and non-object payloads.
  EXPECT_EQ(Message(Token(Payload(",\"x\":[[[[[1]]]]]"))), "token payload is not a valid JSON object");
  EXPECT_EQ(Message(Token("[1,2]")), "token payload is not a valid JSON object");
  EXPECT_EQ(Message(Token(Payload(",\"x\":\"\xff\""))), "token payload is not a valid JSON object");
}

TEST(JwtRotation, OldKeysVerifyUntilRetired) {
  ManualClock clock(kNow);
  Keyset keyset = *Keyset::Generate(KeyType::kEd25519, clock);
  const std::uint32_t old_id = keyset.primary_id();
  std::string old_token = *JwtSigner::Create(keyset, SignerOpts(clock))->Sign(Claims());
  // Roll out and promote a new key: new tokens use it; old ones still verify.
  std::uint32_t new_id = *keyset.AddKey(KeyType::kEd25519, clock);
  ASSERT_TRUE(keyset.Promote(new_id).ok());
  auto signer = *JwtSigner::Create(keyset, SignerOpts(clock));
  EXPECT_EQ(signer.key_id(), KeyIdString(new_id));
  std::string new_token = *signer.Sign(Claims());
  auto verifier = *JwtVerifier::Create(keyset, VerifierOpts(clock));
  EXPECT_TRUE(verifier.Verify(U(old_token)).ok());
  EXPECT_TRUE(verifier.Verify(U(new_token)).ok());
  EXPECT_THAT(*PublishJwks(keyset), HasSubstr(KeyIdString(old_id)));
  // Retire the old key.
  ASSERT_TRUE(keyset.Disable(old_id).ok());
  auto after = *JwtVerifier::Create(keyset, VerifierOpts(clock));
  EXPECT_EQ(after.Verify(U(old_token)).error().message(), "token kid is not a known key");
  EXPECT_TRUE(after.Verify(U(new_token)).ok());
  EXPECT_THAT(*PublishJwks(keyset), ::testing::Not(HasSubstr(KeyIdString(old_id))));
}

TEST(JwtRotation, RotateSigningKeyRecordsAnEvent) {
  ManualClock clock(kNow);
  MemoryEventSink events;
  Keyset keyset = *Keyset::Generate(KeyType::kEcdsaP256, clock);
  const std::uint32_t old_id = keyset.primary_id();
  std::string old_token = *JwtSigner::Create(keyset, SignerOpts(clock))->Sign(Claims());
  Result<std::uint32_t> id = RotateSigningKey(keyset, KeyType::kEcdsaP256, events, clock);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(keyset.primary_id(), *id);
  EXPECT_NE(*id, old_id);
  EXPECT_TRUE(JwtVerifier::Create(keyset, VerifierOpts(clock))->Verify(U(old_token)).ok());
  EXPECT_EQ(events.Count(SecurityEventType::kKeyRotated), 1u);
  EXPECT_FALSE(RotateSigningKey(keyset, KeyType::kAeadXChaCha20Poly1305, events, clock).ok());
}

TEST(JwtSigner, RefusesOwnedClaimsAndBadOptions) {
  ManualClock clock(kNow);
  Keyset keyset = *Keyset::Generate(KeyType::kEd25519, clock);
  auto signer = *JwtSigner::Create(keyset, SignerOpts(clock));
  EXPECT_FALSE(signer.Sign(Claims().SetInt("exp", kNow + 1'000'000)).ok());
  EXPECT_FALSE(signer.Sign(Claims().SetString("iss", "other")).ok());
  EXPECT_FALSE(signer.Sign(Claims().SetString("bad", "\xc3\x28")).ok());
  EXPECT_FALSE(JwtSigner::Create(keyset, {.audience = "a"}).ok());
  EXPECT_FALSE(JwtSigner::Create(keyset, {.issuer = "i", .type = "a\"b"}).ok());
  Keyset aead = *Keyset::Generate(KeyType::kAeadXChaCha20Poly1305, clock);
  EXPECT_EQ(JwtSigner::Create(aead, SignerOpts(clock)).error().code(), ErrorCode::kFailedPrecondition);
}

TEST(Jwks, RefusesBadKeys) {
  auto parse = [](const std::string& key) {
    Result<Jwks> r = Jwks::Parse(Untrusted<std::string_view>("{\"keys\":[" + key + "]}"));
    return r.ok() ? std::string("ok") : r.error().message();
  };
  const std::string x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  EXPECT_EQ(parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\"}"), "ok");
  EXPECT_EQ(parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"use\":\"enc\"}"),
            "JWK use is not sig");
  EXPECT_EQ(parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"key_ops\":[\"encrypt\"]}"),
            "JWK key_ops does not allow verify");
  EXPECT_EQ(parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"alg\":\"ES256\"}"),
            "JWK alg does not match its key");
  EXPECT_EQ(parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"d\":\"" + x + "\"}"),
            "JWK holds private key members");
  EXPECT_EQ(parse("{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"" + x + "\"}"),
            "JWK OKP curve must be Ed25519");
  // An EC point that is not on P-256 (x = y = 1).
  const std::string one = Base64UrlEncode(*HexDecode(std::string(62, '0') + "01"));
  EXPECT_EQ(parse("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + one + "\",\"y\":\"" + one + "\"}"),
            "JWK public key is invalid");
  // RSA needs an alg, and at least 2048 bits.
  ManualClock clock(kNow);
  std::string rsa = *PublishJwks(*Keyset::Generate(KeyType::kRsaPkcs1Sha256, clock));
  EXPECT_TRUE(Jwks::Parse(Untrusted<std::string_view>(rsa)).ok());
  std::string no_alg = rsa;
  no_alg.erase(no_alg.find(",\"alg\":\"RS256\""), std::string(",\"alg\":\"RS256\"").size());
  EXPECT_EQ(Jwks::Parse(Untrusted<std::string_view>(no_alg)).error().message(),
            "JWK RSA key needs an explicit alg (RS256 or PS256)");
  const std::string small_n = Base64UrlEncode(Bytes(128, 0xC5));
  // (OpenSSL's public-key check or bulwark's size rule refuses it.)
  EXPECT_NE(parse("{\"kty\":\"RSA\",\"alg\":\"RS256\",\"n\":\"" + small_n + "\",\"e\":\"AQAB\"}"),
            "ok");
  EXPECT_EQ(parse("{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"" + x + "\"}"),
            "JWK symmetric keys are not accepted");
  EXPECT_EQ(parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"kid\":\"a\"},"
                  "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"kid\":\"a\"}"),
            "JWKS has a duplicate kid");
  EXPECT_FALSE(Jwks::Parse(Untrusted<std::string_view>("{\"keys\":[]}")).ok());
  EXPECT_FALSE(Jwks::Parse(Untrusted<std::string_view>("not json")).ok());
}

TEST(Keyset, SigningKeyTypesSealAndReopen) {
  ManualClock clock(kNow);
  Keyset keyset = *Keyset::Generate(KeyType::kEcdsaP256, clock);
  ASSERT_TRUE(keyset.AddKey(KeyType::kRsaPssSha256, clock).ok());
  ASSERT_TRUE(keyset.AddKey(KeyType::kRsaPkcs1Sha256, clock).ok());
  SecretBytes master = crypto::GenerateMasterKey();
  Result<Keyset> reopened = Keyset::Open(*keyset.Seal(master), master);
  ASSERT_TRUE(reopened.ok()) << reopened.error().ToString();
  EXPECT_EQ(reopened->Keys().size(), 3u);
  EXPECT_EQ(*PublishJwks(keyset), *PublishJwks(*reopened));
  // Material of the wrong kind is refused.
  EXPECT_FALSE(keyset.ImportKey(KeyType::kEcdsaP256, SecretBytes::CopyFrom(Bytes(138, 1))).ok());
  EXPECT_EQ(crypto::KeyTypeName(KeyType::kRsaPssSha256), "rsa-pss-sha256");
  EXPECT_EQ(*crypto::ParseKeyType("ecdsa-p256"), KeyType::kEcdsaP256);
}

}  // namespace
}  // namespace bulwark::auth
