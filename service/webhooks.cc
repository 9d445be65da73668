// Outbound webhooks: registration (URL checked by the destination policy and
// stored in canonical form, a signing secret shown once and kept sealed under
// the data keyset), the persisted delivery queue, and the delivery worker.

#include "webhooks.h"

#include <algorithm>
#include <chrono>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/random.h"
#include "schemas.h"

namespace bulwark::service {


const std::vector<std::string>& WebhookEventNames() {
  static const std::vector<std::string> names{
      "login.succeeded",   "login.failed",     "session.created",
      "session.revoked",   "password.changed", "account.profile_updated",
      "mfa.enrolled",      "mfa.removed",      "mfa.backup_codes_regenerated",
      "api_key.created",   "api_key.revoked",  "refresh.reuse_detected",
      "webhook.created",   "webhook.deleted",  "file.uploaded",
      "file.deleted"};
  return names;
}

bool LooksLikeId(std::string_view id) {
  if (id.size() != 22) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
  });
}

namespace {

using validate::Field;
using validate::Rule;

constexpr std::int64_t kMaxBackoffSeconds = 6 * 3600;
constexpr std::int64_t kMaxPendingPerWebhook = 1000;
// Finished deliveries kept per webhook. The owner's list shows the newest
// 100; without a bound, events triggered in a loop would add a row for
// every finished delivery, as fast as the workers finish them, for the 30
// days until the retention purge.
constexpr std::int64_t kFinishedKeptPerWebhook = 100;

const validate::Schema& WebhookSchema() {
  static const validate::Schema s = MustCompile(Rule::Object({
      Field("url", Rule::String().Length(8, 2048).Describe(
                       "https URL on a public address (checked again at every delivery)")),
      Field("events", Rule::Array(Rule::String().OneOf(WebhookEventNames())).Items(1, 16)),
  }));
  return s;
}

std::string WebhookAd(std::string_view id) { return "webhook:" + std::string(id); }

// What a failed Send() means for the delivery (a short code, never the URL).
struct Failure {
  std::string code;
  bool retry = true;
};
Failure Classify(const Error& e) {
  switch (e.code()) {
    case ErrorCode::kPermissionDenied:
      return {"destination_refused", false};
    case ErrorCode::kInvalidArgument:
      return {"invalid_request", false};
    case ErrorCode::kNotFound:
      return {"dns_not_found", true};
    case ErrorCode::kDeadlineExceeded:
      return {"timeout", true};
    case ErrorCode::kResourceExhausted:
      return {"response_too_large", true};
    case ErrorCode::kUnavailable:
      return {"connect_failed", true};
    default:
      return {"internal", true};
  }
}

}  // namespace

// ---- Queue --------------------------------------------------------------------------

void Service::Impl::EnqueueWebhookEvent(std::string_view user_id, std::string_view event,
                                        std::string_view target, std::string_view outcome) const {
  Result<db::Rows> hooks = db->Query("SELECT id, events FROM webhooks WHERE user_id = ?", user_id);
  if (!hooks.ok()) {
    OpLog("error", "webhooks: lookup failed: " + hooks.error().ToString());
    return;
  }
  const std::int64_t now = clock->NowUnixSeconds();
  bool queued = false;
  for (const db::Row& row : *hooks) {
    std::string hook_id = row.Get<std::string>(0).value_or("");
    std::string subscribed = " " + row.Get<std::string>(1).value_or("") + " ";
    if (subscribed.find(" " + std::string(event) + " ") == std::string::npos) continue;
    Result<db::Row> pending = db->QueryRow(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending'",
        hook_id);
    if (pending.ok() && pending->Get<std::int64_t>(0).value_or(0) >= kMaxPendingPerWebhook) {
      OpLog("warn", "webhooks: queue full for webhook " + hook_id + "; event dropped");
      continue;
    }
    std::string id = RandomId();
    std::string payload = JObj({{"id", J(id)},
                                {"event", J(std::string(event))},
                                {"created_at", J(now)},
                                {"data", JObj({{"user_id", J(std::string(user_id))},
                                               {"target", J(std::string(target))},
                                               {"outcome", J(std::string(outcome))}})}})
                              .Serialize();
    Result<std::int64_t> n = db->Execute(
        "INSERT INTO webhook_deliveries (id, webhook_id, user_id, event, payload, status, "
        "attempts, next_attempt_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
        id, hook_id, user_id, event, payload, now, now, now);
    if (!n.ok()) {
      OpLog("error", "webhooks: enqueue failed: " + n.error().ToString());
      continue;
    }
    queued = true;
  }
  if (queued && webhook_worker) webhook_worker->Wake();
}

