#include "bulwark/validate/json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "bulwark/core/check.h"
#include "bulwark/validate/strings.h"
#include "json_access.h"
#include "json_write.h"

namespace bulwark::validate {

JsonValue JsonValue::Double(double d) {
  BULWARK_CHECK(std::isfinite(d));
  return JsonValue(Data(std::in_place_index<3>, d));
}

JsonValue JsonValue::MakeObject(Object members) {
  std::vector<std::string_view> keys;
  keys.reserve(members.size());
  for (const JsonMember& m : members) keys.push_back(m.key);
  std::sort(keys.begin(), keys.end());
  BULWARK_CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());
  return JsonValue(Data(std::in_place_index<6>, std::move(members)));
}

bool JsonValue::AsBool() const {
  BULWARK_CHECK(is_bool());
  return std::get<1>(data_);
}
std::int64_t JsonValue::AsInt() const {
  BULWARK_CHECK(is_int());
  return std::get<2>(data_);
}
double JsonValue::AsDouble() const {
  BULWARK_CHECK(is_number());
  if (is_int()) return static_cast<double>(std::get<2>(data_));
  return std::get<3>(data_);
}
const std::string& JsonValue::AsString() const {
  BULWARK_CHECK(is_string());
  return std::get<4>(data_);
}
const JsonValue::Array& JsonValue::AsArray() const {
  BULWARK_CHECK(is_array());
  return std::get<5>(data_);
}
const JsonValue::Object& JsonValue::AsObject() const {
  BULWARK_CHECK(is_object());
  return std::get<6>(data_);
}

const JsonValue* JsonValue::Find(std::string_view key) const noexcept {
  if (!is_object()) return nullptr;
  for (const JsonMember& m : std::get<6>(data_)) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

bool operator==(const JsonValue& a, const JsonValue& b) { return a.data_ == b.data_; }

namespace {

void AppendDouble(std::string* out, double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  BULWARK_CHECK(ec == std::errc());
  std::string_view text(buf, static_cast<std::size_t>(end - buf));
  out->append(text);
  // Keep the value a double when read back.
  if (text.find_first_of(".eE") == std::string_view::npos) out->append(".0");
}

void Serialize(const JsonValue& v, std::string* out) {
  switch (v.kind()) {
    case JsonValue::Kind::kNull: out->append("null"); break;
    case JsonValue::Kind::kBool: out->append(v.AsBool() ? "true" : "false"); break;
    case JsonValue::Kind::kInt: out->append(std::to_string(v.AsInt())); break;
    case JsonValue::Kind::kDouble: AppendDouble(out, v.AsDouble()); break;
    case JsonValue::Kind::kString: internal::AppendJsonString(out, v.AsString()); break;
    case JsonValue::Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (const JsonValue& item : v.AsArray()) {
        if (!first) out->push_back(',');
        first = false;
        Serialize(item, out);
      }
      out->push_back(']');
      break;
    }
    case JsonValue::Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const JsonMember& m : v.AsObject()) {
        if (!first) out->push_back(',');
        first = false;
        internal::AppendJsonString(out, m.key);
        out->push_back(':');
        Serialize(m.value, out);
      }
      out->push_back('}');
      break;
    }
  }
}

struct Converter {
  const JsonLimits& limits;
  std::size_t elements = 0;
  ViolationCode code = ViolationCode::kMalformedJson;
  const char* message = "";

  bool Fail(ViolationCode c, const char* m) {
    code = c;
    message = m;
    return false;
  }

  bool CheckString(std::string_view s) {
    if (s.size() > limits.max_string_bytes) {
      return Fail(ViolationCode::kStringTooLong, "contains a string over the size limit");
    }
    if (!IsValidUtf8(s)) return Fail(ViolationCode::kInvalidUtf8, "is not valid UTF-8");
    return true;
  }

