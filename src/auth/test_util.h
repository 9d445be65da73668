#pragma once
// Test-only helpers for the auth tests: the published RFC vectors
// (../shared/vectors/rfc-vectors.json) and hand-made tokens for attacks.
#include <boost/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "bulwark/core/bytes.h"
#include "bulwark/core/encoding.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/keyset.h"

namespace bulwark::auth::testing {

inline const boost::json::object& Vectors() {
  static const boost::json::value root = [] {
    std::ifstream in(BULWARK_VECTORS_FILE);
    if (!in) throw std::runtime_error("cannot read test vectors");
    std::stringstream text;
    text << in.rdbuf();
    return boost::json::parse(text.str());
  }();
  return root.as_object();
}

inline const boost::json::object& Vector(const char* name) { return Vectors().at(name).as_object(); }
inline std::string Str(const boost::json::value& v) { return std::string(v.as_string()); }

inline std::string B64(std::string_view text) { return Base64UrlEncode(AsBytes(text)); }

// A compact JWS over arbitrary header/payload JSON, MACed with the primary
// HMAC key of `keyset` (so attack headers carry a valid signature).
inline std::string HmacToken(const crypto::Keyset& keyset, std::string_view header,
                             std::string_view payload,
                             crypto::HmacAlgorithm algorithm = crypto::HmacAlgorithm::kSha256) {
  std::string input = B64(header) + "." + B64(payload);
  const SecretBytes* key = keyset.EnabledMaterial(keyset.primary_id(), InsecureSecretAccess());
  Bytes tag = *crypto::Hmac(algorithm, *key, AsBytes(input));
  return input + "." + Base64UrlEncode(tag);
}

}  // namespace bulwark::auth::testing
