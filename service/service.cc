// Service set-up: keys, database, library components, the middleware chain,
// dispatch with authentication and permissions, sessions and tokens, audit,
// and the operational routes (health, readiness, metrics, JWKS, OpenAPI).

#include "service.h"

#include <cstdio>
#include <cstring>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/compare.h"
#include "bulwark/crypto/random.h"
#include "bulwark/http/cookies.h"
#include "bulwark/http/secure_defaults.h"
#include "bulwark/http/server.h"
#include "bulwark/net/address.h"
#include "bulwark/secrets/secrets.h"
#include "internal.h"
#include "sql_stores.h"
#include "store.h"
#include "retention.h"
#include "webhooks.h"

namespace bulwark::service {

// ---- Operator log ------------------------------------------------------------------

void OpLog(std::string_view level, std::string_view message) {
  std::string line = JObj({{"level", J(std::string(level))}, {"msg", J(std::string(message))}}).Serialize();
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

// ---- Audit ---------------------------------------------------------------------------

class AuditBridge final : public auth::SecurityEventSink {
 public:
  explicit AuditBridge(const Service::Impl& impl) : impl_(impl) {}
  void Record(const auth::SecurityEvent& event) noexcept override {
    try {
      std::string_view outcome = audit::kSuccess;
      switch (event.type) {
        case auth::SecurityEventType::kLoginFailed:
        case auth::SecurityEventType::kMfaFailed:
        case auth::SecurityEventType::kMfaReplayBlocked:
        case auth::SecurityEventType::kRefreshReuseDetected:
        case auth::SecurityEventType::kApiKeyRejected:
        case auth::SecurityEventType::kOAuthCheckFailed:
          outcome = audit::kFailure;
          break;
        case auth::SecurityEventType::kPermissionDenied:
          outcome = audit::kDenied;
          break;
        default:
          break;
      }
      std::vector<std::pair<std::string, std::string>> details = event.attributes;
      if (!event.reason.empty()) details.emplace_back("reason", event.reason);
      impl_.Audit(event.subject.empty() ? "" : "user:" + event.subject,
                  std::string(auth::SecurityEventName(event.type)), event.reference, outcome,
                  std::move(details));
    } catch (...) {
      // Record must not throw; Audit already counts write failures.
    }
  }

 private:
  const Service::Impl& impl_;
};

void Service::Impl::Audit(std::string actor, std::string action, std::string target,
                          std::string_view outcome,
                          std::vector<std::pair<std::string, std::string>> details) const {
  const RequestScope& scope = CurrentScope();
  audit::AuditEntry entry{.actor = std::move(actor),
                          .action = std::move(action),
                          .target = std::move(target),
                          .outcome = std::string(outcome),
                          .request_id = scope.request_id,
                          .client_address = scope.client_address,
                          .details = std::move(details)};
  Result<std::int64_t> r = audit->Append(entry);
  if (!r.ok()) {
    metrics.AuditWriteFailed();
    OpLog("error", "audit append failed: " + r.error().ToString());
  }
  // Account events also go to the account's webhooks (queued here, sent by
  // the worker).
  if (entry.actor.starts_with("user:")) {
    const std::vector<std::string>& names = WebhookEventNames();
    if (std::find(names.begin(), names.end(), entry.action) != names.end()) {
      EnqueueWebhookEvent(std::string_view(entry.actor).substr(5), entry.action, entry.target,
                          entry.outcome);
    }
  }
}

void Service::Impl::Event(auth::SecurityEventType type, std::string subject, std::string reference,
                          std::string reason) const {
  auth::Emit(*events, type, clock->NowUnixSeconds(), std::move(subject), std::move(reference),
             std::move(reason));
}

// ---- Set-up -----------------------------------------------------------------------------

Result<void> Service::Impl::Init(bool first_start) {
  std::vector<std::string> created;
  BULWARK_ASSIGN_OR_RETURN(ServiceKeys k, LoadKeys(config, first_start, &created));
  keys = std::make_unique<ServiceKeys>(std::move(k));
  for (const std::string& line : created) OpLog("info", line);

  BULWARK_ASSIGN_OR_RETURN(db::Database database, OpenDatabase(config, config.threads * 2 + 4));
  db = std::make_unique<db::Database>(std::move(database));
  std::vector<db::Migration> migrations = ServiceMigrations(db->backend());
  BULWARK_ASSIGN_OR_RETURN(db::MigrationReport report, db::Migrate(*db, migrations));
  if (!report.applied.empty()) {
    OpLog("info", "database migrated to version " + std::to_string(report.current_version));
  }

  BULWARK_ASSIGN_OR_RETURN(crypto::PasswordHasher h, crypto::PasswordHasher::Create({}));
  hasher = std::make_unique<crypto::PasswordHasher>(std::move(h));
  BULWARK_ASSIGN_OR_RETURN(pool, crypto::HashingPool::Create({.workers = config.hash_workers,
                                                              .max_queue = config.hash_queue,
                                                              .queue_timeout = config.hash_queue_timeout}));
  BULWARK_ASSIGN_OR_RETURN(crypto::PasswordPolicy p, crypto::PasswordPolicy::Create({}));
  policy = std::make_unique<crypto::PasswordPolicy>(p);
  SecretString dummy = SecretString::Adopt(crypto::RandomToken(24));
  BULWARK_ASSIGN_OR_RETURN(dummy_hash, hasher->Hash(dummy));

  audit::AuditLogOptions audit_options;
  audit_options.anchor_file = config.data_dir + "/audit.anchors";
  BULWARK_ASSIGN_OR_RETURN(audit, audit::AuditLog::Create(*db, keys->audit, audit_options, *clock));
  events = std::make_unique<AuditBridge>(*this);

  base_url = (config.tls_cert.empty() ? "http://" : "https://") + config.listen;
  std::string issuer = config.issuer.empty() ? base_url : config.issuer;
  BULWARK_ASSIGN_OR_RETURN(auth::JwtSigner s,
                           auth::JwtSigner::Create(keys->jwt, {.issuer = issuer,
                                                               .audience = "bulwark",
                                                               .lifetime = config.access_token_ttl,
                                                               .clock = clock}));
  signer = std::make_unique<auth::JwtSigner>(std::move(s));
  BULWARK_ASSIGN_OR_RETURN(auth::JwtVerifier v,
                           auth::JwtVerifier::Create(keys->jwt, {.issuer = issuer,
                                                                 .audience = "bulwark",
                                                                 .clock = clock}));
  verifier = std::make_unique<auth::JwtVerifier>(std::move(v));
  BULWARK_ASSIGN_OR_RETURN(jwks, auth::PublishJwks(keys->jwt));
  BULWARK_ASSIGN_OR_RETURN(crypto::Aead aead, crypto::Aead::Create(keys->data));
  data_aead = std::make_unique<crypto::Aead>(std::move(aead));
  BULWARK_ASSIGN_OR_RETURN(crypto::Mac rmac, crypto::Mac::Create(keys->refresh));
  refresh_mac = std::make_unique<crypto::Mac>(std::move(rmac));

  totp_replay = std::make_unique<SqlTotpReplayStore>(*db);
  BULWARK_ASSIGN_OR_RETURN(auth::TotpVerifier tv,
                           auth::TotpVerifier::Create({.clock = clock}, *totp_replay, *events));
  totp = std::make_unique<auth::TotpVerifier>(std::move(tv));
  backup_store = std::make_unique<SqlBackupCodeStore>(*db);
  BULWARK_ASSIGN_OR_RETURN(auth::BackupCodes bc,
                           auth::BackupCodes::Create(keys->mfa, *backup_store, {}, *events, *clock));
  backup_codes = std::make_unique<auth::BackupCodes>(std::move(bc));
  std::shared_ptr<http::BackoffStore> backoff;
  if (config.redis.empty()) {
    backoff = http::MakeMemoryBackoffStore({.clock = clock});
  } else {
    BULWARK_ASSIGN_OR_RETURN(backoff, http::MakeRedisBackoffStore({.url = config.redis,
                                                                   .key_prefix = "bulwark:login:"}));
  }
  throttle = std::make_unique<LoginThrottle>(std::move(backoff));
  if (config.redis.empty()) {
    registrations = http::MakeMemoryRateLimitStore({.clock = clock});
  } else {
    BULWARK_ASSIGN_OR_RETURN(registrations, http::MakeRedisRateLimitStore({.url = config.redis,
                                                                          .key_prefix = "bulwark:reg:"}));
  }

  // Webhooks: https to public addresses on port 443 unless the operator
  // says otherwise; the unsafe switches are for tests with a local receiver.
  net::DestinationPolicyOptions hook_policy;
  hook_policy.allow_http = config.webhook_unsafe_allow_http_for_testing;
  hook_policy.allowed_ports = config.webhook_allowed_ports;
  if (config.webhook_unsafe_allow_loopback_for_testing) {
    hook_policy.allow_ip_literal_hosts = true;
    hook_policy.unsafe_allowed_networks = {"127.0.0.0/8", "::1/128"};
  }
  if (config.webhook_unsafe_allow_http_for_testing ||
      config.webhook_unsafe_allow_loopback_for_testing) {
    OpLog("warn", "UNSAFE: webhooks may be sent over plain http and/or to loopback addresses "
                  "([webhooks] unsafe_*_for_testing); never use this in production");
  }
  BULWARK_ASSIGN_OR_RETURN(net::DestinationPolicy dp,
                           net::DestinationPolicy::Create(std::move(hook_policy)));
  net::ClientOptions co;
  co.connect_timeout = std::min<std::chrono::milliseconds>(config.webhook_timeout,
                                                           std::chrono::milliseconds(5000));
  co.total_timeout = config.webhook_timeout;
  co.max_response_body_bytes = 64 * 1024;  // read and dropped
  co.max_request_body_bytes = 64 * 1024;
  co.max_redirects = 0;
  co.user_agent = "bulwark-webhooks/0.1";
  BULWARK_ASSIGN_OR_RETURN(net::Client client, net::Client::Create(std::move(dp), std::move(co)));
  webhook_client = std::make_unique<net::Client>(std::move(client));
  webhook_worker = std::make_unique<WebhookWorker>(*this);

  // Files: a private directory in the data directory.
  std::string files_dir = config.data_dir + "/files";
  BULWARK_RETURN_IF_ERROR(PrepareDataDir(files_dir, true));
  BULWARK_ASSIGN_OR_RETURN(files::Root root, files::Root::Open(files_dir));
  files_root = std::make_unique<files::Root>(std::move(root));
  BULWARK_ASSIGN_OR_RETURN(files::DownloadPolicy dl, files::DownloadPolicy::Create());
  downloads = std::make_unique<files::DownloadPolicy>(std::move(dl));

  DeclareRoutes();
  openapi = BuildOpenApi();
  return BuildApp();
}

void Service::Impl::DeclareRoutes() {
  using http::Method;
  routes.push_back({.method = Method::kGet, .path = "/healthz", .summary = "Liveness: the process serves requests",
                    .tag = "operations", .access = Access::kPublic, .responses = {200},
                    .handler = [](http::Request&, const Caller*) {
                      return JsonResponse(200, JObj({{"status", J("ok")}}));
                    }});
  routes.push_back({.method = Method::kGet, .path = "/readyz", .summary = "Readiness: the database answers",
                    .tag = "operations", .access = Access::kPublic, .responses = {200, 503},
                    .handler = [this](http::Request& req, const Caller*) {
                      Result<void> ping = db->Ping();
                      if (!ping.ok()) {
                        OpLog("warn", "readyz: database ping failed: " + ping.error().ToString());
                        return ProblemResponse(req, 503, "database unavailable");
                      }
                      return JsonResponse(200, JObj({{"status", J("ready")}}));
                    }});
  routes.push_back({.method = Method::kGet, .path = "/metrics",
                    .summary = "Prometheus metrics (text format 0.0.4): for direct loopback "
                               "scrapers, otherwise for admins (API key scope admin:read)",
                    .tag = "operations", .access = Access::kPublic, .responses = {200, 404},
                    .produces = {"text/plain"},
                    .handler = [this](http::Request& req, const Caller*) {
                      // Counts of sign-in failures and throttling tell an attacker how
                      // their campaign is doing; others get the same 404 as any
                      // unknown path.
                      if (!MetricsAllowed(req)) return ProblemResponse(req, 404);
                      http::Response r(200);
                      r.SetBody(metrics.Render(pool->stats()), "text/plain; version=0.0.4");
                      return r;
                    }});
  routes.push_back({.method = Method::kGet, .path = "/.well-known/jwks.json",
                    .summary = "Public keys that verify access tokens (JWK Set)", .tag = "tokens",
                    .access = Access::kPublic, .responses = {200},
                    .handler = [this](http::Request&, const Caller*) {
                      http::Response r(200);
                      r.SetBody(jwks, "application/json");
                      r.SetHeader("Cache-Control", "public, max-age=300");
                      return r;
                    }});
  routes.push_back({.method = Method::kGet, .path = "/openapi.json",
                    .summary = "This API's OpenAPI 3.1 document", .tag = "operations",
                    .access = Access::kPublic, .responses = {200},
                    .handler = [this](http::Request&, const Caller*) {
                      http::Response r(200);
                      r.SetBody(openapi, "application/json");
                      return r;
                    }});
  AddAccountRoutes();
  AddTokenRoutes();
  AddMfaRoutes();
  AddKeyAndAdminRoutes();
  AddWebhookRoutes();
  AddFileRoutes();
  AddWebRoutes();
}

Result<void> Service::Impl::BuildApp() {
  http::SecureDefaultsOptions o;
  const Metrics* m = &metrics;
  o.access_log.sink = [m](std::string_view line) {
    const_cast<Metrics*>(m)->ObserveAccessLine(line);
    std::string out(line);
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
  };
  o.proxy.trusted_proxies = config.trusted_proxies;
  // With "no-referrer" Chromium sends `Origin: null` on same-origin form
  // posts, which the CSRF check (rightly) refuses; "same-origin" keeps the
  // Origin header for our own forms and still sends nothing cross-origin.
  o.security_headers.referrer_policy = "same-origin";
  o.rate_limit.policy = {.limit = config.rate_limit_per_minute,
                         .period = std::chrono::seconds(60),
                         .burst = config.rate_limit_burst};
  if (!config.redis.empty()) {
    BULWARK_ASSIGN_OR_RETURN(o.rate_limit.store,
                             http::MakeRedisRateLimitStore({.url = config.redis}));
  }
  o.cors.allowed_origins = config.cors_origins;
  BULWARK_ASSIGN_OR_RETURN(crypto::Mac csrf_mac, crypto::Mac::Create(keys->csrf));
  o.csrf.mac = std::make_shared<const crypto::Mac>(std::move(csrf_mac));
  o.csrf.session_cookie = std::string(kSessionCookie);
  o.request_checks.default_max_body_bytes = 64 * 1024;
  o.request_checks.json_limits.max_body_bytes = 64 * 1024;
  o.request_checks.json_limits.max_depth = 8;
  o.request_checks.json_limits.max_elements = 1000;
  o.request_checks.json_limits.max_string_bytes = 8 * 1024;
  o.request_checks.json_limits.max_members = 64;
  BULWARK_ASSIGN_OR_RETURN(http::Chain chain, http::SecureDefaults(std::move(o)));
  csrf = chain.Get<http::Csrf>();
  if (csrf == nullptr) return Error(ErrorCode::kInternal, "CSRF middleware missing");

  http::Router router;
  for (const ApiRoute& route : routes) {
    http::RouteOptions ro;
    ro.produces = route.produces;
    ro.consumes = route.consumes;
    if (ro.consumes.empty() && route.body != nullptr) ro.consumes = {"application/json"};
    ro.max_body_bytes = route.max_body_bytes > 0 ? route.max_body_bytes : 64 * 1024;
    const ApiRoute* r = &route;
    router.Add(route.method, route.path,
               [this, r](http::Request& req) { return Dispatch(*r, req); }, std::move(ro));
  }
  app = std::make_unique<http::App>(std::move(router), std::move(chain));
  return Ok();
}

bool Service::Impl::MetricsAllowed(http::Request& req) const {
  // A scraper on this host talking to us directly (no proxy in between: a
  // local reverse proxy would make every client look like loopback).
  const http::Headers& h = req.headers();
  Result<net::IpAddress> peer = net::IpAddress::Parse(req.context().peer_ip);
  if (peer.ok() && net::Classify(*peer) == net::AddressClass::kLoopback && !h.Has("forwarded") &&
      !h.Has("x-forwarded-for") && !h.Has("x-real-ip")) {
    return true;
  }
  Result<Caller> caller = Authenticate(req);
  if (!caller.ok() || caller->user.role != "admin") return false;
  if (caller->via != Caller::Via::kApiKey) return true;
  return std::find(caller->scopes.begin(), caller->scopes.end(), "admin:read") != caller->scopes.end();
}

http::Response Service::Impl::Dispatch(const ApiRoute& route, http::Request& req) const {
  ScopeGuard scope({std::string(req.context().request_id), req.context().client_ip});
  if (route.access == Access::kPublic) return route.handler(req, nullptr);
  Result<Caller> caller = Authenticate(req);
  if (!caller.ok()) {
    if (caller.error().code() == ErrorCode::kUnavailable ||
        caller.error().code() == ErrorCode::kResourceExhausted) {
      OpLog("error", "authentication unavailable: " + caller.error().ToString());
      return ProblemResponse(req, 503);
    }
    const_cast<Metrics&>(metrics).AuthFailure("credentials");
    http::Response r = ProblemResponse(req, 401, "authentication required");
    r.SetHeader("WWW-Authenticate", "Bearer realm=\"bulwark\"");
    return r;
  }
  if (caller->via == Caller::Via::kApiKey) {
    bool allowed = !route.api_key_scope.empty() &&
                   std::find(caller->scopes.begin(), caller->scopes.end(), route.api_key_scope) !=
                       caller->scopes.end();
    if (!allowed) {
      std::int64_t left_out = 0;
      if (denied_audit.Admit(clock->NowUnixSeconds(), &left_out)) {
        Audit("user:" + caller->user.id, "permission.denied", "api_key:" + caller->api_key_id,
              audit::kDenied,
              {{"route", route.path},
               {"needs_scope", route.api_key_scope.empty() ? "interactive" : route.api_key_scope},
               {"also_denied_since_last", std::to_string(left_out)}});
      }
      return ProblemResponse(req, 403, route.api_key_scope.empty()
                                           ? "API keys cannot be used for this operation"
                                           : "the API key lacks the required scope");
    }
  }
  if (route.access == Access::kAdmin && caller->user.role != "admin") {
    std::int64_t left_out = 0;
    if (denied_audit.Admit(clock->NowUnixSeconds(), &left_out)) {
      Audit("user:" + caller->user.id, "permission.denied", route.path, audit::kDenied,
            {{"needs_role", "admin"}, {"also_denied_since_last", std::to_string(left_out)}});
    }
    return ProblemResponse(req, 403, "administrator role required");
  }
  return route.handler(req, &*caller);
}

// ---- Users and authentication ----------------------------------------------------------

Result<User> Service::Impl::LoadUser(std::string_view id) const {
  BULWARK_ASSIGN_OR_RETURN(db::Rows rows,
                           db->Query("SELECT id, email, password_hash, display_name, role, locked, "
                                     "email_verified, totp_secret, totp_pending, "
                                     "credentials_changed_at, created_at FROM users WHERE id = ?",
                                     id));
  if (rows.empty()) return Error(ErrorCode::kNotFound, "no such user");
  return UserFromRow(rows[0]);
}

Result<std::optional<User>> Service::Impl::FindUserByEmail(std::string_view email) const {
  BULWARK_ASSIGN_OR_RETURN(db::Rows rows,
                           db->Query("SELECT id, email, password_hash, display_name, role, locked, "
                                     "email_verified, totp_secret, totp_pending, "
                                     "credentials_changed_at, created_at FROM users WHERE email = ?",
                                     email));
  if (rows.empty()) return std::optional<User>();
  BULWARK_ASSIGN_OR_RETURN(User u, UserFromRow(rows[0]));
  return std::optional<User>(std::move(u));
}

Result<Caller> Service::Impl::Authenticate(http::Request& req) const {
  const std::int64_t now = clock->NowUnixSeconds();
  const Error unauthenticated(ErrorCode::kUnauthenticated, "unauthenticated");
  if (std::optional<std::string_view> header = req.Header("authorization")) {
    if (req.headers().Count("authorization") != 1) return unauthenticated;
    std::string_view h = *header;
    if (h.size() > 7 && http::EqualsIgnoreCase(h.substr(0, 7), "bearer ")) {
      Result<auth::VerifiedJwt> jwt = verifier->Verify(Untrusted<std::string_view>(h.substr(7)));
      if (!jwt.ok()) return unauthenticated;
      std::optional<std::string_view> sub = jwt->claims().subject();
      if (!sub) return unauthenticated;
      Result<User> user = LoadUser(*sub);
      if (!user.ok()) {
        if (user.error().code() == ErrorCode::kNotFound) return unauthenticated;
        return std::move(user).error();
      }
      std::int64_t iat = jwt->claims().issued_at().value_or(0);
      // The token names the credentials it was issued under ("cv"); any
      // password change since then moves the user's value, even within the
      // same second as the token's iat.
      std::optional<std::int64_t> cv = jwt->claims().GetInt("cv");
      if (user->locked || !cv || *cv != user->credentials_changed_at) return unauthenticated;
      // The token belongs to a refresh family ("sid"); once the family is
      // revoked (sign-out, reuse detected, another session's security
      // change), its access tokens stop working too, not 15 minutes later.
      std::optional<std::string_view> sid = jwt->claims().GetString("sid");
      if (!sid || sid->empty()) return unauthenticated;
      BULWARK_ASSIGN_OR_RETURN(
          db::Rows family,
          db->Query("SELECT revoked_at FROM refresh_families WHERE id = ? AND user_id = ?",
                    std::string(*sid), user->id));
      if (family.empty() || family[0].Get<std::int64_t>(0).value_or(1) != 0) return unauthenticated;
      Caller c;
      c.via = Caller::Via::kBearer;
      c.family_id = std::string(*sid);
      c.user = std::move(user).value();
      c.auth_time = jwt->claims().GetInt("auth_time").value_or(iat);
      return c;
    }
    if (h.size() > 7 && http::EqualsIgnoreCase(h.substr(0, 7), "apikey ")) {
      std::string_view key = h.substr(7);
      // bwk_<16 hex id>_<secret>
      if (key.size() < 4 + 16 + 1 + 16 || key.size() > 128 || !key.starts_with("bwk_") ||
          key[20] != '_') {
        return unauthenticated;
      }
      std::string id(key.substr(4, 16));
      std::string_view secret = key.substr(21);
      BULWARK_ASSIGN_OR_RETURN(
          db::Rows rows, db->Query("SELECT user_id, secret_hash, scopes, expires_at, revoked_at, "
                                   "last_used_at FROM api_keys WHERE id = ?",
                                   id));
      // Hash the secret either way, so timing does not say whether the id exists.
      std::string presented = HashToken(secret);
      // Free to repeat (a made-up key, or one's own key with a wrong
      // secret), so sampled.
      auto rejected = [&](std::string actor, std::string target, std::string reason) {
        std::int64_t left_out = 0;
        if (rejected_key_audit.Admit(now, &left_out)) {
          Audit(std::move(actor),
                std::string(auth::SecurityEventName(auth::SecurityEventType::kApiKeyRejected)),
                std::move(target), audit::kFailure,
                {{"reason", std::move(reason)}, {"also_rejected_since_last", std::to_string(left_out)}});
        }
        return unauthenticated;
      };
      if (rows.empty()) return rejected("", "api_key:" + id.substr(0, 8), "unknown key");
      const db::Row& row = rows[0];
      BULWARK_ASSIGN_OR_RETURN(std::string user_id, row.Get<std::string>(0));
      BULWARK_ASSIGN_OR_RETURN(std::string stored, row.Get<std::string>(1));
      BULWARK_ASSIGN_OR_RETURN(std::string scopes, row.Get<std::string>(2));
      BULWARK_ASSIGN_OR_RETURN(std::int64_t expires_at, row.Get<std::int64_t>(3));
      BULWARK_ASSIGN_OR_RETURN(std::int64_t revoked_at, row.Get<std::int64_t>(4));
      BULWARK_ASSIGN_OR_RETURN(std::int64_t last_used, row.Get<std::int64_t>(5));
      if (!crypto::ConstantTimeEquals(presented, stored) || revoked_at != 0 ||
          (expires_at != 0 && expires_at <= now)) {
        return rejected("user:" + user_id, "api_key:" + id,
                        revoked_at != 0 ? "revoked" : "bad secret or expired");
      }
      Result<User> user = LoadUser(user_id);
      if (!user.ok()) return unauthenticated;
      if (user->locked) return unauthenticated;
      if (now - last_used >= 60) {
        (void)db->Execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", now, id);
      }
      Caller c;
      c.via = Caller::Via::kApiKey;
      c.user = std::move(user).value();
      c.api_key_id = id;
      std::size_t start = 0;
      while (start < scopes.size()) {
        std::size_t end = scopes.find(' ', start);
        if (end == std::string::npos) end = scopes.size();
        if (end > start) c.scopes.push_back(scopes.substr(start, end - start));
        start = end + 1;
      }
      return c;
    }
    return unauthenticated;
  }
  std::optional<std::string> cookie = http::FindCookie(req, kSessionCookie);
  if (!cookie || cookie->size() != 43) return unauthenticated;
  std::string hash = HashToken(*cookie);
  BULWARK_ASSIGN_OR_RETURN(
      db::Rows rows, db->Query("SELECT handle, user_id, created_at, last_seen_at, expires_at "
                               "FROM sessions WHERE id_hash = ?",
                               hash));
  if (rows.empty()) return unauthenticated;
  BULWARK_ASSIGN_OR_RETURN(std::string handle, rows[0].Get<std::string>(0));
  BULWARK_ASSIGN_OR_RETURN(std::string user_id, rows[0].Get<std::string>(1));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t created_at, rows[0].Get<std::int64_t>(2));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t last_seen, rows[0].Get<std::int64_t>(3));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t expires_at, rows[0].Get<std::int64_t>(4));
  if (expires_at <= now || last_seen <= now - config.session_idle.count()) {
    (void)db->Execute("DELETE FROM sessions WHERE id_hash = ?", hash);
    return unauthenticated;
  }
  Result<User> user = LoadUser(user_id);
  if (!user.ok() || user->locked) return unauthenticated;
  if (now - last_seen >= 60) {
    (void)db->Execute("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", now, hash);
  }
  Caller c;
  c.via = Caller::Via::kSession;
  c.user = std::move(user).value();
  c.session_hash = hash;
  c.session_handle = handle;
  c.auth_time = created_at;
  return c;
}

