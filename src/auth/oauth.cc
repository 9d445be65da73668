#include "bulwark/auth/oauth.h"

#include <algorithm>

#include "bulwark/auth/session.h"
#include "bulwark/core/encoding.h"
#include "bulwark/crypto/compare.h"
#include "bulwark/crypto/hash.h"
#include "bulwark/crypto/random.h"

namespace bulwark::auth {
namespace {

bool VerifierChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool IsLoopbackHost(std::string_view host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost";
}

// Structural checks on a registered redirect URI (operator configuration).
bool AcceptableRedirect(std::string_view uri) {
  if (uri.size() > 2048 || uri.find('#') != std::string_view::npos ||
      uri.find('*') != std::string_view::npos) {
    return false;
  }
  for (char c : uri) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) return false;
  }
  std::string_view rest;
  bool https = false;
  if (uri.starts_with("https://")) {
    rest = uri.substr(8);
    https = true;
  } else if (uri.starts_with("http://")) {
    rest = uri.substr(7);
  } else {
    return false;
  }
  const std::size_t end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  std::string_view host = authority;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    host = host.substr(0, close + 1);
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  if (host.empty()) return false;
  return https || IsLoopbackHost(host);
}

}  // namespace

PkcePair GeneratePkce() {
  PkcePair pair;
  pair.verifier = crypto::RandomToken(32);
  pair.challenge = *PkceChallengeS256(pair.verifier);
  return pair;
}

Result<std::string> PkceChallengeS256(std::string_view verifier) {
  if (verifier.size() < 43 || verifier.size() > 128 ||
      !std::all_of(verifier.begin(), verifier.end(), VerifierChar)) {
    return Error(ErrorCode::kInvalidArgument, "PKCE verifier must be 43-128 unreserved characters");
  }
  return Base64UrlEncode(crypto::Sha256(AsBytes(verifier)));
}

bool VerifyPkceS256(std::string_view verifier, std::string_view challenge) {
  Result<std::string> expected = PkceChallengeS256(verifier);
  return expected.ok() && crypto::ConstantTimeEquals(std::string_view(*expected), challenge);
}

bool SingleValueMatches(std::string_view expected, std::string_view received) {
  return !expected.empty() && crypto::ConstantTimeEquals(expected, received);
}

Result<RedirectUriAllowlist> RedirectUriAllowlist::Create(std::vector<std::string> uris) {
  if (uris.empty()) return Error(ErrorCode::kInvalidArgument, "no redirect URIs registered");
  for (const std::string& uri : uris) {
    if (!AcceptableRedirect(uri)) {
      return Error(ErrorCode::kInvalidArgument,
                   "redirect URI must be absolute https (or loopback http), without fragment, "
                   "userinfo or wildcard");
    }
  }
  RedirectUriAllowlist list;
  list.uris_ = std::move(uris);
  return list;
}

Result<void> RedirectUriAllowlist::Check(Untrusted<std::string_view> uri) const {
  const std::string_view value = uri.UnvalidatedValue();
  for (const std::string& registered : uris_) {
    if (registered == value) return Ok();
  }
  return Error(ErrorCode::kInvalidArgument, "redirect URI is not registered");
}

Result<void> MemoryOAuthFlowStore::Put(std::string state_hash, OAuthFlow flow) {
  std::lock_guard lock(mu_);
  if (flows_.size() >= max_flows_) {
    // Make room from flows that expire more than an hour before the new one
    // (certainly stale: flow lifetimes are minutes) before refusing.
    const std::int64_t horizon = flow.expires_at - 3600;
    std::erase_if(flows_, [&](const auto& e) { return e.second.expires_at < horizon; });
    if (flows_.size() >= max_flows_) {
      return Error(ErrorCode::kResourceExhausted, "too many pending OAuth flows");
    }
  }
  flows_[std::move(state_hash)] = std::move(flow);
  return Ok();
}

Result<std::optional<OAuthFlow>> MemoryOAuthFlowStore::Take(std::string_view state_hash) {
  std::lock_guard lock(mu_);
  auto it = flows_.find(state_hash);
  if (it == flows_.end()) return std::optional<OAuthFlow>();
  OAuthFlow flow = std::move(it->second);
  flows_.erase(it);
  return std::optional<OAuthFlow>(std::move(flow));
}

Result<OAuthFlow> OAuthFlows::Begin(std::string_view redirect_uri) {
  BULWARK_RETURN_IF_ERROR(redirects_->Check(Untrusted<std::string_view>(redirect_uri)));
  OAuthFlow flow;
  flow.state = crypto::RandomToken(32);
  flow.nonce = crypto::RandomToken(32);
  PkcePair pkce = GeneratePkce();
  flow.code_verifier = std::move(pkce.verifier);
  flow.code_challenge = std::move(pkce.challenge);
  flow.redirect_uri = std::string(redirect_uri);
  flow.expires_at = clock_->NowUnixSeconds() + lifetime_.count();
  BULWARK_RETURN_IF_ERROR(store_->Put(TokenHash(flow.state), flow));
  return flow;
}

Result<OAuthFlow> OAuthFlows::Complete(Untrusted<std::string_view> state,
                                       Untrusted<std::string_view> redirect_uri) {
  const std::int64_t now = clock_->NowUnixSeconds();
  auto fail = [&](const char* reason) -> Error {
    Emit(*events_, SecurityEventType::kOAuthCheckFailed, now, {}, {}, reason);
    return Error(ErrorCode::kPermissionDenied, "OAuth callback refused");
  };
  const std::string_view value = state.UnvalidatedValue();
  if (value.empty() || value.size() > 256) return fail("malformed state");
  Result<std::optional<OAuthFlow>> taken = store_->Take(TokenHash(value));
  if (!taken.ok()) return Error(ErrorCode::kUnavailable, "OAuth flow store unavailable");
  if (!taken->has_value()) return fail("unknown or already used state");
  OAuthFlow flow = std::move(**taken);
  if (now >= flow.expires_at) return fail("expired state");
  if (!SingleValueMatches(flow.state, value)) return fail("state mismatch");
  if (flow.redirect_uri != redirect_uri.UnvalidatedValue()) return fail("redirect URI mismatch");
  return flow;
}

Result<void> OAuthFlows::CheckNonce(const OAuthFlow& flow, Untrusted<std::string_view> nonce) {
  if (!SingleValueMatches(flow.nonce, nonce.UnvalidatedValue())) {
    Emit(*events_, SecurityEventType::kOAuthCheckFailed, clock_->NowUnixSeconds(), {}, {},
         "nonce mismatch");
    return Error(ErrorCode::kPermissionDenied, "ID token nonce does not match");
  }
  return Ok();
}

}  // namespace bulwark::auth
