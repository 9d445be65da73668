#pragma once
// JWS-signed JWTs (RFC 7515, RFC 7519) over bulwark keysets, and JWKS
// (RFC 7517) publishing and consumption.
//
// The algorithm is a property of the key, never of the token: a keyset key of
// type kEd25519 signs and verifies EdDSA only, kEcdsaP256 ES256 only,
// kRsaPkcs1Sha256 RS256, kRsaPssSha256 PS256, kHmacSha256 HS256, kHmacSha512
// HS512. A token whose header names another algorithm is refused before any
// cryptography runs, so RS256/HS256 key confusion and "alg": "none" cannot
// work. Verification also enforces:
//   - the compact form (exactly three parts), canonical base64url, size limits,
//     strict JSON (no duplicate members, bounded depth, valid UTF-8);
//   - `kid` is looked up in the verifier's own keys only; `jku`, `x5u`, `jwk`
//     and `x5c` headers are refused (never fetched, never trusted), `crit` is
//     refused (no extensions are understood), as are `zip` and `b64`;
//   - `typ` must equal the expected type (default "at+jwt", RFC 9068);
//   - `exp` (required by default), `nbf` and `iat` against an injected Clock
//     with a small leeway;
//   - `iss` and `aud` must match the configured values (required by default);
//   - ES256 signatures are JOSE raw r||s (64 bytes) with 0 < r, s < n, so the
//     "psychic signature" (r = s = 0, CVE-2022-21449) is refused up front.
//
//   BULWARK_ASSIGN_OR_RETURN(auto signer, JwtSigner::Create(keyset, {.issuer = "https://id.example",
//                                                                    .audience = "api"}));
//   Claims claims;
//   claims.SetString("sub", "user-42");
//   BULWARK_ASSIGN_OR_RETURN(std::string token, signer.Sign(claims));
//
//   BULWARK_ASSIGN_OR_RETURN(auto verifier, JwtVerifier::Create(keyset, {.issuer = "https://id.example",
//                                                                        .audience = "api"}));
//   Result<VerifiedJwt> jwt = verifier.Verify(Untrusted<std::string_view>(token));
//
// Errors from Verify are kUnauthenticated (kInvalidArgument for malformed
// tokens) with a fixed message naming the failed check; they never contain
// the token or any part of it.
//
// Thread-safety: JwtSigner, JwtVerifier and Jwks are immutable after
// creation and safe to share across threads. Claims is a value type.
// Ownership: signers and verifiers copy the key material they need; rebuild
// them after the keyset changes (rotation).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bulwark/auth/events.h"
#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/core/untrusted.h"
#include "bulwark/crypto/keyset.h"

namespace bulwark::auth {

enum class JwsAlgorithm : std::uint8_t { kEdDSA, kES256, kRS256, kPS256, kHS256, kHS512 };

// "EdDSA", "ES256", "RS256", "PS256", "HS256", "HS512".
std::string_view JwsAlgorithmName(JwsAlgorithm algorithm) noexcept;
// The one algorithm a key type signs with. Errors: kInvalidArgument for key
// types that do not sign (AEAD).
Result<JwsAlgorithm> JwsAlgorithmForKeyType(crypto::KeyType type);

// The `kid` of keyset key `id`: 8 lower-case hex digits.
std::string KeyIdString(std::uint32_t id);

// A nested JSON object or a mixed array from a verified token, kept as
// minified JSON text. Never written when signing.
struct ClaimJson {
  std::string text;
  friend bool operator==(const ClaimJson&, const ClaimJson&) = default;
};
using ClaimValue = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string,
                                std::vector<std::string>, ClaimJson>;

// The members of a JWT payload, in order. Setters replace an existing member.
class Claims {
 public:
  Claims& SetString(std::string_view name, std::string value);
  Claims& SetInt(std::string_view name, std::int64_t value);
  Claims& SetNumber(std::string_view name, double value);
  Claims& SetBool(std::string_view name, bool value);
  Claims& SetStrings(std::string_view name, std::vector<std::string> values);
  Claims& Set(std::string_view name, ClaimValue value);
  void Remove(std::string_view name);

