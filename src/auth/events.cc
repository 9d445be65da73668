#include "bulwark/auth/events.h"

#include <algorithm>

namespace bulwark::auth {

std::string_view SecurityEventName(SecurityEventType type) noexcept {
  switch (type) {
    case SecurityEventType::kLoginSucceeded: return "login.succeeded";
    case SecurityEventType::kLoginFailed: return "login.failed";
    case SecurityEventType::kMfaEnrolled: return "mfa.enrolled";
    case SecurityEventType::kMfaUsed: return "mfa.used";
    case SecurityEventType::kMfaFailed: return "mfa.failed";
    case SecurityEventType::kMfaReplayBlocked: return "mfa.replay_blocked";
    case SecurityEventType::kBackupCodeUsed: return "mfa.backup_code_used";
    case SecurityEventType::kBackupCodesRegenerated: return "mfa.backup_codes_regenerated";
    case SecurityEventType::kSessionCreated: return "session.created";
    case SecurityEventType::kSessionRotated: return "session.rotated";
    case SecurityEventType::kSessionRevoked: return "session.revoked";
    case SecurityEventType::kSessionEvicted: return "session.evicted";
    case SecurityEventType::kRefreshIssued: return "refresh.issued";
    case SecurityEventType::kRefreshRotated: return "refresh.rotated";
    case SecurityEventType::kRefreshReuseDetected: return "refresh.reuse_detected";
    case SecurityEventType::kRefreshFamilyRevoked: return "refresh.family_revoked";
    case SecurityEventType::kApiKeyCreated: return "api_key.created";
    case SecurityEventType::kApiKeyRevoked: return "api_key.revoked";
    case SecurityEventType::kApiKeyRejected: return "api_key.rejected";
    case SecurityEventType::kPermissionDenied: return "authz.denied";
    case SecurityEventType::kKeyRotated: return "key.rotated";
    case SecurityEventType::kOAuthCheckFailed: return "oauth.check_failed";
  }
  return "unknown";
}

SecuritySeverity DefaultSeverity(SecurityEventType type) noexcept {
  switch (type) {
    case SecurityEventType::kRefreshReuseDetected:
    case SecurityEventType::kMfaReplayBlocked:
      return SecuritySeverity::kCritical;
    case SecurityEventType::kLoginFailed:
    case SecurityEventType::kMfaFailed:
    case SecurityEventType::kApiKeyRejected:
    case SecurityEventType::kPermissionDenied:
    case SecurityEventType::kOAuthCheckFailed:
    case SecurityEventType::kSessionEvicted:
    case SecurityEventType::kRefreshFamilyRevoked:
      return SecuritySeverity::kWarning;
    default:
      return SecuritySeverity::kInfo;
  }
}

namespace {
class NullSink final : public SecurityEventSink {
 public:
  void Record(const SecurityEvent&) noexcept override {}
};
}  // namespace

SecurityEventSink& NullEventSink() noexcept {
  static NullSink* sink = new NullSink();
  return *sink;
}

void MemoryEventSink::Record(const SecurityEvent& event) noexcept {
  try {
    std::lock_guard lock(mu_);
    if (capacity_ == 0) return;
    if (events_.size() >= capacity_) events_.pop_front();
    events_.push_back(event);
  } catch (...) {
    // Out of memory: dropping one event beats terminating the request.
  }
}

std::vector<SecurityEvent> MemoryEventSink::Events() const {
  std::lock_guard lock(mu_);
  return {events_.begin(), events_.end()};
}

std::size_t MemoryEventSink::Count(SecurityEventType type) const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(std::count_if(
      events_.begin(), events_.end(), [type](const SecurityEvent& e) { return e.type == type; }));
}

void MemoryEventSink::Clear() {
  std::lock_guard lock(mu_);
  events_.clear();
}

void Emit(SecurityEventSink& sink, SecurityEventType type, std::int64_t unix_time,
          std::string subject, std::string reference, std::string reason,
          std::vector<std::pair<std::string, std::string>> attributes) noexcept {
  try {
    SecurityEvent event;
    event.type = type;
    event.severity = DefaultSeverity(type);
    event.unix_time = unix_time;
    event.subject = std::move(subject);
    event.reference = std::move(reference);
    event.reason = std::move(reason);
    event.attributes = std::move(attributes);
    sink.Record(event);
  } catch (...) {
  }
}

}  // namespace bulwark::auth
