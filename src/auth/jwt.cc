#include "bulwark/auth/jwt.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hash.h"
#include "bulwark/crypto/random.h"
#include "json.h"
#include "jws_key.h"

namespace bulwark::auth {
namespace {

using internal::JsonLimits;
using internal::JsonObject;
using internal::JwsKey;
using internal::JwsKeyRing;

constexpr std::size_t kMaxSignedToken = 8 * 1024;

Error Unauthenticated(const char* what) { return Error(ErrorCode::kUnauthenticated, what); }
Error Malformed(const char* what) { return Error(ErrorCode::kInvalidArgument, what); }

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '-' || c == '.' || c == '/';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// RFC 7515 4.1.9: "application/" may be omitted from typ; compare without it.
std::string_view StripApplication(std::string_view t) {
  constexpr std::string_view kPrefix = "application/";
  if (t.size() > kPrefix.size() && EqualsIgnoreCase(t.substr(0, kPrefix.size()), kPrefix)) {
    t.remove_prefix(kPrefix.size());
  }
  return t;
}

// A NumericDate: an integer, or a finite number (floored).
std::optional<std::int64_t> NumericDate(const ClaimValue* v) {
  if (v == nullptr) return std::nullopt;
  if (const auto* i = std::get_if<std::int64_t>(v)) return *i;
  if (const auto* d = std::get_if<double>(v)) {
    if (std::isfinite(*d) && *d > -9.2e18 && *d < 9.2e18) {
      return static_cast<std::int64_t>(std::floor(*d));
    }
  }
  return std::nullopt;
}

// a - b, saturated to the int64 range. NumericDates come from the token and
// may be anywhere in that range, so `exp + leeway` or `now - iat` could
// overflow (undefined behaviour); every time comparison goes through this.
std::int64_t SaturatingSub(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) {
    return b < 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  }
  return r;
}

}  // namespace

std::string_view JwsAlgorithmName(JwsAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case JwsAlgorithm::kEdDSA: return "EdDSA";
    case JwsAlgorithm::kES256: return "ES256";
    case JwsAlgorithm::kRS256: return "RS256";
    case JwsAlgorithm::kPS256: return "PS256";
    case JwsAlgorithm::kHS256: return "HS256";
    case JwsAlgorithm::kHS512: return "HS512";
  }
  return "unknown";
}

Result<JwsAlgorithm> JwsAlgorithmForKeyType(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::kEd25519: return JwsAlgorithm::kEdDSA;
    case crypto::KeyType::kEcdsaP256: return JwsAlgorithm::kES256;
    case crypto::KeyType::kRsaPkcs1Sha256: return JwsAlgorithm::kRS256;
    case crypto::KeyType::kRsaPssSha256: return JwsAlgorithm::kPS256;
    case crypto::KeyType::kHmacSha256: return JwsAlgorithm::kHS256;
    case crypto::KeyType::kHmacSha512: return JwsAlgorithm::kHS512;
    case crypto::KeyType::kAeadXChaCha20Poly1305: break;
  }
  return Error(ErrorCode::kInvalidArgument, "key type does not sign JWS");
}

std::string KeyIdString(std::uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%08x", id);
  return std::string(buf, 8);
}

// ---- Claims ---------------------------------------------------------------

Claims& Claims::Set(std::string_view name, ClaimValue value) {
  for (auto& [key, existing] : entries_) {
    if (key == name) {
      existing = std::move(value);
      return *this;
    }
  }
  entries_.emplace_back(std::string(name), std::move(value));
  return *this;
}
Claims& Claims::SetString(std::string_view name, std::string value) {
  return Set(name, std::move(value));
}
Claims& Claims::SetInt(std::string_view name, std::int64_t value) { return Set(name, value); }
Claims& Claims::SetNumber(std::string_view name, double value) { return Set(name, value); }
Claims& Claims::SetBool(std::string_view name, bool value) { return Set(name, value); }
Claims& Claims::SetStrings(std::string_view name, std::vector<std::string> values) {
  return Set(name, std::move(values));
}
void Claims::Remove(std::string_view name) {
  std::erase_if(entries_, [name](const auto& e) { return e.first == name; });
}

