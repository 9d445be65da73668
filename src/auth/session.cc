#include "bulwark/auth/session.h"

#include <algorithm>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hash.h"
#include "bulwark/crypto/random.h"

namespace bulwark::auth {
namespace {

constexpr std::size_t kSessionIdBytes = 32;
constexpr std::size_t kSessionIdChars = 43;  // base64url of 32 bytes

Error NoSession() { return Error(ErrorCode::kUnauthenticated, "session is invalid or expired"); }
Error StoreDown() { return Error(ErrorCode::kUnavailable, "session store unavailable"); }

bool WellFormedId(std::string_view id) {
  return id.size() == kSessionIdChars &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

SessionInfo InfoOf(const SessionRecord& r) {
  return {r.handle, r.user_id, r.auth_level, r.label, r.created_at, r.last_seen_at, r.expires_at};
}

}  // namespace

std::string TokenHash(std::string_view token) {
  return HexEncode(crypto::Sha256(AsBytes(token)));
}

// ---- MemorySessionStore --------------------------------------------------------

Result<SessionInsertResult> MemorySessionStore::InsertLimited(const SessionRecord& record,
                                                              std::size_t max_per_user,
                                                              SessionLimitPolicy policy,
                                                              std::int64_t now,
                                                              std::int64_t idle_cutoff) {
  std::lock_guard lock(mu_);
  std::vector<const SessionRecord*> live;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const SessionRecord& s = it->second;
    if (s.user_id == record.user_id && (s.expires_at <= now || s.last_seen_at <= idle_cutoff)) {
      it = sessions_.erase(it);
      continue;
    }
    if (s.user_id == record.user_id) live.push_back(&s);
    ++it;
  }
  SessionInsertResult result;
  if (live.size() >= max_per_user) {
    if (policy == SessionLimitPolicy::kRefuseNew) {
      return Error(ErrorCode::kResourceExhausted, "too many concurrent sessions");
    }
    std::sort(live.begin(), live.end(), [](const SessionRecord* a, const SessionRecord* b) {
      return a->last_seen_at < b->last_seen_at;
    });
    const std::size_t excess = live.size() - max_per_user + 1;
    std::vector<std::string> doomed;
    for (std::size_t i = 0; i < excess; ++i) {
      result.evicted.push_back(*live[i]);
      doomed.push_back(live[i]->id_hash);
    }
    for (const std::string& h : doomed) sessions_.erase(h);
  }
  if (!sessions_.emplace(record.id_hash, record).second) {
    return Error(ErrorCode::kAlreadyExists, "session id collision");
  }
  return result;
}

Result<std::optional<SessionRecord>> MemorySessionStore::Find(std::string_view id_hash) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id_hash);
  if (it == sessions_.end()) return std::optional<SessionRecord>();
  return std::optional<SessionRecord>(it->second);
}

Result<bool> MemorySessionStore::Touch(std::string_view id_hash, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id_hash);
  if (it == sessions_.end()) return false;
  it->second.last_seen_at = std::max(it->second.last_seen_at, now);
  return true;
}

Result<bool> MemorySessionStore::Replace(std::string_view old_id_hash,
                                         const SessionRecord& replacement) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(old_id_hash);
  if (it == sessions_.end()) return false;
  if (sessions_.count(replacement.id_hash) != 0) {
    return Error(ErrorCode::kAlreadyExists, "session id collision");
  }
  sessions_.erase(it);
  sessions_.emplace(replacement.id_hash, replacement);
  return true;
}

Result<bool> MemorySessionStore::Delete(std::string_view id_hash) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id_hash);
  if (it == sessions_.end()) return false;
  sessions_.erase(it);
  return true;
}

Result<bool> MemorySessionStore::DeleteByHandle(std::string_view user_id, std::string_view handle) {
  std::lock_guard lock(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->second.user_id == user_id && it->second.handle == handle) {
      sessions_.erase(it);
      return true;
    }
  }
  return false;
}