Result<bool> Service::Impl::CheckPassword(const User* user, const SecretString& password) const {
  std::string_view stored = user != nullptr ? std::string_view(user->password_hash) : dummy_hash;
  Result<crypto::PasswordVerification> v = pool->Verify(*hasher, password, stored);
  if (!v.ok()) {
    if (v.error().code() == ErrorCode::kInvalidArgument) return false;  // unusable password
    return std::move(v).error();
  }
  return v->matched && user != nullptr;
}

Result<void> Service::Impl::CheckSecondFactor(const User& user, const std::string* totp_code,
                                              const std::string* backup_code) const {
  if (totp_code != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(Bytes sealed, Base64UrlDecode(user.totp_secret));
    std::string ad = "totp:" + user.id;
    BULWARK_ASSIGN_OR_RETURN(SecretBytes secret, data_aead->DecryptSecret(sealed, AsBytes(ad)));
    BULWARK_ASSIGN_OR_RETURN(auth::TotpMatch m,
                             totp->Verify(user.id, secret, Untrusted<std::string_view>(*totp_code)));
    (void)m;
    return Ok();
  }
  if (backup_code != nullptr) {
    return backup_codes->Redeem(user.id, Untrusted<std::string_view>(*backup_code));
  }
  return Error(ErrorCode::kUnauthenticated, "second factor required");
}

