#pragma once
// Server-side sessions for browser flows.
//
// A session id is 256 bits from the CSPRNG (base64url, 43 characters), given
// to the client once (in a __Host- cookie) and stored only as its SHA-256, so
// a read of the session table does not yield usable ids. Each session also
// has a public random `handle` to list and revoke it ("sign out that
// device") without exposing the id.
//
// Why each rule:
//   - Rotate() replaces the id on login and on any privilege change (MFA
//     step-up, role change): an id planted before login (session fixation)
//     is worthless afterwards.
//   - Idle and absolute timeouts bound how long a stolen id is useful.
//   - A per-user limit on concurrent sessions with a defined policy (refuse
//     the new one, or evict the least recently used) bounds the damage of a
//     credential leak and the storage one user can take. The check and the
//     insert are one atomic store operation, so parallel logins cannot
//     exceed it.
//   - OnPasswordChanged() revokes every session of the user: a password
//     change is often the response to a compromise.
//
// Thread-safety: SessionManager is thread-safe if its store is (the memory
// and SQL stores are). Ownership: the manager does not own store, sink or
// clock; they must outlive it.

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

namespace bulwark::auth {

struct SessionRecord {
  std::string id_hash;  // hex SHA-256 of the session id (primary key)
  std::string handle;   // public random id, unique
  std::string user_id;
  std::uint32_t auth_level = 0;  // e.g. 1 = password, 2 = password + MFA
  std::string label;             // safe display text ("Firefox on Linux")
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;  // absolute expiry
};

enum class SessionLimitPolicy : std::uint8_t {
  kRefuseNew,    // the new login fails with kResourceExhausted
  kEvictOldest,  // the least recently used session is revoked (session.evicted)
};

struct SessionInsertResult {
  std::vector<SessionRecord> evicted;
};

// Storage for sessions. Implementations must make each method atomic.
class SessionStore {
 public:
  virtual ~SessionStore() = default;
  // Deletes the user's sessions that expired (absolute, or idle since
  // `idle_cutoff`), then inserts `record` unless the user then has
  // `max_per_user` sessions: kRefuseNew -> kResourceExhausted; kEvictOldest ->
  // deletes the least recently seen ones to make room and returns them.
  virtual Result<SessionInsertResult> InsertLimited(const SessionRecord& record,
                                                    std::size_t max_per_user,
                                                    SessionLimitPolicy policy, std::int64_t now,
                                                    std::int64_t idle_cutoff) = 0;
  virtual Result<std::optional<SessionRecord>> Find(std::string_view id_hash) = 0;
  // Sets last_seen_at; false if the session is gone.
  virtual Result<bool> Touch(std::string_view id_hash, std::int64_t now) = 0;
  // Atomically deletes `old_id_hash` and inserts `replacement`; false (and no
  // insert) if the old session is gone.
  virtual Result<bool> Replace(std::string_view old_id_hash, const SessionRecord& replacement) = 0;
  virtual Result<bool> Delete(std::string_view id_hash) = 0;
  virtual Result<bool> DeleteByHandle(std::string_view user_id, std::string_view handle) = 0;
  virtual Result<std::vector<SessionRecord>> ListByUser(std::string_view user_id) = 0;
  // Deletes all of a user's sessions but `keep_id_hash` (if not empty).
  virtual Result<std::size_t> DeleteByUser(std::string_view user_id,
                                           std::string_view keep_id_hash) = 0;
};

// A thread-safe in-memory store (one process; tests, single-instance use).
class MemorySessionStore final : public SessionStore {
 public:
  Result<SessionInsertResult> InsertLimited(const SessionRecord& record, std::size_t max_per_user,
                                            SessionLimitPolicy policy, std::int64_t now,
                                            std::int64_t idle_cutoff) override;
  Result<std::optional<SessionRecord>> Find(std::string_view id_hash) override;
  Result<bool> Touch(std::string_view id_hash, std::int64_t now) override;
  Result<bool> Replace(std::string_view old_id_hash, const SessionRecord& replacement) override;
  Result<bool> Delete(std::string_view id_hash) override;
  Result<bool> DeleteByHandle(std::string_view user_id, std::string_view handle) override;
  Result<std::vector<SessionRecord>> ListByUser(std::string_view user_id) override;
  Result<std::size_t> DeleteByUser(std::string_view user_id, std::string_view keep_id_hash) override;

 private:
  std::mutex mu_;
  std::map<std::string, SessionRecord, std::less<>> sessions_;
};

struct SessionOptions {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 60 * 60};
  std::size_t max_sessions_per_user = 10;
  SessionLimitPolicy limit_policy = SessionLimitPolicy::kEvictOldest;
  // last_seen_at is written at most this often (fewer writes per request).
  std::chrono::seconds touch_interval{60};
};

// What Validate returns: the record, never the id.
struct SessionInfo {
  std::string handle;
  std::string user_id;
  std::uint32_t auth_level = 0;
  std::string label;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
};

struct NewSession {
  SecretString id;  // for the cookie; not stored anywhere
  SessionInfo info;
};

class SessionManager {
 public:
  // Errors: kInvalidArgument (timeouts not positive, idle > absolute,
  // absolute > 30 days, a limit of 0).
  static Result<SessionManager> Create(SessionStore& store, SessionOptions options = {},
                                       SecurityEventSink& events = NullEventSink(),
                                       const Clock& clock = SystemClock());

  // A new session for a user who just authenticated.
  // Errors: kResourceExhausted (limit reached under kRefuseNew), kUnavailable.
  Result<NewSession> Start(std::string_view user_id, std::uint32_t auth_level,
                           std::string_view label = {});
  // Errors: kUnauthenticated for unknown, expired or malformed ids (one
  // message for all), kUnavailable when the store fails (fail closed).
  Result<SessionInfo> Validate(Untrusted<std::string_view> session_id);
  // A new id for the same session (login, privilege change); the old id stops
  // working at once. The absolute expiry restarts only on a new login.
  Result<NewSession> Rotate(Untrusted<std::string_view> session_id, std::uint32_t new_auth_level);
  Result<void> Revoke(Untrusted<std::string_view> session_id);
  Result<void> RevokeByHandle(std::string_view user_id, std::string_view handle);
  Result<std::size_t> RevokeAll(std::string_view user_id);
  Result<std::size_t> RevokeAllExcept(std::string_view user_id,
                                      Untrusted<std::string_view> current_session_id);
  // Revokes every session of the user (call it after a password change, and
  // revoke refresh-token families too).
  Result<std::size_t> OnPasswordChanged(std::string_view user_id);
  Result<std::vector<SessionInfo>> List(std::string_view user_id);

 private:
  SessionManager(SessionStore& store, SessionOptions options, SecurityEventSink& events,
                 const Clock& clock)
      : store_(&store), options_(options), events_(&events), clock_(&clock) {}
  Result<SessionRecord> Load(std::string_view session_id, std::int64_t now);

  SessionStore* store_;
  SessionOptions options_;
  SecurityEventSink* events_;
  const Clock* clock_;
};

// Hex SHA-256 of a token (how session ids and refresh tokens are stored).
std::string TokenHash(std::string_view token);

}  // namespace bulwark::auth
