#pragma once
// Service internals shared by the handler files. Not installed.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bulwark/audit/audit.h"
#include "bulwark/auth/events.h"
#include "bulwark/auth/jwt.h"
#include "bulwark/auth/otp.h"
#include "bulwark/core/clock.h"
#include "bulwark/crypto/aead.h"
#include "bulwark/crypto/hashing_pool.h"
#include "bulwark/crypto/mac.h"
#include "bulwark/crypto/password.h"
#include "bulwark/db/database.h"
#include "bulwark/encode/template.h"
#include "bulwark/files/download.h"
#include "bulwark/files/root.h"
#include "bulwark/http/app.h"
#include "bulwark/http/backoff.h"
#include "bulwark/http/csrf.h"
#include "bulwark/http/rate_limit.h"
#include "bulwark/http/router.h"
#include "bulwark/net/client.h"
#include "bulwark/validate/json.h"
#include "bulwark/validate/schema.h"
#include "config.h"
#include "keys.h"
#include "service.h"

namespace bulwark::service {

using validate::JsonValue;

inline constexpr std::string_view kSessionCookie = "__Host-session";
inline constexpr std::int64_t kStepUpWindow = 15 * 60;  // seconds an authentication counts as recent
inline constexpr std::int64_t kMaxApiKeysPerAccount = 25;  // active (unrevoked, unexpired) keys
// Refresh-token storage is bounded per account: each family keeps a row per
// rotation (reuse detection needs every used token), so a family ends after
// this many rotations (a client refreshing every 15 minutes needs 2880 in
// the 30-day lifetime), and an account keeps its newest families only (a new
// sign-in past the limit deletes the oldest, as with sessions).
inline constexpr std::int64_t kMaxRefreshGenerations = 10000;
inline constexpr std::size_t kMaxRefreshFamilies = 20;

// ---- JSON output helpers -----------------------------------------------------
JsonValue J(std::string s);
JsonValue J(const char* s);
JsonValue J(std::int64_t i);
JsonValue JB(bool b);
JsonValue JObj(std::vector<std::pair<std::string, JsonValue>> members);
JsonValue JArr(std::vector<JsonValue> items);
http::Response JsonResponse(int status, const JsonValue& body);
http::Response ProblemResponse(const http::Request& req, int status, std::string_view detail = {});

// ---- Metrics -------------------------------------------------------------------
class Metrics {
 public:
  void ObserveAccessLine(std::string_view line);
  void AuthFailure(std::string_view kind);
  void LoginThrottled() { throttled_.fetch_add(1, std::memory_order_relaxed); }
  void AuditWriteFailed() { audit_failures_.fetch_add(1, std::memory_order_relaxed); }
  std::string Render(const crypto::HashingPoolStats& pool) const;

 private:
  static constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,   0.25,   0.5,   1,    2.5,   5};
  static constexpr std::size_t kBucketCount = sizeof(kBuckets) / sizeof(kBuckets[0]);
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // (route, status)
  std::uint64_t buckets_[kBucketCount + 1] = {};
  double duration_sum_ = 0;
  std::uint64_t duration_count_ = 0;
  std::uint64_t rate_limited_ = 0;
  std::map<std::string, std::uint64_t> auth_failures_;
  std::atomic<std::uint64_t> throttled_{0};
  std::atomic<std::uint64_t> audit_failures_{0};
};

// ---- Login throttling ------------------------------------------------------------
// Failed logins are counted per (account, address), per account and per
// address (IPv6: per /64, as the rate limit) in an http::BackoffStore: past a free allowance each further
// failure doubles a wait during which that key is refused without checking
// the password; every wait is capped and counts are forgotten after an hour
// of quiet, so an attacker can slow a victim down but never lock them out
// for good. The per-account cap is short (60 s) because anyone can push it;
// the per-(account,address) and per-address caps are long (15 min) because
// only the attacker's own address is hit. With --redis the store is shared
// by every instance (N instances must not mean N times the guesses).
// Accounts are keyed by a SHA-256 of the email, so the store holds no
// addresses of users.
class LoginThrottle {
 public:
  explicit LoginThrottle(std::shared_ptr<http::BackoffStore> store) : store_(std::move(store)) {}
  // Seconds to wait before another attempt is allowed, 0 if allowed now.
  // Errors: kUnavailable (store down: callers refuse the attempt).
  Result<std::int64_t> RetryAfter(std::string_view account, std::string_view address);
  // Returns true when the address crossed the credential-stuffing threshold
  // now. A store error is logged (the attempt has failed anyway).
  bool RecordFailure(std::string_view account, std::string_view address);
  void RecordSuccess(std::string_view account, std::string_view address);
  // Second factors. A wrong code after the right password can only come
  // from someone who knows the password, so it also counts on a per-account
  // key with a long wait (5 free, then up to 15 min, forgotten after a day
  // of quiet) that is checked only before a second factor is: spreading
  // guesses over many addresses gets about one code a quarter hour, and the
  // password-only paths (sign-in of an account without MFA, password change)
  // are not held by it. Errors as RetryAfter.
  Result<std::int64_t> SecondFactorRetryAfter(std::string_view account);
  // Counts a rejected second factor on the sign-in keys and the MFA key.
  bool RecordSecondFactorFailure(std::string_view account, std::string_view address);

