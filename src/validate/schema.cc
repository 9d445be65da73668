#include "bulwark/validate/schema.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "json_access.h"
#include "json_write.h"

namespace bulwark::validate {

// --- Rule builders ---

Rule::Rule(Type type) : type_(type) {
  if (type == Type::kString) string_ = StringRuleOptions{};
}

Rule Rule::String() { return Rule(Type::kString); }
Rule Rule::Integer() { return Rule(Type::kInteger); }
Rule Rule::Number() { return Rule(Type::kNumber); }
Rule Rule::Boolean() { return Rule(Type::kBoolean); }
Rule Rule::Array(Rule items) {
  Rule r(Type::kArray);
  r.items_ = std::make_shared<const Rule>(std::move(items));
  return r;
}
Rule Rule::Object(std::vector<Field> fields) {
  Rule r(Type::kObject);
  r.fields_ = std::move(fields);
  return r;
}

Rule Rule::Misuse(const char* what) const {
  Rule r = *this;
  if (r.misuse_ == nullptr) r.misuse_ = what;
  return r;
}

Rule Rule::Describe(std::string description) const {
  Rule r = *this;
  r.description_ = std::move(description);
  return r;
}
Rule Rule::Nullable() const {
  Rule r = *this;
  r.nullable_ = true;
  return r;
}

#define BULWARK_RULE_REQUIRE(kind, name) \
  if (type_ != Type::kind) return Misuse(name " does not apply to this type")

Rule Rule::Length(std::size_t min_code_points, std::size_t max_code_points) const {
  BULWARK_RULE_REQUIRE(kString, "Length");
  Rule r = *this;
  r.string_.min_length = min_code_points;
  r.string_.max_length = max_code_points;
  return r;
}
Rule Rule::MaxLength(std::size_t max_code_points) const {
  BULWARK_RULE_REQUIRE(kString, "MaxLength");
  Rule r = *this;
  r.string_.max_length = max_code_points;
  return r;
}
Rule Rule::WithNormalization(Normalization form) const {
  BULWARK_RULE_REQUIRE(kString, "WithNormalization");
  Rule r = *this;
  r.string_.normalization = form;
  return r;
}
Rule Rule::WithFormat(Format format) const {
  BULWARK_RULE_REQUIRE(kString, "WithFormat");
  Rule r = *this;
  r.string_.format = format;
  return r;
}
Rule Rule::WithUrlPolicy(UrlPolicy policy) const {
  BULWARK_RULE_REQUIRE(kString, "WithUrlPolicy");
  Rule r = *this;
  r.string_.url = std::move(policy);
  return r;
}
Rule Rule::Pattern(std::string re2_pattern) const {
  BULWARK_RULE_REQUIRE(kString, "Pattern");
  Rule r = *this;
  r.string_.pattern = std::move(re2_pattern);
  return r;
}
Rule Rule::OneOf(std::vector<std::string> allowed) const {
  BULWARK_RULE_REQUIRE(kString, "OneOf");
  Rule r = *this;
  r.string_.allowed = std::move(allowed);
  return r;
}
Rule Rule::AllowNewlines() const {
  BULWARK_RULE_REQUIRE(kString, "AllowNewlines");
  Rule r = *this;
  r.string_.characters.allow_newlines = true;
  return r;
}
Rule Rule::AllowBidi() const {
  BULWARK_RULE_REQUIRE(kString, "AllowBidi");
  Rule r = *this;
  r.string_.characters.allow_bidi = true;
  return r;
}
Rule Rule::AllowInvisible() const {
  BULWARK_RULE_REQUIRE(kString, "AllowInvisible");
  Rule r = *this;
  r.string_.characters.allow_invisible = true;
  return r;
}
Rule Rule::IntegerRange(std::int64_t min, std::int64_t max) const {
  BULWARK_RULE_REQUIRE(kInteger, "Range(int64, int64)");
  Rule r = *this;
  r.int_min_ = min;
  r.int_max_ = max;
  r.range_set_ = true;
  return r;
}
Rule Rule::Range(double min, double max) const {
  BULWARK_RULE_REQUIRE(kNumber, "Range(double, double)");
  Rule r = *this;
  r.num_min_ = min;
  r.num_max_ = max;
  r.range_set_ = true;
  return r;
}
Rule Rule::Items(std::size_t min_items, std::size_t max_items) const {
  BULWARK_RULE_REQUIRE(kArray, "Items");
  Rule r = *this;
  r.min_items_ = min_items;
  r.max_items_ = max_items;
  return r;
}
Rule Rule::AllowUnknownFields() const {
  BULWARK_RULE_REQUIRE(kObject, "AllowUnknownFields");
  Rule r = *this;
  r.allow_unknown_ = true;
  return r;
}
#undef BULWARK_RULE_REQUIRE

// --- compiled form ---

struct Schema::Node {
  struct CompiledField {
    std::string name;
    std::string pointer;  // "/" + RFC 6901-escaped name
    bool required;
    std::shared_ptr<const Node> node;
  };
  Rule::Type type;
  bool nullable = false;
  std::string description;
  std::optional<StringRule> string_rule;
  std::int64_t int_min = 0, int_max = 0;
  double num_min = 0, num_max = 0;
  bool range_set = false;
  std::shared_ptr<const Node> items;
  std::size_t min_items = 0, max_items = 0;
  std::vector<CompiledField> fields;
  bool allow_unknown = false;
};

namespace {

using Node = Schema::Node;

std::string PointerSegment(std::string_view name) {
  std::string out = "/";
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Error CompileError(std::string what) {
  return Error(ErrorCode::kInvalidArgument, "schema: " + std::move(what));
}
}  // namespace

// Reads Rule's private members (it is Rule's friend).
class SchemaCompiler {
 public:
  static Result<std::shared_ptr<const Node>> Compile(const Rule& rule, std::size_t depth) {
    if (rule.misuse_ != nullptr) return CompileError(rule.misuse_);
    auto node = std::make_shared<Node>();
    node->type = rule.type_;
    node->nullable = rule.nullable_;
    node->description = rule.description_;
    if (!IsValidUtf8(node->description)) return CompileError("description is not valid UTF-8");
    switch (rule.type_) {
      case Rule::Type::kString: {
        Result<StringRule> sr = StringRule::Create(rule.string_);
        if (!sr.ok()) return CompileError(sr.error().message());
        node->string_rule.emplace(std::move(sr).value());
        break;
      }
      case Rule::Type::kInteger:
        if (rule.int_min_ > rule.int_max_) return CompileError("integer range min > max");
        node->int_min = rule.int_min_;
        node->int_max = rule.int_max_;
        node->range_set = rule.range_set_;
        break;
      case Rule::Type::kNumber:
        if (!std::isfinite(rule.num_min_) || !std::isfinite(rule.num_max_) ||
            rule.num_min_ > rule.num_max_) {
          return CompileError("number range must be finite with min <= max");
        }
        node->num_min = rule.num_min_;
        node->num_max = rule.num_max_;
        node->range_set = rule.range_set_;
        break;
      case Rule::Type::kBoolean: break;
      case Rule::Type::kArray: {
        if (depth + 1 > Schema::kMaxSchemaDepth) return CompileError("nested too deeply");
        if (rule.min_items_ > rule.max_items_) return CompileError("array min_items > max_items");
        if (rule.items_ == nullptr) return CompileError("array without an item rule");
        BULWARK_ASSIGN_OR_RETURN(node->items, Compile(*rule.items_, depth + 1));
        node->min_items = rule.min_items_;
        node->max_items = rule.max_items_;
        break;
      }
      case Rule::Type::kObject: {
        if (depth + 1 > Schema::kMaxSchemaDepth) return CompileError("nested too deeply");
        std::unordered_set<std::string> names;
        for (const Field& f : rule.fields_) {
          if (f.name().empty() || !IsValidUtf8(f.name())) {
            return CompileError("field names must be non-empty UTF-8");
          }
          ViolationCode ignored;
          if (!CheckCharacters(f.name(), CharacterPolicy{}, &ignored)) {
            return CompileError("field names must not contain control characters");
          }
          if (!names.insert(f.name()).second) return CompileError("duplicate field name");
          Node::CompiledField cf;
          cf.name = f.name();
          cf.pointer = PointerSegment(f.name());
          cf.required = f.required();
          BULWARK_ASSIGN_OR_RETURN(cf.node, Compile(f.rule(), depth + 1));
          node->fields.push_back(std::move(cf));
        }
        node->allow_unknown = rule.allow_unknown_;
        break;
      }
    }
    return std::shared_ptr<const Node>(std::move(node));
  }
};

namespace {

std::string_view TypeNoun(Rule::Type type) {
  switch (type) {
    case Rule::Type::kString: return "must be a string";
    case Rule::Type::kInteger: return "must be an integer";
    case Rule::Type::kNumber: return "must be a number";
    case Rule::Type::kBoolean: return "must be a boolean";
    case Rule::Type::kArray: return "must be an array";
    case Rule::Type::kObject: return "must be an object";
  }
  return "has the wrong type";
}

std::string FormatDouble(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  if (ec != std::errc()) return "0";
  return std::string(buf, static_cast<std::size_t>(end - buf));
}

class Validator {
 public:
  explicit Validator(ValidationReport* report) : report_(report) {}

