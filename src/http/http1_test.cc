// Hostile and ordinary input through the real protocol code, in memory.
#include <gtest/gtest.h>

#include <string>

#include "bulwark/http/app.h"
#include "bulwark/http/testing.h"

namespace bulwark::http {
namespace {

App& TestApp() {
  static App* app = [] {
    Router r;
    r.Get("/hello", [](Request&) { return Response::Json(200, R"({"hello":"world"})"); });
    r.Post("/echo", [](Request& req) { return Response::Text(200, std::string(req.Body().UnvalidatedValue())); },
           RouteOptions{.consumes = {"text/plain"}});
    r.Post("/small", [](Request& req) { return Response::Text(200, std::to_string(req.body_size())); },
           RouteOptions{.consumes = {"text/plain"}, .max_body_bytes = 16});
    r.Get("/inject", [](Request& req) {
      Response res = Response::Text(200, "x");
      auto v = req.QueryParam("v");
      res.SetHeader("X-Echo", v ? v->UnvalidatedValue() : "");
      return res;
    });
    r.Get("/framing", [](Request&) {
      Response res = Response::Text(200, "body");
      res.AddHeader("X-Before", "1");
      res.AddHeader("Content-Length", "999");
      res.AddHeader("transfer-encoding", "chunked");
      res.AddHeader("Connection", "keep-alive");
      res.AddHeader("Keep-Alive", "timeout=5");
      res.AddHeader("Upgrade", "h2c");
      res.AddHeader("Date", "yesterday");
      res.AddHeader("Server", "x");
      res.AddHeader("X-After", "2");
      return res;
    });
    return new App(std::move(r), Chain());
  }();
  return *app;
}

int FirstStatus(const std::string& out) {
  if (out.size() < 12 || out.compare(0, 9, "HTTP/1.1 ") != 0) return -1;
  return std::stoi(out.substr(9, 3));
}

RawExchangeResult Send(std::string_view raw, RawExchangeOptions o = {}) {
  return RawExchangeForTest(TestApp(), raw, o);
}

TEST(Http1, SimpleGetKeepsAlive) {
  auto r = Send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(FirstStatus(r.output), 200);
  EXPECT_FALSE(r.closed);
  EXPECT_NE(r.output.find("Content-Length: 17\r\n"), std::string::npos);
  EXPECT_EQ(r.output.find("Server:"), std::string::npos);
  EXPECT_NE(r.output.find("{\"hello\":\"world\"}"), std::string::npos);
}

// A route's own body limit applies when the head arrives: the server does
// not read (or wait for) a body the route would refuse anyway.
TEST(Http1, RouteBodyLimitAppliesBeforeTheBodyIsRead) {
  auto ok = Send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 16\r\n\r\n" +
                 std::string(16, 'x'));
  EXPECT_EQ(FirstStatus(ok.output), 200);
  // Declared too large: 413 at once, although no body byte was sent.
  auto declared = Send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 17\r\n\r\n");
  EXPECT_EQ(FirstStatus(declared.output), 413);
  EXPECT_TRUE(declared.closed);
  // Chunked: cut off once the body passes the route's limit.
  auto chunked = Send("POST /small HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n20\r\n" + std::string(32, 'x') + "\r\n0\r\n\r\n");
  EXPECT_EQ(FirstStatus(chunked.output), 413);
  // Other routes keep the server-wide limit.
  auto other = Send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n" +
                    std::string(100, 'y'));
  EXPECT_EQ(FirstStatus(other.output), 200);
}

TEST(Http1, PipelinedRequestsAnsweredInOrder) {
  std::string two = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\n\r\n";
  auto r = Send(two);
  EXPECT_EQ(r.responses, 2u);
  EXPECT_NE(r.output.find("HTTP/1.1 404"), std::string::npos);
}

TEST(Http1, PipeliningLimitClosesConnection) {
  std::string many;
  for (int i = 0; i < 40; ++i) many += "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";
  RawExchangeOptions o;
  o.limits.max_pipelined_requests = 4;
  auto r = Send(many, o);
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(r.responses, 5u);
}