Result<std::vector<SessionRecord>> MemorySessionStore::ListByUser(std::string_view user_id) {
  std::lock_guard lock(mu_);
  std::vector<SessionRecord> out;
  for (const auto& [hash, s] : sessions_) {
    if (s.user_id == user_id) out.push_back(s);
  }
  std::sort(out.begin(), out.end(),
            [](const SessionRecord& a, const SessionRecord& b) { return a.created_at < b.created_at; });
  return out;
}

Result<std::size_t> MemorySessionStore::DeleteByUser(std::string_view user_id,
                                                     std::string_view keep_id_hash) {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(std::erase_if(sessions_, [&](const auto& entry) {
    return entry.second.user_id == user_id && entry.first != keep_id_hash;
  }));
}

// ---- SessionManager ---------------------------------------------------------

Result<SessionManager> SessionManager::Create(SessionStore& store, SessionOptions options,
                                              SecurityEventSink& events, const Clock& clock) {
  if (options.idle_timeout.count() <= 0 || options.absolute_timeout.count() <= 0 ||
      options.idle_timeout > options.absolute_timeout ||
      options.absolute_timeout > std::chrono::hours(24 * 30) || options.max_sessions_per_user == 0 ||
      options.touch_interval.count() < 0 || options.touch_interval >= options.idle_timeout) {
    return Error(ErrorCode::kInvalidArgument, "session options out of range");
  }
  return SessionManager(store, options, events, clock);
}

Result<NewSession> SessionManager::Start(std::string_view user_id, std::uint32_t auth_level,
                                         std::string_view label) {
  if (user_id.empty() || user_id.size() > 256 || label.size() > 256) {
    return Error(ErrorCode::kInvalidArgument, "user id or label out of range");
  }
  const std::int64_t now = clock_->NowUnixSeconds();
  std::string id = crypto::RandomToken(kSessionIdBytes);
  SessionRecord record;
  record.id_hash = TokenHash(id);
  record.handle = crypto::RandomToken(16);
  record.user_id = std::string(user_id);
  record.auth_level = auth_level;
  record.label = std::string(label);
  record.created_at = now;
  record.last_seen_at = now;
  record.expires_at = now + options_.absolute_timeout.count();
  Result<SessionInsertResult> inserted =
      store_->InsertLimited(record, options_.max_sessions_per_user, options_.limit_policy, now,
                            now - options_.idle_timeout.count());
  if (!inserted.ok()) {
    if (inserted.error().code() == ErrorCode::kResourceExhausted) return inserted.error();
    return StoreDown();
  }
  for (const SessionRecord& gone : inserted->evicted) {
    Emit(*events_, SecurityEventType::kSessionEvicted, now, gone.user_id, gone.handle,
         "concurrent session limit");
  }
  Emit(*events_, SecurityEventType::kSessionCreated, now, record.user_id, record.handle);
  return NewSession{SecretString::Adopt(std::move(id)), InfoOf(record)};
}

Result<SessionRecord> SessionManager::Load(std::string_view session_id, std::int64_t now) {
  if (!WellFormedId(session_id)) return NoSession();
  const std::string hash = TokenHash(session_id);
  Result<std::optional<SessionRecord>> found = store_->Find(hash);
  if (!found.ok()) return StoreDown();
  if (!found->has_value()) return NoSession();
  SessionRecord record = std::move(**found);
  if (now >= record.expires_at || now - record.last_seen_at >= options_.idle_timeout.count()) {
    (void)store_->Delete(hash);
    return NoSession();
  }
  return record;
}

Result<SessionInfo> SessionManager::Validate(Untrusted<std::string_view> session_id) {
  const std::int64_t now = clock_->NowUnixSeconds();
  BULWARK_ASSIGN_OR_RETURN(SessionRecord record, Load(session_id.UnvalidatedValue(), now));
  if (now - record.last_seen_at >= options_.touch_interval.count()) {
    Result<bool> touched = store_->Touch(record.id_hash, now);
    if (!touched.ok()) return StoreDown();
    if (!*touched) return NoSession();  // revoked meanwhile
    record.last_seen_at = now;
  }
  return InfoOf(record);
}