 private:
  std::shared_ptr<http::BackoffStore> store_;
};

// ---- Audit sampling ------------------------------------------------------------------
// For events anyone can repeat for free (a throttled sign-in, a rejected API
// key, a revoked refresh token presented again, a permission denial): at most one audit record a
// second per kind, carrying
// how many were left out since the last, so a flood cannot turn into one
// synchronous, chained audit write per request. Thread-safe.
class AuditSampler {
 public:
  // True when this occurrence is to be recorded; then *left_out is the
  // number of occurrences not recorded since the last recorded one.
  bool Admit(std::int64_t now_seconds, std::int64_t* left_out) {
    std::int64_t last = second_.load();
    if (last != now_seconds && second_.compare_exchange_strong(last, now_seconds)) {
      *left_out = left_out_.exchange(0);
      return true;
    }
    left_out_.fetch_add(1);
    return false;
  }

 private:
  std::atomic<std::int64_t> second_{0};
  std::atomic<std::int64_t> left_out_{0};
};

// ---- Who is calling ----------------------------------------------------------------
struct User {
  std::string id, email, display_name, role, password_hash, totp_secret, totp_pending;
  bool locked = false;
  bool email_verified = false;
  std::int64_t credentials_changed_at = 0;
  std::int64_t created_at = 0;
  bool mfa_enabled() const { return !totp_secret.empty(); }
};

struct Body;

struct Caller {
  enum class Via { kSession, kBearer, kApiKey };
  Via via = Via::kSession;
  User user;
  std::string session_hash;    // kSession
  std::string session_handle;  // kSession
  std::string family_id;       // kBearer: the refresh family ("sid") the token belongs to
  std::string api_key_id;      // kApiKey
  std::vector<std::string> scopes;  // kApiKey
  std::int64_t auth_time = 0;  // when the credentials were last presented
};

enum class Access { kPublic, kUser, kAdmin };

using ApiHandler = std::function<http::Response(http::Request&, const Caller*)>;

// One route: registered with the Router and documented in /openapi.json from
// the same declaration.
struct ApiRoute {
  http::Method method;
  std::string path;
  std::string summary;
  std::string tag;
  Access access = Access::kUser;
  // The scope an API key needs; empty: API keys are refused on this route.
  std::string api_key_scope;
  // JSON body schema (nullptr: no body). `body_optional`: may be absent.
  const validate::Schema* body = nullptr;
  bool body_optional = false;
  std::vector<int> responses;
  std::vector<std::string> produces{"application/json"};
  std::vector<std::string> consumes;  // derived from body when empty
  std::vector<std::pair<std::string, std::string>> query;  // name, description
  // Body limit for this route; 0: 64 KiB.
  std::size_t max_body_bytes = 0;
  ApiHandler handler;
};

// A request's identity for the audit trail (thread-local while a handler runs).
struct RequestScope {
  std::string request_id;
  std::string client_address;
};

class AuditBridge;  // auth::SecurityEventSink -> audit::AuditLog
class WebhookWorker;  // webhooks.h
class RetentionTimer;  // retention.h

