#pragma once
// App: a Router plus the middleware Chain in front of it; what a Server
// serves, and what tests drive in memory.
//
//   App app(std::move(router), SecureDefaults(options));
//   Request req = *Request::Create(Method::kGet, "/health");
//   Response res = app.Handle(req);   // no sockets involved
//
// Handle() first matches the route (so middleware can read per-route
// options from request.context().route), then runs the chain, then the
// handler, or a 404 / 405 (with Allow) / automatic OPTIONS (204 + Allow).
// An exception escaping a handler becomes a generic 500 here even if the
// Errors middleware was removed; its text goes to the operator log only.
//
// Thread-safety: immutable after construction; Handle() may be called
// concurrently from every server thread.

#include <functional>
#include <memory>

#include "bulwark/http/middleware.h"
#include "bulwark/http/request.h"
#include "bulwark/http/response.h"
#include "bulwark/http/router.h"

namespace bulwark::http {

class App {
 public:
  App(Router router, Chain chain);
  // Not copyable or movable: the chain's terminal refers to this object.
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  Response Handle(Request& request) const;

  // The route's own body limit (RouteOptions::max_body_bytes) for a request
  // to `path`, or 0 when no route matches or it sets none. The server applies
  // it as soon as the head is read, so a small-body route cannot be made to
  // buffer up to the server-wide limit (raised for one upload route).
  std::size_t BodyLimitFor(Method method, std::string_view path) const;

  const Router& router() const noexcept { return router_; }
  const Chain& chain() const noexcept { return chain_; }

 private:
  Response Dispatch(Request& request) const;

  Router router_;
  Chain chain_;
  std::function<Response(Request&)> terminal_;
};

}  // namespace bulwark::http