// ---- Worker -------------------------------------------------------------------------

void WebhookWorker::Start(std::size_t threads) {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = false;
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

void WebhookWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WebhookWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++wakes_;
  }
  cv_.notify_one();
}

void WebhookWorker::Loop() {
  ScopeGuard scope({"webhook-worker", ""});
  while (true) {
    std::uint64_t seen;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      seen = wakes_;
    }
    bool worked = false;
    try {
      worked = RunOne();
    } catch (const std::exception& e) {
      OpLog("error", std::string("webhooks: worker error: ") + e.what());
    }
    if (worked) continue;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(500),
                 [&] { return stopping_ || wakes_ != seen; });
  }
}

bool WebhookWorker::RunOne() {
  const std::int64_t now = impl_.clock->NowUnixSeconds();
  Result<db::Rows> due = impl_.db->Query(
      "SELECT id, attempts FROM webhook_deliveries WHERE status = 'pending' AND "
      "next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 8",
      now);
  if (!due.ok()) {
    OpLog("error", "webhooks: queue read failed: " + due.error().ToString());
    return false;
  }
  // The lease: while an attempt runs, the row is not due; if this process
  // dies, it comes due again when the lease ends.
  const std::int64_t lease = impl_.config.webhook_timeout.count() + 60;
  for (const db::Row& row : *due) {
    std::string id = row.Get<std::string>(0).value_or("");
    std::int64_t attempts = row.Get<std::int64_t>(1).value_or(0);
    Result<std::int64_t> claimed = impl_.db->Execute(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ?, "
        "updated_at = ? WHERE id = ? AND status = 'pending' AND attempts = ? AND "
        "next_attempt_at <= ?",
        now + lease, now, id, attempts, now);
    if (!claimed.ok() || *claimed != 1) continue;
    Attempt(id, attempts + 1);
    return true;
  }
  return false;
}

void WebhookWorker::TrimFinished(const std::string& hook_id) {
  Result<std::int64_t> n = impl_.db->Execute(
      "DELETE FROM webhook_deliveries WHERE webhook_id = ? AND status <> 'pending' AND id NOT IN "
      "(SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND status <> 'pending' "
      "ORDER BY completed_at DESC, id LIMIT ?)",
      hook_id, hook_id, kFinishedKeptPerWebhook);
  if (!n.ok()) OpLog("error", "webhooks: cannot trim finished deliveries: " + n.error().ToString());
}

