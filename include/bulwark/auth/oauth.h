#pragma once
// OAuth 2.1 / OpenID Connect client helpers.
//
// - PKCE (RFC 7636) with S256 only ("plain" is refused): the code verifier is
//   256 bits from the CSPRNG; a stolen authorization code is useless without it.
// - `state` and `nonce`: random, bound to the flow, and single-use. `state`
//   ties the callback to the browser that started the flow (login CSRF);
//   `nonce` ties the ID token to the flow (token replay). OAuthFlows stores
//   the flow under the hash of its state, and Complete() takes it out once.
// - Redirect URIs are matched exactly, byte for byte, against a registered
//   list: no prefix, pattern or normalisation, which is how open redirects
//   and code leaks through lookalike URIs happen.
//
// Thread-safety: functions are thread-safe; OAuthFlows is thread-safe if its
// store is; RedirectUriAllowlist is immutable.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/auth/events.h"
#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/core/untrusted.h"

namespace bulwark::auth {

struct PkcePair {
  std::string verifier;   // keep server-side (or in the flow store)
  std::string challenge;  // send with the authorization request (method S256)
};
PkcePair GeneratePkce();
// BASE64URL(SHA256(verifier)). Errors: kInvalidArgument unless the verifier
// is 43-128 characters of [A-Za-z0-9-._~] (RFC 7636 4.1).
Result<std::string> PkceChallengeS256(std::string_view verifier);
// Server side: does `verifier` match `challenge` (constant-time)?
[[nodiscard]] bool VerifyPkceS256(std::string_view verifier, std::string_view challenge);

// Constant-time equality of an expected and a received state/nonce.
[[nodiscard]] bool SingleValueMatches(std::string_view expected, std::string_view received);

class RedirectUriAllowlist {
 public:
  // Each URI must be absolute, https (or http on a loopback host, RFC 8252),
  // without fragment, userinfo or wildcard. Errors: kInvalidArgument.
  static Result<RedirectUriAllowlist> Create(std::vector<std::string> uris);
  // Exact match. Errors: kInvalidArgument ("redirect URI is not registered").
  Result<void> Check(Untrusted<std::string_view> uri) const;

 private:
  std::vector<std::string> uris_;
};

struct OAuthFlow {
  std::string state;
  std::string nonce;
  std::string code_verifier;
  std::string code_challenge;  // method S256
  std::string redirect_uri;
  std::int64_t expires_at = 0;
};

// Pending flows, keyed by the hash of the state.
class OAuthFlowStore {
 public:
  virtual ~OAuthFlowStore() = default;
  virtual Result<void> Put(std::string state_hash, OAuthFlow flow) = 0;
  // Removes and returns the flow (atomically), or nullopt.
  virtual Result<std::optional<OAuthFlow>> Take(std::string_view state_hash) = 0;
};

class MemoryOAuthFlowStore final : public OAuthFlowStore {
 public:
  explicit MemoryOAuthFlowStore(std::size_t max_flows = 100'000) : max_flows_(max_flows) {}
  Result<void> Put(std::string state_hash, OAuthFlow flow) override;
  Result<std::optional<OAuthFlow>> Take(std::string_view state_hash) override;

 private:
  std::size_t max_flows_;
  std::mutex mu_;
  std::map<std::string, OAuthFlow, std::less<>> flows_;
};

class OAuthFlows {
 public:
  // REQUIRES: store, events and clock outlive this object.
  OAuthFlows(const RedirectUriAllowlist& redirects, OAuthFlowStore& store,
             std::chrono::seconds lifetime = std::chrono::minutes(10),
             SecurityEventSink& events = NullEventSink(), const Clock& clock = SystemClock())
      : redirects_(&redirects), store_(&store), lifetime_(lifetime), events_(&events),
        clock_(&clock) {}

  // A new flow for `redirect_uri` (which must be registered).
  Result<OAuthFlow> Begin(std::string_view redirect_uri);
  // The callback: returns the flow for `state` once; a second call, an
  // unknown or expired state, or a different redirect URI is refused
  // (kPermissionDenied) and recorded as oauth.check_failed.
  Result<OAuthFlow> Complete(Untrusted<std::string_view> state,
                             Untrusted<std::string_view> redirect_uri);
  // Checks the ID token's nonce claim against the flow (constant-time).
  Result<void> CheckNonce(const OAuthFlow& flow, Untrusted<std::string_view> id_token_nonce);

 private:
  const RedirectUriAllowlist* redirects_;
  OAuthFlowStore* store_;
  std::chrono::seconds lifetime_;
  SecurityEventSink* events_;
  const Clock* clock_;
};

}  // namespace bulwark::auth
