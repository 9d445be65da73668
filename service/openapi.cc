// The OpenAPI 3.1 document, generated from the same ApiRoute declarations
// that the Router serves, with request schemas from validate::Schema.

#include "internal.h"

namespace bulwark::service {
namespace {

// "/v1/sessions/{id:int}" -> "/v1/sessions/{id}", and the parameter names.
std::string OpenApiPath(const std::string& path, std::vector<std::string>* params) {
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '{') {
      std::size_t close = path.find('}', i);
      std::string inner = path.substr(i + 1, close - i - 1);
      std::string name = inner.substr(0, inner.find(':'));
      params->push_back(name);
      out += "{" + name + "}";
      i = close + 1;
    } else {
      out += path[i++];
    }
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

}  // namespace

std::string Service::Impl::BuildOpenApi() const {
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, JsonValue>>>> paths;
  for (const ApiRoute& r : routes) {
    std::vector<std::string> params;
    std::string path = OpenApiPath(r.path, &params);
    std::vector<std::pair<std::string, JsonValue>> op;
    op.emplace_back("summary", J(r.summary));
    op.emplace_back("tags", JArr({J(r.tag)}));
    std::string op_id = Lower(http::MethodName(r.method));
    for (char c : path) op_id += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    op.emplace_back("operationId", J(op_id));
    if (r.access == Access::kPublic) {
      op.emplace_back("security", JArr({}));
    } else {
      std::vector<JsonValue> sec{JObj({{"session", JArr({})}}), JObj({{"bearer", JArr({})}})};
      if (!r.api_key_scope.empty()) sec.push_back(JObj({{"apiKey", JArr({J(r.api_key_scope)})}}));
      op.emplace_back("security", JArr(std::move(sec)));
      op.emplace_back("x-bulwark-access", J(r.access == Access::kAdmin ? "admin" : "user"));
    }
    std::vector<JsonValue> parameters;
    for (const std::string& p : params) {
      parameters.push_back(JObj({{"name", J(p)},
                                 {"in", J("path")},
                                 {"required", JB(true)},
                                 {"schema", JObj({{"type", J("string")}})}}));
    }
    for (const auto& [name, description] : r.query) {
      parameters.push_back(JObj({{"name", J(name)},
                                 {"in", J("query")},
                                 {"required", JB(false)},
                                 {"description", J(description)},
                                 {"schema", JObj({{"type", J("string")}})}}));
    }
    if (!parameters.empty()) op.emplace_back("parameters", JArr(std::move(parameters)));
    if (r.body != nullptr) {
      validate::Checked<Untrusted<JsonValue>> schema = validate::ParseJson(r.body->ToJsonSchema());
      JsonValue s = schema.ok() ? schema.value().UnvalidatedValue() : JsonValue::MakeObject({});
      op.emplace_back("requestBody",
                      JObj({{"required", JB(!r.body_optional)},
                            {"content", JObj({{"application/json", JObj({{"schema", std::move(s)}})}})}}));
    } else if (!r.consumes.empty()) {
      std::vector<std::pair<std::string, JsonValue>> content;
      for (const std::string& type : r.consumes) {
        JsonValue schema = type == "application/octet-stream"
                               ? JObj({{"type", J("string")}, {"format", J("binary")}})
                               : JObj({{"type", J("object")}});
        content.emplace_back(type, JObj({{"schema", std::move(schema)}}));
      }
      op.emplace_back("requestBody", JObj({{"required", JB(true)}, {"content", JObj(std::move(content))}}));
    }
    std::vector<std::pair<std::string, JsonValue>> responses;
    for (int code : r.responses) {
      std::vector<std::pair<std::string, JsonValue>> resp{
          {"description", J(std::string(http::StatusReason(code)))}};
      if (code >= 400) {
        resp.emplace_back("content", JObj({{"application/problem+json",
                                            JObj({{"schema", JObj({{"$ref", J("#/components/schemas/Problem")}})}})}}));
      } else if (code != 204 && code != 303) {
        resp.emplace_back("content", JObj({{r.produces.front(), JObj({})}}));
      }
      responses.emplace_back(std::to_string(code), JObj(std::move(resp)));
    }
    op.emplace_back("responses", JObj(std::move(responses)));

    auto it = std::find_if(paths.begin(), paths.end(), [&](const auto& p) { return p.first == path; });
    if (it == paths.end()) {
      paths.emplace_back(path, std::vector<std::pair<std::string, JsonValue>>{});
      it = paths.end() - 1;
    }
    it->second.emplace_back(Lower(http::MethodName(r.method)), JObj(std::move(op)));
  }
  std::vector<std::pair<std::string, JsonValue>> path_items;
  for (auto& [p, ops] : paths) path_items.emplace_back(p, JObj(std::move(ops)));

  JsonValue problem = JObj({{"type", J("object")},
                            {"properties", JObj({{"type", JObj({{"type", J("string")}})},
                                                 {"title", JObj({{"type", J("string")}})},
                                                 {"status", JObj({{"type", J("integer")}})},
                                                 {"detail", JObj({{"type", J("string")}})},
                                                 {"request_id", JObj({{"type", J("string")}})},
                                                 {"errors", JObj({{"type", J("array")}})}})}});
  JsonValue doc = JObj({
      {"openapi", J("3.1.0")},
      {"info", JObj({{"title", J("bulwark account service")},
                     {"version", J("0.1.0")},
                     {"description", J("Registration, sign-in, MFA, sessions, tokens, API keys, "
                                       "webhooks, file storage and audit. Errors are "
                                       "application/problem+json with a request_id.")}})},
      {"servers", JArr({JObj({{"url", J(base_url)}})})},
      {"paths", JObj(std::move(path_items))},
      {"components",
       JObj({{"schemas", JObj({{"Problem", std::move(problem)}})},
             {"securitySchemes",
              JObj({{"session", JObj({{"type", J("apiKey")},
                                      {"in", J("cookie")},
                                      {"name", J(std::string(kSessionCookie))},
                                      {"description", J("Browser session; unsafe methods also need X-CSRF-Token")}})},
                    {"bearer", JObj({{"type", J("http")}, {"scheme", J("bearer")}, {"bearerFormat", J("JWT")}})},
                    {"apiKey", JObj({{"type", J("apiKey")},
                                     {"in", J("header")},
                                     {"name", J("Authorization")},
                                     {"description", J("Authorization: ApiKey bwk_<id>_<secret>")}})}})}})},
  });
  return doc.Serialize();
}

}  // namespace bulwark::service
