#pragma once
// The service's keys: a master key (file, environment or systemd credential)
// and one keyset per purpose, each sealed under the master key in
// <data_dir>/keys/<purpose>.keyset (0600). On first start the data directory
// (0700), the master key file (0600, unless the key comes from elsewhere) and
// the keysets are created.
//
// Rotation: `bulwark keys rotate/promote/retire --file <data_dir>/keys/X.keyset`
// then restart; tokens and ciphertexts carry the key id, so old ones keep
// working while their key stays enabled.

#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/keyset.h"
#include "config.h"

namespace bulwark::service {

struct ServiceKeys {
  crypto::Keyset jwt;      // Ed25519: access tokens (JWKS publishes it)
  crypto::Keyset csrf;     // HMAC-SHA256: CSRF tokens
  crypto::Keyset refresh;  // HMAC-SHA256: refresh-token derivation
  crypto::Keyset audit;    // HMAC-SHA256: the audit chain
  crypto::Keyset mfa;      // HMAC-SHA256: backup-code hashes
  crypto::Keyset data;     // XChaCha20-Poly1305: TOTP secrets at rest
};

// Creates (0700) or checks the data directory: it must not be accessible to
// group or others. Errors: kPermissionDenied, kUnavailable.
Result<void> PrepareDataDir(const std::string& dir, bool create);

// `created` receives a line per file made (for the startup log).
Result<ServiceKeys> LoadKeys(const Config& config, bool create, std::vector<std::string>* created);

}  // namespace bulwark::service
