// API keys (scoped, shown once, stored hashed) and the admin routes.

#include <charconv>

#include "bulwark/crypto/random.h"
#include "bulwark/core/encoding.h"
#include "internal.h"
#include "schemas.h"

namespace bulwark::service {


namespace {

using validate::Field;
using validate::Rule;

const std::vector<std::string>& KnownScopes() {
  static const std::vector<std::string> scopes{
      "me:read",    "me:write",    "sessions:read", "webhooks:read", "webhooks:write",
      "files:read", "files:write", "admin:read",    "admin:write"};
  return scopes;
}

const validate::Schema& ApiKeySchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("name", Rule::String().Length(1, 64)),
      Field("scopes", Rule::Array(Rule::String().OneOf(KnownScopes())).Items(1, 5)),
      Field("expires_at", Rule::Integer().Range(std::int64_t{0}, std::int64_t{4102444800}).Describe("Unix seconds; 0 or absent: no expiry"))
          .Optional(),
  }));
  return s;
}

// A query parameter as plain printable ASCII of at most `max` bytes.
std::optional<std::string> QueryText(const http::Request& req, std::string_view name,
                                     std::size_t max, bool* bad) {
  std::optional<Untrusted<std::string>> v = req.QueryParam(name);
  if (!v) {
    if (req.query().find(std::string(name) + "=") != std::string_view::npos) *bad = true;
    return std::nullopt;
  }
  const std::string& s = v->UnvalidatedValue();
  if (s.empty() || s.size() > max) {
    *bad = true;
    return std::nullopt;
  }
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) {
      *bad = true;
      return std::nullopt;
    }
  }
  return s;
}

std::optional<std::int64_t> QueryInt(const http::Request& req, std::string_view name,
                                     std::int64_t min, std::int64_t max, bool* bad) {
  std::optional<std::string> s = QueryText(req, name, 20, bad);
  if (!s) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size() || v < min || v > max) {
    *bad = true;
    return std::nullopt;
  }
  return v;
}

}  // namespace

