#pragma once
// Security events: every auth component reports what happened (logins, MFA,
// sessions, refresh-token reuse, denials, key rotation) as a typed
// SecurityEvent through one interface, SecurityEventSink. The audit module
// persists them in a tamper-evident store; tests use MemoryEventSink.
//
// Events never carry secrets: no passwords, codes, raw tokens, session ids or
// API key secrets. They name the subject (user id), a public reference (a
// session handle, a token family id, an API key prefix) and safe, program-made
// attributes.
//
// Thread-safety: sinks must be thread-safe; Record may be called from many
// threads at once and must not throw or block for long.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::auth {

enum class SecurityEventType : std::uint8_t {
  kLoginSucceeded,
  kLoginFailed,
  kMfaEnrolled,
  kMfaUsed,
  kMfaFailed,
  kMfaReplayBlocked,      // a valid TOTP code presented a second time
  kBackupCodeUsed,
  kBackupCodesRegenerated,
  kSessionCreated,
  kSessionRotated,
  kSessionRevoked,
  kSessionEvicted,        // the oldest session made room under the concurrency limit
  kRefreshIssued,
  kRefreshRotated,
  kRefreshReuseDetected,  // an already-rotated refresh token came back: family revoked
  kRefreshFamilyRevoked,
  kApiKeyCreated,
  kApiKeyRevoked,
  kApiKeyRejected,
  kPermissionDenied,
  kKeyRotated,
  kOAuthCheckFailed,      // state/nonce/PKCE/redirect mismatch
};

enum class SecuritySeverity : std::uint8_t { kInfo, kWarning, kCritical };

// "login.succeeded", "refresh.reuse_detected", ... (stable, for storage).
std::string_view SecurityEventName(SecurityEventType type) noexcept;
SecuritySeverity DefaultSeverity(SecurityEventType type) noexcept;

struct SecurityEvent {
  SecurityEventType type = SecurityEventType::kLoginFailed;
  SecuritySeverity severity = SecuritySeverity::kInfo;
  std::int64_t unix_time = 0;
  std::string subject;    // the user/account the event is about ("" if unknown)
  std::string reference;  // public handle of the object (session handle, family id, key prefix)
  std::string reason;     // short, fixed, program-made text
  std::vector<std::pair<std::string, std::string>> attributes;  // safe key/value pairs
};

class SecurityEventSink {
 public:
  virtual ~SecurityEventSink() = default;
  virtual void Record(const SecurityEvent& event) noexcept = 0;
};

// Discards events. The returned object lives forever.
SecurityEventSink& NullEventSink() noexcept;

// Keeps the last `capacity` events in memory (tests, small deployments).
class MemoryEventSink final : public SecurityEventSink {
 public:
  explicit MemoryEventSink(std::size_t capacity = 10'000) : capacity_(capacity) {}
  void Record(const SecurityEvent& event) noexcept override;
  std::vector<SecurityEvent> Events() const;
  std::size_t Count(SecurityEventType type) const;
  void Clear();

 private:
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::deque<SecurityEvent> events_;
};

// Builds and records an event with the default severity (helper for components).
void Emit(SecurityEventSink& sink, SecurityEventType type, std::int64_t unix_time,
          std::string subject, std::string reference = {}, std::string reason = {},
          std::vector<std::pair<std::string, std::string>> attributes = {}) noexcept;

}  // namespace bulwark::auth
