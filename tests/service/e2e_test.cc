// End-to-end tests of `bulwark serve` over real HTTP against the real binary:
// every route, the whole account flow, the authorization boundaries, hostile
// input, and a tampered audit table caught by `bulwark audit verify`. Each
// runs on SQLite and on PostgreSQL (BULWARK_TEST_PG_URL; skipped without it,
// failed without it when CI=true).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "bulwark/auth/otp.h"
#include "bulwark/core/encoding.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/hash.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/random.h"
#include "bulwark/db/database.h"
#include "bulwark/validate/json.h"
#include "retention.h"

namespace {

using bulwark::validate::JsonValue;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct HttpResponse {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  JsonValue Json() const {
    auto parsed = bulwark::validate::ParseJson(body);
    if (!parsed.ok()) return JsonValue();
    return parsed.value().UnvalidatedValue();
  }
  std::string Str(const std::string& key) const {
    JsonValue v = Json();
    const JsonValue* m = v.Find(key);
    return m != nullptr && m->is_string() ? m->AsString() : "";
  }
};

// One request per connection (Connection: close), raw HTTP/1.1.
// Calls f(lower-case name, value without leading spaces) for each field line
// of an HTTP head (the first line, request or status, is skipped).
template <class F>
void ForEachHeaderLine(const std::string& head, F f) {
  std::size_t pos = head.find("\r\n");
  while (pos != std::string::npos) {
    std::size_t next = head.find("\r\n", pos + 2);
    std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      f(std::move(name), std::move(value));
    }
    pos = next;
  }
}

HttpResponse Send(std::uint16_t port, const std::string& method, const std::string& path,
                  const std::vector<std::pair<std::string, std::string>>& headers = {},
                  const std::string& body = "", bool with_body = false) {
  HttpResponse out;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || with_body) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buf[16384];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  std::size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || raw.size() < 12) return out;
  out.status = std::atoi(raw.substr(9, 3).c_str());
  ForEachHeaderLine(raw.substr(0, head_end), [&](std::string name, std::string value) {
    out.headers.emplace(std::move(name), std::move(value));
  });
  out.body = raw.substr(head_end + 4);
  return out;
}

const std::pair<std::string, std::string> kJson{"Content-Type", "application/json"};

std::pair<std::string, std::string> Bearer(const std::string& t) { return {"Authorization", "Bearer " + t}; }
std::pair<std::string, std::string> ApiKey(const std::string& k) { return {"Authorization", "ApiKey " + k}; }

std::string JsonStr(const std::string& s) { return JsonValue::String(s).Serialize(); }

bulwark::Bytes Base32Decode(const std::string& text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  bulwark::Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    std::size_t v = alphabet.find(c);
    if (v == std::string::npos) continue;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string Totp(const std::string& base32, std::int64_t unix_time) {
  bulwark::SecretBytes key = bulwark::SecretBytes::CopyFrom(Base32Decode(base32));
  auto code = bulwark::auth::TotpCode(key, unix_time, {});
  return code.ok() ? *code : "";
}

struct RunResult {
  int exit_code = -1;
  std::string output;
};

// Runs the binary to completion with `stdin_text`; environment from `env`.
RunResult RunBulwark(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                     const std::string& stdin_text, const std::string& scratch) {
  std::string in = scratch + "/stdin.txt", out = scratch + "/run.out";
  { std::ofstream(in) << stdin_text; }
  pid_t pid = ::fork();
  if (pid == 0) {
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    std::freopen(in.c_str(), "r", stdin);
    std::freopen(out.c_str(), "w", stdout);
    ::dup2(STDOUT_FILENO, STDERR_FILENO);
    std::vector<char*> argv;
    std::string bin = BULWARK_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    std::_Exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.output = ReadFile(out);
  return r;
}

class ServiceE2E : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bulwark-e2e-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    scratch_ = tmpl;
    data_dir_ = scratch_ + "/data";
    env_["BULWARK_DATA_DIR"] = data_dir_;
    env_["BULWARK_RATE_LIMIT_PER_MINUTE"] = "100000";
    env_["BULWARK_RATE_LIMIT_BURST"] = "10000";
    env_["BULWARK_REGISTRATIONS_PER_HOUR"] = "100000";
    env_["BULWARK_THREADS"] = "2";
    env_["BULWARK_FILES_MAX_BYTES"] = "262144";
    env_["BULWARK_FILES_QUOTA_BYTES"] = "600000";
    if (GetParam() == "postgres") {
      const char* url = std::getenv("BULWARK_TEST_PG_URL");
      if (url == nullptr || *url == '\0') {
        const char* ci = std::getenv("CI");
        if (ci != nullptr && std::string(ci) == "true") FAIL() << "CI=true but BULWARK_TEST_PG_URL is unset";
        GTEST_SKIP() << "BULWARK_TEST_PG_URL is unset (scripts/testenv/postgres.sh sets it)";
      }
      pg_admin_url_ = url;
      db_name_ = "svc_" + bulwark::HexEncode(bulwark::crypto::RandomBytes(8));
      ASSERT_TRUE(PgAdmin("CREATE DATABASE " + db_name_));
      std::string base = pg_admin_url_.substr(0, pg_admin_url_.rfind('/'));
      env_["BULWARK_DATABASE"] = base + "/" + db_name_ + "?sslmode=disable";
    }
    StartServer();
  }

  void TearDown() override {
    StopServer();
    if (!db_name_.empty()) (void)PgAdmin("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
    if (!scratch_.empty() && !HasFailure()) std::system(("rm -rf '" + scratch_ + "'").c_str());
  }

  bool PgAdmin(const std::string& statement) {
    bulwark::db::PostgresOptions o;
    o.conninfo = bulwark::SecretString::CopyFrom(bulwark::AsBytes(pg_admin_url_));
    o.ssl_mode = bulwark::db::SslMode::kDisable;  // the test cluster listens on 127.0.0.1 only
    auto db = bulwark::db::Database::OpenPostgres(std::move(o));
    if (!db.ok()) return false;
    // DDL names cannot be bound; the name is made by this test from hex digits.
    return db->Execute(bulwark::db::sql::UnsafeDynamic(statement)).ok();
  }

  std::unique_ptr<bulwark::db::Database> OpenServiceDb() {
    if (GetParam() == "postgres") {
      bulwark::db::PostgresOptions o;
      o.conninfo = bulwark::SecretString::CopyFrom(bulwark::AsBytes(env_["BULWARK_DATABASE"]));
      o.ssl_mode = bulwark::db::SslMode::kDisable;
      auto db = bulwark::db::Database::OpenPostgres(std::move(o));
      return db.ok() ? std::make_unique<bulwark::db::Database>(std::move(db).value()) : nullptr;
    }
    auto db = bulwark::db::Database::OpenSqlite({.path = data_dir_ + "/bulwark.db", .create = false});
    return db.ok() ? std::make_unique<bulwark::db::Database>(std::move(db).value()) : nullptr;
  }

  void StartServer() {
    ++starts_;
    out_path_ = scratch_ + "/server" + std::to_string(starts_) + ".out";
    err_path_ = scratch_ + "/server" + std::to_string(starts_) + ".err";
    port_ = 0;
    pid_ = ::fork();
    if (pid_ == 0) {
      if (!resolv_conf_.empty() && !UseResolvConf(resolv_conf_)) std::_Exit(126);
      for (const auto& [k, v] : env_) ::setenv(k.c_str(), v.c_str(), 1);
      std::freopen(out_path_.c_str(), "w", stdout);
      std::freopen(err_path_.c_str(), "w", stderr);
      ::execl(BULWARK_BINARY, BULWARK_BINARY, "serve", "--listen", "127.0.0.1:0",
              static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    for (int i = 0; i < 600 && port_ == 0; ++i) {
      std::string out = ReadFile(out_path_);
      std::size_t at = out.find("serving on http://127.0.0.1:");
      if (at != std::string::npos) {
        port_ = static_cast<std::uint16_t>(std::atoi(out.c_str() + at + 28));
        break;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL() << "server exited: " << ReadFile(err_path_);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_NE(port_, 0) << ReadFile(err_path_);
  }

  void StopServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "graceful shutdown failed";
      pid_ = -1;
    }
  }

  HttpResponse Post(const std::string& path, const std::string& body,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.push_back(kJson);
    return Send(port_, "POST", path, headers, body, true);
  }
  HttpResponse Get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return Send(port_, "GET", path, headers);
  }

  void Register(const std::string& email, const std::string& password, const std::string& name) {
    HttpResponse r = Post("/v1/accounts", "{\"email\":" + JsonStr(email) + ",\"password\":" +
                                              JsonStr(password) + ",\"display_name\":" + JsonStr(name) + "}");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  struct Tokens {
    std::string access, refresh;
  };
  // Sends request(i) for i in [0, n) from n threads at once (a burst against
  // a limit); returns how many answered 201. Every other answer must be
  // `refused`.
  static int CreatedInBurst(std::size_t n, int refused, const std::function<int(std::size_t)>& request) {
    std::vector<int> statuses(n, 0);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < n; ++i) threads.emplace_back([&, i] { statuses[i] = request(i); });
    for (std::thread& t : threads) t.join();
    int created = 0;
    for (int st : statuses) {
      if (st == 201) {
        ++created;
      } else {
        EXPECT_EQ(st, refused);
      }
    }
    return created;
  }

  Tokens Login(const std::string& email, const std::string& password, const std::string& extra = "") {
    HttpResponse r = Post("/v1/tokens", "{\"email\":" + JsonStr(email) + ",\"password\":" +
                                            JsonStr(password) + extra + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    return {r.Str("access_token"), r.Str("refresh_token")};
  }
  struct Session {
    std::string cookie, csrf, handle;
  };
  Session BrowserLogin(const std::string& email, const std::string& password) {
    HttpResponse r = Post("/v1/sessions", "{\"email\":" + JsonStr(email) + ",\"password\":" + JsonStr(password) + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    std::string set_cookie = r.Header("set-cookie");
    Session s;
    s.cookie = set_cookie.substr(0, set_cookie.find(';'));
    s.csrf = r.Str("csrf_token");
    JsonValue json = r.Json();
    const JsonValue* session = json.Find("session");
    if (session && session->Find("id")) s.handle = session->Find("id")->AsString();
    return s;
  }

  // Stops the server, changes its environment and starts it again (the data
  // directory and database stay).
  void Restart(const std::map<std::string, std::string>& changes) {
    StopServer();
    for (const auto& [k, v] : changes) {
      if (v.empty()) {
        env_.erase(k);
      } else {
        env_[k] = v;
      }
    }
    StartServer();
  }

  // In a forked child only: gives this process its own mount namespace in
  // which `path` is /etc/resolv.conf. Needs root (CAP_SYS_ADMIN).
  static bool UseResolvConf(const std::string& path) {
    return ::unshare(CLONE_NEWNS) == 0 && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
           ::mount(path.c_str(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr) == 0;
  }
  static bool CanUseResolvConf(const std::string& path) {
    pid_t pid = ::fork();
    if (pid == 0) std::_Exit(UseResolvConf(path) ? 0 : 1);
    int status = 0;
    return pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  std::string scratch_, data_dir_, out_path_, err_path_, pg_admin_url_, db_name_;
  std::string resolv_conf_;  // set: the server sees this file as /etc/resolv.conf
  std::map<std::string, std::string> env_;
  pid_t pid_ = -1;
  int starts_ = 0;
  std::uint16_t port_ = 0;
};

}  // namespace


namespace {

TEST_P(ServiceE2E, StartupCreatesPrivateDataDirAndKeys) {
  struct stat st {};
  ASSERT_EQ(::stat(data_dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((data_dir_ + "/master.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((data_dir_ + "/keys/jwt.keyset").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_EQ(Get("/readyz").status, 200);
  HttpResponse m = Get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("bulwark_http_requests_total"), std::string::npos);
  EXPECT_NE(m.body.find("bulwark_hash_pool_queued"), std::string::npos);
  HttpResponse jwks = Get("/.well-known/jwks.json");
  EXPECT_EQ(jwks.status, 200);
  EXPECT_NE(jwks.body.find("\"OKP\""), std::string::npos);
  EXPECT_EQ(jwks.body.find("\"d\""), std::string::npos);  // no private part
}

TEST_P(ServiceE2E, OpenApiMatchesTheRealRoutes) {
  HttpResponse doc = Get("/openapi.json");
  ASSERT_EQ(doc.status, 200);
  JsonValue v = doc.Json();
  ASSERT_NE(v.Find("openapi"), nullptr);
  EXPECT_EQ(v.Find("openapi")->AsString(), "3.1.0");
  const JsonValue* paths = v.Find("paths");
  ASSERT_NE(paths, nullptr);
  int operations = 0;
  for (const auto& member : paths->AsObject()) {
    std::string path = member.key;
    // Fill path parameters with a plausible value.
    std::string concrete;
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (path[i] == '{') {
        concrete += "abc";
        i = path.find('}', i);
      } else {
        concrete += path[i];
      }
    }
    std::set<std::string> documented;
    for (const auto& op : member.value.AsObject()) {
      std::string m = op.key;
      for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(m);
      ++operations;
    }
    HttpResponse opt = Send(port_, "OPTIONS", concrete);
    ASSERT_EQ(opt.status, 204) << "documented path has no route: " << path;
    std::set<std::string> served;
    std::string allow = opt.Header("allow");
    std::size_t start = 0;
    while (start < allow.size()) {
      std::size_t end = allow.find(',', start);
      if (end == std::string::npos) end = allow.size();
      std::string m = allow.substr(start, end - start);
      while (!m.empty() && m.front() == ' ') m.erase(0, 1);
      if (m != "HEAD" && m != "OPTIONS") served.insert(m);
      start = end + 1;
    }
    EXPECT_EQ(served, documented) << "methods differ for " << path;
  }
  EXPECT_GE(operations, 35);
  // An undocumented path is not served.
  EXPECT_EQ(Get("/v1/secret-debug").status, 404);
}

TEST_P(ServiceE2E, HostileInputIsRefusedOnEveryBodyRoute) {
  Register("host@example.com", "lantern orchard velvet 42", "Host");
  Tokens t = Login("host@example.com", "lantern orchard velvet 42");
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"POST", "/v1/accounts"},      {"POST", "/v1/sessions"},         {"POST", "/v1/tokens"},
      {"POST", "/v1/tokens/refresh"}, {"POST", "/v1/tokens/revoke"},   {"PATCH", "/v1/me"},
      {"POST", "/v1/me/password"},   {"POST", "/v1/mfa/totp"},         {"POST", "/v1/mfa/totp/confirm"},
      {"DELETE", "/v1/mfa/totp"},    {"POST", "/v1/mfa/backup-codes"}, {"POST", "/v1/api-keys"},
      {"POST", "/v1/webhooks"}};
  for (const auto& [method, path] : routes) {
    std::vector<std::pair<std::string, std::string>> h{kJson, Bearer(t.access)};
    HttpResponse malformed = Send(port_, method, path, h, "{\"email\":", true);
    EXPECT_EQ(malformed.status, 400) << method << " " << path << " " << malformed.body;
    EXPECT_EQ(malformed.Header("content-type"), "application/problem+json");
    EXPECT_FALSE(malformed.Str("request_id").empty());
    HttpResponse dup = Send(port_, method, path, h, "{\"a\":1,\"a\":2}", true);
    EXPECT_EQ(dup.status, 400) << method << " " << path;
    HttpResponse unknown = Send(port_, method, path, h, "{\"is_admin\":true}", true);
    EXPECT_EQ(unknown.status, 422) << method << " " << path << " " << unknown.body;
    HttpResponse wrong_type = Send(port_, method, path, h, "[1,2,3]", true);
    EXPECT_EQ(wrong_type.status, 422) << method << " " << path;
    HttpResponse big = Send(port_, method, path, h, "{\"x\":\"" + std::string(200 * 1024, 'a') + "\"}", true);
    EXPECT_EQ(big.status, 413) << method << " " << path;
    HttpResponse form = Send(port_, method, path, {{"Content-Type", "text/plain"}, Bearer(t.access)}, "a=b", true);
    EXPECT_EQ(form.status, 415) << method << " " << path;
    HttpResponse deep = Send(port_, method, path, h, std::string(100, '[') + std::string(100, ']'), true);
    EXPECT_EQ(deep.status, 400) << method << " " << path;
  }
  // Injection strings and wrong types on fields.
  for (const std::string& email : {std::string("' OR 1=1 --"), std::string("a@b.c\r\nX: y"),
                                   std::string("<script>alert(1)</script>@x.com"), std::string("\u202eadmin@x.com")}) {
    HttpResponse r = Post("/v1/accounts", "{\"email\":" + JsonStr(email) +
                                              ",\"password\":\"lantern orchard velvet 42\",\"display_name\":\"x\"}");
    EXPECT_EQ(r.status, 422) << email;
    EXPECT_EQ(r.body.find("script"), std::string::npos);  // never echoed
  }
  EXPECT_EQ(Post("/v1/accounts", R"({"email":"a@example.com","password":12345678,"display_name":"x"})").status, 422);
  // A blank display name would show as nothing.
  EXPECT_EQ(Post("/v1/accounts",
                 R"({"email":"blank@example.com","password":"lantern orchard velvet 42","display_name":"   "})")
                .status,
            422);
  EXPECT_EQ(Send(port_, "PATCH", "/v1/me", {kJson, Bearer(t.access)}, R"({"display_name":"  "})").status, 422);
  EXPECT_EQ(Post("/v1/tokens", R"({"email":"' OR 1=1 --","password":"x' OR '1'='1"})").status, 401);
  HttpResponse weak = Post("/v1/accounts", R"({"email":"w@example.com","password":"password1","display_name":"w"})");
  EXPECT_EQ(weak.status, 422);
  // Bad path parameters, bad query parameters, bad auth headers.
  EXPECT_EQ(Send(port_, "DELETE", "/v1/sessions/..%2f..%2fetc", {Bearer(t.access)}).status, 404);
  EXPECT_EQ(Get("/v1/me", {{"Authorization", "Bearer not.a.jwt"}}).status, 401);
  EXPECT_EQ(Get("/v1/me", {{"Authorization", "Basic YTpi"}}).status, 401);
  EXPECT_EQ(Get("/v1/me", {ApiKey("bwk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")}).status, 401);
  EXPECT_EQ(Get("/v1/me", {{"Cookie", "__Host-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}).status, 401);
  // alg=none token
  EXPECT_EQ(Get("/v1/me", {Bearer("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0.")}).status, 401);
  EXPECT_EQ(Send(port_, "TRACE", "/v1/me").status, 501);
}

TEST_P(ServiceE2E, WholeFlowWithBoundariesAndAudit) {
  const std::string pw_a = "correct horse battery staple";
  const std::string pw_b = "tangerine violin meadow 7";
  Register("ann@example.com", pw_a, "Ann");
  // No enumeration: a taken email gets the same answer.
  HttpResponse dup = Post("/v1/accounts", "{\"email\":\"Ann@Example.com\",\"password\":" + JsonStr(pw_b) +
                                              ",\"display_name\":\"Mallory\"}");
  EXPECT_EQ(dup.status, 201);
  HttpResponse fresh = Post("/v1/accounts", "{\"email\":\"zed@example.com\",\"password\":" + JsonStr(pw_b) +
                                                ",\"display_name\":\"Zed\"}");
  EXPECT_EQ(dup.body, fresh.body);
  // Generic failures: unknown account and wrong password look alike.
  HttpResponse unknown = Post("/v1/tokens", R"({"email":"nobody@example.com","password":"whatever it is"})");
  HttpResponse wrong = Post("/v1/tokens", R"({"email":"ann@example.com","password":"whatever it is"})");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.Str("detail"), wrong.Str("detail"));

  // Browser session: cookie attributes, CSRF on unsafe methods.
  HttpResponse login = Post("/v1/sessions", "{\"email\":\"ann@example.com\",\"password\":" + JsonStr(pw_a) + "}");
  ASSERT_EQ(login.status, 201) << login.body;
  std::string set_cookie = login.Header("set-cookie");
  EXPECT_EQ(set_cookie.rfind("__Host-session=", 0), 0u);
  EXPECT_NE(set_cookie.find("; Secure"), std::string::npos);
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(set_cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Domain"), std::string::npos);
  std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  std::string csrf = login.Str("csrf_token");
  JsonValue login_json = login.Json();
  std::string session_a = login_json.Find("session")->Find("id")->AsString();
  EXPECT_EQ(Get("/v1/me", {{"Cookie", cookie}}).status, 200);
  EXPECT_EQ(Send(port_, "PATCH", "/v1/me", {kJson, {"Cookie", cookie}}, R"({"display_name":"Ann B"})").status, 403);
  EXPECT_EQ(Send(port_, "PATCH", "/v1/me", {kJson, {"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Sec-Fetch-Site", "cross-site"}},
                 R"({"display_name":"Ann B"})").status, 403);
  HttpResponse patched = Send(port_, "PATCH", "/v1/me", {kJson, {"Cookie", cookie}, {"X-CSRF-Token", csrf}},
                              R"({"display_name":"Ann B"})");
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Str("display_name"), "Ann B");
  EXPECT_EQ(Send(port_, "PATCH", "/v1/me", {kJson, {"Cookie", cookie}, {"X-CSRF-Token", csrf}}, R"({"role":"admin"})").status, 422);
  EXPECT_EQ(Send(port_, "PATCH", "/v1/me", {kJson, {"Cookie", cookie}, {"X-CSRF-Token", csrf}}, R"({"email":"x@example.com"})").status, 422);
  HttpResponse sessions = Get("/v1/sessions", {{"Cookie", cookie}});
  EXPECT_EQ(sessions.status, 200);
  EXPECT_NE(sessions.body.find(session_a), std::string::npos);

  // Tokens, refresh rotation, reuse detection revokes the family.
  Tokens t = Login("ann@example.com", pw_a);
  ASSERT_FALSE(t.access.empty());
  EXPECT_EQ(Get("/v1/me", {Bearer(t.access)}).Str("email"), "ann@example.com");
  HttpResponse r1 = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(t.refresh) + "}");
  ASSERT_EQ(r1.status, 200) << r1.body;
  std::string rotated = r1.Str("refresh_token");
  EXPECT_NE(rotated, t.refresh);
  EXPECT_EQ(Get("/v1/me", {Bearer(r1.Str("access_token"))}).status, 200);
  HttpResponse reuse = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(t.refresh) + "}");
  EXPECT_EQ(reuse.status, 401);
  HttpResponse after = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(rotated) + "}");
  EXPECT_EQ(after.status, 401) << "the family must be revoked after reuse";
  // Revoke.
  Tokens t2 = Login("ann@example.com", pw_a);
  EXPECT_EQ(Post("/v1/tokens/revoke", "{\"refresh_token\":" + JsonStr(t2.refresh) + "}").status, 200);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(t2.refresh) + "}").status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(t2.access)}).status, 401) << "the access token ends with its family";
  t2 = Login("ann@example.com", pw_a);

  // MFA: enrol, confirm, then login needs a code.
  EXPECT_EQ(Post("/v1/mfa/totp", R"({"password":"not my password"})", {Bearer(t2.access)}).status, 403);
  HttpResponse enrol = Post("/v1/mfa/totp", "{\"password\":" + JsonStr(pw_a) + "}", {Bearer(t2.access)});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  std::string secret = enrol.Str("secret");
  EXPECT_EQ(enrol.Str("otpauth_uri").rfind("otpauth://totp/", 0), 0u);
  EXPECT_NE(enrol.Str("qr_svg").find("<svg"), std::string::npos);
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  EXPECT_EQ(Post("/v1/mfa/totp/confirm", R"({"code":"000000"})", {Bearer(t2.access)}).status, 403);
  HttpResponse confirm = Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(secret, now) + "\"}", {Bearer(t2.access)});
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  JsonValue confirm_json = confirm.Json();
  const JsonValue* codes = confirm_json.Find("backup_codes");
  ASSERT_TRUE(codes && codes->is_array() && codes->AsArray().size() >= 5) << confirm.body;
  std::string backup = codes->AsArray()[0].AsString();
  HttpResponse need = Post("/v1/tokens", "{\"email\":\"ann@example.com\",\"password\":" + JsonStr(pw_a) + "}");
  EXPECT_EQ(need.status, 401);
  EXPECT_EQ(need.Str("detail"), "mfa_required");
  // The confirmation code cannot be replayed; the next step's code works.
  EXPECT_EQ(Post("/v1/tokens", "{\"email\":\"ann@example.com\",\"password\":" + JsonStr(pw_a) +
                                   ",\"totp_code\":\"" + Totp(secret, now) + "\"}").status, 401);
  Tokens mfa = Login("ann@example.com", pw_a, ",\"totp_code\":\"" + Totp(secret, now + 30) + "\"");
  ASSERT_FALSE(mfa.access.empty());
  Tokens by_backup = Login("ann@example.com", pw_a, ",\"backup_code\":\"" + backup + "\"");
  EXPECT_FALSE(by_backup.access.empty());
  EXPECT_EQ(Post("/v1/tokens", "{\"email\":\"ann@example.com\",\"password\":" + JsonStr(pw_a) +
                                   ",\"backup_code\":\"" + backup + "\"}").status, 401) << "backup codes are single-use";
  HttpResponse new_codes = Post("/v1/mfa/backup-codes", "{\"password\":" + JsonStr(pw_a) + ",\"backup_code\":\"" +
                                    codes->AsArray()[1].AsString() + "\"}", {Bearer(mfa.access)});
  EXPECT_EQ(new_codes.status, 200) << new_codes.body;
  // New backup codes end the other sessions: the browser signs in again.
  EXPECT_EQ(Get("/v1/me", {{"Cookie", cookie}}).status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(by_backup.access)}).status, 401);
  // They also move cv on, as a password change does: the caller's own access
  // token stops too, and its kept token family refreshes to a new one.
  EXPECT_EQ(Get("/v1/me", {Bearer(mfa.access)}).status, 401) << "new backup codes move cv";
  {
    HttpResponse next = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(mfa.refresh) + "}");
    ASSERT_EQ(next.status, 200) << next.body;
    mfa = {next.Str("access_token"), next.Str("refresh_token")};
    ASSERT_EQ(Get("/v1/me", {Bearer(mfa.access)}).status, 200);
  }
  {
    JsonValue new_codes_json = new_codes.Json();
    HttpResponse again = Post("/v1/sessions", "{\"email\":\"ann@example.com\",\"password\":" + JsonStr(pw_a) +
                                                  ",\"backup_code\":" +
                                                  JsonStr(new_codes_json.Find("backup_codes")->AsArray()[0].AsString()) + "}");
    ASSERT_EQ(again.status, 201) << again.body;
    set_cookie = again.Header("set-cookie");
    cookie = set_cookie.substr(0, set_cookie.find(';'));
    csrf = again.Str("csrf_token");
    JsonValue again_json = again.Json();
    session_a = again_json.Find("session")->Find("id")->AsString();
  }

  // Second user; authorization boundaries.
  Register("bob@example.com", pw_b, "Bob");
  Session sb = BrowserLogin("bob@example.com", pw_b);
  Tokens tb = Login("bob@example.com", pw_b);
  EXPECT_EQ(Send(port_, "DELETE", "/v1/sessions/" + session_a, {Bearer(tb.access)}).status, 404);
  EXPECT_EQ(Send(port_, "DELETE", "/v1/sessions/" + session_a, {{"Cookie", sb.cookie}, {"X-CSRF-Token", sb.csrf}}).status, 404);
  EXPECT_EQ(Get("/v1/me", {{"Cookie", cookie}}).status, 200) << "B must not end A's session";
  EXPECT_EQ(Get("/v1/sessions", {Bearer(tb.access)}).body.find(session_a), std::string::npos);
  // B's CSRF token does not work with A's cookie.
  EXPECT_EQ(Send(port_, "PATCH", "/v1/me", {kJson, {"Cookie", cookie}, {"X-CSRF-Token", sb.csrf}}, R"({"display_name":"x"})").status, 403);
  // API keys: scopes and ownership.
  HttpResponse key = Post("/v1/api-keys", R"({"name":"ci","scopes":["me:read"]})", {Bearer(mfa.access)});
  ASSERT_EQ(key.status, 201) << key.body;
  std::string api_key = key.Str("key");
  std::string key_id = key.Str("id");
  EXPECT_EQ(Post("/v1/api-keys", R"({"name":"x","scopes":["admin:read"]})", {Bearer(mfa.access)}).status, 403);
  EXPECT_EQ(Post("/v1/api-keys", R"({"name":"x","scopes":["root"]})", {Bearer(mfa.access)}).status, 422);
  EXPECT_EQ(Get("/v1/me", {ApiKey(api_key)}).Str("email"), "ann@example.com");
  EXPECT_EQ(Send(port_, "PATCH", "/v1/me", {kJson, ApiKey(api_key)}, R"({"display_name":"x"})").status, 403);
  EXPECT_EQ(Get("/v1/sessions", {ApiKey(api_key)}).status, 403);
  EXPECT_EQ(Post("/v1/api-keys", R"({"name":"y","scopes":["me:read"]})", {ApiKey(api_key)}).status, 403);
  EXPECT_EQ(Get("/v1/api-keys", {Bearer(mfa.access)}).body.find(api_key.substr(21)), std::string::npos);
  EXPECT_EQ(Send(port_, "DELETE", "/v1/api-keys/" + key_id, {Bearer(tb.access)}).status, 404);
  EXPECT_EQ(Get("/v1/me", {ApiKey(api_key)}).status, 200);
  // Non-admins get 403 on admin routes.
  EXPECT_EQ(Get("/v1/admin/users", {Bearer(tb.access)}).status, 403);
  EXPECT_EQ(Get("/v1/admin/audit", {Bearer(tb.access)}).status, 403);
  EXPECT_EQ(Post("/v1/admin/users/x/lock", "", {Bearer(tb.access)}).status, 403);
  EXPECT_EQ(Get("/v1/admin/users").status, 401);
  // Metrics: a direct loopback scraper yes; through a proxy only for admins.
  const std::pair<std::string, std::string> proxied{"X-Forwarded-For", "203.0.113.9"};
  EXPECT_EQ(Get("/metrics", {proxied}).status, 404);
  EXPECT_EQ(Get("/metrics", {proxied, Bearer(tb.access)}).status, 404);
  EXPECT_EQ(Get("/metrics", {{"Forwarded", "for=203.0.113.9"}}).status, 404);

  // First admin from the CLI.
  RunResult created = RunBulwark({"admin", "create", "--email", "root@example.com"}, env_,
                                 "saffron glacier compass 19\n", scratch_);
  ASSERT_EQ(created.exit_code, 0) << created.output;
  Tokens admin = Login("root@example.com", "saffron glacier compass 19");
  HttpResponse users = Get("/v1/admin/users?limit=2", {Bearer(admin.access)});
  ASSERT_EQ(users.status, 200) << users.body;
  JsonValue users_json = users.Json();
  EXPECT_EQ(users_json.Find("users")->AsArray().size(), 2u);
  EXPECT_EQ(Get("/v1/admin/users?limit=0", {Bearer(admin.access)}).status, 400);
  HttpResponse admin_metrics = Get("/metrics", {proxied, Bearer(admin.access)});
  EXPECT_EQ(admin_metrics.status, 200);
  EXPECT_NE(admin_metrics.body.find("bulwark_http_requests_total"), std::string::npos);
  std::string bob_id = Get("/v1/me", {Bearer(tb.access)}).Str("id");
  HttpResponse locked = Post("/v1/admin/users/" + bob_id + "/lock", "", {Bearer(admin.access)});
  EXPECT_EQ(locked.status, 200) << locked.body;
  EXPECT_EQ(Get("/v1/me", {Bearer(tb.access)}).status, 401);
  EXPECT_EQ(Get("/v1/me", {{"Cookie", sb.cookie}}).status, 401);
  EXPECT_EQ(Post("/v1/tokens", "{\"email\":\"bob@example.com\",\"password\":" + JsonStr(pw_b) + "}").status, 401);
  EXPECT_EQ(Post("/v1/admin/users/nope/lock", "", {Bearer(admin.access)}).status, 404);
  HttpResponse audit = Get("/v1/admin/audit?action=login.failed&limit=5", {Bearer(admin.access)});
  ASSERT_EQ(audit.status, 200) << audit.body;
  JsonValue audit_json = audit.Json();
  EXPECT_FALSE(audit_json.Find("records")->AsArray().empty());
  EXPECT_EQ(Get("/v1/admin/audit?limit=abc", {Bearer(admin.access)}).status, 400);
  HttpResponse reuse_records = Get("/v1/admin/audit?action=refresh.reuse_detected", {Bearer(admin.access)});
  JsonValue reuse_json = reuse_records.Json();
  EXPECT_EQ(reuse_json.Find("records")->AsArray().size(), 1u);

  // Password change: needs the current one and, with MFA on, a second
  // factor; ends other sessions and families.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(Post("/v1/me/password", R"({"current_password":"nope nope","new_password":"another fine passphrase"})",
                 {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status, 403);
  EXPECT_EQ(Post("/v1/me/password", "{\"current_password\":" + JsonStr(pw_a) +
                                        ",\"new_password\":\"another fine passphrase\"}",
                 {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status, 403)
      << "MFA is on: the password alone does not change the password";
  HttpResponse changed = Post("/v1/me/password", "{\"current_password\":" + JsonStr(pw_a) +
                                                     ",\"new_password\":\"another fine passphrase\"" +
                                                     ",\"backup_code\":" +
                                                     JsonStr(new_codes.Json().Find("backup_codes")->AsArray()[1].AsString()) +
                                                     "}",
                              {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Get("/v1/me", {{"Cookie", cookie}}).status, 200) << "the current session stays";
  EXPECT_EQ(Get("/v1/me", {Bearer(mfa.access)}).status, 401) << "older access tokens stop working";
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(mfa.refresh) + "}").status, 401);
  // Sign out.
  EXPECT_EQ(Send(port_, "DELETE", "/v1/sessions/current", {{"Cookie", cookie}}).status, 403);
  EXPECT_EQ(Send(port_, "DELETE", "/v1/sessions/current", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}).status, 204);
  EXPECT_EQ(Get("/v1/me", {{"Cookie", cookie}}).status, 401);

  // Audit: intact, no secrets anywhere, tampering detected.
  RunResult verify = RunBulwark({"audit", "verify"}, env_, "", scratch_);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  StopServer();
  std::string logs = ReadFile(out_path_) + ReadFile(err_path_);
  auto db = OpenServiceDb();
  ASSERT_NE(db, nullptr);
  auto rows = db->Query("SELECT actor, action, target, outcome, request_id, client_address, details FROM bulwark_audit_log");
  ASSERT_TRUE(rows.ok());
  EXPECT_GT(rows->size(), 30u);
  std::string all;
  for (const auto& row : *rows) {
    for (std::size_t i = 0; i < row.size(); ++i) all += row.Get<std::string>(i).value_or("") + "\n";
  }
  EXPECT_NE(all.find("refresh.reuse_detected"), std::string::npos);
  EXPECT_NE(all.find("admin.user.lock"), std::string::npos);
  EXPECT_NE(all.find("mfa.enrolled"), std::string::npos);
  for (const std::string& secret_value :
       {pw_a, pw_b, std::string("another fine passphrase"), t.refresh, rotated, t.access, mfa.access,
        cookie.substr(15), csrf, api_key, api_key.substr(21), secret, backup}) {
    ASSERT_FALSE(secret_value.empty());
    EXPECT_EQ(all.find(secret_value), std::string::npos) << "secret in the audit table";
    EXPECT_EQ(logs.find(secret_value), std::string::npos) << "secret in the logs";
  }
  // The append-only guard refuses the edit through SQL...
  EXPECT_FALSE(db->Execute("UPDATE bulwark_audit_log SET actor = 'user:someone-else' WHERE seq = 3").ok());
  EXPECT_FALSE(db->Execute("DELETE FROM bulwark_audit_log WHERE seq = 3").ok());
  // ...so the attacker removes it first, as the database owner could.
  if (GetParam() == "postgres") {
    ASSERT_TRUE(db->Execute("ALTER TABLE bulwark_audit_log DISABLE TRIGGER ALL").ok());
  } else {
    ASSERT_TRUE(db->Execute("DROP TRIGGER bulwark_audit_log_no_update").ok());
  }
  ASSERT_TRUE(db->Execute("UPDATE bulwark_audit_log SET actor = 'user:someone-else' WHERE seq = 3").ok());
  db.reset();
  RunResult broken = RunBulwark({"audit", "verify"}, env_, "", scratch_);
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("BROKEN at record 3"), std::string::npos) << broken.output;
  std::map<std::string, std::string> bad_env = env_;
  bad_env["BULWARK_DATA_DIR"] = scratch_ + "/missing";
  EXPECT_EQ(RunBulwark({"audit", "verify"}, bad_env, "", scratch_).exit_code, 2);
  StartServer();  // TearDown expects a running server
}

