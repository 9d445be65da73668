#include "bulwark/crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>

namespace bulwark::crypto {

Result<SecretBytes> HkdfSha256(const SecretBytes& input_key, ByteView salt, std::string_view info,
                               std::size_t length) {
  if (input_key.empty()) return Error(ErrorCode::kInvalidArgument, "HKDF input key is empty");
  if (length == 0 || length > 255 * 32) {
    return Error(ErrorCode::kInvalidArgument, "HKDF output length out of range");
  }
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr),
                                                        &EVP_KDF_free);
  if (!kdf) return Error(ErrorCode::kInternal, "HKDF unavailable");
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                &EVP_KDF_CTX_free);
  if (!ctx) return Error(ErrorCode::kResourceExhausted, "out of memory");

  ByteView ikm = input_key.RevealBytes(InsecureSecretAccess());
  // OSSL_PARAM wants non-const pointers; OpenSSL does not write through them.
  char digest[] = "SHA256";
  static std::uint8_t empty = 0;
  auto* key_ptr = const_cast<std::uint8_t*>(ikm.data());
  auto* salt_ptr = salt.empty() ? &empty : const_cast<std::uint8_t*>(salt.data());
  auto* info_ptr = info.empty() ? reinterpret_cast<char*>(&empty) : const_cast<char*>(info.data());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key_ptr, ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt_ptr, salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info_ptr, info.size()),
      OSSL_PARAM_construct_end(),
  };
  SecretBytes out = SecretBytes::Adopt(Bytes(length));
  Bytes& out_bytes = out.RevealMutable(InsecureSecretAccess());
  if (EVP_KDF_derive(ctx.get(), out_bytes.data(), out_bytes.size(), params) != 1) {
    return Error(ErrorCode::kInternal, "HKDF derivation failed");
  }
  return out;
}

}  // namespace bulwark::crypto
