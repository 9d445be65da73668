#include "json.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace bulwark::auth::internal {
namespace {

constexpr std::size_t kParserDepth = 64;  // simdjson's own bound; ours is checked below

Error Malformed() { return Error(ErrorCode::kInvalidArgument, "malformed JSON"); }

simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p;
    if (p.allocate(64 * 1024, kParserDepth) != simdjson::SUCCESS) {
      // parse() allocates on demand; a failure here only defers the cost.
    }
    return p;
  }();
  return parser;
}

// Checks depth, member counts and duplicate names below `element`.
bool CheckTree(simdjson::dom::element element, std::size_t depth, const JsonLimits& limits) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      if (depth >= limits.max_depth) return false;
      simdjson::dom::object object = element.get_object().value_unsafe();
      if (object.size() > limits.max_members) return false;
      // Small objects (all JOSE headers, most claim sets): pairwise, no allocation.
      constexpr std::size_t kSmall = 16;
      std::string_view small[kSmall];
      std::vector<std::string_view> names;
      const bool is_small = object.size() <= kSmall;
      if (!is_small) names.reserve(object.size());
      std::size_t count = 0;
      for (simdjson::dom::key_value_pair field : object) {
        if (is_small) {
          for (std::size_t i = 0; i < count; ++i) {
            if (small[i] == field.key) return false;
          }
          small[count++] = field.key;
        } else {
          names.push_back(field.key);
        }
        if (!CheckTree(field.value, depth + 1, limits)) return false;
      }
      if (is_small) return true;
      std::sort(names.begin(), names.end());
      return std::adjacent_find(names.begin(), names.end()) == names.end();
    }
    case element_type::ARRAY: {
      if (depth >= limits.max_depth) return false;
      simdjson::dom::array array = element.get_array().value_unsafe();
      if (array.size() > limits.max_members) return false;
      for (simdjson::dom::element item : array) {
        if (!CheckTree(item, depth + 1, limits)) return false;
      }
      return true;
    }
    default:
      return true;
  }
}

ClaimValue Convert(simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::NULL_VALUE: return nullptr;
    case element_type::BOOL: return element.get_bool().value_unsafe();
    case element_type::INT64: return element.get_int64().value_unsafe();
    case element_type::UINT64: return static_cast<double>(element.get_uint64().value_unsafe());
    case element_type::DOUBLE: return element.get_double().value_unsafe();
    case element_type::STRING: return std::string(element.get_string().value_unsafe());
    case element_type::ARRAY: {
      simdjson::dom::array array = element.get_array().value_unsafe();
      std::vector<std::string> strings;
      bool all_strings = true;
      for (simdjson::dom::element item : array) {
        if (item.type() != element_type::STRING) {
          all_strings = false;
          break;
        }
        strings.emplace_back(item.get_string().value_unsafe());
      }
      if (all_strings) return strings;
      return ClaimJson{simdjson::minify(element)};
    }
    case element_type::OBJECT:
      return ClaimJson{simdjson::minify(element)};
  }
  return nullptr;
}

Result<simdjson::dom::object> ParseRoot(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error(ErrorCode::kInvalidArgument, "JSON document too large");
  }
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse from a
  // reused, padded per-thread buffer instead of allocating a copy each time.
  thread_local std::string buffer;
  if (buffer.size() < text.size() + simdjson::SIMDJSON_PADDING) {
    buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  }
  if (!text.empty()) std::memcpy(buffer.data(), text.data(), text.size());
  simdjson::dom::element root;
  if (ThreadParser().parse(buffer.data(), text.size(), false).get(root) != simdjson::SUCCESS) {
    return Malformed();
  }
  if (root.type() != simdjson::dom::element_type::OBJECT) {
    return Error(ErrorCode::kInvalidArgument, "JSON document is not an object");
  }
  if (!CheckTree(root, 0, limits)) {
    return Error(ErrorCode::kInvalidArgument,
                 "JSON document has duplicate members or exceeds depth/member limits");
  }
  return root.get_object().value_unsafe();
}