TEST_P(ServiceE2E, LoginThrottleBacksOffButDoesNotLockOut) {
  Register("carol@example.com", "quartz lighthouse ember 5", "Carol");
  int throttled = 0;
  int failures = 0;  // wrong passwords checked (401): each one counts
  auto wrong = [&]() {
    auto start = std::chrono::steady_clock::now();
    HttpResponse r = Post("/v1/tokens", R"({"email":"carol@example.com","password":"guess guess guess"})");
    if (r.status == 429) {
      ++throttled;
      EXPECT_FALSE(r.Header("retry-after").empty());
      // Refused without password work, the answer is held (tarpit), so a
      // flood on one connection gets about one answer a second.
      EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
    } else {
      EXPECT_EQ(r.status, 401);
      ++failures;
    }
    return r.status;
  };
  for (int i = 0; i < 9; ++i) wrong();
  EXPECT_GT(throttled, 0);
  // Even the right password waits while throttled, then works again. A held
  // 429 can outlast a short window on a slow machine, so the right password
  // goes right after a counted failure, which starts a new window.
  bool fresh_failure = false;
  for (int i = 0; i < 20 && !fresh_failure; ++i) fresh_failure = wrong() == 401;
  ASSERT_TRUE(fresh_failure) << "a wrong password was never checked again once the window had passed";
  HttpResponse blocked = Post("/v1/tokens", R"({"email":"carol@example.com","password":"quartz lighthouse ember 5"})");
  EXPECT_EQ(blocked.status, 429);
  int wait = std::atoi(blocked.Header("retry-after").c_str());
  EXPECT_GE(wait, 1);
  // Backoff, not lockout: 5 free failures, then 1 s doubling per failure
  // (8 failures in an unloaded run: 4 s).
  ASSERT_GE(failures, 6);
  EXPECT_LE(wait, 1 << std::min(failures - 6, 10));
  std::this_thread::sleep_for(std::chrono::seconds(wait + 1));
  EXPECT_EQ(Post("/v1/tokens", R"({"email":"carol@example.com","password":"quartz lighthouse ember 5"})").status, 200);
}

// Rejections anyone can repeat for free (a made-up API key, one's own key
// with a wrong secret, a refresh token of a revoked family) must not cost one
// chained, synchronous audit write each: at most one a second, with a count.
TEST_P(ServiceE2E, FreeToRepeatRejectionsDoNotFloodTheAuditTrail) {
  Register("xena@example.com", "thimble orchard cobalt 29", "Xena");
  Tokens t = Login("xena@example.com", "thimble orchard cobalt 29");
  HttpResponse key = Post("/v1/api-keys", R"({"name":"k","scopes":["me:read"]})", {Bearer(t.access)});
  ASSERT_EQ(key.status, 201) << key.body;
  const std::string real = key.Str("key");
  ASSERT_EQ(Post("/v1/tokens/revoke", "{\"refresh_token\":" + JsonStr(t.refresh) + "}").status, 200);
  // The revoked family's access token ended with it; a live one for the denials.
  Tokens live = Login("xena@example.com", "thimble orchard cobalt 29");
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 30; ++i) {
    char made_up[64];
    std::snprintf(made_up, sizeof made_up, "ApiKey bwk_%016x_%s", static_cast<unsigned>(i), "AAAAAAAAAAAAAAAAAAAAAAAA");
    EXPECT_EQ(Get("/v1/me", {{"Authorization", made_up}}).status, 401);
    EXPECT_EQ(Get("/v1/me", {{"Authorization", "ApiKey " + real.substr(0, real.size() - 2) + "xx"}}).status, 401);
    EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(t.refresh) + "}").status, 401);
    // Permission denials: a user on an admin route, a key without the scope.
    EXPECT_EQ(Get("/v1/admin/users", {Bearer(live.access)}).status, 403);
    EXPECT_EQ(Post("/v1/api-keys", R"({"name":"k2","scopes":["me:read"]})",
                   {{"Authorization", "ApiKey " + real}}).status,
              403);
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  StopServer();
  auto db = OpenServiceDb();
  ASSERT_NE(db, nullptr);
  for (const char* action : {"api_key.rejected", "refresh.rejected", "permission.denied"}) {
    auto rows = db->Query("SELECT COUNT(*) FROM bulwark_audit_log WHERE action = ?", std::string(action));
    ASSERT_TRUE(rows.ok());
    const std::int64_t recorded = (*rows)[0].Get<std::int64_t>(0).value_or(-1);
    EXPECT_GE(recorded, 1) << action;
    EXPECT_LE(recorded, seconds + 2) << action;
  }
  db.reset();
  StartServer();
}

