#include "jws_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "bulwark/core/check.h"
#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hmac.h"

namespace bulwark::auth::internal {

void PkeyDeleter::operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }

namespace {

constexpr std::size_t kEcCoordinate = 32;
// The order n of the P-256 group (FIPS 186-4 D.1.2.3), big-endian.
constexpr std::array<std::uint8_t, 32> kP256Order = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};
struct BnFree {
  void operator()(BIGNUM* b) const noexcept { BN_free(b); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const noexcept { ECDSA_SIG_free(s); }
};
struct P8Free {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const noexcept { PKCS8_PRIV_KEY_INFO_free(p); }
};
struct BldFree {
  void operator()(OSSL_PARAM_BLD* b) const noexcept { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

void EnsureSodium() noexcept {
  static const int status = sodium_init();
  BULWARK_CHECK(status >= 0);
}

Error Refused(const char* what) { return Error(ErrorCode::kInvalidArgument, what); }

// 0 < value < n, for a 32-byte big-endian scalar.
bool InP256ScalarRange(ByteView value) noexcept {
  bool all_zero = true;
  for (std::uint8_t b : value) all_zero = all_zero && b == 0;
  if (all_zero) return false;
  return std::lexicographical_compare(value.begin(), value.end(), kP256Order.begin(),
                                      kP256Order.end());
}

bool IsRsa(JwsAlgorithm a) { return a == JwsAlgorithm::kRS256 || a == JwsAlgorithm::kPS256; }
bool IsHmac(JwsAlgorithm a) { return a == JwsAlgorithm::kHS256 || a == JwsAlgorithm::kHS512; }
crypto::HmacAlgorithm HmacFor(JwsAlgorithm a) {
  return a == JwsAlgorithm::kHS256 ? crypto::HmacAlgorithm::kSha256
                                   : crypto::HmacAlgorithm::kSha512;
}

// HS keys get their OpenSSL context set up once, not per token.
Result<void> PrepareHmac(JwsKey& key, JwsAlgorithm algorithm) {
  BULWARK_ASSIGN_OR_RETURN(crypto::HmacKey prepared,
                           crypto::HmacKey::Create(HmacFor(algorithm), key.secret));
  key.hmac.emplace(std::move(prepared));
  return Ok();
}

PkeyPtr LoadPkcs8(ByteView der) {
  const unsigned char* p = der.data();
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8Free> info(
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!info) return nullptr;
  return PkeyPtr(EVP_PKCS82PKEY(info.get()));
}

Bytes BnBytes(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return {};
  BnPtr bn(raw);
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), out.data());
  return out;
}

bool RsaKeyAcceptable(EVP_PKEY* key) {
  const int bits = EVP_PKEY_get_bits(key);
  if (EVP_PKEY_is_a(key, "RSA") != 1 || bits < 2048 || bits > 4096) return false;
  Bytes e = BnBytes(key, OSSL_PKEY_PARAM_RSA_E);
  // A public exponent of 3 or more, odd.
  return !e.empty() && (e.back() & 1) == 1 && !(e.size() == 1 && e[0] < 3);
}

const std::string* StringMember(const JsonObject& jwk, std::string_view name) {
  const ClaimValue* v = FindMember(jwk, name);
  return v ? std::get_if<std::string>(v) : nullptr;
}

Result<Bytes> B64Member(const JsonObject& jwk, std::string_view name, const char* error) {
  const std::string* text = StringMember(jwk, name);
  if (text == nullptr) return Refused(error);
  Result<Bytes> bytes = Base64UrlDecode(*text);
  if (!bytes.ok()) return Refused(error);
  return bytes;
}

Result<PkeyPtr> FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return Refused("JWK public key is invalid");
  }
  PkeyPtr key(raw);
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(
      EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return Refused("JWK public key is invalid");
  }
  return key;
}

Result<PkeyPtr> EcFromJwk(const JsonObject& jwk) {
  const std::string* crv = StringMember(jwk, "crv");
  if (crv == nullptr || *crv != "P-256") return Refused("JWK EC curve must be P-256");
  BULWARK_ASSIGN_OR_RETURN(Bytes x, B64Member(jwk, "x", "JWK EC x is missing or malformed"));
  BULWARK_ASSIGN_OR_RETURN(Bytes y, B64Member(jwk, "y", "JWK EC y is missing or malformed"));
  if (x.size() != kEcCoordinate || y.size() != kEcCoordinate) {
    return Refused("JWK EC coordinates must be 32 bytes");
  }
  Bytes point{0x04};
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Error(ErrorCode::kInternal, "EC key construction failed");
  }
  return FromParams("EC", bld.get());
}

