// TOTP enrolment, confirmation and removal, and backup codes. Every change
// needs the password again (step-up), and removal or new backup codes also
// the second factor.

#include "bulwark/core/encoding.h"
#include "internal.h"
#include "schemas.h"

namespace bulwark::service {


namespace {

using validate::Field;
using validate::Rule;

const validate::Schema& EnrolSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({Field("password", PasswordRule())}));
  return s;
}
const validate::Schema& ConfirmSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({Field("code", TotpCodeRule())}));
  return s;
}

JsonValue CodesJson(const std::vector<std::string>& codes) {
  std::vector<JsonValue> items;
  for (const std::string& c : codes) items.push_back(J(c));
  return JArr(std::move(items));
}

}  // namespace

namespace {

// An enrolment in progress belongs to the session or token family that
// started it (with the password). The pending secret is sealed with that
// owner in the associated data, so another session or token of the same
// account (a stolen cookie, a token from another device) can neither read
// it (QR code, the web form) nor confirm it: otherwise whoever held any
// session could finish an enrolment the owner abandoned, with a secret they
// now know, and lock the owner out of their own account.
std::string PendingAd(const Caller& caller) {
  std::string owner = caller.via == Caller::Via::kSession ? "session:" + caller.session_handle
                      : caller.via == Caller::Via::kBearer ? "family:" + caller.family_id
                                                           : "api_key:" + caller.api_key_id;
  return "totp-pending:" + caller.user.id + ":" + owner;
}

}  // namespace

// Exposed for the web UI.
Result<SecretBytes> OpenPendingTotpSecret(const Service::Impl& s, const Caller& caller) {
  if (caller.user.totp_pending.empty()) {
    return Error(ErrorCode::kFailedPrecondition, "no enrolment in progress");
  }
  Result<Bytes> ct = Base64UrlDecode(caller.user.totp_pending);
  Result<SecretBytes> secret =
      ct.ok() ? s.data_aead->DecryptSecret(*ct, AsBytes(PendingAd(caller))) : Result<SecretBytes>(ct.error());
  // Started by another session or token family (or before an upgrade):
  // not this caller's enrolment.
  if (!secret.ok()) return Error(ErrorCode::kFailedPrecondition, "no enrolment in progress");
  return secret;
}

Result<auth::TotpEnrollment> BeginTotpEnrolment(const Service::Impl& s, const Caller& caller,
                                                std::string* base32_secret) {
  const User& user = caller.user;
  SecretBytes secret = auth::GenerateTotpSecret();
  BULWARK_ASSIGN_OR_RETURN(auth::TotpEnrollment e, auth::Enroll(secret, "bulwark", user.email));
  BULWARK_ASSIGN_OR_RETURN(Bytes sealed, s.data_aead->Encrypt(secret.RevealBytes(InsecureSecretAccess()),
                                                              AsBytes(PendingAd(caller))));
  BULWARK_RETURN_IF_ERROR(s.db->Execute("UPDATE users SET totp_pending = ?, updated_at = ? WHERE id = ?",
                                        Base64UrlEncode(sealed), s.clock->NowUnixSeconds(), user.id));
  if (base32_secret) *base32_secret = auth::Base32Encode(secret.RevealBytes(InsecureSecretAccess()));
  return e;
}