// An IPv6 client holds a whole /64: a fresh address for each guess must not
// mean a fresh allowance (here through a trusted proxy's X-Forwarded-For).
TEST_P(ServiceE2E, LoginThrottleCountsAnIpv6ClientPerSlash64) {
  Restart({{"BULWARK_TRUSTED_PROXIES", "127.0.0.1/32"}});
  Register("walt@example.com", "saffron beacon tundra 83", "Walt");
  auto login = [&](const std::string& password, const std::string& from) {
    return Post("/v1/tokens",
                "{\"email\":\"walt@example.com\",\"password\":" + JsonStr(password) + "}",
                {{"X-Forwarded-For", from}});
  };
  // Each guess from a fresh host in one /64: past the pair's free failures
  // (5) the /64 waits, long before the account's (20).
  int throttled = 0;
  for (int i = 0; i < 10; ++i) {
    HttpResponse r = login("wrong guess " + std::to_string(i), "2001:db8:1:2::" + std::to_string(i + 1));
    if (r.status == 429) {
      ++throttled;
      EXPECT_FALSE(r.Header("retry-after").empty());
    } else {
      EXPECT_EQ(r.status, 401) << i;
    }
  }
  EXPECT_GT(throttled, 0);
  // Another /64 is another client.
  EXPECT_EQ(login("saffron beacon tundra 83", "2001:db8:1:3::1").status, 200);
}

// Re-authentication for sensitive actions is under the login backoff: a
// stolen token cannot be used to guess the password at full speed.
TEST_P(ServiceE2E, StepUpIsThrottledLikeLogin) {
  Register("ivy@example.com", "velvet compass harbor 31", "Ivy");
  Tokens ivy = Login("ivy@example.com", "velvet compass harbor 31");
  auto change = [&](const std::string& current) {
    return Post("/v1/me/password",
                "{\"current_password\":" + JsonStr(current) + ",\"new_password\":\"sable juniper quarry 58\"}",
                {Bearer(ivy.access)});
  };
  // Failures on the MFA step-up route and on the password route add up.
  for (int i = 0; i < 3; ++i) {
    HttpResponse enrol = Post("/v1/mfa/totp", "{\"password\":\"wrong guess " + std::to_string(i) + "\"}",
                              {Bearer(ivy.access)});
    EXPECT_EQ(enrol.status, 403) << enrol.body;
  }
  for (int i = 0; i < 3; ++i) EXPECT_EQ(change("a wrong guess " + std::to_string(i)).status, 403) << i;
  // Six failures: even the right password is refused for a while (429, held).
  HttpResponse blocked = change("velvet compass harbor 31");
  EXPECT_EQ(blocked.status, 429) << blocked.body;
  EXPECT_FALSE(blocked.Header("retry-after").empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(change("velvet compass harbor 31").status, 200);
}

// Confirming an enrolment is a step-up too: whoever confirms gets the backup
// codes, so a stolen session or token must not guess the code at full speed.
TEST_P(ServiceE2E, TotpConfirmationIsThrottledLikeLogin) {
  Register("vic@example.com", "copper meadow lantern 47", "Vic");
  Tokens vic = Login("vic@example.com", "copper meadow lantern 47");
  HttpResponse enrol = Post("/v1/mfa/totp", R"({"password":"copper meadow lantern 47"})", {Bearer(vic.access)});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret = enrol.Str("secret");
  const std::int64_t now = std::time(nullptr);
  std::set<std::string> valid;
  for (std::int64_t t = now - 60; t <= now + 120; t += 30) valid.insert(Totp(secret, t));
  auto confirm = [&](const std::string& code) {
    return Post("/v1/mfa/totp/confirm", "{\"code\":" + JsonStr(code) + "}", {Bearer(vic.access)});
  };
  // Wrong codes: past the free failures (5) the answer is 429 (held,
  // Retry-After) without a code check.
  int wait = 0;
  for (int i = 0, wrong = 0; wrong < 10 && wait == 0; ++i) {
    const std::string code = std::to_string(100000 + i * 7919);
    if (valid.contains(code)) continue;
    ++wrong;
    HttpResponse r = confirm(code);
    if (r.status == 429) {
      wait = std::atoi(r.Header("retry-after").c_str());
      EXPECT_GE(wait, 1);
    } else {
      EXPECT_EQ(r.status, 403) << wrong;
    }
  }
  ASSERT_GT(wait, 0) << "wrong enrolment codes were never throttled";
  // Then the wait ends and the right code works.
  std::this_thread::sleep_for(std::chrono::seconds(wait) + std::chrono::milliseconds(200));
  HttpResponse done = confirm(Totp(secret, std::time(nullptr)));
  EXPECT_EQ(done.status, 200) << done.body;
}

// A password change ends every access token issued before it, also one
// issued in the same second (JWT iat is whole seconds), and tokens issued
// right after it work at once.
TEST_P(ServiceE2E, PasswordChangeEndsAccessTokensOfTheSameSecond) {
  Register("ned@example.com", "hollow birch signal 73", "Ned");
  Tokens first = Login("ned@example.com", "hollow birch signal 73");
  Tokens second = Login("ned@example.com", "hollow birch signal 73");
  ASSERT_EQ(Get("/v1/me", {Bearer(second.access)}).status, 200);
  HttpResponse changed = Post("/v1/me/password",
                              R"({"current_password":"hollow birch signal 73","new_password":"velvet orchid pylon 19"})",
                              {Bearer(first.access)});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Get("/v1/me", {Bearer(first.access)}).status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(second.access)}).status, 401);
  Tokens after = Login("ned@example.com", "velvet orchid pylon 19");
  EXPECT_EQ(Get("/v1/me", {Bearer(after.access)}).status, 200);
  // A second change in the same second still moves the credentials on.
  HttpResponse again = Post("/v1/me/password",
                            R"({"current_password":"velvet orchid pylon 19","new_password":"quartz meadow falcon 42"})",
                            {Bearer(after.access)});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Get("/v1/me", {Bearer(after.access)}).status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(Login("ned@example.com", "quartz meadow falcon 42").access)}).status, 200);
}

// A refresh is not a sign-in: the access token it issues keeps the time the
// credentials were presented, so a stolen refresh token (valid for 30 days)
// never passes the "signed in within 15 minutes" step-up (API key creation).
TEST_P(ServiceE2E, RefreshKeepsTheSignInTimeForStepUp) {
  Register("uma@example.com", "amber trellis quiver 62", "Uma");
  Tokens uma = Login("uma@example.com", "amber trellis quiver 62");
  auto auth_time = [](const std::string& jwt) -> std::int64_t {
    std::size_t a = jwt.find('.'), b = jwt.rfind('.');
    if (a == std::string::npos || b <= a) return -1;
    auto payload = bulwark::Base64UrlDecode(jwt.substr(a + 1, b - a - 1));
    if (!payload.ok()) return -1;
    auto parsed = bulwark::validate::ParseJson(std::string(bulwark::AsChars(*payload)));
    if (!parsed.ok()) return -1;
    const JsonValue* v = parsed.value().UnvalidatedValue().Find("auth_time");
    return v != nullptr && v->is_int() ? v->AsInt() : -1;
  };
  const std::int64_t signed_in = auth_time(uma.access);
  ASSERT_GT(signed_in, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpResponse r = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(uma.refresh) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(auth_time(r.Str("access_token")), signed_in);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  HttpResponse again = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(r.Str("refresh_token")) + "}");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(auth_time(again.Str("access_token")), signed_in);
}

// With --redis the throttle lives in Redis: a second instance (here: the
// same service restarted, its memory gone) still refuses the account.
TEST_P(ServiceE2E, LoginThrottleIsSharedThroughRedis) {
  const char* redis = std::getenv("BULWARK_TEST_REDIS_URL");
  if (redis == nullptr || *redis == '\0') {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") FAIL() << "CI=true but BULWARK_TEST_REDIS_URL is unset";
    GTEST_SKIP() << "BULWARK_TEST_REDIS_URL is unset (scripts/testenv/redis.sh sets it)";
  }
  Restart({{"BULWARK_REDIS", redis}});
  const std::string email = "erin-" + bulwark::HexEncode(bulwark::crypto::RandomBytes(6)) + "@example.com";
  Register(email, "copper meadow lantern 4", "Erin");
  const std::string wrong = "{\"email\":" + JsonStr(email) + ",\"password\":\"not the password\"}";
  // Five free failures, then waits of 1 s and 2 s; the failure after those
  // sets a 4 s wait, longer than a restart takes.
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Post("/v1/tokens", wrong).status, 401) << i;
  for (int wait : {1, 2, 4}) {
    ASSERT_EQ(Post("/v1/tokens", wrong).status, 401);
    if (wait < 4) std::this_thread::sleep_for(std::chrono::milliseconds(wait * 1000 + 100));
  }
  Restart({});
  HttpResponse r = Post("/v1/tokens", "{\"email\":" + JsonStr(email) + ",\"password\":\"copper meadow lantern 4\"}");
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_FALSE(r.Header("retry-after").empty());
  Restart({{"BULWARK_REDIS", ""}});
}

// An open keep-alive connection from `source` (127.x.y.z) that has been
// answered once; -1 if the server closed it without an answer.
int KeepAliveConnection(std::uint16_t port, const char* source) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  char buf[4096];
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()) ||
      ::recv(fd, buf, sizeof buf, 0) <= 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// One client address cannot hold every connection (idle keep-alive ones
// live a minute each): past BULWARK_CONNECTIONS_PER_ADDRESS its new
// connections are closed, while other clients are still served. Trusted
// proxies carry many clients and are exempt.
TEST_P(ServiceE2E, OneAddressCannotHoldEveryConnection) {
  Restart({{"BULWARK_CONNECTIONS_PER_ADDRESS", "20"}});
  std::vector<int> held;
  for (int i = 0; i < 20; ++i) held.push_back(KeepAliveConnection(port_, "127.0.0.1"));
  EXPECT_EQ(std::count(held.begin(), held.end(), -1), 0);
  EXPECT_EQ(KeepAliveConnection(port_, "127.0.0.1"), -1) << "the 21st connection from one address";
  int other = KeepAliveConnection(port_, "127.0.0.2");
  EXPECT_NE(other, -1) << "another client is still served";
  if (other >= 0) ::close(other);
  for (int fd : held) {
    if (fd >= 0) ::close(fd);
  }
  held.clear();

  Restart({{"BULWARK_CONNECTIONS_PER_ADDRESS", "20"}, {"BULWARK_TRUSTED_PROXIES", "127.0.0.1/32"}});
  for (int i = 0; i < 25; ++i) held.push_back(KeepAliveConnection(port_, "127.0.0.1"));
  EXPECT_EQ(std::count(held.begin(), held.end(), -1), 0) << "a trusted proxy is not limited";
  for (int fd : held) {
    if (fd >= 0) ::close(fd);
  }
}

// Accounts are free: one address gets BULWARK_REGISTRATIONS_PER_HOUR at
// once, then 429 with Retry-After whatever the email (taken or not), while
// other addresses and sign-ins go on.
TEST_P(ServiceE2E, RegistrationsPerAddressAreLimited) {
  Restart({{"BULWARK_REGISTRATIONS_PER_HOUR", "3"}, {"BULWARK_TRUSTED_PROXIES", "127.0.0.1/32"}});
  auto reg = [&](const std::string& email, const std::string& from) {
    return Send(port_, "POST", "/v1/accounts", {kJson, {"X-Forwarded-For", from}},
                "{\"email\":" + JsonStr(email) + ",\"password\":\"tundra violet anchor 58\",\"display_name\":\"R\"}",
                true);
  };
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(reg("reg" + std::to_string(i) + "@example.com", "203.0.113.7").status, 201);
  }
  HttpResponse fourth = reg("reg3@example.com", "203.0.113.7");
  EXPECT_EQ(fourth.status, 429) << fourth.body;
  EXPECT_GE(std::atoi(fourth.Header("retry-after").c_str()), 1);
  EXPECT_EQ(reg("reg0@example.com", "203.0.113.7").status, 429) << "a taken email gets the same answer";
  EXPECT_EQ(reg("reg3@example.com", "203.0.113.8").status, 201) << "another address";
  // An IPv6 client counts as its /64.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(reg("six" + std::to_string(i) + "@example.com", "2001:db8:1:2::" + std::to_string(i + 1)).status, 201);
  }
  EXPECT_EQ(reg("six3@example.com", "2001:db8:1:2::99").status, 429);
  HttpResponse login = Send(port_, "POST", "/v1/tokens", {kJson, {"X-Forwarded-For", "203.0.113.7"}},
                            R"({"email":"reg0@example.com","password":"tundra violet anchor 58"})", true);
  EXPECT_EQ(login.status, 200) << "sign-in is not registration";
}

// A display name must show something: white space of any script, combining
// marks alone or format characters are blank on screen.
TEST_P(ServiceE2E, DisplayNamesMustNotBeBlank) {
  Register("blank@example.com", "orchid falcon meadow 93", "Blank");
  Tokens t = Login("blank@example.com", "orchid falcon meadow 93");
  auto patch = [&](const std::string& name) {
    return Send(port_, "PATCH", "/v1/me", {kJson, Bearer(t.access)}, "{\"display_name\":" + JsonStr(name) + "}",
                true)
        .status;
  };
  for (const std::string& blank : {std::string(" "), std::string("\u00a0"), std::string("\u3000\u3000"),
                                  std::string("\u2003 \u205f"), std::string("\u1680"), std::string("\u0301\u0301"),
                                  std::string("\ufe0f"), std::string("\u17b5")}) {
    EXPECT_EQ(patch(blank), 422) << "blank name accepted";
    EXPECT_EQ(Post("/v1/accounts", "{\"email\":\"blank2@example.com\",\"password\":\"orchid falcon meadow 93\","
                                   "\"display_name\":" + JsonStr(blank) + "}")
                  .status,
              422);
  }
  for (const std::string& shown : {std::string("Ann"), std::string("\u00a0Ann\u00a0"), std::string("\u674e\u96f7"),
                                  std::string("e\u0301"), std::string("\u0639\u0644\u064a"), std::string("\U0001F600")}) {
    EXPECT_EQ(patch(shown), 200) << "a real name refused";
  }
}

TEST_P(ServiceE2E, WebUiServesPagesWithNonceAndCsrf) {
  HttpResponse page = Get("/login", {{"Accept", "text/html"}});
  ASSERT_EQ(page.status, 200);
  std::string csp = page.Header("content-security-policy");
  std::size_t at = csp.find("'nonce-");
  ASSERT_NE(at, std::string::npos);
  std::string nonce = csp.substr(at + 7, csp.find('\'', at + 7) - at - 7);
  EXPECT_NE(page.body.find("nonce=\"" + nonce + "\""), std::string::npos);
  EXPECT_EQ(Get("/static/app.css").status, 200);
  EXPECT_EQ(Get("/account").status, 303);
  Register("dora@example.com", "mosaic thunder pebble 8", "<img src=x onerror=alert(1)>");
  HttpResponse login = Send(port_, "POST", "/login", {{"Content-Type", "application/x-www-form-urlencoded"}},
                            "email=dora%40example.com&password=mosaic+thunder+pebble+8", true);
  ASSERT_EQ(login.status, 303) << login.body;
  std::string cookie = login.Header("set-cookie").substr(0, login.Header("set-cookie").find(';'));
  HttpResponse account = Get("/account", {{"Cookie", cookie}});
  ASSERT_EQ(account.status, 200);
  EXPECT_EQ(account.body.find("<img src=x"), std::string::npos) << "display name must be escaped";
  EXPECT_NE(account.body.find("&lt;img src=x"), std::string::npos);
  EXPECT_NE(account.body.find("name=\"csrf_token\""), std::string::npos);
  // A form post without the token is refused.
  EXPECT_EQ(Send(port_, "POST", "/logout", {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}},
                 "x=1", true).status, 403);
  HttpResponse bad = Send(port_, "POST", "/login", {{"Content-Type", "application/x-www-form-urlencoded"}},
                          "email=dora%40example.com&password=wrong", true);
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.Header("content-type").rfind("text/html", 0), 0u);
}

TEST_P(ServiceE2E, RefusesUnsafeSettings) {
  std::map<std::string, std::string> env = env_;
  env["BULWARK_DATA_DIR"] = scratch_ + "/other";
  RunResult public_plain = RunBulwark({"serve", "--listen", "0.0.0.0:0"}, env, "", scratch_);
  EXPECT_EQ(public_plain.exit_code, 2);
  EXPECT_NE(public_plain.output.find("plain HTTP on a non-loopback address"), std::string::npos) << public_plain.output;
  RunResult half_tls = RunBulwark({"serve", "--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent.pem"}, env, "", scratch_);
  EXPECT_EQ(half_tls.exit_code, 2);
  EXPECT_NE(half_tls.output.find("TLS needs both"), std::string::npos) << half_tls.output;
  RunResult pw_flag = RunBulwark({"serve", "--database", "postgres://u:secretpw@db.example/x"}, env, "", scratch_);
  EXPECT_EQ(pw_flag.exit_code, 2);
  EXPECT_EQ(pw_flag.output.find("secretpw"), std::string::npos);
  std::string open_dir = scratch_ + "/open";
  ASSERT_EQ(::mkdir(open_dir.c_str(), 0755), 0);
  ::chmod(open_dir.c_str(), 0755);
  env["BULWARK_DATA_DIR"] = open_dir;
  RunResult open = RunBulwark({"serve", "--listen", "127.0.0.1:0"}, env, "", scratch_);
  EXPECT_EQ(open.exit_code, 2);
  EXPECT_NE(open.output.find("accessible to group or others"), std::string::npos) << open.output;
  std::string config = scratch_ + "/bad.toml";
  { std::ofstream(config) << "listen = \"127.0.0.1:0\"\nallow_everything = true\n"; }
  ::chmod(config.c_str(), 0600);
  RunResult unknown_key = RunBulwark({"serve", "--config", config}, env, "", scratch_);
  EXPECT_EQ(unknown_key.exit_code, 2);
  EXPECT_NE(unknown_key.output.find("unknown setting"), std::string::npos) << unknown_key.output;
  // The webhook and file settings are checked the same way.
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"[webhooks]\nallowed_ports = [0]\n", "webhooks.allowed_ports"},
           {"[webhooks]\nunsafe_allow_http_for_testing = \"yes\"\n", "webhooks.unsafe_allow_http_for_testing"},
           {"[webhooks]\nallow_private = true\n", "unknown setting"},
           {"[files]\nmax_bytes = 999999999999\n", "files.max_bytes"}}) {
    { std::ofstream(config) << "listen = \"127.0.0.1:0\"\n" << text; }
    RunResult r = RunBulwark({"serve", "--config", config}, env, "", scratch_);
    EXPECT_EQ(r.exit_code, 2) << text;
    EXPECT_NE(r.output.find(expected), std::string::npos) << r.output;
  }
}

// A loopback HTTP receiver for webhook deliveries: answers each request with
// the next scripted status (then 200) and remembers what it got.
class Receiver {
 public:
  struct Hit {
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
  };

  explicit Receiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0) return;
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~Receiver() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  std::uint16_t port() const { return port_; }
  std::vector<Hit> Hits() {
    std::lock_guard<std::mutex> lock(mu_);
    return hits_;
  }
  bool WaitFor(std::size_t n, int seconds) {
    for (int i = 0; i < seconds * 20; ++i) {
      if (Hits().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

 private:
  void Loop() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) {
        if (stop_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      timeval tv{5, 0};
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      std::string raw;
      char buf[4096];
      std::size_t head_end = std::string::npos;
      while (head_end == std::string::npos) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        raw.append(buf, static_cast<std::size_t>(n));
        head_end = raw.find("\r\n\r\n");
      }
      if (head_end == std::string::npos) {
        ::close(c);
        continue;
      }
      Hit hit;
      ForEachHeaderLine(raw.substr(0, head_end), [&](std::string name, std::string value) {
        hit.headers[std::move(name)] = std::move(value);
      });
      std::size_t length = static_cast<std::size_t>(std::atoll(hit.headers["content-length"].c_str()));
      if (hit.headers["expect"] == "100-continue") {
        std::string cont = "HTTP/1.1 100 Continue\r\n\r\n";
        (void)::send(c, cont.data(), cont.size(), MSG_NOSIGNAL);
      }
      hit.body = raw.substr(head_end + 4);
      while (hit.body.size() < length) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        hit.body.append(buf, static_cast<std::size_t>(n));
      }
      int status = 200;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (next_ < statuses_.size()) status = statuses_[next_++];
        hits_.push_back(hit);
      }
      std::string body = "receiver-private-body";
      std::string resp = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: text/plain\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
      (void)::send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  std::vector<int> statuses_;
  std::size_t next_ = 0;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Hit> hits_;
  std::thread thread_;
};