const ClaimValue* Claims::Find(std::string_view name) const noexcept {
  for (const auto& [key, value] : entries_) {
    if (key == name) return &value;
  }
  return nullptr;
}
std::optional<std::string_view> Claims::GetString(std::string_view name) const noexcept {
  const ClaimValue* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(v)) return std::string_view(*s);
  return std::nullopt;
}
std::optional<std::int64_t> Claims::GetInt(std::string_view name) const noexcept {
  const ClaimValue* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (const auto* i = std::get_if<std::int64_t>(v)) return *i;
  return std::nullopt;
}
std::optional<bool> Claims::GetBool(std::string_view name) const noexcept {
  const ClaimValue* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (const auto* b = std::get_if<bool>(v)) return *b;
  return std::nullopt;
}
std::vector<std::string> Claims::GetStrings(std::string_view name) const {
  const ClaimValue* v = Find(name);
  if (v == nullptr) return {};
  if (const auto* s = std::get_if<std::string>(v)) return {*s};
  if (const auto* list = std::get_if<std::vector<std::string>>(v)) return *list;
  return {};
}
Claims Claims::FromEntries(std::vector<std::pair<std::string, ClaimValue>> entries) {
  Claims c;
  c.entries_ = std::move(entries);
  return c;
}

// ---- Signer -----------------------------------------------------------------

Result<JwtSigner> JwtSigner::Create(const crypto::Keyset& keyset, JwtSignerOptions options) {
  if (options.issuer.empty()) return Malformed("JWT signer needs an issuer");
  if (options.lifetime < std::chrono::seconds(1) || options.lifetime > std::chrono::hours(24 * 30)) {
    return Malformed("JWT lifetime must be between 1 second and 30 days");
  }
  if (options.type.empty() || options.type.size() > 64 ||
      !std::all_of(options.type.begin(), options.type.end(), IsTokenChar)) {
    return Malformed("JWT typ must be a short media type name");
  }
  if (options.clock == nullptr) return Malformed("JWT signer needs a clock");
  Result<JwsKey> key = internal::KeyFromKeyset(keyset, keyset.primary_id());
  if (!key.ok()) {
    return Error(ErrorCode::kFailedPrecondition, "the keyset's primary key cannot sign JWS");
  }
  JwtSigner signer;
  std::string header = "{\"alg\":\"";
  header += JwsAlgorithmName(key->algorithm);
  header += "\",\"kid\":\"" + key->kid + "\",\"typ\":";
  internal::AppendJsonString(header, options.type);
  header += "}";
  signer.header_b64_ = Base64UrlEncode(AsBytes(header));
  auto ring = std::make_shared<JwsKeyRing>();
  ring->keys.push_back(std::move(key).value());
  signer.key_ = std::move(ring);
  signer.options_ = std::move(options);
  return signer;
}

JwsAlgorithm JwtSigner::algorithm() const noexcept { return key_->keys.front().algorithm; }
const std::string& JwtSigner::key_id() const noexcept { return key_->keys.front().kid; }

Result<std::string> JwtSigner::Sign(const Claims& claims) const {
  for (const char* owned : {"iss", "iat", "exp", "nbf"}) {
    if (claims.Find(owned) != nullptr) {
      return Malformed("claims must not set iss, iat, exp or nbf; the signer sets them");
    }
  }
  const std::int64_t now = options_.clock->NowUnixSeconds();
  JsonObject payload;
  payload.reserve(claims.size() + 6);
  payload.emplace_back("iss", options_.issuer);
  if (claims.Find("aud") == nullptr && !options_.audience.empty()) {
    payload.emplace_back("aud", options_.audience);
  }
  payload.emplace_back("iat", now);
  if (options_.include_not_before) payload.emplace_back("nbf", now);
  payload.emplace_back("exp", now + options_.lifetime.count());
  if (claims.Find("jti") == nullptr) payload.emplace_back("jti", crypto::RandomToken(16));
  for (const auto& entry : claims.entries()) payload.push_back(entry);
  BULWARK_ASSIGN_OR_RETURN(std::string json, internal::WriteJsonObject(payload));
  std::string token = header_b64_;
  token.push_back('.');
  token += Base64UrlEncode(AsBytes(json));
  BULWARK_ASSIGN_OR_RETURN(Bytes signature, internal::SignJws(key_->keys.front(), AsBytes(token)));
  token.push_back('.');
  token += Base64UrlEncode(signature);
  if (token.size() > kMaxSignedToken) return Malformed("JWT would exceed 8 KiB");
  return token;
}

// ---- Verifier -------------------------------------------------------------