Result<NewSession> SessionManager::Rotate(Untrusted<std::string_view> session_id,
                                          std::uint32_t new_auth_level) {
  const std::int64_t now = clock_->NowUnixSeconds();
  BULWARK_ASSIGN_OR_RETURN(SessionRecord record, Load(session_id.UnvalidatedValue(), now));
  const std::string old_hash = record.id_hash;
  std::string id = crypto::RandomToken(kSessionIdBytes);
  record.id_hash = TokenHash(id);
  record.auth_level = new_auth_level;
  record.last_seen_at = now;
  Result<bool> replaced = store_->Replace(old_hash, record);
  if (!replaced.ok()) return StoreDown();
  if (!*replaced) return NoSession();
  Emit(*events_, SecurityEventType::kSessionRotated, now, record.user_id, record.handle, {},
       {{"auth_level", std::to_string(new_auth_level)}});
  return NewSession{SecretString::Adopt(std::move(id)), InfoOf(record)};
}

Result<void> SessionManager::Revoke(Untrusted<std::string_view> session_id) {
  const std::string_view id = session_id.UnvalidatedValue();
  if (!WellFormedId(id)) return NoSession();
  const std::string hash = TokenHash(id);
  Result<std::optional<SessionRecord>> found = store_->Find(hash);
  if (!found.ok()) return StoreDown();
  if (!found->has_value()) return NoSession();
  Result<bool> deleted = store_->Delete(hash);
  if (!deleted.ok()) return StoreDown();
  Emit(*events_, SecurityEventType::kSessionRevoked, clock_->NowUnixSeconds(), (*found)->user_id,
       (*found)->handle, "logout");
  return Ok();
}

Result<void> SessionManager::RevokeByHandle(std::string_view user_id, std::string_view handle) {
  Result<bool> deleted = store_->DeleteByHandle(user_id, handle);
  if (!deleted.ok()) return StoreDown();
  if (!*deleted) return Error(ErrorCode::kNotFound, "no such session");
  Emit(*events_, SecurityEventType::kSessionRevoked, clock_->NowUnixSeconds(), std::string(user_id),
       std::string(handle), "revoked by handle");
  return Ok();
}

Result<std::size_t> SessionManager::RevokeAll(std::string_view user_id) {
  Result<std::size_t> n = store_->DeleteByUser(user_id, {});
  if (!n.ok()) return StoreDown();
  Emit(*events_, SecurityEventType::kSessionRevoked, clock_->NowUnixSeconds(), std::string(user_id),
       {}, "all sessions", {{"count", std::to_string(*n)}});
  return *n;
}

Result<std::size_t> SessionManager::RevokeAllExcept(std::string_view user_id,
                                                    Untrusted<std::string_view> current) {
  const std::int64_t now = clock_->NowUnixSeconds();
  BULWARK_ASSIGN_OR_RETURN(SessionRecord record, Load(current.UnvalidatedValue(), now));
  if (record.user_id != user_id) return NoSession();
  Result<std::size_t> n = store_->DeleteByUser(user_id, record.id_hash);
  if (!n.ok()) return StoreDown();
  Emit(*events_, SecurityEventType::kSessionRevoked, now, std::string(user_id), {},
       "all other sessions", {{"count", std::to_string(*n)}});
  return *n;
}

Result<std::size_t> SessionManager::OnPasswordChanged(std::string_view user_id) {
  return RevokeAll(user_id);
}

Result<std::vector<SessionInfo>> SessionManager::List(std::string_view user_id) {
  const std::int64_t now = clock_->NowUnixSeconds();
  Result<std::vector<SessionRecord>> records = store_->ListByUser(user_id);
  if (!records.ok()) return StoreDown();
  std::vector<SessionInfo> out;
  for (const SessionRecord& r : *records) {
    if (now < r.expires_at && now - r.last_seen_at < options_.idle_timeout.count()) {
      out.push_back(InfoOf(r));
    }
  }
  return out;
}

}  // namespace bulwark::auth