Result<PkeyPtr> RsaFromJwk(const JsonObject& jwk) {
  BULWARK_ASSIGN_OR_RETURN(Bytes n, B64Member(jwk, "n", "JWK RSA n is missing or malformed"));
  BULWARK_ASSIGN_OR_RETURN(Bytes e, B64Member(jwk, "e", "JWK RSA e is missing or malformed"));
  if (n.empty() || n[0] == 0 || e.empty() || e[0] == 0 || e.size() > 8) {
    return Refused("JWK RSA n/e are not minimal big-endian integers");
  }
  BnPtr bn_n(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr));
  BnPtr bn_e(BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return Error(ErrorCode::kInternal, "RSA key construction failed");
  }
  BULWARK_ASSIGN_OR_RETURN(PkeyPtr key, FromParams("RSA", bld.get()));
  if (!RsaKeyAcceptable(key.get())) {
    return Refused("JWK RSA key must be 2048-4096 bits with an odd exponent >= 3");
  }
  return key;
}

Result<JwsAlgorithm> ParseAlg(const std::string& name) {
  for (JwsAlgorithm a : {JwsAlgorithm::kEdDSA, JwsAlgorithm::kES256, JwsAlgorithm::kRS256,
                         JwsAlgorithm::kPS256, JwsAlgorithm::kHS256, JwsAlgorithm::kHS512}) {
    if (JwsAlgorithmName(a) == name) return a;
  }
  return Refused("JWK alg is not supported");
}

bool DigestVerify(EVP_PKEY* key, bool pss, ByteView input, ByteView der_or_raw) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!md || EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, key) != 1) return false;
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return false;
  }
  return EVP_DigestVerify(md.get(), der_or_raw.data(), der_or_raw.size(), input.data(),
                          input.size()) == 1;
}

Result<Bytes> DigestSign(EVP_PKEY* key, bool pss, ByteView input) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  const Error failed(ErrorCode::kInternal, "signing failed");
  if (!md || EVP_DigestSignInit(md.get(), &pctx, EVP_sha256(), nullptr, key) != 1) return failed;
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return failed;
  }
  std::size_t size = 0;
  if (EVP_DigestSign(md.get(), nullptr, &size, input.data(), input.size()) != 1) return failed;
  Bytes out(size);
  if (EVP_DigestSign(md.get(), out.data(), &size, input.data(), input.size()) != 1) return failed;
  out.resize(size);
  return out;
}

}  // namespace

Result<JwsKey> KeyFromKeyset(const crypto::Keyset& keyset, std::uint32_t id) {
  BULWARK_ASSIGN_OR_RETURN(crypto::KeyInfo info, keyset.Info(id));
  BULWARK_ASSIGN_OR_RETURN(JwsAlgorithm algorithm, JwsAlgorithmForKeyType(info.type));
  const SecretBytes* material = keyset.EnabledMaterial(id, InsecureSecretAccess());
  if (material == nullptr) return Error(ErrorCode::kFailedPrecondition, "key is not enabled");
  JwsKey key;
  key.kid = KeyIdString(id);
  key.algorithm = algorithm;
  key.can_sign = true;
  ByteView bytes = material->RevealBytes(InsecureSecretAccess());
  switch (algorithm) {
    case JwsAlgorithm::kEdDSA: {
      EnsureSodium();
      key.ed25519_public.resize(crypto_sign_PUBLICKEYBYTES);
      key.secret = SecretBytes::Adopt(Bytes(crypto_sign_SECRETKEYBYTES));
      if (bytes.size() != crypto_sign_SEEDBYTES ||
          crypto_sign_seed_keypair(key.ed25519_public.data(),
                                   key.secret.RevealMutable(InsecureSecretAccess()).data(),
                                   bytes.data()) != 0) {
        return Error(ErrorCode::kInternal, "Ed25519 key derivation failed");
      }
      break;
    }
    case JwsAlgorithm::kHS256:
    case JwsAlgorithm::kHS512:
      key.secret = material->Clone(InsecureSecretAccess());
      BULWARK_RETURN_IF_ERROR(PrepareHmac(key, key.algorithm));
      break;
    case JwsAlgorithm::kES256:
    case JwsAlgorithm::kRS256:
    case JwsAlgorithm::kPS256:
      key.pkey = LoadPkcs8(bytes);
      if (!key.pkey) return Error(ErrorCode::kDataLoss, "stored private key does not parse");
      break;
  }
  return key;
}