Result<JwtVerifier> JwtVerifier::Make(std::shared_ptr<const JwsKeyRing> keys,
                                      JwtVerifierOptions options) {
  if (options.issuer.empty() && !options.unsafe_skip_issuer_check) {
    return Malformed("JWT verifier needs an issuer (or unsafe_skip_issuer_check)");
  }
  if (options.audience.empty() && !options.unsafe_skip_audience_check) {
    return Malformed("JWT verifier needs an audience (or unsafe_skip_audience_check)");
  }
  if (options.leeway < std::chrono::seconds(0) || options.leeway > std::chrono::minutes(5)) {
    return Malformed("JWT leeway must be between 0 and 5 minutes");
  }
  if (options.require_type && options.expected_type.empty()) {
    return Malformed("JWT verifier needs an expected typ");
  }
  if (options.clock == nullptr) return Malformed("JWT verifier needs a clock");
  if (keys == nullptr || keys->keys.empty()) {
    return Error(ErrorCode::kFailedPrecondition, "no JWS verification keys");
  }
  JwtVerifier verifier;
  verifier.keys_ = std::move(keys);
  verifier.options_ = std::move(options);
  return verifier;
}

Result<JwtVerifier> JwtVerifier::Create(const crypto::Keyset& keyset, JwtVerifierOptions options) {
  auto ring = std::make_shared<JwsKeyRing>();
  for (const crypto::KeyInfo& info : keyset.Keys()) {
    if (info.status != crypto::KeyStatus::kEnabled) continue;
    if (!JwsAlgorithmForKeyType(info.type).ok()) continue;
    BULWARK_ASSIGN_OR_RETURN(JwsKey key, internal::KeyFromKeyset(keyset, info.id));
    ring->keys.push_back(std::move(key));
  }
  return Make(std::move(ring), std::move(options));
}

Result<JwtVerifier> JwtVerifier::Create(const Jwks& jwks, JwtVerifierOptions options) {
  return Make(jwks.keys_, std::move(options));
}

