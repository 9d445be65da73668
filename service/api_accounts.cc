// Accounts, browser sessions and the caller's own profile.

#include <algorithm>
#include <cctype>
#include <chrono>

#include "bulwark/crypto/random.h"
#include "bulwark/http/builtin.h"
#include "bulwark/http/cookies.h"
#include "internal.h"
#include "schemas.h"

namespace bulwark::service {


namespace {

using validate::Field;
using validate::Rule;

const validate::Schema& RegisterSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("email", EmailRule()),
      Field("password", PasswordRule()),
      Field("display_name", DisplayNameRule()),
  }));
  return s;
}
const validate::Schema& LoginSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("email", Rule::String().Length(1, 254)),
      Field("password", PasswordRule()),
      Field("totp_code", TotpCodeRule()).Optional(),
      Field("backup_code", BackupCodeRule()).Optional(),
  }));
  return s;
}
const validate::Schema& PatchMeSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("display_name", DisplayNameRule()).Optional(),
  }));
  return s;
}
const validate::Schema& PasswordSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("current_password", PasswordRule()),
      Field("new_password", PasswordRule()),
      // Required (one of them) when TOTP is enrolled: the password alone is
      // what a phished or shoulder-surfed victim loses, and changing it
      // would lock the owner out and end their sessions.
      Field("totp_code", TotpCodeRule()).Optional(),
      Field("backup_code", BackupCodeRule()).Optional(),
  }));
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

http::Response PasswordProblem(const http::Request& req, std::string_view pointer,
                               crypto::PasswordProblem problem) {
  JsonValue body = JObj({{"type", J("about:blank")},
                         {"title", J("Unprocessable Content")},
                         {"status", J(std::int64_t{422})},
                         {"errors", JArr({JObj({{"pointer", J(std::string(pointer))},
                                                {"code", J(std::string(crypto::PasswordProblemCode(problem)))},
                                                {"detail", J("the password is too weak or too common")}})})},
                         {"request_id", J(std::string(req.context().request_id))}});
  http::Response r(422);
  r.SetBody(body.Serialize(), "application/problem+json");
  return r;
}

}  // namespace

// Shared by the JSON API and the web form: Retry-After, and for refusals
// that did no password work (throttled, pool busy) a held answer, so a
// flood of guesses on one connection gets about one answer a second
// instead of thousands of cheap 429s competing with real traffic for CPU.
void MarkLoginRefusal(http::Response& resp, const Service::Impl::LoginResult& r) {
  if (r.retry_after > 0) resp.SetHeader("Retry-After", std::to_string(r.retry_after));
  if (r.status == 429 || r.status == 503) {
    resp.set_delay(std::chrono::seconds(1));
  }
}

http::Response LoginFailure(const http::Request& req, const Service::Impl::LoginResult& r) {
  http::Response resp = ProblemResponse(req, r.status, r.detail);
  MarkLoginRefusal(resp, r);
  return resp;
}