  // Returns false if a violation was found in this subtree.
  bool Visit(const Node& node, const JsonValue& in, JsonValue* out) {
    if (in.is_null() && node.nullable) {
      *out = JsonValue::Null();
      return true;
    }
    switch (node.type) {
      case Rule::Type::kString: return VisitString(node, in, out);
      case Rule::Type::kInteger: return VisitInteger(node, in, out);
      case Rule::Type::kNumber: return VisitNumber(node, in, out);
      case Rule::Type::kBoolean:
        if (!in.is_bool()) return WrongType(node);
        *out = in;
        return true;
      case Rule::Type::kArray: return VisitArray(node, in, out);
      case Rule::Type::kObject: return VisitObject(node, in, out);
    }
    return WrongType(node);
  }

 private:
  bool Report(ViolationCode code, std::string message) {
    report_->Add(path_, code, std::move(message));
    return false;
  }
  bool WrongType(const Node& node) {
    return Report(ViolationCode::kWrongType, std::string(TypeNoun(node.type)));
  }

  bool VisitString(const Node& node, const JsonValue& in, JsonValue* out) {
    if (!in.is_string()) return WrongType(node);
    std::string value;
    ViolationCode code;
    std::string message;
    if (!node.string_rule->CheckRaw(in.AsString(), &value, &code, &message)) {
      return Report(code, std::move(message));
    }
    *out = JsonValue::String(std::move(value));
    return true;
  }

