#pragma once
// Tamper-evident audit trail. Every security event and admin action becomes
// a record (UTC time, actor, action, target, outcome, request id, client
// address, details) appended to an append-only table. Each record carries a
// MAC (HMAC-SHA256 under an audit keyset) over its contents and the previous
// record's MAC, so changing, deleting, inserting or reordering any record
// breaks the chain from that point. A head row holds the latest (seq, MAC),
// and anchors (the head copied out of the database: an operator log, a file
// on another volume) let VerifyChain detect a truncated tail as well.
//
//   BULWARK_ASSIGN_OR_RETURN(auto log, audit::AuditLog::Create(db, mac_keyset));
//   BULWARK_RETURN_IF_ERROR(log->Append({.actor = "user:42", .action = "login.succeeded",
//                                        .outcome = audit::kSuccess, .request_id = rid}));
//   BULWARK_ASSIGN_OR_RETURN(audit::VerifyReport report, audit::VerifyChain(db, mac));
//
// Records never hold secrets: fields are length-capped, control and bidi
// characters are escaped (log injection), invalid UTF-8 is replaced, and
// details whose key names a secret (password, token, secret, cookie, code,
// ...) or whose value looks like a bearer token are replaced by "[redacted]".
//
// Thread-safety: AuditLog is thread-safe; appends are serialized by the
// database (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL), so several
// processes may append to one database.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/crypto/keyset.h"
#include "bulwark/crypto/mac.h"
#include "bulwark/db/database.h"
#include "bulwark/db/migrate.h"

namespace bulwark::audit {

inline constexpr std::string_view kSuccess = "success";
inline constexpr std::string_view kFailure = "failure";
inline constexpr std::string_view kDenied = "denied";

struct AuditEntry {
  std::string actor;           // "user:42", "admin:7", "system", "" when unknown
  std::string action;          // "login.failed", "admin.user.lock", ...: [a-z0-9._-]+
  std::string target;          // what it acted on ("user:43", "session:ab12")
  std::string outcome;         // kSuccess, kFailure or kDenied
  std::string request_id;
  std::string client_address;
  std::vector<std::pair<std::string, std::string>> details;  // safe key/value pairs
};

struct AuditRecord {
  std::int64_t seq = 0;
  std::int64_t time_ms = 0;  // UTC, milliseconds since the Unix epoch
  AuditEntry entry;          // as stored (sanitized)
  std::string details_json;  // the details as stored: a JSON object
};

// The chain head, copied out of the database to detect truncation.
struct Anchor {
  std::int64_t seq = 0;
  std::string mac;  // base64url
  std::int64_t time_ms = 0;
};

struct AuditLogOptions {
  std::size_t max_field_bytes = 256;
  std::size_t max_details = 16;
  // Write an anchor line to `anchor_file` every this many appends (0: never).
  std::int64_t anchor_every = 100;
  std::string anchor_file;  // empty: no anchor file
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::int64_t> since_ms;
  std::optional<std::int64_t> until_ms;
  std::optional<std::int64_t> before_seq;  // pagination cursor: newest first
  std::int64_t limit = 50;                 // 1..500
};

// The schema, per backend (types and triggers differ). Append these to the
// program's migration list at a version of its choosing.
std::string_view SchemaName() noexcept;  // "bulwark_audit"
db::sql::Script Schema(db::Backend backend) noexcept;
// Second step, right after Schema: triggers that make the log table refuse
// UPDATE and DELETE on SQLite (PostgreSQL has them from the first step; the
// step is a no-op there).
std::string_view GuardsName() noexcept;  // "bulwark_audit_append_only"
db::sql::Script AppendOnlyGuards(db::Backend backend) noexcept;

// Cleans one field the way Append stores it (public for tests and for log
// lines that must be injection-safe too).
std::string SanitizeField(std::string_view value, std::size_t max_bytes);

class AuditLog {
 public:
  // REQUIRES: `db` outlives the log and has the schema applied.
  // Errors: kFailedPrecondition when the keyset's primary is not an HMAC key.
  static Result<std::unique_ptr<AuditLog>> Create(db::Database& db,
                                                  const crypto::Keyset& mac_keyset,
                                                  AuditLogOptions options = {},
                                                  const Clock& clock = SystemClock());

  // Appends one record; returns its sequence number. Errors: those of the
  // database (the record is either fully appended or not at all).
  Result<std::int64_t> Append(const AuditEntry& entry);

  // Newest first, filtered. Errors: kInvalidArgument for a bad limit.
  Result<std::vector<AuditRecord>> Query(const AuditFilter& filter) const;

  Result<Anchor> Head() const;

 private:
  AuditLog(db::Database& db, crypto::Mac mac, AuditLogOptions options, const Clock& clock)
      : db_(db), mac_(std::move(mac)), options_(std::move(options)), clock_(clock) {}

  db::Database& db_;
  crypto::Mac mac_;
  AuditLogOptions options_;
  const Clock& clock_;
};

enum class ChainProblem : std::uint8_t {
  kNone,
  kMissing,         // a sequence number is absent (deleted record)
  kAltered,         // a record's MAC does not match its contents and predecessor
  kHeadMismatch,    // the head row disagrees with the last record (tail deleted or head edited)
  kAnchorMismatch,  // an external anchor names a record that is gone or different
};
std::string_view ChainProblemName(ChainProblem problem) noexcept;

struct VerifyReport {
  bool ok = true;
  std::int64_t records = 0;        // records checked
  std::int64_t first_bad_seq = 0;  // where the first problem is (0 when ok)
  ChainProblem problem = ChainProblem::kNone;
};

// Walks the whole chain in sequence order. A MAC made with a key that is no
// longer enabled in `mac` counts as altered. Errors: database errors only;
// a broken chain is a report with ok == false.
Result<VerifyReport> VerifyChain(db::Database& db, const crypto::Mac& mac,
                                 std::span<const Anchor> anchors = {});

// Anchor files: one line per anchor, "seq mac time_ms".
Result<void> AppendAnchor(const std::string& path, const Anchor& anchor);
Result<std::vector<Anchor>> ReadAnchors(const std::string& path);

}  // namespace bulwark::audit