void Service::Impl::AddAccountRoutes() {
  using http::Method;
  routes.push_back({
      .method = Method::kPost, .path = "/v1/accounts",
      .summary = "Register an account. The answer is the same whether or not the email is taken.",
      .tag = "accounts", .access = Access::kPublic, .body = &RegisterSchema(),
      .responses = {201, 400, 413, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller*) -> http::Response {
        Body body = ParseBody(req, RegisterSchema());
        if (body.error) return std::move(*body.error);
        // Accounts are free and each can hold files, webhooks and keys: one
        // address (IPv6: its /64) gets registrations_per_hour at once and
        // then that many an hour, before any hashing work. The answer does
        // not depend on the email, so it tells nothing about it.
        const std::string& ip = req.context().client_ip;
        Result<http::RateDecision> admitted = registrations->Acquire(
            "r|" + http::IpPrefix(ip, 32, 64).value_or(ip),
            {.limit = config.registrations_per_hour, .period = std::chrono::hours(1)});
        if (!admitted.ok()) {
          OpLog("error", "register: rate limit store unavailable: " + admitted.error().ToString());
          http::Response r = ProblemResponse(req, 503, "busy; try again shortly");
          r.SetHeader("Retry-After", "1");
          return r;
        }
        if (!admitted->allowed) {
          http::Response r = ProblemResponse(req, 429, "too many registrations from this address; try again later");
          const auto wait = std::chrono::ceil<std::chrono::seconds>(admitted->retry_after).count();
          r.SetHeader("Retry-After", std::to_string(std::max<std::int64_t>(1, wait)));
          r.set_delay(std::chrono::seconds(1));
          return r;
        }
        std::string email = Lower(*body.Str("email"));
        std::string display_name = *body.Str("display_name");
        SecretString password = SecretString::CopyFrom(AsBytes(*body.Str("password")));
        if (auto problem = policy->Check(password, {email, display_name, "bulwark"})) {
          return PasswordProblem(req, "/password", *problem);
        }
        // Hash first, on both paths: a taken email costs the same time.
        Result<std::string> hash = pool->Hash(*hasher, password);
        if (!hash.ok()) {
          http::Response r = ProblemResponse(req, 503, "busy; try again shortly");
          r.SetHeader("Retry-After", "1");
          return r;
        }
        const std::int64_t now = clock->NowUnixSeconds();
        std::string id = RandomId();
        std::string verify_token = crypto::RandomToken(32);
        Result<std::int64_t> inserted = db->Execute(
            "INSERT INTO users (id, email, password_hash, display_name, email_token_hash, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
            id, email, *hash, display_name, HashToken(verify_token), now, now);
        if (!inserted.ok()) {
          OpLog("error", "register: insert failed: " + inserted.error().ToString());
          return ProblemResponse(req, 503);
        }
        if (*inserted == 1) {
          Audit("user:" + id, "account.created", "user:" + id, audit::kSuccess);
        } else {
          // The owner would be told by email; the caller learns nothing.
          Audit("", "account.register_duplicate", "", audit::kFailure);
        }
        return JsonResponse(201, JObj({{"status", J("accepted")},
                                       {"message", J("If the address can be registered, the account "
                                                     "is ready to sign in; a verification message "
                                                     "is recorded for it.")}}));
      }});

  routes.push_back({
      .method = Method::kPost, .path = "/v1/sessions",
      .summary = "Sign in with a browser session: sets the __Host-session cookie and returns a CSRF token",
      .tag = "sessions", .access = Access::kPublic, .body = &LoginSchema(),
      .responses = {201, 400, 401, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller*) -> http::Response {
        Body body = ParseBody(req, LoginSchema());
        if (body.error) return std::move(*body.error);
        std::optional<std::string> totp_code = body.Str("totp_code");
        std::optional<std::string> backup_code = body.Str("backup_code");
        SecretString password = SecretString::CopyFrom(AsBytes(*body.Str("password")));
        LoginResult r = Login(req, Lower(*body.Str("email")), password,
                              totp_code ? &*totp_code : nullptr,
                              backup_code ? &*backup_code : nullptr);
        if (r.status != 200) return LoginFailure(req, r);
        // A session id the client arrived with is dropped (fixation).
        if (std::optional<std::string> old = http::FindCookie(req, kSessionCookie)) {
          (void)db->Execute("DELETE FROM sessions WHERE id_hash = ?", HashToken(*old));
        }
        std::string label = audit::SanitizeField(req.Header("user-agent").value_or("unknown"), 128);
        Result<NewSession> s = StartSession(r.user, r.mfa_used ? 2 : 1, label);
        if (!s.ok() && s.error().code() == ErrorCode::kFailedPrecondition) {
          return ProblemResponse(req, 401, "the account changed during sign-in; sign in again");
        }
        if (!s.ok()) {
          OpLog("error", "login: session start failed: " + s.error().ToString());
          return ProblemResponse(req, 503);
        }
        std::string_view id = AsChars(s->id.RevealBytes(InsecureSecretAccess()));
        Result<std::string> csrf_token = csrf->TokenFor(id);
        if (!csrf_token.ok()) return ProblemResponse(req, 500);
        http::Response resp = JsonResponse(
            201, JObj({{"session", JObj({{"id", J(s->handle)},
                                         {"expires_in", J(config.session_absolute.count())}})},
                       {"csrf_token", J(*csrf_token)},
                       {"user", UserObject(r.user)}}));
        resp.AddHeader("Set-Cookie", SessionCookie(req, s->id));
        return resp;
      }});

  routes.push_back({
      .method = Method::kDelete, .path = "/v1/sessions/current",
      .summary = "Sign out: ends the session of the cookie", .tag = "sessions",
      .access = Access::kUser, .responses = {204, 400, 401, 403},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        if (c->via != Caller::Via::kSession) {
          return ProblemResponse(req, 400, "no session cookie in this request");
        }
        (void)db->Execute("DELETE FROM sessions WHERE id_hash = ?", c->session_hash);
        Event(auth::SecurityEventType::kSessionRevoked, c->user.id, "session:" + c->session_handle,
              "sign out");
        http::Response r(204);
        r.AddHeader("Set-Cookie", ExpiredSessionCookie(req));
        return r;
      }});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/sessions", .summary = "The caller's active sessions",
      .tag = "sessions", .access = Access::kUser, .api_key_scope = "sessions:read",
      .responses = {200, 401, 403},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Result<db::Rows> rows = db->Query(
            "SELECT handle, label, created_at, last_seen_at, expires_at FROM sessions "
            "WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC",
            c->user.id, clock->NowUnixSeconds());
        if (!rows.ok()) return ProblemResponse(req, 503);
        std::vector<JsonValue> items;
        for (const db::Row& row : *rows) {
          std::string handle = row.Get<std::string>(0).value_or("");
          items.push_back(JObj({{"id", J(handle)},
                                {"label", J(row.Get<std::string>(1).value_or(""))},
                                {"created_at", J(row.Get<std::int64_t>(2).value_or(0))},
                                {"last_seen_at", J(row.Get<std::int64_t>(3).value_or(0))},
                                {"expires_at", J(row.Get<std::int64_t>(4).value_or(0))},
                                {"current", JB(handle == c->session_handle)}}));
        }
        return JsonResponse(200, JObj({{"sessions", JArr(std::move(items))}}));
      }});

  routes.push_back({
      .method = Method::kDelete, .path = "/v1/sessions/{id}",
      .summary = "End one of the caller's sessions (sign out another device)", .tag = "sessions",
      .access = Access::kUser, .responses = {204, 401, 403, 404},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        std::string handle(req.PathText("id"));
        Result<std::int64_t> n =
            db->Execute("DELETE FROM sessions WHERE user_id = ? AND handle = ?", c->user.id, handle);
        if (!n.ok()) return ProblemResponse(req, 503);
        if (*n == 0) return ProblemResponse(req, 404);
        Event(auth::SecurityEventType::kSessionRevoked, c->user.id, "session:" + handle, "revoked by user");
        return http::Response(204);
      }});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/me", .summary = "The caller's account",
      .tag = "me", .access = Access::kUser, .api_key_scope = "me:read", .responses = {200, 401, 403},
      .handler = [](http::Request&, const Caller* c) -> http::Response {
        return http::Response::Json(200, UserJson(c->user));
      }});

  routes.push_back({
      .method = Method::kPatch, .path = "/v1/me",
      .summary = "Change safe profile fields (display_name); any other field is 422", .tag = "me",
      .access = Access::kUser, .api_key_scope = "me:write", .body = &PatchMeSchema(),
      .responses = {200, 400, 401, 403, 415, 422},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, PatchMeSchema());
        if (body.error) return std::move(*body.error);
        User u = c->user;
        if (std::optional<std::string> name = body.Str("display_name")) {
          Result<std::int64_t> n = db->Execute(
              "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?", *name,
              clock->NowUnixSeconds(), u.id);
          if (!n.ok()) return ProblemResponse(req, 503);
          u.display_name = *name;
          Audit("user:" + u.id, "account.profile_updated", "user:" + u.id, audit::kSuccess,
                {{"fields", "display_name"}});
        }
        return http::Response::Json(200, UserJson(u));
      }});

  routes.push_back({
      .method = Method::kDelete, .path = "/v1/me",
      .summary = "Delete the caller's account and everything it owns (sessions, tokens, API keys, "
                 "MFA, webhooks, files). Needs the password and a second factor when TOTP is enrolled. "
                 "The audit trail keeps its records.",
      .tag = "me", .access = Access::kUser, .body = &StepUpSchema(),
      .responses = {204, 400, 401, 403, 409, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, StepUpSchema());
        if (body.error) return std::move(*body.error);
        if (auto err = StepUp(req, *c, body, "password", true, "account.delete_failed")) {
          return std::move(*err);
        }
        // One transaction: the last-admin check and the delete cannot race
        // another admin's deletion. Dependent rows go by ON DELETE CASCADE.
        Result<db::Transaction> tx = db->Begin();
        if (!tx.ok()) return ProblemResponse(req, 503);
        Result<std::int64_t> locked = tx->Execute("UPDATE users SET id = id WHERE role = 'admin'");
        if (!locked.ok()) return ProblemResponse(req, 503);
        if (c->user.role == "admin") {
          Result<db::Row> admins = tx->QueryRow("SELECT COUNT(*) FROM users WHERE role = 'admin'");
          if (!admins.ok()) return ProblemResponse(req, 503);
          if (admins->Get<std::int64_t>(0).value_or(0) <= 1) {
            return ProblemResponse(req, 409, "the last administrator cannot delete their account");
          }
        }
        Result<db::Rows> blobs = tx->Query("SELECT storage_name FROM files WHERE user_id = ?", c->user.id);
        if (!blobs.ok()) return ProblemResponse(req, 503);
        Result<std::int64_t> deleted = tx->Execute("DELETE FROM users WHERE id = ?", c->user.id);
        if (!deleted.ok() || *deleted != 1 || !tx->Commit().ok()) {
          OpLog("error", "account delete failed");
          return ProblemResponse(req, 503);
        }
        // totp_replay is keyed by account without a foreign key.
        (void)db->Execute("DELETE FROM totp_replay WHERE account = ?", c->user.id);
        std::size_t removed = 0;
        for (const db::Row& row : *blobs) {
          if (files_root->Remove(Untrusted<std::string>(row.Get<std::string>(0).value_or(""))).ok()) ++removed;
        }
        if (removed != blobs->size()) {
          OpLog("error", "account delete: " + std::to_string(blobs->size() - removed) + " file blob(s) not removed");
        }
        Audit("user:" + c->user.id, "account.deleted", "user:" + c->user.id, audit::kSuccess,
              {{"files_removed", std::to_string(removed)}});
        http::Response r(204);
        if (c->via == Caller::Via::kSession) r.AddHeader("Set-Cookie", ExpiredSessionCookie(req));
        return r;
      }});

  routes.push_back({
      .method = Method::kPost, .path = "/v1/me/password",
      .summary = "Change the password (needs the current one, and a second factor when TOTP is enrolled); "
                 "ends the other sessions, all refresh-token families and all API keys",
      .tag = "me", .access = Access::kUser, .body = &PasswordSchema(),
      .responses = {200, 400, 401, 403, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, PasswordSchema());
        if (body.error) return std::move(*body.error);
        if (auto err = StepUp(req, *c, body, "current_password", true, "password.change_failed")) {
          return std::move(*err);
        }
        SecretString next = SecretString::CopyFrom(AsBytes(*body.Str("new_password")));
        if (auto problem = policy->Check(next, {c->user.email, c->user.display_name, "bulwark"})) {
          return PasswordProblem(req, "/new_password", *problem);
        }
        Result<std::string> hash = pool->Hash(*hasher, next);
        if (!hash.ok()) return ProblemResponse(req, 503);
        const std::int64_t now = clock->NowUnixSeconds();
        // credentials_changed_at only grows, also for two changes in one
        // second: access tokens carry it and must stop matching. The update
        // is conditional on the version the caller was authenticated with:
        // of two changes racing with the same old password only the first
        // takes effect, the other is told to sign in again (both answering
        // 200 would leave one caller believing in a password that is not
        // the account's).
        Result<std::int64_t> n = db->Execute(
            "UPDATE users SET password_hash = ?, credentials_changed_at = CASE WHEN ? > credentials_changed_at "
            "THEN ? ELSE credentials_changed_at + 1 END, updated_at = ? WHERE id = ? AND credentials_changed_at = ?",
            *hash, now, now, now, c->user.id, c->user.credentials_changed_at);
        if (!n.ok()) return ProblemResponse(req, 503);
        if (*n == 0) return ProblemResponse(req, 401, "the account changed; sign in again");
        // The same ending of other sessions as after an MFA change, but no
        // token family is kept (the new cv ends every access token anyway).
        Revoked revoked = EndOtherSessions(*c, "password changed", false);
        // API keys too: whoever knew the old password could have made one
        // (creation needs only a recent sign-in), and a key would outlive
        // the change for good. The owner makes new keys after a change.
        Result<std::int64_t> api_keys = db->Execute(
            "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0", now, c->user.id);
        if (!api_keys.ok()) {
          OpLog("error", "password change: revoking API keys failed: " + api_keys.error().ToString());
          return ProblemResponse(req, 503);
        }
        Audit("user:" + c->user.id, "password.changed", "user:" + c->user.id, audit::kSuccess,
              {{"sessions_revoked", std::to_string(revoked.sessions)},
               {"families_revoked", std::to_string(revoked.families)},
               {"api_keys_revoked", std::to_string(*api_keys)}});
        return JsonResponse(200, JObj({{"sessions_revoked", J(static_cast<std::int64_t>(revoked.sessions))},
                                       {"refresh_families_revoked", J(static_cast<std::int64_t>(revoked.families))},
                                       {"api_keys_revoked", J(*api_keys)}}));
      }});
}

}  // namespace bulwark::service