  bool VisitInteger(const Node& node, const JsonValue& in, JsonValue* out) {
    if (in.is_double()) return Report(ViolationCode::kNotAnInteger, "must be an integer");
    if (!in.is_int()) return WrongType(node);
    const std::int64_t v = in.AsInt();
    if (v < node.int_min) {
      return Report(ViolationCode::kTooSmall, "must be at least " + std::to_string(node.int_min));
    }
    if (v > node.int_max) {
      return Report(ViolationCode::kTooLarge, "must be at most " + std::to_string(node.int_max));
    }
    *out = in;
    return true;
  }

  bool VisitNumber(const Node& node, const JsonValue& in, JsonValue* out) {
    if (!in.is_number()) return WrongType(node);
    const double v = in.AsDouble();
    if (v < node.num_min) {
      return Report(ViolationCode::kTooSmall, "must be at least " + FormatDouble(node.num_min));
    }
    if (v > node.num_max) {
      return Report(ViolationCode::kTooLarge, "must be at most " + FormatDouble(node.num_max));
    }
    *out = in;
    return true;
  }

  bool VisitArray(const Node& node, const JsonValue& in, JsonValue* out) {
    if (!in.is_array()) return WrongType(node);
    const JsonValue::Array& items = in.AsArray();
    if (items.size() < node.min_items) {
      return Report(ViolationCode::kTooFewItems,
                    "must have at least " + std::to_string(node.min_items) + " items");
    }
    if (items.size() > node.max_items) {
      return Report(ViolationCode::kTooManyItems,
                    "must have at most " + std::to_string(node.max_items) + " items");
    }
    JsonValue::Array result;
    result.reserve(items.size());
    bool ok = true;
    const std::size_t base = path_.size();
    for (std::size_t i = 0; i < items.size(); ++i) {
      path_.push_back('/');
      path_.append(std::to_string(i));
      result.emplace_back();
      ok = Visit(*node.items, items[i], &result.back()) && ok;
      path_.resize(base);
      if (report_->truncated()) return false;
    }
    if (ok) *out = JsonValue::MakeArray(std::move(result));
    return ok;
  }