  const ClaimValue* Find(std::string_view name) const noexcept;
  std::optional<std::string_view> GetString(std::string_view name) const noexcept;
  std::optional<std::int64_t> GetInt(std::string_view name) const noexcept;
  std::optional<bool> GetBool(std::string_view name) const noexcept;
  // A string array, or a single string as a one-element array (as `aud` allows).
  std::vector<std::string> GetStrings(std::string_view name) const;

  // Registered claims (RFC 7519 section 4.1).
  std::optional<std::string_view> issuer() const noexcept { return GetString("iss"); }
  std::optional<std::string_view> subject() const noexcept { return GetString("sub"); }
  std::optional<std::string_view> jwt_id() const noexcept { return GetString("jti"); }
  std::vector<std::string> audience() const { return GetStrings("aud"); }
  std::optional<std::int64_t> expires_at() const noexcept { return GetInt("exp"); }
  std::optional<std::int64_t> not_before() const noexcept { return GetInt("nbf"); }
  std::optional<std::int64_t> issued_at() const noexcept { return GetInt("iat"); }

  const std::vector<std::pair<std::string, ClaimValue>>& entries() const noexcept {
    return entries_;
  }
  std::size_t size() const noexcept { return entries_.size(); }

  // For the parser.
  static Claims FromEntries(std::vector<std::pair<std::string, ClaimValue>> entries);

 private:
  std::vector<std::pair<std::string, ClaimValue>> entries_;
};

struct JwtLimits {
  std::size_t max_token_bytes = 8 * 1024;  // the compact serialization
  std::size_t max_json_bytes = 4 * 1024;   // decoded header or payload
  std::size_t max_json_depth = 4;          // nesting of objects/arrays
  std::size_t max_members = 64;            // per object or array
};

// Internal key material shared by signers, verifiers and Jwks.
namespace internal {
struct JwsKeyRing;
}

struct JwtSignerOptions {
  std::string issuer;                   // REQUIRED: the `iss` of every token
  std::string audience;                 // default `aud` when the claims set none
  std::string type = "at+jwt";          // the `typ` header
  std::chrono::seconds lifetime{900};   // exp = iat + lifetime; REQUIRES: 1 s .. 30 days
  bool include_not_before = false;      // also set nbf = iat
  const Clock* clock = &SystemClock();  // REQUIRES: outlives the signer
};

// JwtSigner: signs JWTs with the keyset's primary key (its `kid` is in the
// header). It owns `iss`, `iat`, `exp`, `nbf` and fills `jti` with 128
// random bits when the claims have none.
class JwtSigner {
 public:
  // Errors: kInvalidArgument (empty issuer, bad lifetime, a `typ` that is not
  // a short token), kFailedPrecondition (the primary key cannot sign JWS).
  static Result<JwtSigner> Create(const crypto::Keyset& keyset, JwtSignerOptions options);

  // Errors: kInvalidArgument when `claims` sets iss/iat/exp/nbf, holds a
  // ClaimJson value or a non-finite number, or the token would exceed 8 KiB.
  Result<std::string> Sign(const Claims& claims) const;

  JwsAlgorithm algorithm() const noexcept;
  const std::string& key_id() const noexcept;

 private:
  JwtSigner() = default;
  std::shared_ptr<const internal::JwsKeyRing> key_;
  JwtSignerOptions options_;
  std::string header_b64_;
};

// A verified token. Only Verify makes one.
class VerifiedJwt {
 public:
  const Claims& claims() const noexcept { return claims_; }
  JwsAlgorithm algorithm() const noexcept { return algorithm_; }
  const std::string& key_id() const noexcept { return key_id_; }  // empty when the token had none

