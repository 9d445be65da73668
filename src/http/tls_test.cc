// TLS over loopback: protocol floor, ALPN, HSTS, and that plain clients and
// old protocol versions are refused. The certificate is made in the test.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/http/secure_defaults.h"
#include "bulwark/http/server.h"
#include "test_client.h"

namespace bulwark::http {
namespace {

using namespace std::chrono_literals;

struct Pem {
  std::string cert, key;
};

Pem SelfSigned() {
  EVP_PKEY* pkey = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, pkey);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509_sign(x, pkey, EVP_sha256());
  Pem pem;
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, x);
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  pem.cert.assign(data, static_cast<std::size_t>(n));
  BIO_free(b);
  b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  n = BIO_get_mem_data(b, &data);
  pem.key.assign(data, static_cast<std::size_t>(n));
  BIO_free(b);
  X509_free(x);
  EVP_PKEY_free(pkey);
  return pem;
}

struct TlsServer {
  // `tls` false: the same app over plain HTTP (for the comparison tests).
  explicit TlsServer(bool tls = true, SecureDefaultsOptions d = {}) {
    ServerOptions o;
    o.port = 0;
    if (tls) {
      Pem pem = SelfSigned();
      auto options = std::make_shared<TlsOptions>();
      options->certificate_chain_pem = pem.cert;
      options->private_key_pem = SecretString::Adopt(std::move(pem.key));
      o.tls = options;
    }
    o.limits.header_timeout = 500ms;
    o.limits.max_body_bytes = 1024;
    o.limits.handler_timeout = 50ms;
    d.access_log.sink = [](std::string_view) {};
    Router r;
    r.Get("/hello", [](Request& req) {
      return Response::Json(200, req.context().secure ? R"({"tls":true})" : R"({"tls":false})");
    });
    // Past handler_timeout: the server replaces the answer with a 503.
    r.Get("/overrun", [](Request&) {
      std::this_thread::sleep_for(150ms);
      return Response::Text(200, "late");
    });
    // A header value with CR LF: the server answers a generic 500 instead.
    r.Get("/unsendable", [](Request&) {
      Response res = Response::Text(200, "x");
      res.SetHeader("X-Echo", "a\r\nSet-Cookie: evil=1");
      return res;
    });
    app = std::make_unique<App>(std::move(r), *SecureDefaults(std::move(d)));
    auto created = Server::Create(std::move(o), *app);
    EXPECT_TRUE(created.ok());
    server = std::move(created).value();
    thread = std::thread([this] { server->Run(); });
  }
  ~TlsServer() {
    server->Stop();
    thread.join();
  }
  std::unique_ptr<App> app;
  std::unique_ptr<Server> server;
  std::thread thread;
};

// Everything the server sends on `ssl` until it closes.
std::string ReadAll(SSL* ssl) {
  std::string out;
  char buf[4096];
  int n;
  while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

// Connects with OpenSSL; returns the response (empty if the handshake failed).
std::string TlsGet(std::uint16_t port, int max_version, const char* alpn, std::string* negotiated) {
  testing::TestConn conn(port);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_max_proto_version(ctx, max_version);
  SSL_CTX_set_min_proto_version(ctx, 0);
  SSL_CTX_set_security_level(ctx, 0);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, conn.fd());
  if (alpn != nullptr) {
    SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(alpn),
                        static_cast<unsigned int>(std::strlen(alpn)));
  }
  std::string out;
  if (SSL_connect(ssl) == 1) {
    const unsigned char* proto = nullptr;
    unsigned int len = 0;
    SSL_get0_alpn_selected(ssl, &proto, &len);
    if (negotiated && proto) negotiated->assign(reinterpret_cast<const char*>(proto), len);
    std::string req = "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    SSL_write(ssl, req.data(), static_cast<int>(req.size()));
    out = ReadAll(ssl);
  }
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return out;
}