// Checks `Bulwark-Signature: t=<unix>,v1=<hex>` against HMAC-SHA256(secret, "t.body").
bool SignatureValid(const Receiver::Hit& hit, const std::string& secret, std::string* why) {
  auto it = hit.headers.find("bulwark-signature");
  if (it == hit.headers.end()) {
    *why = "no signature header";
    return false;
  }
  const std::string& sig = it->second;
  std::size_t comma = sig.find(",v1=");
  if (sig.rfind("t=", 0) != 0 || comma == std::string::npos) {
    *why = "malformed signature header: " + sig;
    return false;
  }
  std::string t = sig.substr(2, comma - 2);
  std::string v1 = sig.substr(comma + 4);
  std::int64_t ts = std::atoll(t.c_str());
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  if (ts < now - 300 || ts > now + 5) {
    *why = "timestamp outside the tolerance: " + t;
    return false;
  }
  auto key = bulwark::SecretBytes::CopyFrom(bulwark::AsBytes(secret));
  auto tag = bulwark::crypto::Hmac(bulwark::crypto::HmacAlgorithm::kSha256, key,
                                   bulwark::AsBytes(t + "." + hit.body));
  if (!tag.ok() || bulwark::HexEncode(*tag) != v1) {
    *why = "signature mismatch";
    return false;
  }
  return true;
}

std::string PctEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(200, '\x01');

TEST_P(ServiceE2E, WebhookRegistrationRefusesPrivateDestinations) {
  Register("hook@example.com", "harbor willow quill 27", "Hook");
  Tokens t = Login("hook@example.com", "harbor willow quill 27");
  for (const std::string url :
       {"http://example.com/hook", "https://127.0.0.1/hook", "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data/", "https://[::1]/hook", "https://2130706433/hook",
        "https://[fd00:ec2::254]/hook", "https://localhost/hook", "https://user:pw@example.com/hook",
        "file:///etc/passwd", "gopher://example.com/", "https://example.com:8443/hook", "not a url"}) {
    HttpResponse r = Post("/v1/webhooks", "{\"url\":" + JsonStr(url) + ",\"events\":[\"file.uploaded\"]}",
                          {Bearer(t.access)});
    EXPECT_EQ(r.status, 422) << url << " " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << url;
    EXPECT_EQ(r.body.find("user:pw"), std::string::npos) << "the URL is not echoed";
  }
  // Events come from the allowlist; types are checked.
  EXPECT_EQ(Post("/v1/webhooks", R"({"url":"https://hooks.example.com/x","events":["admin.everything"]})", {Bearer(t.access)}).status, 422);
  EXPECT_EQ(Post("/v1/webhooks", R"({"url":"https://hooks.example.com/x","events":[]})", {Bearer(t.access)}).status, 422);
  EXPECT_EQ(Post("/v1/webhooks", R"({"url":42,"events":["file.uploaded"]})", {Bearer(t.access)}).status, 422);
  EXPECT_EQ(Post("/v1/webhooks", R"({"url":"https://hooks.example.com/x"})", {Bearer(t.access)}).status, 422);
  EXPECT_EQ(Post("/v1/webhooks", R"({"url":"https://hooks.example.com/x","events":["file.uploaded"]})").status, 401);
  HttpResponse list = Get("/v1/webhooks", {Bearer(t.access)});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().Find("webhooks")->AsArray().size(), 0u);
  // Ids that are not ids.
  EXPECT_EQ(Send(port_, "DELETE", "/v1/webhooks/nope", {Bearer(t.access)}).status, 404);
  HttpResponse bad = Get("/v1/webhooks/..%2F..%2Fetc/deliveries", {Bearer(t.access)});
  EXPECT_EQ(bad.status, 404);
  EXPECT_EQ(bad.Header("content-type"), "application/problem+json");
}

// Registration resolves a webhook's host name on the request's I/O thread,
// as a courtesy (delivery checks again). A name whose DNS server never
// answers is free to set up; looping registrations of such names must not
// stall everyone else's requests.
TEST_P(ServiceE2E, WebhookNamesOnASilentDnsServerDoNotStallTheServer) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: a private /etc/resolv.conf and port 53";
  // A DNS server that never answers: queries queue unread, TCP connections
  // are never accepted.
  const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  const int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(53);
  ::inet_pton(AF_INET, "127.0.0.77", &addr.sin_addr);
  int one = 1;
  ::setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const bool bound = ::bind(udp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                     ::bind(tcp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(tcp, 64) == 0;
  const std::string resolv = scratch_ + "/resolv.conf";
  std::ofstream(resolv) << "nameserver 127.0.0.77\noptions timeout:5 attempts:1\n";
  if (!bound || !CanUseResolvConf(resolv)) {
    ::close(udp);
    ::close(tcp);
    GTEST_SKIP() << "cannot bind 127.0.0.77:53 or use a private mount namespace";
  }
  resolv_conf_ = resolv;
  Restart({});
  Register("silent@example.com", "ember quarry lattice 62", "Silent");
  Tokens t = Login("silent@example.com", "ember quarry lattice 62");

  std::atomic<bool> stop{false};
  std::atomic<int> created{0};
  std::vector<std::thread> attackers;
  for (int i = 0; i < 4; ++i) {
    attackers.emplace_back([&, i] {
      for (int n = 0; !stop; ++n) {
        HttpResponse r = Post("/v1/webhooks",
                              "{\"url\":\"https://h" + std::to_string(i) + "-" + std::to_string(n) +
                                  ".silent.example/\",\"events\":[\"file.uploaded\"]}",
                              {Bearer(t.access)});
        if (r.status == 201) {
          ++created;
          (void)Send(port_, "DELETE", "/v1/webhooks/" + r.Str("id"), {Bearer(t.access)});
        }
        // The DNS wait is what is measured here, not a flood.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::vector<std::int64_t> waits_ms;
  for (int i = 0; i < 30; ++i) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Get("/healthz").status, 200);
    waits_ms.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                           .count());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  for (std::thread& a : attackers) a.join();
  ::close(udp);
  ::close(tcp);
  std::sort(waits_ms.begin(), waits_ms.end());
  EXPECT_LT(waits_ms[waits_ms.size() * 9 / 10], 600) << "p90 of /healthz while registrations wait on DNS";
  EXPECT_LT(waits_ms.back(), 1500) << "slowest /healthz while registrations wait on DNS";
  EXPECT_GT(created.load(), 0) << "a name that does not resolve in time is registered; delivery decides";
}

TEST_P(ServiceE2E, WebhookDeliveriesAreSignedRetriedAndOwnerOnly) {
  Receiver receiver({500});  // the first delivery fails, the retry succeeds
  ASSERT_NE(receiver.port(), 0);
  Restart({{"BULWARK_WEBHOOK_UNSAFE_ALLOW_HTTP_FOR_TESTING", "true"},
           {"BULWARK_WEBHOOK_UNSAFE_ALLOW_LOOPBACK_FOR_TESTING", "true"},
           {"BULWARK_WEBHOOK_ALLOWED_PORTS", std::to_string(receiver.port())},
           {"BULWARK_WEBHOOK_RETRY_BASE_SECONDS", "1"}});
  EXPECT_NE(ReadFile(err_path_).find("UNSAFE"), std::string::npos) << "the unsafe setting is logged";
  Register("ann@example.com", "copper meadow signal 31", "Ann");
  Register("bob@example.com", "velvet canyon anchor 64", "Bob");
  Tokens ann = Login("ann@example.com", "copper meadow signal 31");
  Tokens bob = Login("bob@example.com", "velvet canyon anchor 64");
  std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hooks/./bulwark";
  HttpResponse created = Post("/v1/webhooks", "{\"url\":" + JsonStr(url) +
                                                  ",\"events\":[\"webhook.created\",\"file.uploaded\",\"file.uploaded\"]}",
                              {Bearer(ann.access)});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.Str("id");
  std::string secret = created.Str("secret");
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  EXPECT_EQ(created.Str("url"), "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hooks/bulwark")
      << "the canonical form is stored";
  EXPECT_EQ(created.Json().Find("events")->AsArray().size(), 2u);
  HttpResponse listed = Get("/v1/webhooks", {Bearer(ann.access)});
  EXPECT_NE(listed.body.find(id), std::string::npos);
  EXPECT_EQ(listed.body.find(secret), std::string::npos) << "the secret is shown once";

  // webhook.created: 500 first, then the retry; then file.uploaded.
  ASSERT_TRUE(receiver.WaitFor(2, 20)) << "no retry after a failed delivery";
  HttpResponse up = Send(port_, "POST", "/v1/files?filename=a.png",
                         {{"Content-Type", "application/octet-stream"}, Bearer(ann.access)}, kPng, true);
  ASSERT_EQ(up.status, 201) << up.body;
  ASSERT_TRUE(receiver.WaitFor(3, 20));
  std::vector<Receiver::Hit> hits = receiver.Hits();
  for (const Receiver::Hit& hit : hits) {
    std::string why;
    EXPECT_TRUE(SignatureValid(hit, secret, &why)) << why;
    EXPECT_EQ(hit.headers.at("content-type"), "application/json");
    JsonValue body = bulwark::validate::ParseJson(hit.body).value().UnvalidatedValue();
    ASSERT_NE(body.Find("event"), nullptr) << hit.body;
    EXPECT_EQ(body.Find("event")->AsString(), hit.headers.at("bulwark-event"));
    EXPECT_EQ(body.Find("id")->AsString(), hit.headers.at("bulwark-delivery"));
  }
  EXPECT_EQ(hits[0].headers.at("bulwark-event"), "webhook.created");
  EXPECT_EQ(hits[0].headers.at("bulwark-delivery"), hits[1].headers.at("bulwark-delivery")) << "a retry, same delivery";
  EXPECT_EQ(hits[0].body, hits[1].body);
  EXPECT_EQ(hits[2].headers.at("bulwark-event"), "file.uploaded");
  EXPECT_NE(hits[2].body.find(up.Str("id")), std::string::npos);
  // A tampered body does not verify.
  Receiver::Hit forged = hits[2];
  forged.body.replace(forged.body.find("file.uploaded"), 13, "file.deleted!");
  std::string why;
  EXPECT_FALSE(SignatureValid(forged, secret, &why));

  // Delivery results: the owner sees them, nobody else does.
  JsonValue deliveries;
  for (int i = 0; i < 100; ++i) {
    HttpResponse d = Get("/v1/webhooks/" + id + "/deliveries", {Bearer(ann.access)});
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.body.find("receiver-private-body"), std::string::npos) << "response bodies are never kept";
    deliveries = d.Json();
    const auto& items = deliveries.Find("deliveries")->AsArray();
    bool done = items.size() == 2;
    for (const JsonValue& item : items) done = done && item.Find("status")->AsString() == "succeeded";
    if (done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto& items = deliveries.Find("deliveries")->AsArray();
  ASSERT_EQ(items.size(), 2u);
  for (const JsonValue& item : items) {
    EXPECT_EQ(item.Find("status")->AsString(), "succeeded");
    EXPECT_EQ(item.Find("last_http_status")->AsInt(), 200);
    EXPECT_GT(item.Find("completed_at")->AsInt(), 0);
    EXPECT_EQ(item.Find("attempts")->AsInt(), item.Find("event")->AsString() == "webhook.created" ? 2 : 1);
  }
  EXPECT_EQ(Get("/v1/webhooks/" + id + "/deliveries", {Bearer(bob.access)}).status, 404);
  EXPECT_EQ(Send(port_, "DELETE", "/v1/webhooks/" + id, {Bearer(bob.access)}).status, 404);
  EXPECT_EQ(Get("/v1/webhooks", {Bearer(bob.access)}).body.find(id), std::string::npos);
  // Bob's uploads do not reach Ann's webhook.
  ASSERT_EQ(Send(port_, "POST", "/v1/files?filename=b.png",
                 {{"Content-Type", "application/octet-stream"}, Bearer(bob.access)}, kPng, true).status, 201);

  EXPECT_EQ(Send(port_, "DELETE", "/v1/webhooks/" + id, {Bearer(ann.access)}).status, 204);
  EXPECT_EQ(Get("/v1/webhooks/" + id + "/deliveries", {Bearer(ann.access)}).status, 404);
  EXPECT_EQ(receiver.Hits().size(), 3u);

  // The per-account limit (10).
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Post("/v1/webhooks", "{\"url\":" + JsonStr(url) + ",\"events\":[\"file.deleted\"]}", {Bearer(ann.access)}).status, 201);
  }
  HttpResponse over = Post("/v1/webhooks", "{\"url\":" + JsonStr(url) + ",\"events\":[\"file.deleted\"]}", {Bearer(ann.access)});
  EXPECT_EQ(over.status, 409) << over.body;
  EXPECT_EQ(over.Header("content-type"), "application/problem+json");

  StopServer();
  std::string logs = ReadFile(out_path_) + ReadFile(err_path_);
  auto db = OpenServiceDb();
  ASSERT_NE(db, nullptr);
  auto rows = db->Query("SELECT action, target, details FROM bulwark_audit_log");
  ASSERT_TRUE(rows.ok());
  std::string all;
  for (const auto& row : *rows) {
    for (std::size_t i = 0; i < row.size(); ++i) all += row.Get<std::string>(i).value_or("") + "\n";
  }
  EXPECT_NE(all.find("webhook.created"), std::string::npos);
  EXPECT_NE(all.find("webhook.deleted"), std::string::npos);
  EXPECT_EQ(all.find(secret), std::string::npos) << "secret in the audit table";
  EXPECT_EQ(all.find("/hooks/bulwark"), std::string::npos) << "webhook URLs stay out of the audit trail";
  EXPECT_EQ(logs.find(secret), std::string::npos) << "secret in the logs";
  auto stored = db->Query("SELECT secret_sealed FROM webhooks");
  ASSERT_TRUE(stored.ok());
  for (const auto& row : *stored) EXPECT_EQ(row.Get<std::string>(0).value_or("").find("whsec_"), std::string::npos);
  db.reset();
  StartServer();
}

// A webhook owner can make deliveries fail at will (a receiver that always
// fails, events triggered in a loop): what is stored about them stays
// bounded. A webhook keeps its newest 100 finished deliveries, and final
// failures reach the audit trail at most once a second.
TEST_P(ServiceE2E, WebhookDeliveryRecordsStayBounded) {
  Receiver receiver(std::vector<int>(400, 500));
  ASSERT_NE(receiver.port(), 0);
  Restart({{"BULWARK_WEBHOOK_UNSAFE_ALLOW_HTTP_FOR_TESTING", "true"},
           {"BULWARK_WEBHOOK_UNSAFE_ALLOW_LOOPBACK_FOR_TESTING", "true"},
           {"BULWARK_WEBHOOK_ALLOWED_PORTS", std::to_string(receiver.port())},
           {"BULWARK_WEBHOOK_MAX_ATTEMPTS", "1"}});
  Register("loop@example.com", "walnut prairie beacon 26", "Loop");
  Tokens t = Login("loop@example.com", "walnut prairie beacon 26");
  HttpResponse created =
      Post("/v1/webhooks", "{\"url\":" + JsonStr("http://127.0.0.1:" + std::to_string(receiver.port()) + "/h") +
                               ",\"events\":[\"account.profile_updated\"]}",
           {Bearer(t.access)});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.Str("id");
  constexpr int kEvents = 150;
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_EQ(Send(port_, "PATCH", "/v1/me", {kJson, Bearer(t.access)},
                   "{\"display_name\":\"Loop " + std::to_string(i) + "\"}", true)
                  .status,
              200);
  }
  ASSERT_TRUE(receiver.WaitFor(kEvents, 60)) << "deliveries did not arrive";
  std::unique_ptr<bulwark::db::Database> db = OpenServiceDb();
  ASSERT_NE(db, nullptr);
  std::int64_t pending = 1, finished = 0;
  for (int i = 0; i < 200 && pending != 0; ++i) {
    auto rows = db->Query("SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) "
                          "FROM webhook_deliveries WHERE webhook_id = ?",
                          id);
    ASSERT_TRUE(rows.ok());
    const std::int64_t all = (*rows)[0].Get<std::int64_t>(0).value_or(-1);
    pending = (*rows)[0].Get<std::int64_t>(1).value_or(-1);
    finished = all - pending;
    if (pending != 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(pending, 0);
  EXPECT_EQ(finished, 100) << "finished deliveries kept for one webhook";
  HttpResponse list = Get("/v1/webhooks/" + id + "/deliveries", {Bearer(t.access)});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().Find("deliveries")->AsArray().size(), 100u);
  auto failed = db->Query("SELECT COUNT(*) FROM bulwark_audit_log WHERE action = 'webhook.delivery_failed'");
  ASSERT_TRUE(failed.ok());
  EXPECT_LT((*failed)[0].Get<std::int64_t>(0).value_or(0), kEvents / 2) << "every failure audited";
  EXPECT_GE((*failed)[0].Get<std::int64_t>(0).value_or(0), 1);
}

TEST_P(ServiceE2E, WebhookQueueSurvivesARestart) {
  Receiver receiver({503});
  ASSERT_NE(receiver.port(), 0);
  Restart({{"BULWARK_WEBHOOK_UNSAFE_ALLOW_HTTP_FOR_TESTING", "true"},
           {"BULWARK_WEBHOOK_UNSAFE_ALLOW_LOOPBACK_FOR_TESTING", "true"},
           {"BULWARK_WEBHOOK_ALLOWED_PORTS", std::to_string(receiver.port())},
           {"BULWARK_WEBHOOK_RETRY_BASE_SECONDS", "2"}});
  Register("dee@example.com", "marble falcon orchid 46", "Dee");
  Tokens t = Login("dee@example.com", "marble falcon orchid 46");
  HttpResponse created = Post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:" + std::to_string(receiver.port()) +
                                                  "/h\",\"events\":[\"file.uploaded\"]}", {Bearer(t.access)});
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(Send(port_, "POST", "/v1/files?filename=d.png",
                 {{"Content-Type", "application/octet-stream"}, Bearer(t.access)}, kPng, true).status, 201);
  ASSERT_TRUE(receiver.WaitFor(1, 20));
  // The first attempt failed (503); the retry is due in 2 s. Restart now:
  // the queue is in the database, so the new process makes the retry.
  StopServer();
  StartServer();
  ASSERT_TRUE(receiver.WaitFor(2, 20)) << "the queued retry was lost in the restart";
  std::vector<Receiver::Hit> hits = receiver.Hits();
  EXPECT_EQ(hits[0].headers.at("bulwark-delivery"), hits[1].headers.at("bulwark-delivery"));
  std::string why;
  EXPECT_TRUE(SignatureValid(hits[1], created.Str("secret"), &why)) << why;
}

TEST_P(ServiceE2E, WebhookDestinationIsCheckedAgainAtDelivery) {
  Receiver receiver({});
  ASSERT_NE(receiver.port(), 0);
  std::map<std::string, std::string> unsafe{{"BULWARK_WEBHOOK_UNSAFE_ALLOW_HTTP_FOR_TESTING", "true"},
                                            {"BULWARK_WEBHOOK_UNSAFE_ALLOW_LOOPBACK_FOR_TESTING", "true"},
                                            {"BULWARK_WEBHOOK_ALLOWED_PORTS", std::to_string(receiver.port())}};
  Restart(unsafe);
  Register("cy@example.com", "lemon garnet thistle 58", "Cy");
  Tokens t = Login("cy@example.com", "lemon garnet thistle 58");
  HttpResponse created = Post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:" + std::to_string(receiver.port()) +
                                                  "/h\",\"events\":[\"file.uploaded\"]}", {Bearer(t.access)});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.Str("id");
  // The operator turns the unsafe settings off: the stored hook now points
  // somewhere the policy refuses, and delivery checks the policy again.
  std::map<std::string, std::string> safe;
  for (const auto& [k, v] : unsafe) safe[k] = "";
  Restart(safe);
  t = Login("cy@example.com", "lemon garnet thistle 58");
  ASSERT_EQ(Send(port_, "POST", "/v1/files?filename=c.png",
                 {{"Content-Type", "application/octet-stream"}, Bearer(t.access)}, kPng, true).status, 201);
  JsonValue item;
  for (int i = 0; i < 100; ++i) {
    JsonValue d = Get("/v1/webhooks/" + id + "/deliveries", {Bearer(t.access)}).Json();
    ASSERT_NE(d.Find("deliveries"), nullptr);
    if (!d.Find("deliveries")->AsArray().empty() &&
        d.Find("deliveries")->AsArray()[0].Find("status")->AsString() != "pending") {
      item = d.Find("deliveries")->AsArray()[0];
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(item.Find("status"), nullptr) << "the delivery never finished";
  EXPECT_EQ(item.Find("status")->AsString(), "failed");
  EXPECT_EQ(item.Find("last_error")->AsString(), "destination_refused");
  EXPECT_EQ(item.Find("attempts")->AsInt(), 1) << "a refused destination is not retried";
  EXPECT_EQ(receiver.Hits().size(), 0u) << "nothing may reach a refused destination";
  StopServer();
  auto db = OpenServiceDb();
  ASSERT_NE(db, nullptr);
  auto rows = db->Query("SELECT COUNT(*) FROM bulwark_audit_log WHERE action = 'webhook.delivery_failed'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Get<std::int64_t>(0).value_or(0), 1);
  db.reset();
  StartServer();
}

// DELETE /v1/me: re-authenticated, removes everything the account owns
// (rows and file blobs), ends its tokens and sessions, keeps the audit
// trail, and the last administrator cannot remove themselves.
TEST_P(ServiceE2E, AccountDeletionRemovesEverythingButTheAuditTrail) {
  Register("jo@example.com", "amber falcon riddle 84", "Jo");
  Tokens jo = Login("jo@example.com", "amber falcon riddle 84");
  Session browser = BrowserLogin("jo@example.com", "amber falcon riddle 84");
  HttpResponse file = Send(port_, "POST", "/v1/files?filename=a.png",
                           {{"Content-Type", "application/octet-stream"}, Bearer(jo.access)}, kPng, true);
  ASSERT_EQ(file.status, 201) << file.body;
  HttpResponse key = Post("/v1/api-keys", R"({"name":"ci","scopes":["me:read"],"expires_at":4102444800})",
                          {Bearer(jo.access)});
  ASSERT_EQ(key.status, 201) << key.body;
  const std::string api_key = key.Str("key");
  auto remove = [&](const std::string& body, std::vector<std::pair<std::string, std::string>> auth) {
    return Send(port_, "DELETE", "/v1/me", [&] { auth.push_back(kJson); return auth; }(), body, true);
  };
  // An API key cannot delete the account; a wrong password cannot either.
  EXPECT_EQ(remove(R"({"password":"amber falcon riddle 84"})", {{"Authorization", "ApiKey " + api_key}}).status, 403);
  EXPECT_EQ(remove(R"({"password":"not it at all"})", {Bearer(jo.access)}).status, 403);
  EXPECT_EQ(remove(R"({"password":"amber falcon riddle 84","role":"x"})", {Bearer(jo.access)}).status, 422);
  EXPECT_EQ(Get("/v1/me", {Bearer(jo.access)}).status, 200);
  // The browser session deletes it (cookie + CSRF token); the cookie is expired.
  HttpResponse gone = remove(R"({"password":"amber falcon riddle 84"})",
                             {{"Cookie", browser.cookie}, {"X-CSRF-Token", browser.csrf}});
  ASSERT_EQ(gone.status, 204) << gone.body;
  EXPECT_NE(gone.Header("set-cookie").find("Max-Age=0"), std::string::npos) << gone.Header("set-cookie");
  EXPECT_EQ(Get("/v1/me", {Bearer(jo.access)}).status, 401);
  EXPECT_EQ(Get("/v1/me", {{"Authorization", "ApiKey " + api_key}}).status, 401);
  EXPECT_EQ(Get("/v1/me", {{"Cookie", browser.cookie}}).status, 401);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(jo.refresh) + "}").status, 401);
  EXPECT_EQ(Post("/v1/tokens", R"({"email":"jo@example.com","password":"amber falcon riddle 84"})").status, 401);
  std::size_t blobs = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(data_dir_ + "/files")) ++blobs;
  EXPECT_EQ(blobs, 0u);
  auto db = OpenServiceDb();
  ASSERT_NE(db, nullptr);
  for (const char* table : {"sessions", "refresh_families", "api_keys", "files", "backup_codes", "webhooks"}) {
    auto n = db->QueryRow(bulwark::db::sql::UnsafeDynamic(std::string("SELECT COUNT(*) FROM ") + table));
    ASSERT_TRUE(n.ok()) << table;
    EXPECT_EQ(n->Get<std::int64_t>(0).value_or(-1), 0) << table;
  }
  auto audited = db->QueryRow("SELECT COUNT(*) FROM bulwark_audit_log WHERE action = 'account.deleted'");
  ASSERT_TRUE(audited.ok());
  EXPECT_EQ(audited->Get<std::int64_t>(0).value_or(0), 1);
  db.reset();
  // The only administrator cannot delete their own account.
  RunResult created = RunBulwark({"admin", "create", "--email", "boss@example.com"}, env_,
                                 "cobalt tundra beacon 27\n", scratch_);
  ASSERT_EQ(created.exit_code, 0) << created.output;
  Tokens boss = Login("boss@example.com", "cobalt tundra beacon 27");
  EXPECT_EQ(remove(R"({"password":"cobalt tundra beacon 27"})", {Bearer(boss.access)}).status, 409);
  EXPECT_EQ(RunBulwark({"audit", "verify"}, env_, "", scratch_).exit_code, 0);
}

// Concurrent uploads are admitted one at a time per account: together they
// never exceed the quota (600000 bytes here), and refused uploads leave no
// blob behind.
TEST_P(ServiceE2E, ConcurrentUploadsNeverExceedTheQuota) {
  Restart({{"BULWARK_THREADS", "8"}});  // eight handlers at once, not two
  Register("hal@example.com", "granite orchard whistle 62", "Hal");
  Tokens hal = Login("hal@example.com", "granite orchard whistle 62");
  const std::string chunky = kPng + std::string(200 * 1024, '\x03');  // two fit, three do not
  const int created = CreatedInBurst(8, 413, [&](std::size_t i) {
    return Send(port_, "POST", "/v1/files?filename=c" + std::to_string(i) + ".png",
                {{"Content-Type", "application/octet-stream"}, Bearer(hal.access)}, chunky, true)
        .status;
  });
  EXPECT_EQ(created, 2);
  HttpResponse list = Get("/v1/files", {Bearer(hal.access)});
  ASSERT_EQ(list.status, 200);
  std::int64_t total = 0;
  const JsonValue listed = list.Json();
  ASSERT_NE(listed.Find("files"), nullptr);
  for (const JsonValue& f : listed.Find("files")->AsArray()) total += f.Find("size")->AsInt();
  EXPECT_LE(total, 600000);
  std::size_t blobs = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(data_dir_ + "/files")) ++blobs;
  EXPECT_EQ(blobs, static_cast<std::size_t>(created));
  Restart({{"BULWARK_THREADS", "2"}});
}

TEST_P(ServiceE2E, FilesUploadDownloadDeleteOwnerOnly) {
  Register("fay@example.com", "saddle prism harvest 73", "Fay");
  Register("gus@example.com", "ember lagoon trellis 19", "Gus");
  Tokens fay = Login("fay@example.com", "saddle prism harvest 73");
  Tokens gus = Login("gus@example.com", "ember lagoon trellis 19");
  auto upload = [&](const std::string& token, const std::string& name, const std::string& body,
                    const std::string& type = "application/octet-stream") {
    std::string path = "/v1/files" + (name.empty() ? std::string() : "?filename=" + PctEncode(name));
    return Send(port_, "POST", path, {{"Content-Type", type}, Bearer(token)}, body, true);
  };

  HttpResponse png = upload(fay.access, "../../etc/vacation \"photo\".png", kPng);
  ASSERT_EQ(png.status, 201) << png.body;
  std::string png_id = png.Str("id");
  EXPECT_EQ(png.Str("filename"), "vacation _photo_.png") << "path parts and quotes removed";
  EXPECT_EQ(png.Str("content_type"), "image/png");
  HttpResponse txt = upload(fay.access, "notes.txt", "plain words, nothing more\n");
  ASSERT_EQ(txt.status, 201) << txt.body;

  // Download: the bytes, an allowlisted type, an attachment, nosniff.
  HttpResponse got = Get("/v1/files/" + png_id, {Bearer(fay.access)});
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, kPng);
  EXPECT_EQ(got.Header("content-type"), "image/png");
  EXPECT_EQ(got.Header("content-disposition").rfind("attachment; filename=\"vacation _photo_.png\"", 0), 0u)
      << got.Header("content-disposition");
  EXPECT_EQ(got.Header("x-content-type-options"), "nosniff");
  HttpResponse got_txt = Get("/v1/files/" + txt.Str("id"), {Bearer(fay.access)});
  EXPECT_EQ(got_txt.Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(got_txt.Header("content-disposition").rfind("attachment;", 0), 0u);
  HttpResponse list = Get("/v1/files", {Bearer(fay.access)});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().Find("files")->AsArray().size(), 2u);

  // Refused by content, whatever the name says.
  for (const auto& [name, body] : std::vector<std::pair<std::string, std::string>>{
           {"page.html", "<html><body><script>alert(1)</script></body></html>"},
           {"pic.png", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"},
           {"image.svg", "<?xml version=\"1.0\"?><svg/>"},
           {"blob.bin", std::string("\x00\x01\x02\x03garbage\xff\xfe", 13)},
           {"run.exe", std::string("MZ\x90\x00\x03\x00\x00\x00", 8) + std::string(64, '\0')}}) {
    HttpResponse r = upload(fay.access, name, body);
    EXPECT_EQ(r.status, 415) << name << " " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  }
  // Size, missing or bad input.
  HttpResponse big = upload(fay.access, "big.png", kPng + std::string(300 * 1024, 'x'));
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_EQ(upload(fay.access, "", kPng).status, 422);
  EXPECT_EQ(upload(fay.access, std::string(300, 'a') + ".png", kPng).status, 422);
  EXPECT_EQ(upload(fay.access, "empty.png", "").status, 422);
  EXPECT_EQ(upload(fay.access, "x.png", kPng, "text/html").status, 415);
  EXPECT_EQ(upload(fay.access, "x.png", "{\"file\":1}", "application/json").status, 415);
  EXPECT_EQ(upload("", "x.png", kPng).status, 401);
  EXPECT_EQ(Get("/v1/files/not-an-id", {Bearer(fay.access)}).status, 404);
  EXPECT_EQ(Get("/v1/files/..%2F..%2Fetc%2Fpasswd", {Bearer(fay.access)}).status, 404);

  // Another user: 404 for everything of Fay's.
  EXPECT_EQ(Get("/v1/files/" + png_id, {Bearer(gus.access)}).status, 404);
  EXPECT_EQ(Send(port_, "DELETE", "/v1/files/" + png_id, {Bearer(gus.access)}).status, 404);
  EXPECT_EQ(Get("/v1/files", {Bearer(gus.access)}).Json().Find("files")->AsArray().size(), 0u);

  // On disk: a private directory, random names, 0600.
  struct stat st {};
  ASSERT_EQ(::stat((data_dir_ + "/files").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  std::string listing;
  {
    FILE* p = ::popen(("ls -A '" + data_dir_ + "/files'").c_str(), "r");
    char buf[512];
    while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) listing += buf;
    if (p != nullptr) ::pclose(p);
  }
  EXPECT_EQ(listing.find("vacation"), std::string::npos);
  EXPECT_EQ(listing.find("notes"), std::string::npos);
  std::string first = listing.substr(0, listing.find('\n'));
  ASSERT_EQ(::stat((data_dir_ + "/files/" + first).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto lines = [](const std::string& text) {
    std::set<std::string> out;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) out.insert(line);
    return out;
  };

  // Quota (600000 bytes in this test): 200 KiB files until it is full.
  std::string chunky = kPng + std::string(200 * 1024, '\x02');
  EXPECT_EQ(upload(fay.access, "q1.png", chunky).status, 201);
  EXPECT_EQ(upload(fay.access, "q2.png", chunky).status, 201);
  HttpResponse full = upload(fay.access, "q3.png", chunky);
  EXPECT_EQ(full.status, 413) << full.body;
  EXPECT_NE(full.Str("detail").find("quota"), std::string::npos);

  // Delete.
  EXPECT_EQ(Send(port_, "DELETE", "/v1/files/" + png_id, {Bearer(fay.access)}).status, 204);
  EXPECT_EQ(Get("/v1/files/" + png_id, {Bearer(fay.access)}).status, 404);
  EXPECT_EQ(Send(port_, "DELETE", "/v1/files/" + png_id, {Bearer(fay.access)}).status, 404);
  std::string after;
  {
    FILE* p = ::popen(("ls -A '" + data_dir_ + "/files'").c_str(), "r");
    char buf[512];
    while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) after += buf;
    if (p != nullptr) ::pclose(p);
  }
  std::set<std::string> before_names = lines(listing), after_names = lines(after);
  EXPECT_EQ(before_names.size(), 2u);
  EXPECT_EQ(after_names.size(), 3u) << "q1 and q2 added, the deleted blob removed";
  std::size_t kept = 0;
  for (const std::string& name : before_names) kept += after_names.count(name);
  EXPECT_EQ(kept, 1u) << "the blob is removed";

  StopServer();
  auto db = OpenServiceDb();
  ASSERT_NE(db, nullptr);
  auto rows = db->Query("SELECT action FROM bulwark_audit_log");
  ASSERT_TRUE(rows.ok());
  std::multiset<std::string> actions;
  for (const auto& row : *rows) actions.insert(row.Get<std::string>(0).value_or(""));
  EXPECT_EQ(actions.count("file.uploaded"), 4u);
  EXPECT_EQ(actions.count("file.deleted"), 1u);
  EXPECT_EQ(actions.count("file.rejected"), 5u);
  db.reset();
  StartServer();
}

// The payload of a JWT (no signature check: the service already did that).
JsonValue JwtPayload(const std::string& jwt) {
  std::size_t a = jwt.find('.'), b = jwt.rfind('.');
  if (a == std::string::npos || b <= a) return JsonValue::MakeObject({});
  auto payload = bulwark::Base64UrlDecode(jwt.substr(a + 1, b - a - 1));
  if (!payload.ok()) return JsonValue::MakeObject({});
  auto parsed = bulwark::validate::ParseJson(std::string(bulwark::AsChars(*payload)));
  if (!parsed.ok()) return JsonValue::MakeObject({});
  return parsed.value().UnvalidatedValue();
}

std::vector<std::string> Amr(const std::string& jwt) {
  std::vector<std::string> out;
  JsonValue p = JwtPayload(jwt);
  const JsonValue* amr = p.Find("amr");
  if (amr == nullptr || !amr->is_array()) return out;
  for (const JsonValue& v : amr->AsArray()) out.push_back(v.is_string() ? v.AsString() : "?");
  return out;
}

// A refresh continues the sign-in of its family: an MFA sign-in's tokens
// keep "otp" through every rotation, a password-only sign-in never gains it
// (not even after MFA is enrolled later).
TEST_P(ServiceE2E, RefreshKeepsTheAuthenticationMethodsOfTheSignIn) {
  const std::string pw = "lantern quarry mosaic 58";
  Register("ola@example.com", pw, "Ola");
  Tokens plain = Login("ola@example.com", pw);
  EXPECT_EQ(Amr(plain.access), (std::vector<std::string>{"pwd"}));
  HttpResponse enrol = Post("/v1/mfa/totp", "{\"password\":" + JsonStr(pw) + "}", {Bearer(plain.access)});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret = enrol.Str("secret");
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  HttpResponse confirm = Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(secret, now) + "\"}",
                              {Bearer(plain.access)});
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  // The enrolling family keeps going, still password-only.
  HttpResponse plain_next = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(plain.refresh) + "}");
  ASSERT_EQ(plain_next.status, 200) << plain_next.body;
  EXPECT_EQ(Amr(plain_next.Str("access_token")), (std::vector<std::string>{"pwd"}));

  Tokens mfa = Login("ola@example.com", pw, ",\"totp_code\":\"" + Totp(secret, now + 30) + "\"");
  ASSERT_FALSE(mfa.access.empty());
  EXPECT_EQ(Amr(mfa.access), (std::vector<std::string>{"pwd", "otp"}));
  std::string refresh = mfa.refresh;
  for (int i = 0; i < 2; ++i) {
    HttpResponse r = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(refresh) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Amr(r.Str("access_token")), (std::vector<std::string>{"pwd", "otp"})) << "rotation " << i;
    EXPECT_EQ(Get("/v1/me", {Bearer(r.Str("access_token"))}).status, 200);
    refresh = r.Str("refresh_token");
  }
}

// Enrolling MFA, removing it and replacing the backup codes end every other
// browser session and refresh family (and their access tokens at once); the
// session or token family that made the change keeps working.
TEST_P(ServiceE2E, MfaChangesEndTheOtherSessions) {
  const std::string pw = "copper harbor violet 36";
  Register("pia@example.com", pw, "Pia");
  Session other_cookie = BrowserLogin("pia@example.com", pw);
  Tokens other = Login("pia@example.com", pw);
  Tokens mine = Login("pia@example.com", pw);
  ASSERT_EQ(Get("/v1/me", {{"Cookie", other_cookie.cookie}}).status, 200);
  ASSERT_EQ(Get("/v1/me", {Bearer(other.access)}).status, 200);

  // Enrolment, by a bearer token.
  HttpResponse enrol = Post("/v1/mfa/totp", "{\"password\":" + JsonStr(pw) + "}", {Bearer(mine.access)});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret = enrol.Str("secret");
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  EXPECT_EQ(Get("/v1/me", {Bearer(other.access)}).status, 200) << "starting an enrolment changes nothing yet";
  HttpResponse confirm = Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(secret, now) + "\"}",
                              {Bearer(mine.access)});
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  JsonValue confirm_json = confirm.Json();
  std::vector<std::string> codes;
  for (const JsonValue& c : confirm_json.Find("backup_codes")->AsArray()) codes.push_back(c.AsString());
  ASSERT_GE(codes.size(), 4u);
  EXPECT_EQ(Get("/v1/me", {{"Cookie", other_cookie.cookie}}).status, 401) << "other browser session ended";
  EXPECT_EQ(Get("/v1/me", {Bearer(other.access)}).status, 401) << "other access token ended";
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(other.refresh) + "}").status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(mine.access)}).status, 200) << "the enrolling token stays";
  HttpResponse mine_next = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(mine.refresh) + "}");
  ASSERT_EQ(mine_next.status, 200) << mine_next.body;
  mine = {mine_next.Str("access_token"), mine_next.Str("refresh_token")};

  // New backup codes, from a browser session (with its CSRF token).
  auto session_with = [&](const std::string& backup_code) {
    HttpResponse r = Post("/v1/sessions", "{\"email\":\"pia@example.com\",\"password\":" + JsonStr(pw) +
                                              ",\"backup_code\":" + JsonStr(backup_code) + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    std::string set_cookie = r.Header("set-cookie");
    return Session{set_cookie.substr(0, set_cookie.find(';')), r.Str("csrf_token"), ""};
  };
  Session browser = session_with(codes[0]);
  Tokens other2 = Login("pia@example.com", pw, ",\"backup_code\":" + JsonStr(codes[1]));
  HttpResponse regen = Post("/v1/mfa/backup-codes", "{\"password\":" + JsonStr(pw) + ",\"backup_code\":" +
                                                        JsonStr(codes[2]) + "}",
                            {{"Cookie", browser.cookie}, {"X-CSRF-Token", browser.csrf}});
  ASSERT_EQ(regen.status, 200) << regen.body;
  JsonValue regen_json = regen.Json();
  codes.clear();
  for (const JsonValue& c : regen_json.Find("backup_codes")->AsArray()) codes.push_back(c.AsString());
  EXPECT_EQ(Get("/v1/me", {{"Cookie", browser.cookie}}).status, 200) << "the changing session stays";
  EXPECT_EQ(Get("/v1/me", {Bearer(other2.access)}).status, 401);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(other2.refresh) + "}").status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(mine.access)}).status, 401) << "a cookie change keeps no token family";

  // Removal, by a bearer token: the browser session ends.
  Tokens remover = Login("pia@example.com", pw, ",\"backup_code\":" + JsonStr(codes[0]));
  HttpResponse removed = Send(port_, "DELETE", "/v1/mfa/totp", {kJson, Bearer(remover.access)},
                              "{\"password\":" + JsonStr(pw) + ",\"backup_code\":" + JsonStr(codes[1]) + "}");
  ASSERT_EQ(removed.status, 204) << removed.body;
  EXPECT_EQ(Get("/v1/me", {{"Cookie", browser.cookie}}).status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(remover.access)}).status, 200);
}

