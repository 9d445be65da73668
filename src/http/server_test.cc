// The server over loopback: keep-alive, timeouts (slowloris), connection
// cap, graceful shutdown. Timeouts are configured short so this stays fast.
#include "bulwark/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "bulwark/http/testing.h"
#include "test_client.h"

namespace bulwark::http {
namespace {

using namespace std::chrono_literals;
using testing::TestConn;

Router MakeRouter(std::atomic<int>* slow_started = nullptr) {
  Router r;
  r.Get("/hello", [](Request&) { return Response::Json(200, R"({"ok":true})"); });
  r.Get("/slow", [slow_started](Request&) {
    if (slow_started) slow_started->store(1);
    std::this_thread::sleep_for(300ms);
    return Response::Text(200, "slow done");
  });
  r.Get("/overrun", [](Request&) {
    std::this_thread::sleep_for(150ms);
    return Response::Text(200, "late");
  });
  r.Get("/held", [](Request&) {
    Response res = Response::Text(429, "held");
    res.set_delay(10s);  // capped by max_response_delay
    return res;
  });
  r.Post("/upload", [](Request& req) { return Response::Text(200, std::to_string(req.body_size())); },
         RouteOptions{.consumes = {"application/octet-stream"}});
  return r;
}

struct Running {
  explicit Running(ServerOptions options, std::atomic<int>* slow_started = nullptr)
      : app(MakeRouter(slow_started), Chain()) {
    options.port = 0;
    auto created = Server::Create(std::move(options), app);
    EXPECT_TRUE(created.ok());
    server = std::move(created).value();
    thread = std::thread([this] { server->Run(); });
  }
  ~Running() {
    server->Stop();
    thread.join();
  }
  App app;
  std::unique_ptr<Server> server;
  std::thread thread;
};

ServerOptions ShortTimeouts() {
  ServerOptions o;
  o.threads = 2;
  o.limits.header_timeout = 300ms;
  o.limits.body_timeout = 300ms;
  o.limits.idle_timeout = 400ms;
  o.limits.shutdown_timeout = 2000ms;
  return o;
}

TEST(Server, ServesKeepAliveRequests) {
  Running s(ShortTimeouts());
  TestConn c(s.server->port());
  ASSERT_TRUE(c.ok());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string res = c.ReadResponse();
    EXPECT_NE(res.find("HTTP/1.1 200 OK"), std::string::npos) << res;
    EXPECT_NE(res.find("{\"ok\":true}"), std::string::npos);
  }
}

TEST(Server, IdleKeepAliveConnectionClosedAfterTimeout) {
  Running s(ShortTimeouts());
  TestConn c(s.server->port());
  ASSERT_TRUE(c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_FALSE(c.ReadResponse().empty());
  EXPECT_TRUE(c.WaitClosed(2000ms));
}

TEST(Server, SlowlorisHeadersCutOffOthersStillServed) {
  Running s(ShortTimeouts());
  TestConn slow(s.server->port());
  ASSERT_TRUE(slow.Send("GET /hello HTTP/1.1\r\n"));
  auto start = std::chrono::steady_clock::now();
  // Trickle a header byte every 50 ms: each read is quick, the whole head is not.
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    if (!slow.Send("X")) closed = true;
    std::this_thread::sleep_for(50ms);
    TestConn other(s.server->port());
    ASSERT_TRUE(other.Send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    EXPECT_NE(other.ReadResponse().find("200 OK"), std::string::npos);
    if (slow.WaitClosed(1ms)) closed = true;
  }
  EXPECT_TRUE(closed || slow.WaitClosed(1000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
}

TEST(Server, SlowBodyCutOff) {
  Running s(ShortTimeouts());
  TestConn slow(s.server->port());
  ASSERT_TRUE(slow.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                        "Content-Length: 1000\r\n\r\n"));
  for (int i = 0; i < 20; ++i) {
    if (!slow.Send("a")) break;
    std::this_thread::sleep_for(50ms);
    if (slow.WaitClosed(1ms)) break;
  }
  EXPECT_TRUE(slow.WaitClosed(1000ms));
}

TEST(Server, SilentConnectionClosed) {
  Running s(ShortTimeouts());
  TestConn c(s.server->port());
  EXPECT_TRUE(c.WaitClosed(1500ms));
}

TEST(Server, ConnectionCap) {
  ServerOptions o = ShortTimeouts();
  o.threads = 1;
  o.limits.max_connections = 2;
  o.limits.header_timeout = 2000ms;
  Running s(std::move(o));
  TestConn a(s.server->port()), b(s.server->port());
  ASSERT_TRUE(a.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_FALSE(a.ReadResponse().empty());
  ASSERT_TRUE(b.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_FALSE(b.ReadResponse().empty());
  TestConn third(s.server->port());
  EXPECT_TRUE(third.WaitClosed(1000ms));
  EXPECT_EQ(s.server->connection_count(), 2u);
}

// One client address cannot take every connection: past its share, its
// new connections are closed, while the server still has room for others.
TEST(Server, ConnectionCapPerAddress) {
  ServerOptions o = ShortTimeouts();
  o.threads = 1;
  o.limits.max_connections_per_address = 2;
  o.limits.header_timeout = 2000ms;
  Running s(std::move(o));
  auto served = [](TestConn& c) {
    return c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n") && c.ReadResponse().find("200 OK") != std::string::npos;
  };
  {
    TestConn a(s.server->port()), b(s.server->port());
    ASSERT_TRUE(served(a));
    ASSERT_TRUE(served(b));
    TestConn third(s.server->port());
    EXPECT_TRUE(third.WaitClosed(1000ms)) << "a third connection from the same address";
    EXPECT_EQ(s.server->connection_count(), 2u);
  }
  // Its share comes back as its connections end.
  for (int i = 0; i < 100 && s.server->connection_count() != 0; ++i) std::this_thread::sleep_for(10ms);
  TestConn again(s.server->port());
  EXPECT_TRUE(served(again));
}

TEST(Server, ConnectionCapPerAddressExemptsListedPeers) {
  ServerOptions o = ShortTimeouts();
  o.threads = 1;
  o.limits.max_connections_per_address = 1;
  o.limits.unlimited_addresses = {"10.0.0.0/8", "127.0.0.0/8"};
  o.limits.header_timeout = 2000ms;
  Running s(std::move(o));
  TestConn a(s.server->port()), b(s.server->port()), c(s.server->port());
  for (TestConn* conn : {&a, &b, &c}) {
    ASSERT_TRUE(conn->Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_NE(conn->ReadResponse().find("200 OK"), std::string::npos);
  }
  ServerOptions bad = ShortTimeouts();
  bad.limits.unlimited_addresses = {"10.0.0.0/33"};
  App app(MakeRouter(), Chain());
  bad.port = 0;
  EXPECT_FALSE(Server::Create(std::move(bad), app).ok());
}

TEST(Server, HandlerOverrunAnswered503) {
  ServerOptions o = ShortTimeouts();
  o.limits.handler_timeout = 50ms;
  Running s(std::move(o));
  TestConn c(s.server->port());
  ASSERT_TRUE(c.Send("GET /overrun HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string res = c.ReadResponse();
  EXPECT_NE(res.find("HTTP/1.1 503"), std::string::npos) << res;
  EXPECT_EQ(res.find("late"), std::string::npos);
}

// Response::set_delay holds the answer on a timer: the held connection gets
// its answer after the (capped) delay, and the worker thread keeps serving
// other connections meanwhile (one thread, so a blocked thread would show).
TEST(Server, DelayedResponseHoldsOnlyItsConnection) {
  ServerOptions o = ShortTimeouts();
  o.threads = 1;
  o.limits.max_response_delay = 600ms;
  Running s(std::move(o));
  TestConn held(s.server->port());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(held.Send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n"));
  // Not answered yet, while another connection on the same thread is.
  EXPECT_EQ(held.ReadUntil("\r\n\r\n", 100ms), "");
  TestConn other(s.server->port());
  ASSERT_TRUE(other.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(other.ReadResponse().find("200 OK"), std::string::npos);
  std::string res = held.ReadResponse(3000ms);
  EXPECT_NE(res.find("HTTP/1.1 429"), std::string::npos) << res;
  EXPECT_NE(res.find("held"), std::string::npos);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 600ms);  // the hold happened (a lower bound, not a speed check)
  EXPECT_LT(took, 5s);     // the 10 s asked for was capped
  // The connection stays usable afterwards.
  ASSERT_TRUE(held.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(held.ReadResponse().find("200 OK"), std::string::npos);
}

TEST(Server, DelaysOffWhenCapIsZeroAndCappedInMemory) {
  ServerOptions o = ShortTimeouts();
  o.limits.max_response_delay = 0ms;
  Running s(std::move(o));
  TestConn c(s.server->port());
  ASSERT_TRUE(c.Send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(c.ReadResponse(3000ms).find("HTTP/1.1 429"), std::string::npos);
  // The in-memory path reports the hold it would apply.
  App app(MakeRouter(), Chain());
  RawExchangeOptions raw;
  raw.limits.max_response_delay = 250ms;
  RawExchangeResult r = RawExchangeForTest(
      app, "GET /held HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n", raw);
  ASSERT_EQ(r.delays.size(), 2u);
  EXPECT_EQ(r.delays[0], 250ms);
  EXPECT_EQ(r.delays[1], 0ms);
}

TEST(Server, ShutdownDuringAHoldStillAnswersThenCloses) {
  ServerOptions o = ShortTimeouts();
  o.limits.max_response_delay = 1500ms;
  auto running = std::make_unique<Running>(std::move(o));
  TestConn held(running->server->port());
  ASSERT_TRUE(held.Send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(100ms);
  running->server->Stop();
  std::string res = held.ReadResponse(3000ms);
  EXPECT_NE(res.find("HTTP/1.1 429"), std::string::npos) << res;
  // Serialized before shutdown began, so it may not say Connection: close;
  // the server closes after it all the same.
  EXPECT_TRUE(held.WaitClosed(2000ms));
  running.reset();
}

TEST(Server, GracefulShutdownDrainsInFlight) {
  std::atomic<int> started{0};
  auto running = std::make_unique<Running>(ShortTimeouts(), &started);
  TestConn busy(running->server->port());
  TestConn idle(running->server->port());
  ASSERT_TRUE(idle.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_FALSE(idle.ReadResponse().empty());
  ASSERT_TRUE(busy.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  while (started.load() == 0) std::this_thread::sleep_for(5ms);
  running->server->Stop();
  std::string res = busy.ReadResponse();
  EXPECT_NE(res.find("slow done"), std::string::npos) << res;
  EXPECT_NE(res.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(idle.WaitClosed(1000ms));
  running.reset();  // Run() returned: joined
  TestConn late(0);
  SUCCEED();
}

TEST(Server, HostileInputOverLoopbackGets4xxAndCloseOthersServed) {
  Running s(ShortTimeouts());
  const std::string hostile[] = {
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'a') + "\r\n\r\n",
      "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 99999999\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: x\r\nCookie: " + std::string(20000, 'c') + "\r\n\r\n",
      std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11),
  };
  for (const std::string& h : hostile) {
    TestConn c(s.server->port());
    ASSERT_TRUE(c.ok());
    c.Send(h);
    std::string res = c.ReadUntil("\r\n\r\n", 2000ms);
    ASSERT_GE(res.size(), 12u) << h.substr(0, 40);
    int status = std::stoi(res.substr(9, 3));
    EXPECT_GE(status, 400) << h.substr(0, 40);
    EXPECT_LT(status, 600);
    EXPECT_TRUE(c.WaitClosed(2000ms)) << h.substr(0, 40);
    TestConn ok(s.server->port());
    ASSERT_TRUE(ok.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_NE(ok.ReadResponse().find("200 OK"), std::string::npos);
  }
}

TEST(Server, BareLfHeadAnsweredPromptlyNotAtTheHeadTimeout) {
  // A client ending its head lines in LF alone never sends CRLF CRLF. It is
  // answered 400 and closed at once, well before the (long) head timeout.
  ServerOptions o = ShortTimeouts();
  o.limits.header_timeout = 10s;
  Running s(std::move(o));
  for (const std::string h : {"GET /hello HTTP/1.1\nHost: x\n\n", "GET /hello HTTP/1.1\n"}) {
    TestConn c(s.server->port());
    ASSERT_TRUE(c.ok());
    auto start = std::chrono::steady_clock::now();
    c.Send(h);
    std::string res = c.ReadUntil("\r\n\r\n", 2000ms);
    ASSERT_GE(res.size(), 12u) << h;
    EXPECT_EQ(res.substr(0, 13), "HTTP/1.1 400 ") << h;
    EXPECT_TRUE(c.WaitClosed(2000ms)) << h;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << h;
  }
}

TEST(Server, RejectsBadOptions) {
  Router r;
  App app(std::move(r), Chain());
  ServerOptions o;
  o.threads = 0;
  EXPECT_FALSE(Server::Create(o, app).ok());
  ServerOptions bad_addr;
  bad_addr.address = "not-an-ip";
  EXPECT_FALSE(Server::Create(bad_addr, app).ok());
}

}  // namespace
}  // namespace bulwark::http