struct Service::Impl {
  Config config;
  std::unique_ptr<ServiceKeys> keys;
  std::unique_ptr<db::Database> db;
  const Clock* clock = &SystemClock();
  std::unique_ptr<crypto::PasswordHasher> hasher;
  std::unique_ptr<crypto::HashingPool> pool;
  std::unique_ptr<crypto::PasswordPolicy> policy;
  std::string dummy_hash;  // verified for unknown accounts: same work either way
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<AuditBridge> events;
  std::unique_ptr<auth::JwtSigner> signer;
  std::unique_ptr<auth::JwtVerifier> verifier;
  std::string jwks;
  std::unique_ptr<crypto::Aead> data_aead;
  std::unique_ptr<crypto::Mac> refresh_mac;
  std::unique_ptr<auth::TotpReplayStore> totp_replay;
  std::unique_ptr<auth::TotpVerifier> totp;
  std::unique_ptr<auth::BackupCodeStore> backup_store;
  std::unique_ptr<auth::BackupCodes> backup_codes;
  std::shared_ptr<const http::Csrf> csrf;
  std::unique_ptr<encode::TemplateSet> templates;
  mutable Metrics metrics;
  std::unique_ptr<LoginThrottle> throttle;
  // Registrations per client address (IPv6: per /64); see AddAccountRoutes.
  std::shared_ptr<http::RateLimitStore> registrations;
  // Throttled sign-ins, rejected API keys and refresh tokens of revoked
  // families are audited through these.
  mutable AuditSampler throttled_audit;
  mutable AuditSampler rejected_key_audit;
  mutable AuditSampler revoked_refresh_audit;
  mutable AuditSampler denied_audit;  // permission denials: a caller can repeat them at will
  // Final webhook delivery failures: the owner can cause them at will (a
  // receiver that always fails, events triggered in a loop).
  mutable AuditSampler failed_delivery_audit;
  std::vector<ApiRoute> routes;
  std::string openapi;
  std::unique_ptr<http::App> app;
  std::string base_url;
  // Webhooks: the outbound client carries the destination policy used at
  // registration and (again, with the connected address) at delivery.
  std::unique_ptr<net::Client> webhook_client;
  std::unique_ptr<WebhookWorker> webhook_worker;
  // The periodic purge of expired and revoked credentials (Serve() runs it).
  std::unique_ptr<RetentionTimer> retention;
  // Files: blobs under <data_dir>/files.
  std::unique_ptr<files::Root> files_root;
  std::unique_ptr<files::DownloadPolicy> downloads;

  // Setup.
  Result<void> Init(bool first_start);
  void DeclareRoutes();
  Result<void> BuildApp();
  std::string BuildOpenApi() const;
  http::Response Dispatch(const ApiRoute& route, http::Request& req) const;

  // Authentication.
  Result<Caller> Authenticate(http::Request& req) const;
  // GET /metrics: a direct loopback peer, or an admin (API key: admin:read).
  bool MetricsAllowed(http::Request& req) const;
  Result<User> LoadUser(std::string_view id) const;
  Result<std::optional<User>> FindUserByEmail(std::string_view email) const;

  // Password checks through the hashing pool. `user` null: dummy hash.
  // Errors: kResourceExhausted when the pool is busy.
  Result<bool> CheckPassword(const User* user, const SecretString& password) const;
  // The login decision shared by /v1/sessions, /v1/tokens and the web form.
  struct LoginResult {
    int status = 200;  // 200 ok, 401, 429, 503
    std::string detail;
    std::int64_t retry_after = 0;
    User user;
    bool mfa_used = false;
  };
  LoginResult Login(const http::Request& req, const std::string& email,
                    const SecretString& password, const std::string* totp_code,
                    const std::string* backup_code) const;
  // Re-authentication of a signed-in caller before a sensitive action: the
  // password in body[password_field] and, when `second_factor` and TOTP is
  // enrolled, body's totp_code or backup_code. Under the same backoff as
  // logins (checked first, failures counted), so a stolen session or token
  // cannot be used to guess the password or a code. nullopt when it passed;
  // otherwise the answer to send (403, 429/503 held).
  std::optional<http::Response> StepUp(const http::Request& req, const Caller& c, const Body& body,
                                       std::string_view password_field, bool second_factor,
                                       std::string_view failed_action) const;
  // The same with the credentials already extracted (web forms).
  std::optional<http::Response> StepUp(const http::Request& req, const Caller& c,
                                       const SecretString& password, const std::string* totp_code,
                                       const std::string* backup_code, bool second_factor,
                                       std::string_view failed_action) const;
  // Second factor for step-up (delete MFA, new backup codes).
  Result<void> CheckSecondFactor(const User& user, const std::string* totp_code,
                                 const std::string* backup_code) const;