// An enrolment in progress belongs to the session or token family that
// started it with the password. Another session of the account (a stolen
// cookie) must not read its secret (QR code, the web form's error page) or
// confirm it: that would let whoever holds any session enrol a secret they
// know, end the owner's sessions and keep the owner out.
TEST_P(ServiceE2E, TotpEnrolmentBelongsToTheSessionThatStartedIt) {
  const std::string pw = "quartz meadow falcon 71";
  Register("enrol@example.com", pw, "Enrol");
  Session owner = BrowserLogin("enrol@example.com", pw);
  Session thief = BrowserLogin("enrol@example.com", pw);
  Tokens thief_token = Login("enrol@example.com", pw);
  const std::vector<std::pair<std::string, std::string>> form{
      {"Content-Type", "application/x-www-form-urlencoded"}};
  auto with = [](std::vector<std::pair<std::string, std::string>> h, const Session& s) {
    h.emplace_back("Cookie", s.cookie);
    return h;
  };
  HttpResponse enrol = Post("/v1/mfa/totp", "{\"password\":" + JsonStr(pw) + "}",
                            {{"Cookie", owner.cookie}, {"X-CSRF-Token", owner.csrf}});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret = enrol.Str("secret");
  ASSERT_FALSE(secret.empty());
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));

  EXPECT_EQ(Get("/account/mfa/qr.svg", {{"Cookie", thief.cookie}}).status, 404);
  HttpResponse wrong = Send(port_, "POST", "/account/mfa/confirm", with(form, thief),
                            "csrf_token=" + PctEncode(thief.csrf) + "&code=000000", true);
  EXPECT_EQ(wrong.body.find(secret), std::string::npos) << "another session saw the pending secret";
  EXPECT_EQ(Send(port_, "POST", "/account/mfa/confirm", with(form, thief),
                 "csrf_token=" + PctEncode(thief.csrf) + "&code=" + Totp(secret, now), true).status, 303);
  EXPECT_EQ(Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(secret, now) + "\"}",
                 {{"Cookie", thief.cookie}, {"X-CSRF-Token", thief.csrf}}).status, 409);
  EXPECT_EQ(Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(secret, now) + "\"}",
                 {Bearer(thief_token.access)}).status, 409);
  HttpResponse me = Get("/v1/me", {{"Cookie", owner.cookie}});
  ASSERT_EQ(me.status, 200);
  EXPECT_FALSE(me.Json().Find("mfa_enabled")->AsBool()) << "another session finished the enrolment";
  EXPECT_EQ(Get("/v1/me", {{"Cookie", owner.cookie}}).status, 200);

  // The session that started it sees and confirms it.
  HttpResponse qr = Get("/account/mfa/qr.svg", {{"Cookie", owner.cookie}});
  EXPECT_EQ(qr.status, 200);
  EXPECT_EQ(qr.Header("content-type").rfind("image/svg+xml", 0), 0u);
  HttpResponse confirm = Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(secret, now) + "\"}",
                              {{"Cookie", owner.cookie}, {"X-CSRF-Token", owner.csrf}});
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_EQ(Get("/v1/me", {{"Cookie", thief.cookie}}).status, 401);
  Tokens mfa = Login("enrol@example.com", pw, ",\"totp_code\":\"" + Totp(secret, now + 30) + "\"");
  EXPECT_FALSE(mfa.access.empty()) << "the confirmed secret is the one sign-in checks";
}

