#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bulwark/auth/authz.h"
#include "bulwark/auth/events.h"
#include "bulwark/auth/oauth.h"
#include "test_util.h"

namespace bulwark::auth {
namespace {

using testing::Str;
using testing::Vector;

Guard MakeGuard(MemoryEventSink& events) {
  GuardBuilder b;
  b.DefineRole("viewer", {"doc:read"});
  b.DefineRole("editor", {"doc:read", "doc:write"});
  b.DefineRole("admin", {"doc:read", "doc:write", "doc:delete"});
  b.DefinePolicy("owner_or_admin", AnyOf({OwnerPolicy(), HasRole("admin")}));
  b.DefinePolicy("same_tenant", SameTenantPolicy());
  b.DefinePolicy("draft", ResourceStateIn({"draft"}));
  b.Require("GET /docs/{id}", {.permissions = {"doc:read"}, .policies = {"same_tenant"}});
  b.Require("PUT /docs/{id}",
            {.permissions = {"doc:write"}, .policies = {"same_tenant", "owner_or_admin", "draft"}});
  b.Require("DELETE /docs/{id}", {.permissions = {"doc:delete"}});
  b.AllowAnonymous("GET /health", Reason{"load balancer health check"});
  return *std::move(b).Build(events);
}

TEST(Guard, RbacAbacAndDenyByDefault) {
  MemoryEventSink events;
  Guard guard = MakeGuard(events);
  Principal ann{.subject = "ann", .tenant = "t1", .roles = {"editor"}};
  Principal eve{.subject = "eve", .tenant = "t2", .roles = {"admin"}};
  Principal anonymous;
  Resource doc{.type = "doc", .id = "1", .owner = "ann", .tenant = "t1", .state = "draft"};

  EXPECT_TRUE(guard.Authorize("GET /docs/{id}", ann, &doc).ok());
  EXPECT_TRUE(guard.Authorize("PUT /docs/{id}", ann, &doc).ok());
  // Other tenant: denied even for an admin (tenant isolation first).
  EXPECT_EQ(guard.Authorize("GET /docs/{id}", eve, &doc).error().code(), ErrorCode::kPermissionDenied);
  // Ownership: another editor of the same tenant may read, not write.
  Principal bob{.subject = "bob", .tenant = "t1", .roles = {"editor"}};
  EXPECT_TRUE(guard.Authorize("GET /docs/{id}", bob, &doc).ok());
  EXPECT_FALSE(guard.Authorize("PUT /docs/{id}", bob, &doc).ok());
  Principal boss{.subject = "boss", .tenant = "t1", .roles = {"admin"}};
  EXPECT_TRUE(guard.Authorize("PUT /docs/{id}", boss, &doc).ok());
  // State: published documents are not editable.
  Resource published = doc;
  published.state = "published";
  EXPECT_FALSE(guard.Authorize("PUT /docs/{id}", ann, &published).ok());
  // Missing permission.
  EXPECT_FALSE(guard.Authorize("DELETE /docs/{id}", ann, &doc).ok());
  // Scopes cap a delegated credential.
  Principal scoped = ann;
  scoped.scopes = std::set<std::string>{"doc:read"};
  EXPECT_TRUE(guard.Authorize("GET /docs/{id}", scoped, &doc).ok());
  EXPECT_FALSE(guard.Authorize("PUT /docs/{id}", scoped, &doc).ok());
  // Deny by default: undeclared routes; anonymous callers.
  EXPECT_FALSE(guard.Authorize("POST /admin/everything", boss).ok());
  EXPECT_EQ(guard.Authorize("GET /docs/{id}", anonymous, &doc).error().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(guard.Authorize("GET /health", anonymous).ok());
  // A policy route without a resource fails closed.
  EXPECT_FALSE(guard.Authorize("GET /docs/{id}", ann, nullptr).ok());
  EXPECT_EQ(events.Count(SecurityEventType::kPermissionDenied), 8u);
}

TEST(Guard, ConfigurationErrorsAreCaughtAtBuild) {
  {
    GuardBuilder b;
    b.Require("GET /x", {});
    EXPECT_FALSE(std::move(b).Build().ok());
  }
  {
    GuardBuilder b;
    b.Require("GET /x", {.policies = {"undefined"}});
    EXPECT_FALSE(std::move(b).Build().ok());
  }
  {
    GuardBuilder b;
    b.AllowAnonymous("GET /x", Reason{""});
    EXPECT_FALSE(std::move(b).Build().ok());
  }
  {
    GuardBuilder b;
    b.Require("GET /x", {.permissions = {"a"}});
    b.AllowAnonymous("GET /x", Reason{"why"});
    EXPECT_FALSE(std::move(b).Build().ok());
  }
}

TEST(Pkce, Rfc7636AppendixB) {
  const auto& v = Vector("pkce_rfc7636_appendix_b");
  EXPECT_EQ(*PkceChallengeS256(Str(v.at("code_verifier"))), Str(v.at("code_challenge_S256")));
  EXPECT_TRUE(VerifyPkceS256(Str(v.at("code_verifier")), Str(v.at("code_challenge_S256"))));
  EXPECT_FALSE(VerifyPkceS256(Str(v.at("code_challenge_S256")), Str(v.at("code_verifier"))));
  EXPECT_FALSE(PkceChallengeS256("too-short").ok());
  EXPECT_FALSE(PkceChallengeS256(std::string(43, '+')).ok());
  PkcePair p = GeneratePkce();
  EXPECT_EQ(p.verifier.size(), 43u);
  EXPECT_TRUE(VerifyPkceS256(p.verifier, p.challenge));
}

TEST(RedirectUris, ExactMatchOnly) {
  auto list = *RedirectUriAllowlist::Create(
      {"https://app.example/callback", "http://127.0.0.1:8123/cb"});
  auto check = [&](std::string_view uri) { return list.Check(Untrusted<std::string_view>(uri)).ok(); };
  EXPECT_TRUE(check("https://app.example/callback"));
  EXPECT_TRUE(check("http://127.0.0.1:8123/cb"));
  EXPECT_FALSE(check("https://app.example/callback/"));
  EXPECT_FALSE(check("https://app.example/callback?x=1"));
  EXPECT_FALSE(check("https://app.example/callback/../evil"));
  EXPECT_FALSE(check("https://APP.example/callback"));
  EXPECT_FALSE(check("https://app.example.evil.com/callback"));
  EXPECT_FALSE(check("https://app.example/callback#frag"));
  EXPECT_FALSE(RedirectUriAllowlist::Create({"http://app.example/cb"}).ok());  // not loopback
  EXPECT_FALSE(RedirectUriAllowlist::Create({"https://*.example/cb"}).ok());
  EXPECT_FALSE(RedirectUriAllowlist::Create({"https://user@app.example/cb"}).ok());
  EXPECT_FALSE(RedirectUriAllowlist::Create({"https://app.example/cb#x"}).ok());
  EXPECT_FALSE(RedirectUriAllowlist::Create({"javascript:alert(1)"}).ok());
}

TEST(OAuthFlows, StateAndNonceAreSingleUse) {
  ManualClock clock(1'700'000'000);
  MemoryEventSink events;
  auto list = *RedirectUriAllowlist::Create({"https://app.example/callback"});
  MemoryOAuthFlowStore store;
  OAuthFlows flows(list, store, std::chrono::minutes(10), events, clock);
  EXPECT_FALSE(flows.Begin("https://evil.example/callback").ok());
  OAuthFlow flow = *flows.Begin("https://app.example/callback");
  EXPECT_NE(flow.state, flow.nonce);
  EXPECT_TRUE(VerifyPkceS256(flow.code_verifier, flow.code_challenge));
  using U = Untrusted<std::string_view>;
  Result<OAuthFlow> done = flows.Complete(U(flow.state), U("https://app.example/callback"));
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(flows.CheckNonce(*done, U(flow.nonce)).ok());
  EXPECT_FALSE(flows.CheckNonce(*done, U("other")).ok());
  // Second use of the state: refused.
  EXPECT_EQ(flows.Complete(U(flow.state), U("https://app.example/callback")).error().code(),
            ErrorCode::kPermissionDenied);
  // Expired, and wrong redirect URI.
  OAuthFlow late = *flows.Begin("https://app.example/callback");
  clock.Advance(std::chrono::minutes(11));
  EXPECT_FALSE(flows.Complete(U(late.state), U("https://app.example/callback")).ok());
  OAuthFlow moved = *flows.Begin("https://app.example/callback");
  EXPECT_FALSE(flows.Complete(U(moved.state), U("https://app.example/other")).ok());
  EXPECT_FALSE(flows.Complete(U(""), U("https://app.example/callback")).ok());
  EXPECT_EQ(events.Count(SecurityEventType::kOAuthCheckFailed), 5u);
}

}  // namespace
}  // namespace bulwark::auth