void Service::Impl::AddKeyAndAdminRoutes() {
  using http::Method;
  routes.push_back({
      .method = Method::kPost, .path = "/v1/api-keys",
      .summary = "Create an API key (needs a sign-in within 15 minutes); the key is shown once",
      .tag = "api-keys", .access = Access::kUser, .body = &ApiKeySchema(),
      .responses = {201, 400, 401, 403, 409, 415, 422, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, ApiKeySchema());
        if (body.error) return std::move(*body.error);
        const std::int64_t now = clock->NowUnixSeconds();
        if (now - c->auth_time > kStepUpWindow) {
          return ProblemResponse(req, 403, "re-authentication required: sign in again");
        }
        std::int64_t expires_at = 0;
        if (const JsonValue* e = body.Find("expires_at")) expires_at = e->AsInt();
        if (expires_at != 0 && expires_at <= now) {
          return ProblemResponse(req, 422, "expires_at must be in the future");
        }
        std::string scopes;
        std::vector<JsonValue> scope_items;
        for (const JsonValue& s : body.Find("scopes")->AsArray()) {
          if (scopes.find(s.AsString()) != std::string::npos) continue;
          if (s.AsString().starts_with("admin:") && c->user.role != "admin") {
            return ProblemResponse(req, 403, "admin scopes need the admin role");
          }
          if (!scopes.empty()) scopes += ' ';
          scopes += s.AsString();
          scope_items.push_back(J(s.AsString()));
        }
        std::string id = HexEncode(crypto::RandomBytes(8));
        std::string secret = crypto::RandomToken(32);
        std::string name = *body.Str("name");
        // Under the account's row lock, and only if the account is as the
        // caller was authenticated: a key made concurrently with a password
        // change or a lock would otherwise be inserted after their
        // revocation and survive it.
        Result<db::Transaction> tx = db->Begin();
        if (!tx.ok()) return ProblemResponse(req, 503);
        Result<bool> unchanged = LockUnchangedUser(*tx, c->user);
        if (!unchanged.ok()) return ProblemResponse(req, 503);
        if (!*unchanged) return ProblemResponse(req, 401, "the account changed; sign in again");
        // The per-account limit, counted under the same lock as the insert:
        // concurrent creations would otherwise all pass a count made before
        // any of them inserted. Revoked and expired keys do not count.
        Result<db::Row> held = tx->QueryRow(
            "SELECT COUNT(*) FROM api_keys WHERE user_id = ? AND revoked_at = 0 "
            "AND (expires_at = 0 OR expires_at > ?)",
            c->user.id, now);
        if (!held.ok()) return ProblemResponse(req, 503);
        if (held->Get<std::int64_t>(0).value_or(0) >= kMaxApiKeysPerAccount) {
          return ProblemResponse(req, 409, "API key limit reached for this account; revoke one first");
        }
        Result<std::int64_t> n = tx->Execute(
            "INSERT INTO api_keys (id, user_id, name, secret_hash, scopes, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            id, c->user.id, name, HashToken(secret), scopes, now, expires_at);
        if (!n.ok() || !tx->Commit().ok()) return ProblemResponse(req, 503);
        Event(auth::SecurityEventType::kApiKeyCreated, c->user.id, "api_key:" + id);
        return JsonResponse(201, JObj({{"id", J(id)},
                                       {"name", J(name)},
                                       {"scopes", JArr(std::move(scope_items))},
                                       {"expires_at", J(expires_at)},
                                       {"key", J("bwk_" + id + "_" + secret)}}));
      }});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/api-keys", .summary = "The caller's API keys (never the secrets)",
      .tag = "api-keys", .access = Access::kUser, .responses = {200, 401, 403},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Result<db::Rows> rows = db->Query(
            "SELECT id, name, scopes, created_at, expires_at, revoked_at, last_used_at FROM api_keys "
            "WHERE user_id = ? ORDER BY created_at DESC",
            c->user.id);
        if (!rows.ok()) return ProblemResponse(req, 503);
        std::vector<JsonValue> items;
        for (const db::Row& row : *rows) {
          items.push_back(JObj({{"id", J(row.Get<std::string>(0).value_or(""))},
                                {"name", J(row.Get<std::string>(1).value_or(""))},
                                {"scopes", J(row.Get<std::string>(2).value_or(""))},
                                {"created_at", J(row.Get<std::int64_t>(3).value_or(0))},
                                {"expires_at", J(row.Get<std::int64_t>(4).value_or(0))},
                                {"revoked", JB(row.Get<std::int64_t>(5).value_or(0) != 0)},
                                {"last_used_at", J(row.Get<std::int64_t>(6).value_or(0))}}));
        }
        return JsonResponse(200, JObj({{"api_keys", JArr(std::move(items))}}));
      }});

  routes.push_back({
      .method = Method::kDelete, .path = "/v1/api-keys/{id}", .summary = "Revoke one of the caller's API keys",
      .tag = "api-keys", .access = Access::kUser, .responses = {204, 401, 403, 404},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        std::string id(req.PathText("id"));
        Result<std::int64_t> n = db->Execute(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at = 0",
            clock->NowUnixSeconds(), id, c->user.id);
        if (!n.ok()) return ProblemResponse(req, 503);
        if (*n == 0) return ProblemResponse(req, 404);
        Event(auth::SecurityEventType::kApiKeyRevoked, c->user.id, "api_key:" + id);
        return http::Response(204);
      }});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/admin/users",
      .summary = "List accounts (admin), ordered by id; page with ?after=<last id>", .tag = "admin",
      .access = Access::kAdmin, .api_key_scope = "admin:read", .responses = {200, 400, 401, 403},
      .query = {{"limit", "1..200, default 50"}, {"after", "the last id of the previous page"}},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        bool bad = false;
        std::int64_t limit = QueryInt(req, "limit", 1, 200, &bad).value_or(50);
        std::string after = QueryText(req, "after", 64, &bad).value_or("");
        if (bad) return ProblemResponse(req, 400, "bad query parameter");
        Result<db::Rows> rows = db->Query(
            "SELECT id, email, password_hash, display_name, role, locked, email_verified, "
            "totp_secret, totp_pending, credentials_changed_at, created_at FROM users "
            "WHERE id > ? ORDER BY id LIMIT ?",
            after, limit);
        if (!rows.ok()) return ProblemResponse(req, 503);
        std::vector<JsonValue> items;
        std::string last;
        for (const db::Row& row : *rows) {
          Result<User> u = UserFromRow(row);
          if (!u.ok()) continue;
          last = u->id;
          items.push_back(UserObject(*u));
        }
        Audit("user:" + c->user.id, "admin.users.list", "users", audit::kSuccess);
        std::vector<std::pair<std::string, JsonValue>> out{{"users", JArr(std::move(items))}};
        if (static_cast<std::int64_t>(rows->size()) == limit) out.emplace_back("next_after", J(last));
        return JsonResponse(200, JObj(std::move(out)));
      }});

  auto lock_route = [this](bool lock) {
    return [this, lock](http::Request& req, const Caller* c) -> http::Response {
      std::string id(req.PathText("id"));
      if (lock && id == c->user.id) return ProblemResponse(req, 409, "administrators cannot lock themselves");
      // One transaction holding every administrator's row lock (as account
      // deletion does): two administrators locking each other at once would
      // otherwise both succeed and leave no one to unlock either. The
      // second now sees that its caller was just locked (401). Since no one
      // locks themselves, an unlocked administrator always remains.
      Result<db::Transaction> tx = db->Begin();
      if (!tx.ok()) return ProblemResponse(req, 503);
      if (!tx->Execute("UPDATE users SET id = id WHERE role = 'admin'").ok()) return ProblemResponse(req, 503);
      Result<db::Rows> caller = tx->Query("SELECT locked FROM users WHERE id = ?", c->user.id);
      if (!caller.ok()) return ProblemResponse(req, 503);
      if (caller->empty() || (*caller)[0].Get<std::int64_t>(0).value_or(1) != 0) {
        return ProblemResponse(req, 401, "the account changed; sign in again");
      }
      Result<std::int64_t> n = tx->Execute("UPDATE users SET locked = ?, updated_at = ? WHERE id = ?",
                                           std::int64_t{lock ? 1 : 0}, clock->NowUnixSeconds(), id);
      if (!n.ok()) return ProblemResponse(req, 503);
      if (*n == 0) return ProblemResponse(req, 404);
      if (!tx->Commit().ok()) return ProblemResponse(req, 503);
      std::size_t sessions = 0, families = 0;
      std::int64_t api_keys = 0;
      if (lock) {
        sessions = RevokeSessions(id, "").value_or(0);
        families = RevokeFamilies(id, "account locked").value_or(0);
        // API keys are revoked, not only refused while locked: a lock is
        // what an admin does to a compromised account, and keys made by the
        // intruder must not come back with an unlock. The owner makes new
        // ones after the unlock.
        Result<std::int64_t> revoked = db->Execute(
            "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0",
            clock->NowUnixSeconds(), id);
        if (!revoked.ok()) {
          OpLog("error", "lock: revoking API keys failed: " + revoked.error().ToString());
          return ProblemResponse(req, 503);
        }
        api_keys = *revoked;
      }
      std::vector<std::pair<std::string, std::string>> details{
          {"sessions_revoked", std::to_string(sessions)}, {"families_revoked", std::to_string(families)}};
      if (lock) details.emplace_back("api_keys_revoked", std::to_string(api_keys));
      Audit("user:" + c->user.id, lock ? "admin.user.lock" : "admin.user.unlock", "user:" + id,
            audit::kSuccess, std::move(details));
      Result<User> u = LoadUser(id);
      if (!u.ok()) return ProblemResponse(req, 503);
      return http::Response::Json(200, UserJson(*u));
    };
  };
  routes.push_back({.method = Method::kPost, .path = "/v1/admin/users/{id}/lock",
                    .summary = "Lock an account (admin): ends its sessions and refresh-token families and revokes "
                               "its API keys",
                    .tag = "admin", .access = Access::kAdmin, .api_key_scope = "admin:write",
                    .responses = {200, 401, 403, 404, 409, 503}, .handler = lock_route(true)});
  routes.push_back({.method = Method::kPost, .path = "/v1/admin/users/{id}/unlock",
                    .summary = "Unlock an account (admin)", .tag = "admin", .access = Access::kAdmin,
                    .api_key_scope = "admin:write", .responses = {200, 401, 403, 404, 503},
                    .handler = lock_route(false)});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/admin/audit",
      .summary = "Audit records, newest first (admin); page with ?before=<last seq>", .tag = "admin",
      .access = Access::kAdmin, .api_key_scope = "admin:read", .responses = {200, 400, 401, 403},
      .query = {{"actor", "e.g. user:<id>"},
                {"action", "e.g. login.failed"},
                {"since_ms", "UTC milliseconds, inclusive"},
                {"until_ms", "UTC milliseconds"},
                {"before", "sequence number cursor"},
                {"limit", "1..500, default 50"}},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        bool bad = false;
        audit::AuditFilter f;
        f.actor = QueryText(req, "actor", 128, &bad);
        f.action = QueryText(req, "action", 128, &bad);
        f.since_ms = QueryInt(req, "since_ms", 0, std::int64_t{1} << 50, &bad);
        f.until_ms = QueryInt(req, "until_ms", 0, std::int64_t{1} << 50, &bad);
        f.before_seq = QueryInt(req, "before", 1, std::int64_t{1} << 62, &bad);
        f.limit = QueryInt(req, "limit", 1, 500, &bad).value_or(50);
        if (bad) return ProblemResponse(req, 400, "bad query parameter");
        Result<std::vector<audit::AuditRecord>> records = audit->Query(f);
        if (!records.ok()) return ProblemResponse(req, 503);
        std::vector<JsonValue> items;
        for (const audit::AuditRecord& r : *records) {
          validate::Checked<Untrusted<JsonValue>> details = validate::ParseJson(r.details_json);
          items.push_back(JObj({{"seq", J(r.seq)},
                                {"time_ms", J(r.time_ms)},
                                {"actor", J(r.entry.actor)},
                                {"action", J(r.entry.action)},
                                {"target", J(r.entry.target)},
                                {"outcome", J(r.entry.outcome)},
                                {"request_id", J(r.entry.request_id)},
                                {"client_address", J(r.entry.client_address)},
                                {"details", details.ok() ? details.value().UnvalidatedValue()
                                                         : JsonValue::MakeObject({})}}));
        }
        Audit("user:" + c->user.id, "admin.audit.read", "audit", audit::kSuccess);
        std::vector<std::pair<std::string, JsonValue>> out;
        if (!records->empty() && static_cast<std::int64_t>(records->size()) == f.limit) {
          out.emplace_back("next_before", J(records->back().seq));
        }
        out.emplace(out.begin(), "records", JArr(std::move(items)));
        return JsonResponse(200, JObj(std::move(out)));
      }});
}

}  // namespace bulwark::service