  bool VisitObject(const Node& node, const JsonValue& in, JsonValue* out) {
    if (!in.is_object()) return WrongType(node);
    const JsonValue::Object& members = in.AsObject();
    // Small fixed-size "seen" set: objects have few fields.
    std::vector<bool> seen(node.fields.size(), false);
    JsonValue::Object result;
    result.reserve(members.size());
    bool ok = true;
    bool unknown = false;
    const std::size_t base = path_.size();
    for (const JsonMember& m : members) {
      std::size_t index = node.fields.size();
      for (std::size_t i = 0; i < node.fields.size(); ++i) {
        if (node.fields[i].name == m.key) {
          index = i;
          break;
        }
      }
      if (index == node.fields.size()) {
        if (node.allow_unknown) {
          result.push_back(m);
        } else {
          unknown = true;
        }
        continue;
      }
      seen[index] = true;
      const Node::CompiledField& field = node.fields[index];
      path_ += field.pointer;
      result.push_back(JsonMember{field.name, JsonValue()});
      ok = Visit(*field.node, m.value, &result.back().value) && ok;
      path_.resize(base);
      if (report_->truncated()) return false;
    }
    if (unknown) {
      // Reported at the object: the unknown name is input and is not echoed.
      ok = Report(ViolationCode::kUnknownField, "must not contain unknown fields") && ok;
    }
    for (std::size_t i = 0; i < node.fields.size(); ++i) {
      if (!seen[i] && node.fields[i].required) {
        path_ += node.fields[i].pointer;
        ok = Report(ViolationCode::kRequired, "is required") && ok;
        path_.resize(base);
      }
    }
    if (ok) *out = JsonParserAccess::MakeObjectUnchecked(std::move(result));
    return ok;
  }

