#pragma once
// SecureDefaults(): the middleware chain with every protection on, in this
// order (outermost first):
//
//   RequestId -> AccessLog -> SecurityHeaders -> Errors -> ProxyHeaders ->
//   RateLimit -> Cors -> RequestChecks -> Csrf -> (route handler)
//
// Why this order: the request id exists before anything can fail; the access
// log and the error mapper see every response, including refusals from the
// layers below; security headers wrap every answer (also 429s, 403s and the
// problems Errors builds for 5xx and exceptions); the client address is
// resolved before rate limiting keys on it; a CORS
// preflight is answered before body checks; CSRF runs last so its token is
// computed only for requests that will reach a handler.
//
//   Result<Chain> chain = SecureDefaults();
//   chain->Without<Cors>(Reason{"same-origin only"});   // named, logged
//
// Thread-safety: the returned Chain is immutable once handed to an App.

#include "bulwark/core/result.h"
#include "bulwark/http/builtin.h"
#include "bulwark/http/cors.h"
#include "bulwark/http/csrf.h"
#include "bulwark/http/middleware.h"
#include "bulwark/http/rate_limit.h"

namespace bulwark::http {

struct SecureDefaultsOptions {
  RequestIdOptions request_id;
  AccessLogOptions access_log;
  ErrorsOptions errors;
  ProxyOptions proxy;
  SecurityHeadersOptions security_headers;
  RateLimitOptions rate_limit;
  CorsOptions cors;
  RequestChecksOptions request_checks;
  // With csrf.mac null, a random per-process HMAC key is generated (and a
  // warning logged): fine for one instance, wrong behind a load balancer.
  CsrfOptions csrf;
};

// Errors: the first invalid option (kInvalidArgument), or kInternal if a key
// cannot be generated.
Result<Chain> SecureDefaults(SecureDefaultsOptions options = {});

}  // namespace bulwark::http
