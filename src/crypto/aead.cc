#include "bulwark/crypto/aead.h"

#include <sodium.h>

#include "sodium_init.h"

namespace bulwark::crypto {
namespace {

constexpr std::uint8_t kVersion = 0x01;
constexpr std::size_t kHeader = 1 + 4;
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(Aead::kOverhead == kHeader + kNonce + kTag);

std::uint32_t ReadU32(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

}  // namespace

Result<Aead> Aead::Create(const Keyset& keyset) {
  internal::EnsureSodium();
  Aead aead;
  for (const KeyInfo& info : keyset.Keys()) {
    if (info.type != KeyType::kAeadXChaCha20Poly1305 || info.status != KeyStatus::kEnabled) {
      continue;
    }
    const SecretBytes* material = keyset.EnabledMaterial(info.id, InsecureSecretAccess());
    aead.keys_.emplace_back(info.id, material->Clone(InsecureSecretAccess()));
  }
  aead.primary_id_ = keyset.primary_id();
  if (aead.KeyFor(aead.primary_id_) == nullptr) {
    return Error(ErrorCode::kFailedPrecondition, "keyset's primary key is not an AEAD key");
  }
  return aead;
}

const SecretBytes* Aead::KeyFor(std::uint32_t id) const noexcept {
  for (const auto& [key_id, key] : keys_) {
    if (key_id == id) return &key;
  }
  return nullptr;
}

Result<Bytes> Aead::Encrypt(ByteView plaintext, ByteView associated_data) const {
  const SecretBytes* key = KeyFor(primary_id_);
  Bytes out(kOverhead + plaintext.size());
  out[0] = kVersion;
  for (int i = 0; i < 4; ++i) {
    out[1 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(primary_id_ >> (24 - 8 * i));
  }
  std::uint8_t* nonce = out.data() + kHeader;
  randombytes_buf(nonce, kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonce, &written, plaintext.data(), plaintext.size(), associated_data.data(),
      associated_data.size(), nullptr, nonce, key->RevealBytes(InsecureSecretAccess()).data());
  return out;
}

Result<std::uint32_t> Aead::KeyIdOf(ByteView ciphertext) {
  if (ciphertext.size() < kOverhead) {
    return Error(ErrorCode::kInvalidArgument, "ciphertext too short");
  }
  if (ciphertext[0] != kVersion) {
    return Error(ErrorCode::kInvalidArgument, "unknown ciphertext version");
  }
  return ReadU32(ciphertext.data() + 1);
}

Result<Bytes> Aead::Decrypt(ByteView ciphertext, ByteView associated_data) const {
  BULWARK_ASSIGN_OR_RETURN(std::uint32_t id, KeyIdOf(ciphertext));
  const SecretBytes* key = KeyFor(id);
  if (key == nullptr) {
    return Error(ErrorCode::kNotFound, "ciphertext names a key that is not enabled");
  }
  Bytes out(ciphertext.size() - kOverhead);
  unsigned long long written = 0;
  const std::uint8_t* nonce = ciphertext.data() + kHeader;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          out.data(), &written, nullptr, nonce + kNonce, ciphertext.size() - kHeader - kNonce,
          associated_data.data(), associated_data.size(), nonce,
          key->RevealBytes(InsecureSecretAccess()).data()) != 0) {
    return Error(ErrorCode::kDataLoss, "decryption failed: wrong key, data or associated data");
  }
  return out;
}

Result<SecretBytes> Aead::DecryptSecret(ByteView ciphertext, ByteView associated_data) const {
  BULWARK_ASSIGN_OR_RETURN(Bytes plain, Decrypt(ciphertext, associated_data));
  return SecretBytes::Adopt(std::move(plain));
}

}  // namespace bulwark::crypto
