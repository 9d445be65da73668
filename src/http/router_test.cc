#include "bulwark/http/router.h"

#include <gtest/gtest.h>

namespace bulwark::http {
namespace {

Response Ok(Request&) { return Response::Text(200, "ok"); }

TEST(Router, MatchesLiteralAndTypedParams) {
  Router r;
  r.Get("/users/{id:int}", Ok).Get("/users/me", Ok).Post("/users", Ok);
  auto m = r.Find(Method::kGet, "/users/42");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/users/{id:int}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].number, 42);
  auto me = r.Find(Method::kGet, "/users/me");
  ASSERT_EQ(me.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(me.route->pattern, "/users/me");
}

TEST(Router, IntParamRejectsNonCanonical) {
  Router r;
  r.Get("/n/{id:int}", Ok);
  for (const char* bad : {"/n/abc", "/n/007", "/n/+1", "/n/-0", "/n/99999999999999999999", "/n/1.0",
                          "/n/", "/n/1%00"}) {
    EXPECT_NE(r.Find(Method::kGet, bad).kind, Router::Match::Kind::kFound) << bad;
  }
  EXPECT_EQ(r.Find(Method::kGet, "/n/-5").params[0].number, -5);
  EXPECT_EQ(r.Find(Method::kGet, "/n/9223372036854775807").kind, Router::Match::Kind::kFound);
}

TEST(Router, UuidAndSlug) {
  Router r;
  r.Get("/o/{id:uuid}", Ok).Get("/p/{s:slug}", Ok);
  EXPECT_EQ(r.Find(Method::kGet, "/o/123e4567-e89b-12d3-a456-426614174000").kind,
            Router::Match::Kind::kFound);
  EXPECT_NE(r.Find(Method::kGet, "/o/123e4567e89b12d3a456426614174000").kind,
            Router::Match::Kind::kFound);
  EXPECT_EQ(r.Find(Method::kGet, "/p/hello-world-2").kind, Router::Match::Kind::kFound);
  EXPECT_NE(r.Find(Method::kGet, "/p/Hello").kind, Router::Match::Kind::kFound);
}

TEST(Router, MethodNotAllowedListsAllow) {
  Router r;
  r.Get("/a", Ok).Post("/a", Ok);
  auto m = r.Find(Method::kDelete, "/a");
  EXPECT_EQ(m.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST, OPTIONS");
  auto o = r.Find(Method::kOptions, "/a");
  EXPECT_EQ(o.kind, Router::Match::Kind::kAutoOptions);
  auto h = r.Find(Method::kHead, "/a");
  EXPECT_EQ(h.kind, Router::Match::Kind::kFound);
}

TEST(Router, RefusesTraversalAndOddPaths) {
  Router r;
  r.Get("/files/{name}", Ok).Get("/", Ok);
  EXPECT_EQ(r.Find(Method::kGet, "/").kind, Router::Match::Kind::kFound);
  EXPECT_EQ(r.Find(Method::kGet, "/files/a%20b").params[0].text, "a b");
  for (const char* bad : {"/files/..", "/files/%2e%2e", "/files/a%2fb", "/files//", "/files/a/",
                          "/files/%zz", "/files/%ff", "//files/a"}) {
    EXPECT_EQ(r.Find(Method::kGet, bad).kind, Router::Match::Kind::kNotFound) << bad;
  }
}

TEST(Router, ManySegmentsAndMixedEscapes) {
  Router r;
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += "/s" + std::to_string(i);
  r.Get(deep + "/{last}", Ok).Get("/%41/{a}/b%20c/{d}", Ok);
  auto m = r.Find(Method::kGet, deep + "/x%2Dy");
  ASSERT_EQ(m.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(m.params[0].text, "x-y");
  auto mixed = r.Find(Method::kGet, "/A/%C3%A9t%C3%A9/b%20c/plain");
  ASSERT_EQ(mixed.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(mixed.params[0].text, "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(mixed.params[1].text, "plain");
  // Raw non-ASCII (which the server never lets through) follows PercentDecode:
  // valid UTF-8 is itself, an invalid byte matches nothing.
  EXPECT_EQ(r.Find(Method::kGet, "/A/\xC3\xA9/b%20c/x").kind, Router::Match::Kind::kFound);
  EXPECT_EQ(r.Find(Method::kGet, "/A/\xFF/b%20c/x").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(r.Find(Method::kGet, deep + "/.").kind, Router::Match::Kind::kNotFound);
}

TEST(RouterDeath, DuplicateRouteAborts) {
  Router r;
  r.Get("/a/{x}", Ok);
  EXPECT_DEATH(r.Get("/a/{y}", Ok), "");
  EXPECT_DEATH(r.Get("/bad/{x:float}", Ok), "");
}

}  // namespace
}  // namespace bulwark::http