std::optional<http::Response> Service::Impl::StepUp(const http::Request& req, const Caller& c,
                                                   const Body& body, std::string_view password_field,
                                                   bool second_factor,
                                                   std::string_view failed_action) const {
  const SecretString password = SecretString::CopyFrom(AsBytes(body.Str(password_field).value_or("")));
  const std::optional<std::string> totp_code = body.Str("totp_code");
  const std::optional<std::string> backup_code = body.Str("backup_code");
  return StepUp(req, c, password, totp_code ? &*totp_code : nullptr,
                backup_code ? &*backup_code : nullptr, second_factor, failed_action);
}

std::optional<http::Response> Service::Impl::StepUp(const http::Request& req, const Caller& c,
                                                   const SecretString& password,
                                                   const std::string* totp_code,
                                                   const std::string* backup_code, bool second_factor,
                                                   std::string_view failed_action) const {
  const std::string& address = req.context().client_ip;
  Result<std::int64_t> wait = throttle->RetryAfter(c.user.email, address);
  if (!wait.ok() || *wait > 0) {
    LoginResult r;
    if (wait.ok()) {
      const_cast<Metrics&>(metrics).LoginThrottled();
      r.status = 429;
      r.retry_after = *wait;
      r.detail = "too many failed attempts; try again later";
    } else {
      OpLog("error", "step-up: throttle store unavailable: " + wait.error().ToString());
      r.status = 503;
      r.retry_after = 1;
      r.detail = "busy; try again shortly";
    }
    return LoginFailure(req, r);
  }
  auto failed = [&](std::string_view reason, bool second = false) -> http::Response {
    if (second) {
      (void)throttle->RecordSecondFactorFailure(c.user.email, address);
    } else {
      (void)throttle->RecordFailure(c.user.email, address);
    }
    const_cast<Metrics&>(metrics).AuthFailure("step_up");
    Audit("user:" + c.user.id, std::string(failed_action), "user:" + c.user.id, audit::kFailure,
          {{"reason", std::string(reason)}});
    return ProblemResponse(req, 403, "re-authentication failed");
  };
  Result<bool> ok = CheckPassword(&c.user, password);
  if (!ok.ok()) {
    LoginResult r;
    r.status = 503;
    r.retry_after = 1;
    r.detail = "busy; try again shortly";
    if (ok.error().code() != ErrorCode::kResourceExhausted) {
      OpLog("error", "step-up: password check failed: " + ok.error().ToString());
    }
    return LoginFailure(req, r);
  }
  if (!*ok) return failed("password");
  if (second_factor && c.user.mfa_enabled()) {
    Result<std::int64_t> second_wait = throttle->SecondFactorRetryAfter(c.user.email);
    if (!second_wait.ok() || *second_wait > 0) {
      LoginResult r;
      r.status = second_wait.ok() ? 429 : 503;
      r.retry_after = second_wait.ok() ? *second_wait : 1;
      r.detail = second_wait.ok() ? "too many failed attempts; try again later" : "busy; try again shortly";
      return LoginFailure(req, r);
    }
    Result<void> second = CheckSecondFactor(c.user, totp_code, backup_code);
    if (!second.ok()) {
      if (second.error().code() == ErrorCode::kUnavailable) return ProblemResponse(req, 503);
      return failed("second factor", true);
    }
  }
  return std::nullopt;
}