 private:
  friend class JwtVerifier;
  VerifiedJwt() = default;
  Claims claims_;
  JwsAlgorithm algorithm_ = JwsAlgorithm::kEdDSA;
  std::string key_id_;
};

struct JwtVerifierOptions {
  std::string issuer;    // required `iss` (see unsafe_skip_issuer_check)
  std::string audience;  // required member of `aud` (see unsafe_skip_audience_check)
  std::string expected_type = "at+jwt";  // `typ` must equal this (case-insensitive per RFC 7515)
  bool require_type = true;              // a token without `typ` is refused
  std::chrono::seconds leeway{30};       // clock skew allowed on exp/nbf/iat; REQUIRES: <= 5 min
  bool require_expiry = true;            // a token without `exp` is refused
  std::optional<std::chrono::seconds> max_age;  // refuse tokens with iat older than this
  // Tokens without `kid` are refused unless this is false; then every key
  // whose algorithm matches the header is tried.
  bool require_key_id = true;
  JwtLimits limits;
  const Clock* clock = &SystemClock();  // REQUIRES: outlives the verifier
  // Escape hatches; each is a named, greppable weakening.
  bool unsafe_skip_issuer_check = false;
  bool unsafe_skip_audience_check = false;
};

class Jwks;

// JwtVerifier: verifies tokens against a fixed set of keys.
class JwtVerifier {
 public:
  // Keys: every enabled signing key of the keyset (HMAC keys included, with
  // kid = KeyIdString(id)). Errors: kInvalidArgument (empty issuer/audience
  // without the matching unsafe_ flag, leeway > 5 min), kFailedPrecondition
  // (no signing keys).
  static Result<JwtVerifier> Create(const crypto::Keyset& keyset, JwtVerifierOptions options);
  // Keys: those of a consumed JWKS.
  static Result<JwtVerifier> Create(const Jwks& jwks, JwtVerifierOptions options);

  Result<VerifiedJwt> Verify(Untrusted<std::string_view> token) const;

 private:
  JwtVerifier() = default;
  static Result<JwtVerifier> Make(std::shared_ptr<const internal::JwsKeyRing> keys,
                                  JwtVerifierOptions options);
  std::shared_ptr<const internal::JwsKeyRing> keys_;
  JwtVerifierOptions options_;
};

// ---- JWKS ---------------------------------------------------------------

// The JWK Set of a keyset's enabled public signing keys (EdDSA, ES256, RS256,
// PS256), each with kty, kid, alg and "use": "sig". Secret (HMAC) keys are
// never published. Errors: kInternal on an encoding failure.
Result<std::string> PublishJwks(const crypto::Keyset& keyset);

struct JwksOptions {
  std::size_t max_bytes = 64 * 1024;
  std::size_t max_keys = 32;
  // "oct" (HMAC) keys are shared secrets and do not belong in a JWKS; accept
  // them only when the document comes from a trusted secret store.
  bool allow_symmetric = false;
};

// Jwks: a consumed JWK Set (the caller fetched it, over TLS, from a
// configured URL; nothing here fetches). Each key must have a supported
// kty/crv, "use" absent or "sig", key_ops absent or containing "verify",
// and an `alg` consistent with the key; RSA and oct keys need an explicit
// `alg` (RS256 or PS256; HS256 or HS512) because their type does not decide
// it. Keys holding private members are refused (a published JWKS with a
// private key is a leak, not a key). RSA moduli must be 2048-4096 bits, EC
// points must be on P-256, HMAC keys at least as long as the hash.
class Jwks {
 public:
  // Errors: kInvalidArgument (malformed, a refused key, duplicate kid,
  // limits), naming the failed rule but never echoing the document.
  static Result<Jwks> Parse(Untrusted<std::string_view> document, JwksOptions options = {});

  std::size_t size() const noexcept;
  std::vector<std::string> key_ids() const;

 private:
  friend class JwtVerifier;
  Jwks() = default;
  std::shared_ptr<const internal::JwsKeyRing> keys_;
};

// One rotation step for a JWS keyset: adds a fresh key of `type` and makes it
// the primary. The previous primary stays enabled, so tokens it signed keep
// verifying until the caller disables it (after the longest token lifetime).
// Publish the JWKS before promoting when verifiers fetch it: use AddKey,
// publish, then Promote. Records key.rotated. Errors: kInvalidArgument for a
// type that does not sign JWS.
Result<std::uint32_t> RotateSigningKey(crypto::Keyset& keyset, crypto::KeyType type,
                                       SecurityEventSink& events = NullEventSink(),
                                       const Clock& clock = SystemClock());

// RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key in a single
// JWK object. Errors: kInvalidArgument for an unsupported or malformed key.
Result<std::string> JwkThumbprint(std::string_view jwk_json);

}  // namespace bulwark::auth