Result<std::vector<std::string>> ConfirmTotpEnrolment(const Service::Impl& s, const Caller& caller,
                                                      const std::string& code,
                                                      std::string_view address,
                                                      std::int64_t* retry_after) {
  const User& user = caller.user;
  // Before the throttle and the code: only the caller's own enrolment counts.
  BULWARK_ASSIGN_OR_RETURN(SecretBytes secret, OpenPendingTotpSecret(s, caller));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t wait, s.throttle->RetryAfter(user.email, address));
  if (wait > 0) {
    *retry_after = wait;
    return Error(ErrorCode::kResourceExhausted, "too many failed attempts");
  }
  Result<auth::TotpMatch> m = s.totp->Verify(user.id, secret, Untrusted<std::string_view>(code));
  if (!m.ok()) {
    if (m.error().code() == ErrorCode::kUnauthenticated ||
        m.error().code() == ErrorCode::kInvalidArgument) {
      (void)s.throttle->RecordFailure(user.email, address);
      s.Audit("user:" + user.id, "stepup.failed", "user:" + user.id, audit::kFailure,
              {{"reason", "enrolment code"}});
    }
    return std::move(m).error();
  }
  // Re-sealed for sign-in (bound to the account alone), and stored only if
  // the enrolment is still the one just checked: a restart in between
  // replaced the secret the code was made from.
  const std::string ad = "totp:" + user.id;
  BULWARK_ASSIGN_OR_RETURN(Bytes sealed,
                           s.data_aead->Encrypt(secret.RevealBytes(InsecureSecretAccess()), AsBytes(ad)));
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t stored,
      s.db->Execute("UPDATE users SET totp_secret = ?, totp_pending = '', updated_at = ? "
                    "WHERE id = ? AND totp_pending = ?",
                    Base64UrlEncode(sealed), s.clock->NowUnixSeconds(), user.id, user.totp_pending));
  if (stored != 1) return Error(ErrorCode::kFailedPrecondition, "no enrolment in progress");
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> codes, s.backup_codes->Regenerate(user.id));
  Service::Impl::Revoked revoked = s.EndOtherSessions(caller, "mfa enrolled", true);
  s.Event(auth::SecurityEventType::kMfaEnrolled, user.id, "totp");
  s.Audit("user:" + user.id, "sessions.ended", "user:" + user.id, audit::kSuccess,
          {{"reason", "mfa enrolled"},
           {"sessions_revoked", std::to_string(revoked.sessions)},
           {"families_revoked", std::to_string(revoked.families)}});
  return codes;
}