Service::Impl::LoginResult Service::Impl::Login(const http::Request& req, const std::string& email,
                                                const SecretString& password,
                                                const std::string* totp_code,
                                                const std::string* backup_code) const {
  LoginResult out;
  // A 503 the client may retry in a second (a store or the hasher is busy).
  auto busy = [&out]() {
    out.status = 503;
    out.retry_after = 1;
    out.detail = "busy; try again shortly";
    return out;
  };
  const std::string& address = req.context().client_ip;
  Result<std::int64_t> throttled = throttle->RetryAfter(email, address);
  if (!throttled.ok()) {
    // Fail closed: without the throttle's answer, guesses would be unlimited.
    OpLog("error", "login: throttle store unavailable: " + throttled.error().ToString());
    return busy();
  }
  const std::int64_t wait = *throttled;
  if (wait > 0) {
    const_cast<Metrics&>(metrics).LoginThrottled();
    std::int64_t suppressed = 0;
    if (throttled_audit.Admit(clock->NowUnixSeconds(), &suppressed)) {
      Audit("", "login.throttled", "", audit::kDenied,
            {{"retry_after", std::to_string(wait)}, {"also_throttled_since_last", std::to_string(suppressed)}});
    }
    out.status = 429;
    out.retry_after = wait;
    out.detail = "too many failed attempts; try again later";
    return out;
  }
  Result<std::optional<User>> found = FindUserByEmail(email);
  if (!found.ok()) {
    OpLog("error", "login: user lookup failed: " + found.error().ToString());
    out.status = 503;
    return out;
  }
  const User* user = found->has_value() ? &**found : nullptr;
  Result<bool> ok = CheckPassword(user, password);
  if (!ok.ok()) {
    if (ok.error().code() == ErrorCode::kResourceExhausted) return busy();
    OpLog("error", "login: password check failed: " + ok.error().ToString());
    out.status = 503;
    return out;
  }
  auto fail = [&](std::string reason, std::string detail, bool second_factor = false) {
    bool stuffing = second_factor ? throttle->RecordSecondFactorFailure(email, address)
                                  : throttle->RecordFailure(email, address);
    const_cast<Metrics&>(metrics).AuthFailure("login");
    Event(auth::SecurityEventType::kLoginFailed, user != nullptr ? user->id : "", "",
          std::move(reason));
    if (stuffing) {
      Audit("", "login.stuffing_suspected", "address", audit::kFailure,
            {{"failures", "51"}});
    }
    out.status = 401;
    out.detail = std::move(detail);
  };
  if (!*ok) {
    fail(user == nullptr ? "unknown account" : "wrong password", "invalid email or password");
    return out;
  }
  if (user->locked) {
    fail("account locked", "invalid email or password");
    return out;
  }
  if (user->mfa_enabled()) {
    if (totp_code == nullptr && backup_code == nullptr) {
      out.status = 401;
      out.detail = "mfa_required";
      return out;
    }
    // Only someone with the password gets here: the per-account
    // second-factor backoff (see LoginThrottle) is checked now.
    Result<std::int64_t> second_wait = throttle->SecondFactorRetryAfter(email);
    if (!second_wait.ok()) {
      OpLog("error", "login: throttle store unavailable: " + second_wait.error().ToString());
      return busy();
    }
    if (*second_wait > 0) {
      const_cast<Metrics&>(metrics).LoginThrottled();
      std::int64_t suppressed = 0;
      if (throttled_audit.Admit(clock->NowUnixSeconds(), &suppressed)) {
        Audit("user:" + user->id, "mfa.throttled", "user:" + user->id, audit::kDenied,
              {{"retry_after", std::to_string(*second_wait)},
               {"also_throttled_since_last", std::to_string(suppressed)}});
      }
      out.status = 429;
      out.retry_after = *second_wait;
      out.detail = "too many failed attempts; try again later";
      return out;
    }
    Result<void> second = CheckSecondFactor(*user, totp_code, backup_code);
    if (!second.ok()) {
      if (second.error().code() == ErrorCode::kUnavailable) {
        out.status = 503;
        return out;
      }
      fail("second factor rejected", "invalid second factor", true);
      return out;
    }
    out.mfa_used = true;
  }
  throttle->RecordSuccess(email, address);
  Event(auth::SecurityEventType::kLoginSucceeded, user->id, "",
        out.mfa_used ? "password+mfa" : "password");
  out.user = *user;
  return out;
}