  // Sessions.
  struct NewSession {
    SecretString id;
    std::string handle;
  };
  Result<NewSession> StartSession(const User& user, std::int64_t auth_level,
                                  std::string_view label) const;
  Result<std::size_t> RevokeSessions(std::string_view user_id, std::string_view keep_hash) const;
  // Inside `tx`: takes the account's row lock if the account is still as
  // `user` was read (same credentials version, not locked, same TOTP
  // secret); false if it changed since. Whatever a sign-in or a caller
  // creates (session, refresh family, API key, webhook) is inserted after it
  // in the same transaction, so a concurrent password change, lock or MFA
  // enrolment either sees the new row and ends it, or comes first and the
  // insert does not happen: no credential made with the old state
  // outlives the change.
  Result<bool> LockUnchangedUser(db::Transaction& tx, const User& user) const;
  // After a security-relevant change to the account (password, MFA, backup
  // codes): ends every other browser session and refresh-token family, and
  // with it their access tokens. The caller's own session cookie or token
  // family is kept when `keep_callers` (MFA changes); a password change keeps
  // only the session cookie. Returns the counts for the audit record.
  struct Revoked {
    std::size_t sessions = 0, families = 0;
  };
  Revoked EndOtherSessions(const Caller& c, std::string_view reason, bool keep_callers_family) const;
  std::string SessionCookie(const http::Request& req, const SecretString& id) const;
  std::string ExpiredSessionCookie(const http::Request& req) const;

  // Tokens.
  struct TokenPair {
    std::string access_token;
    SecretString refresh_token;
    std::string family_id;
  };
  Result<TokenPair> IssueTokens(const User& user, bool mfa) const;
  // `auth_time`: when the user last presented credentials (the sign-in, not
  // a refresh), so a refresh never makes a sign-in look recent to step-up.
  // `mfa`: the sign-in of the family passed a second factor (amr otp).
  // `family_id`: the refresh family ("sid"); the token dies with it.
  Result<std::string> SignAccessToken(const User& user, bool mfa, std::int64_t auth_time,
                                      std::string_view family_id) const;
  // Revokes the user's refresh families but `keep_family` (empty: all).
  Result<std::size_t> RevokeFamilies(std::string_view user_id, std::string_view reason,
                                     std::string_view keep_family = {}) const;

  // Audit.
  void Audit(std::string actor, std::string action, std::string target, std::string_view outcome,
             std::vector<std::pair<std::string, std::string>> details = {}) const;
  void Event(auth::SecurityEventType type, std::string subject, std::string reference = {},
             std::string reason = {}) const;
  // Queues a delivery to each of the user's webhooks subscribed to `event`
  // (called by Audit for the events in WebhookEventNames()).
  void EnqueueWebhookEvent(std::string_view user_id, std::string_view event,
                           std::string_view target, std::string_view outcome) const;

  // Handlers (api_*.cc, web.cc).
  void AddAccountRoutes();
  void AddTokenRoutes();
  void AddMfaRoutes();
  void AddKeyAndAdminRoutes();
  void AddWebhookRoutes();
  void AddFileRoutes();
  void AddWebRoutes();
};

// The current request's scope (set by Dispatch for the handler's duration).
const RequestScope& CurrentScope();
class ScopeGuard {
 public:
  explicit ScopeGuard(RequestScope scope);
  ~ScopeGuard();
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;
};

// Hex SHA-256 of a token (how session ids, refresh tokens and API key secrets
// are stored).
std::string HashToken(std::string_view token);
std::string RandomId();  // 128-bit base64url
Result<User> UserFromRow(const db::Row& row);
// The validated body of `req` against `schema`, or an error response.
struct Body {
  std::optional<JsonValue> value;
  std::optional<http::Response> error;
  const JsonValue* Find(std::string_view key) const { return value ? value->Find(key) : nullptr; }
  std::optional<std::string> Str(std::string_view key) const {
    const JsonValue* v = Find(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return v->AsString();
  }
};
Body ParseBody(const http::Request& req, const validate::Schema& schema, bool optional = false);
std::string UserJson(const User& user);
// The events webhooks may subscribe to: events the service emits for an account.
const std::vector<std::string>& WebhookEventNames();
// Ids made by RandomId(): 22 base64url characters. Anything else is no id.
bool LooksLikeId(std::string_view id);
JsonValue UserObject(const User& user);

// The operator log (stderr, JSON lines); never request data or secrets.
void OpLog(std::string_view level, std::string_view message);

// The answer to a refused login (JSON API) and the headers/hold every
// refused login gets (JSON API and web form); see api_accounts.cc.
http::Response LoginFailure(const http::Request& req, const Service::Impl::LoginResult& r);
void MarkLoginRefusal(http::Response& resp, const Service::Impl::LoginResult& r);

}  // namespace bulwark::service
