// Helpers: JSON output, problems, metrics, login throttling, request scope,
// body validation.

#include <charconv>
#include <cmath>
#include <cstdio>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hash.h"
#include "bulwark/crypto/random.h"
#include "bulwark/http/builtin.h"
#include "internal.h"

namespace bulwark::service {

JsonValue J(std::string s) { return JsonValue::String(std::move(s)); }
JsonValue J(const char* s) { return JsonValue::String(s); }
JsonValue J(std::int64_t i) { return JsonValue::Int(i); }
JsonValue JB(bool b) { return JsonValue::Bool(b); }
JsonValue JObj(std::vector<std::pair<std::string, JsonValue>> members) {
  JsonValue::Object obj;
  obj.reserve(members.size());
  for (auto& [k, v] : members) obj.push_back(validate::JsonMember{std::move(k), std::move(v)});
  return JsonValue::MakeObject(std::move(obj));
}
JsonValue JArr(std::vector<JsonValue> items) { return JsonValue::MakeArray(std::move(items)); }

http::Response JsonResponse(int status, const JsonValue& body) {
  return http::Response::Json(status, body.Serialize());
}

http::Response ProblemResponse(const http::Request& req, int status, std::string_view detail) {
  return http::Response::Problem(status, req.context().request_id, detail);
}

std::string HashToken(std::string_view token) {
  crypto::Sha256Digest d = crypto::Sha256(AsBytes(token));
  return HexEncode(ByteView(d.data(), d.size()));
}

std::string RandomId() { return crypto::RandomToken(16); }

// ---- Request scope -------------------------------------------------------------

namespace {
thread_local RequestScope tls_scope;
}  // namespace

const RequestScope& CurrentScope() { return tls_scope; }
ScopeGuard::ScopeGuard(RequestScope scope) { tls_scope = std::move(scope); }
ScopeGuard::~ScopeGuard() { tls_scope = RequestScope{}; }

// ---- Bodies ----------------------------------------------------------------------

Body ParseBody(const http::Request& req, const validate::Schema& schema, bool optional) {
  Body out;
  const auto& parsed = req.context().json_body;
  if (!parsed) {
    if (optional && req.body_size() == 0) {
      out.value = JsonValue::MakeObject({});
      return out;
    }
    validate::ValidationReport report;
    report.Add("", validate::ViolationCode::kRequired, "a JSON body is required");
    http::Response r(422);
    std::string body = report.ToProblemJson();
    if (!body.empty() && body.back() == '}') {
      body.pop_back();
      body += ",\"request_id\":\"" + req.context().request_id + "\"}";
    }
    r.SetBody(std::move(body), "application/problem+json");
    out.error = std::move(r);
    return out;
  }
  validate::Checked<Valid<JsonValue>> checked =
      schema.Validate(Untrusted<JsonValue>(parsed->UnvalidatedValue()));
  if (!checked.ok()) {
    const validate::ValidationReport& report = checked.report();
    http::Response r(report.HttpStatus());
    std::string body = report.ToProblemJson();
    if (!body.empty() && body.back() == '}') {
      body.pop_back();
      body += ",\"request_id\":\"" + req.context().request_id + "\"}";
    }
    r.SetBody(std::move(body), "application/problem+json");
    out.error = std::move(r);
    return out;
  }
  out.value = std::move(checked).value().value();
  return out;
}

JsonValue UserObject(const User& u) {
  return JObj({{"id", J(u.id)},
               {"email", J(u.email)},
               {"display_name", J(u.display_name)},
               {"role", J(u.role)},
               {"email_verified", JB(u.email_verified)},
               {"mfa_enabled", JB(u.mfa_enabled())},
               {"locked", JB(u.locked)},
               {"created_at", J(u.created_at)}});
}
std::string UserJson(const User& u) { return UserObject(u).Serialize(); }

Result<User> UserFromRow(const db::Row& row) {
  User u;
  BULWARK_ASSIGN_OR_RETURN(u.id, row.Get<std::string>("id"));
  BULWARK_ASSIGN_OR_RETURN(u.email, row.Get<std::string>("email"));
  BULWARK_ASSIGN_OR_RETURN(u.password_hash, row.Get<std::string>("password_hash"));
  BULWARK_ASSIGN_OR_RETURN(u.display_name, row.Get<std::string>("display_name"));
  BULWARK_ASSIGN_OR_RETURN(u.role, row.Get<std::string>("role"));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t locked, row.Get<std::int64_t>("locked"));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t verified, row.Get<std::int64_t>("email_verified"));
  BULWARK_ASSIGN_OR_RETURN(u.totp_secret, row.Get<std::string>("totp_secret"));
  BULWARK_ASSIGN_OR_RETURN(u.totp_pending, row.Get<std::string>("totp_pending"));
  BULWARK_ASSIGN_OR_RETURN(u.credentials_changed_at, row.Get<std::int64_t>("credentials_changed_at"));
  BULWARK_ASSIGN_OR_RETURN(u.created_at, row.Get<std::int64_t>("created_at"));
  u.locked = locked != 0;
  u.email_verified = verified != 0;
  return u;
}

