#include "bulwark/http/response.h"

#include "util.h"

namespace bulwark::http {

std::string_view StatusReason(int status) noexcept {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: return "Unknown";
  }
}

void Response::SetBody(std::string body, std::string_view content_type) {
  body_ = std::move(body);
  headers_.Set("Content-Type", content_type);
}

Response Response::Json(int status, std::string json) {
  Response r(status);
  r.SetBody(std::move(json), "application/json");
  return r;
}

Response Response::Text(int status, std::string text) {
  Response r(status);
  r.SetBody(std::move(text), "text/plain; charset=utf-8");
  return r;
}

Response Response::Html(int status, std::string html) {
  Response r(status);
  r.SetBody(std::move(html), "text/html; charset=utf-8");
  return r;
}

Response Response::Problem(int status, std::string_view request_id, std::string_view detail) {
  std::string body;
  body.reserve(128);
  body += R"({"type":"about:blank","title":")";
  internal::AppendJsonEscaped(body, StatusReason(status));
  body += R"(","status":)";
  body += std::to_string(status);
  if (!detail.empty()) {
    body += R"(,"detail":")";
    internal::AppendJsonEscaped(body, detail);
    body += '"';
  }
  if (!request_id.empty()) {
    body += R"(,"request_id":")";
    internal::AppendJsonEscaped(body, request_id);
    body += '"';
  }
  body += '}';
  Response r(status);
  r.SetBody(std::move(body), "application/problem+json");
  return r;
}

}  // namespace bulwark::http
