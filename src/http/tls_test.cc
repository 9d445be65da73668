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
#include <thread>

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
  TlsServer() {
    Pem pem = SelfSigned();
    auto tls = std::make_shared<TlsOptions>();
    tls->certificate_chain_pem = pem.cert;
    tls->private_key_pem = SecretString::Adopt(std::move(pem.key));
    ServerOptions o;
    o.port = 0;
    o.tls = tls;
    o.limits.header_timeout = 500ms;
    SecureDefaultsOptions d;
    d.access_log.sink = [](std::string_view) {};
    Router r;
    r.Get("/hello", [](Request& req) {
      return Response::Json(200, req.context().secure ? R"({"tls":true})" : R"({"tls":false})");
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
    char buf[4096];
    int n;
    while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0) out.append(buf, static_cast<std::size_t>(n));
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