void Service::Impl::AddMfaRoutes() {
  using http::Method;
  routes.push_back({
      .method = Method::kPost, .path = "/v1/mfa/totp",
      .summary = "Start TOTP enrolment (needs the password): secret, otpauth URI and QR code (SVG)",
      .tag = "mfa", .access = Access::kUser, .body = &EnrolSchema(),
      .responses = {200, 400, 401, 403, 409, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, EnrolSchema());
        if (body.error) return std::move(*body.error);
        if (auto err = StepUp(req, *c, body, "password", false, "stepup.failed")) return std::move(*err);
        if (c->user.mfa_enabled()) return ProblemResponse(req, 409, "TOTP is already enrolled");
        std::string secret;
        Result<auth::TotpEnrollment> e = BeginTotpEnrolment(*this, *c, &secret);
        if (!e.ok()) {
          OpLog("error", "mfa enrol: " + e.error().ToString());
          return ProblemResponse(req, 500);
        }
        Audit("user:" + c->user.id, "mfa.enrolment_started", "user:" + c->user.id, audit::kSuccess);
        return JsonResponse(200, JObj({{"secret", J(secret)},
                                       {"otpauth_uri", J(e->uri)},
                                       {"qr_svg", J(e->qr_svg)}}));
      }});

  routes.push_back({
      .method = Method::kPost, .path = "/v1/mfa/totp/confirm",
      .summary = "Finish TOTP enrolment with a current code; returns backup codes (shown once) and ends "
                 "the account's other sessions",
      .tag = "mfa", .access = Access::kUser, .body = &ConfirmSchema(),
      .responses = {200, 400, 401, 403, 409, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, ConfirmSchema());
        if (body.error) return std::move(*body.error);
        LoginResult throttled;
        Result<std::vector<std::string>> codes = ConfirmTotpEnrolment(
            *this, *c, *body.Str("code"), req.context().client_ip, &throttled.retry_after);
        if (!codes.ok()) {
          if (codes.error().code() == ErrorCode::kFailedPrecondition) {
            return ProblemResponse(req, 409, "no enrolment in progress");
          }
          if (codes.error().code() == ErrorCode::kResourceExhausted) {
            throttled.status = 429;
            throttled.detail = "too many failed attempts; try again later";
            return LoginFailure(req, throttled);
          }
          if (codes.error().code() == ErrorCode::kUnauthenticated ||
              codes.error().code() == ErrorCode::kInvalidArgument) {
            return ProblemResponse(req, 403, "the code did not match");
          }
          OpLog("error", "mfa confirm: " + codes.error().ToString());
          return ProblemResponse(req, 503);
        }
        return JsonResponse(200, JObj({{"backup_codes", CodesJson(*codes)}}));
      }});

  routes.push_back({
      .method = Method::kDelete, .path = "/v1/mfa/totp",
      .summary = "Remove TOTP (needs the password and a current code or backup code); ends the "
                 "account's other sessions",
      .tag = "mfa",
      .access = Access::kUser, .body = &StepUpSchema(),
      .responses = {204, 400, 401, 403, 409, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, StepUpSchema());
        if (body.error) return std::move(*body.error);
        if (!c->user.mfa_enabled()) return ProblemResponse(req, 409, "TOTP is not enrolled");
        if (auto err = StepUp(req, *c, body, "password", true, "stepup.failed")) return std::move(*err);
        Result<std::int64_t> n = db->Execute(
            "UPDATE users SET totp_secret = '', totp_pending = '', updated_at = ? WHERE id = ?",
            clock->NowUnixSeconds(), c->user.id);
        if (!n.ok()) return ProblemResponse(req, 503);
        (void)backup_store->Replace(c->user.id, {});
        Revoked revoked = EndOtherSessions(*c, "mfa removed", true);
        Audit("user:" + c->user.id, "mfa.removed", "user:" + c->user.id, audit::kSuccess,
              {{"sessions_revoked", std::to_string(revoked.sessions)},
               {"families_revoked", std::to_string(revoked.families)}});
        return http::Response(204);
      }});

  routes.push_back({
      .method = Method::kPost, .path = "/v1/mfa/backup-codes",
      .summary = "Replace the backup codes (needs the password and a second factor); shown once; ends "
                 "the account's other sessions",
      .tag = "mfa", .access = Access::kUser, .body = &StepUpSchema(),
      .responses = {200, 400, 401, 403, 409, 415, 422, 429, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, StepUpSchema());
        if (body.error) return std::move(*body.error);
        if (!c->user.mfa_enabled()) return ProblemResponse(req, 409, "TOTP is not enrolled");
        if (auto err = StepUp(req, *c, body, "password", true, "stepup.failed")) return std::move(*err);
        Result<std::vector<std::string>> codes = backup_codes->Regenerate(c->user.id);
        if (!codes.ok()) return ProblemResponse(req, 503);
        // The credentials version moves on, as with a password change, and
        // only after the old codes are gone: a sign-in that redeemed an old
        // code before the replacement read the account before this update,
        // so its session or refresh family is either inserted before it (and
        // ended below) or refused by the version check under the row lock
        // (LockUnchangedUser). Every access token issued before stops too;
        // the caller's own refresh family is kept, so a bearer caller
        // refreshes. Conditional on the caller's version, like a password
        // change: of two racing changes only one answers 200 (the loser's
        // new codes are replaced but never shown).
        const std::int64_t now = clock->NowUnixSeconds();
        Result<std::int64_t> bumped = db->Execute(
            "UPDATE users SET credentials_changed_at = CASE WHEN ? > credentials_changed_at "
            "THEN ? ELSE credentials_changed_at + 1 END, updated_at = ? WHERE id = ? AND credentials_changed_at = ?",
            now, now, now, c->user.id, c->user.credentials_changed_at);
        Revoked revoked = EndOtherSessions(*c, "backup codes regenerated", true);
        if (!bumped.ok()) {
          OpLog("error", "backup codes: moving the credentials version failed: " + bumped.error().ToString());
          return ProblemResponse(req, 503);
        }
        if (*bumped == 0) return ProblemResponse(req, 401, "the account changed; sign in again");
        Audit("user:" + c->user.id, "sessions.ended", "user:" + c->user.id, audit::kSuccess,
              {{"reason", "backup codes regenerated"},
               {"sessions_revoked", std::to_string(revoked.sessions)},
               {"families_revoked", std::to_string(revoked.families)}});
        return JsonResponse(200, JObj({{"backup_codes", CodesJson(*codes)}}));
      }});
}

}  // namespace bulwark::service