// ---- Sessions ------------------------------------------------------------------------------

Result<bool> Service::Impl::LockUnchangedUser(db::Transaction& tx, const User& user) const {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      tx.Execute("UPDATE users SET id = id WHERE id = ? AND credentials_changed_at = ? AND locked = 0 "
                 "AND totp_secret = ?",
                 user.id, user.credentials_changed_at, user.totp_secret));
  return n == 1;
}

Result<Service::Impl::NewSession> Service::Impl::StartSession(const User& user,
                                                              std::int64_t auth_level,
                                                              std::string_view label) const {
  const std::int64_t now = clock->NowUnixSeconds();
  NewSession s{SecretString::Adopt(crypto::RandomToken(32)), RandomId()};
  std::string hash = HashToken(AsChars(s.id.RevealBytes(InsecureSecretAccess())));
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db->Begin());
  BULWARK_ASSIGN_OR_RETURN(bool unchanged, LockUnchangedUser(tx, user));
  if (!unchanged) return Error(ErrorCode::kFailedPrecondition, "the account changed during sign-in");
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "DELETE FROM sessions WHERE user_id = ? AND (expires_at <= ? OR last_seen_at <= ?)", user.id,
      now, now - config.session_idle.count()));
  BULWARK_ASSIGN_OR_RETURN(db::Rows existing,
                           tx.Query("SELECT id_hash, handle FROM sessions WHERE user_id = ? "
                                    "ORDER BY last_seen_at ASC",
                                    user.id));
  constexpr std::size_t kMaxSessions = 10;
  std::vector<std::string> evicted;
  for (std::size_t i = 0; i + kMaxSessions <= existing.size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(std::string old_hash, existing[i].Get<std::string>(0));
    BULWARK_ASSIGN_OR_RETURN(std::string old_handle, existing[i].Get<std::string>(1));
    BULWARK_RETURN_IF_ERROR(tx.Execute("DELETE FROM sessions WHERE id_hash = ?", old_hash));
    evicted.push_back(old_handle);
  }
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO sessions (id_hash, handle, user_id, auth_level, label, created_at, "
      "last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      hash, s.handle, user.id, auth_level, std::string(label.substr(0, 128)), now, now,
      now + config.session_absolute.count()));
  BULWARK_RETURN_IF_ERROR(tx.Commit());
  for (const std::string& h : evicted) {
    Event(auth::SecurityEventType::kSessionEvicted, user.id, "session:" + h, "session limit");
  }
  Event(auth::SecurityEventType::kSessionCreated, user.id, "session:" + s.handle);
  return s;
}

