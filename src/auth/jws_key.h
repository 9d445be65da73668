#pragma once
// Internal: JWS keys with their bound algorithm, and the raw sign/verify
// operations (libsodium Ed25519, OpenSSL ECDSA/RSA, crypto::Hmac).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/auth/jwt.h"
#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/keyset.h"
#include "json.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace bulwark::auth::internal {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const noexcept;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct JwsKey {
  std::string kid;
  JwsAlgorithm algorithm = JwsAlgorithm::kEdDSA;
  bool can_sign = false;
  // EdDSA: 32-byte public key; secret is the 64-byte libsodium secret key.
  // HS*: secret is the HMAC key. ES/RS/PS: pkey holds the key.
  Bytes ed25519_public;
  SecretBytes secret;
  std::optional<crypto::HmacKey> hmac;  // HS*: `secret`, prepared for repeated use
  PkeyPtr pkey;
};

struct JwsKeyRing {
  std::vector<JwsKey> keys;
};

// One keyset key as a JwsKey (private part included when it has one).
// Errors: kInvalidArgument for key types that do not sign.
Result<JwsKey> KeyFromKeyset(const crypto::Keyset& keyset, std::uint32_t id);

// One JWK object from a JWKS. Errors: kInvalidArgument naming the rule.
Result<JwsKey> KeyFromJwk(const JsonObject& jwk, const JwksOptions& options);

// The public JWK members of a key (no kid/alg/use), in RFC 7638 order for
// the thumbprint: e.g. {"crv","kty","x"}. Errors: kInvalidArgument for
// symmetric keys.
Result<JsonObject> PublicJwk(const JwsKey& key);

// Signs `input`; the signature is in JOSE form (raw r||s for ES256).
Result<Bytes> SignJws(const JwsKey& key, ByteView input);
// True only for a valid signature by `key` over `input`.
[[nodiscard]] bool VerifyJws(const JwsKey& key, ByteView input, ByteView signature) noexcept;

}  // namespace bulwark::auth::internal
