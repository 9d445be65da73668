#pragma once
// Mac: keyed MACs over a keyset of HMAC keys, for values that must be
// recognised later without being stored: blind indexes of encrypted fields,
// signed tokens, CSRF tokens. Tags from Compute() carry the key id
// (0x01 | key id | HMAC), so Verify works across rotation.
// ComputeForLookup() omits the id: it is deterministic per key, for equality
// lookups (compute it with every enabled key to search across rotation).
//
// Thread-safety: immutable after Create; safe to share across threads.

#include <cstdint>
#include <utility>
#include <vector>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/keyset.h"

namespace bulwark::crypto {

class Mac {
 public:
  // Errors: kFailedPrecondition if the primary key is not an HMAC key.
  static Result<Mac> Create(const Keyset& keyset);

  Mac(Mac&&) noexcept = default;
  Mac& operator=(Mac&&) noexcept = default;

  Result<Bytes> Compute(ByteView data) const;
  [[nodiscard]] bool Verify(ByteView data, ByteView tag) const noexcept;

  // HMAC of `data` under key `key_id` (the primary when 0), without a prefix.
  Result<Bytes> ComputeForLookup(ByteView data, std::uint32_t key_id = 0) const;
  std::vector<std::uint32_t> key_ids() const;
  std::uint32_t primary_id() const noexcept { return primary_id_; }

 private:
  struct Key {
    std::uint32_t id;
    HmacAlgorithm algorithm;
    SecretBytes material;
  };
  Mac() = default;
  const Key* Find(std::uint32_t id) const noexcept;

  std::vector<Key> keys_;
  std::uint32_t primary_id_ = 0;
};

}  // namespace bulwark::crypto
