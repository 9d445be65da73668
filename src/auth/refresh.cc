#include "bulwark/auth/refresh.h"

#include <algorithm>

#include "bulwark/auth/session.h"
#include "bulwark/core/encoding.h"
#include "bulwark/crypto/random.h"

namespace bulwark::auth {
namespace {

constexpr std::string_view kPrefix = "rt1.";
constexpr std::size_t kBodyChars = 43;  // base64url of 32 bytes

Error Invalid() { return Error(ErrorCode::kUnauthenticated, "refresh token is invalid"); }
Error StoreDown() { return Error(ErrorCode::kUnavailable, "refresh token store unavailable"); }

bool WellFormed(std::string_view token) {
  if (token.size() != kPrefix.size() + kBodyChars || !token.starts_with(kPrefix)) return false;
  return std::all_of(token.begin() + static_cast<std::ptrdiff_t>(kPrefix.size()), token.end(),
                     [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '-' || c == '_';
                     });
}

}  // namespace

// ---- MemoryRefreshTokenStore --------------------------------------------------

Result<void> MemoryRefreshTokenStore::CreateFamily(const RefreshFamily& family,
                                                   const RefreshTokenRecord& first) {
  std::lock_guard lock(mu_);
  if (families_.count(family.id) != 0 || tokens_.count(first.hash) != 0) {
    return Error(ErrorCode::kAlreadyExists, "refresh family or token exists");
  }
  families_.emplace(family.id, family);
  tokens_.emplace(first.hash, first);
  return Ok();
}

Result<std::optional<RefreshTokenRecord>> MemoryRefreshTokenStore::FindToken(std::string_view hash) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(hash);
  if (it == tokens_.end()) return std::optional<RefreshTokenRecord>();
  return std::optional<RefreshTokenRecord>(it->second);
}

Result<std::optional<RefreshFamily>> MemoryRefreshTokenStore::FindFamily(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = families_.find(id);
  if (it == families_.end()) return std::optional<RefreshFamily>();
  return std::optional<RefreshFamily>(it->second);
}

Result<RotateOutcome> MemoryRefreshTokenStore::MarkRotated(std::string_view hash,
                                                           const RefreshTokenRecord& successor,
                                                           std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(hash);
  if (it == tokens_.end()) return Error(ErrorCode::kNotFound, "no such refresh token");
  auto family = families_.find(it->second.family_id);
  if (family == families_.end() || family->second.revoked_at != 0) {
    return RotateOutcome::kFamilyRevoked;
  }
  if (it->second.used_at != 0) return RotateOutcome::kAlreadyUsed;
  if (tokens_.count(successor.hash) != 0) {
    return Error(ErrorCode::kAlreadyExists, "refresh token exists");
  }
  it->second.used_at = now;
  it->second.successor_hash = successor.hash;
  tokens_.emplace(successor.hash, successor);
  return RotateOutcome::kRotated;
}

Result<bool> MemoryRefreshTokenStore::RevokeFamily(std::string_view id, std::string_view reason,
                                                   std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = families_.find(id);
  if (it == families_.end() || it->second.revoked_at != 0) return false;
  it->second.revoked_at = now;
  it->second.revoked_reason = std::string(reason);
  return true;
}

Result<std::size_t> MemoryRefreshTokenStore::RevokeAllForUser(std::string_view user_id,
                                                              std::string_view reason,
                                                              std::int64_t now) {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto& [id, family] : families_) {
    if (family.user_id == user_id && family.revoked_at == 0) {
      family.revoked_at = now;
      family.revoked_reason = std::string(reason);
      ++n;
    }
  }
  return n;
}