// Signing out an API client (revoking its refresh token) ends its access
// token too, not up to 15 minutes later; and so does reuse detection.
TEST_P(ServiceE2E, AccessTokensEndWithTheirRefreshFamily) {
  const std::string pw = "granite fable osprey 24";
  Register("quin@example.com", pw, "Quin");
  Tokens t = Login("quin@example.com", pw);
  ASSERT_EQ(Get("/v1/me", {Bearer(t.access)}).status, 200);
  EXPECT_EQ(Post("/v1/tokens/revoke", "{\"refresh_token\":" + JsonStr(t.refresh) + "}").status, 200);
  EXPECT_EQ(Get("/v1/me", {Bearer(t.access)}).status, 401);
  Tokens u = Login("quin@example.com", pw);
  HttpResponse r = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(u.refresh) + "}");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Get("/v1/me", {Bearer(r.Str("access_token"))}).status, 200);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(u.refresh) + "}").status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(r.Str("access_token"))}).status, 401) << "reuse revokes the thief's token too";
  EXPECT_EQ(Get("/v1/me", {Bearer(u.access)}).status, 401);
}

// A password change revokes the account's API keys: whoever knew the old
// password could have made one, and it would otherwise outlive the change.
TEST_P(ServiceE2E, PasswordChangeRevokesApiKeys) {
  const std::string pw = "walnut ripple beacon 81";
  Register("rex@example.com", pw, "Rex");
  Tokens t = Login("rex@example.com", pw);
  HttpResponse key = Post("/v1/api-keys", R"({"name":"left behind","scopes":["me:read","files:read"]})",
                          {Bearer(t.access)});
  ASSERT_EQ(key.status, 201) << key.body;
  ASSERT_EQ(Get("/v1/me", {ApiKey(key.Str("key"))}).status, 200);
  Session s = BrowserLogin("rex@example.com", pw);
  HttpResponse changed = Post("/v1/me/password", "{\"current_password\":" + JsonStr(pw) +
                                                     ",\"new_password\":\"orbit saffron kettle 90\"}",
                              {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Get("/v1/me", {ApiKey(key.Str("key"))}).status, 401);
  JsonValue changed_json = changed.Json();
  const JsonValue* count = changed_json.Find("api_keys_revoked");
  ASSERT_NE(count, nullptr) << changed.body;
  EXPECT_EQ(count->AsInt(), 1);
  HttpResponse keys = Get("/v1/api-keys", {{"Cookie", s.cookie}});
  ASSERT_EQ(keys.status, 200);
  EXPECT_NE(keys.body.find("\"revoked\":true"), std::string::npos) << keys.body;
}

// The type is sniffed from the first 4 KiB, but a text upload must be text
// to its end: invalid UTF-8, binary or markup after the first 4 KiB is 415.
// Free accounts times the per-account quota can be more than the disk:
// uploads stop (507) before they take the space the database and the audit
// trail need, and everything else keeps working.
TEST_P(ServiceE2E, UploadsLeaveTheLastFreeSpaceToTheService) {
  // More free space than any test machine has, so every upload is refused.
  Restart({{"BULWARK_FILES_MIN_FREE_BYTES", std::to_string(std::int64_t{1} << 50)}});
  Register("full@example.com", "pewter canyon willow 15", "Full");
  Tokens t = Login("full@example.com", "pewter canyon willow 15");
  HttpResponse r = Send(port_, "POST", "/v1/files?filename=a.png",
                        {{"Content-Type", "application/octet-stream"}, Bearer(t.access)}, kPng, true);
  EXPECT_EQ(r.status, 507) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_FALSE(r.Header("retry-after").empty());
  HttpResponse list = Get("/v1/files", {Bearer(t.access)});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().Find("files")->AsArray().size(), 0u);
  EXPECT_EQ(Get("/v1/me", {Bearer(t.access)}).status, 200);
  std::size_t blobs = 0;
  for (const auto& e : std::filesystem::directory_iterator(data_dir_ + "/files")) {
    (void)e;
    ++blobs;
  }
  EXPECT_EQ(blobs, 0u) << "nothing written";

  Restart({{"BULWARK_FILES_MIN_FREE_BYTES", "0"}});
  EXPECT_EQ(Send(port_, "POST", "/v1/files?filename=a.png",
                 {{"Content-Type", "application/octet-stream"}, Bearer(t.access)}, kPng, true)
                .status,
            201);
}

TEST_P(ServiceE2E, TextUploadIsCheckedToTheEnd) {
  Register("sal@example.com", "thistle canyon harp 65", "Sal");
  Tokens t = Login("sal@example.com", "thistle canyon harp 65");
  auto upload = [&](const std::string& body) {
    return Send(port_, "POST", "/v1/files?filename=notes.txt",
                {{"Content-Type", "application/octet-stream"}, Bearer(t.access)}, body, true);
  };
  const std::string text = std::string(5000, 'a') + "\n";
  EXPECT_EQ(upload(text + "caf\xC3\xA9\n").status, 201);
  for (const std::string& tail : {std::string("\xC0\xAE\xFF"), std::string("\x01\x02\x03\x04"),
                                  std::string("<script>alert(1)</script>"), std::string("\xE2\x82")}) {
    HttpResponse r = upload(text + tail);
    EXPECT_EQ(r.status, 415) << r.body;
  }
  EXPECT_EQ(Get("/v1/files", {Bearer(t.access)}).Json().Find("files")->AsArray().size(), 1u);
}

// The name offered on download ends in the detected type's extension: a PNG
// (here a PNG/HTML polyglot) uploaded as "invoice.html" is not saved to disk
// as an .html file that a browser would open as a page.
TEST_P(ServiceE2E, DownloadNameEndsInTheDetectedType) {
  Register("tia@example.com", "meadow copper anvil 38", "Tia");
  Tokens t = Login("tia@example.com", "meadow copper anvil 38");
  auto upload = [&](const std::string& name, const std::string& body) {
    return Send(port_, "POST", "/v1/files?filename=" + PctEncode(name),
                {{"Content-Type", "application/octet-stream"}, Bearer(t.access)}, body, true);
  };
  const std::string polyglot = kPng + "<html><script>alert(document.domain)</script></html>";
  for (const auto& [name, body, offered] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"invoice.html", polyglot, "invoice.html.png"},
           {"run.exe", kPng, "run.exe.png"},
           {"noext", kPng, "noext.png"},
           {"Photo.PNG", kPng, "Photo.PNG"},
           {"scan.jpg", kPng, "scan.jpg.png"},
           {"page.htm", "just words\n", "page.htm.txt"},
           {"notes.md", "just words\n", "notes.md"}}) {
    HttpResponse r = upload(name, body);
    ASSERT_EQ(r.status, 201) << name << " " << r.body;
    EXPECT_EQ(r.Str("filename"), offered);
    HttpResponse got = Get("/v1/files/" + r.Str("id"), {Bearer(t.access)});
    EXPECT_EQ(got.Header("content-disposition").rfind("attachment; filename=\"" + offered + "\"", 0), 0u)
        << got.Header("content-disposition");
  }
}

// A wrong second factor after the right password can only come from someone
// who has the password: spreading the guesses over many addresses (here
// through a trusted proxy) does not buy more than a few before the account's
// second factor waits, while the password-only step-ups stay open.
TEST_P(ServiceE2E, SecondFactorGuessesAreThrottledPerAccount) {
  Restart({{"BULWARK_TRUSTED_PROXIES", "127.0.0.1/32"}});
  const std::string pw = "orchid lantern basalt 72";
  Register("vic@example.com", pw, "Vic");
  Tokens vic = Login("vic@example.com", pw);
  HttpResponse enrol = Post("/v1/mfa/totp", "{\"password\":" + JsonStr(pw) + "}", {Bearer(vic.access)});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret = enrol.Str("secret");
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  HttpResponse confirm = Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(secret, now) + "\"}", {Bearer(vic.access)});
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  std::string right = Totp(secret, now + 30);
  std::string wrong = right == "000000" ? "111111" : "000000";
  auto login = [&](const std::string& code, int from) {
    return Post("/v1/tokens",
                "{\"email\":\"vic@example.com\",\"password\":" + JsonStr(pw) + ",\"totp_code\":\"" + code + "\"}",
                {{"X-Forwarded-For", "198.51.100." + std::to_string(from)}});
  };
  // Five free failures, then each one makes the account's second factor wait.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(login(wrong, i + 1).status, 401) << i;
  // The waits double (1 s, 2 s, 4 s): sit out the first two and fail again,
  // so the check below lands well inside the third even when the password
  // hash before it is slow on a loaded machine.
  for (int seconds : {1, 2}) {
    std::this_thread::sleep_for(std::chrono::milliseconds(seconds * 1000 + 150));
    EXPECT_EQ(login(wrong, 60 + seconds).status, 401) << "after waiting " << seconds << " s";
  }
  // From yet another address, at once: it waits, and even the right code is
  // not checked (so it is not used up either).
  HttpResponse held = login(right, 50);
  EXPECT_EQ(held.status, 429) << "each guess came from a fresh address; the account's second factor must wait";
  EXPECT_FALSE(held.Header("retry-after").empty());
  // The password alone still works where no second factor is asked for.
  EXPECT_EQ(Post("/v1/mfa/totp", "{\"password\":" + JsonStr(pw) + "}", {Bearer(vic.access)}).status, 409)
      << "step-up passed (and MFA is already on)";
}

// Refresh-token storage is bounded per account: a family ends after
// kMaxRefreshGenerations rotations (each keeps a row for reuse detection),
// and an account keeps its 20 newest families.
TEST_P(ServiceE2E, RefreshStorageIsBoundedPerAccount) {
  const std::string pw = "harbor quill saffron 64";
  Register("uli@example.com", pw, "Uli");
  Tokens first = Login("uli@example.com", pw);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // strictly the oldest
  Tokens last;
  for (int i = 0; i < 20; ++i) last = Login("uli@example.com", pw);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(first.refresh) + "}").status, 401)
      << "the oldest family made room";
  EXPECT_EQ(Get("/v1/me", {Bearer(first.access)}).status, 401);
  HttpResponse r = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(last.refresh) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  std::string user_id = Get("/v1/me", {Bearer(r.Str("access_token"))}).Str("id");
  {
    auto db = OpenServiceDb();
    ASSERT_NE(db, nullptr);
    auto n = db->QueryRow("SELECT COUNT(*) FROM refresh_families WHERE user_id = ?", user_id);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n->Get<std::int64_t>(0).value_or(-1), 20);
    // Skip ahead to the last rotations of the family.
    ASSERT_TRUE(db->Execute("UPDATE refresh_tokens SET generation = 9998 WHERE used_at = 0 AND family_id IN "
                            "(SELECT id FROM refresh_families WHERE user_id = ?)",
                            user_id)
                    .ok());
  }
  HttpResponse near_end = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(r.Str("refresh_token")) + "}");
  ASSERT_EQ(near_end.status, 200) << near_end.body;
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(near_end.Str("refresh_token")) + "}").status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(near_end.Str("access_token"))}).status, 401) << "the family ended";
  EXPECT_EQ(Get("/v1/me", {Bearer(Login("uli@example.com", pw).access)}).status, 200) << "a new sign-in works";
}


// A download sends one Content-Security-Policy: the download's own
// `default-src 'none'; sandbox` with the default's navigation directives,
// not two fields (scanners and some proxies look at one only).
TEST_P(ServiceE2E, DownloadSendsOneStrictContentSecurityPolicy) {
  Register("wes@example.com", "pebble orchard lantern 58", "Wes");
  Tokens t = Login("wes@example.com", "pebble orchard lantern 58");
  HttpResponse up = Send(port_, "POST", "/v1/files?filename=notes.txt",
                         {Bearer(t.access), {"Content-Type", "application/octet-stream"}}, "just words\n", true);
  ASSERT_EQ(up.status, 201) << up.body;
  HttpResponse got = Get("/v1/files/" + up.Str("id"), {Bearer(t.access)});
  ASSERT_EQ(got.status, 200) << got.body;
  ASSERT_EQ(got.headers.count("content-security-policy"), 1u);
  const std::string policy = got.Header("content-security-policy");
  EXPECT_EQ(policy.rfind("default-src 'none'; sandbox", 0), 0u) << policy;
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << policy;
  EXPECT_NE(policy.find("base-uri 'none'"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("'nonce-"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("'self'; script-src"), std::string::npos) << policy;
  EXPECT_EQ(got.headers.count("content-security-policy-report-only"), 0u);
  // The other download protections stay.
  EXPECT_EQ(got.Header("content-disposition").rfind("attachment;", 0), 0u);
  EXPECT_EQ(got.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(got.Header("cross-origin-resource-policy"), "same-origin");
  EXPECT_NE(got.Header("cache-control").find("no-store"), std::string::npos);
  // Other answers keep the default policy, once.
  HttpResponse me = Get("/v1/me", {Bearer(t.access)});
  ASSERT_EQ(me.headers.count("content-security-policy"), 1u);
  EXPECT_NE(me.Header("content-security-policy").find("'nonce-"), std::string::npos);
}

// With MFA on, changing the password needs a second factor too (the
// password is what a phished user loses, and the change would lock them
// out), under the same per-account second-factor backoff as sign-in.
TEST_P(ServiceE2E, PasswordChangeNeedsTheSecondFactorWithMfa) {
  const std::string pw = "juniper cobalt meadow 47";
  Register("xia@example.com", pw, "Xia");
  Tokens t = Login("xia@example.com", pw);
  HttpResponse enrol = Post("/v1/mfa/totp", "{\"password\":" + JsonStr(pw) + "}", {Bearer(t.access)});
  ASSERT_EQ(enrol.status, 200) << enrol.body;
  const std::string secret = enrol.Str("secret");
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  HttpResponse confirm = Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(secret, now) + "\"}", {Bearer(t.access)});
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  JsonValue confirm_json = confirm.Json();
  std::vector<std::string> codes;
  for (const JsonValue& c : confirm_json.Find("backup_codes")->AsArray()) codes.push_back(c.AsString());
  ASSERT_GE(codes.size(), 2u);
  auto change = [&](const std::string& extra) {
    return Post("/v1/me/password",
                "{\"current_password\":" + JsonStr(pw) + ",\"new_password\":\"tundra velvet harbor 93\"" + extra + "}",
                {Bearer(t.access)});
  };
  HttpResponse bare = change("");
  EXPECT_EQ(bare.status, 403) << "the password alone is not enough with MFA on: " << bare.body;
  const std::string right = Totp(secret, now + 30);
  const std::string wrong = right == "000000" ? "111111" : "000000";
  EXPECT_EQ(change(",\"totp_code\":\"" + wrong + "\"").status, 403);
  EXPECT_EQ(Get("/v1/me", {Bearer(t.access)}).status, 200) << "nothing changed";
  // Missing and wrong second factors count like at sign-in: five free,
  // then doubling waits (1 s, 2 s, 4 s) during which even a right code is not
  // checked (nor used up).
  for (int i = 0; i < 4; ++i) EXPECT_EQ(change(",\"totp_code\":\"" + wrong + "\"").status, 403) << i;
  for (int seconds : {1, 2}) {
    std::this_thread::sleep_for(std::chrono::milliseconds(seconds * 1000 + 150));
    EXPECT_EQ(change(",\"totp_code\":\"" + wrong + "\"").status, 403) << "after waiting " << seconds << " s";
  }
  HttpResponse held = change(",\"backup_code\":" + JsonStr(codes[0]));
  EXPECT_EQ(held.status, 429) << held.body;
  EXPECT_FALSE(held.Header("retry-after").empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(4300));
  HttpResponse changed = change(",\"backup_code\":" + JsonStr(codes[0]));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Post("/v1/tokens", "{\"email\":\"xia@example.com\",\"password\":" + JsonStr(pw) +
                                   ",\"backup_code\":" + JsonStr(codes[1]) + "}").status, 401)
      << "the old password is gone";
}

// Locking an account revokes its API keys (not only refuses them while
// locked): keys an intruder made must not come back with the unlock. The
// lock is audited with the count.
TEST_P(ServiceE2E, AdminLockRevokesApiKeys) {
  const std::string pw = "marble falcon quiver 35";
  Register("yan@example.com", pw, "Yan");
  Tokens t = Login("yan@example.com", pw);
  HttpResponse key = Post("/v1/api-keys", R"({"name":"intruder's","scopes":["me:read"]})", {Bearer(t.access)});
  ASSERT_EQ(key.status, 201) << key.body;
  ASSERT_EQ(Get("/v1/me", {ApiKey(key.Str("key"))}).status, 200);
  RunResult created = RunBulwark({"admin", "create", "--email", "warden@example.com"}, env_,
                                 "basalt meridian quill 62\n", scratch_);
  ASSERT_EQ(created.exit_code, 0) << created.output;
  Tokens admin = Login("warden@example.com", "basalt meridian quill 62");
  const std::string id = Get("/v1/me", {Bearer(t.access)}).Str("id");
  ASSERT_EQ(Post("/v1/admin/users/" + id + "/lock", "", {Bearer(admin.access)}).status, 200);
  EXPECT_EQ(Get("/v1/me", {ApiKey(key.Str("key"))}).status, 401);
  EXPECT_EQ(Get("/v1/me", {Bearer(t.access)}).status, 401);
  ASSERT_EQ(Post("/v1/admin/users/" + id + "/unlock", "", {Bearer(admin.access)}).status, 200);
  EXPECT_EQ(Get("/v1/me", {ApiKey(key.Str("key"))}).status, 401) << "the key stays revoked after the unlock";
  Tokens again = Login("yan@example.com", pw);
  HttpResponse keys = Get("/v1/api-keys", {Bearer(again.access)});
  ASSERT_EQ(keys.status, 200) << keys.body;
  EXPECT_NE(keys.body.find("\"revoked\":true"), std::string::npos) << keys.body;
  HttpResponse audit = Get("/v1/admin/audit?action=admin.user.lock", {Bearer(admin.access)});
  ASSERT_EQ(audit.status, 200) << audit.body;
  JsonValue audit_json = audit.Json();
  ASSERT_EQ(audit_json.Find("records")->AsArray().size(), 1u) << audit.body;
  const JsonValue* details = audit_json.Find("records")->AsArray()[0].Find("details");
  ASSERT_NE(details, nullptr);
  // (the audit trail redacts values under names with "key" in them; the
  // record is there with the field)
  EXPECT_NE(details->Find("api_keys_revoked"), nullptr) << audit.body;
  EXPECT_EQ(details->Find("families_revoked")->AsString(), "1") << audit.body;
}

// A lock ends the account's refresh families and sessions for good: after
// the unlock, the tokens and cookies from before it stay dead.
// Two administrators locking each other at the same moment must not both
// succeed: no one would be left to unlock either.
TEST_P(ServiceE2E, AdminsLockingEachOtherAtOnceLeaveOneUnlocked) {
  Restart({{"BULWARK_THREADS", "4"}});
  const std::string pw_a = "cobalt harbor thistle 41", pw_b = "saffron glacier mortar 87";
  ASSERT_EQ(RunBulwark({"admin", "create", "--email", "ada@example.com"}, env_, pw_a + "\n", scratch_).exit_code, 0);
  ASSERT_EQ(RunBulwark({"admin", "create", "--email", "bea@example.com"}, env_, pw_b + "\n", scratch_).exit_code, 0);
  Tokens a = Login("ada@example.com", pw_a), b = Login("bea@example.com", pw_b);
  const std::string id_a = Get("/v1/me", {Bearer(a.access)}).Str("id");
  const std::string id_b = Get("/v1/me", {Bearer(b.access)}).Str("id");
  ASSERT_FALSE(id_a.empty());
  ASSERT_FALSE(id_b.empty());
  for (int round = 0; round < 8; ++round) {
    a = Login("ada@example.com", pw_a);
    b = Login("bea@example.com", pw_b);
    std::atomic<int> ready{0};
    int status_a = 0, status_b = 0;
    auto lock = [&](const std::string& target, const std::string& token, int* status) {
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      *status = Post("/v1/admin/users/" + target + "/lock", "", {Bearer(token)}).status;
    };
    std::thread ta(lock, id_b, a.access, &status_a), tb(lock, id_a, b.access, &status_b);
    ta.join();
    tb.join();
    ASSERT_FALSE(status_a == 200 && status_b == 200) << "round " << round << ": both administrators locked";
    // The one still unlocked unlocks the other for the next round.
    if (status_a == 200) {
      ASSERT_EQ(Post("/v1/admin/users/" + id_b + "/unlock", "", {Bearer(a.access)}).status, 200);
    } else if (status_b == 200) {
      ASSERT_EQ(Post("/v1/admin/users/" + id_a + "/unlock", "", {Bearer(b.access)}).status, 200);
    }
  }
}

TEST_P(ServiceE2E, AdminLockEndsRefreshFamiliesForGood) {
  const std::string pw = "lilac summit gravel 18";
  Register("zed@example.com", pw, "Zed");
  Tokens t = Login("zed@example.com", pw);
  Session s = BrowserLogin("zed@example.com", pw);
  RunResult created = RunBulwark({"admin", "create", "--email", "keeper@example.com"}, env_,
                                 "garnet willow harbor 53\n", scratch_);
  ASSERT_EQ(created.exit_code, 0) << created.output;
  Tokens admin = Login("keeper@example.com", "garnet willow harbor 53");
  const std::string id = Get("/v1/me", {Bearer(t.access)}).Str("id");
  HttpResponse locked = Post("/v1/admin/users/" + id + "/lock", "", {Bearer(admin.access)});
  ASSERT_EQ(locked.status, 200) << locked.body;
  ASSERT_EQ(Post("/v1/admin/users/" + id + "/unlock", "", {Bearer(admin.access)}).status, 200);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(t.refresh) + "}").status, 401)
      << "the refresh family ended with the lock";
  EXPECT_EQ(Get("/v1/me", {Bearer(t.access)}).status, 401) << "and its access token";
  EXPECT_EQ(Get("/v1/me", {{"Cookie", s.cookie}}).status, 401) << "and the browser session";
  EXPECT_EQ(Get("/v1/me", {Bearer(Login("zed@example.com", pw).access)}).status, 200) << "a new sign-in works";
}