Result<JwsKey> KeyFromJwk(const JsonObject& jwk, const JwksOptions& options) {
  const std::string* kty = StringMember(jwk, "kty");
  if (kty == nullptr) return Refused("JWK lacks kty");
  if (const ClaimValue* use = FindMember(jwk, "use")) {
    const std::string* s = std::get_if<std::string>(use);
    if (s == nullptr || *s != "sig") return Refused("JWK use is not sig");
  }
  if (const ClaimValue* ops = FindMember(jwk, "key_ops")) {
    const auto* list = std::get_if<std::vector<std::string>>(ops);
    if (list == nullptr || std::find(list->begin(), list->end(), "verify") == list->end()) {
      return Refused("JWK key_ops does not allow verify");
    }
  }
  std::optional<JwsAlgorithm> alg;
  if (const ClaimValue* a = FindMember(jwk, "alg")) {
    const std::string* s = std::get_if<std::string>(a);
    if (s == nullptr) return Refused("JWK alg is not a string");
    BULWARK_ASSIGN_OR_RETURN(alg, ParseAlg(*s));
  }
  JwsKey key;
  if (const ClaimValue* kid = FindMember(jwk, "kid")) {
    const std::string* s = std::get_if<std::string>(kid);
    if (s == nullptr || s->empty() || s->size() > 256) return Refused("JWK kid is malformed");
    key.kid = *s;
  }
  if (*kty != "oct") {
    for (const char* priv : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
      if (FindMember(jwk, priv) != nullptr) return Refused("JWK holds private key members");
    }
  }
  if (*kty == "OKP") {
    const std::string* crv = StringMember(jwk, "crv");
    if (crv == nullptr || *crv != "Ed25519") return Refused("JWK OKP curve must be Ed25519");
    if (alg && *alg != JwsAlgorithm::kEdDSA) return Refused("JWK alg does not match its key");
    BULWARK_ASSIGN_OR_RETURN(key.ed25519_public,
                             B64Member(jwk, "x", "JWK OKP x is missing or malformed"));
    if (key.ed25519_public.size() != crypto_sign_PUBLICKEYBYTES) {
      return Refused("JWK Ed25519 key must be 32 bytes");
    }
    key.algorithm = JwsAlgorithm::kEdDSA;
  } else if (*kty == "EC") {
    if (alg && *alg != JwsAlgorithm::kES256) return Refused("JWK alg does not match its key");
    BULWARK_ASSIGN_OR_RETURN(key.pkey, EcFromJwk(jwk));
    key.algorithm = JwsAlgorithm::kES256;
  } else if (*kty == "RSA") {
    if (!alg) return Refused("JWK RSA key needs an explicit alg (RS256 or PS256)");
    if (!IsRsa(*alg)) return Refused("JWK alg does not match its key");
    BULWARK_ASSIGN_OR_RETURN(key.pkey, RsaFromJwk(jwk));
    key.algorithm = *alg;
  } else if (*kty == "oct") {
    if (!options.allow_symmetric) return Refused("JWK symmetric keys are not accepted");
    if (!alg) return Refused("JWK oct key needs an explicit alg (HS256 or HS512)");
    if (!IsHmac(*alg)) return Refused("JWK alg does not match its key");
    BULWARK_ASSIGN_OR_RETURN(Bytes k, B64Member(jwk, "k", "JWK oct k is missing or malformed"));
    const std::size_t min = *alg == JwsAlgorithm::kHS256 ? 32 : 64;
    if (k.size() < min || k.size() > 1024) {
      SecureWipe(k.data(), k.size());
      return Refused("JWK oct key is shorter than its hash");
    }
    key.secret = SecretBytes::Adopt(std::move(k));
    key.algorithm = *alg;
    BULWARK_RETURN_IF_ERROR(PrepareHmac(key, *alg));
  } else {
    return Refused("JWK kty is not supported");
  }
  return key;
}

Result<JsonObject> PublicJwk(const JwsKey& key) {
  switch (key.algorithm) {
    case JwsAlgorithm::kEdDSA:
      return JsonObject{{"crv", std::string("Ed25519")},
                        {"kty", std::string("OKP")},
                        {"x", Base64UrlEncode(key.ed25519_public)}};
    case JwsAlgorithm::kES256: {
      std::uint8_t point[65];
      std::size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(key.pkey.get(), OSSL_PKEY_PARAM_PUB_KEY, point,
                                          sizeof(point), &len) != 1 ||
          len != sizeof(point) || point[0] != 0x04) {
        return Error(ErrorCode::kInternal, "EC public key export failed");
      }
      return JsonObject{{"crv", std::string("P-256")},
                        {"kty", std::string("EC")},
                        {"x", Base64UrlEncode(ByteView(point + 1, 32))},
                        {"y", Base64UrlEncode(ByteView(point + 33, 32))}};
    }
    case JwsAlgorithm::kRS256:
    case JwsAlgorithm::kPS256: {
      Bytes n = BnBytes(key.pkey.get(), OSSL_PKEY_PARAM_RSA_N);
      Bytes e = BnBytes(key.pkey.get(), OSSL_PKEY_PARAM_RSA_E);
      if (n.empty() || e.empty()) return Error(ErrorCode::kInternal, "RSA public key export failed");
      return JsonObject{
          {"e", Base64UrlEncode(e)}, {"kty", std::string("RSA")}, {"n", Base64UrlEncode(n)}};
    }
    case JwsAlgorithm::kHS256:
    case JwsAlgorithm::kHS512:
      break;
  }
  return Refused("symmetric keys have no public form");
}

