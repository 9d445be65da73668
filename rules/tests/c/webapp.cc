#include <fcgiapp.h>
#include <lua.hpp>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <syslog.h>

#include <boost/archive/text_iarchive.hpp>
#include <sstream>
#include <string>

#include "bulwark/http/cookies.h"
#include "bulwark/http/response.h"

namespace http = bulwark::http;

void fastcgi_page(FCGX_Request *req) {
  const char *name = FCGX_GetParam("QUERY_STRING", req->envp);
  // ruleid: xss
  FCGX_FPrintF(req->out, "<p>Hello %s</p>", name);
  // ok: xss
  FCGX_FPrintF(req->out, "<p>Hello %s</p>", "world");
  // ruleid: xss
  FCGX_PutS(name, req->out);
}

http::Response greet(const char *query) {
  std::string who = FCGX_GetParam("HTTP_X_USER", nullptr);
  // ruleid: xss
  return http::Response::Html(200, "<h1>" + who + "</h1>");
}

http::Response greet_static() {
  // ok: xss
  return http::Response::Html(200, "<h1>hello</h1>");
}

void scripting(lua_State *L, int sock) {
  char buf[512];
  recv(sock, buf, sizeof buf - 1, 0);
  // ruleid: code-injection
  luaL_dostring(L, buf);
  // ok: code-injection
  luaL_dostring(L, "return 1");
  // ruleid: log-injection
  syslog(LOG_INFO, "request: %s", buf);
  // ok: log-injection
  syslog(LOG_INFO, "request received");
  std::string line(buf);
  // ruleid: log-injection
  spdlog::info("request: {}", line);
  // ok: log-injection
  spdlog::info("request: {}", line.size());
}

struct Settings {
  int level = 0;
  template <class Archive>
  void serialize(Archive &ar, unsigned) { ar & level; }
};

void restore(int sock) {
  char buf[4096];
  ssize_t got = recv(sock, buf, sizeof buf, 0);
  std::string data(buf, got > 0 ? static_cast<size_t>(got) : 0);
  std::istringstream in(data);
  // ruleid: unsafe-deserialization
  boost::archive::text_iarchive archive(in);
  Settings s;
  archive >> s;
  std::istringstream local("22 serialization::archive 19 0 0 1");
  // ok: unsafe-deserialization
  boost::archive::text_iarchive trusted(local);
}

std::string cookies(const std::string &token) {
  // ok: cookie-without-secure
  auto strict = http::CookieBuilder("session", token).Build();
  // ruleid: cookie-without-secure
  auto plain = http::CookieBuilder("session", token).UnsafeInsecure(Reason("local dev over http")).Build();
  return *strict + *plain;
}
