#include "bulwark/auth/api_key.h"

#include <algorithm>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/random.h"

namespace bulwark::auth {
namespace {

constexpr std::string_view kMarker = "bwk_";
constexpr std::size_t kPrefixChars = 12;
constexpr std::size_t kSecretChars = 43;
constexpr std::string_view kPrefixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

Error Rejected() { return Error(ErrorCode::kUnauthenticated, "API key is invalid"); }
Error StoreDown() { return Error(ErrorCode::kUnavailable, "API key store unavailable"); }

bool IsB64Url(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool ValidScope(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '.' || c == '_' ||
           c == '-';
  });
}

}  // namespace

Result<void> MemoryApiKeyStore::Insert(const ApiKeyRecord& record) {
  std::lock_guard lock(mu_);
  if (!keys_.emplace(record.prefix, record).second) {
    return Error(ErrorCode::kAlreadyExists, "API key prefix exists");
  }
  return Ok();
}

Result<std::optional<ApiKeyRecord>> MemoryApiKeyStore::Find(std::string_view prefix) {
  std::lock_guard lock(mu_);
  auto it = keys_.find(prefix);
  if (it == keys_.end()) return std::optional<ApiKeyRecord>();
  return std::optional<ApiKeyRecord>(it->second);
}

Result<std::vector<ApiKeyRecord>> MemoryApiKeyStore::ListByOwner(std::string_view owner) {
  std::lock_guard lock(mu_);
  std::vector<ApiKeyRecord> out;
  for (const auto& [prefix, r] : keys_) {
    if (r.owner == owner) out.push_back(r);
  }
  return out;
}

Result<bool> MemoryApiKeyStore::Revoke(std::string_view prefix, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = keys_.find(prefix);
  if (it == keys_.end() || it->second.revoked_at != 0) return false;
  it->second.revoked_at = now;
  return true;
}

Result<void> MemoryApiKeyStore::TouchLastUsed(std::string_view prefix, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = keys_.find(prefix);
  if (it != keys_.end()) it->second.last_used_at = std::max(it->second.last_used_at, now);
  return Ok();
}

Result<ApiKeyService> ApiKeyService::Create(const crypto::Keyset& hmac_keyset, ApiKeyStore& store,
                                            ApiKeyOptions options, SecurityEventSink& events,
                                            const Clock& clock) {
  if (options.default_lifetime.count() <= 0 || options.touch_interval.count() < 0) {
    return Error(ErrorCode::kInvalidArgument, "API key options out of range");
  }
  BULWARK_ASSIGN_OR_RETURN(crypto::Mac mac, crypto::Mac::Create(hmac_keyset));
  return ApiKeyService(std::move(mac), store, options, events, clock);
}

Result<NewApiKey> ApiKeyService::CreateKey(ApiKeySpec spec) {
  if (spec.owner.empty() || spec.owner.size() > 256 || spec.name.size() > 128 ||
      spec.scopes.size() > 64 ||
      !std::all_of(spec.scopes.begin(), spec.scopes.end(),
                   [](const std::string& s) { return ValidScope(s); })) {
    return Error(ErrorCode::kInvalidArgument, "API key owner, name or scopes out of range");
  }
  if (spec.no_expiry && !options_.allow_no_expiry) {
    return Error(ErrorCode::kInvalidArgument, "API keys without expiry are not allowed");
  }
  const std::int64_t now = clock_->NowUnixSeconds();
  const std::chrono::seconds lifetime = spec.lifetime.value_or(options_.default_lifetime);
  if (!spec.no_expiry && lifetime.count() <= 0) {
    return Error(ErrorCode::kInvalidArgument, "API key lifetime must be positive");
  }
  std::string prefix(kPrefixChars, ' ');
  for (char& c : prefix) {
    c = kPrefixAlphabet[crypto::RandomUniform(static_cast<std::uint32_t>(kPrefixAlphabet.size()))];
  }
  std::string secret = crypto::RandomToken(32);
  std::string material = prefix + secret;
  Result<Bytes> tag = mac_.Compute(AsBytes(material));
  SecureWipe(material.data(), material.size());
  if (!tag.ok()) return Error(ErrorCode::kInternal, "API key hashing failed");
  ApiKeyRecord record;
  record.prefix = prefix;
  record.owner = std::move(spec.owner);
  record.name = std::move(spec.name);
  record.scopes = std::move(spec.scopes);
  record.hash = HexEncode(*tag);
  record.created_at = now;
  record.expires_at = spec.no_expiry ? 0 : now + lifetime.count();
  Result<void> inserted = store_->Insert(record);
  if (!inserted.ok()) return StoreDown();
  std::string full = std::string(kMarker) + prefix + "_" + secret;
  SecureWipe(secret.data(), secret.size());
  Emit(*events_, SecurityEventType::kApiKeyCreated, now, record.owner, record.prefix);
  return NewApiKey{SecretString::Adopt(std::move(full)), std::move(record)};
}

