#pragma once
// Authorization: roles grant permissions (RBAC); token scopes cap what a
// delegated credential may do; named policies decide attribute and ownership
// rules (ABAC: the resource's owner, tenant, state). A Guard holds each
// route's requirement and answers allow/deny. It denies by default:
//   - a route that was never declared is denied;
//   - a route declared with no permissions and no policies is denied, unless
//     it was declared public with a reason (Guard::AllowAnonymous);
//   - an unknown role or policy name is a configuration error at declaration
//     time, not a silent "allow" at request time.
// Every denial is recorded as an authz.denied security event.
//
//   GuardBuilder b;
//   b.DefineRole("editor", {"doc:read", "doc:write"});
//   b.DefinePolicy("owner", OwnerPolicy());
//   b.Require("PUT /docs/{id}", {.permissions = {"doc:write"}, .policies = {"owner"}});
//   BULWARK_ASSIGN_OR_RETURN(Guard guard, std::move(b).Build(sink));
//   Result<void> ok = guard.Authorize("PUT /docs/{id}", principal, &doc);
//
// Thread-safety: Guard is immutable after Build and safe to share.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/auth/events.h"
#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"

namespace bulwark::auth {

struct Principal {
  std::string subject;  // user or service id; empty for anonymous
  std::string tenant;
  std::set<std::string> roles;
  // Scopes of the credential (OAuth token, API key). nullopt: a first-party
  // session, not capped. An empty set caps to nothing.
  std::optional<std::set<std::string>> scopes;
  std::map<std::string, std::string> attributes;
  bool authenticated() const noexcept { return !subject.empty(); }
};

struct Resource {
  std::string type;
  std::string id;
  std::string owner;
  std::string tenant;
  std::string state;
  std::map<std::string, std::string> attributes;
};

struct AccessRequest {
  const Principal& principal;
  const Resource* resource;  // nullptr for collection routes
  std::string_view route;
};

// A policy returns true to allow. It must be pure and thread-safe.
using Policy = std::function<bool(const AccessRequest&)>;

// The principal owns the resource.
Policy OwnerPolicy();
// Principal and resource are in the same, non-empty tenant.
Policy SameTenantPolicy();
// The resource is in one of `states` (e.g. only "draft" documents are editable).
Policy ResourceStateIn(std::set<std::string> states);
// The principal has `role` (an override such as "admin" in an Any policy).
Policy HasRole(std::string role);
// At least one of the policies allows.
Policy AnyOf(std::vector<Policy> policies);

struct RouteRequirement {
  std::vector<std::string> permissions;  // all required
  std::vector<std::string> policies;     // names; all must allow
};

struct Reason {
  std::string text;  // why a route is public ("health check for the load balancer")
};

class Guard;

class GuardBuilder {
 public:
  GuardBuilder& DefineRole(std::string role, std::set<std::string> permissions);
  GuardBuilder& DefinePolicy(std::string name, Policy policy);
  GuardBuilder& Require(std::string route, RouteRequirement requirement);
  // A route anyone may call, with the reason on record.
  GuardBuilder& AllowAnonymous(std::string route, Reason reason);

  // Errors: kInvalidArgument for a route declared twice, an empty route
  // requirement (deny-by-default would make it unusable: say AllowAnonymous
  // or name a permission), a policy name that is not defined, an empty reason.
  // REQUIRES: `events` and `clock` outlive the Guard.
  Result<Guard> Build(SecurityEventSink& events = NullEventSink(),
                      const Clock& clock = SystemClock()) &&;

 private:
  std::map<std::string, std::set<std::string>> roles_;
  std::map<std::string, Policy> policies_;
  std::map<std::string, RouteRequirement> routes_;
  std::map<std::string, std::string> public_routes_;
  std::vector<std::string> errors_;
};

class Guard {
 public:
  // Errors: kUnauthenticated (an anonymous principal on a protected route),
  // kPermissionDenied (everything else that is not allowed). Messages are
  // generic; the event names the missing permission or failed policy.
  Result<void> Authorize(std::string_view route, const Principal& principal,
                         const Resource* resource = nullptr) const;
  // Whether the principal holds `permission` through its roles, within its scopes.
  bool HasPermission(const Principal& principal, std::string_view permission) const;

 private:
  friend class GuardBuilder;
  Guard() = default;
  Result<void> Deny(const Principal& principal, std::string_view route, std::string reason,
                    ErrorCode code) const;

  std::map<std::string, std::set<std::string>, std::less<>> roles_;
  std::map<std::string, Policy, std::less<>> policies_;
  std::map<std::string, RouteRequirement, std::less<>> routes_;
  std::map<std::string, std::string, std::less<>> public_routes_;
  SecurityEventSink* events_ = nullptr;
  const Clock* clock_ = nullptr;
};

}  // namespace bulwark::auth