// Concurrent webhook registrations: each passed the limit check before any
// insert, so 16 at once made 11 or 12 of a limit of 10. The count and the
// insert are now one transaction under the owner's row lock.
TEST_P(ServiceE2E, ConcurrentWebhookRegistrationsStayWithinTheLimit) {
  Restart({{"BULWARK_THREADS", "8"},
           {"BULWARK_WEBHOOK_UNSAFE_ALLOW_HTTP_FOR_TESTING", "true"},
           {"BULWARK_WEBHOOK_UNSAFE_ALLOW_LOOPBACK_FOR_TESTING", "true"},
           {"BULWARK_WEBHOOK_ALLOWED_PORTS", "9"}});
  Register("abe@example.com", "tangerine fjord pillar 23", "Abe");
  Tokens abe = Login("abe@example.com", "tangerine fjord pillar 23");
  const int created = CreatedInBurst(16, 409, [&](std::size_t i) {
    return Post("/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/h" + std::to_string(i) + "\",\"events\":[\"login.failed\"]}",
                {Bearer(abe.access)})
        .status;
  });
  EXPECT_EQ(created, 10);
  HttpResponse list = Get("/v1/webhooks", {Bearer(abe.access)});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().Find("webhooks")->AsArray().size(), 10u);
  Restart({{"BULWARK_THREADS", "2"},
           {"BULWARK_WEBHOOK_UNSAFE_ALLOW_HTTP_FOR_TESTING", ""},
           {"BULWARK_WEBHOOK_UNSAFE_ALLOW_LOOPBACK_FOR_TESTING", ""},
           {"BULWARK_WEBHOOK_ALLOWED_PORTS", ""}});
}

// API keys had no per-account limit: any number of keys could be made, one
// after another or in a parallel burst. At most kMaxApiKeysPerAccount (25)
// active keys now; one more is a 409 until one is revoked.
TEST_P(ServiceE2E, ApiKeysPerAccountAreLimited) {
  Register("kim@example.com", "saffron trellis canyon 41", "Kim");
  Tokens kim = Login("kim@example.com", "saffron trellis canyon 41");
  std::string first_id;
  for (int i = 0; i < 25; ++i) {
    HttpResponse r = Post("/v1/api-keys", "{\"name\":\"k" + std::to_string(i) + "\",\"scopes\":[\"me:read\"]}",
                          {Bearer(kim.access)});
    ASSERT_EQ(r.status, 201) << i << ": " << r.body;
    if (i == 0) first_id = r.Str("id");
  }
  HttpResponse over = Post("/v1/api-keys", R"({"name":"one too many","scopes":["me:read"]})", {Bearer(kim.access)});
  EXPECT_EQ(over.status, 409) << over.body;
  EXPECT_NE(over.body.find("API key limit"), std::string::npos) << over.body;
  EXPECT_EQ(over.body.find("\"key\""), std::string::npos) << over.body;
  HttpResponse list = Get("/v1/api-keys", {Bearer(kim.access)});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().Find("api_keys")->AsArray().size(), 25u);
  // A revoked key no longer counts.
  ASSERT_EQ(Send(port_, "DELETE", "/v1/api-keys/" + first_id, {Bearer(kim.access)}).status, 204);
  EXPECT_EQ(Post("/v1/api-keys", R"({"name":"replacement","scopes":["me:read"]})", {Bearer(kim.access)}).status, 201);
  EXPECT_EQ(Post("/v1/api-keys", R"({"name":"again too many","scopes":["me:read"]})", {Bearer(kim.access)}).status, 409);
  // The limit is per account.
  Register("lou@example.com", "pewter orchard lantern 58", "Lou");
  Tokens lou = Login("lou@example.com", "pewter orchard lantern 58");
  EXPECT_EQ(Post("/v1/api-keys", R"({"name":"lou's","scopes":["me:read"]})", {Bearer(lou.access)}).status, 201);
}

// Parallel API key creations: the count and the insert are one transaction
// under the owner's row lock, so a burst cannot overshoot the limit.
TEST_P(ServiceE2E, ConcurrentApiKeyCreationsStayWithinTheLimit) {
  Restart({{"BULWARK_THREADS", "8"}});
  Register("max@example.com", "juniper beacon falcon 36", "Max");
  Tokens max = Login("max@example.com", "juniper beacon falcon 36");
  const int created = CreatedInBurst(40, 409, [&](std::size_t i) {
    return Post("/v1/api-keys", "{\"name\":\"burst" + std::to_string(i) + "\",\"scopes\":[\"me:read\"]}",
                {Bearer(max.access)})
        .status;
  });
  EXPECT_EQ(created, 25);
  HttpResponse list = Get("/v1/api-keys", {Bearer(max.access)});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().Find("api_keys")->AsArray().size(), 25u);
  Restart({{"BULWARK_THREADS", "2"}});
}

// Sign-ins with the old password racing a password change: a sign-in that
// checked the old hash before the change but stored its session or refresh
// family after the change ended them all kept a working session (a refresh
// token that still refreshed). Sessions, families and API keys are now
// inserted under the account's row lock, only if the credentials version
// is still the one the sign-in saw. Whatever the interleaving, nothing made
// with the old password works after the change.
TEST_P(ServiceE2E, SignInsRacingAPasswordChangeDoNotSurviveIt) {
  Restart({{"BULWARK_THREADS", "8"}, {"BULWARK_TRUSTED_PROXIES", "127.0.0.1/32"}});
  for (int round = 0; round < 3; ++round) {
    const std::string email = "race" + std::to_string(round) + "@example.com";
    const std::string pw = "cobblestone zephyr lagoon 7" + std::to_string(round);
    Register(email, pw, "Race");
    Tokens changer = Login(email, pw);
    struct Got {
      int status = 0;
      std::string access, refresh, cookie, key;
    };
    std::vector<Got> got(7);
    int change_status = 0;
    std::vector<std::thread> threads;
    threads.emplace_back([&] {
      change_status = Post("/v1/me/password",
                           "{\"current_password\":" + JsonStr(pw) + ",\"new_password\":\"quartz meadow ember 9" +
                               std::to_string(round) + "\"}",
                           {Bearer(changer.access)})
                          .status;
    });
    for (std::size_t i = 0; i < got.size(); ++i) {
      threads.emplace_back([&, i] {
        const std::pair<std::string, std::string> from{"X-Forwarded-For",
                                                        "198.51.100." + std::to_string(10 * round + i + 1)};
        const std::string body = "{\"email\":" + JsonStr(email) + ",\"password\":" + JsonStr(pw) + "}";
        if (i % 3 == 0) {
          HttpResponse r = Post("/v1/sessions", body, {from});
          got[i].status = r.status;
          std::string set_cookie = r.Header("set-cookie");
          got[i].cookie = set_cookie.substr(0, set_cookie.find(';'));
        } else if (i % 3 == 1) {
          HttpResponse r = Post("/v1/tokens", body, {from});
          got[i].status = r.status;
          got[i].access = r.Str("access_token");
          got[i].refresh = r.Str("refresh_token");
        } else {
          HttpResponse r = Post("/v1/api-keys", R"({"name":"raced","scopes":["me:read"]})", {Bearer(changer.access)});
          got[i].status = r.status;
          got[i].key = r.Str("key");
        }
      });
    }
    for (std::thread& t : threads) t.join();
    ASSERT_EQ(change_status, 200) << "round " << round;
    for (const Got& g : got) {
      if (!g.cookie.empty()) {
        EXPECT_EQ(Get("/v1/me", {{"Cookie", g.cookie}}).status, 401) << "round " << round << ": a session survived";
      }
      if (!g.refresh.empty()) {
        EXPECT_EQ(Get("/v1/me", {Bearer(g.access)}).status, 401) << "round " << round;
        HttpResponse r = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(g.refresh) + "}");
        EXPECT_EQ(r.status, 401) << "round " << round << ": a refresh family of the old password survived";
      }
      if (!g.key.empty()) {
        EXPECT_EQ(Get("/v1/me", {ApiKey(g.key)}).status, 401) << "round " << round << ": an API key survived";
      }
    }
  }
  Restart({{"BULWARK_THREADS", "2"}, {"BULWARK_TRUSTED_PROXIES", ""}});
}

// The web form's sign-in racing a password change: a sign-in that checked
// the old password before the change and then lost at the session insert
// (the account changed) answered 503, "try again", where the JSON API
// answers 401. It is now the sign-in page's generic failure with 401, and
// no session of the old password survives. (The interleaving is not under
// the test's control: sign-ins are repeated until the change has finished,
// so some of them straddle it.)
TEST_P(ServiceE2E, WebSignInsRacingAPasswordChangeAre401Not503) {
  Restart({{"BULWARK_THREADS", "8"}, {"BULWARK_TRUSTED_PROXIES", "127.0.0.1/32"}});
  for (int round = 0; round < 3; ++round) {
    const std::string email = "webrace" + std::to_string(round) + "@example.com";
    const std::string pw = "marigold quarry ribbon 5" + std::to_string(round);
    Register(email, pw, "Web Race");
    Tokens changer = Login(email, pw);
    std::atomic<bool> changed{false};
    int change_status = 0;
    std::mutex mu;
    std::vector<int> statuses;
    std::vector<std::string> cookies;
    std::vector<std::thread> threads;
    threads.emplace_back([&] {
      change_status = Post("/v1/me/password",
                           "{\"current_password\":" + JsonStr(pw) + ",\"new_password\":\"sorrel beacon tundra 4" +
                               std::to_string(round) + "\"}",
                           {Bearer(changer.access)})
                          .status;
      changed = true;
    });
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        for (int attempt = 0; attempt < 12; ++attempt) {
          const bool last = changed.load();
          const std::pair<std::string, std::string> from{
              "X-Forwarded-For", "203.0.113." + std::to_string(60 * round + 12 * i + attempt % 12 + 1)};
          HttpResponse r = Send(port_, "POST", "/login",
                                {{"Content-Type", "application/x-www-form-urlencoded"}, from},
                                "email=webrace" + std::to_string(round) + "%40example.com&password=marigold+quarry+ribbon+5" +
                                    std::to_string(round),
                                true);
          std::string set_cookie = r.Header("set-cookie");
          std::lock_guard<std::mutex> lock(mu);
          statuses.push_back(r.status);
          if (r.status == 303) cookies.push_back(set_cookie.substr(0, set_cookie.find(';')));
          if (last) break;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    ASSERT_EQ(change_status, 200) << "round " << round;
    for (int st : statuses) {
      EXPECT_TRUE(st == 303 || st == 401 || st == 429) << "round " << round << ": status " << st;
    }
    for (const std::string& cookie : cookies) {
      EXPECT_EQ(Get("/v1/me", {{"Cookie", cookie}}).status, 401) << "round " << round << ": a session survived";
    }
  }
  Restart({{"BULWARK_THREADS", "2"}, {"BULWARK_TRUSTED_PROXIES", ""}});
}

// Sign-ins with an old backup code racing POST /v1/mfa/backup-codes: a
// sign-in that redeemed its code before the replacement but stored its
// session or refresh family after the replacement ended the other sessions
// kept them; the credentials version did not move, so the check under the
// row lock did not see the change. Replacing the codes now moves cv. (The
// interleaving is not under the test's control; the deterministic check is
// in WholeFlowWithBoundariesAndAudit: the caller's own access token stops.)
TEST_P(ServiceE2E, BackupCodeSignInsRacingARegenerationDoNotSurviveIt) {
  Restart({{"BULWARK_THREADS", "8"}, {"BULWARK_TRUSTED_PROXIES", "127.0.0.1/32"}});
  for (int round = 0; round < 3; ++round) {
    const std::string email = "coderace" + std::to_string(round) + "@example.com";
    const std::string pw = "hazel cinder monsoon 2" + std::to_string(round);
    Register(email, pw, "Code Race");
    Tokens mine = Login(email, pw);
    HttpResponse enrol = Post("/v1/mfa/totp", "{\"password\":" + JsonStr(pw) + "}", {Bearer(mine.access)});
    ASSERT_EQ(enrol.status, 200) << enrol.body;
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    HttpResponse confirm = Post("/v1/mfa/totp/confirm", "{\"code\":\"" + Totp(enrol.Str("secret"), now) + "\"}",
                                {Bearer(mine.access)});
    ASSERT_EQ(confirm.status, 200) << confirm.body;
    const JsonValue confirm_json = confirm.Json();
    std::vector<std::string> codes;
    for (const JsonValue& c : confirm_json.Find("backup_codes")->AsArray()) codes.push_back(c.AsString());
    ASSERT_GE(codes.size(), 3u);
    const std::size_t signins = std::min<std::size_t>(codes.size() - 1, 6);
    struct Got {
      int status = 0;
      std::string access, refresh, cookie;
    };
    std::vector<Got> got(signins);
    int regen_status = 0;
    std::vector<std::thread> threads;
    threads.emplace_back([&] {
      regen_status = Post("/v1/mfa/backup-codes",
                          "{\"password\":" + JsonStr(pw) + ",\"backup_code\":" + JsonStr(codes[0]) + "}",
                          {Bearer(mine.access)})
                         .status;
    });
    for (std::size_t i = 0; i < signins; ++i) {
      threads.emplace_back([&, i] {
        const std::pair<std::string, std::string> from{"X-Forwarded-For",
                                                        "198.51.100." + std::to_string(100 + 10 * round + i)};
        const std::string body = "{\"email\":" + JsonStr(email) + ",\"password\":" + JsonStr(pw) +
                                 ",\"backup_code\":" + JsonStr(codes[i + 1]) + "}";
        if (i % 2 == 0) {
          HttpResponse r = Post("/v1/sessions", body, {from});
          got[i].status = r.status;
          std::string set_cookie = r.Header("set-cookie");
          got[i].cookie = set_cookie.substr(0, set_cookie.find(';'));
        } else {
          HttpResponse r = Post("/v1/tokens", body, {from});
          got[i].status = r.status;
          got[i].access = r.Str("access_token");
          got[i].refresh = r.Str("refresh_token");
        }
      });
    }
    for (std::thread& t : threads) t.join();
    ASSERT_EQ(regen_status, 200) << "round " << round;
    for (const Got& g : got) {
      EXPECT_NE(g.status, 503) << "round " << round;
      if (!g.cookie.empty()) {
        EXPECT_EQ(Get("/v1/me", {{"Cookie", g.cookie}}).status, 401) << "round " << round << ": a session survived";
      }
      if (!g.refresh.empty()) {
        EXPECT_EQ(Get("/v1/me", {Bearer(g.access)}).status, 401) << "round " << round;
        HttpResponse r = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(g.refresh) + "}");
        EXPECT_EQ(r.status, 401) << "round " << round << ": a refresh family of an old code survived";
      }
    }
  }
  Restart({{"BULWARK_THREADS", "2"}, {"BULWARK_TRUSTED_PROXIES", ""}});
}

// Two password changes racing with the same old password (the owner and
// someone who has it): both passed the step-up, and both answered 200 while
// only the later one was in effect. The change is now conditional on the
// credentials version the caller was authenticated with: at most one 200,
// and that password is the account's.
TEST_P(ServiceE2E, RacingPasswordChangesTakeEffectOnlyOnce) {
  Restart({{"BULWARK_THREADS", "8"}});
  for (int round = 0; round < 4; ++round) {
    const std::string email = "twin" + std::to_string(round) + "@example.com";
    const std::string pw = "saddle comet orchard 4" + std::to_string(round);
    Register(email, pw, "Twin");
    Tokens a = Login(email, pw);
    Tokens b = Login(email, pw);
    const std::array<std::string, 2> next = {"first heron valley 1" + std::to_string(round),
                                             "second heron valley 2" + std::to_string(round)};
    std::array<int, 2> status = {0, 0};
    std::thread ta([&] {
      status[0] = Post("/v1/me/password", "{\"current_password\":" + JsonStr(pw) + ",\"new_password\":" +
                                              JsonStr(next[0]) + "}", {Bearer(a.access)}).status;
    });
    std::thread tb([&] {
      status[1] = Post("/v1/me/password", "{\"current_password\":" + JsonStr(pw) + ",\"new_password\":" +
                                              JsonStr(next[1]) + "}", {Bearer(b.access)}).status;
    });
    ta.join();
    tb.join();
    int ok = 0;
    for (int i = 0; i < 2; ++i) {
      const int login = Post("/v1/tokens", "{\"email\":" + JsonStr(email) + ",\"password\":" + JsonStr(next[i]) + "}").status;
      if (status[i] == 200) {
        ++ok;
        EXPECT_EQ(login, 200) << "round " << round << ": change " << i << " answered 200 but is not in effect";
      } else {
        EXPECT_EQ(status[i], 401) << "round " << round;
      }
    }
    EXPECT_EQ(ok, 1) << "round " << round;
  }
  Restart({{"BULWARK_THREADS", "2"}});
}

// ---- Retention ----------------------------------------------------------------------

std::string TokenHash(const std::string& token) {
  bulwark::crypto::Sha256Digest d = bulwark::crypto::Sha256(bulwark::AsBytes(token));
  return bulwark::HexEncode(bulwark::ByteView(d.data(), d.size()));
}

std::int64_t CountWhere(bulwark::db::Database& db, bulwark::db::sql::QueryFor<std::string> q,
                        const std::string& arg) {
  auto row = db.QueryRow(q, arg);
  return row.ok() ? row->Get<std::int64_t>(0).value_or(-1) : -1;
}

