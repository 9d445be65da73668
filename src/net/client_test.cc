#include "bulwark/net/client.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "src/net/testing/test_server.h"

namespace bulwark::net {
namespace {

using testing::ReceivedRequest;
using testing::TestConnectProxy;
using testing::TestHttpServer;
using testing::TestPki;
using namespace std::chrono_literals;

const TestPki& Pki() {
  static const TestPki pki = TestPki::Generate();
  return pki;
}

IpAddress Ip(const char* text) { return IpAddress::Parse(text).value(); }

std::string Ok200(const ReceivedRequest& req) {
  return TestHttpServer::Respond(200, "hello " + req.method + " " + req.target + " " + req.body,
                                 {{"Content-Type", "text/plain"}, {"X-Test", "1"}});
}

// Names the test controls; "api.test" is in the test certificate.
std::shared_ptr<const Resolver> TestDns() {
  return std::make_shared<StaticResolver>(std::map<std::string, std::vector<IpAddress>>{
      {"api.test", {Ip("127.0.0.1")}},
      {"localhost", {Ip("127.0.0.1")}},
      {"wrong-name.test", {Ip("127.0.0.1")}},
      {"internal.test", {Ip("10.0.0.7")}},
      {"metadata.test", {Ip("169.254.169.254")}},
      {"metadata6.test", {Ip("fd00:ec2::254")}},
      {"mapped.test", {Ip("::ffff:127.0.0.1")}},
      {"nat64.test", {Ip("64:ff9b::a9fe:a9fe")}},
      {"multi.test", {Ip("8.8.8.8"), Ip("127.0.0.1")}},
      {"multi-private.test", {Ip("8.8.8.8"), Ip("192.168.1.1")}},
      {"rebind.test", {Ip("8.8.8.8")}},
  });
}

// Loopback allowed: the test servers live there.
DestinationPolicy LoopbackPolicy(std::uint16_t port, bool allow_http = false) {
  return DestinationPolicy::Create({.allow_http = allow_http,
                                    .allowed_ports = {port},
                                    .allow_ip_literal_hosts = true,
                                    .unsafe_allowed_networks = {"127.0.0.0/8"}})
      .value();
}

// Like a production policy: nothing private, but the test port allowed.
DestinationPolicy StrictPolicy(std::uint16_t port, bool allow_http = false) {
  return DestinationPolicy::Create(
             {.allow_http = allow_http, .allowed_ports = {port}, .allow_ip_literal_hosts = true})
      .value();
}

Client MakeClient(DestinationPolicy policy, ClientOptions options = {}) {
  if (options.ca_bundle_pem.empty()) options.ca_bundle_pem = Pki().ca_pem;
  return Client::Create(std::move(policy), std::move(options), TestDns()).value();
}

std::string Url(const char* scheme, const char* host, std::uint16_t port, const char* path = "/") {
  return std::string(scheme) + "://" + host + ":" + std::to_string(port) + path;
}

TEST(ClientTest, HttpsGetWithCustomCa) {
  TestHttpServer server(Ok200, &Pki());
  Client client = MakeClient(LoopbackPolicy(server.port()));
  Result<Response> r = client.Send({.url = Url("https", "api.test", server.port(), "/x?y=1")});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello GET /x?y=1 ");
  EXPECT_EQ(r->FindHeader("X-TEST").value_or(""), "1");
  EXPECT_EQ(r->remote_address, "127.0.0.1");
  EXPECT_EQ(r->redirects, 0);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].HeaderValue("host"), "api.test:" + std::to_string(server.port()));
}

TEST(ClientTest, PostPutPatchDeleteCarryBodies) {
  TestHttpServer server(Ok200, &Pki());
  Client client = MakeClient(LoopbackPolicy(server.port()));
  const std::string url = Url("https", "api.test", server.port(), "/hook");
  for (Method m : {Method::kPost, Method::kPut, Method::kPatch}) {
    Result<Response> r = client.Send({.method = m,
                                      .url = url,
                                      .headers = {{"Content-Type", "application/json"},
                                                  {"X-Signature", "t=1,v1=abc"}},
                                      .body = "{\"a\":1}"});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_TRUE(r->body.ends_with("{\"a\":1}"));
  }
  ASSERT_TRUE(client.Send({.method = Method::kDelete, .url = url}).ok());
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[1].method, "PUT");
  EXPECT_EQ(reqs[2].method, "PATCH");
  EXPECT_EQ(reqs[3].method, "DELETE");
  EXPECT_EQ(reqs[0].HeaderValue("x-signature"), "t=1,v1=abc");
  EXPECT_FALSE(reqs[0].HasHeader("expect"));
}