TEST(Http1, HeadDropsBodyKeepsLength) {
  auto r = Send("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(FirstStatus(r.output), 200);
  EXPECT_NE(r.output.find("Content-Length: 17\r\n"), std::string::npos);
  EXPECT_EQ(r.output.find("hello"), std::string::npos);
}

TEST(Http1, BodyContentLengthAndChunked) {
  auto a = Send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(FirstStatus(a.output), 200);
  EXPECT_NE(a.output.find("\r\n\r\nhello"), std::string::npos);
  RawExchangeOptions split;
  split.chunk_size = 3;
  auto b = Send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", split);
  EXPECT_EQ(FirstStatus(b.output), 200);
  EXPECT_NE(b.output.find("\r\n\r\nhello"), std::string::npos);
}

TEST(Http1, ChunkedFinalChunkTrickledBytewise) {
  // Regression (fuzzer): the final chunk followed by trailer bytes one at a
  // time used to trip an assertion inside Beast's chunk parser.
  RawExchangeOptions o;
  o.chunk_size = 1;
  auto bad = Send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n0\r\n[1]\r\n0ooo: a\r\n\r\n", o);
  EXPECT_EQ(FirstStatus(bad.output), 400);
  auto good = Send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", o);
  EXPECT_EQ(FirstStatus(good.output), 200);
  EXPECT_NE(good.output.find("\r\n\r\nhi"), std::string::npos);
  auto trailer = Send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-T: 1\r\n\r\n", o);
  EXPECT_EQ(FirstStatus(trailer.output), 200);
}

TEST(Http1, ExpectContinue) {
  auto r = Send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(r.output, "HTTP/1.1 100 Continue\r\n\r\n");
  auto bad = Send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: something\r\n\r\nhi");
  EXPECT_EQ(FirstStatus(bad.output), 417);
}

struct Hostile {
  const char* name;
  std::string raw;
  int status;
};

class Http1Hostile : public ::testing::TestWithParam<Hostile> {};

TEST_P(Http1Hostile, RejectedCleanlyAndClosed) {
  const Hostile& h = GetParam();
  auto r = Send(h.raw);
  EXPECT_EQ(FirstStatus(r.output), h.status) << h.name << "\n" << r.output;
  EXPECT_TRUE(r.closed) << h.name;
  EXPECT_NE(r.output.find("application/problem+json"), std::string::npos) << h.name;
  EXPECT_NE(r.output.find("\"request_id\":"), std::string::npos) << h.name;
  // Rejected before any middleware, still with the protective headers (the
  // app has no SecurityHeaders: its defaults, without HSTS).
  for (const char* field : {"X-Content-Type-Options: nosniff", "Cache-Control: no-store",
                            "X-Frame-Options: DENY", "Referrer-Policy: no-referrer",
                            "Cross-Origin-Resource-Policy: same-origin", "X-XSS-Protection: 0"}) {
    EXPECT_NE(r.output.find(std::string(field) + "\r\n"), std::string::npos) << h.name << ": " << field;
  }
  EXPECT_NE(r.output.find("Content-Security-Policy: default-src 'none'; frame-ancestors 'none';"),
            std::string::npos) << h.name;
  EXPECT_EQ(r.output.find("Strict-Transport-Security"), std::string::npos) << h.name;
  EXPECT_EQ(r.output.find("Server:"), std::string::npos) << h.name;
  // Nothing of the request is echoed back.
  EXPECT_EQ(r.output.find("evil"), std::string::npos) << h.name;
}

std::string Big(std::size_t n, char c = 'a') { return std::string(n, c); }

std::string ManyHeaders(int n) {
  std::string s = "GET /hello HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < n; ++i) s += "X-H" + std::to_string(i) + ": v\r\n";
  return s + "\r\n";
}

INSTANTIATE_TEST_SUITE_P(
    Smuggling, Http1Hostile,
    ::testing::Values(
        Hostile{"cl_and_te", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        Hostile{"te_and_cl", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", 400},
        Hostile{"duplicate_cl_same", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nevil", 400},
        Hostile{"duplicate_cl_diff", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nevil!", 400},
        Hostile{"cl_list", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\nevil", 400},
        Hostile{"cl_sign", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: +4\r\n\r\nevil", 400},
        Hostile{"cl_hex", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 0x4\r\n\r\nevil", 400},
        Hostile{"te_not_chunked", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
        Hostile{"te_obfuscated", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 501},
        Hostile{"te_twice", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        Hostile{"te_space_before_colon", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400},
        Hostile{"te_http10", "POST /echo HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        Hostile{"obs_fold", "GET /hello HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  evil\r\n\r\n", 400},
        Hostile{"obs_fold_tab", "GET /hello HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tevil\r\n\r\n", 400},
        Hostile{"bare_lf", "GET /hello HTTP/1.1\r\nHost: a\nX-evil: 1\r\n\r\n", 400},
        Hostile{"bare_cr", "GET /hello HTTP/1.1\r\nHost: a\rX-evil: 1\r\n\r\n", 400},
        // A head whose lines all end in a bare LF never has a CRLF CRLF; it is
        // refused as soon as the first bare LF arrives, not left to time out.
        Hostile{"lf_only_head", "GET /hello HTTP/1.1\nHost: a\n\n", 400},
        Hostile{"lf_only_request_line", "GET /hello HTTP/1.1\n", 400},
        Hostile{"lf_only_after_crlf_line", "GET /hello HTTP/1.1\r\nHost: a\nX-evil: 1\n\n", 400},
        Hostile{"cr_only_head", "GET /hello HTTP/1.1\rHost: a\r\r", 400},
        Hostile{"nul_in_value", std::string("GET /hello HTTP/1.1\r\nHost: a\r\nX-A: ev\0il\r\n\r\n", 44), 400},
        Hostile{"no_host", "GET /hello HTTP/1.1\r\n\r\n", 400},
        Hostile{"two_hosts", "GET /hello HTTP/1.1\r\nHost: a\r\nHost: evil\r\n\r\n", 400},
        Hostile{"bad_host", "GET /hello HTTP/1.1\r\nHost: a b/evil\r\n\r\n", 400},
        Hostile{"bad_chunk_size", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nevil\r\n0\r\n\r\n", 400}));

INSTANTIATE_TEST_SUITE_P(
    Malformed, Http1Hostile,
    ::testing::Values(
        Hostile{"unknown_method", "EVIL /hello HTTP/1.1\r\nHost: a\r\n\r\n", 501},
        Hostile{"trace", "TRACE /hello HTTP/1.1\r\nHost: a\r\n\r\n", 501},
        Hostile{"lowercase_method", "get /hello HTTP/1.1\r\nHost: a\r\n\r\n", 501},
        Hostile{"absolute_target", "GET http://evil/hello HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        Hostile{"target_with_space", "GET /he llo HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        Hostile{"double_space", "GET  /hello HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        Hostile{"target_non_ascii", "GET /h\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        Hostile{"target_fragment", "GET /hello#evil HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        Hostile{"http2_version", "GET /hello HTTP/2.0\r\nHost: a\r\n\r\n", 505},
        Hostile{"garbage_version", "GET /hello HTTX/1.1\r\nHost: a\r\n\r\n", 400},
        Hostile{"no_colon", "GET /hello HTTP/1.1\r\nHost: a\r\nevil\r\n\r\n", 400},
        Hostile{"empty_name", "GET /hello HTTP/1.1\r\nHost: a\r\n: evil\r\n\r\n", 400},
        Hostile{"binary_garbage", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 evil\r\n\r\n", 20), 400},
        Hostile{"long_target", "GET /" + Big(5000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414},
        Hostile{"long_target_unterminated", "GET /" + Big(20000), 414},
        Hostile{"huge_header", "GET /hello HTTP/1.1\r\nHost: a\r\nX-Big: " + Big(20000) + "\r\n\r\n", 431},
        Hostile{"huge_cookie", "GET /hello HTTP/1.1\r\nHost: a\r\nCookie: a=" + Big(17000) + "\r\n\r\n", 431},
        Hostile{"endless_header", "GET /hello HTTP/1.1\r\nHost: a\r\nX-Big: " + Big(30000), 431},
        Hostile{"too_many_headers", ManyHeaders(100), 431},
        Hostile{"body_too_large_cl", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n", 413},
        Hostile{"body_cl_overflow", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413},
        Hostile{"chunked_too_large", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffff\r\n" + Big(100), 413}));

TEST(Http1, CrlfFromHandlerNeverSplitsResponse) {
  auto r = Send("GET /inject?v=a%0d%0aSet-Cookie:%20evil=1 HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(FirstStatus(r.output), 500);
  EXPECT_EQ(r.output.find("Set-Cookie"), std::string::npos);
  EXPECT_TRUE(r.closed);
}

// Fields the server writes itself are dropped from a handler's response
// (the wire-form fast path must not send them).
TEST(Http1, HandlerFramingFieldsAreDropped) {
  auto r = Send("GET /framing HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(FirstStatus(r.output), 200);
  const std::string head = r.output.substr(0, r.output.find("\r\n\r\n") + 2);
  EXPECT_NE(head.find("\r\nX-Before: 1\r\nX-After: 2\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nContent-Length: 4\r\n"), std::string::npos) << head;
  for (const char* gone : {"999", "chunked", "Connection", "Keep-Alive", "h2c", "yesterday",
                           "Server"}) {
    EXPECT_EQ(head.find(gone), std::string::npos) << gone;
  }
  EXPECT_TRUE(IsServerOwnedField("CONTENT-LENGTH"));
  EXPECT_FALSE(IsServerOwnedField("Content-Type"));
  Headers h;
  h.Add("X-A", "1");
  EXPECT_FALSE(h.has_server_owned_fields());
  h.Add("date", "now");
  EXPECT_TRUE(h.has_server_owned_fields());
}

TEST(Http1, SplitAtEveryByteStillParses) {
  RawExchangeOptions o;
  o.chunk_size = 1;
  auto r = Send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", o);
  EXPECT_EQ(r.responses, 2u);
  EXPECT_TRUE(r.closed);
  EXPECT_NE(r.output.find("Connection: close"), std::string::npos);
}

// A connection reuses one response buffer: a small answer after a large
// one is exactly the small answer.
TEST(Http1, SmallResponseAfterLargeOneOnTheSameConnection) {
  const std::string big(10000, 'b');
  const std::string input =
      "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n" +
      big + "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";
  RawExchangeResult r = RawExchangeForTest(TestApp(), input);
  ASSERT_EQ(r.responses, 2u);
  const std::size_t second = r.output.find("HTTP/1.1 ", 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_NE(r.output.substr(0, second).find(big), std::string::npos);
  const std::string tail = r.output.substr(second);
  EXPECT_EQ(tail.find("bbbb"), std::string::npos);
  EXPECT_NE(tail.find("Content-Length: 17\r\n"), std::string::npos);
  EXPECT_EQ(tail.substr(tail.size() - 17), R"({"hello":"world"})");
}

TEST(Http1, Http10ClosesByDefault) {
  auto r = Send("GET /hello HTTP/1.0\r\n\r\n");
  EXPECT_EQ(FirstStatus(r.output), 200);
  EXPECT_TRUE(r.closed);
}

TEST(Http1, MaxRequestsPerConnection) {
  RawExchangeOptions o;
  o.limits.max_requests_per_connection = 2;
  std::string three;
  for (int i = 0; i < 3; ++i) three += "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";
  auto r = Send(three, o);
  EXPECT_EQ(r.responses, 2u);
  EXPECT_TRUE(r.closed);
}

}  // namespace
}  // namespace bulwark::http