JsonObject ToObject(simdjson::dom::object object) {
  JsonObject out;
  out.reserve(object.size());
  for (simdjson::dom::key_value_pair field : object) {
    out.emplace_back(std::string(field.key), Convert(field.value));
  }
  return out;
}

}  // namespace

Result<JsonObject> ParseJsonObject(std::string_view text, const JsonLimits& limits) {
  BULWARK_ASSIGN_OR_RETURN(simdjson::dom::object root, ParseRoot(text, limits));
  return ToObject(root);
}

Result<JsonArrayOfObjects> ParseObjectArrayMember(std::string_view text, std::string_view member,
                                                  const JsonLimits& limits) {
  BULWARK_ASSIGN_OR_RETURN(simdjson::dom::object root, ParseRoot(text, limits));
  simdjson::dom::element keys;
  if (root.at_key(member).get(keys) != simdjson::SUCCESS ||
      keys.type() != simdjson::dom::element_type::ARRAY) {
    return Error(ErrorCode::kInvalidArgument, "JSON document lacks the expected array");
  }
  JsonArrayOfObjects out;
  // A named array: ranging over value_unsafe() of a temporary would dangle.
  simdjson::dom::array array;
  if (keys.get_array().get(array) != simdjson::SUCCESS) {
    return Error(ErrorCode::kInvalidArgument, "JSON document lacks the expected array");
  }
  for (simdjson::dom::element item : array) {
    if (item.type() != simdjson::dom::element_type::OBJECT) {
      return Error(ErrorCode::kInvalidArgument, "JSON array member is not an object");
    }
    out.items.push_back(ToObject(item.get_object().value_unsafe()));
  }
  return out;
}

const ClaimValue* FindMember(const JsonObject& object, std::string_view name) noexcept {
  for (const auto& [key, value] : object) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool IsValidUtf8(std::string_view text) noexcept {
  return simdjson::validate_utf8(text.data(), text.size());
}

void AppendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

Result<void> AppendJsonValue(std::string& out, const ClaimValue& value) {
  if (std::holds_alternative<std::nullptr_t>(value)) {
    out += "null";
  } else if (const bool* b = std::get_if<bool>(&value)) {
    out += *b ? "true" : "false";
  } else if (const std::int64_t* i = std::get_if<std::int64_t>(&value)) {
    out += std::to_string(*i);
  } else if (const double* d = std::get_if<double>(&value)) {
    if (!std::isfinite(*d)) return Error(ErrorCode::kInvalidArgument, "non-finite number");
    char buf[32];
    const int n = std::snprintf(buf, sizeof(buf), "%.17g", *d);
    out.append(buf, static_cast<std::size_t>(n));
  } else if (const std::string* s = std::get_if<std::string>(&value)) {
    if (!IsValidUtf8(*s)) return Error(ErrorCode::kInvalidArgument, "string is not UTF-8");
    AppendJsonString(out, *s);
  } else if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
    out.push_back('[');
    for (std::size_t k = 0; k < list->size(); ++k) {
      if (k > 0) out.push_back(',');
      if (!IsValidUtf8((*list)[k])) {
        return Error(ErrorCode::kInvalidArgument, "string is not UTF-8");
      }
      AppendJsonString(out, (*list)[k]);
    }
    out.push_back(']');
  } else {
    return Error(ErrorCode::kInvalidArgument, "raw JSON values are not written");
  }
  return Ok();
}

Result<std::string> WriteJsonObject(const JsonObject& object) {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : object) {
    if (!first) out.push_back(',');
    first = false;
    if (!IsValidUtf8(name)) return Error(ErrorCode::kInvalidArgument, "name is not UTF-8");
    AppendJsonString(out, name);
    out.push_back(':');
    BULWARK_RETURN_IF_ERROR(AppendJsonValue(out, value));
  }
  out.push_back('}');
  return out;
}

}  // namespace bulwark::auth::internal