Result<VerifiedJwt> JwtVerifier::Verify(Untrusted<std::string_view> untrusted) const {
  const std::string_view token = untrusted.UnvalidatedValue();
  const JwtLimits& limits = options_.limits;
  if (token.empty() || token.size() > limits.max_token_bytes) {
    return Malformed("token is empty or too large");
  }
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return Malformed("token is not a compact JWS (three parts)");
  }
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_b64 = token.substr(dot2 + 1);
  if (signature_b64.empty()) return Unauthenticated("token is unsigned");

  const JsonLimits json_limits{limits.max_json_bytes, limits.max_json_depth, limits.max_members};
  Result<Bytes> header_raw = Base64UrlDecodePublic(header_b64);
  if (!header_raw.ok()) return Malformed("token header is not canonical base64url");
  Result<JsonObject> header = internal::ParseJsonObject(AsChars(*header_raw), json_limits);
  if (!header.ok()) return Malformed("token header is not a valid JSON object");

  // Header checks, before any key is touched.
  const ClaimValue* alg_value = internal::FindMember(*header, "alg");
  const std::string* alg = alg_value ? std::get_if<std::string>(alg_value) : nullptr;
  if (alg == nullptr) return Unauthenticated("token header has no alg");
  for (const char* refused : {"jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256"}) {
    if (internal::FindMember(*header, refused) != nullptr) {
      return Unauthenticated("token header names an external key (jku/x5u/jwk/x5c); refused");
    }
  }
  for (const char* refused : {"crit", "zip", "b64", "enc"}) {
    if (internal::FindMember(*header, refused) != nullptr) {
      return Unauthenticated("token header uses an unsupported extension (crit/zip/b64/enc)");
    }
  }
  const ClaimValue* typ_value = internal::FindMember(*header, "typ");
  if (typ_value != nullptr || options_.require_type) {
    const std::string* typ = typ_value ? std::get_if<std::string>(typ_value) : nullptr;
    if (typ == nullptr) return Unauthenticated("token typ is missing");
    if (options_.require_type &&
        !EqualsIgnoreCase(StripApplication(*typ), StripApplication(options_.expected_type))) {
      return Unauthenticated("token typ is not the expected type");
    }
  }
  const ClaimValue* kid_value = internal::FindMember(*header, "kid");
  const std::string* kid = nullptr;
  if (kid_value != nullptr) {
    kid = std::get_if<std::string>(kid_value);
    if (kid == nullptr) return Unauthenticated("token kid is not a string");
  } else if (options_.require_key_id) {
    return Unauthenticated("token has no kid");
  }

  // Key selection: the algorithm comes from the key; the header must agree.
  Result<Bytes> signature = Base64UrlDecodePublic(signature_b64);
  if (!signature.ok()) return Malformed("token signature is not canonical base64url");
  const ByteView signing_input = AsBytes(token.substr(0, dot2));
  const JwsKey* used = nullptr;
  bool kid_found = false;
  bool alg_matched = false;
  for (const JwsKey& key : keys_->keys) {
    if (kid != nullptr && key.kid != *kid) continue;
    kid_found = true;
    if (JwsAlgorithmName(key.algorithm) != *alg) continue;
    alg_matched = true;
    if (internal::VerifyJws(key, signing_input, *signature)) {
      used = &key;
      break;
    }
  }
  if (!kid_found) return Unauthenticated("token kid is not a known key");
  if (!alg_matched) return Unauthenticated("token alg does not match the key's algorithm");
  if (used == nullptr) return Unauthenticated("token signature is invalid");

  // Claims, only after the signature holds.
  Result<Bytes> payload_raw = Base64UrlDecodePublic(payload_b64);
  if (!payload_raw.ok()) return Malformed("token payload is not canonical base64url");
  Result<JsonObject> payload = internal::ParseJsonObject(AsChars(*payload_raw), json_limits);
  if (!payload.ok()) return Malformed("token payload is not a valid JSON object");

  const std::int64_t now = options_.clock->NowUnixSeconds();
  const std::int64_t leeway = options_.leeway.count();
  const ClaimValue* exp_value = internal::FindMember(*payload, "exp");
  if (exp_value != nullptr) {
    std::optional<std::int64_t> exp = NumericDate(exp_value);
    if (!exp) return Unauthenticated("token exp is not a NumericDate");
    if (SaturatingSub(now, *exp) >= leeway) return Unauthenticated("token has expired");
  } else if (options_.require_expiry) {
    return Unauthenticated("token has no exp");
  }
  if (const ClaimValue* nbf_value = internal::FindMember(*payload, "nbf")) {
    std::optional<std::int64_t> nbf = NumericDate(nbf_value);
    if (!nbf) return Unauthenticated("token nbf is not a NumericDate");
    if (SaturatingSub(*nbf, now) > leeway) return Unauthenticated("token is not yet valid");
  }
  const ClaimValue* iat_value = internal::FindMember(*payload, "iat");
  if (iat_value != nullptr) {
    std::optional<std::int64_t> iat = NumericDate(iat_value);
    if (!iat) return Unauthenticated("token iat is not a NumericDate");
    if (SaturatingSub(*iat, now) > leeway) return Unauthenticated("token was issued in the future");
    if (options_.max_age &&
        SaturatingSub(SaturatingSub(now, *iat), leeway) > options_.max_age->count()) {
      return Unauthenticated("token is older than the maximum age");
    }
  } else if (options_.max_age) {
    return Unauthenticated("token has no iat");
  }
  if (!options_.unsafe_skip_issuer_check) {
    const ClaimValue* iss = internal::FindMember(*payload, "iss");
    const std::string* s = iss ? std::get_if<std::string>(iss) : nullptr;
    if (s == nullptr || *s != options_.issuer) return Unauthenticated("token issuer is wrong");
  }
  if (!options_.unsafe_skip_audience_check) {
    const ClaimValue* aud = internal::FindMember(*payload, "aud");
    bool ok = false;
    if (aud != nullptr) {
      if (const auto* s = std::get_if<std::string>(aud)) {
        ok = *s == options_.audience;
      } else if (const auto* list = std::get_if<std::vector<std::string>>(aud)) {
        ok = std::find(list->begin(), list->end(), options_.audience) != list->end();
      }
    }
    if (!ok) return Unauthenticated("token audience is wrong");
  }

  VerifiedJwt result;
  result.claims_ = Claims::FromEntries(std::move(payload).value());
  result.algorithm_ = used->algorithm;
  if (kid != nullptr) result.key_id_ = *kid;
  return result;
}

// ---- JWKS -------------------------------------------------------------------

