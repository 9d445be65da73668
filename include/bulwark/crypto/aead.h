#pragma once
// Aead: authenticated encryption with associated data over a keyset of
// XChaCha20-Poly1305 keys (libsodium). A ciphertext is
//   0x01 | key id (4 bytes, big-endian) | nonce (24 random bytes) | sealed data | tag (16)
// so it opens with whichever enabled key made it. The associated data is
// authenticated but not stored: bind a ciphertext to where it belongs
// (table, column, row id) so it cannot be moved elsewhere.
//
//   BULWARK_ASSIGN_OR_RETURN(Aead aead, Aead::Create(keyset));
//   BULWARK_ASSIGN_OR_RETURN(Bytes sealed, aead.Encrypt(AsBytes(ssn), AsBytes("users.ssn:42")));
//
// Thread-safety: immutable after Create; safe to share across threads.
// Ownership: holds its own copy of the enabled keys; rebuild it after the
// keyset changes.

#include <cstdint>
#include <utility>
#include <vector>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/keyset.h"

namespace bulwark::crypto {

class Aead {
 public:
  static constexpr std::size_t kOverhead = 1 + 4 + 24 + 16;

  // Errors: kFailedPrecondition if the primary key is not an AEAD key.
  // Enabled keys of other types are ignored.
  static Result<Aead> Create(const Keyset& keyset);

  Aead(Aead&&) noexcept = default;
  Aead& operator=(Aead&&) noexcept = default;

  Result<Bytes> Encrypt(ByteView plaintext, ByteView associated_data) const;
  // Errors: kInvalidArgument (too short or unknown version), kNotFound (the
  // key id is not an enabled key here), kDataLoss (authentication failed:
  // wrong key, tampered data or wrong associated data).
  Result<Bytes> Decrypt(ByteView ciphertext, ByteView associated_data) const;
  // Decrypts straight into a Secret (for stored key material, tokens).
  Result<SecretBytes> DecryptSecret(ByteView ciphertext, ByteView associated_data) const;

  // The key id a ciphertext names (to find rows that need re-encryption).
  static Result<std::uint32_t> KeyIdOf(ByteView ciphertext);
  std::uint32_t primary_id() const noexcept { return primary_id_; }

 private:
  Aead() = default;
  const SecretBytes* KeyFor(std::uint32_t id) const noexcept;

  std::vector<std::pair<std::uint32_t, SecretBytes>> keys_;
  std::uint32_t primary_id_ = 0;
};

}  // namespace bulwark::crypto