Result<std::size_t> Service::Impl::RevokeSessions(std::string_view user_id,
                                                  std::string_view keep_hash) const {
  BULWARK_ASSIGN_OR_RETURN(std::int64_t n,
                           db->Execute("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?",
                                       user_id, keep_hash));
  return static_cast<std::size_t>(n);
}

std::string Service::Impl::SessionCookie(const http::Request&, const SecretString& id) const {
  Result<std::string> c =
      http::CookieBuilder("session", std::string(AsChars(id.RevealBytes(InsecureSecretAccess()))))
          .Build();
  BULWARK_CHECK(c.ok());
  return std::move(c).value();
}

std::string Service::Impl::ExpiredSessionCookie(const http::Request&) const {
  Result<std::string> c = http::CookieBuilder("session", "").Expire().Build();
  BULWARK_CHECK(c.ok());
  return std::move(c).value();
}

// ---- Tokens -----------------------------------------------------------------------------------

Result<std::string> Service::Impl::SignAccessToken(const User& user, bool mfa,
                                                   std::int64_t auth_time,
                                                   std::string_view family_id) const {
  auth::Claims claims;
  claims.SetString("sub", user.id);
  claims.SetString("sid", std::string(family_id));
  claims.SetInt("auth_time", auth_time);
  claims.SetInt("cv", user.credentials_changed_at);
  claims.SetStrings("amr", mfa ? std::vector<std::string>{"pwd", "otp"}
                               : std::vector<std::string>{"pwd"});
  return signer->Sign(claims);
}