Result<ApiKeyRecord> ApiKeyService::Verify(Untrusted<std::string_view> untrusted) {
  const std::string_view key = untrusted.UnvalidatedValue();
  const std::int64_t now = clock_->NowUnixSeconds();
  if (key.size() != kMarker.size() + kPrefixChars + 1 + kSecretChars || !key.starts_with(kMarker) ||
      key[kMarker.size() + kPrefixChars] != '_') {
    return Rejected();
  }
  const std::string_view prefix = key.substr(kMarker.size(), kPrefixChars);
  const std::string_view secret = key.substr(kMarker.size() + kPrefixChars + 1);
  if (!std::all_of(prefix.begin(), prefix.end(),
                   [](char c) { return kPrefixAlphabet.find(c) != std::string_view::npos; }) ||
      !std::all_of(secret.begin(), secret.end(), IsB64Url)) {
    return Rejected();
  }
  Result<std::optional<ApiKeyRecord>> found = store_->Find(prefix);
  if (!found.ok()) return StoreDown();
  if (!found->has_value()) {
    Emit(*events_, SecurityEventType::kApiKeyRejected, now, {}, std::string(prefix), "unknown key");
    return Rejected();
  }
  ApiKeyRecord record = std::move(**found);
  std::string material = std::string(prefix) + std::string(secret);
  Result<Bytes> stored = HexDecode(record.hash);
  const bool matches = stored.ok() && mac_.Verify(AsBytes(material), *stored);
  SecureWipe(material.data(), material.size());
  const char* reason = nullptr;
  if (!matches) {
    reason = "wrong secret";
  } else if (record.revoked_at != 0) {
    reason = "revoked";
  } else if (record.expires_at != 0 && now >= record.expires_at) {
    reason = "expired";
  }
  if (reason != nullptr) {
    Emit(*events_, SecurityEventType::kApiKeyRejected, now, record.owner, record.prefix, reason);
    return Rejected();
  }
  if (now - record.last_used_at >= options_.touch_interval.count()) {
    if (!store_->TouchLastUsed(record.prefix, now).ok()) return StoreDown();
    record.last_used_at = now;
  }
  return record;
}

Result<void> ApiKeyService::Revoke(std::string_view owner, std::string_view prefix) {
  Result<std::optional<ApiKeyRecord>> found = store_->Find(prefix);
  if (!found.ok()) return StoreDown();
  if (!found->has_value() || (*found)->owner != owner) {
    return Error(ErrorCode::kNotFound, "no such API key");
  }
  const std::int64_t now = clock_->NowUnixSeconds();
  Result<bool> revoked = store_->Revoke(prefix, now);
  if (!revoked.ok()) return StoreDown();
  Emit(*events_, SecurityEventType::kApiKeyRevoked, now, std::string(owner), std::string(prefix));
  return Ok();
}

Result<std::vector<ApiKeyRecord>> ApiKeyService::List(std::string_view owner) {
  Result<std::vector<ApiKeyRecord>> list = store_->ListByOwner(owner);
  if (!list.ok()) return StoreDown();
  return list;
}

}  // namespace bulwark::auth