Result<std::string> PublishJwks(const crypto::Keyset& keyset) {
  std::string out = "{\"keys\":[";
  bool first = true;
  for (const crypto::KeyInfo& info : keyset.Keys()) {
    if (info.status != crypto::KeyStatus::kEnabled) continue;
    Result<JwsAlgorithm> alg = JwsAlgorithmForKeyType(info.type);
    if (!alg.ok() || *alg == JwsAlgorithm::kHS256 || *alg == JwsAlgorithm::kHS512) continue;
    BULWARK_ASSIGN_OR_RETURN(JwsKey key, internal::KeyFromKeyset(keyset, info.id));
    BULWARK_ASSIGN_OR_RETURN(JsonObject jwk, internal::PublicJwk(key));
    jwk.emplace_back("kid", key.kid);
    jwk.emplace_back("alg", std::string(JwsAlgorithmName(key.algorithm)));
    jwk.emplace_back("use", std::string("sig"));
    BULWARK_ASSIGN_OR_RETURN(std::string json, internal::WriteJsonObject(jwk));
    if (!first) out.push_back(',');
    first = false;
    out += json;
  }
  out += "]}";
  return out;
}

Result<Jwks> Jwks::Parse(Untrusted<std::string_view> document, JwksOptions options) {
  const std::string_view text = document.UnvalidatedValue();
  if (text.size() > options.max_bytes) return Malformed("JWKS document too large");
  const JsonLimits limits{options.max_bytes, 4, std::max<std::size_t>(options.max_keys, 16)};
  Result<internal::JsonArrayOfObjects> parsed =
      internal::ParseObjectArrayMember(text, "keys", limits);
  if (!parsed.ok()) return Malformed("JWKS document is not {\"keys\": [objects]}");
  if (parsed->items.size() > options.max_keys) return Malformed("JWKS has too many keys");
  auto ring = std::make_shared<JwsKeyRing>();
  for (const JsonObject& jwk : parsed->items) {
    BULWARK_ASSIGN_OR_RETURN(JwsKey key, internal::KeyFromJwk(jwk, options));
    for (const JwsKey& other : ring->keys) {
      if (!key.kid.empty() && other.kid == key.kid) return Malformed("JWKS has a duplicate kid");
    }
    ring->keys.push_back(std::move(key));
  }
  if (ring->keys.empty()) return Malformed("JWKS has no keys");
  Jwks jwks;
  jwks.keys_ = std::move(ring);
  return jwks;
}

std::size_t Jwks::size() const noexcept { return keys_ ? keys_->keys.size() : 0; }

std::vector<std::string> Jwks::key_ids() const {
  std::vector<std::string> out;
  if (keys_) {
    for (const JwsKey& k : keys_->keys) out.push_back(k.kid);
  }
  return out;
}

Result<std::uint32_t> RotateSigningKey(crypto::Keyset& keyset, crypto::KeyType type,
                                       SecurityEventSink& events, const Clock& clock) {
  BULWARK_RETURN_IF_ERROR(JwsAlgorithmForKeyType(type));
  const std::uint32_t previous = keyset.primary_id();
  BULWARK_ASSIGN_OR_RETURN(std::uint32_t id, keyset.AddKey(type, clock));
  BULWARK_RETURN_IF_ERROR(keyset.Promote(id));
  Emit(events, SecurityEventType::kKeyRotated, clock.NowUnixSeconds(), {}, KeyIdString(id),
       "JWS signing key", {{"previous", KeyIdString(previous)}, {"type", std::string(crypto::KeyTypeName(type))}});
  return id;
}

Result<std::string> JwkThumbprint(std::string_view jwk_json) {
  BULWARK_ASSIGN_OR_RETURN(JsonObject jwk, internal::ParseJsonObject(jwk_json, JsonLimits{}));
  // The thumbprint covers the key only; an RSA key without alg is still a key.
  const ClaimValue* kty = internal::FindMember(jwk, "kty");
  if (kty != nullptr && *kty == ClaimValue(std::string("RSA")) &&
      internal::FindMember(jwk, "alg") == nullptr) {
    jwk.emplace_back("alg", std::string("RS256"));
  }
  BULWARK_ASSIGN_OR_RETURN(JwsKey key, internal::KeyFromJwk(jwk, JwksOptions{}));
  BULWARK_ASSIGN_OR_RETURN(JsonObject members, internal::PublicJwk(key));
  BULWARK_ASSIGN_OR_RETURN(std::string canonical, internal::WriteJsonObject(members));
  const crypto::Sha256Digest digest = crypto::Sha256(AsBytes(canonical));
  return Base64UrlEncode(digest);
}

}  // namespace bulwark::auth
