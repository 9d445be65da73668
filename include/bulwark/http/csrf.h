#pragma once
// Csrf: cross-site request forgery protection for cookie-authenticated
// requests, in three independent layers, all required:
//
//  1. Fetch metadata: an unsafe request (POST, PUT, PATCH, DELETE) with
//     Sec-Fetch-Site: cross-site (or same-site, unless allowed) is refused.
//  2. Origin: if Origin is present it must be the site itself (scheme://Host)
//     or in trusted_origins; "null" is refused. Without Origin, a Referer (if
//     present) must have an allowed origin.
//  3. Token: if the request carries the session cookie, it must carry a CSRF
//     token (X-CSRF-Token header, or a `csrf_token` field of a
//     application/x-www-form-urlencoded body) that is an HMAC of the session
//     cookie under the CSRF keyset (signed double-submit, bound to the
//     session). Tokens are masked with a fresh random pad per response
//     (BREACH), so no two responses carry the same bytes.
//
// On requests that carry the session cookie, RequestContext::csrf_token is
// set to a freshly masked token for templates and SPA bootstrapping. A
// refusal is a 403 problem+json ("CSRF check failed"); the reason is logged
// for the operator only.
//
// Requests without the session cookie (API clients using Authorization
// headers) have no ambient credentials and need no token, but layers 1 and 2
// still apply to them.
//
// Thread-safety: immutable after Create. Ownership: shares the Mac.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/crypto/mac.h"
#include "bulwark/http/middleware.h"

namespace bulwark::http {

struct CsrfOptions {
  // HMAC keys for tokens (crypto::Mac over an HMAC keyset). Share one keyset
  // across instances behind a load balancer. REQUIRED by Csrf::Create;
  // SecureDefaults() makes a per-process key when this is null (and logs
  // that tokens will not survive a restart).
  std::shared_ptr<const crypto::Mac> mac;
  // The full cookie name that authenticates browser requests.
  std::string session_cookie = "__Host-session";
  std::string header_name = "X-CSRF-Token";
  std::string form_field = "csrf_token";
  // Origins besides the site itself that may send unsafe requests.
  std::vector<std::string> trusted_origins;
  // Accept Sec-Fetch-Site: same-site (sibling subdomains). Off by default.
  bool allow_same_site = false;
};

class Csrf final : public Middleware {
 public:
  // Errors: kInvalidArgument (no mac, bad names or origins).
  static Result<std::shared_ptr<const Csrf>> Create(CsrfOptions options);
  Response Handle(Request& request, const Next& next) const override;

  // A masked token for `session_value` (fresh pad each call).
  Result<std::string> TokenFor(std::string_view session_value) const;
  // Checks a (masked) token against `session_value`; constant time.
  [[nodiscard]] bool VerifyToken(std::string_view token, std::string_view session_value) const;

 private:
  explicit Csrf(CsrfOptions o) : options_(std::move(o)) {}
  // Empty if the request passes; else the operator-log reason.
  std::string Check(const Request& request, const std::optional<std::string>& session) const;
  CsrfOptions options_;
};

}  // namespace bulwark::http