void WebhookWorker::Attempt(const std::string& id, std::int64_t attempt) {
  const Service::Impl& s = impl_;
  Result<db::Rows> rows = s.db->Query(
      "SELECT d.webhook_id, d.user_id, d.event, d.payload, w.url, w.secret_sealed "
      "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?",
      id);
  if (!rows.ok() || rows->empty()) return;  // the webhook was deleted meanwhile
  const db::Row& row = (*rows)[0];
  std::string hook_id = row.Get<std::string>(0).value_or("");
  std::string user_id = row.Get<std::string>(1).value_or("");
  std::string event = row.Get<std::string>(2).value_or("");
  std::string payload = row.Get<std::string>(3).value_or("");
  std::string url = row.Get<std::string>(4).value_or("");
  std::string sealed = row.Get<std::string>(5).value_or("");

  int http_status = 0;
  Failure failure{"", true};
  bool delivered = false;
  Result<Bytes> sealed_bytes = Base64UrlDecode(sealed);
  Result<SecretBytes> secret =
      sealed_bytes.ok() ? s.data_aead->DecryptSecret(*sealed_bytes, AsBytes(WebhookAd(hook_id)))
                        : Result<SecretBytes>(sealed_bytes.error());
  if (!secret.ok()) {
    OpLog("error", "webhooks: signing secret of " + hook_id + " does not open: " +
                       secret.error().ToString());
    failure = {"secret_unavailable", false};
  } else {
    const std::string timestamp = std::to_string(s.clock->NowUnixSeconds());
    Result<Bytes> tag = crypto::Hmac(crypto::HmacAlgorithm::kSha256, *secret,
                                     AsBytes(timestamp + "." + payload));
    if (!tag.ok()) {
      failure = {"internal", false};
    } else {
      net::Request request{
          .method = net::Method::kPost,
          .url = url,
          .headers = {{"Content-Type", "application/json"},
                      {"Bulwark-Event", event},
                      {"Bulwark-Delivery", id},
                      {"Bulwark-Signature", "t=" + timestamp + ",v1=" + HexEncode(*tag)}},
          .body = payload,
      };
      Result<net::Response> sent = s.webhook_client->Send(request);
      if (!sent.ok()) {
        failure = Classify(sent.error());
      } else {
        http_status = sent->status;
        if (http_status >= 200 && http_status < 300) {
          delivered = true;
        } else {
          failure = {"http_status", true};
        }
      }
    }
  }

  const std::int64_t now = s.clock->NowUnixSeconds();
  if (delivered) {
    Result<std::int64_t> n = s.db->Execute(
        "UPDATE webhook_deliveries SET status = 'succeeded', last_http_status = ?, "
        "last_error = '', updated_at = ?, completed_at = ?, next_attempt_at = 0 WHERE id = ?",
        static_cast<std::int64_t>(http_status), now, now, id);
    if (!n.ok()) OpLog("error", "webhooks: cannot record delivery: " + n.error().ToString());
    TrimFinished(hook_id);
    return;
  }
  const bool give_up = !failure.retry || attempt >= s.config.webhook_max_attempts;
  if (give_up) {
    Result<std::int64_t> n = s.db->Execute(
        "UPDATE webhook_deliveries SET status = 'failed', last_http_status = ?, last_error = ?, "
        "updated_at = ?, completed_at = ?, next_attempt_at = 0 WHERE id = ?",
        static_cast<std::int64_t>(http_status), failure.code, now, now, id);
    if (!n.ok()) OpLog("error", "webhooks: cannot record failure: " + n.error().ToString());
    TrimFinished(hook_id);
    // Sampled like the other failures anyone can repeat for free: the
    // delivery's own row keeps the result for its owner.
    std::int64_t left_out = 0;
    if (s.failed_delivery_audit.Admit(now, &left_out)) {
      s.Audit("system", "webhook.delivery_failed", "webhook:" + hook_id, audit::kFailure,
              {{"owner", "user:" + user_id},
               {"delivery", id},
               {"event", event},
               {"attempts", std::to_string(attempt)},
               {"error", failure.code},
               {"http_status", std::to_string(http_status)},
               {"also_failed_since_last", std::to_string(left_out)}});
    }
    return;
  }
  std::int64_t delay = s.config.webhook_retry_base.count();
  for (std::int64_t i = 1; i < attempt && delay < kMaxBackoffSeconds; ++i) delay *= 2;
  delay = std::min(delay, kMaxBackoffSeconds);
  Result<std::int64_t> n = s.db->Execute(
      "UPDATE webhook_deliveries SET next_attempt_at = ?, last_http_status = ?, last_error = ?, "
      "updated_at = ? WHERE id = ?",
      now + delay, static_cast<std::int64_t>(http_status), failure.code, now, id);
  if (!n.ok()) OpLog("error", "webhooks: cannot schedule retry: " + n.error().ToString());
}

// ---- Routes -------------------------------------------------------------------------

