#pragma once
// Router: method + path-template routing with typed parameters.
//
//   router.Get("/users/{id:int}", [](Request& r) {
//     std::int64_t id = r.PathInt("id");  ... });
//
// Templates are '/'-separated segments; a segment is literal text or one
// parameter `{name}` / `{name:type}` with type string (default: one decoded
// segment, non-empty, no '/'), int (signed 64-bit decimal, no sign '+', no
// leading zeros), slug ([a-z0-9-], 1..64) or uuid (canonical lower/upper
// hex 8-4-4-4-12). A path matches only if every parameter parses, so
// handlers receive checked values.
//
// Paths are matched segment by segment after strict percent-decoding; a
// path with an empty segment ("//"), a "." or ".." segment, an encoded '/'
// or a bad escape matches nothing (404). HEAD is served by the GET route
// (the server drops the body); OPTIONS is answered with 204 and Allow
// unless a route handles it; a path that exists for other methods gets 405
// with Allow.
//
// Thread-safety: build it on one thread; after that Find() is const and may
// be called concurrently. Adding a bad template or a duplicate route is a
// programming error and aborts at startup (BULWARK_CHECK).

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/http/request.h"
#include "bulwark/http/response.h"

namespace bulwark::http {

using Handler = std::function<Response(Request&)>;

// Per-route request rules, enforced by the RequestChecks middleware.
struct RouteOptions {
  // Media types (no parameters, lower case) accepted for a request body. A
  // request with a body and another (or no) Content-Type gets 415. Empty:
  // the route takes no body at all.
  std::vector<std::string> consumes;
  // Media types the route can answer with; an Accept header that allows
  // none of them gets 406.
  std::vector<std::string> produces{"application/json"};
  // Body limit for this route (413 beyond it); 0 = the RequestChecks default.
  std::size_t max_body_bytes = 0;
  // Skip the JSON body check (depth/size/duplicates/UTF-8) for a route that
  // consumes application/json but parses it itself. Named so it is greppable.
  bool unsafe_skip_json_check = false;
};

struct Route {
  Method method = Method::kGet;
  std::string pattern;
  Handler handler;
  RouteOptions options;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // REQUIRES: `pattern` is a valid template; no route with the same method
  // and the same shape exists.
  Router& Add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
  Router& Get(std::string_view p, Handler h, RouteOptions o = {}) {
    return Add(Method::kGet, p, std::move(h), std::move(o));
  }
  Router& Post(std::string_view p, Handler h, RouteOptions o = {}) {
    return Add(Method::kPost, p, std::move(h), std::move(o));
  }
  Router& Put(std::string_view p, Handler h, RouteOptions o = {}) {
    return Add(Method::kPut, p, std::move(h), std::move(o));
  }
  Router& Patch(std::string_view p, Handler h, RouteOptions o = {}) {
    return Add(Method::kPatch, p, std::move(h), std::move(o));
  }
  Router& Delete(std::string_view p, Handler h, RouteOptions o = {}) {
    return Add(Method::kDelete, p, std::move(h), std::move(o));
  }

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed, kAutoOptions };
    Kind kind = Kind::kNotFound;
    const Route* route = nullptr;  // for kFound; owned by the Router
    std::vector<PathParam> params;
    std::string allow;  // "GET, HEAD, OPTIONS" for kMethodNotAllowed/kAutoOptions
  };
  // `path` is the raw (percent-encoded) path of the request.
  Match Find(Method method, std::string_view path) const;

  std::size_t size() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::http