Result<Bytes> SignJws(const JwsKey& key, ByteView input) {
  if (!key.can_sign) return Error(ErrorCode::kFailedPrecondition, "key cannot sign");
  switch (key.algorithm) {
    case JwsAlgorithm::kEdDSA: {
      Bytes sig(crypto_sign_BYTES);
      crypto_sign_detached(sig.data(), nullptr, input.data(), input.size(),
                           key.secret.RevealBytes(InsecureSecretAccess()).data());
      return sig;
    }
    case JwsAlgorithm::kHS256:
    case JwsAlgorithm::kHS512:
      if (!key.hmac) return Error(ErrorCode::kInternal, "HMAC key not prepared");
      return key.hmac->Compute(input);
    case JwsAlgorithm::kES256: {
      BULWARK_ASSIGN_OR_RETURN(Bytes der, DigestSign(key.pkey.get(), false, input));
      const unsigned char* p = der.data();
      std::unique_ptr<ECDSA_SIG, SigFree> sig(
          d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
      if (!sig) return Error(ErrorCode::kInternal, "signing failed");
      Bytes raw(2 * kEcCoordinate);
      if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw.data(), kEcCoordinate) != kEcCoordinate ||
          BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw.data() + kEcCoordinate, kEcCoordinate) !=
              kEcCoordinate) {
        return Error(ErrorCode::kInternal, "signing failed");
      }
      return raw;
    }
    case JwsAlgorithm::kRS256:
    case JwsAlgorithm::kPS256:
      return DigestSign(key.pkey.get(), key.algorithm == JwsAlgorithm::kPS256, input);
  }
  return Error(ErrorCode::kInternal, "unknown algorithm");
}

bool VerifyJws(const JwsKey& key, ByteView input, ByteView signature) noexcept {
  switch (key.algorithm) {
    case JwsAlgorithm::kEdDSA:
      EnsureSodium();
      return signature.size() == crypto_sign_BYTES &&
             key.ed25519_public.size() == crypto_sign_PUBLICKEYBYTES &&
             crypto_sign_verify_detached(signature.data(), input.data(), input.size(),
                                         key.ed25519_public.data()) == 0;
    case JwsAlgorithm::kHS256:
    case JwsAlgorithm::kHS512:
      return key.hmac && key.hmac->Verify(input, signature);
    case JwsAlgorithm::kES256: {
      // JOSE form only (RFC 7518 3.4): exactly r||s, each in [1, n-1]. This
      // refuses r = s = 0 (CVE-2022-21449) before OpenSSL sees it.
      if (signature.size() != 2 * kEcCoordinate) return false;
      ByteView r = signature.first(kEcCoordinate);
      ByteView s = signature.subspan(kEcCoordinate);
      if (!InP256ScalarRange(r) || !InP256ScalarRange(s)) return false;
      std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
      BIGNUM* br = BN_bin2bn(r.data(), kEcCoordinate, nullptr);
      BIGNUM* bs = BN_bin2bn(s.data(), kEcCoordinate, nullptr);
      if (!sig || br == nullptr || bs == nullptr || ECDSA_SIG_set0(sig.get(), br, bs) != 1) {
        BN_free(br);
        BN_free(bs);
        return false;
      }
      unsigned char der[80];
      unsigned char* out = der;
      const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
      if (len <= 0 || static_cast<std::size_t>(len) > sizeof(der) ||
          i2d_ECDSA_SIG(sig.get(), &out) != len) {
        return false;
      }
      return DigestVerify(key.pkey.get(), false, input,
                          ByteView(der, static_cast<std::size_t>(len)));
    }
    case JwsAlgorithm::kRS256:
    case JwsAlgorithm::kPS256:
      if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey.get()))) {
        return false;
      }
      return DigestVerify(key.pkey.get(), key.algorithm == JwsAlgorithm::kPS256, input,
                          signature);
  }
  return false;
}

}  // namespace bulwark::auth::internal
