// Misuse of the http chain and request types that must not compile:
// protections are removed only with a Reason, only middleware types can be
// installed, middleware is built by its validating factory, and a request
// body is Untrusted (it does not convert to Valid).
#include <memory>
#include <string_view>

#include "bulwark/http/secure_defaults.h"

using namespace bulwark::http;

int UseChecked(const bulwark::Valid<std::string_view>& body) { return static_cast<int>(body->size()); }

struct NotMiddleware {};

int main() {
  auto chain = SecureDefaults();
  if (!chain.ok()) return 1;
#if BULWARK_CF_CASE == 0
// expect: control
  chain->Without<Csrf>(Reason{"token-only API"});
  auto req = Request::Create(Method::kGet, "/");
  return req.ok() && req->Body().UnvalidatedValue().empty() ? 0 : 1;
#endif
#if BULWARK_CF_CASE == 1
// expect: no matching|too few arguments|candidate
  chain->Without<Csrf>();
#endif
#if BULWARK_CF_CASE == 2
// expect: must derive from http::Middleware
  chain->Use<NotMiddleware>(std::make_shared<const NotMiddleware>());
#endif
#if BULWARK_CF_CASE == 3
// expect: private|protected|deleted
  Csrf csrf(CsrfOptions{});
  (void)csrf;
#endif
#if BULWARK_CF_CASE == 4
// expect: invalid initialization|cannot convert|no matching|could not convert
  auto req = Request::Create(Method::kPost, "/");
  return UseChecked(req->Body());
#endif
#if BULWARK_CF_CASE == 5
// expect: must derive from http::Middleware
  chain->Without<NotMiddleware>(Reason{"x"});
#endif
  return 0;
}