// Expired and revoked credentials go once their grace is over, and only
// then; what could still be used (or still turn a replay into reuse
// detection) stays. The rows are aged in the database, not by waiting.
TEST_P(ServiceE2E, RetentionPurgeDeletesOnlyWhatIsPastItsGrace) {
  const std::string email = "rhea@example.com", pw = "cobalt harbour wren 62";
  Register(email, pw, "Rhea");
  Tokens live = Login(email, pw);
  Tokens gone_family = Login(email, pw);     // revoked, expired 8 days ago: past the 7-day grace
  Tokens grace_family = Login(email, pw);    // revoked, expired 1 day ago: inside the grace
  Tokens revoked_valid = Login(email, pw);   // revoked, not expired
  Tokens rotated = Login(email, pw);         // live, rotated once
  for (const Tokens* t : {&gone_family, &grace_family, &revoked_valid}) {
    ASSERT_EQ(Post("/v1/tokens/revoke", "{\"refresh_token\":" + JsonStr(t->refresh) + "}").status, 200);
  }
  HttpResponse next = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(rotated.refresh) + "}");
  ASSERT_EQ(next.status, 200) << next.body;
  const std::string rotated_next = next.Str("refresh_token");
  Session dead = BrowserLogin(email, pw);
  Session idle = BrowserLogin(email, pw);
  Session recently_idle = BrowserLogin(email, pw);
  Session alive = BrowserLogin(email, pw);
  auto make_key = [&](const std::string& name) {
    HttpResponse k = Post("/v1/api-keys", "{\"name\":\"" + name + "\",\"scopes\":[\"me:read\"]}", {Bearer(live.access)});
    EXPECT_EQ(k.status, 201) << k.body;
    return std::pair<std::string, std::string>{k.Str("id"), k.Str("key")};
  };
  auto [old_revoked_id, old_revoked_key] = make_key("old");
  auto [recent_revoked_id, recent_revoked_key] = make_key("recent");
  auto [expired_id, expired_key] = make_key("expired");
  auto [live_id, live_key] = make_key("live");
  for (const std::string& id : {old_revoked_id, recent_revoked_id}) {
    ASSERT_EQ(Send(port_, "DELETE", "/v1/api-keys/" + id, {Bearer(live.access)}).status, 204);
  }

  auto db = OpenServiceDb();
  ASSERT_TRUE(db);
  const std::int64_t now = std::time(nullptr), day = 86400;
  auto family_of = [&](const std::string& token) {
    auto row = db->QueryRow("SELECT family_id FROM refresh_tokens WHERE hash = ?", TokenHash(token));
    return row.ok() ? row->Get<std::string>(0).value_or("") : std::string();
  };
  const std::string gone_id = family_of(gone_family.refresh), grace_id = family_of(grace_family.refresh),
                    revoked_valid_id = family_of(revoked_valid.refresh), rotated_id = family_of(rotated.refresh),
                    live_family_id = family_of(live.refresh);
  ASSERT_FALSE(gone_id.empty());
  ASSERT_TRUE(db->Execute("UPDATE refresh_families SET expires_at = ? WHERE id = ?", now - 8 * day, gone_id).ok());
  ASSERT_TRUE(db->Execute("UPDATE refresh_families SET expires_at = ? WHERE id = ?", now - day, grace_id).ok());
  ASSERT_TRUE(db->Execute("UPDATE api_keys SET revoked_at = ? WHERE id = ?", now - 31 * day, old_revoked_id).ok());
  ASSERT_TRUE(db->Execute("UPDATE api_keys SET revoked_at = ? WHERE id = ?", now - 29 * day, recent_revoked_id).ok());
  ASSERT_TRUE(db->Execute("UPDATE api_keys SET expires_at = ? WHERE id = ?", now - 31 * day, expired_id).ok());
  ASSERT_TRUE(db->Execute("UPDATE sessions SET expires_at = ? WHERE handle = ?", now - 2 * day, dead.handle).ok());
  ASSERT_TRUE(db->Execute("UPDATE sessions SET last_seen_at = ? WHERE handle = ?", now - 2 * day, idle.handle).ok());
  ASSERT_TRUE(db->Execute("UPDATE sessions SET last_seen_at = ? WHERE handle = ?", now - 7200, recently_idle.handle).ok());
  // Webhook deliveries: a finished one past 30 days goes; a newer finished
  // one and an old pending one stay.
  auto user = db->QueryRow("SELECT id FROM users WHERE email = ?", email);
  ASSERT_TRUE(user.ok());
  const std::string user_id = user->Get<std::string>(0).value_or("");
  ASSERT_TRUE(db->Execute("INSERT INTO webhooks (id, user_id, url, events, secret_sealed, created_at) "
                          "VALUES ('hook1', ?, 'https://example.com/h', 'user.updated', 'x', ?)",
                          user_id, now).ok());
  for (const auto& [id, status, updated] : std::vector<std::tuple<std::string, std::string, std::int64_t>>{
           {"d_old_done", "succeeded", now - 31 * day},
           {"d_new_failed", "failed", now - 29 * day},
           {"d_old_pending", "pending", now - 40 * day}}) {
    ASSERT_TRUE(db->Execute("INSERT INTO webhook_deliveries (id, webhook_id, user_id, event, payload, status, "
                            "next_attempt_at, created_at, updated_at) VALUES (?, 'hook1', ?, 'user.updated', "
                            "'{}', ?, ?, ?, ?)",
                            id, user_id, status, now + 3600, updated, updated).ok());
  }
  auto audit_state = [&] {
    auto row = db->QueryRow("SELECT COUNT(*), MAX(seq) FROM bulwark_audit_log");
    return row.ok() ? std::to_string(row->Get<std::int64_t>(0).value_or(-1)) + "/" +
                          std::to_string(row->Get<std::int64_t>(1).value_or(-1))
                    : std::string("error");
  };
  const std::string audit_before = audit_state();

  RunResult purge = RunBulwark({"admin", "purge"}, env_, "", scratch_);
  ASSERT_EQ(purge.exit_code, 0) << purge.output;
  EXPECT_NE(purge.output.find("purged sessions=2 refresh_families=1 refresh_tokens=1 api_keys=2 "
                              "webhook_deliveries=1"),
            std::string::npos)
      << purge.output;
  EXPECT_EQ(audit_state(), audit_before) << "the purge wrote to or deleted from the audit trail";

  auto family_rows = [&](const std::string& id) {
    return CountWhere(*db, "SELECT COUNT(*) FROM refresh_families WHERE id = ?", id);
  };
  EXPECT_EQ(family_rows(gone_id), 0);
  EXPECT_EQ(CountWhere(*db, "SELECT COUNT(*) FROM refresh_tokens WHERE family_id = ?", gone_id), 0);
  for (const std::string& id : {grace_id, revoked_valid_id, rotated_id, live_family_id}) {
    EXPECT_EQ(family_rows(id), 1) << id;
  }
  auto key_rows = [&](const std::string& id) { return CountWhere(*db, "SELECT COUNT(*) FROM api_keys WHERE id = ?", id); };
  EXPECT_EQ(key_rows(old_revoked_id), 0);
  EXPECT_EQ(key_rows(expired_id), 0);
  EXPECT_EQ(key_rows(recent_revoked_id), 1);
  EXPECT_EQ(key_rows(live_id), 1);
  auto session_rows = [&](const std::string& handle) {
    return CountWhere(*db, "SELECT COUNT(*) FROM sessions WHERE handle = ?", handle);
  };
  EXPECT_EQ(session_rows(dead.handle), 0);
  EXPECT_EQ(session_rows(idle.handle), 0);
  EXPECT_EQ(session_rows(recently_idle.handle), 1);
  EXPECT_EQ(session_rows(alive.handle), 1);
  auto delivery_rows = [&](const std::string& id) {
    return CountWhere(*db, "SELECT COUNT(*) FROM webhook_deliveries WHERE id = ?", id);
  };
  EXPECT_EQ(delivery_rows("d_old_done"), 0);
  EXPECT_EQ(delivery_rows("d_new_failed"), 1);
  EXPECT_EQ(delivery_rows("d_old_pending"), 1);

  // What stayed still works, and what went is refused.
  EXPECT_EQ(Get("/v1/me", {ApiKey(live_key)}).status, 200);
  EXPECT_EQ(Get("/v1/me", {ApiKey(old_revoked_key)}).status, 401);
  EXPECT_EQ(Get("/v1/me", {{"Cookie", alive.cookie}}).status, 200);
  EXPECT_EQ(Get("/v1/me", {{"Cookie", dead.cookie}}).status, 401);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(gone_family.refresh) + "}").status, 401);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(revoked_valid.refresh) + "}").status, 401);
  HttpResponse fresh = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(live.refresh) + "}");
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  // Reuse detection still fires for a family inside its lifetime: the
  // rotated-away token revokes the family, and its successor dies with it.
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(rotated.refresh) + "}").status, 401);
  EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(rotated_next) + "}").status, 401);
  auto reason = db->QueryRow("SELECT revoked_reason FROM refresh_families WHERE id = ?", rotated_id);
  ASSERT_TRUE(reason.ok());
  EXPECT_EQ(reason->Get<std::string>(0).value_or(""), "reuse detected");
  EXPECT_EQ(CountWhere(*db, "SELECT COUNT(*) FROM bulwark_audit_log WHERE action = ?", "refresh.reuse_detected"), 1);

  // A second purge finds nothing; the audit chain is intact.
  RunResult again = RunBulwark({"admin", "purge"}, env_, "", scratch_);
  EXPECT_NE(again.output.find("purged sessions=0 refresh_families=0 refresh_tokens=0 api_keys=0 "
                              "webhook_deliveries=0"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(RunBulwark({"audit", "verify"}, env_, "", scratch_).exit_code, 0);
}

// `bulwark serve` purges on its own timer (shortly after start, then every
// retention interval), claiming the run so only one instance purges.
TEST_P(ServiceE2E, ServeRunsTheRetentionPurge) {
  Register("seth@example.com", "mosaic tundra heron 19", "Seth");
  Tokens t = Login("seth@example.com", "mosaic tundra heron 19");
  HttpResponse k = Post("/v1/api-keys", R"({"name":"old","scopes":["me:read"]})", {Bearer(t.access)});
  ASSERT_EQ(k.status, 201);
  const std::string id = k.Str("id");
  ASSERT_EQ(Send(port_, "DELETE", "/v1/api-keys/" + id, {Bearer(t.access)}).status, 204);
  StopServer();
  {
    auto db = OpenServiceDb();
    ASSERT_TRUE(db);
    const std::int64_t now = std::time(nullptr);
    ASSERT_TRUE(db->Execute("UPDATE api_keys SET revoked_at = ? WHERE id = ?", now - 31 * 86400, id).ok());
    // The previous start claimed the current interval; make it look old.
    ASSERT_TRUE(db->Execute("UPDATE maintenance_runs SET last_started_at = ? WHERE name = ?", std::int64_t{0},
                            std::string("retention")).ok());
  }
  StartServer();
  // The operator log says when the purge is done.
  bool logged = false;
  for (int i = 0; i < 300 && !logged; ++i) {
    logged = ReadFile(err_path_).find("retention: purged") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(logged) << "the server did not purge: " << ReadFile(err_path_);
  auto db = OpenServiceDb();
  ASSERT_TRUE(db);
  EXPECT_EQ(CountWhere(*db, "SELECT COUNT(*) FROM api_keys WHERE id = ?", id), 0);
  auto claimed = db->QueryRow("SELECT last_started_at FROM maintenance_runs WHERE name = ?", std::string("retention"));
  ASSERT_TRUE(claimed.ok());
  EXPECT_GT(claimed->Get<std::int64_t>(0).value_or(0), 0);
}

// The claim is a compare-and-set: of many instances ticking at once, one
// purges per interval.
TEST_P(ServiceE2E, OneInstanceClaimsEachPurgeInterval) {
  bulwark::service::Config config;
  const std::int64_t now = std::time(nullptr);
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto db = OpenServiceDb();
      ASSERT_TRUE(db);
      auto claimed = bulwark::service::ClaimPurgeRun(*db, config, now + 2 * 3600);
      ASSERT_TRUE(claimed.ok()) << claimed.error().ToString();
      if (*claimed) won.fetch_add(1);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  auto db = OpenServiceDb();
  ASSERT_TRUE(db);
  // Within the interval nobody claims; after it, one does again.
  EXPECT_FALSE(*bulwark::service::ClaimPurgeRun(*db, config, now + 2 * 3600 + 3599));
  EXPECT_TRUE(*bulwark::service::ClaimPurgeRun(*db, config, now + 2 * 3600 + 3600));
}

// Purges running concurrently with each other and with sign-ins, rotations,
// key creations and sessions: every expired row goes exactly once (the
// counts add up to what was seeded), and nothing live is lost.
TEST_P(ServiceE2E, ConcurrentPurgesAndTrafficLoseNothing) {
  auto db = OpenServiceDb();
  ASSERT_TRUE(db);
  const std::int64_t now = std::time(nullptr), day = 86400;
  Register("old@example.com", "velvet quarry ibis 73", "Old");
  auto owner = db->QueryRow("SELECT id FROM users WHERE email = ?", std::string("old@example.com"));
  ASSERT_TRUE(owner.ok());
  const std::string owner_id = owner->Get<std::string>(0).value_or("");
  constexpr int kKeys = 120, kFamilies = 40, kTokensPerFamily = 3, kSessions = 60;
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_TRUE(db->Execute("INSERT INTO api_keys (id, user_id, name, secret_hash, scopes, created_at, revoked_at) "
                            "VALUES (?, ?, 'seed', 'x', 'me:read', ?, ?)",
                            "seedkey" + std::to_string(i), owner_id, now - 90 * day, now - 40 * day).ok());
  }
  for (int i = 0; i < kFamilies; ++i) {
    const std::string fam = "seedfam" + std::to_string(i);
    ASSERT_TRUE(db->Execute("INSERT INTO refresh_families (id, user_id, created_at, expires_at, revoked_at) "
                            "VALUES (?, ?, ?, ?, ?)",
                            fam, owner_id, now - 60 * day, now - 10 * day, now - 50 * day).ok());
    for (int g = 0; g < kTokensPerFamily; ++g) {
      ASSERT_TRUE(db->Execute("INSERT INTO refresh_tokens (hash, family_id, generation, issued_at) VALUES (?, ?, ?, ?)",
                              fam + "-" + std::to_string(g), fam, std::int64_t{g}, now - 60 * day).ok());
    }
  }
  for (int i = 0; i < kSessions; ++i) {
    ASSERT_TRUE(db->Execute("INSERT INTO sessions (id_hash, handle, user_id, auth_level, label, created_at, "
                            "last_seen_at, expires_at) VALUES (?, ?, ?, 1, 'seed', ?, ?, ?)",
                            "seedsess" + std::to_string(i), "seedhandle" + std::to_string(i), owner_id,
                            now - 10 * day, now - 10 * day, now - 9 * day).ok());
  }

  // Traffic: each client its own account, within the per-account limits.
  constexpr int kClients = 3, kRounds = 4;
  struct Client {
    std::string email, pw;
    std::vector<std::string> refresh, keys, cookies;
  };
  std::vector<Client> clients(kClients);
  for (int c = 0; c < kClients; ++c) {
    clients[c].email = "live" + std::to_string(c) + "@example.com";
    clients[c].pw = "amber signal fjord 5" + std::to_string(c);
    Register(clients[c].email, clients[c].pw, "Live");
  }
  std::atomic<bool> traffic_done{false};
  std::atomic<std::int64_t> sessions{0}, families{0}, tokens{0}, keys{0};
  std::atomic<int> purge_errors{0};
  bulwark::service::Config config;
  std::vector<std::thread> purgers;
  for (int p = 0; p < 3; ++p) {
    purgers.emplace_back([&] {
      auto own = OpenServiceDb();
      if (!own) {
        purge_errors.fetch_add(1);
        return;
      }
      do {
        auto counts = bulwark::service::PurgeExpired(*own, config, now, /*batch=*/7);
        if (!counts.ok()) {
          ADD_FAILURE() << counts.error().ToString();
          purge_errors.fetch_add(1);
          return;
        }
        sessions += counts->sessions;
        families += counts->refresh_families;
        tokens += counts->refresh_tokens;
        keys += counts->api_keys;
      } while (!traffic_done.load());
    });
  }
  std::vector<std::thread> traffic;
  for (int c = 0; c < kClients; ++c) {
    traffic.emplace_back([&, c] {
      Client& me = clients[c];
      for (int r = 0; r < kRounds; ++r) {
        Tokens t = Login(me.email, me.pw);
        HttpResponse rot = Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(t.refresh) + "}");
        EXPECT_EQ(rot.status, 200) << rot.body;
        me.refresh.push_back(rot.Str("refresh_token"));
        HttpResponse k = Post("/v1/api-keys", R"({"name":"k","scopes":["me:read"]})", {Bearer(t.access)});
        EXPECT_EQ(k.status, 201) << k.body;
        me.keys.push_back(k.Str("key"));
        me.cookies.push_back(BrowserLogin(me.email, me.pw).cookie);
      }
    });
  }
  for (std::thread& t : traffic) t.join();
  traffic_done.store(true);
  for (std::thread& t : purgers) t.join();
  ASSERT_EQ(purge_errors.load(), 0);

  EXPECT_EQ(sessions.load(), kSessions);
  EXPECT_EQ(families.load(), kFamilies);
  EXPECT_EQ(tokens.load(), kFamilies * kTokensPerFamily);
  EXPECT_EQ(keys.load(), kKeys);
  EXPECT_EQ(CountWhere(*db, "SELECT COUNT(*) FROM api_keys WHERE user_id = ?", owner_id), 0);
  EXPECT_EQ(CountWhere(*db, "SELECT COUNT(*) FROM refresh_families WHERE user_id = ?", owner_id), 0);
  EXPECT_EQ(CountWhere(*db, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", owner_id), 0);
  for (const Client& me : clients) {
    for (const std::string& refresh : me.refresh) {
      EXPECT_EQ(Post("/v1/tokens/refresh", "{\"refresh_token\":" + JsonStr(refresh) + "}").status, 200);
    }
    for (const std::string& key : me.keys) EXPECT_EQ(Get("/v1/me", {ApiKey(key)}).status, 200);
    for (const std::string& cookie : me.cookies) EXPECT_EQ(Get("/v1/me", {{"Cookie", cookie}}).status, 200);
  }
  EXPECT_EQ(RunBulwark({"audit", "verify"}, env_, "", scratch_).exit_code, 0);
}

// Retention settings are checked at start like the others: negative, huge,
// non-numeric and too-frequent values stop `bulwark serve` (and the purge
// command) with a message naming the setting, never echoing the value.
TEST_P(ServiceE2E, RefusesBadRetentionSettings) {
  std::map<std::string, std::string> env = env_;
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"BULWARK_RETENTION_API_KEYS_SECONDS", "-1"},
           {"BULWARK_RETENTION_SESSIONS_SECONDS", "1e9zz"},
           {"BULWARK_RETENTION_REFRESH_FAMILIES_SECONDS", "99999999999999999999999"},
           {"BULWARK_RETENTION_WEBHOOK_DELIVERIES_SECONDS", "315360001"},
           {"BULWARK_RETENTION_INTERVAL_SECONDS", "0"},
           {"BULWARK_RETENTION_INTERVAL_SECONDS", " 3600"}}) {
    std::map<std::string, std::string> bad = env;
    bad[name] = value;
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"serve", "--listen", "127.0.0.1:0"}, std::vector<std::string>{"admin", "purge"}}) {
      RunResult r = RunBulwark(args, bad, "", scratch_);
      EXPECT_EQ(r.exit_code, 2) << name << "=" << value << ": " << r.output;
      EXPECT_NE(r.output.find(name), std::string::npos) << r.output;
      EXPECT_EQ(r.output.find("serving on"), std::string::npos) << r.output;
    }
  }
  std::string config = scratch_ + "/retention.toml";
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"[retention]\napi_keys_seconds = -5\n", "retention.api_keys_seconds"},
           {"[retention]\nsessions_seconds = \"forever\"\n", "retention.sessions_seconds"},
           {"[retention]\nrefresh_families_seconds = 1.5\n", "retention.refresh_families_seconds"},
           {"[retention]\nwebhook_deliveries_seconds = 9223372036854775807\n", "retention.webhook_deliveries_seconds"},
           {"[retention]\ninterval_seconds = 59\n", "retention.interval_seconds"},
           {"[retention]\naudit_log_seconds = 60\n", "unknown setting"}}) {
    { std::ofstream(config) << "listen = \"127.0.0.1:0\"\n" << text; }
    ::chmod(config.c_str(), 0600);
    RunResult r = RunBulwark({"serve", "--config", config}, env, "", scratch_);
    EXPECT_EQ(r.exit_code, 2) << text;
    EXPECT_NE(r.output.find(expected), std::string::npos) << r.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ServiceE2E, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace