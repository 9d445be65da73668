#pragma once
// Refresh tokens in rotating families (OAuth 2.1 / RFC 9700 section 4.14).
//
// A refresh token is opaque ("rt1." + 43 base64url characters, 256 bits) and
// stored only as its SHA-256. Every use rotates it: the presented token is
// marked used and a successor is issued in the same family. Presenting a
// token that was already rotated means two parties hold it (the legitimate
// client and a thief): the whole family is revoked and
// refresh.reuse_detected is recorded, so neither can continue.
//
// The concurrent retry (two browser tabs, or a client that retries after a
// lost response) is handled without opening a replay window:
//   - The successor is derived, not random: HMAC(server key, family, presented
//     token). A second rotation of the same token within the grace period
//     (default 10 s) therefore yields the *same* successor; nobody gets a
//     second, independent token, and no tab is logged out.
//   - The grace applies only while the successor has never been used. Once
//     the client has used the successor (so it has observed the rotation),
//     the old token is dead: presenting it, even a millisecond later, revokes
//     the family. After the grace period it is reuse in any case.
//   - Rotation itself is one atomic compare-and-set in the store (mark used
//     only if unused), so of two racing requests exactly one performs the
//     rotation; the other takes the retry path above.
// Families also have an absolute lifetime (default 30 days) after which the
// user must sign in again.
//
// Thread-safety: RefreshTokenService is thread-safe if its store is.
// Ownership: store, sink and clock are borrowed and must outlive it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/auth/events.h"
#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/core/untrusted.h"
#include "bulwark/crypto/keyset.h"
#include "bulwark/crypto/mac.h"

namespace bulwark::auth {

struct RefreshFamily {
  std::string id;  // public random id (events, admin views)
  std::string user_id;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;  // absolute lifetime
  std::int64_t revoked_at = 0;  // 0 while active
  std::string revoked_reason;
};

struct RefreshTokenRecord {
  std::string hash;  // hex SHA-256 of the token (primary key)
  std::string family_id;
  std::uint32_t generation = 0;
  std::int64_t issued_at = 0;
  std::int64_t used_at = 0;     // 0 until rotated
  std::string successor_hash;   // set when rotated
};

enum class RotateOutcome : std::uint8_t {
  kRotated,        // this call marked the token used and inserted the successor
  kAlreadyUsed,    // the token had been rotated before; nothing changed
  kFamilyRevoked,  // the family is revoked; nothing changed
};

// Storage. Every method is atomic.
class RefreshTokenStore {
 public:
  virtual ~RefreshTokenStore() = default;
  virtual Result<void> CreateFamily(const RefreshFamily& family, const RefreshTokenRecord& first) = 0;
  virtual Result<std::optional<RefreshTokenRecord>> FindToken(std::string_view hash) = 0;
  virtual Result<std::optional<RefreshFamily>> FindFamily(std::string_view family_id) = 0;
  // If the token is unused and its family not revoked: sets used_at = now and
  // successor_hash = successor.hash, inserts `successor`, returns kRotated.
  virtual Result<RotateOutcome> MarkRotated(std::string_view hash, const RefreshTokenRecord& successor,
                                            std::int64_t now) = 0;
  // Sets revoked_at/reason if not yet revoked; false if already revoked or absent.
  virtual Result<bool> RevokeFamily(std::string_view family_id, std::string_view reason,
                                    std::int64_t now) = 0;
  virtual Result<std::size_t> RevokeAllForUser(std::string_view user_id, std::string_view reason,
                                               std::int64_t now) = 0;
  // Removes families (and their tokens) that expired before `cutoff`.
  virtual Result<std::size_t> DeleteExpired(std::int64_t cutoff) = 0;
};

class MemoryRefreshTokenStore final : public RefreshTokenStore {
 public:
  Result<void> CreateFamily(const RefreshFamily& family, const RefreshTokenRecord& first) override;
  Result<std::optional<RefreshTokenRecord>> FindToken(std::string_view hash) override;
  Result<std::optional<RefreshFamily>> FindFamily(std::string_view family_id) override;
  Result<RotateOutcome> MarkRotated(std::string_view hash, const RefreshTokenRecord& successor,
                                    std::int64_t now) override;
  Result<bool> RevokeFamily(std::string_view family_id, std::string_view reason,
                            std::int64_t now) override;
  Result<std::size_t> RevokeAllForUser(std::string_view user_id, std::string_view reason,
                                       std::int64_t now) override;
  Result<std::size_t> DeleteExpired(std::int64_t cutoff) override;

 private:
  std::mutex mu_;
  std::map<std::string, RefreshFamily, std::less<>> families_;
  std::map<std::string, RefreshTokenRecord, std::less<>> tokens_;
};

struct RefreshOptions {
  std::chrono::seconds family_lifetime{30 * 24 * 3600};
  // Window for the legitimate concurrent retry (see above); 0 disables it.
  // REQUIRES: <= 60 s.
  std::chrono::seconds reuse_grace{10};
};

struct IssuedRefreshToken {
  SecretString token;     // give to the client; not stored
  std::string family_id;  // public
  std::string user_id;
  std::uint32_t generation = 0;
  std::int64_t family_expires_at = 0;
};

class RefreshTokenService {
 public:
  // `hmac_keyset` (HMAC-SHA256/512, kept outside the database) derives
  // successors. Errors: kFailedPrecondition (not an HMAC keyset),
  // kInvalidArgument (options out of range).
  static Result<RefreshTokenService> Create(const crypto::Keyset& hmac_keyset,
                                            RefreshTokenStore& store, RefreshOptions options = {},
                                            SecurityEventSink& events = NullEventSink(),
                                            const Clock& clock = SystemClock());

  // Starts a new family at login.
  Result<IssuedRefreshToken> Issue(std::string_view user_id);
  // Rotates `token`. Errors: kUnauthenticated for unknown, malformed,
  // expired, revoked or reused tokens (reuse also revokes the family and
  // records refresh.reuse_detected); kUnavailable when the store fails.
  Result<IssuedRefreshToken> Rotate(Untrusted<std::string_view> token);
  // Logout: revokes the family of `token`.
  Result<void> Revoke(Untrusted<std::string_view> token);
  // Password change, account lock: revokes every family of the user.
  Result<std::size_t> RevokeAllForUser(std::string_view user_id);

 private:
  RefreshTokenService(crypto::Mac mac, RefreshTokenStore& store, RefreshOptions options,
                      SecurityEventSink& events, const Clock& clock)
      : mac_(std::move(mac)), store_(&store), options_(options), events_(&events), clock_(&clock) {}
  Result<std::string> Successor(std::string_view family_id, std::string_view token,
                                std::uint32_t key_id) const;

  crypto::Mac mac_;
  RefreshTokenStore* store_;
  RefreshOptions options_;
  SecurityEventSink* events_;
  const Clock* clock_;
};

}  // namespace bulwark::auth
