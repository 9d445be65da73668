#include "retention.h"

#include <algorithm>
#include <vector>

#include "internal.h"

namespace bulwark::service {
namespace {

bool Cancelled(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

// One table, one kind of row: runs `one_batch` (a DELETE of at most `batch`
// rows) until a batch comes back short. Each DELETE re-checks its condition
// on the rows it deletes, so a row another purge deleted first is neither
// deleted nor counted twice.
template <class F>
Result<std::int64_t> DeleteInBatches(std::int64_t batch, const std::atomic<bool>* cancel,
                                     const F& one_batch) {
  std::int64_t total = 0;
  while (!Cancelled(cancel)) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, one_batch());
    total += n;
    if (n < batch) break;
  }
  return total;
}

}  // namespace

std::string PurgeCounts::ToString() const {
  return "sessions=" + std::to_string(sessions) +
         " refresh_families=" + std::to_string(refresh_families) +
         " refresh_tokens=" + std::to_string(refresh_tokens) + " api_keys=" + std::to_string(api_keys) +
         " webhook_deliveries=" + std::to_string(webhook_deliveries);
}

Result<PurgeCounts> PurgeExpired(db::Database& db, const Config& config, std::int64_t now,
                                 std::int64_t batch, const std::atomic<bool>* cancel) {
  BULWARK_CHECK(batch > 0);
  PurgeCounts counts;

  // Sessions: past their absolute end, or idle for longer than session_idle.
  const std::int64_t session_cutoff = now - config.retention_sessions.count();
  BULWARK_ASSIGN_OR_RETURN(
      counts.sessions,
      DeleteInBatches(batch, cancel, [&] {
        return db.Execute(
            "DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions "
            "WHERE expires_at <= ? OR last_seen_at <= ? LIMIT ?)",
            session_cutoff, session_cutoff - config.session_idle.count(), batch);
      }));

  // Refresh families only after their absolute expiry (+ grace), revoked or
  // not: until then the row is what makes a replayed token reuse. A family's
  // tokens go first, in the same transaction, so they are counted here and
  // not removed unseen by the cascade. No token is added to an expired
  // family (rotation refuses it first).
  const std::int64_t family_cutoff = now - config.retention_refresh_families.count();
  while (!Cancelled(cancel)) {
    BULWARK_ASSIGN_OR_RETURN(db::Rows due, db.Query("SELECT id FROM refresh_families WHERE "
                                                     "expires_at <= ? ORDER BY id LIMIT ?",
                                                     family_cutoff, batch));
    for (const db::Row& row : due) {
      BULWARK_ASSIGN_OR_RETURN(std::string id, row.Get<std::string>(0));
      BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db.Begin());
      BULWARK_ASSIGN_OR_RETURN(std::int64_t tokens,
                               tx.Execute("DELETE FROM refresh_tokens WHERE family_id = ?", id));
      BULWARK_ASSIGN_OR_RETURN(
          std::int64_t families,
          tx.Execute("DELETE FROM refresh_families WHERE id = ? AND expires_at <= ?", id, family_cutoff));
      BULWARK_RETURN_IF_ERROR(tx.Commit());
      counts.refresh_tokens += tokens;
      counts.refresh_families += families;
    }
    if (static_cast<std::int64_t>(due.size()) < batch) break;
  }

  // API keys: revoked or expired before the cutoff (0 means never).
  const std::int64_t key_cutoff = now - config.retention_api_keys.count();
  BULWARK_ASSIGN_OR_RETURN(
      counts.api_keys,
      DeleteInBatches(batch, cancel, [&] {
        return db.Execute(
            "DELETE FROM api_keys WHERE id IN (SELECT id FROM api_keys WHERE "
            "(revoked_at <> 0 AND revoked_at <= ?) OR (expires_at <> 0 AND expires_at <= ?) LIMIT ?)",
            key_cutoff, key_cutoff, batch);
      }));

  // Webhook deliveries: finished ones only; a pending delivery is work.
  const std::int64_t delivery_cutoff = now - config.retention_webhook_deliveries.count();
  BULWARK_ASSIGN_OR_RETURN(
      counts.webhook_deliveries,
      DeleteInBatches(batch, cancel, [&] {
        return db.Execute(
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries "
            "WHERE status <> 'pending' AND updated_at <= ? LIMIT ?)",
            delivery_cutoff, batch);
      }));
  return counts;
}

Result<bool> ClaimPurgeRun(db::Database& db, const Config& config, std::int64_t now) {
  // Compare-and-set: of several instances ticking at once, one moves the
  // mark and purges; the others see it moved and skip this interval.
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db.Execute("UPDATE maintenance_runs SET last_started_at = ? WHERE name = 'retention' AND "
                 "last_started_at <= ?",
                 now, now - config.retention_interval.count()));
  return n == 1;
}

void RetentionTimer::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = false;
  cancel_.store(false);
  thread_ = std::thread([this] { Loop(); });
}

void RetentionTimer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cancel_.store(true);
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RetentionTimer::Loop() {
  ScopeGuard scope({"retention", ""});
  // Ticks four times per interval: whichever instance ticks first after an
  // interval has passed claims the run, so purges happen about every
  // interval (at most a quarter later) however many instances there are.
  const auto tick = std::max<std::chrono::seconds>(config_.retention_interval / 4, std::chrono::seconds(1));
  while (true) {
    try {
      const std::int64_t now = clock_.NowUnixSeconds();
      Result<bool> claimed = ClaimPurgeRun(db_, config_, now);
      if (!claimed.ok()) {
        OpLog("warn", "retention: cannot claim the purge run: " + claimed.error().ToString());
      } else if (*claimed) {
        Result<PurgeCounts> purged = PurgeExpired(db_, config_, now, 500, &cancel_);
        if (!purged.ok()) {
          OpLog("warn", "retention: purge failed (retried next interval): " + purged.error().ToString());
        } else if (purged->total() > 0) {
          OpLog("info", "retention: purged " + purged->ToString());
        }
      }
    } catch (const std::exception& e) {
      OpLog("error", std::string("retention: ") + e.what());
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, tick, [&] { return stopping_; })) return;
  }
}

}  // namespace bulwark::service
