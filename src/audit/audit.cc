#include "bulwark/audit/audit.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fstream>

#include "bulwark/core/encoding.h"

namespace bulwark::audit {
namespace {

constexpr std::string_view kRedacted = "[redacted]";
constexpr std::int64_t kVerifyPage = 1000;

constexpr db::sql::Script kSqliteSchema = R"sql(
CREATE TABLE bulwark_audit_log (
  seq BIGINT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  request_id TEXT NOT NULL,
  client_address TEXT NOT NULL,
  details TEXT NOT NULL,
  mac BLOB NOT NULL
);
CREATE INDEX bulwark_audit_log_actor ON bulwark_audit_log (actor, seq);
CREATE INDEX bulwark_audit_log_action ON bulwark_audit_log (action, seq);
CREATE TABLE bulwark_audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  mac TEXT NOT NULL
);
INSERT INTO bulwark_audit_head (id, seq, mac) VALUES (1, 0, '');
)sql";
// Step two, SQLite: the same append-only guard PostgreSQL has from step one.
// (Whoever can write the SQLite file can drop a trigger; it stops mistakes
// and SQL injection elsewhere in the program, and the MAC chain and anchors
// are what detect the rest.)
constexpr db::sql::Script kSqliteGuards = R"sql(
CREATE TRIGGER bulwark_audit_log_no_update BEFORE UPDATE ON bulwark_audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER bulwark_audit_log_no_delete BEFORE DELETE ON bulwark_audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;
)sql";
// PostgreSQL's guard is part of step one; the step must still exist there so
// version numbers mean the same on both backends.
constexpr db::sql::Script kPostgresGuards = R"sql(
SELECT 1;
)sql";

constexpr db::sql::Script kPostgresSchema = R"sql(
CREATE TABLE bulwark_audit_log (
  seq BIGINT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  request_id TEXT NOT NULL,
  client_address TEXT NOT NULL,
  details TEXT NOT NULL,
  mac BYTEA NOT NULL
);
CREATE INDEX bulwark_audit_log_actor ON bulwark_audit_log (actor, seq);
CREATE INDEX bulwark_audit_log_action ON bulwark_audit_log (action, seq);
CREATE TABLE bulwark_audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  mac TEXT NOT NULL
);
INSERT INTO bulwark_audit_head (id, seq, mac) VALUES (1, 0, '');
CREATE FUNCTION bulwark_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  RAISE EXCEPTION 'audit log is append-only';
END
$body$;
CREATE TRIGGER bulwark_audit_log_append_only BEFORE UPDATE OR DELETE ON bulwark_audit_log
FOR EACH ROW EXECUTE FUNCTION bulwark_audit_refuse_change();
)sql";

