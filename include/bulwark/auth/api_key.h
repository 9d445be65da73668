#pragma once
// API keys for machine clients: "bwk_<prefix>_<secret>", where the prefix
// (12 characters, public) finds the record and the secret (256 bits from the
// CSPRNG) proves possession. Only a keyed hash (HMAC under a server-side
// keyset, with the key id) of prefix and secret is stored, so a leaked table
// cannot be used or brute-forced without the key; the check is constant-time.
// The full key is returned once, at creation. Keys carry scopes, an expiry
// (required by default) and a last-used time; revoked and expired keys fail
// with the same message as unknown ones. The "bwk_" marker lets secret
// scanners find leaked keys.
//
// Thread-safety: ApiKeyService is thread-safe if its store is.
// Ownership: store, sink and clock are borrowed and must outlive it.

#include <chrono>
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

struct ApiKeyRecord {
  std::string prefix;  // public id (primary key)
  std::string owner;   // user or service account id
  std::string name;    // display name
  std::vector<std::string> scopes;
  std::string hash;    // hex of Mac::Compute(prefix || secret)
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;    // 0: never (only when allowed by options)
  std::int64_t last_used_at = 0;  // 0: never used
  std::int64_t revoked_at = 0;    // 0: active
};

class ApiKeyStore {
 public:
  virtual ~ApiKeyStore() = default;
  virtual Result<void> Insert(const ApiKeyRecord& record) = 0;
  virtual Result<std::optional<ApiKeyRecord>> Find(std::string_view prefix) = 0;
  virtual Result<std::vector<ApiKeyRecord>> ListByOwner(std::string_view owner) = 0;
  // false if absent or already revoked.
  virtual Result<bool> Revoke(std::string_view prefix, std::int64_t now) = 0;
  virtual Result<void> TouchLastUsed(std::string_view prefix, std::int64_t now) = 0;
};

class MemoryApiKeyStore final : public ApiKeyStore {
 public:
  Result<void> Insert(const ApiKeyRecord& record) override;
  Result<std::optional<ApiKeyRecord>> Find(std::string_view prefix) override;
  Result<std::vector<ApiKeyRecord>> ListByOwner(std::string_view owner) override;
  Result<bool> Revoke(std::string_view prefix, std::int64_t now) override;
  Result<void> TouchLastUsed(std::string_view prefix, std::int64_t now) override;

 private:
  std::mutex mu_;
  std::map<std::string, ApiKeyRecord, std::less<>> keys_;
};

struct ApiKeyOptions {
  std::chrono::seconds default_lifetime{90 * 24 * 3600};
  bool allow_no_expiry = false;
  std::chrono::seconds touch_interval{60};  // last_used_at write granularity
};

struct ApiKeySpec {
  std::string owner;
  std::string name;
  std::vector<std::string> scopes;  // each 1-64 chars of [a-z0-9:._-]
  std::optional<std::chrono::seconds> lifetime;  // default: options' lifetime
  bool no_expiry = false;                        // needs options.allow_no_expiry
};

struct NewApiKey {
  SecretString key;  // "bwk_<prefix>_<secret>": show once
  ApiKeyRecord record;
};

class ApiKeyService {
 public:
  // Errors: kFailedPrecondition (not an HMAC keyset).
  static Result<ApiKeyService> Create(const crypto::Keyset& hmac_keyset, ApiKeyStore& store,
                                      ApiKeyOptions options = {},
                                      SecurityEventSink& events = NullEventSink(),
                                      const Clock& clock = SystemClock());

  Result<NewApiKey> CreateKey(ApiKeySpec spec);
  // Errors: kUnauthenticated (malformed, unknown, wrong secret, expired or
  // revoked: one message), kUnavailable (store).
  Result<ApiKeyRecord> Verify(Untrusted<std::string_view> key);
  Result<void> Revoke(std::string_view owner, std::string_view prefix);
  Result<std::vector<ApiKeyRecord>> List(std::string_view owner);

 private:
  ApiKeyService(crypto::Mac mac, ApiKeyStore& store, ApiKeyOptions options,
                SecurityEventSink& events, const Clock& clock)
      : mac_(std::move(mac)), store_(&store), options_(options), events_(&events), clock_(&clock) {}

  crypto::Mac mac_;
  ApiKeyStore* store_;
  ApiKeyOptions options_;
  SecurityEventSink* events_;
  const Clock* clock_;
};

}  // namespace bulwark::auth
