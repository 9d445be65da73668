#pragma once
// The account service behind `bulwark serve`: registration, login, MFA,
// sessions, access/refresh tokens, API keys, roles, admin routes and a
// tamper-evident audit trail, as a JSON API under /v1 (documented at
// /openapi.json) plus a small server-rendered web UI. Built only on the
// library's public API.
//
// Thread-safety: a Service is immutable after Create; its App may be served
// by many threads.

#include <memory>
#include <string>

#include "bulwark/audit/audit.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/http/app.h"
#include "config.h"
#include "retention.h"

namespace bulwark::service {

class Service {
 public:
  struct Impl;
  // Opens the data directory, keys (created on first start when
  // `first_start` allows), database (migrated) and builds the App.
  static Result<std::unique_ptr<Service>> Create(Config config, bool first_start = true);
  ~Service();

  const http::App& app() const;
  // Binds, prints the startup line and serves until SIGINT/SIGTERM.
  Result<void> Serve();
  // The OpenAPI 3.1 document (what /openapi.json serves).
  const std::string& openapi() const;
  // Number of routes declared (and documented).
  std::size_t route_count() const;

  Impl& impl() { return *impl_; }

 private:
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `bulwark admin create`: an account with the admin role, or promotes an
// existing account (`promote`). Errors: kAlreadyExists (the email is taken
// and promote is false), kInvalidArgument (a weak password or bad email).
Result<std::string> CreateAdmin(Config config, const std::string& email,
                                const SecretString& password, const std::string& display_name,
                                bool promote);

// `bulwark admin purge`: deletes what is past retention now (retention.h),
// whatever the interval; safe next to running servers. Errors:
// kFailedPrecondition (bad config), kUnavailable (database), and an error if
// the database was never set up by `bulwark serve`.
Result<PurgeCounts> PurgeNow(const Config& config);

// `bulwark audit verify`: checks the whole chain (and the anchor file).
Result<audit::VerifyReport> VerifyAudit(const Config& config);

}  // namespace bulwark::service
