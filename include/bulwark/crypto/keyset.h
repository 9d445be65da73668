#pragma once
// Keyset: a set of keys with ids and a status, exactly one of them primary
// (Tink's model). New ciphertexts, MACs and signatures use the primary; each
// carries its key id, so data made with an older key still opens while that
// key is enabled. Rotation is: AddKey (roll out) -> Promote -> Disable the
// old key once nothing needs it -> Destroy.
//
// At rest a keyset is sealed (XChaCha20-Poly1305) under a 32-byte master key
// that comes from a secret source (file, environment, systemd credential).
//
// Thread-safety: const methods may be called concurrently; mutation needs
// external synchronization. Keysets are move-only (they own key material).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"

namespace bulwark::crypto {

// The algorithm is bound to the key: a primitive refuses keys of other types.
enum class KeyType : std::uint8_t {
  kAeadXChaCha20Poly1305 = 1,  // 32-byte key
  kHmacSha256 = 2,             // 32-byte key
  kHmacSha512 = 3,             // 64-byte key
  kEd25519 = 4,                // 32-byte seed
  // Signing keys for JOSE interoperability (OpenSSL), stored as PKCS#8 DER.
  // RSA keys are 2048-4096 bits; the padding is part of the type, so one RSA
  // key never signs with both PKCS#1 v1.5 and PSS.
  kEcdsaP256 = 5,              // ECDSA P-256 with SHA-256 (JWS ES256)
  kRsaPkcs1Sha256 = 6,         // RSASSA-PKCS1-v1_5 with SHA-256 (JWS RS256)
  kRsaPssSha256 = 7,           // RSASSA-PSS with SHA-256 (JWS PS256)
};
std::string_view KeyTypeName(KeyType type) noexcept;  // "aead-xchacha20poly1305", ...
                                                       // "ecdsa-p256", "rsa-pkcs1-sha256", "rsa-pss-sha256"
Result<KeyType> ParseKeyType(std::string_view name);

enum class KeyStatus : std::uint8_t {
  kEnabled = 1,   // usable for decrypt/verify (and for encrypt/sign when primary)
  kDisabled = 2,  // kept, but refused by every primitive
};

struct KeyInfo {
  std::uint32_t id = 0;
  KeyType type = KeyType::kAeadXChaCha20Poly1305;
  KeyStatus status = KeyStatus::kEnabled;
  bool primary = false;
  std::int64_t created_unix = 0;
};

// Size of a master key, in bytes.
inline constexpr std::size_t kMasterKeySize = 32;
SecretBytes GenerateMasterKey();

class Keyset {
 public:
  // A keyset with one enabled primary key of `type`.
  static Result<Keyset> Generate(KeyType type, const Clock& clock = SystemClock());
  // A keyset whose one primary key is existing material (a test vector, a
  // key migrated from elsewhere). Errors: kInvalidArgument for a wrong size.
  static Result<Keyset> FromMaterial(KeyType type, SecretBytes material,
                                     const Clock& clock = SystemClock());

  Keyset(Keyset&&) noexcept = default;
  Keyset& operator=(Keyset&&) noexcept = default;

  // Adds a fresh enabled, non-primary key; returns its id.
  Result<std::uint32_t> AddKey(KeyType type, const Clock& clock = SystemClock());
  // Adds existing key material (for example a key from a test vector).
  // Errors: kInvalidArgument if the material has the wrong size for `type`
  // (for ECDSA/RSA: is not a PKCS#8 DER private key of that kind and size).
  Result<std::uint32_t> ImportKey(KeyType type, SecretBytes material,
                                  const Clock& clock = SystemClock());
  // Makes an enabled key the primary. Errors: kNotFound, kFailedPrecondition.
  Result<void> Promote(std::uint32_t id);
  // The primary cannot be disabled or destroyed: promote another key first.
  Result<void> Disable(std::uint32_t id);
  Result<void> Enable(std::uint32_t id);
  // Removes a disabled key for good.
  Result<void> Destroy(std::uint32_t id);

  std::uint32_t primary_id() const noexcept { return primary_id_; }
  std::vector<KeyInfo> Keys() const;
  Result<KeyInfo> Info(std::uint32_t id) const;

  // Material of an enabled key, or nullptr. For primitives built on keysets.
  const SecretBytes* EnabledMaterial(std::uint32_t id, SecretAccess access) const noexcept;

  // Seals the keyset under `master_key` as one line of text:
  //   bulwark-keyset.v1.<master key fingerprint>.<base64url(nonce | ciphertext)>
  // The fingerprint lets Open report "wrong master key" distinctly from tampering.
  // REQUIRES: master_key.size() == kMasterKeySize.
  Result<std::string> Seal(const SecretBytes& master_key) const;
  // Errors: kInvalidArgument (not a sealed keyset), kPermissionDenied (sealed
  // under another master key), kDataLoss (tampered or truncated).
  static Result<Keyset> Open(std::string_view sealed, const SecretBytes& master_key);

  Keyset Clone(SecretAccess access) const;

  // The unencrypted binary form, for the sealing code and its fuzzer only.
  Result<Bytes> SerializeForSealing(SecretAccess access) const;
  static Result<Keyset> ParseUnsealed(ByteView data);

 private:
  struct Key {
    KeyInfo info;
    SecretBytes material;
  };
  Keyset() = default;
  Result<std::uint32_t> AddMaterial(KeyType type, SecretBytes material, const Clock& clock);
  Key* Find(std::uint32_t id) noexcept;
  const Key* Find(std::uint32_t id) const noexcept;

  std::vector<Key> keys_;
  std::uint32_t primary_id_ = 0;
};

}  // namespace bulwark::crypto
