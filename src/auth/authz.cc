#include "bulwark/auth/authz.h"

#include <utility>

namespace bulwark::auth {

Policy OwnerPolicy() {
  return [](const AccessRequest& r) {
    return r.resource != nullptr && !r.principal.subject.empty() &&
           r.resource->owner == r.principal.subject;
  };
}

Policy SameTenantPolicy() {
  return [](const AccessRequest& r) {
    return r.resource != nullptr && !r.principal.tenant.empty() &&
           r.resource->tenant == r.principal.tenant;
  };
}

Policy ResourceStateIn(std::set<std::string> states) {
  return [states = std::move(states)](const AccessRequest& r) {
    return r.resource != nullptr && states.count(r.resource->state) != 0;
  };
}

Policy HasRole(std::string role) {
  return [role = std::move(role)](const AccessRequest& r) {
    return r.principal.roles.count(role) != 0;
  };
}

Policy AnyOf(std::vector<Policy> policies) {
  return [policies = std::move(policies)](const AccessRequest& r) {
    for (const Policy& p : policies) {
      if (p && p(r)) return true;
    }
    return false;
  };
}

GuardBuilder& GuardBuilder::DefineRole(std::string role, std::set<std::string> permissions) {
  if (role.empty() || !roles_.emplace(std::move(role), std::move(permissions)).second) {
    errors_.push_back("role defined twice or empty");
  }
  return *this;
}

GuardBuilder& GuardBuilder::DefinePolicy(std::string name, Policy policy) {
  if (name.empty() || !policy || !policies_.emplace(std::move(name), std::move(policy)).second) {
    errors_.push_back("policy defined twice, empty or null");
  }
  return *this;
}

GuardBuilder& GuardBuilder::Require(std::string route, RouteRequirement requirement) {
  if (requirement.permissions.empty() && requirement.policies.empty()) {
    errors_.push_back("route declares no permission or policy (use AllowAnonymous for public routes)");
  }
  if (route.empty() || public_routes_.count(route) != 0 ||
      !routes_.emplace(std::move(route), std::move(requirement)).second) {
    errors_.push_back("route declared twice or empty");
  }
  return *this;
}

GuardBuilder& GuardBuilder::AllowAnonymous(std::string route, Reason reason) {
  if (reason.text.empty()) errors_.push_back("a public route needs a reason");
  if (route.empty() || routes_.count(route) != 0 ||
      !public_routes_.emplace(std::move(route), std::move(reason.text)).second) {
    errors_.push_back("route declared twice or empty");
  }
  return *this;
}

Result<Guard> GuardBuilder::Build(SecurityEventSink& events, const Clock& clock) && {
  for (const auto& [route, req] : routes_) {
    for (const std::string& name : req.policies) {
      if (policies_.count(name) == 0) errors_.push_back("route names an undefined policy");
    }
  }
  if (!errors_.empty()) return Error(ErrorCode::kInvalidArgument, errors_.front());
  Guard guard;
  guard.roles_.insert(roles_.begin(), roles_.end());
  guard.policies_.insert(policies_.begin(), policies_.end());
  guard.routes_.insert(routes_.begin(), routes_.end());
  guard.public_routes_.insert(public_routes_.begin(), public_routes_.end());
  guard.events_ = &events;
  guard.clock_ = &clock;
  return guard;
}

bool Guard::HasPermission(const Principal& principal, std::string_view permission) const {
  if (principal.scopes && principal.scopes->count(std::string(permission)) == 0) return false;
  for (const std::string& role : principal.roles) {
    auto it = roles_.find(role);
    if (it != roles_.end() && it->second.count(std::string(permission)) != 0) return true;
  }
  return false;
}

Result<void> Guard::Deny(const Principal& principal, std::string_view route, std::string reason,
                         ErrorCode code) const {
  Emit(*events_, SecurityEventType::kPermissionDenied, clock_->NowUnixSeconds(), principal.subject,
       std::string(route), std::move(reason));
  return Error(code, code == ErrorCode::kUnauthenticated ? "authentication required"
                                                         : "permission denied");
}

Result<void> Guard::Authorize(std::string_view route, const Principal& principal,
                              const Resource* resource) const {
  if (public_routes_.count(route) != 0) return Ok();
  auto it = routes_.find(route);
  if (it == routes_.end()) {
    return Deny(principal, route, "route has no declared requirement", ErrorCode::kPermissionDenied);
  }
  if (!principal.authenticated()) {
    return Deny(principal, route, "anonymous", ErrorCode::kUnauthenticated);
  }
  for (const std::string& permission : it->second.permissions) {
    if (!HasPermission(principal, permission)) {
      return Deny(principal, route, "missing permission " + permission,
                  ErrorCode::kPermissionDenied);
    }
  }
  const AccessRequest request{principal, resource, route};
  for (const std::string& name : it->second.policies) {
    auto policy = policies_.find(name);
    if (policy == policies_.end() || !policy->second(request)) {
      return Deny(principal, route, "policy " + name + " denied", ErrorCode::kPermissionDenied);
    }
  }
  return Ok();
}

}  // namespace bulwark::auth
