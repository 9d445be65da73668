#pragma once
// Retention: deletes credentials that can no longer be used, and finished
// webhook deliveries, once their grace period (Config::retention_*) is over.
// Without it, revoked API keys, dead sessions and revoked refresh families
// stay in the database forever.
//
// What goes, and when (cutoff = now - grace):
//   sessions            expires_at <= cutoff, or idle (last_seen_at +
//                       session_idle) <= cutoff. A dead session row serves
//                       nothing: its cookie is refused either way.
//   refresh families    the family's absolute expires_at <= cutoff, revoked
//   (with their tokens) or not. Never earlier: while any token of a family
//                       could still be valid, the family row is what turns a
//                       replayed token into reuse detection (and a revoked
//                       family's tokens into "family revoked" in the audit
//                       trail); after its expiry every token of it is refused
//                       as expired anyway.
//   API keys            revoked_at, or expires_at, <= cutoff. Until then a
//                       leaked revoked key that is tried is still attributed
//                       to its account in the audit trail.
//   webhook deliveries  finished (succeeded or failed) and last updated
//                       <= cutoff; pending deliveries never.
// The audit trail is never touched (it is a hash chain, and append-only
// guards refuse deletes). Backup codes, TOTP replay state and files are
// bounded per account and go with the account; login throttling lives in
// memory or Redis with expiries; CSRF tokens are stateless.
//
// Every statement is parameterized and deletes a bounded batch, so a large
// backlog never holds one long transaction. Concurrent purges (several
// instances, or `bulwark admin purge` next to a running server) are safe:
// a row is deleted by exactly one of them, and each counts only the rows
// its own statements deleted, so the counts add up and never double.
//
// Thread-safety: PurgeExpired and ClaimPurgeRun are thread-safe (the
// database serializes). RetentionTimer: Start/Stop from one thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/db/database.h"
#include "config.h"

namespace bulwark::service {

struct PurgeCounts {
  std::int64_t sessions = 0;
  std::int64_t refresh_families = 0;
  std::int64_t refresh_tokens = 0;
  std::int64_t api_keys = 0;
  std::int64_t webhook_deliveries = 0;
  std::int64_t total() const {
    return sessions + refresh_families + refresh_tokens + api_keys + webhook_deliveries;
  }
  // "sessions=1 refresh_families=0 ..." (for the operator log and the CLI).
  std::string ToString() const;
};

// Deletes everything past retention at `now` (Unix seconds), in batches of
// `batch` rows; stops early (with what it deleted so far) once `*cancel` is
// set. On an error, the rows deleted before it stay deleted.
// REQUIRES: batch > 0.
Result<PurgeCounts> PurgeExpired(db::Database& db, const Config& config, std::int64_t now,
                                 std::int64_t batch = 500,
                                 const std::atomic<bool>* cancel = nullptr);

// Claims this interval's purge for the calling instance: true for exactly
// one caller per Config::retention_interval across every instance sharing
// the database (a compare-and-set on table maintenance_runs).
Result<bool> ClaimPurgeRun(db::Database& db, const Config& config, std::int64_t now);

// The one timer inside `bulwark serve`: shortly after Start and then every
// retention_interval, claims the run and purges; failures are logged and
// retried at the next tick. `db`, `config` and `clock` must outlive it.
class RetentionTimer {
 public:
  RetentionTimer(db::Database& db, const Config& config, const Clock& clock)
      : db_(db), config_(config), clock_(clock) {}
  ~RetentionTimer() { Stop(); }
  RetentionTimer(const RetentionTimer&) = delete;
  RetentionTimer& operator=(const RetentionTimer&) = delete;

  void Start();
  // Returns once a purge in progress has finished its current batch.
  void Stop();

 private:
  void Loop();

  db::Database& db_;
  const Config& config_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace bulwark::service
