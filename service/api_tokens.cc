// Access tokens (EdDSA JWTs) and rotating refresh tokens with family reuse
// detection.

#include <cctype>

#include "bulwark/crypto/random.h"
#include "internal.h"
#include "schemas.h"

namespace bulwark::service {


namespace {

using validate::Field;
using validate::Rule;

const validate::Schema& TokenSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("email", Rule::String().Length(1, 254)),
      Field("password", PasswordRule()),
      Field("totp_code", TotpCodeRule()).Optional(),
      Field("backup_code", BackupCodeRule()).Optional(),
  }));
  return s;
}
const validate::Schema& RefreshSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("refresh_token", Rule::String().Length(20, 128).Pattern("[A-Za-z0-9_-]+")),
  }));
  return s;
}

JsonValue TokenBody(const std::string& access, const SecretString& refresh, std::int64_t ttl) {
  return JObj({{"access_token", J(access)},
               {"token_type", J("Bearer")},
               {"expires_in", J(ttl)},
               {"refresh_token", J(std::string(AsChars(refresh.RevealBytes(InsecureSecretAccess()))))}});
}

}  // namespace

void Service::Impl::AddTokenRoutes() {
  using http::Method;
  routes.push_back({
      .method = Method::kPost, .path = "/v1/tokens",
      .summary = "Sign in for API use: an access token (JWT, EdDSA) and a refresh token",
      .tag = "tokens", .access = Access::kPublic, .body = &TokenSchema(),
      .responses = {200, 400, 401, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller*) -> http::Response {
        Body body = ParseBody(req, TokenSchema());
        if (body.error) return std::move(*body.error);
        std::string email = *body.Str("email");
        for (char& ch : email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::optional<std::string> totp_code = body.Str("totp_code");
        std::optional<std::string> backup_code = body.Str("backup_code");
        SecretString password = SecretString::CopyFrom(AsBytes(*body.Str("password")));
        LoginResult r = Login(req, email, password, totp_code ? &*totp_code : nullptr,
                              backup_code ? &*backup_code : nullptr);
        if (r.status != 200) return LoginFailure(req, r);
        Result<TokenPair> pair = IssueTokens(r.user, r.mfa_used);
        if (!pair.ok() && pair.error().code() == ErrorCode::kFailedPrecondition) {
          return ProblemResponse(req, 401, "the account changed during sign-in; sign in again");
        }
        if (!pair.ok()) {
          OpLog("error", "tokens: issue failed: " + pair.error().ToString());
          return ProblemResponse(req, 503);
        }
        return JsonResponse(200, TokenBody(pair->access_token, pair->refresh_token,
                                           config.access_token_ttl.count()));
      }});

  routes.push_back({
      .method = Method::kPost, .path = "/v1/tokens/refresh",
      .summary = "Exchange a refresh token for a new pair; a reused refresh token revokes its whole family",
      .tag = "tokens", .access = Access::kPublic, .body = &RefreshSchema(),
      .responses = {200, 400, 401, 415, 422, 503},
      .handler = [this](http::Request& req, const Caller*) -> http::Response {
        Body body = ParseBody(req, RefreshSchema());
        if (body.error) return std::move(*body.error);
        const std::int64_t now = clock->NowUnixSeconds();
        std::string hash = HashToken(*body.Str("refresh_token"));
        Result<db::Rows> rows = db->Query(
            "SELECT t.family_id, t.generation, t.used_at, f.user_id, f.expires_at, f.revoked_at, "
            "f.created_at, f.amr FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id "
            "WHERE t.hash = ?",
            hash);
        if (!rows.ok()) return ProblemResponse(req, 503);
        auto refused = [&](std::string_view why) {
          const_cast<Metrics&>(metrics).AuthFailure("refresh");
          (void)why;
          return ProblemResponse(req, 401, "invalid refresh token");
        };
        if (rows->empty()) return refused("unknown");
        const db::Row& row = (*rows)[0];
        std::string family = row.Get<std::string>(0).value_or("");
        std::int64_t generation = row.Get<std::int64_t>(1).value_or(0);
        std::int64_t used_at = row.Get<std::int64_t>(2).value_or(0);
        std::string user_id = row.Get<std::string>(3).value_or("");
        std::int64_t expires_at = row.Get<std::int64_t>(4).value_or(0);
        std::int64_t revoked_at = row.Get<std::int64_t>(5).value_or(0);
        // The family starts at the sign-in: the only time credentials were shown.
        std::int64_t signed_in_at = row.Get<std::int64_t>(6).value_or(0);
        // ...and what it proved: a refresh continues that sign-in, with its
        // methods (an MFA sign-in keeps "otp"), never more.
        const bool family_mfa = row.Get<std::string>(7).value_or("") == "pwd otp";
        if (revoked_at != 0) {
          // The token can be presented again and again for free: sampled.
          std::int64_t left_out = 0;
          if (revoked_refresh_audit.Admit(now, &left_out)) {
            Audit("user:" + user_id, "refresh.rejected", "family:" + family, audit::kFailure,
                  {{"reason", "family revoked"}, {"also_rejected_since_last", std::to_string(left_out)}});
          }
          return refused("revoked");
        }
        if (expires_at <= now) return refused("expired");
        auto reuse = [&]() {
          (void)db->Execute(
              "UPDATE refresh_families SET revoked_at = ?, revoked_reason = 'reuse detected' "
              "WHERE id = ? AND revoked_at = 0",
              now, family);
          Event(auth::SecurityEventType::kRefreshReuseDetected, user_id, "family:" + family,
                "rotated token presented again; family revoked");
          return refused("reuse");
        };
        if (used_at != 0) return reuse();
        if (generation + 1 >= kMaxRefreshGenerations) {
          // Each rotation keeps a row; a family cannot grow without bound.
          Result<std::int64_t> ended = db->Execute(
              "UPDATE refresh_families SET revoked_at = ?, revoked_reason = 'rotation limit' "
              "WHERE id = ? AND revoked_at = 0",
              now, family);
          if (ended.ok() && *ended == 1) {
            Event(auth::SecurityEventType::kRefreshFamilyRevoked, user_id, "family:" + family,
                  "rotation limit");
          }
          return refused("rotation limit");
        }
        Result<User> user = LoadUser(user_id);
        if (!user.ok() || user->locked) return refused("user");
        SecretString next = SecretString::Adopt(crypto::RandomToken(32));
        std::string next_hash = HashToken(AsChars(next.RevealBytes(InsecureSecretAccess())));
        {
          Result<db::Transaction> tx = db->Begin();
          if (!tx.ok()) return ProblemResponse(req, 503);
          // Compare-and-set: of two racing rotations exactly one wins.
          Result<std::int64_t> marked = tx->Execute(
              "UPDATE refresh_tokens SET used_at = ?, successor_hash = ? WHERE hash = ? AND used_at = 0",
              now, next_hash, hash);
          if (!marked.ok()) return ProblemResponse(req, 503);
          if (*marked != 1) {
            (void)tx->Rollback();
            return reuse();
          }
          Result<std::int64_t> inserted = tx->Execute(
              "INSERT INTO refresh_tokens (hash, family_id, generation, issued_at) VALUES (?, ?, ?, ?)",
              next_hash, family, generation + 1, now);
          if (!inserted.ok() || !tx->Commit().ok()) return ProblemResponse(req, 503);
        }
        Result<std::string> access = SignAccessToken(*user, family_mfa, signed_in_at, family);
        if (!access.ok()) return ProblemResponse(req, 500);
        Event(auth::SecurityEventType::kRefreshRotated, user_id, "family:" + family);
        return JsonResponse(200, TokenBody(*access, next, config.access_token_ttl.count()));
      }});

  routes.push_back({
      .method = Method::kPost, .path = "/v1/tokens/revoke",
      .summary = "Revoke the family of a refresh token (sign out an API client); always 200",
      .tag = "tokens", .access = Access::kPublic, .body = &RefreshSchema(),
      .responses = {200, 400, 415, 422},
      .handler = [this](http::Request& req, const Caller*) -> http::Response {
        Body body = ParseBody(req, RefreshSchema());
        if (body.error) return std::move(*body.error);
        std::string hash = HashToken(*body.Str("refresh_token"));
        Result<db::Rows> rows = db->Query(
            "SELECT t.family_id, f.user_id FROM refresh_tokens t JOIN refresh_families f "
            "ON f.id = t.family_id WHERE t.hash = ?",
            hash);
        if (rows.ok() && !rows->empty()) {
          std::string family = (*rows)[0].Get<std::string>(0).value_or("");
          std::string user_id = (*rows)[0].Get<std::string>(1).value_or("");
          Result<std::int64_t> n = db->Execute(
              "UPDATE refresh_families SET revoked_at = ?, revoked_reason = 'revoked by client' "
              "WHERE id = ? AND revoked_at = 0",
              clock->NowUnixSeconds(), family);
          if (n.ok() && *n == 1) {
            Event(auth::SecurityEventType::kRefreshFamilyRevoked, user_id, "family:" + family,
                  "revoked by client");
          }
        }
        // RFC 7009: the answer does not say whether the token was valid.
        return JsonResponse(200, JObj({{"revoked", JB(true)}}));
      }});
}

}  // namespace bulwark::service