TEST(Tls, ServesHttp11WithHsts) {
  TlsServer s;
  std::string alpn;
  std::string res = TlsGet(s.server->port(), 0, "\x02h2\x08http/1.1", &alpn);
  EXPECT_NE(res.find("HTTP/1.1 200 OK"), std::string::npos) << res;
  EXPECT_NE(res.find("{\"tls\":true}"), std::string::npos);
  EXPECT_NE(res.find("Strict-Transport-Security: max-age=31536000; includeSubDomains"),
            std::string::npos);
  EXPECT_EQ(alpn, "http/1.1");
}

// Sends `raw` over a fresh connection (TLS or plain) and reads until the
// server closes it.
std::string Exchange(std::uint16_t port, bool tls, const std::string& raw) {
  testing::TestConn conn(port);
  if (!conn.ok()) return {};
  timeval tv{5, 0};  // a hung read fails the test instead of hanging it
  ::setsockopt(conn.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  if (!tls) {
    if (!conn.Send(raw)) return {};
    return conn.ReadUntil("\x01never", 5000ms);
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, conn.fd());
  std::string out;
  if (SSL_connect(ssl) == 1 && SSL_write(ssl, raw.data(), static_cast<int>(raw.size())) > 0) out = ReadAll(ssl);
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return out;
}

struct Refusal {
  const char* name;
  std::string raw;
  int status;
};

// Every kind of answer the server writes itself, without the middleware.
std::vector<Refusal> ServerWrittenAnswers() {
  const std::string host = "Host: localhost\r\n";
  return {
      {"malformed_field", "GET /hello HTTP/1.1\r\n" + host + "Bad Name: v\r\n\r\n", 400},
      {"bare_lf", "GET /hello HTTP/1.1\nHost: localhost\n\n", 400},
      {"noise", std::string("\x01\x02\x03\x04 binary\r\n\r\n"), 400},
      {"obs_fold", "GET /hello HTTP/1.1\r\n" + host + "X-A: 1\r\n  folded\r\n\r\n", 400},
      {"smuggling_cl_te",
       "POST /hello HTTP/1.1\r\n" + host +
           "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       400},
      {"smuggling_two_cl", "POST /hello HTTP/1.1\r\n" + host + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400},
      {"long_target", "GET /" + std::string(5000, 'a') + " HTTP/1.1\r\n" + host + "\r\n", 414},
      {"head_too_large", "GET /hello HTTP/1.1\r\n" + host + "X-Big: " + std::string(20000, 'a') + "\r\n\r\n", 431},
      {"too_many_fields", [&] {
         std::string r = "GET /hello HTTP/1.1\r\n" + host;
         for (int i = 0; i < 100; ++i) r += "X-H" + std::to_string(i) + ": v\r\n";
         return r + "\r\n";
       }(), 431},
      {"body_over_limit_cl", "POST /hello HTTP/1.1\r\n" + host + "Content-Length: 99999\r\n\r\n", 413},
      {"body_over_limit_chunked",
       "POST /hello HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(2048, 'a') + "\r\n0\r\n\r\n",
       413},
      {"unknown_method", "BREW /hello HTTP/1.1\r\n" + host + "\r\n", 501},
      {"unknown_coding", "POST /hello HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n", 501},
      {"http2_version", "GET /hello HTTP/2.0\r\n" + host + "\r\n", 505},
      {"bad_expect", "GET /hello HTTP/1.1\r\n" + host + "Expect: something\r\n\r\n", 417},
      {"handler_overrun", "GET /overrun HTTP/1.1\r\n" + host + "\r\n", 503},
      {"unsendable_header", "GET /unsendable HTTP/1.1\r\n" + host + "\r\n", 500},
  };
}

int Status(const std::string& res) {
  if (res.size() < 12 || res.compare(0, 9, "HTTP/1.1 ") != 0) return -1;
  return std::stoi(res.substr(9, 3));
}

// The baseline every response carries, HSTS aside.
void ExpectBaseline(const std::string& res, const char* name) {
  for (const char* field : {"\r\nX-Content-Type-Options: nosniff\r\n", "\r\nCache-Control: no-store\r\n",
                            "\r\nContent-Type: application/problem+json", "\r\nX-Request-Id: ",
                            "\r\nX-Frame-Options: DENY\r\n", "\r\nContent-Security-Policy: default-src 'none'"}) {
    EXPECT_NE(res.find(field), std::string::npos) << name << ": " << field << "\n" << res;
  }
  EXPECT_NE(res.find("\"request_id\":"), std::string::npos) << name;
  EXPECT_EQ(res.find("\r\nServer:"), std::string::npos) << name;
  EXPECT_EQ(res.find("evil"), std::string::npos) << name;
  EXPECT_EQ(res.find("late"), std::string::npos) << name;
}

TEST(Tls, EveryServerWrittenAnswerCarriesHsts) {
  TlsServer s;
  for (const Refusal& r : ServerWrittenAnswers()) {
    std::string res = Exchange(s.server->port(), true, r.raw);
    EXPECT_EQ(Status(res), r.status) << r.name << "\n" << res;
    EXPECT_NE(res.find("\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains\r\n"),
              std::string::npos)
        << r.name << "\n" << res;
    ExpectBaseline(res, r.name);
  }
}

TEST(Tls, ServerWrittenAnswersOverPlainHttpCarryNoHsts) {
  TlsServer s(false);
  for (const Refusal& r : ServerWrittenAnswers()) {
    std::string res = Exchange(s.server->port(), false, r.raw);
    EXPECT_EQ(Status(res), r.status) << r.name << "\n" << res;
    EXPECT_EQ(res.find("Strict-Transport-Security"), std::string::npos) << r.name << "\n" << res;
    ExpectBaseline(res, r.name);
  }
}

// The HSTS on server-written answers is the middleware's, as configured.
TEST(Tls, ServerWrittenHstsFollowsTheMiddlewareOptions) {
  SecureDefaultsOptions d;
  d.security_headers.hsts.max_age = std::chrono::seconds(600);
  d.security_headers.hsts.include_subdomains = false;
  d.security_headers.hsts.preload = true;
  TlsServer s(true, std::move(d));
  std::string ok = Exchange(s.server->port(), true,
                            "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  std::string refused = Exchange(s.server->port(), true, "BREW /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(Status(ok), 200);
  EXPECT_EQ(Status(refused), 501);
  for (const std::string* res : {&ok, &refused}) {
    EXPECT_NE(res->find("\r\nStrict-Transport-Security: max-age=600; preload\r\n"), std::string::npos)
        << *res;
  }

  SecureDefaultsOptions off;
  off.security_headers.hsts.enabled = false;
  TlsServer s2(true, std::move(off));
  refused = Exchange(s2.server->port(), true, "BREW /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(Status(refused), 501);
  EXPECT_EQ(refused.find("Strict-Transport-Security"), std::string::npos) << refused;
}

TEST(Tls, RefusesOldProtocolsAndH2Only) {
  TlsServer s;
  EXPECT_TRUE(TlsGet(s.server->port(), TLS1_1_VERSION, nullptr, nullptr).empty());
  EXPECT_TRUE(TlsGet(s.server->port(), 0, "\x02h2", nullptr).empty());
  EXPECT_FALSE(TlsGet(s.server->port(), TLS1_2_VERSION, nullptr, nullptr).empty());
}

TEST(Tls, PlainHttpToTlsPortIsClosed) {
  TlsServer s;
  testing::TestConn c(s.server->port());
  ASSERT_TRUE(c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(c.WaitClosed(2000ms));
  EXPECT_EQ(c.ReadUntil("HTTP/1.1 200", 10ms).find("200 OK"), std::string::npos);
}

TEST(Tls, BadKeyRefusedAtCreate) {
  Router r;
  App app(std::move(r), Chain());
  ServerOptions o;
  o.port = 0;
  o.tls = std::make_shared<TlsOptions>();
  o.tls->certificate_chain_pem = "not a cert";
  EXPECT_FALSE(Server::Create(std::move(o), app).ok());
}

}  // namespace
}  // namespace bulwark::http