// ---- Metrics -----------------------------------------------------------------------

namespace {
std::string_view FieldText(std::string_view line, std::string_view key) {
  // Keys are matched with their quotes; values are JSON-escaped, so a quoted
  // key cannot appear inside another field's value.
  std::string needle = ",\"" + std::string(key) + "\":\"";
  std::size_t at = line.find(needle);
  if (at == std::string_view::npos) return {};
  std::size_t start = at + needle.size();
  std::size_t end = line.find('"', start);
  if (end == std::string_view::npos) return {};
  return line.substr(start, end - start);
}
std::int64_t FieldInt(std::string_view line, std::string_view key) {
  std::string needle = ",\"" + std::string(key) + "\":";
  std::size_t at = line.find(needle);
  if (at == std::string_view::npos) return -1;
  std::size_t start = at + needle.size();
  std::int64_t v = -1;
  std::from_chars(line.data() + start, line.data() + line.size(), v);
  return v;
}
std::string LabelEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

void Metrics::ObserveAccessLine(std::string_view line) {
  std::string route(FieldText(line, "route").substr(0, 128));
  if (route.empty()) route = "unmatched";
  std::int64_t status = FieldInt(line, "status");
  std::int64_t micros = FieldInt(line, "duration_us");
  double seconds = micros < 0 ? 0.0 : static_cast<double>(micros) / 1e6;
  std::lock_guard lock(mu_);
  ++requests_[{route, static_cast<int>(status)}];
  std::size_t i = 0;
  while (i < kBucketCount && seconds > kBuckets[i]) ++i;
  ++buckets_[i];
  duration_sum_ += seconds;
  ++duration_count_;
  if (status == 429) ++rate_limited_;
}

void Metrics::AuthFailure(std::string_view kind) {
  std::lock_guard lock(mu_);
  ++auth_failures_[std::string(kind)];
}

std::string Metrics::Render(const crypto::HashingPoolStats& pool) const {
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP bulwark_http_requests_total HTTP requests by route template and status.\n";
  out += "# TYPE bulwark_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out += "bulwark_http_requests_total{route=\"" + LabelEscape(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP bulwark_http_request_duration_seconds Time to produce a response.\n";
  out += "# TYPE bulwark_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    cumulative += buckets_[i];
    char le[32];
    std::snprintf(le, sizeof le, "%g", kBuckets[i]);
    out += "bulwark_http_request_duration_seconds_bucket{le=\"" + std::string(le) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_[kBucketCount];
  out += "bulwark_http_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  char sum[64];
  std::snprintf(sum, sizeof sum, "%.6f", duration_sum_);
  out += "bulwark_http_request_duration_seconds_sum " + std::string(sum) + "\n";
  out += "bulwark_http_request_duration_seconds_count " + std::to_string(duration_count_) + "\n";
  out += "# HELP bulwark_rate_limited_total Requests refused with 429 (global limit and login throttle).\n";
  out += "# TYPE bulwark_rate_limited_total counter\n";
  out += "bulwark_rate_limited_total " + std::to_string(rate_limited_) + "\n";
  out += "# HELP bulwark_login_throttled_total Login attempts refused by the per-account/address backoff.\n";
  out += "# TYPE bulwark_login_throttled_total counter\n";
  out += "bulwark_login_throttled_total " + std::to_string(throttled_.load()) + "\n";
  out += "# HELP bulwark_auth_failures_total Failed authentications by kind.\n";
  out += "# TYPE bulwark_auth_failures_total counter\n";
  for (const auto& [kind, n] : auth_failures_) {
    out += "bulwark_auth_failures_total{kind=\"" + LabelEscape(kind) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP bulwark_audit_write_failures_total Audit records that could not be written.\n";
  out += "# TYPE bulwark_audit_write_failures_total counter\n";
  out += "bulwark_audit_write_failures_total " + std::to_string(audit_failures_.load()) + "\n";
  out += "# HELP bulwark_hash_pool_queued Password hashes waiting for a worker.\n";
  out += "# TYPE bulwark_hash_pool_queued gauge\n";
  out += "bulwark_hash_pool_queued " + std::to_string(pool.queued) + "\n";
  out += "# TYPE bulwark_hash_pool_running gauge\n";
  out += "bulwark_hash_pool_running " + std::to_string(pool.running) + "\n";
  out += "# TYPE bulwark_hash_pool_completed_total counter\n";
  out += "bulwark_hash_pool_completed_total " + std::to_string(pool.completed) + "\n";
  out += "# HELP bulwark_hash_pool_rejected_total Hashes refused because the pool was busy.\n";
  out += "# TYPE bulwark_hash_pool_rejected_total counter\n";
  out += "bulwark_hash_pool_rejected_total{reason=\"full\"} " + std::to_string(pool.rejected_full) + "\n";
  out += "bulwark_hash_pool_rejected_total{reason=\"timeout\"} " +
         std::to_string(pool.rejected_timeout) + "\n";
  return out;
}

// ---- Login throttle ------------------------------------------------------------------

namespace {

constexpr http::BackoffRule kPairRule{.free_failures = 5, .max_wait = std::chrono::seconds(900),
                                      .forget_after = std::chrono::seconds(3600)};
constexpr http::BackoffRule kAccountRule{.free_failures = 20, .max_wait = std::chrono::seconds(60),
                                         .forget_after = std::chrono::seconds(3600)};
constexpr http::BackoffRule kAddressRule{.free_failures = 50, .max_wait = std::chrono::seconds(900),
                                         .forget_after = std::chrono::seconds(3600)};
constexpr http::BackoffRule kSecondFactorRule{.free_failures = 5, .max_wait = std::chrono::seconds(900),
                                              .forget_after = std::chrono::seconds(86400)};
constexpr std::uint32_t kStuffingThreshold = kAddressRule.free_failures + 1;

struct ThrottleKeys {
  std::string pair, account, address, second_factor;
};

ThrottleKeys KeysFor(std::string_view account, std::string_view address) {
  const std::string acct = HashToken(account);
  // An IPv6 client usually holds a whole /64: counted per address, every
  // guess could come from a fresh one. The same prefixes as the rate limit.
  const std::string from = http::IpPrefix(address, 32, 64).value_or(std::string(address));
  ThrottleKeys k;
  k.pair = "p|" + acct + "|" + from;
  k.account = "a|" + acct;
  k.address = "i|" + from;
  k.second_factor = "m|" + acct;
  return k;
}

}  // namespace

Result<std::int64_t> LoginThrottle::RetryAfter(std::string_view account, std::string_view address) {
  const ThrottleKeys k = KeysFor(account, address);
  const std::string_view keys[] = {k.pair, k.account, k.address};
  BULWARK_ASSIGN_OR_RETURN(std::chrono::seconds wait, store_->Wait(keys));
  return static_cast<std::int64_t>(wait.count());
}

bool LoginThrottle::RecordFailure(std::string_view account, std::string_view address) {
  const ThrottleKeys k = KeysFor(account, address);
  const http::BackoffFailure failures[] = {
      {k.pair, kPairRule}, {k.account, kAccountRule}, {k.address, kAddressRule}};
  Result<std::vector<std::uint32_t>> counts = store_->RecordFailure(failures);
  if (!counts.ok()) {
    OpLog("error", "login throttle: cannot record a failure: " + counts.error().ToString());
    return false;
  }
  return (*counts)[2] == kStuffingThreshold;
}

Result<std::int64_t> LoginThrottle::SecondFactorRetryAfter(std::string_view account) {
  const std::string key = "m|" + HashToken(account);
  const std::string_view keys[] = {key};
  BULWARK_ASSIGN_OR_RETURN(std::chrono::seconds wait, store_->Wait(keys));
  return static_cast<std::int64_t>(wait.count());
}

bool LoginThrottle::RecordSecondFactorFailure(std::string_view account, std::string_view address) {
  const ThrottleKeys k = KeysFor(account, address);
  const http::BackoffFailure failures[] = {{k.pair, kPairRule},
                                           {k.account, kAccountRule},
                                           {k.address, kAddressRule},
                                           {k.second_factor, kSecondFactorRule}};
  Result<std::vector<std::uint32_t>> counts = store_->RecordFailure(failures);
  if (!counts.ok()) {
    OpLog("error", "login throttle: cannot record a failure: " + counts.error().ToString());
    return false;
  }
  return (*counts)[2] == kStuffingThreshold;
}

void LoginThrottle::RecordSuccess(std::string_view account, std::string_view address) {
  Result<void> r = store_->Forget(KeysFor(account, address).pair);
  if (!r.ok()) OpLog("error", "login throttle: cannot clear after a success: " + r.error().ToString());
}

}  // namespace bulwark::service