  static bool HasDuplicate(std::vector<std::string_view>& keys) {
    if (keys.size() <= 8) {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        for (std::size_t j = i + 1; j < keys.size(); ++j) {
          if (keys[i] == keys[j]) return true;
        }
      }
      return false;
    }
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
  }

  bool Convert(simdjson::dom::element e, std::size_t depth, JsonValue* out) {
    if (++elements > limits.max_elements) {
      return Fail(ViolationCode::kTooManyElements, "has too many values");
    }
    switch (e.type()) {
      case simdjson::dom::element_type::NULL_VALUE: *out = JsonValue::Null(); return true;
      case simdjson::dom::element_type::BOOL: *out = JsonValue::Bool(e.get_bool().value_unsafe()); return true;
      case simdjson::dom::element_type::INT64: *out = JsonValue::Int(e.get_int64().value_unsafe()); return true;
      case simdjson::dom::element_type::UINT64:
        return Fail(ViolationCode::kNumberOutOfRange, "contains an integer out of range");
      case simdjson::dom::element_type::DOUBLE: {
        double d = e.get_double().value_unsafe();
        if (!std::isfinite(d)) {
          return Fail(ViolationCode::kNumberOutOfRange, "contains a number out of range");
        }
        *out = JsonValue::Double(d);
        return true;
      }
      case simdjson::dom::element_type::STRING: {
        std::string_view s = e.get_string().value_unsafe();
        if (!CheckString(s)) return false;
        *out = JsonValue::String(std::string(s));
        return true;
      }
      case simdjson::dom::element_type::ARRAY: {
        if (depth + 1 > limits.max_depth) return Fail(ViolationCode::kTooDeep, "is nested too deeply");
        simdjson::dom::array array = e.get_array().value_unsafe();
        JsonValue::Array items;
        items.reserve(std::min<std::size_t>(array.size(), limits.max_elements));
        for (simdjson::dom::element item : array) {
          items.emplace_back();
          if (!Convert(item, depth + 1, &items.back())) return false;
        }
        *out = JsonValue::MakeArray(std::move(items));
        return true;
      }
      case simdjson::dom::element_type::OBJECT: {
        if (depth + 1 > limits.max_depth) return Fail(ViolationCode::kTooDeep, "is nested too deeply");
        simdjson::dom::object object = e.get_object().value_unsafe();
        const std::size_t n = object.size();
        if (n > limits.max_members) {
          return Fail(ViolationCode::kTooManyElements, "has an object with too many members");
        }
        std::vector<std::string_view> keys;
        keys.reserve(n);
        JsonValue::Object members;
        members.reserve(n);
        for (simdjson::dom::key_value_pair kv : object) {
          if (!CheckString(kv.key)) return false;
          keys.push_back(kv.key);
          members.push_back(JsonMember{std::string(kv.key), JsonValue()});
          if (!Convert(kv.value, depth + 1, &members.back().value)) return false;
        }
        if (HasDuplicate(keys)) return Fail(ViolationCode::kDuplicateKey, "has a duplicate object key");
        // Keys were checked unique just above.
        *out = JsonParserAccess::MakeObjectUnchecked(std::move(members));
        return true;
      }
    }
    return Fail(ViolationCode::kMalformedJson, "is not valid JSON");
  }
};

Checked<Untrusted<JsonValue>> ParseFailure(ViolationCode code, std::string message) {
  ValidationReport report;
  report.Add("", code, "the request body " + message);
  return Checked<Untrusted<JsonValue>>::Failure(std::move(report));
}

}  // namespace

std::string JsonValue::Serialize() const {
  std::string out;
  validate::Serialize(*this, &out);
  return out;
}

Checked<Untrusted<JsonValue>> ParseJson(std::string_view body, const JsonLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    return ParseFailure(ViolationCode::kBodyTooLarge, "is larger than allowed");
  }
  // One parser per thread: it keeps its buffers between calls. simdjson
  // checks structure, UTF-8 and number syntax; the depth it is given is one
  // more than ours so that our own (exact) check reports it.
  thread_local simdjson::dom::parser parser;
  const std::size_t depth = limits.max_depth + 1;
  if (parser.max_depth() != depth || parser.capacity() < body.size()) {
    if (parser.allocate(std::max(body.size(), parser.capacity()), depth) != simdjson::SUCCESS) {
      return ParseFailure(ViolationCode::kBodyTooLarge, "is larger than the parser can hold");
    }
  }
  simdjson::dom::element root;
  simdjson::error_code error = parser.parse(body.data(), body.size(), true).get(root);
  switch (error) {
    case simdjson::SUCCESS: break;
    case simdjson::DEPTH_ERROR: return ParseFailure(ViolationCode::kTooDeep, "is nested too deeply");
    case simdjson::UTF8_ERROR: return ParseFailure(ViolationCode::kInvalidUtf8, "is not valid UTF-8");
    case simdjson::NUMBER_ERROR:
      return ParseFailure(ViolationCode::kNumberOutOfRange,
                          "contains a malformed or out-of-range number");
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
      return ParseFailure(ViolationCode::kBodyTooLarge, "is larger than the parser can hold");
    default: return ParseFailure(ViolationCode::kMalformedJson, "is not valid JSON");
  }
  Converter converter{limits};
  JsonValue value;
  if (!converter.Convert(root, 0, &value)) {
    return ParseFailure(converter.code, converter.message);
  }
  return Checked<Untrusted<JsonValue>>::Success(Untrusted<JsonValue>(std::move(value)));
}

}  // namespace bulwark::validate