void PutU64(Bytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void PutField(Bytes& out, std::string_view s) {
  PutU64(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

// The MAC input: unambiguous (every field length-prefixed) and covering the
// previous record's MAC, which chains the records.
Bytes MacInput(std::int64_t seq, std::int64_t time_ms, const AuditEntry& e,
               std::string_view details_json, ByteView prev_mac) {
  Bytes out;
  out.reserve(128 + details_json.size());
  PutField(out, "bulwark-audit-v1");
  PutU64(out, static_cast<std::uint64_t>(seq));
  PutU64(out, static_cast<std::uint64_t>(time_ms));
  for (std::string_view f : {std::string_view(e.actor), std::string_view(e.action),
                             std::string_view(e.target), std::string_view(e.outcome),
                             std::string_view(e.request_id), std::string_view(e.client_address),
                             details_json}) {
    PutField(out, f);
  }
  PutField(out, AsChars(prev_mac));
  return out;
}

bool LowerKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool SecretKeyName(std::string_view key) {
  static constexpr std::string_view kWords[] = {
      "password", "passwd", "secret", "token", "authorization", "cookie", "credential",
      "api_key", "apikey", "private", "otp", "totp", "code", "session_id", "pin", "ssn"};
  const std::string lower = LowerAscii(key);
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

bool B64UrlChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// A JWT/JWS, or a long unbroken run of token characters (opaque session ids,
// refresh tokens, API keys): records name objects by public handles instead.
bool LooksLikeToken(std::string_view v) {
  if (v.starts_with("eyJ") && std::count(v.begin(), v.end(), '.') >= 2) return true;
  std::size_t run = 0;
  for (char c : v) {
    run = B64UrlChar(c) ? run + 1 : 0;
    if (run >= 40) return true;
  }
  return false;
}

void JsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

Error Problem(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

}  // namespace

std::string_view SchemaName() noexcept { return "bulwark_audit"; }

db::sql::Script Schema(db::Backend backend) noexcept {
  return backend == db::Backend::kPostgres ? kPostgresSchema : kSqliteSchema;
}

std::string_view GuardsName() noexcept { return "bulwark_audit_append_only"; }

db::sql::Script AppendOnlyGuards(db::Backend backend) noexcept {
  return backend == db::Backend::kPostgres ? kPostgresGuards : kSqliteGuards;
}

std::string SanitizeField(std::string_view value, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(value.size(), max_bytes) + 8);
  std::size_t i = 0;
  auto escape = [&](std::uint32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "\\u{%x}", cp);
    out += buf;
  };
  while (i < value.size() && out.size() < max_bytes) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) {
        escape(c);  // CR/LF/NUL and friends: no forged lines
      } else if (c == '\\') {
        out += "\\\\";  // so an escape in the input cannot mimic ours
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence strictly (no overlongs, no surrogates).
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    std::uint32_t cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
    bool valid = len != 0 && c <= 0xF4 && i + len <= value.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(value[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (valid && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                  (cp >= 0xD800 && cp <= 0xDFFF))) {
      valid = false;
    }
    if (!valid) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    const bool control = (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
                         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 ||
                         cp == 0x200E || cp == 0x200F || cp == 0x061C;
    if (control) {
      escape(cp);  // C1 controls, bidi overrides, line separators
    } else {
      out.append(value.substr(i, len));
    }
    i += len;
  }
  if (out.size() > max_bytes) {
    // Cut at a character boundary.
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

Result<std::unique_ptr<AuditLog>> AuditLog::Create(db::Database& db,
                                                   const crypto::Keyset& mac_keyset,
                                                   AuditLogOptions options, const Clock& clock) {
  if (options.max_field_bytes < 16 || options.max_field_bytes > 4096 || options.max_details > 64) {
    return Problem("audit field limits out of range");
  }
  BULWARK_ASSIGN_OR_RETURN(crypto::Mac mac, crypto::Mac::Create(mac_keyset));
  return std::unique_ptr<AuditLog>(new AuditLog(db, std::move(mac), std::move(options), clock));
}

Result<std::int64_t> AuditLog::Append(const AuditEntry& raw) {
  // Sanitize first: what is MACed is exactly what is stored.
  AuditEntry e;
  const std::size_t max = options_.max_field_bytes;
  e.actor = SanitizeField(raw.actor, max);
  e.action = SanitizeField(raw.action, max);
  e.target = SanitizeField(raw.target, max);
  e.outcome = SanitizeField(raw.outcome, max);
  e.request_id = SanitizeField(raw.request_id, max);
  e.client_address = SanitizeField(raw.client_address, max);
  if (e.action.empty() || !std::all_of(e.action.begin(), e.action.end(), LowerKeyChar)) {
    return Problem("audit action must be [a-z0-9._-]+");
  }
  if (e.outcome != kSuccess && e.outcome != kFailure && e.outcome != kDenied) {
    return Problem("audit outcome must be success, failure or denied");
  }
  std::string details = "{";
  std::size_t count = 0;
  for (const auto& [key, value] : raw.details) {
    if (count == options_.max_details) break;
    std::string k = SanitizeField(LowerAscii(key), 64);
    if (k.empty() || !std::all_of(k.begin(), k.end(), LowerKeyChar)) continue;
    const bool redact = SecretKeyName(k) || LooksLikeToken(value);
    std::string v = redact ? std::string(kRedacted) : SanitizeField(value, max);
    if (count++ > 0) details += ',';
    JsonString(details, k);
    details += ':';
    JsonString(details, v);
  }
  details += '}';
  if (LooksLikeToken(e.target)) e.target = std::string(kRedacted);

  const std::int64_t time_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();

  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db_.Begin());
  Result<db::Row> head =
      db_.backend() == db::Backend::kPostgres
          ? tx.QueryRow("SELECT seq, mac FROM bulwark_audit_head WHERE id = 1 FOR UPDATE")
          : tx.QueryRow("SELECT seq, mac FROM bulwark_audit_head WHERE id = 1");
  if (!head.ok()) return std::move(head).error();
  BULWARK_ASSIGN_OR_RETURN(std::int64_t prev_seq, head->Get<std::int64_t>(0));
  BULWARK_ASSIGN_OR_RETURN(std::string prev_mac_text, head->Get<std::string>(1));
  Bytes prev_mac;
  if (!prev_mac_text.empty()) {
    Result<Bytes> decoded = Base64UrlDecode(prev_mac_text);
    if (!decoded.ok()) return Error(ErrorCode::kDataLoss, "audit head is corrupt");
    prev_mac = std::move(decoded).value();
  }
  const std::int64_t seq = prev_seq + 1;
  BULWARK_ASSIGN_OR_RETURN(Bytes mac, mac_.Compute(MacInput(seq, time_ms, e, details, prev_mac)));
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO bulwark_audit_log (seq, time_ms, actor, action, target, outcome, request_id, "
      "client_address, details, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      seq, time_ms, e.actor, e.action, e.target, e.outcome, e.request_id, e.client_address,
      details, mac));
  const std::string mac_text = Base64UrlEncode(mac);
  BULWARK_RETURN_IF_ERROR(
      tx.Execute("UPDATE bulwark_audit_head SET seq = ?, mac = ? WHERE id = 1", seq, mac_text));
  BULWARK_RETURN_IF_ERROR(tx.Commit());

  if (!options_.anchor_file.empty() && options_.anchor_every > 0 &&
      seq % options_.anchor_every == 0) {
    // Best effort: the record is committed; a failed anchor write only
    // weakens truncation detection and is reported to the caller's log.
    BULWARK_RETURN_IF_ERROR(AppendAnchor(options_.anchor_file, Anchor{seq, mac_text, time_ms}));
  }
  return seq;
}

Result<std::vector<AuditRecord>> AuditLog::Query(const AuditFilter& f) const {
  if (f.limit < 1 || f.limit > 500) return Problem("limit must be in [1, 500]");
  BULWARK_ASSIGN_OR_RETURN(
      db::Rows rows,
      db_.Query("SELECT seq, time_ms, actor, action, target, outcome, request_id, client_address, "
                "details FROM bulwark_audit_log "
                "WHERE (CAST(? AS TEXT) IS NULL OR actor = ?) "
                "AND (CAST(? AS TEXT) IS NULL OR action = ?) "
                "AND (CAST(? AS BIGINT) IS NULL OR time_ms >= ?) "
                "AND (CAST(? AS BIGINT) IS NULL OR time_ms <= ?) "
                "AND (CAST(? AS BIGINT) IS NULL OR seq < ?) "
                "ORDER BY seq DESC LIMIT ?",
                f.actor, f.actor, f.action, f.action, f.since_ms, f.since_ms, f.until_ms,
                f.until_ms, f.before_seq, f.before_seq, f.limit));
  std::vector<AuditRecord> out;
  for (const db::Row& row : rows) {
    AuditRecord r;
    BULWARK_ASSIGN_OR_RETURN(r.seq, row.Get<std::int64_t>(0));
    BULWARK_ASSIGN_OR_RETURN(r.time_ms, row.Get<std::int64_t>(1));
    BULWARK_ASSIGN_OR_RETURN(r.entry.actor, row.Get<std::string>(2));
    BULWARK_ASSIGN_OR_RETURN(r.entry.action, row.Get<std::string>(3));
    BULWARK_ASSIGN_OR_RETURN(r.entry.target, row.Get<std::string>(4));
    BULWARK_ASSIGN_OR_RETURN(r.entry.outcome, row.Get<std::string>(5));
    BULWARK_ASSIGN_OR_RETURN(r.entry.request_id, row.Get<std::string>(6));
    BULWARK_ASSIGN_OR_RETURN(r.entry.client_address, row.Get<std::string>(7));
    BULWARK_ASSIGN_OR_RETURN(r.details_json, row.Get<std::string>(8));
    out.push_back(std::move(r));
  }
  return out;
}

Result<Anchor> AuditLog::Head() const {
  BULWARK_ASSIGN_OR_RETURN(db::Row row,
                           db_.QueryRow("SELECT seq, mac FROM bulwark_audit_head WHERE id = 1"));
  Anchor a;
  BULWARK_ASSIGN_OR_RETURN(a.seq, row.Get<std::int64_t>(0));
  BULWARK_ASSIGN_OR_RETURN(a.mac, row.Get<std::string>(1));
  a.time_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  return a;
}

std::string_view ChainProblemName(ChainProblem problem) noexcept {
  switch (problem) {
    case ChainProblem::kNone: return "none";
    case ChainProblem::kMissing: return "missing";
    case ChainProblem::kAltered: return "altered";
    case ChainProblem::kHeadMismatch: return "head_mismatch";
    case ChainProblem::kAnchorMismatch: return "anchor_mismatch";
  }
  return "unknown";
}

Result<VerifyReport> VerifyChain(db::Database& db, const crypto::Mac& mac,
                                 std::span<const Anchor> anchors) {
  VerifyReport report;
  auto fail = [&](std::int64_t seq, ChainProblem problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = problem;
    return report;
  };
  Bytes prev_mac;
  std::int64_t expected = 1;
  // Anchors sorted by seq, matched as the walk passes them.
  std::vector<Anchor> pending(anchors.begin(), anchors.end());
  std::sort(pending.begin(), pending.end(),
            [](const Anchor& a, const Anchor& b) { return a.seq < b.seq; });
  std::size_t next_anchor = 0;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(
        db::Rows rows,
        db.Query("SELECT seq, time_ms, actor, action, target, outcome, request_id, "
                 "client_address, details, mac FROM bulwark_audit_log WHERE seq >= ? "
                 "ORDER BY seq LIMIT ?",
                 expected, kVerifyPage));
    if (rows.size() == 0) break;
    for (const db::Row& row : rows) {
      AuditEntry e;
      std::int64_t seq = 0;
      std::int64_t time_ms = 0;
      std::string details;
      Bytes stored_mac;
      BULWARK_ASSIGN_OR_RETURN(seq, row.Get<std::int64_t>(0));
      BULWARK_ASSIGN_OR_RETURN(time_ms, row.Get<std::int64_t>(1));
      BULWARK_ASSIGN_OR_RETURN(e.actor, row.Get<std::string>(2));
      BULWARK_ASSIGN_OR_RETURN(e.action, row.Get<std::string>(3));
      BULWARK_ASSIGN_OR_RETURN(e.target, row.Get<std::string>(4));
      BULWARK_ASSIGN_OR_RETURN(e.outcome, row.Get<std::string>(5));
      BULWARK_ASSIGN_OR_RETURN(e.request_id, row.Get<std::string>(6));
      BULWARK_ASSIGN_OR_RETURN(e.client_address, row.Get<std::string>(7));
      BULWARK_ASSIGN_OR_RETURN(details, row.Get<std::string>(8));
      BULWARK_ASSIGN_OR_RETURN(stored_mac, row.Get<Bytes>(9));
      if (seq != expected) return fail(expected, ChainProblem::kMissing);
      if (!mac.Verify(MacInput(seq, time_ms, e, details, prev_mac), stored_mac)) {
        return fail(seq, ChainProblem::kAltered);
      }
      while (next_anchor < pending.size() && pending[next_anchor].seq == seq) {
        if (pending[next_anchor].mac != Base64UrlEncode(stored_mac)) {
          return fail(seq, ChainProblem::kAnchorMismatch);
        }
        ++next_anchor;
      }
      prev_mac = std::move(stored_mac);
      ++report.records;
      ++expected;
    }
  }
  if (next_anchor < pending.size()) {
    // An anchor beyond the last record: the tail was cut off.
    return fail(pending[next_anchor].seq, ChainProblem::kAnchorMismatch);
  }
  BULWARK_ASSIGN_OR_RETURN(db::Row head,
                           db.QueryRow("SELECT seq, mac FROM bulwark_audit_head WHERE id = 1"));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t head_seq, head.Get<std::int64_t>(0));
  BULWARK_ASSIGN_OR_RETURN(std::string head_mac, head.Get<std::string>(1));
  const std::string last_mac = prev_mac.empty() ? std::string() : Base64UrlEncode(prev_mac);
  if (head_seq != report.records || head_mac != last_mac) {
    return fail(report.records + 1, ChainProblem::kHeadMismatch);
  }
  return report;
}

Result<void> AppendAnchor(const std::string& path, const Anchor& anchor) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Error(ErrorCode::kUnavailable, "cannot open the audit anchor file");
  const std::string line = std::to_string(anchor.seq) + " " + anchor.mac + " " +
                           std::to_string(anchor.time_ms) + "\n";
  const ssize_t n = ::write(fd, line.data(), line.size());
  const int sync = ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size()) || sync != 0) {
    return Error(ErrorCode::kUnavailable, "cannot write the audit anchor file");
  }
  return Ok();
}

Result<std::vector<Anchor>> ReadAnchors(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(ErrorCode::kNotFound, "cannot read the audit anchor file");
  std::vector<Anchor> out;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const std::size_t a = line.find(' ');
    const std::size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
    Anchor anchor;
    auto parse = [](std::string_view s, std::int64_t* v) {
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
      return ec == std::errc() && p == s.data() + s.size();
    };
    if (b == std::string::npos || !parse(std::string_view(line).substr(0, a), &anchor.seq) ||
        !parse(std::string_view(line).substr(b + 1), &anchor.time_ms) || anchor.seq < 1) {
      return Error(ErrorCode::kInvalidArgument,
                   "malformed audit anchor file at line " + std::to_string(line_no));
    }
    anchor.mac = line.substr(a + 1, b - a - 1);
    if (!Base64UrlDecode(anchor.mac).ok()) {
      return Error(ErrorCode::kInvalidArgument,
                   "malformed audit anchor file at line " + std::to_string(line_no));
    }
    out.push_back(std::move(anchor));
    if (out.size() > 10'000'000) return Error(ErrorCode::kResourceExhausted, "anchor file too large");
  }
  return out;
}

}  // namespace bulwark::audit