  ValidationReport* report_;
  std::string path_;
};

// --- JSON Schema output ---

void AppendKey(std::string* out, std::string_view key) {
  internal::AppendJsonString(out, key);
  out->push_back(':');
}

void WriteJsonSchema(const Node& node, std::string* out) {
  out->push_back('{');
  std::string_view type;
  switch (node.type) {
    case Rule::Type::kString: type = "string"; break;
    case Rule::Type::kInteger: type = "integer"; break;
    case Rule::Type::kNumber: type = "number"; break;
    case Rule::Type::kBoolean: type = "boolean"; break;
    case Rule::Type::kArray: type = "array"; break;
    case Rule::Type::kObject: type = "object"; break;
  }
  AppendKey(out, "type");
  if (node.nullable) {
    out->append("[");
    internal::AppendJsonString(out, type);
    out->append(",\"null\"]");
  } else {
    internal::AppendJsonString(out, type);
  }
  if (!node.description.empty()) {
    out->push_back(',');
    AppendKey(out, "description");
    internal::AppendJsonString(out, node.description);
  }
  switch (node.type) {
    case Rule::Type::kString: {
      const StringRuleOptions& o = node.string_rule->options();
      if (o.min_length > 0) {
        out->append(",\"minLength\":" + std::to_string(o.min_length));
      }
      out->append(",\"maxLength\":" + std::to_string(o.max_length));
      std::string_view format = FormatName(o.format);
      if (!format.empty()) {
        out->append(",\"format\":");
        internal::AppendJsonString(out, format);
      }
      std::vector<std::string> patterns;
      if (o.format == Format::kIdentifier) patterns.push_back("^[A-Za-z][A-Za-z0-9_]{0,63}$");
      if (o.format == Format::kSlug) patterns.push_back("^(?=.{1,64}$)[a-z0-9]+(-[a-z0-9]+)*$");
      if (!o.pattern.empty()) patterns.push_back("^(?:" + o.pattern + ")$");
      if (patterns.size() == 1) {
        out->append(",\"pattern\":");
        internal::AppendJsonString(out, patterns[0]);
      } else if (patterns.size() == 2) {
        out->append(",\"allOf\":[{\"pattern\":");
        internal::AppendJsonString(out, patterns[0]);
        out->append("},{\"pattern\":");
        internal::AppendJsonString(out, patterns[1]);
        out->append("}]");
      }
      if (o.format == Format::kIp) {
        out->append(",\"anyOf\":[{\"format\":\"ipv4\"},{\"format\":\"ipv6\"}]");
      }
      if (!o.allowed.empty()) {
        out->append(",\"enum\":[");
        for (std::size_t i = 0; i < o.allowed.size(); ++i) {
          if (i > 0) out->push_back(',');
          internal::AppendJsonString(out, o.allowed[i]);
        }
        if (node.nullable) out->append(",null");
        out->push_back(']');
      }
      break;
    }
    case Rule::Type::kInteger:
      if (node.range_set) {
        out->append(",\"minimum\":" + std::to_string(node.int_min));
        out->append(",\"maximum\":" + std::to_string(node.int_max));
      }
      break;
    case Rule::Type::kNumber:
      if (node.range_set) {
        out->append(",\"minimum\":" + FormatDouble(node.num_min));
        out->append(",\"maximum\":" + FormatDouble(node.num_max));
      }
      break;
    case Rule::Type::kBoolean: break;
    case Rule::Type::kArray:
      out->append(",\"items\":");
      WriteJsonSchema(*node.items, out);
      if (node.min_items > 0) out->append(",\"minItems\":" + std::to_string(node.min_items));
      out->append(",\"maxItems\":" + std::to_string(node.max_items));
      break;
    case Rule::Type::kObject: {
      out->append(",\"properties\":{");
      bool first = true;
      for (const Node::CompiledField& f : node.fields) {
        if (!first) out->push_back(',');
        first = false;
        AppendKey(out, f.name);
        WriteJsonSchema(*f.node, out);
      }
      out->append("},\"required\":[");
      first = true;
      for (const Node::CompiledField& f : node.fields) {
        if (!f.required) continue;
        if (!first) out->push_back(',');
        first = false;
        internal::AppendJsonString(out, f.name);
      }
      out->append("],\"additionalProperties\":");
      out->append(node.allow_unknown ? "true" : "false");
      break;
    }
  }
  out->push_back('}');
}

}  // namespace

Result<Schema> Schema::Compile(const Rule& root) {
  BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<const Node> node, SchemaCompiler::Compile(root, 0));
  return Schema(std::move(node));
}

Checked<Valid<JsonValue>> Schema::Validate(Untrusted<JsonValue> document) const {
  ValidationReport report;
  Result<Valid<JsonValue>> valid = bulwark::Validate(
      std::move(document), [&](const JsonValue& in) -> Result<JsonValue> {
        Validator validator(&report);
        JsonValue out;
        if (!validator.Visit(*root_, in, &out)) {
          return Error(ErrorCode::kInvalidArgument, "document failed validation");
        }
        return out;
      });
  if (!valid.ok()) return Checked<Valid<JsonValue>>::Failure(std::move(report));
  return Checked<Valid<JsonValue>>::Success(std::move(valid).value());
}

Checked<Valid<JsonValue>> Schema::ValidateBody(std::string_view body,
                                               const JsonLimits& limits) const {
  Checked<Untrusted<JsonValue>> parsed = ParseJson(body, limits);
  if (!parsed.ok()) return Checked<Valid<JsonValue>>::Failure(std::move(parsed).report());
  return Validate(std::move(parsed).value());
}

std::string Schema::ToJsonSchema(bool include_dollar_schema) const {
  std::string out;
  WriteJsonSchema(*root_, &out);
  if (include_dollar_schema) {
    out.insert(1, "\"$schema\":\"http://json-schema.org/draft-07/schema#\",");
  }
  return out;
}

}  // namespace bulwark::validate
