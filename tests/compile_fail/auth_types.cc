// auth's misuse-proof types: a VerifiedJwt only comes out of Verify, tokens
// enter only as Untrusted<>, a Guard only comes out of a validated build, and
// secrets handed to the caller (session ids, refresh tokens, API keys) cannot
// be printed.
#include <iostream>
#include <string>
#include <string_view>

#include "bulwark/auth/api_key.h"
#include "bulwark/auth/authz.h"
#include "bulwark/auth/jwt.h"
#include "bulwark/auth/session.h"

using namespace bulwark;
using namespace bulwark::auth;

int Use(const JwtVerifier& verifier, const NewSession& session, const NewApiKey& key) {
  std::string token = "a.b.c";
#if BULWARK_CF_CASE == 0
// expect: control
  Result<VerifiedJwt> jwt = verifier.Verify(Untrusted<std::string_view>(token));
  std::string_view id = session.id.Reveal(InsecureSecretAccess());
  return jwt.ok() && !id.empty() && !key.key.empty() ? 0 : 1;
#endif
#if BULWARK_CF_CASE == 1
// expect: private|protected
  VerifiedJwt forged;  // a verified token cannot be made by hand
  (void)verifier;
  return forged.claims().size() == 0;
#endif
#if BULWARK_CF_CASE == 2
// expect: no matching|cannot convert|could not convert
  Result<VerifiedJwt> jwt = verifier.Verify(std::string_view(token));  // raw input, not Untrusted
  return jwt.ok();
#endif
#if BULWARK_CF_CASE == 3
// expect: deleted
  std::cout << session.id;  // printing a session id
  return 0;
#endif
#if BULWARK_CF_CASE == 4
// expect: deleted
  std::cout << key.key;  // printing an API key
  return 0;
#endif
#if BULWARK_CF_CASE == 5
// expect: private|protected
  Guard guard;  // only GuardBuilder::Build makes one (deny-by-default checks)
  (void)guard;
  return 0;
#endif
#if BULWARK_CF_CASE == 6
// expect: deleted
  NewSession copy = session;  // secrets are move-only
  (void)copy;
  return 0;
#endif
}

int main() { return 0; }