Result<std::size_t> MemoryRefreshTokenStore::DeleteExpired(std::int64_t cutoff) {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto it = families_.begin(); it != families_.end();) {
    if (it->second.expires_at < cutoff) {
      const std::string id = it->first;
      std::erase_if(tokens_, [&](const auto& t) { return t.second.family_id == id; });
      it = families_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  return n;
}

// ---- RefreshTokenService --------------------------------------------------------

Result<RefreshTokenService> RefreshTokenService::Create(const crypto::Keyset& hmac_keyset,
                                                        RefreshTokenStore& store,
                                                        RefreshOptions options,
                                                        SecurityEventSink& events,
                                                        const Clock& clock) {
  if (options.family_lifetime.count() <= 0 ||
      options.family_lifetime > std::chrono::hours(24 * 365) || options.reuse_grace.count() < 0 ||
      options.reuse_grace > std::chrono::seconds(60)) {
    return Error(ErrorCode::kInvalidArgument, "refresh options out of range");
  }
  BULWARK_ASSIGN_OR_RETURN(crypto::Mac mac, crypto::Mac::Create(hmac_keyset));
  return RefreshTokenService(std::move(mac), store, options, events, clock);
}

Result<std::string> RefreshTokenService::Successor(std::string_view family_id,
                                                   std::string_view token,
                                                   std::uint32_t key_id) const {
  std::string input = "bulwark refresh successor v1";
  input.push_back('\0');
  input += family_id;
  input.push_back('\0');
  input += token;
  Result<Bytes> tag = mac_.ComputeForLookup(AsBytes(input), key_id);
  SecureWipe(input.data(), input.size());
  if (!tag.ok()) return tag.error();
  tag->resize(32);
  std::string out = std::string(kPrefix) + Base64UrlEncode(*tag);
  SecureWipe(tag->data(), tag->size());
  return out;
}

Result<IssuedRefreshToken> RefreshTokenService::Issue(std::string_view user_id) {
  if (user_id.empty() || user_id.size() > 256) {
    return Error(ErrorCode::kInvalidArgument, "user id out of range");
  }
  const std::int64_t now = clock_->NowUnixSeconds();
  RefreshFamily family;
  family.id = crypto::RandomToken(16);
  family.user_id = std::string(user_id);
  family.created_at = now;
  family.expires_at = now + options_.family_lifetime.count();
  std::string token = std::string(kPrefix) + crypto::RandomToken(32);
  RefreshTokenRecord first;
  first.hash = TokenHash(token);
  first.family_id = family.id;
  first.generation = 0;
  first.issued_at = now;
  if (!store_->CreateFamily(family, first).ok()) return StoreDown();
  Emit(*events_, SecurityEventType::kRefreshIssued, now, family.user_id, family.id);
  return IssuedRefreshToken{SecretString::Adopt(std::move(token)), family.id, family.user_id, 0,
                            family.expires_at};
}

Result<IssuedRefreshToken> RefreshTokenService::Rotate(Untrusted<std::string_view> untrusted) {
  const std::string_view token = untrusted.UnvalidatedValue();
  if (!WellFormed(token)) return Invalid();
  const std::int64_t now = clock_->NowUnixSeconds();
  const std::string hash = TokenHash(token);
  Result<std::optional<RefreshTokenRecord>> found = store_->FindToken(hash);
  if (!found.ok()) return StoreDown();
  if (!found->has_value()) return Invalid();
  const RefreshTokenRecord record = **found;
  Result<std::optional<RefreshFamily>> family_found = store_->FindFamily(record.family_id);
  if (!family_found.ok()) return StoreDown();
  if (!family_found->has_value()) return Invalid();
  const RefreshFamily family = **family_found;
  if (family.revoked_at != 0) return Error(ErrorCode::kUnauthenticated, "refresh token is revoked");
  if (now >= family.expires_at) {
    (void)store_->RevokeFamily(family.id, "expired", now);
    return Error(ErrorCode::kUnauthenticated, "refresh token family has expired");
  }
  auto issued = [&](std::string successor_token) {
    return IssuedRefreshToken{SecretString::Adopt(std::move(successor_token)), family.id,
                              family.user_id, record.generation + 1, family.expires_at};
  };

  if (record.used_at == 0) {
    BULWARK_ASSIGN_OR_RETURN(std::string next, Successor(family.id, token, mac_.primary_id()));
    RefreshTokenRecord successor;
    successor.hash = TokenHash(next);
    successor.family_id = family.id;
    successor.generation = record.generation + 1;
    successor.issued_at = now;
    Result<RotateOutcome> outcome = store_->MarkRotated(hash, successor, now);
    if (!outcome.ok()) return StoreDown();
    if (*outcome == RotateOutcome::kRotated) {
      Emit(*events_, SecurityEventType::kRefreshRotated, now, family.user_id, family.id, {},
           {{"generation", std::to_string(successor.generation)}});
      return issued(std::move(next));
    }
    if (*outcome == RotateOutcome::kFamilyRevoked) {
      return Error(ErrorCode::kUnauthenticated, "refresh token is revoked");
    }
    // kAlreadyUsed: a concurrent request rotated it first; re-read and take
    // the retry path below.
  }

  Result<std::optional<RefreshTokenRecord>> reread = store_->FindToken(hash);
  if (!reread.ok()) return StoreDown();
  if (!reread->has_value()) return Invalid();
  const RefreshTokenRecord used = **reread;
  // The legitimate concurrent retry: within the grace period, and only while
  // the successor has not been used, the same successor is handed out again.
  if (options_.reuse_grace.count() > 0 && now - used.used_at <= options_.reuse_grace.count() &&
      !used.successor_hash.empty()) {
    Result<std::optional<RefreshTokenRecord>> next_record = store_->FindToken(used.successor_hash);
    if (!next_record.ok()) return StoreDown();
    if (next_record->has_value() && (*next_record)->used_at == 0) {
      for (std::uint32_t key_id : mac_.key_ids()) {
        BULWARK_ASSIGN_OR_RETURN(std::string next, Successor(family.id, token, key_id));
        if (TokenHash(next) == used.successor_hash) {
          Emit(*events_, SecurityEventType::kRefreshRotated, now, family.user_id, family.id,
               "concurrent retry within grace",
               {{"generation", std::to_string(record.generation + 1)}});
          return issued(std::move(next));
        }
      }
    }
  }
  // Reuse of a rotated token: someone else holds it. Revoke the family.
  Result<bool> revoked = store_->RevokeFamily(family.id, "reuse detected", now);
  if (!revoked.ok()) return StoreDown();
  Emit(*events_, SecurityEventType::kRefreshReuseDetected, now, family.user_id, family.id,
       "rotated refresh token presented again",
       {{"generation", std::to_string(record.generation)}});
  return Error(ErrorCode::kUnauthenticated, "refresh token reuse detected; family revoked");
}

Result<void> RefreshTokenService::Revoke(Untrusted<std::string_view> untrusted) {
  const std::string_view token = untrusted.UnvalidatedValue();
  if (!WellFormed(token)) return Invalid();
  Result<std::optional<RefreshTokenRecord>> found = store_->FindToken(TokenHash(token));
  if (!found.ok()) return StoreDown();
  if (!found->has_value()) return Invalid();
  const std::int64_t now = clock_->NowUnixSeconds();
  Result<bool> revoked = store_->RevokeFamily((*found)->family_id, "logout", now);
  if (!revoked.ok()) return StoreDown();
  Result<std::optional<RefreshFamily>> family = store_->FindFamily((*found)->family_id);
  Emit(*events_, SecurityEventType::kRefreshFamilyRevoked, now,
       family.ok() && family->has_value() ? (*family)->user_id : std::string(),
       (*found)->family_id, "logout");
  return Ok();
}

Result<std::size_t> RefreshTokenService::RevokeAllForUser(std::string_view user_id) {
  const std::int64_t now = clock_->NowUnixSeconds();
  Result<std::size_t> n = store_->RevokeAllForUser(user_id, "revoked for user", now);
  if (!n.ok()) return StoreDown();
  Emit(*events_, SecurityEventType::kRefreshFamilyRevoked, now, std::string(user_id), {},
       "all families", {{"count", std::to_string(*n)}});
  return *n;
}

}  // namespace bulwark::auth