Result<Service::Impl::TokenPair> Service::Impl::IssueTokens(const User& user, bool mfa) const {
  const std::int64_t now = clock->NowUnixSeconds();
  TokenPair out;
  out.family_id = RandomId();
  BULWARK_ASSIGN_OR_RETURN(out.access_token, SignAccessToken(user, mfa, now, out.family_id));
  out.refresh_token = SecretString::Adopt(crypto::RandomToken(32));
  std::string hash = HashToken(AsChars(out.refresh_token.RevealBytes(InsecureSecretAccess())));
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db->Begin());
  BULWARK_ASSIGN_OR_RETURN(bool unchanged, LockUnchangedUser(tx, user));
  if (!unchanged) return Error(ErrorCode::kFailedPrecondition, "the account changed during sign-in");
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO refresh_families (id, user_id, created_at, expires_at, amr) VALUES (?, ?, ?, ?, ?)",
      out.family_id, user.id, now, now + config.refresh_family_lifetime.count(),
      std::string(mfa ? "pwd otp" : "pwd")));
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO refresh_tokens (hash, family_id, generation, issued_at) VALUES (?, ?, 0, ?)",
      hash, out.family_id, now));
  // The newest kMaxRefreshFamilies stay (this one among them); older ones go
  // with their tokens, live or revoked (tokens of a deleted family are
  // simply unknown: 401).
  BULWARK_ASSIGN_OR_RETURN(db::Rows older,
                           tx.Query("SELECT id, revoked_at FROM refresh_families WHERE user_id = ? "
                                    "AND id <> ? ORDER BY created_at DESC, id",
                                    user.id, out.family_id));
  std::vector<std::string> evicted;
  for (std::size_t i = kMaxRefreshFamilies - 1; i < older.size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(std::string id, older[i].Get<std::string>(0));
    BULWARK_ASSIGN_OR_RETURN(std::int64_t revoked_at, older[i].Get<std::int64_t>(1));
    BULWARK_RETURN_IF_ERROR(tx.Execute("DELETE FROM refresh_families WHERE id = ?", id));
    if (revoked_at == 0) evicted.push_back(std::move(id));
  }
  BULWARK_RETURN_IF_ERROR(tx.Commit());
  for (const std::string& id : evicted) {
    Event(auth::SecurityEventType::kRefreshFamilyRevoked, user.id, "family:" + id, "family limit");
  }
  Event(auth::SecurityEventType::kRefreshIssued, user.id, "family:" + out.family_id);
  return out;
}

Result<std::size_t> Service::Impl::RevokeFamilies(std::string_view user_id,
                                                  std::string_view reason,
                                                  std::string_view keep_family) const {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db->Execute("UPDATE refresh_families SET revoked_at = ?, revoked_reason = ? "
                  "WHERE user_id = ? AND revoked_at = 0 AND id <> ?",
                  clock->NowUnixSeconds(), reason, user_id, keep_family));
  return static_cast<std::size_t>(n);
}

Service::Impl::Revoked Service::Impl::EndOtherSessions(const Caller& c, std::string_view reason,
                                                       bool keep_callers_family) const {
  Revoked out;
  // A cookie session is "the one that made the change"; keep it. An empty
  // hash keeps nothing (no session has an empty hash).
  Result<std::size_t> sessions =
      RevokeSessions(c.user.id, c.via == Caller::Via::kSession ? c.session_hash : std::string());
  if (!sessions.ok()) OpLog("error", "revoking sessions failed: " + sessions.error().ToString());
  Result<std::size_t> families = RevokeFamilies(
      c.user.id, reason,
      keep_callers_family && c.via == Caller::Via::kBearer ? c.family_id : std::string());
  if (!families.ok()) OpLog("error", "revoking refresh families failed: " + families.error().ToString());
  out.sessions = sessions.value_or(0);
  out.families = families.value_or(0);
  return out;
}

// ---- Service ------------------------------------------------------------------------------------

Service::Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Service::~Service() = default;

Result<std::unique_ptr<Service>> Service::Create(Config config, bool first_start) {
  BULWARK_RETURN_IF_ERROR(CheckConfig(config));
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  BULWARK_RETURN_IF_ERROR(impl->Init(first_start));
  return std::unique_ptr<Service>(new Service(std::move(impl)));
}

const http::App& Service::app() const { return *impl_->app; }
const std::string& Service::openapi() const { return impl_->openapi; }
std::size_t Service::route_count() const { return impl_->routes.size(); }