void Service::Impl::AddWebhookRoutes() {
  using http::Method;
  routes.push_back({
      .method = Method::kPost, .path = "/v1/webhooks",
      .summary = "Register a webhook; the signing secret is in the answer, once",
      .tag = "webhooks", .access = Access::kUser, .api_key_scope = "webhooks:write",
      .body = &WebhookSchema(), .responses = {201, 400, 401, 403, 409, 413, 415, 422, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Body body = ParseBody(req, WebhookSchema());
        if (body.error) return std::move(*body.error);
        // Before any DNS work.
        Result<db::Row> count =
            db->QueryRow("SELECT COUNT(*) FROM webhooks WHERE user_id = ?", c->user.id);
        if (!count.ok()) return ProblemResponse(req, 503);
        if (count->Get<std::int64_t>(0).value_or(0) >= config.webhook_max_per_account) {
          return ProblemResponse(req, 409, "webhook limit reached for this account");
        }
        Result<Valid<std::string>> url =
            webhook_client->policy().ValidateUrl(Untrusted<std::string>(*body.Str("url")));
        if (!url.ok()) {
          return ProblemResponse(
              req, 422,
              url.error().code() == ErrorCode::kPermissionDenied
                  ? "url: destination not allowed (https on port 443 to a public address only)"
                  : "url: not a valid absolute https URL");
        }
        // A name is also resolved now, so that a hook on a name that points
        // at a private address is refused at once. Delivery checks again
        // (the answer may change): this is for the user's benefit, not the
        // defence, so it may be skipped, and it must stay cheap. The lookup
        // runs on this request's I/O thread; a name whose DNS server never
        // answers (anyone can set one up) used to hold the thread for 2 s,
        // with 8 such lookups at once: a few looping registrations then
        // stalled every request on the server for seconds. Now a lookup
        // holds the thread for at most kEarlyLookupTimeout, and since a slot
        // stays taken until the system resolver gives up (5 s), at most
        // kEarlyLookupsInFlight threads can be held per 5 s. When no answer
        // comes in time the hook is registered and delivery decides.
        Result<net::Url> parsed = net::Url::Parse(url->value());
        if (parsed.ok() && !parsed->host_address()) {
          constexpr std::chrono::milliseconds kEarlyLookupTimeout{300};
          constexpr std::size_t kEarlyLookupsInFlight = 2;
          static const std::shared_ptr<const net::Resolver> resolver =
              net::WithTimeout(net::SystemResolver(), kEarlyLookupTimeout, kEarlyLookupsInFlight);
          Result<std::vector<net::IpAddress>> answers = resolver->Resolve(parsed->host());
          if (answers.ok()) {
            for (const net::IpAddress& a : *answers) {
              if (!webhook_client->policy().IsAddressAllowed(a)) {
                return ProblemResponse(
                    req, 422, "url: the host name resolves to an address that is not allowed");
              }
            }
          }
        }
        std::string event_list;
        std::vector<JsonValue> event_items;
        for (const JsonValue& e : body.Find("events")->AsArray()) {
          if ((" " + event_list + " ").find(" " + e.AsString() + " ") != std::string::npos) continue;
          if (!event_list.empty()) event_list += ' ';
          event_list += e.AsString();
          event_items.push_back(J(e.AsString()));
        }
        const std::int64_t now = clock->NowUnixSeconds();
        std::string id = RandomId();
        SecretString secret = SecretString::Adopt("whsec_" + crypto::RandomToken(32));
        Result<Bytes> sealed =
            data_aead->Encrypt(secret.RevealBytes(InsecureSecretAccess()), AsBytes(WebhookAd(id)));
        if (!sealed.ok()) return ProblemResponse(req, 500);
        // The limit again, with the owner's row locked: concurrent
        // registrations all passed the check above, and only one at a time
        // may count and insert.
        Result<db::Transaction> tx = db->Begin();
        if (!tx.ok()) return ProblemResponse(req, 503);
        Result<bool> unchanged = LockUnchangedUser(*tx, c->user);
        if (!unchanged.ok()) return ProblemResponse(req, 503);
        if (!*unchanged) return ProblemResponse(req, 401, "the account changed; sign in again");
        Result<db::Row> held = tx->QueryRow("SELECT COUNT(*) FROM webhooks WHERE user_id = ?", c->user.id);
        if (!held.ok()) return ProblemResponse(req, 503);
        if (held->Get<std::int64_t>(0).value_or(0) >= config.webhook_max_per_account) {
          return ProblemResponse(req, 409, "webhook limit reached for this account");
        }
        Result<std::int64_t> n = tx->Execute(
            "INSERT INTO webhooks (id, user_id, url, events, secret_sealed, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            id, c->user.id, url->value(), event_list, Base64UrlEncode(*sealed), now);
        if (!n.ok() || !tx->Commit().ok()) return ProblemResponse(req, 503);
        // The URL stays out of the audit trail: receivers often put a token in it.
        Audit("user:" + c->user.id, "webhook.created", "webhook:" + id, audit::kSuccess,
              {{"events", event_list}});
        return JsonResponse(
            201, JObj({{"id", J(id)},
                       {"url", J(url->value())},
                       {"events", JArr(std::move(event_items))},
                       {"created_at", J(now)},
                       {"secret", J(std::string(AsChars(secret.RevealBytes(InsecureSecretAccess()))))}}));
      }});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/webhooks",
      .summary = "The caller's webhooks (never the secrets)", .tag = "webhooks",
      .access = Access::kUser, .api_key_scope = "webhooks:read", .responses = {200, 401, 403, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        Result<db::Rows> rows = db->Query(
            "SELECT id, url, events, created_at FROM webhooks WHERE user_id = ? "
            "ORDER BY created_at DESC, id",
            c->user.id);
        if (!rows.ok()) return ProblemResponse(req, 503);
        std::vector<JsonValue> items;
        for (const db::Row& row : *rows) {
          std::vector<JsonValue> names;
          std::string list = row.Get<std::string>(2).value_or("");
          std::size_t start = 0;
          while (start < list.size()) {
            std::size_t end = list.find(' ', start);
            if (end == std::string::npos) end = list.size();
            names.push_back(J(list.substr(start, end - start)));
            start = end + 1;
          }
          items.push_back(JObj({{"id", J(row.Get<std::string>(0).value_or(""))},
                                {"url", J(row.Get<std::string>(1).value_or(""))},
                                {"events", JArr(std::move(names))},
                                {"created_at", J(row.Get<std::int64_t>(3).value_or(0))}}));
        }
        return JsonResponse(200, JObj({{"webhooks", JArr(std::move(items))}}));
      }});

  routes.push_back({
      .method = Method::kDelete, .path = "/v1/webhooks/{id}",
      .summary = "Delete one of the caller's webhooks and its queued deliveries", .tag = "webhooks",
      .access = Access::kUser, .api_key_scope = "webhooks:write",
      .responses = {204, 401, 403, 404, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        std::string id(req.PathText("id"));
        if (!LooksLikeId(id)) return ProblemResponse(req, 404, "no such webhook");
        Result<db::Transaction> tx = db->Begin();
        if (!tx.ok()) return ProblemResponse(req, 503);
        Result<std::int64_t> n =
            tx->Execute("DELETE FROM webhooks WHERE id = ? AND user_id = ?", id, c->user.id);
        if (!n.ok()) return ProblemResponse(req, 503);
        if (*n != 1) {
          (void)tx->Rollback();
          return ProblemResponse(req, 404, "no such webhook");
        }
        if (!tx->Execute("DELETE FROM webhook_deliveries WHERE webhook_id = ?", id).ok() ||
            !tx->Commit().ok()) {
          return ProblemResponse(req, 503);
        }
        Audit("user:" + c->user.id, "webhook.deleted", "webhook:" + id, audit::kSuccess);
        return http::Response(204);
      }});

  routes.push_back({
      .method = Method::kGet, .path = "/v1/webhooks/{id}/deliveries",
      .summary = "Recent deliveries of one of the caller's webhooks (results only, never response bodies)",
      .tag = "webhooks", .access = Access::kUser, .api_key_scope = "webhooks:read",
      .responses = {200, 401, 403, 404, 503},
      .handler = [this](http::Request& req, const Caller* c) -> http::Response {
        std::string id(req.PathText("id"));
        if (!LooksLikeId(id)) return ProblemResponse(req, 404, "no such webhook");
        Result<db::Rows> owner =
            db->Query("SELECT id FROM webhooks WHERE id = ? AND user_id = ?", id, c->user.id);
        if (!owner.ok()) return ProblemResponse(req, 503);
        if (owner->empty()) return ProblemResponse(req, 404, "no such webhook");
        Result<db::Rows> rows = db->Query(
            "SELECT id, event, status, attempts, last_http_status, last_error, created_at, "
            "updated_at, next_attempt_at, completed_at FROM webhook_deliveries "
            "WHERE webhook_id = ? AND user_id = ? ORDER BY created_at DESC, id LIMIT 100",
            id, c->user.id);
        if (!rows.ok()) return ProblemResponse(req, 503);
        std::vector<JsonValue> items;
        for (const db::Row& row : *rows) {
          std::string status = row.Get<std::string>(2).value_or("");
          items.push_back(JObj({{"id", J(row.Get<std::string>(0).value_or(""))},
                                {"event", J(row.Get<std::string>(1).value_or(""))},
                                {"status", J(status)},
                                {"attempts", J(row.Get<std::int64_t>(3).value_or(0))},
                                {"last_http_status", J(row.Get<std::int64_t>(4).value_or(0))},
                                {"last_error", J(row.Get<std::string>(5).value_or(""))},
                                {"created_at", J(row.Get<std::int64_t>(6).value_or(0))},
                                {"updated_at", J(row.Get<std::int64_t>(7).value_or(0))},
                                {"next_attempt_at", J(status == "pending"
                                                          ? row.Get<std::int64_t>(8).value_or(0)
                                                          : std::int64_t{0})},
                                {"completed_at", J(row.Get<std::int64_t>(9).value_or(0))}}));
        }
        return JsonResponse(200, JObj({{"deliveries", JArr(std::move(items))}}));
      }});
}

}  // namespace bulwark::service
