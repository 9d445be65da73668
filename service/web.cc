// A small server-rendered web UI: sign-in, the account page, MFA enrolment
// with the QR code. Auto-escaping templates, a CSP nonce per response, the
// __Host- session cookie and a CSRF token in every form.

#include "bulwark/auth/otp.h"
#include "bulwark/http/cookies.h"
#include "internal.h"

namespace bulwark::service {

Result<SecretBytes> OpenPendingTotpSecret(const Service::Impl& s, const Caller& caller);
Result<auth::TotpEnrollment> BeginTotpEnrolment(const Service::Impl& s, const Caller& caller,
                                                std::string* base32_secret);
Result<std::vector<std::string>> ConfirmTotpEnrolment(const Service::Impl& s, const Caller& caller,
                                                      const std::string& code,
                                                      std::string_view address,
                                                      std::int64_t* retry_after);

namespace {

constexpr std::string_view kCss = R"css(
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; }
form { margin: 1rem 0; }
label { display: block; margin: .5rem 0 .2rem; }
input[type=email], input[type=password], input[type=text] { width: 100%; padding: .4rem; box-sizing: border-box; }
button { margin-top: .8rem; padding: .4rem 1rem; }
.error { color: #a00; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: .3rem; text-align: left; font-size: .9rem; }
code { background: #f4f4f4; padding: .1rem .3rem; }
img.qr { width: 14rem; height: 14rem; image-rendering: pixelated; }
)css";

const std::map<std::string, std::string>& Sources() {
  static const std::map<std::string, std::string> sources{
      {"head", R"(<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} - bulwark</title><link rel="stylesheet" href="/static/app.css"></head><body>
)"},
      {"login", R"({{> head}}<h1>Sign in</h1>
{{#if error}}<p class="error" id="error">{{error}}</p>{{/if}}
<form method="post" action="/login">
{{#if csrf_token}}<input type="hidden" name="csrf_token" value="{{csrf_token}}">{{/if}}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="{{email}}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<label for="totp_code">Authenticator code (if enrolled)</label><input id="totp_code" name="totp_code" type="text" inputmode="numeric" autocomplete="one-time-code">
<button type="submit" id="submit">Sign in</button>
</form>
<p>No account yet? Use <code>POST /v1/accounts</code> (see /openapi.json).</p>
<script nonce="{{csp_nonce}}">document.getElementById("email").focus();</script>
</body></html>
)"},
      {"account", R"({{> head}}<h1>Your account</h1>
<p>Signed in as <strong id="display-name">{{display_name}}</strong> (<span id="email">{{email}}</span>), role {{role}}.</p>
<p>Two-factor authentication: <strong id="mfa-status">{{#if mfa}}on{{else}}off{{/if}}</strong></p>
{{#if mfa}}{{else}}
<form method="post" action="/account/mfa">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<label for="password">Confirm your password to set up an authenticator app</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="enrol">Set up authenticator</button>
</form>{{/if}}
<h2>Sessions</h2>
<table><tr><th>Device</th><th>Last seen</th><th></th></tr>
{{#each sessions}}<tr><td>{{label}}</td><td>{{last_seen}}</td><td>{{#if current}}this one{{/if}}</td></tr>{{/each}}
</table>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{csrf_token}}"><button type="submit" id="logout">Sign out</button></form>
</body></html>
)"},
      {"mfa", R"({{> head}}<h1>Set up your authenticator</h1>
<p>Scan this code with an authenticator app, or enter the key by hand.</p>
<p><img class="qr" id="qr" src="/account/mfa/qr.svg" alt="QR code for your authenticator app"></p>
<p>Key: <code id="secret">{{secret}}</code></p>
{{#if error}}<p class="error">{{error}}</p>{{/if}}
<form method="post" action="/account/mfa/confirm">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<label for="code">Code from the app</label><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit" id="confirm">Confirm</button>
</form>
</body></html>
)"},
      {"codes", R"({{> head}}<h1>Authenticator enabled</h1>
<p>Keep these backup codes somewhere safe; each works once, and they are shown only now.</p>
<ul id="codes">{{#each codes}}<li><code>{{.}}</code></li>{{/each}}</ul>
<p><a href="/account">Back to your account</a></p>
</body></html>
)"},
  };
  return sources;
}

// application/x-www-form-urlencoded: at most 16 fields, strict decoding.
std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  int fields = 0;
  while (start < body.size() && fields < 16) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(start, end - start);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos) {
      Result<std::string> k = http::PercentDecode(pair.substr(0, eq), true);
      Result<std::string> v = http::PercentDecode(pair.substr(eq + 1), true);
      if (k.ok() && v.ok() && k->size() <= 32 && v->size() <= 512 && !out.contains(*k)) {
        out.emplace(std::move(k).value(), std::move(v).value());
      }
    }
    ++fields;
    start = end + 1;
  }
  return out;
}

http::Response Redirect(std::string_view location) {
  http::Response r(303);
  r.SetHeader("Location", location);
  return r;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void Service::Impl::AddWebRoutes() {
  using http::Method;
  Result<encode::TemplateSet> set = encode::TemplateSet::Load(Sources());
  BULWARK_CHECK(set.ok());
  templates = std::make_unique<encode::TemplateSet>(std::move(set).value());

  auto render = [this](const http::Request& req, int status, std::string_view name,
                       encode::TemplateValue data) -> http::Response {
    data.Set("csrf_token", req.context().csrf_token);
    Result<encode::Template> t = templates->Get(name);
    if (!t.ok()) return ProblemResponse(req, 500);
    Result<encode::SanitizedHtml> html = t->Render(data, {.csp_nonce = std::string(req.context().csp_nonce)});
    if (!html.ok()) {
      OpLog("error", "template " + std::string(name) + ": " + html.error().ToString());
      return ProblemResponse(req, 500);
    }
    return http::Response::Html(status, std::move(html).value().str());
  };
  const std::vector<std::string> html{"text/html"};
  const std::vector<std::string> form{"application/x-www-form-urlencoded"};

  routes.push_back({.method = Method::kGet, .path = "/static/app.css", .summary = "Style sheet",
                    .tag = "web", .access = Access::kPublic, .responses = {200},
                    .produces = {"text/css"},
                    .handler = [](http::Request&, const Caller*) {
                      http::Response r(200);
                      r.SetBody(std::string(kCss), "text/css; charset=utf-8");
                      r.SetHeader("Cache-Control", "public, max-age=3600");
                      return r;
                    }});
  routes.push_back({.method = Method::kGet, .path = "/", .summary = "Home: to the account page or sign-in",
                    .tag = "web", .access = Access::kPublic, .responses = {303}, .produces = html,
                    .handler = [this](http::Request& req, const Caller*) {
                      return Redirect(Authenticate(req).ok() ? "/account" : "/login");
                    }});
  routes.push_back({.method = Method::kGet, .path = "/login", .summary = "Sign-in page", .tag = "web",
                    .access = Access::kPublic, .responses = {200}, .produces = html,
                    .handler = [render](http::Request& req, const Caller*) {
                      encode::TemplateValue data = encode::TemplateValue::MakeMap();
                      data.Set("title", "Sign in").Set("error", "").Set("email", "");
                      return render(req, 200, "login", std::move(data));
                    }});
  routes.push_back({
      .method = Method::kPost, .path = "/login", .summary = "Sign-in form", .tag = "web",
      .access = Access::kPublic, .responses = {303, 401, 429, 503}, .produces = html, .consumes = form,
      .handler = [this, render](http::Request& req, const Caller*) -> http::Response {
        std::map<std::string, std::string> f = ParseForm(req.Body().UnvalidatedValue());
        std::string email = Lower(f["email"].substr(0, 254));
        SecretString password = SecretString::CopyFrom(AsBytes(f["password"].substr(0, 512)));
        std::string totp_code = f["totp_code"];
        bool has_totp = !totp_code.empty();
        if (has_totp && (totp_code.size() < 6 || totp_code.size() > 8 ||
                         totp_code.find_first_not_of("0123456789") != std::string::npos)) {
          has_totp = false;
        }
        LoginResult r = Login(req, email, password, has_totp ? &totp_code : nullptr, nullptr);
        if (r.status != 200) {
          encode::TemplateValue data = encode::TemplateValue::MakeMap();
          std::string msg = r.detail == "mfa_required" ? "Enter the code from your authenticator app."
                            : r.status == 429         ? "Too many attempts; wait a moment and try again."
                                                      : "The email or password is not correct.";
          data.Set("title", "Sign in").Set("error", msg).Set("email", email);
          http::Response resp = render(req, r.status == 503 ? 503 : (r.status == 429 ? 429 : 401), "login",
                                       std::move(data));
          MarkLoginRefusal(resp, r);
          return resp;
        }
        if (std::optional<std::string> old = http::FindCookie(req, kSessionCookie)) {
          (void)db->Execute("DELETE FROM sessions WHERE id_hash = ?", HashToken(*old));
        }
        std::string label = audit::SanitizeField(req.Header("user-agent").value_or("browser"), 128);
        Result<NewSession> s = StartSession(r.user, r.mfa_used ? 2 : 1, label);
        if (!s.ok() && s.error().code() == ErrorCode::kFailedPrecondition) {
          // The account changed (a password change, a lock, an MFA change)
          // between the password check and the session insert: the sign-in
          // lost that race and is refused as the JSON API refuses it (401),
          // with the generic sign-in failure, not a 503 to retry.
          encode::TemplateValue data = encode::TemplateValue::MakeMap();
          data.Set("title", "Sign in").Set("error", "The email or password is not correct.").Set("email", email);
          return render(req, 401, "login", std::move(data));
        }
        if (!s.ok()) {
          OpLog("error", "web login: session start failed: " + s.error().ToString());
          return ProblemResponse(req, 503);
        }
        http::Response resp = Redirect("/account");
        resp.AddHeader("Set-Cookie", SessionCookie(req, s->id));
        return resp;
      }});
  routes.push_back({
      .method = Method::kGet, .path = "/account", .summary = "Account page", .tag = "web",
      .access = Access::kPublic, .responses = {200, 303}, .produces = html,
      .handler = [this, render](http::Request& req, const Caller*) -> http::Response {
        Result<Caller> c = Authenticate(req);
        if (!c.ok() || c->via != Caller::Via::kSession) return Redirect("/login");
        Result<db::Rows> rows = db->Query(
            "SELECT handle, label, last_seen_at FROM sessions WHERE user_id = ? ORDER BY created_at DESC",
            c->user.id);
        encode::TemplateValue::List sessions;
        if (rows.ok()) {
          for (const db::Row& row : *rows) {
            encode::TemplateValue s = encode::TemplateValue::MakeMap();
            s.Set("label", row.Get<std::string>(1).value_or(""))
                .Set("last_seen", std::to_string(row.Get<std::int64_t>(2).value_or(0)))
                .Set("current", row.Get<std::string>(0).value_or("") == c->session_handle);
            sessions.push_back(std::move(s));
          }
        }
        encode::TemplateValue data = encode::TemplateValue::MakeMap();
        data.Set("title", "Your account")
            .Set("display_name", c->user.display_name)
            .Set("email", c->user.email)
            .Set("role", c->user.role)
            .Set("mfa", c->user.mfa_enabled())
            .Set("sessions", encode::TemplateValue::MakeList(std::move(sessions)));
        return render(req, 200, "account", std::move(data));
      }});
  routes.push_back({
      .method = Method::kPost, .path = "/logout", .summary = "Sign out (form)", .tag = "web",
      .access = Access::kPublic, .responses = {303}, .produces = html, .consumes = form,
      .handler = [this](http::Request& req, const Caller*) -> http::Response {
        Result<Caller> c = Authenticate(req);
        if (c.ok() && c->via == Caller::Via::kSession) {
          (void)db->Execute("DELETE FROM sessions WHERE id_hash = ?", c->session_hash);
          Event(auth::SecurityEventType::kSessionRevoked, c->user.id, "session:" + c->session_handle,
                "sign out");
        }
        http::Response r = Redirect("/login");
        r.AddHeader("Set-Cookie", ExpiredSessionCookie(req));
        return r;
      }});
  routes.push_back({
      .method = Method::kPost, .path = "/account/mfa", .summary = "Start authenticator enrolment (form)",
      .tag = "web", .access = Access::kPublic, .responses = {200, 303, 403, 429, 503}, .produces = html,
      .consumes = form,
      .handler = [this, render](http::Request& req, const Caller*) -> http::Response {
        Result<Caller> c = Authenticate(req);
        if (!c.ok() || c->via != Caller::Via::kSession) return Redirect("/login");
        if (c->user.mfa_enabled()) return Redirect("/account");
        std::map<std::string, std::string> f = ParseForm(req.Body().UnvalidatedValue());
        SecretString password = SecretString::CopyFrom(AsBytes(f["password"].substr(0, 512)));
        if (auto err = StepUp(req, *c, password, nullptr, nullptr, false, "stepup.failed")) {
          return std::move(*err);
        }
        std::string secret;
        Result<auth::TotpEnrollment> e = BeginTotpEnrolment(*this, *c, &secret);
        if (!e.ok()) return ProblemResponse(req, 500);
        Audit("user:" + c->user.id, "mfa.enrolment_started", "user:" + c->user.id, audit::kSuccess);
        encode::TemplateValue data = encode::TemplateValue::MakeMap();
        data.Set("title", "Authenticator").Set("secret", secret).Set("error", "");
        return render(req, 200, "mfa", std::move(data));
      }});
  routes.push_back({
      .method = Method::kGet, .path = "/account/mfa/qr.svg",
      .summary = "QR code of the enrolment in progress", .tag = "web", .access = Access::kPublic,
      .responses = {200, 303, 404}, .produces = {"image/svg+xml"},
      .handler = [this](http::Request& req, const Caller*) -> http::Response {
        Result<Caller> c = Authenticate(req);
        if (!c.ok() || c->via != Caller::Via::kSession) return Redirect("/login");
        // Only the session that started the enrolment sees its secret.
        Result<SecretBytes> secret = OpenPendingTotpSecret(*this, *c);
        if (!secret.ok()) return ProblemResponse(req, 404);
        Result<std::string> uri = auth::OtpAuthUri(*secret, "bulwark", c->user.email);
        if (!uri.ok()) return ProblemResponse(req, 500);
        Result<std::string> svg = auth::QrCodeSvg(*uri);
        if (!svg.ok()) return ProblemResponse(req, 500);
        http::Response r(200);
        r.SetBody(std::move(svg).value(), "image/svg+xml");
        return r;
      }});
  routes.push_back({
      .method = Method::kPost, .path = "/account/mfa/confirm", .summary = "Confirm enrolment (form)",
      .tag = "web", .access = Access::kPublic, .responses = {200, 303, 403, 429, 503}, .produces = html,
      .consumes = form,
      .handler = [this, render](http::Request& req, const Caller*) -> http::Response {
        Result<Caller> c = Authenticate(req);
        if (!c.ok() || c->via != Caller::Via::kSession) return Redirect("/login");
        std::map<std::string, std::string> f = ParseForm(req.Body().UnvalidatedValue());
        std::string code = f["code"];
        if (code.size() < 6 || code.size() > 8 || code.find_first_not_of("0123456789") != std::string::npos) {
          code = "";
        }
        LoginResult throttled;
        Result<std::vector<std::string>> codes =
            code.empty() ? Result<std::vector<std::string>>(Error(ErrorCode::kInvalidArgument, "bad code"))
                         : ConfirmTotpEnrolment(*this, *c, code, req.context().client_ip,
                                                &throttled.retry_after);
        if (!codes.ok()) {
          if (codes.error().code() == ErrorCode::kFailedPrecondition) return Redirect("/account");
          if (codes.error().code() == ErrorCode::kResourceExhausted) {
            throttled.status = 429;
            throttled.detail = "too many failed attempts; try again later";
            return LoginFailure(req, throttled);
          }
          if (codes.error().code() == ErrorCode::kUnavailable) return ProblemResponse(req, 503);
          encode::TemplateValue data = encode::TemplateValue::MakeMap();
          std::string secret;
          if (Result<SecretBytes> s = OpenPendingTotpSecret(*this, *c); s.ok()) {
            secret = auth::Base32Encode(s->RevealBytes(InsecureSecretAccess()));
          }
          data.Set("title", "Authenticator").Set("secret", secret).Set("error", "That code did not match; try the next one.");
          return render(req, 403, "mfa", std::move(data));
        }
        encode::TemplateValue::List list;
        for (const std::string& s : *codes) list.emplace_back(s);
        encode::TemplateValue data = encode::TemplateValue::MakeMap();
        data.Set("title", "Backup codes").Set("codes", encode::TemplateValue::MakeList(std::move(list)));
        return render(req, 200, "codes", std::move(data));
      }});
}

}  // namespace bulwark::service