TEST(ClientTest, TlsIsAlwaysVerified) {
  TestHttpServer server(Ok200, &Pki());
  // The system store does not know the test CA.
  Client system_store = Client::Create(LoopbackPolicy(server.port()), {}, TestDns()).value();
  auto r = system_store.Send({.url = Url("https", "api.test", server.port())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  // A name the certificate does not carry.
  Client client = MakeClient(LoopbackPolicy(server.port()));
  r = client.Send({.url = Url("https", "wrong-name.test", server.port())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  // A different CA.
  TestPki other = TestPki::Generate();
  Client other_ca = MakeClient(LoopbackPolicy(server.port()), {.ca_bundle_pem = other.ca_pem});
  EXPECT_FALSE(other_ca.Send({.url = Url("https", "api.test", server.port())}).ok());
}

TEST(ClientTest, SpkiPinning) {
  TestHttpServer server(Ok200, &Pki());
  Client pinned =
      MakeClient(LoopbackPolicy(server.port()),
                 {.pinned_spki_sha256 = {Pki().leaf_spki_sha256_base64}});
  EXPECT_TRUE(pinned.Send({.url = Url("https", "api.test", server.port())}).ok());
  Client wrong = MakeClient(LoopbackPolicy(server.port()),
                            {.pinned_spki_sha256 = {"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}});
  auto r = wrong.Send({.url = Url("https", "api.test", server.port())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
  EXPECT_FALSE(Client::Create(LoopbackPolicy(1), {.pinned_spki_sha256 = {"abc"}}, TestDns()).ok());
}

TEST(ClientTest, PlainHttpOnlyWhenThePolicyAllowsIt) {
  TestHttpServer server(Ok200);
  Client strict = MakeClient(LoopbackPolicy(server.port()));
  auto r = strict.Send({.url = Url("http", "api.test", server.port())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(server.connections(), 0);
  Client http = MakeClient(LoopbackPolicy(server.port(), /*allow_http=*/true));
  EXPECT_TRUE(http.Send({.url = Url("http", "api.test", server.port())}).ok());
}

// A loopback server that must never be reached.
class Unreachable : public ::testing::Test {
 protected:
  TestHttpServer server_{Ok200};
  Client client_ = MakeClient(StrictPolicy(server_.port(), true));
  void ExpectRefused(const std::string& url) {
    Result<Response> r = client_.Send({.url = url});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied) << url << " " << r.error().ToString();
    EXPECT_EQ(server_.connections(), 0) << url;
  }
};

TEST_F(Unreachable, LoopbackInEverySpellingIsRefused) {
  const std::uint16_t port = server_.port();
  for (const char* host : {"127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "127.1",
                           "0x7f000001", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
                           "localhost", "mapped.test", "0", "0.0.0.0"}) {
    ExpectRefused(Url("http", host, port));
  }
}

TEST_F(Unreachable, NamesResolvingToPrivateAddressesAreRefusedBeforeConnecting) {
  const std::uint16_t port = server_.port();
  for (const char* host : {"internal.test", "metadata.test", "metadata6.test", "nat64.test"}) {
    ExpectRefused(Url("http", host, port));
  }
}

TEST_F(Unreachable, AnyPrivateAnswerAmongManyIsRefused) {
  ExpectRefused(Url("http", "multi.test", server_.port()));
  ExpectRefused(Url("http", "multi-private.test", server_.port()));
}

TEST_F(Unreachable, DnsRebindingIsCaughtOnTheConnectedSocket) {
  // The name passes the DNS check with a public answer, then "rebinds" to
  // loopback for the connection: the socket check refuses it.
  client_.OverrideConnectAddressesForTest("rebind.test", {Ip("127.0.0.1")});
  ExpectRefused(Url("http", "rebind.test", server_.port()));
  client_.OverrideConnectAddressesForTest("rebind.test", {Ip("::ffff:127.0.0.1")});
  ExpectRefused(Url("http", "rebind.test", server_.port()));
  client_.OverrideConnectAddressesForTest("rebind.test", {Ip("::1")});
  ExpectRefused(Url("http", "rebind.test", server_.port()));
  client_.OverrideConnectAddressesForTest("rebind.test", {Ip("10.0.0.1"), Ip("127.0.0.1")});
  ExpectRefused(Url("http", "rebind.test", server_.port()));
}

TEST(ClientTest, ConnectTimeCheckSkipsRefusedAnswersWithoutSendingToThem) {
  // Loopback allowed, 10.0.0.1 not: the client must go to 127.0.0.1 only.
  TestHttpServer server(Ok200);
  Client client = MakeClient(LoopbackPolicy(server.port(), true));
  client.OverrideConnectAddressesForTest("rebind.test", {Ip("10.0.0.1"), Ip("127.0.0.1")});
  auto r = client.Send({.url = Url("http", "rebind.test", server.port())});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->remote_address, "127.0.0.1");
}

std::string Redirector(const std::string& location, int status = 302) {
  return TestHttpServer::Respond(status, "", {{"Location", location}});
}

TEST(ClientTest, RedirectsAreOffByDefault) {
  TestHttpServer server([](const ReceivedRequest&) { return Redirector("/elsewhere"); }, &Pki());
  Client client = MakeClient(LoopbackPolicy(server.port()));
  auto r = client.Send({.url = Url("https", "api.test", server.port())});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(r->FindHeader("location").value_or(""), "/elsewhere");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(ClientTest, RedirectsWhenEnabledAreCheckedHopByHop) {
  TestHttpServer server(
      [](const ReceivedRequest& req) {
        if (req.target == "/start") return Redirector("/next", 303);
        if (req.target == "/next") return Redirector("/final", 307);
        if (req.target == "/metadata") return Redirector("http://169.254.169.254/latest/meta-data/");
        if (req.target == "/decimal") return Redirector("https://2852039166/");
        if (req.target == "/internal") return Redirector("/x");
        if (req.target == "/loop") return Redirector("/loop");
        if (req.target == "/downgrade") return Redirector("http://api.test/");
        if (req.target == "/file") return Redirector("file:///etc/passwd");
        return Ok200(req);
      },
      &Pki());
  Client client = MakeClient(LoopbackPolicy(server.port()), {.max_redirects = 3});
  auto r = client.Send({.method = Method::kPost,
                        .url = Url("https", "api.test", server.port(), "/start"),
                        .body = "payload"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->redirects, 2);
  EXPECT_EQ(r->body, "hello GET /final ");  // 303 turned the POST into a GET
  EXPECT_EQ(r->url, Url("https", "api.test", server.port(), "/final"));

  for (const char* path : {"/metadata", "/decimal", "/downgrade"}) {
    auto refused = client.Send({.url = Url("https", "api.test", server.port(), path)});
    ASSERT_FALSE(refused.ok()) << path;
    EXPECT_EQ(refused.error().code(), ErrorCode::kPermissionDenied) << path;
  }
  auto file = client.Send({.url = Url("https", "api.test", server.port(), "/file")});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kInvalidArgument);
  auto loop = client.Send({.url = Url("https", "api.test", server.port(), "/loop")});
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(loop.error().code(), ErrorCode::kResourceExhausted);
}

TEST(ClientTest, RedirectToANameThatResolvesPrivateIsRefused) {
  TestHttpServer server([](const ReceivedRequest&) { return Redirector("https://internal.test/"); },
                        &Pki());
  DestinationPolicy policy = DestinationPolicy::Create({.allowed_ports = {server.port(), 443},
                                                        .unsafe_allowed_networks = {"127.0.0.0/8"}})
                                 .value();
  Client client = MakeClient(std::move(policy), {.max_redirects = 2});
  auto r = client.Send({.url = Url("https", "api.test", server.port())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied);
}

TEST(ClientTest, SensitiveHeadersAreDroppedWhenARedirectLeavesTheOrigin) {
  TestHttpServer target(Ok200, &Pki());
  std::uint16_t target_port = target.port();
  TestHttpServer origin(
      [target_port](const ReceivedRequest& req) {
        if (req.target == "/same") return Redirector("/done");
        return Redirector(Url("https", "api.test", target_port, "/other"));
      },
      &Pki());
  DestinationPolicy policy =
      DestinationPolicy::Create({.allowed_ports = {origin.port(), target_port},
                                 .unsafe_allowed_networks = {"127.0.0.0/8"}})
          .value();
  Client client = MakeClient(std::move(policy),
                             {.max_redirects = 2, .sensitive_headers = {"X-Api-Key"}});
  std::vector<Header> headers = {{"Authorization", "Bearer s3cr3t"},
                                 {"Cookie", "sid=1"},
                                 {"X-Api-Key", "k"},
                                 {"X-Trace", "t"}};
  auto r = client.Send({.url = Url("https", "api.test", origin.port(), "/cross"), .headers = headers});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto got = target.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_FALSE(got[0].HasHeader("authorization"));
  EXPECT_FALSE(got[0].HasHeader("cookie"));
  EXPECT_FALSE(got[0].HasHeader("x-api-key"));
  EXPECT_EQ(got[0].HeaderValue("x-trace"), "t");

  r = client.Send({.url = Url("https", "api.test", origin.port(), "/same"), .headers = headers});
  ASSERT_TRUE(r.ok());
  auto same = origin.requests();
  ASSERT_GE(same.size(), 3u);
  EXPECT_EQ(same.back().target, "/done");
  EXPECT_EQ(same.back().HeaderValue("authorization"), "Bearer s3cr3t");
}

TEST(ClientTest, OversizedResponsesAreCut) {
  TestHttpServer big([](const ReceivedRequest& req) {
    if (req.target == "/headers") {
      std::vector<std::pair<std::string, std::string>> h;
      for (int i = 0; i < 200; ++i) h.emplace_back("X-Pad-" + std::to_string(i), std::string(200, 'a'));
      return TestHttpServer::Respond(200, "", h);
    }
    if (req.target == "/unknown-length") {
      return std::string("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n") + std::string(300000, 'b');
    }
    return TestHttpServer::Respond(200, std::string(300000, 'a'));
  });
  Client client = MakeClient(LoopbackPolicy(big.port(), true),
                             {.max_response_body_bytes = 64 * 1024,
                              .max_response_header_bytes = 8 * 1024});
  for (const char* path : {"/body", "/unknown-length", "/headers"}) {
    auto r = client.Send({.url = Url("http", "api.test", big.port(), path)});
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted) << path;
  }
}

TEST(ClientTest, SlowResponsesTimeOut) {
  TestHttpServer slow(Ok200);
  slow.set_response_delay(5s);
  Client client = MakeClient(LoopbackPolicy(slow.port(), true), {.total_timeout = 300ms});
  auto start = std::chrono::steady_clock::now();
  auto r = client.Send({.url = Url("http", "api.test", slow.port())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);

  TestHttpServer trickle([](const ReceivedRequest&) {
    return TestHttpServer::Respond(200, std::string(4096, 'x'));
  });
  trickle.set_trickle(50ms);
  Client client2 = MakeClient(LoopbackPolicy(trickle.port(), true), {.total_timeout = 300ms});
  r = client2.Send({.url = Url("http", "api.test", trickle.port())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDeadlineExceeded);
}

TEST(ClientTest, RequestHeadersAreChecked) {
  Client client = MakeClient(LoopbackPolicy(443));
  const std::string url = "https://api.test/";
  for (const Header& h : std::vector<Header>{{"X-A", "a\r\nInjected: 1"},
                                             {"X-A", std::string("a\0b", 3)},
                                             {"Bad Name", "v"},
                                             {"", "v"},
                                             {"Host", "internal"},
                                             {"Transfer-Encoding", "chunked"},
                                             {"Content-Length", "5"},
                                             {"Proxy-Authorization", "x"}}) {
    auto r = client.Send({.url = url, .headers = {h}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  }
  auto body_on_get = client.Send({.url = url, .body = "x"});
  EXPECT_EQ(body_on_get.error().code(), ErrorCode::kInvalidArgument);
}

TEST(ClientTest, EnvironmentProxiesAreIgnored) {
  TestConnectProxy proxy;
  TestHttpServer server(Ok200);
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  setenv("http_proxy", proxy_url.c_str(), 1);
  setenv("HTTPS_PROXY", proxy_url.c_str(), 1);
  setenv("ALL_PROXY", proxy_url.c_str(), 1);
  Client client = MakeClient(LoopbackPolicy(server.port(), true));
  auto r = client.Send({.url = Url("http", "api.test", server.port())});
  unsetenv("http_proxy");
  unsetenv("HTTPS_PROXY");
  unsetenv("ALL_PROXY");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(proxy.connections(), 0);
}

TEST(ClientTest, ProxyTunnelsToTheVettedAddressWithoutSeeingHeaders) {
  TestConnectProxy proxy;
  TestHttpServer server(Ok200, &Pki());
  Client client = MakeClient(
      LoopbackPolicy(server.port()),
      {.proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port())});
  auto r = client.Send({.url = Url("https", "api.test", server.port()),
                        .headers = {{"Authorization", "Bearer s3cr3t"}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto heads = proxy.heads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_TRUE(heads[0].starts_with("CONNECT 127.0.0.1:" + std::to_string(server.port()) + " "))
      << heads[0];
  EXPECT_EQ(heads[0].find("s3cr3t"), std::string::npos);
  EXPECT_EQ(heads[0].find("uthorization"), std::string::npos);
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].HeaderValue("authorization"), "Bearer s3cr3t");

  // A destination that resolves privately never reaches the proxy.
  Client strict = MakeClient(
      StrictPolicy(server.port()),
      {.proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port())});
  auto refused = strict.Send({.url = Url("https", "internal.test", server.port())});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(proxy.connections(), 1);
}

TEST(ClientTest, BadOptionsAreRefused) {
  auto policy = [] { return DestinationPolicy::Create({}).value(); };
  EXPECT_FALSE(Client::Create(policy(), {.connect_timeout = 0ms}).ok());
  EXPECT_FALSE(Client::Create(policy(), {.max_response_body_bytes = 0}).ok());
  EXPECT_FALSE(Client::Create(policy(), {.max_redirects = 11}).ok());
  EXPECT_FALSE(Client::Create(policy(), {.proxy_url = "socks5://127.0.0.1:1080"}).ok());
  EXPECT_FALSE(Client::Create(policy(), {}, nullptr).ok());
  EXPECT_FALSE(Client::Create(policy(), {.user_agent = "x\r\nX-Injected: 1"}).ok());
}

TEST(ClientTest, UnknownNamesAreNotFound) {
  Client client = MakeClient(LoopbackPolicy(443));
  auto r = client.Send({.url = "https://nonexistent.test/"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
}

// A DNS server that never answers until the test says so.
class BlockedDns final : public Resolver {
 public:
  Result<std::vector<IpAddress>> Resolve(const std::string&) const override {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return released_; });
    ++finished_;
    cv_.notify_all();
    return std::vector<IpAddress>{Ip("8.8.8.8")};
  }
  void ReleaseAndWait(int lookups) const {
    std::unique_lock<std::mutex> lock(mutex_);
    released_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return finished_ == lookups; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  mutable bool released_ = false;
  mutable int finished_ = 0;
};

TEST(ResolverTest, LookupsThatHangTimeOutAndAreBounded) {
  auto dns = std::make_shared<BlockedDns>();
  std::shared_ptr<const Resolver> bounded = WithTimeout(dns, 20ms, 2);
  for (int i = 0; i < 2; ++i) {
    auto r = bounded->Resolve("slow.example");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
    EXPECT_NE(r.error().message().find("timed out"), std::string::npos);
  }
  // Both lookups are still stuck: a third is refused without another thread.
  auto third = bounded->Resolve("slow.example");
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.error().message().find("too many"), std::string::npos);
  dns->ReleaseAndWait(2);
  // Through a client: the request fails cleanly instead of hanging.
  auto dns2 = std::make_shared<BlockedDns>();
  Client client =
      *Client::Create(*DestinationPolicy::Create({}), {}, WithTimeout(dns2, 20ms, 4));
  auto sent = client.Send({.url = "https://slow.example/"});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code(), ErrorCode::kUnavailable);
  dns2->ReleaseAndWait(1);
}

TEST(ResolverTest, AnswersAndErrorsPassThrough) {
  std::shared_ptr<const Resolver> bounded = WithTimeout(TestDns(), 5s);
  auto multi = bounded->Resolve("multi.test");
  ASSERT_TRUE(multi.ok());
  EXPECT_EQ(multi->size(), 2u);
  auto missing = bounded->Resolve("nonexistent.test");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace bulwark::net