Result<void> Service::Serve() {
  const Config& c = impl_->config;
  BULWARK_ASSIGN_OR_RETURN(ListenAddress addr, ParseListen(c.listen));
  // One access-log line per request, also when stdout is a file or a pipe.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  http::ServerOptions so;
  so.address = addr.host;
  so.port = addr.port;
  so.threads = c.threads;
  so.handle_signals = true;
  // Routes lower it: 64 KiB everywhere but the file upload.
  so.limits.max_body_bytes = std::max<std::size_t>(64 * 1024, c.files_max_bytes);
  // One client must not hold every connection; a trusted proxy carries many
  // clients' connections and is exempt.
  so.limits.max_connections_per_address = c.connections_per_address;
  so.limits.unlimited_addresses = c.trusted_proxies;
  if (!c.tls_cert.empty()) {
    auto tls = std::make_shared<http::TlsOptions>();
    Result<SecretBytes> cert = secrets::ReadSecretFile(c.tls_cert);
    if (!cert.ok() && cert.error().code() == ErrorCode::kPermissionDenied) {
      // A certificate is public; only the key must be private.
      std::FILE* f = std::fopen(c.tls_cert.c_str(), "rb");
      if (f == nullptr) return Error(ErrorCode::kNotFound, "TLS certificate not readable: " + c.tls_cert);
      char buf[4096];
      std::size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) tls->certificate_chain_pem.append(buf, n);
      std::fclose(f);
    } else if (!cert.ok()) {
      return Error(cert.error().code(), "TLS certificate " + c.tls_cert + ": " + cert.error().message());
    } else {
      tls->certificate_chain_pem = std::string(AsChars(cert->RevealBytes(InsecureSecretAccess())));
    }
    Result<SecretBytes> key = secrets::ReadSecretFile(c.tls_key);
    if (!key.ok()) {
      return Error(key.error().code(), "TLS private key " + c.tls_key + ": " + key.error().message());
    }
    tls->private_key_pem = SecretString::CopyFrom(key->RevealBytes(InsecureSecretAccess()));
    so.tls = std::move(tls);
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<http::Server> server,
                           http::Server::Create(std::move(so), *impl_->app));
  std::string host = addr.host.find(':') != std::string::npos ? "[" + addr.host + "]" : addr.host;
  std::printf("bulwark: serving on %s://%s:%u (database %s, data %s)\n",
              c.tls_cert.empty() ? "http" : "https", host.c_str(),
              static_cast<unsigned>(server->port()), RedactedDatabase(c).c_str(),
              c.data_dir.c_str());
  std::fflush(stdout);
  impl_->webhook_worker->Start(c.webhook_workers);
  impl_->retention = std::make_unique<RetentionTimer>(*impl_->db, impl_->config, *impl_->clock);
  impl_->retention->Start();
  server->Run();
  impl_->retention->Stop();
  impl_->webhook_worker->Stop();
  std::printf("bulwark: stopped\n");
  std::fflush(stdout);
  return Ok();
}

// ---- CLI entry points ------------------------------------------------------------------------------

Result<std::string> CreateAdmin(Config config, const std::string& email,
                                const SecretString& password, const std::string& display_name,
                                bool promote) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Service> service, Service::Create(std::move(config), true));
  Service::Impl& s = service->impl();
  ScopeGuard scope({"cli", "local"});
  std::string normalized = email;
  for (char& ch : normalized) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  BULWARK_ASSIGN_OR_RETURN(std::optional<User> existing, s.FindUserByEmail(normalized));
  if (existing) {
    if (!promote) {
      return Error(ErrorCode::kAlreadyExists,
                   "an account with this email exists; pass --promote to make it an admin");
    }
    BULWARK_RETURN_IF_ERROR(s.db->Execute("UPDATE users SET role = 'admin', updated_at = ? WHERE id = ?",
                                          s.clock->NowUnixSeconds(), existing->id));
    s.Audit("cli", "admin.user.promote", "user:" + existing->id, audit::kSuccess);
    return existing->id;
  }
  if (auto problem = s.policy->Check(password, {normalized, display_name})) {
    return Error(ErrorCode::kInvalidArgument,
                 "password rejected: " + std::string(crypto::PasswordProblemCode(*problem)));
  }
  BULWARK_ASSIGN_OR_RETURN(std::string hash, s.hasher->Hash(password));
  std::string id = RandomId();
  const std::int64_t now = s.clock->NowUnixSeconds();
  BULWARK_RETURN_IF_ERROR(s.db->Execute(
      "INSERT INTO users (id, email, password_hash, display_name, role, email_verified, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, 'admin', 1, ?, ?)",
      id, normalized, hash, display_name, now, now));
  s.Audit("cli", "admin.user.create", "user:" + id, audit::kSuccess, {{"role", "admin"}});
  return id;
}

Result<PurgeCounts> PurgeNow(const Config& config) {
  BULWARK_RETURN_IF_ERROR(CheckConfig(config));
  BULWARK_ASSIGN_OR_RETURN(db::Database database, OpenDatabase(config, 2));
  // Only a database `bulwark serve` has set up (at this version) is purged.
  if (!database.QueryRow("SELECT COUNT(*) FROM maintenance_runs").ok()) {
    return Error(ErrorCode::kFailedPrecondition,
                 "the database has no current bulwark schema: start bulwark serve on it once");
  }
  return PurgeExpired(database, config, SystemClock().NowUnixSeconds());
}

Result<audit::VerifyReport> VerifyAudit(const Config& config) {
  BULWARK_RETURN_IF_ERROR(CheckConfig(config));
  BULWARK_ASSIGN_OR_RETURN(ServiceKeys keys, LoadKeys(config, false, nullptr));
  BULWARK_ASSIGN_OR_RETURN(db::Database database, OpenDatabase(config, 2));
  BULWARK_ASSIGN_OR_RETURN(crypto::Mac mac, crypto::Mac::Create(keys.audit));
  std::vector<audit::Anchor> anchors;
  std::string anchor_file = config.data_dir + "/audit.anchors";
  if (FILE* f = std::fopen(anchor_file.c_str(), "r"); f != nullptr) {
    std::fclose(f);
    BULWARK_ASSIGN_OR_RETURN(anchors, audit::ReadAnchors(anchor_file));
  }
  return audit::VerifyChain(database, mac, anchors);
}

}  // namespace bulwark::service
