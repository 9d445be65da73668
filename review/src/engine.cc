// Dataflow engine. See engine.h for the contract and docs/review.md for the
// semantics (what propagates, what is pruned, what a summary holds).
#include "engine.h"
#include "properties.h"
#include "regex_risk.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>

namespace bulwark::review {

void Program::AddProperties(const std::string& path, std::string_view text) {
  const std::size_t slash = path.find_last_of('/');
  auto& file = properties[slash == std::string::npos ? path : path.substr(slash + 1)];
  // Within one file a later line wins, as in Java; across files of the same
  // name a different value makes the key unknown.
  std::unordered_map<std::string, std::string> own;
  for (auto& [k, v] : ParseProperties(text)) own[k] = std::move(v);
  for (auto& [k, v] : own) {
    auto [it, fresh] = file.try_emplace(k, v);
    if (!fresh && it->second && *it->second != v) it->second.reset();
  }
}

void Program::Index() {
  by_name.clear();
  class_bases.clear();
  for (const auto& mod : modules) {
    if (!mod) continue;
    for (const auto& [cls, bases] : mod->class_bases) class_bases.emplace(BasesKey(mod->language, cls), bases);
  }
  // C++ class members by class, from every file (in file order: the first
  // declaration of a class name wins, the same for any number of jobs).
  std::unordered_map<std::string, const std::vector<std::pair<std::string, std::string>>*> members;
  for (std::uint32_t m = 0; m < modules.size(); ++m) {
    if (!modules[m]) continue;
    const auto& fns = modules[m]->functions;
    for (std::uint32_t f = 0; f < fns.size(); ++f) {
      if (fns[f].name.empty() || fns[f].is_module_body) continue;
      by_name[fns[f].name].push_back({m, f});
    }
    if (modules[m]->language == Language::kCpp) {
      for (const auto& [cls, fields] : modules[m]->class_fields) members.emplace(cls, &fields);
    }
  }
  // Methods defined outside their class's file read and write its members by
  // their bare names: those names are fields there too.
  for (auto& mod : modules) {
    if (!mod || mod->language != Language::kCpp) continue;
    std::unordered_set<std::string> done;
    for (const ir::Function& f : mod->functions) {
      if (f.cls.empty() || mod->class_fields.count(f.cls) || !done.insert(f.cls).second) continue;
      auto it = members.find(f.cls);
      if (it == members.end()) continue;
      for (const auto& [name, type] : *it->second) mod->field_types.emplace(name, type);
    }
  }
}

namespace {

using ir::ConstKind;
using ir::ExprKind;
using ir::StmtKind;

constexpr std::size_t kMaxOrigins = 6;
constexpr std::size_t kMaxConstString = 4096;
constexpr std::size_t kMaxListShape = 64;
constexpr int kMaxTraceDepth = 24;

// Stack the analysis may use below its entry point (Engine::AnalyzeModule)
// on this thread. The call depth cap (40) and the lowering's nesting bound
// (256) do not bound their product: 40 callees, each reached from inside 250
// nested calls or blocks, overflowed an 8 MB stack (a frame of Eval is 2 KB
// in a release build, 14 KB with ASan). Past kCalleeStack no further callee
// is analyzed (as past the depth cap); past kMaxStack expressions evaluate to
// unknown and statements are skipped, so even a sanitizer build ends cleanly.
constexpr std::size_t kCalleeStack = std::size_t{2} << 20;
constexpr std::size_t kMaxStack = std::size_t{5} << 20;
thread_local const char* tl_stack_anchor = nullptr;

std::size_t StackUsed() {
  const char* here = static_cast<const char*>(__builtin_frame_address(0));
  return tl_stack_anchor != nullptr && here < tl_stack_anchor ? static_cast<std::size_t>(tl_stack_anchor - here) : 0;
}

// Marks the outermost analysis entry on this thread.
class StackAnchor {
 public:
  StackAnchor() : outermost_(tl_stack_anchor == nullptr) {
    if (outermost_) tl_stack_anchor = static_cast<const char*>(__builtin_frame_address(0));
  }
  ~StackAnchor() {
    if (outermost_) tl_stack_anchor = nullptr;
  }
  StackAnchor(const StackAnchor&) = delete;
  StackAnchor& operator=(const StackAnchor&) = delete;

 private:
  bool outermost_;
};
// Parameter-like origins for a method's reads of its own fields: summary
// "parameter" kFieldBase + id is field `id` of the receiver.
constexpr std::size_t kFieldBase = std::size_t{1} << 20;
// Keys of marker facts (see Refine); no variable path starts with a control character.
constexpr std::string_view kSlashMark = "\x01slash:";
constexpr std::string_view kNoDoubleSlashMark = "\x01no//:";
// A path proven to hold no ".." / no "/": both together leave a single
// name that cannot leave the directory it is joined to.
constexpr std::string_view kNoDotDotMark = "\x01no..:";
constexpr std::string_view kNoSlashMark = "\x01no/:";
// A property name proven not to be "__proto__" / not "constructor": both
// together keep a write through it off Object.prototype.
constexpr std::string_view kNoProtoMark = "\x01no__proto__:";
constexpr std::string_view kNoCtorMark = "\x01noconstructor:";

struct Step {
  const Step* prev = nullptr;
  std::uint32_t module = 0;
  std::uint32_t line = 0, col = 0;
  std::string note;
  int depth = 0;
};

// One reason a value may be untrusted: a source kind (key >= 0) or a
// parameter of the function being summarized (key = -(index + 1)).
struct Origin {
  int key = 0;
  std::uint32_t safe = 0;  // sink kinds this flow was sanitized for
  std::uint32_t normalized = 0;  // sink kinds it was normalized for (safe once a containment check holds)
  // Sink kinds it does not reach until it is built into a larger string
  // (ParamSource::built_only; for parameters, tracked so a summary knows).
  std::uint32_t unbuilt = 0;
  // Sink kinds a fixed start makes it safe for, though it is not on its own:
  // a path proven free of ".." cannot climb out of a constant directory
  // it is appended to ("/srv/data/" + name), but can name any file alone.
  std::uint32_t anchored = 0;
  const Step* step = nullptr;
};

struct Value {
  std::vector<Origin> o;
  ConstKind ck = ConstKind::kUnset;
  std::string s;
  std::int64_t i = 0;
  std::shared_ptr<const std::vector<Value>> list;  // known elements (constant indices)
  // Sink kinds for which this non-constant string's start is a program
  // constant that fixes where it points ("https://api.example.com/?q=" + x
  // cannot choose the host; "/search?q=" + x stays on this site).
  std::uint32_t fixed_start = 0;
  // C/C++: a pointer to (or an array of) a buffer of `cap` bytes from where
  // it points (-1: unknown), made by `cap_kind` (BufferKind); `array`: the
  // variable is the array itself, so sizeof gives `cap`.
  std::int64_t cap = -1;
  std::uint8_t cap_kind = 0;
  std::uint8_t elem = 0;  // bytes per element when the buffer's type says (0: unknown)
  bool array = false;
  // C text in a buffer: at most this many characters before a NUL (-1:
  // unknown); an integer: at most this (-1: unknown; strlen of such text).
  std::int64_t len_max = -1;
  std::int64_t ub = -1;
  // A pointer moved before the start of its buffer (buf - 8).
  bool before_start = false;
  // C/C++: the memory this pointer points at was given back (free, delete)
  // on every path here.
  bool freed = false;
  // The parameter (index) this value is an unchanged copy of, or -1: what a
  // function releases or uses through it is what its caller passed
  // (FreedUse). Origins cannot say this: `new T[n]` carries n's origin.
  std::int16_t pointer_param = -1;
  // C/C++: where the memory this pointer points at comes from (the same on
  // every path; Memory::kUnknown otherwise).
  Memory memory = Memory::kUnknown;
  // C/C++: returned by an allocation that gives NULL when it fails
  // (malloc) on some path here, and not checked since.
  bool maybe_null = false;
  // C/C++: a check on this path proved it is not NULL (`if (p != NULL)`),
  // so a read through a parameter here does not fail on a caller's NULL.
  bool not_null = false;
  // A number as input gave it: a source's value or a numeric parse of one
  // (atoi, Integer.parseInt, rand()), copied but not computed with. Only
  // such numbers are judged for wrap-around (integer-overflow rules):
  // sizes and counts derived from input are everywhere in real code.
  bool parsed_number = false;
  // C/C++: a local declared without a value and not assigned since, on
  // every path here (ir::Stmt::uninitialized).
  bool uninit = false;
  // A function literal or nested def of this module (index into
  // Module::functions) the variable holds, or -1: calling it runs it where
  // it can see the variables it captures (CallLocalFunction).
  std::int32_t func = -1;

  bool IsConst() const { return ck != ConstKind::kUnset; }
  bool SameConst(const Value& b) const {
    if (ck != b.ck) return false;
    if (ck == ConstKind::kString) return s == b.s;
    return i == b.i;
  }
};

void AddOrigin(std::vector<Origin>& dst, const Origin& o) {
  for (Origin& d : dst) {
    if (d.key == o.key) {
      d.safe &= o.safe;  // safe only if safe on every path
      d.normalized &= o.normalized;
      d.unbuilt &= o.unbuilt;
      d.anchored &= o.anchored;
      return;
    }
  }
  if (dst.size() < kMaxOrigins) dst.push_back(o);
}

void FlattenInto(const Value& v, std::vector<Origin>& out, int depth = 0) {
  for (const Origin& o : v.o) AddOrigin(out, o);
  if (v.list && depth < 4) {
    for (const Value& e : *v.list) FlattenInto(e, out, depth + 1);
  }
}

Value Flat(const Value& v) {
  Value r;
  FlattenInto(v, r.o);
  return r;
}

// `into` takes `v`'s buffer size if it is smaller (or `into` has none):
// where several paths or writes give a buffer, the smallest is what a
// write must fit.
void KeepSmallerBuffer(Value& into, const Value& v) {
  if (v.cap >= 0 && (into.cap < 0 || v.cap < into.cap)) {
    into.cap = v.cap;
    into.cap_kind = v.cap_kind;
    into.elem = v.elem;
  }
}

// An upper bound of an integer value: the constant itself, or Value::ub
// (-1: none known).
std::int64_t UpperBound(const Value& v) { return v.ck == ConstKind::kInt && v.i >= 0 ? v.i : v.ub; }

Value Join(const Value& a, const Value& b) {
  Value r;
  for (const Origin& o : a.o) AddOrigin(r.o, o);
  for (const Origin& o : b.o) AddOrigin(r.o, o);
  if (a.IsConst() && a.SameConst(b)) {
    r.ck = a.ck;
    r.s = a.s;
    r.i = a.i;
  }
  r.fixed_start = a.fixed_start & b.fixed_start;
  KeepSmallerBuffer(r, a);
  KeepSmallerBuffer(r, b);
  r.array = a.array && b.array;
  r.before_start = a.before_start || b.before_start;
  // Released on every path, or the null pointer on some (`if (p) free(p);`).
  auto null = [](const Value& v) { return v.ck == ConstKind::kNull || (v.ck == ConstKind::kInt && v.i == 0); };
  r.freed = (a.freed || b.freed) && (a.freed || null(a)) && (b.freed || null(b));
  r.func = a.func == b.func ? a.func : -1;
  r.pointer_param = a.pointer_param == b.pointer_param ? a.pointer_param
                    : null(a)                          ? b.pointer_param
                    : null(b)                          ? a.pointer_param
                                                       : std::int16_t{-1};
  r.memory = a.memory == b.memory ? a.memory : null(a) ? b.memory : null(b) ? a.memory : Memory::kUnknown;
  r.maybe_null = a.maybe_null || b.maybe_null;
  r.not_null = a.not_null && b.not_null;
  r.parsed_number = a.parsed_number || b.parsed_number;
  r.uninit = a.uninit && b.uninit;
  // Bounds hold on every path only if known on each: the larger one.
  auto len_of = [](const Value& v) -> std::int64_t {
    return v.ck == ConstKind::kString ? static_cast<std::int64_t>(v.s.size()) : v.len_max;
  };
  if (!r.IsConst()) {
    if (len_of(a) >= 0 && len_of(b) >= 0) r.len_max = std::max(len_of(a), len_of(b));
    if (UpperBound(a) >= 0 && UpperBound(b) >= 0) r.ub = std::max(UpperBound(a), UpperBound(b));
  }
  if (a.list && b.list && a.list->size() == b.list->size()) {
    auto elems = std::make_shared<std::vector<Value>>();
    for (std::size_t k = 0; k < a.list->size(); ++k) elems->push_back(Join((*a.list)[k], (*b.list)[k]));
    r.list = std::move(elems);
  } else {
    if (a.list) FlattenInto(Value{{}, ConstKind::kUnset, {}, 0, a.list}, r.o);
    if (b.list) FlattenInto(Value{{}, ConstKind::kUnset, {}, 0, b.list}, r.o);
  }
  return r;
}

std::string ConstText(const Value& v) {
  switch (v.ck) {
    case ConstKind::kString: return v.s;
    case ConstKind::kInt: return std::to_string(v.i);
    case ConstKind::kBool: return v.i ? "true" : "false";
    case ConstKind::kNull: return "null";
    case ConstKind::kUnset: break;
  }
  return {};
}

std::optional<bool> Truthy(const Value& v) {
  switch (v.ck) {
    case ConstKind::kBool:
    case ConstKind::kInt: return v.i != 0;
    case ConstKind::kString: return !v.s.empty();
    case ConstKind::kNull: return false;
    case ConstKind::kUnset: break;
  }
  return std::nullopt;
}

// Where a buffer lives (Value::cap_kind).
constexpr std::uint8_t kStackBuffer = 1, kHeapBuffer = 2, kStaticBuffer = 3;

Value StrConst(std::string s) {
  Value v;
  if (s.size() > kMaxConstString) return v;
  v.ck = ConstKind::kString;
  v.s = std::move(s);
  return v;
}
Value IntConst(std::int64_t i) {
  Value v;
  v.ck = ConstKind::kInt;
  v.i = i;
  return v;
}
Value BoolConst(bool b) {
  Value v;
  v.ck = ConstKind::kBool;
  v.i = b ? 1 : 0;
  return v;
}

bool IsComparison(std::string_view op) {
  return op == "==" || op == "!=" || op == "===" || op == "!==" || op == "<" || op == ">" ||
         op == "<=" || op == ">=" || op == "in" || op == "not in" || op == "is" || op == "is not" ||
         op == "instanceof" || op == "<>";
}

// Folds `a op b` when both are constants; nullopt otherwise.
std::optional<Value> FoldBinary(std::string_view op, const Value& a, const Value& b) {
  if (!a.IsConst() || !b.IsConst()) {
    // Short-circuit logic with one known side.
    if ((op == "&&" || op == "and") && a.IsConst() && Truthy(a) == false) return BoolConst(false);
    if ((op == "||" || op == "or") && a.IsConst() && Truthy(a) == true) return a;
    return std::nullopt;
  }
  bool ints = (a.ck == ConstKind::kInt || a.ck == ConstKind::kBool) &&
              (b.ck == ConstKind::kInt || b.ck == ConstKind::kBool);
  if (ints) {
    std::int64_t x = a.i, y = b.i;
    std::int64_t r = 0;
    if (op == "+") return __builtin_add_overflow(x, y, &r) ? std::nullopt : std::optional<Value>(IntConst(r));
    if (op == "-") return __builtin_sub_overflow(x, y, &r) ? std::nullopt : std::optional<Value>(IntConst(r));
    if (op == "*") return __builtin_mul_overflow(x, y, &r) ? std::nullopt : std::optional<Value>(IntConst(r));
    if (op == "/" || op == "//") {
      if (y == 0 || (x == INT64_MIN && y == -1)) return std::nullopt;
      return IntConst(x / y);
    }
    if (op == "%") {
      if (y == 0 || (x == INT64_MIN && y == -1)) return std::nullopt;
      return IntConst(x % y);
    }
    if (op == "==" || op == "===" || op == "is") return BoolConst(x == y);
    if (op == "!=" || op == "!==" || op == "is not" || op == "<>") return BoolConst(x != y);
    if (op == "<") return BoolConst(x < y);
    if (op == ">") return BoolConst(x > y);
    if (op == "<=") return BoolConst(x <= y);
    if (op == ">=") return BoolConst(x >= y);
    if (op == "&&" || op == "and") return BoolConst(x != 0 && y != 0);
    if (op == "||" || op == "or") return BoolConst(x != 0 || y != 0);
    if (op == "&") return IntConst(x & y);
    if (op == "|") return IntConst(x | y);
    if (op == "^") return IntConst(x ^ y);
    return std::nullopt;
  }
  if (op == "+" && (a.ck == ConstKind::kString || b.ck == ConstKind::kString)) {
    return StrConst(ConstText(a) + ConstText(b));
  }
  if (a.ck == ConstKind::kString && b.ck == ConstKind::kString) {
    if (op == "==" || op == "===" || op == "is") return BoolConst(a.s == b.s);
    if (op == "!=" || op == "!==" || op == "is not") return BoolConst(a.s != b.s);
    if (op == "in") return BoolConst(b.s.find(a.s) != std::string::npos);
    if (op == "not in") return BoolConst(b.s.find(a.s) == std::string::npos);
  }
  if (op == "==" || op == "===" || op == "is") return BoolConst(a.SameConst(b));
  if (op == "!=" || op == "!==" || op == "is not") return BoolConst(!a.SameConst(b));
  if (op == "&&" || op == "and") return Truthy(a) == false ? a : b;
  if (op == "||" || op == "or") return Truthy(a) == true ? a : b;
  return std::nullopt;
}

// Whether every string a regex matches consists of letters, digits and '_'
// only (nothing any sink kind could be injected with). A small recognizer,
// never a regex engine: literals, \d \w, classes of ranges and such
// characters, quantifiers, groups and anchors; anything else is "no".
// `whole`: the caller matches the whole string (fullmatch, Java matches), so
// alternation cannot escape the anchors; otherwise the pattern must be
// anchored at the end: by \Z (Python), or by $ when `dollar_is_end` (JS
// without the m flag).
bool WordCharsOnly(std::string_view p, bool whole, bool dollar_is_end) {
  auto word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (!whole) {
    // Python: \Z (its $ also matches before a final newline); JS: $ (\Z is a plain Z there).
    bool end = dollar_is_end ? (p.ends_with("$") && !p.ends_with("\\$")) : (p.ends_with("\\Z") || p.ends_with("\\z"));
    if (!end || p.find('|') != std::string_view::npos) return false;
  }
  std::size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if (word(c)) {
      ++i;
    } else if (c == '^' || c == '$' || c == '*' || c == '+' || c == '?' || c == ')' || c == '|') {
      ++i;
    } else if (c == '(') {
      i += p.substr(i).starts_with("(?:") ? 3 : 1;
    } else if (c == '{') {
      std::size_t close = p.find('}', i);
      if (close == std::string_view::npos) return false;
      for (std::size_t k = i + 1; k < close; ++k) {
        if (!((p[k] >= '0' && p[k] <= '9') || p[k] == ',')) return false;
      }
      i = close + 1;
    } else if (c == '\\') {
      if (i + 1 >= p.size()) return false;
      char e = p[i + 1];
      if (e != 'd' && e != 'w' && e != 'A' && e != 'Z' && e != 'z') return false;
      i += 2;
    } else if (c == '[') {
      std::size_t k = i + 1;
      if (k < p.size() && p[k] == '^') return false;  // a negated class lets anything else through
      bool any = false;
      while (k < p.size() && p[k] != ']') {
        if (word(p[k])) {
          if (k + 2 < p.size() && p[k + 1] == '-' && word(p[k + 2])) {
            char lo = p[k], hi = p[k + 2];
            bool same = (lo >= 'a' && hi <= 'z' && lo <= hi) || (lo >= 'A' && hi <= 'Z' && lo <= hi) ||
                        (lo >= '0' && hi <= '9' && lo <= hi);
            if (!same) return false;  // [0-z] spans punctuation
            k += 3;
          } else {
            ++k;
          }
        } else if (p[k] == '\\' && k + 1 < p.size() && (p[k + 1] == 'd' || p[k + 1] == 'w')) {
          k += 2;
        } else {
          return false;
        }
        any = true;
      }
      if (k >= p.size() || !any) return false;
      i = k + 1;
    } else {
      return false;
    }
  }
  return true;
}

std::string ToLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string NormalizeName(std::string n) {
  // C++ scopes read like attribute paths: std::system -> system, a::b -> a.b
  if (n.starts_with("::")) n = n.substr(2);
  if (n.starts_with("std::")) n = n.substr(5);
  std::string out;
  for (std::size_t k = 0; k < n.size(); ++k) {
    if (n[k] == ':' && k + 1 < n.size() && n[k + 1] == ':') {
      out.push_back('.');
      ++k;
    } else {
      out.push_back(n[k]);
    }
  }
  return out;
}

struct SinkHit {
  int param = 0;
  int kind = 0;
  std::uint32_t safe = 0;
  std::uint32_t unbuilt = 0;   // the parameter reaches the sink whole (Origin::unbuilt)
  const Step* step = nullptr;  // chain from the parameter to the sink
  std::uint32_t module = 0, line = 0, col = 0, stmt_line = 0, stmt_end = 0;
  // Java: the sink sits in a branch on a field of the object (`if (flag)`):
  // taken only when that field is `guard_want` (empty: no such branch).
  std::string guard_field;
  bool guard_want = false;
};

// A C buffer write in a function that one of its parameters decides
// (Engine::DeferBufferWrite): the destination (param_is_dst, `size` bytes
// written) or the source (`size`: the destination's capacity, of `kind`).
struct BufferUse {
  int param = -1;
  bool param_is_dst = true;
  std::int64_t size = -1;
  std::uint8_t kind = 0;
  int rule = -1, alt = -1;
  std::uint32_t module = 0, line = 0, col = 0, stmt_line = 0, stmt_end = 0;
};

// C/C++: a release (free, delete) or a use (a dereference, a call that is
// not a release) of what a parameter points at, to judge against what the
// callers pass: memory they already released. `must`: a release on every
// path through the function, so the caller's pointer is freed after it.
struct FreedUse {
  int param = -1;
  bool release = false;
  bool must = false;
  Memory memory = Memory::kUnknown;  // a release: the allocator family it gives memory back to
  bool deref = false;  // a use that reads through the pointer (NULL crashes it); not a freed-memory use
  std::uint32_t module = 0, line = 0, col = 0, stmt_line = 0, stmt_end = 0;
};

struct Summary {
  bool in_progress = false;
  bool done = false;
  // Computed with a fallback that depends on the call stack (recursion into
  // a function still being analyzed, or the depth cap), so it is only valid
  // for the current entry point; dropped after each module's analysis.
  bool dirty = false;
  Value ret;
  bool has_ret = false;
  std::vector<SinkHit> hits;
  std::vector<BufferUse> buffer_uses;
  std::vector<FreedUse> freed_uses;  // at most one release and one use per parameter
  // C/C++: source taint the function writes through a pointer or reference
  // parameter (index -> value), applied to the caller's argument.
  std::vector<std::pair<std::size_t, Value>> out_params;
  // Methods: what they leave in the receiver's fields ("name" -> value in
  // terms of parameters / sources / the receiver's own fields); every
  // field assigned is listed, also with a clean value.
  std::vector<std::pair<std::string, Value>> field_writes;
  // A check the project wrote (`def is_allowed(x): return x in ALLOWED`):
  // per parameter, the sink kinds its value is proven safe for when the
  // function returns false ([0]) / true ([1]); `returns` says whether it can.
  std::vector<std::uint32_t> proves[2];
  bool returns[2] = {false, false};
};

struct Pending {  // a missing-call pattern waiting for its required call
  int rule = 0, alt = 0;
  std::string var;
  std::uint32_t line = 0, col = 0, stmt_line = 0, stmt_end = 0;
  bool satisfied = false;
};

struct State {
  std::map<std::string, Value> env;
  bool dead = false;
  std::uint32_t safe_output = 0;  // sink kinds the function's declared output type rules out
  // Path checks that held on this path for a variable (1: no "..", 2: no
  // "/", 4: not "__proto__", 8: not "constructor"), possibly from separate
  // conditions; cleared when it is assigned.
  std::map<std::string, int> path_checks;
  // JS: a variable holding an object reached through a property name that
  // may be input (`cur = cur[key]`), with that name's value. A computed
  // write into it (`cur[k] = v`) may write into Object.prototype.
  std::map<std::string, Value> reached_by_key;
};

struct Frame {
  // Java: a stream or writer variable -> the variable it wraps
  // (out = new ObjectOutputStream(bytes)): what is written to out lands in
  // bytes.
  std::unordered_map<std::string, std::string> wraps;
  // Java: branches being walked that test a field of `this` (innermost
  // last): the field and the value it has in that branch.
  std::vector<std::pair<std::string, bool>> field_guards;
  // Per enclosing loop (innermost last): states that reached `continue`,
  // and states that left it by `break` (C/C++).
  std::vector<std::vector<State>> continues;
  std::vector<std::vector<State>> breaks;
  std::uint32_t module = 0;
  const ir::Module* m = nullptr;
  const ir::Function* f = nullptr;
  Language lang = Language::kPython;
  const LanguageModels* models = nullptr;
  State st;
  std::unordered_map<std::string, std::string> types;
  // C/C++ variables declared as pointers or arrays (`types` holds what they
  // point at): not numbers, whatever the pointee's type.
  std::unordered_set<std::string> indirect;
  Summary* summary = nullptr;
  std::vector<Pending> pending;
  std::uint32_t stmt_line = 0, stmt_end = 0;
  std::string assign_var;  // variable the current statement assigns (missing-call rules)
  // Set while a call's arguments are evaluated: a call made there hands its
  // result straight to the enclosing call (execute(text(q))).
  bool in_arguments = false;
  std::set<std::string> globals;  // C/C++ globals this function writes (not locals of that name)
  // Sink kinds not reported while evaluating an object made only to read a
  // part of it (new URL(u).getHost(), new File(p).getName()).
  std::uint32_t quiet_kinds = 0;
  // Variables holding a parsed URL (`parts = urlparse(url)`) -> the URL's path.
  std::unordered_map<std::string, std::string> parsed_url_of;
  // host = urlparse(url).hostname: a check on host is about url (var -> url path).
  std::unordered_map<std::string, std::string> host_of;
  // A flag accumulated from a check (`ok = ok || url.startsWith(p)`, also
  // `ok ||= ...`): returning the flag true means the check held once.
  std::unordered_map<std::string, ir::Id> flag_checks;
  // rel = path.relative(base, target) (Node): rel not starting with ".."
  // puts target under base (var -> target path).
  std::unordered_map<std::string, std::string> relative_of;
  // Variables assigned a project function's name (`fp = sink;`), for calls
  // through them; flow-insensitive: every function ever assigned.
  std::unordered_map<std::string, std::vector<std::string>> fnrefs;
  // Fields a constructor call in the current statement set, for the
  // variable the statement assigns (obj = new T(x) -> obj.f).
  std::vector<std::pair<std::string, Value>> ctor_fields;
  // Java: variables holding a stream of a named .properties resource, and
  // Properties objects loaded from one (path -> file name).
  std::unordered_map<std::string, std::string> properties_streams;
  std::unordered_map<std::string, std::string> properties_of;
  // In a callback run inline (RunCallbacks): the function it is written in.
  const ir::Function* enclosing = nullptr;
  bool any_freed = false;  // some path of the frame was released (Value::freed)
  // Pointers the left side of an enclosing `&&`/`||` proved not NULL
  // while its right side is evaluated (NotNullWhere).
  std::vector<std::string> not_null_here;
  // Inside a branch or loop body whose condition is not decided: a read
  // through a parameter here happens on some calls only (CheckNull).
  int conditional = 0;
  int not_a_read = 0;  // evaluating what a statement writes (`cin >> n`): no uninitialized read
  bool any_uninit = false;  // a local was declared without a value (Value::uninit)
  std::set<std::string> null_reported;  // variables a null-pointer finding was made for
  // The allocator family of the call ApplyModels last matched an
  // allocation model for (malloc: Memory::kMalloc), read by EvalCall.
  Memory allocated = Memory::kUnknown;
  // C/C++: ways out of the function seen (returns, throws, the end), and
  // per parameter how many of them left it released (FreedUse::must).
  int exits = 0;
  std::vector<int> released_at_exit;
  int budget = 0;          // bounds work on pathological functions
};

}  // namespace

struct Program::CGlobalFacts {
  std::unordered_set<std::string> globals;         // see Engine::Impl::CGlobals
  std::unordered_map<std::string, Value> consts;   // see Engine::Impl::CProgramConsts
  std::map<std::string, std::vector<FuncRef>> writers;  // global -> functions that may write it
};

struct Engine::Impl {
  const RuleSetData& rules;
  const Program& program;
  std::deque<Step> steps;
  // Each step in `steps` by its contents: open addressing over (hash, step)
  // slots, a power of two of them, at most half used. (An unordered_map
  // node per step cost a malloc, a free and a cache miss per probe.)
  struct StepKey {
    const Step* prev;
    std::uint32_t module, line, col;
    std::string_view note;
  };
  static std::size_t StepHash(const StepKey& k) {
    std::size_t h = std::hash<const void*>()(k.prev);
    for (std::uint32_t v : {k.module, k.line, k.col}) h = h * 1000003u ^ v;
    return h * 31u ^ std::hash<std::string_view>()(k.note);
  }
  using StepSlot = std::pair<std::size_t, const Step*>;  // (hash, step); null: free
  std::vector<StepSlot> step_slots = std::vector<StepSlot>(1024);
  std::unordered_map<std::uint64_t, Summary> summaries;
  std::vector<RawFinding> findings;
  std::map<std::tuple<int, std::uint32_t, std::uint32_t, std::uint32_t>, std::size_t> seen;  // -> findings index
  int call_depth = 0;
  // Per module: names assigned exactly once in the whole module, at top
  // level, to a literal (C #define and file-scope constants, Java fields
  // initialized once, Python/JS module constants). Functions read them when
  // no local binding exists, so configuration flags decide branches.
  std::unordered_map<std::uint32_t, std::unordered_map<std::string, Value>> module_consts;
  std::unordered_map<std::uint32_t, std::unordered_map<std::string, std::string>> module_objects;

  // Fields (`this.f`) that a class's methods assign a source to, so the
  // class's other methods see them (set in one handler, used in another).
  // Computed by a separate engine, the field engine, that analyzes the
  // class's methods which assign fields, without this lookup: the result
  // depends on the program only, not on what this engine happened to analyze
  // first. Methods that assigned the field themselves read their own value.
  std::unique_ptr<Impl> field_engine;
  std::set<std::pair<std::uint32_t, std::string>> fields_done;  // classes the field engine has run over
  bool field_pass = false;  // this is a field engine: record field writes, no lookups
  std::map<std::tuple<std::uint32_t, std::string, std::string>, Value> field_writes;  // (module, class, "this.f")

  Impl(const RuleSetData& r, const Program& p) : rules(r), program(p) {}

  // Whether function `f` of `m` assigns a field of its object (syntactically).
  static bool CallTakesField(const ir::Module& m, const ir::Expr& call) {
    for (std::size_t k = 1; k < call.kids.size(); ++k) {
      ir::Id a = call.kids[k];
      // The pointer itself or pointer arithmetic on it.
      for (int depth = 0; depth < 3 && a != ir::kNone; ++depth) {
        const ir::Expr& e = m.exprs[a];
        if (e.kind == ExprKind::kName) {
          if (m.field_types.count(e.s)) return true;
          break;
        }
        if (e.kind == ExprKind::kAttr && !e.kids.empty() && e.kids[0] != ir::kNone &&
            m.exprs[e.kids[0]].kind == ExprKind::kThis) {
          return true;
        }
        if (e.kids.empty()) break;
        a = e.kids[0];
      }
    }
    return false;
  }

  static bool AssignsField(const ir::Module& m, const ir::Function& f) {
    bool implicit = m.language == Language::kJava || m.language == Language::kCpp;
    std::vector<ir::Id> todo{f.body};
    while (!todo.empty()) {
      ir::Id sid = todo.back();
      todo.pop_back();
      if (sid == ir::kNone) continue;
      const ir::Stmt& st = m.stmts[sid];
      if (st.kind == StmtKind::kAssign && st.a != ir::kNone) {
        ir::Id t = st.a;
        while (t != ir::kNone && (m.exprs[t].kind == ExprKind::kAttr || m.exprs[t].kind == ExprKind::kIndex) &&
               !m.exprs[t].kids.empty()) {
          t = m.exprs[t].kids[0];
        }
        if (t != ir::kNone && m.exprs[t].kind == ExprKind::kThis) return true;
        if (implicit && t != ir::kNone && m.exprs[t].kind == ExprKind::kName && m.field_types.count(m.exprs[t].s)) {
          return true;
        }
      }
      // C++: a field handed to a call may be written through (fgets(buf + n, ...)).
      if (m.language == Language::kCpp && st.kind == StmtKind::kExpr && st.a != ir::kNone &&
          m.exprs[st.a].kind == ExprKind::kCall && CallTakesField(m, m.exprs[st.a])) {
        return true;
      }
      todo.insert(todo.end(), st.body.begin(), st.body.end());
      todo.insert(todo.end(), st.orelse.begin(), st.orelse.end());
    }
    return false;
  }

  // C/C++ globals (names declared at file scope in any scanned C/C++ file):
  // a source stored into one in some function (`g = getenv(..)`,
  // `strcat(g, ..)`) is seen by reads in other functions and files that have
  // no value of their own. Like fields, computed by the field engine, here
  // over every C/C++ function of the program, so the result does not depend
  // on analysis order.
  std::map<std::string, Value> global_writes;  // in the field engine

  static bool IsC(Language l) { return l == Language::kC || l == Language::kCpp; }
  static bool IsJs(Language l) {
    return l == Language::kJavaScript || l == Language::kTypeScript || l == Language::kTsx;
  }

  const std::unordered_set<std::string>& CGlobals() { return CFacts().globals; }

  // Whether a write to `path` in `fr` writes a C/C++ global (not a local or
  // parameter of the same name).
  bool WritesGlobal(Frame& fr, const std::string& path) {
    if (!IsC(fr.lang) || fr.f->is_module_body) return false;
    std::string root = path.substr(0, path.find('.'));
    if (fr.globals.count(root)) return true;
    // Declared in this function (a local or parameter), or a member: not a global.
    if (fr.st.env.count(root) || fr.types.count(root) || Member(fr, root)) return false;
    for (const ir::Param& p : fr.f->params) {
      if (p.name == root) return false;
    }
    if (!CGlobals().count(root)) return false;
    fr.globals.insert(root);
    return true;
  }

  // In a method, a bare name may be a member declared in another file (a
  // class in a header): only free functions read and write globals here.
  static bool Member(const Frame& fr, const std::string& /*name*/) { return !fr.f->cls.empty(); }

  // The globals `f` can write at all (syntactically): those it assigns, or
  // passes to a call (an out-parameter: strcat(g, ..)). Into `out`.
  static void GlobalsWritten(const std::unordered_set<std::string>& globals, const ir::Module& m,
                             const ir::Function& f, std::set<std::string>& out) {
    auto root = [&](ir::Id id) {
      for (int guard = 0; guard < 16 && id != ir::kNone; ++guard) {
        const ir::Expr& e = m.exprs[id];
        if (e.kind == ExprKind::kName) {
          if (globals.count(e.s)) out.insert(e.s);
          return;
        }
        if (e.kids.empty()) return;
        id = e.kids[0];  // g.f, g[i], *g, (T)g, g + n
      }
    };
    std::vector<ir::Id> exprs;
    std::vector<ir::Id> todo{f.body};
    while (!todo.empty()) {
      ir::Id sid = todo.back();
      todo.pop_back();
      if (sid == ir::kNone) continue;
      const ir::Stmt& st = m.stmts[sid];
      if (st.kind == StmtKind::kAssign) root(st.a);
      exprs.push_back(st.a);
      exprs.push_back(st.b);
      todo.insert(todo.end(), st.body.begin(), st.body.end());
      todo.insert(todo.end(), st.orelse.begin(), st.orelse.end());
    }
    while (!exprs.empty()) {
      ir::Id id = exprs.back();
      exprs.pop_back();
      if (id == ir::kNone) continue;
      const ir::Expr& e = m.exprs[id];
      if (e.kind == ExprKind::kCall) {
        for (std::size_t k = 1; k < e.kids.size(); ++k) root(e.kids[k]);
      }
      exprs.insert(exprs.end(), e.kids.begin(), e.kids.end());
    }
  }

  void RecordGlobal(Frame& fr, const std::string& path, const Value& v) {
    if (!field_pass || !WritesGlobal(fr, path)) return;
    Value kept;
    for (const Origin& o : Flat(v).o) {
      if (o.key >= 0) AddOrigin(kept.o, o);
    }
    // A buffer stored in a global keeps its size.
    const bool buffer = v.cap >= 0 && path.find('.') == std::string::npos;
    if (kept.o.empty() && !buffer) return;
    if (buffer) KeepSmallerBuffer(kept, v);
    std::string root = path.substr(0, path.find('.'));
    auto [it, fresh] = global_writes.try_emplace(root, kept);
    if (!fresh) {
      for (const Origin& o : kept.o) AddOrigin(it->second.o, o);
      if (buffer) KeepSmallerBuffer(it->second, v);
    }
  }

  std::optional<Value> GlobalValue(Frame& fr, const std::string& name, std::uint32_t line, std::uint32_t col) {
    if (field_pass || !IsC(fr.lang) || fr.f->is_module_body || Member(fr, name) || !CGlobals().count(name)) {
      return std::nullopt;
    }
    if (!field_engine) {
      field_engine = std::make_unique<Impl>(rules, program);
      field_engine->field_pass = true;
    }
    // Run the field engine over the functions that may write this global.
    const auto& global_writers = CFacts().writers;
    auto writers = global_writers.find(name);
    if (writers == global_writers.end()) return std::nullopt;
    for (const FuncRef& r : writers->second) field_engine->GetSummary(r);
    field_engine->DropDirty();
    auto w = field_engine->global_writes.find(name);
    if (w == field_engine->global_writes.end()) return std::nullopt;
    return AddStep(w->second, fr, line, col, "read of global " + name + " (written in another function)");
  }

  // The source taint the class's methods store in field `path` ("this.f" or
  // below), for a read in `fr` that found no value of its own.
  std::optional<Value> ClassField(Frame& fr, const std::string& path, std::uint32_t line, std::uint32_t col) {
    return ClassFieldIn(fr, fr.module, fr.f->cls, path, line, col);
  }

  // The same for class `cls` of module `module` (Java: Other.field, a
  // static field another class's methods set).
  std::optional<Value> ClassFieldIn(Frame& fr, std::uint32_t module, const std::string& cls, const std::string& path,
                                    std::uint32_t line, std::uint32_t col) {
    if (field_pass || fr.f->cls.empty() || cls.empty() || !path.starts_with("this.")) return std::nullopt;
    if (!field_engine) {
      field_engine = std::make_unique<Impl>(rules, program);
      field_engine->field_pass = true;
    }
    if (fields_done.insert({module, cls}).second) {
      const ir::Module& m = *program.modules[module];
      for (std::uint32_t f = 0; f < m.functions.size(); ++f) {
        const ir::Function& fn = m.functions[f];
        if (fn.cls == cls && !fn.is_lambda && AssignsField(m, fn)) field_engine->GetSummary({module, f});
      }
      field_engine->DropDirty();
    }
    std::string field = path.substr(0, path.find('.', 5));
    auto w = field_engine->field_writes.find({module, cls, field});
    if (w == field_engine->field_writes.end()) return std::nullopt;
    return AddStep(w->second, fr, line, col, "read of field " + field + " (assigned in another method)");
  }

  // Java: the module defining class `cls` (a top-level class of that name
  // with a method), if one does.
  std::optional<std::uint32_t> JavaClassModule(const std::string& cls) {
    if (!java_class_modules) {
      java_class_modules.emplace();
      for (std::uint32_t m = 0; m < program.modules.size(); ++m) {
        if (!program.modules[m] || program.modules[m]->language != Language::kJava) continue;
        for (const ir::Function& f : program.modules[m]->functions) {
          if (!f.cls.empty()) java_class_modules->try_emplace(f.cls, m);
        }
      }
    }
    auto it = java_class_modules->find(cls);
    if (it == java_class_modules->end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::unordered_map<std::string, std::uint32_t>> java_class_modules;

  // In a field engine: records a source stored in a field of the class.
  void RecordField(Frame& fr, const std::string& path, const Value& v) {
    if (!field_pass || fr.f->cls.empty()) return;
    // What an exported method's caller passed (param-of-exported) is a
    // parameter, not a source, once stored: the reading method's summary
    // maps the field to what the project's caller stored there.
    int caller_kind = -1;
    for (const ParamSource& ps : fr.models->param_sources) {
      if (ps.exported) caller_kind = ps.kind;
    }
    Value kept;
    for (const Origin& o : Flat(v).o) {
      if (o.key >= 0 && o.key != caller_kind) AddOrigin(kept.o, o);
    }
    // A C++ member given a buffer (data = new char[10] in a constructor)
    // keeps its size for the other methods (the destructor that writes it).
    const bool buffer = v.cap >= 0 && path.find('.', 5) == std::string::npos;
    if (kept.o.empty() && !buffer) return;
    if (buffer) KeepSmallerBuffer(kept, v);
    std::string field = path.substr(0, path.find('.', 5));
    auto [it, fresh] = field_writes.try_emplace({fr.module, fr.f->cls, field}, kept);
    if (!fresh) {
      for (const Origin& o : kept.o) AddOrigin(it->second.o, o);
      if (buffer) KeepSmallerBuffer(it->second, v);
    }
  }

  static bool ImplicitThis(const Frame& fr) { return fr.lang == Language::kJava || fr.lang == Language::kCpp; }

  static std::string_view ConstKey(const ir::Module& m, ir::Id target) {
    if (target == ir::kNone) return {};
    const ir::Expr& t = m.exprs[target];
    if (t.kind == ExprKind::kName) return t.s;
    if (t.kind == ExprKind::kAttr && !t.kids.empty() && t.kids[0] != ir::kNone &&
        m.exprs[t.kids[0]].kind == ExprKind::kThis) {
      return t.s;
    }
    return {};
  }

  // A literal other than null as a value.
  static std::optional<Value> ConstOf(const ir::Expr& v) {
    if (v.kind != ExprKind::kConst || v.const_kind == ConstKind::kNull) return std::nullopt;
    Value val;
    val.ck = v.const_kind;
    val.s = v.s;
    val.i = v.i;
    return val;
  }

  // A literal initializer (a constant other than null, or a negated integer
  // literal) as a value.
  static std::optional<Value> LiteralValue(const ir::Module& m, ir::Id id) {
    const ir::Expr& v = m.exprs[id];
    if (auto c = ConstOf(v)) return c;
    if (v.kind == ExprKind::kUnary && v.s == "-" && !v.kids.empty() && v.kids[0] != ir::kNone &&
        m.exprs[v.kids[0]].kind == ExprKind::kConst && m.exprs[v.kids[0]].const_kind == ConstKind::kInt &&
        m.exprs[v.kids[0]].i != INT64_MIN) {
      return IntConst(-m.exprs[v.kids[0]].i);
    }
    // A collection of constants: ["a", "b"], ("a", "b"), new Set([...]),
    // frozenset({...}) / set([...]) / tuple([...]). Its elements are known
    // (a loop over an allowlist sees one of them).
    ir::Id items = ir::kNone;
    if (v.kind == ExprKind::kList) {
      items = id;
    } else if (v.kind == ExprKind::kNew && (v.s == "Set" || v.s == "Array") && v.kids.size() == 1) {
      items = v.kids[0];
    } else if (v.kind == ExprKind::kCall && v.kids.size() == 2 && v.kids[0] != ir::kNone &&
               m.exprs[v.kids[0]].kind == ExprKind::kName &&
               (m.exprs[v.kids[0]].s == "frozenset" || m.exprs[v.kids[0]].s == "set" ||
                m.exprs[v.kids[0]].s == "tuple" || m.exprs[v.kids[0]].s == "list")) {
      items = v.kids[1];
    }
    if (items == ir::kNone || m.exprs[items].kind != ExprKind::kList) return std::nullopt;
    const ir::Expr& list = m.exprs[items];
    if (list.kids.empty() || list.kids.size() > 64) return std::nullopt;
    auto elems = std::make_shared<std::vector<Value>>();
    for (ir::Id k : list.kids) {
      if (k == ir::kNone) return std::nullopt;
      auto c = ConstOf(m.exprs[k]);
      if (!c || c->ck != ConstKind::kString) return std::nullopt;
      elems->push_back(std::move(*c));
    }
    Value r;
    r.list = std::move(elems);
    return r;
  }

  const std::unordered_map<std::string, Value>& ModuleConsts(std::uint32_t module) {
    auto it = module_consts.find(module);
    if (it != module_consts.end()) return it->second;
    auto& out = module_consts[module];
    const ir::Module& m = *program.modules[module];
    const ir::Function* body = nullptr;
    for (const ir::Function& f : m.functions) {
      if (f.is_module_body) body = &f;
    }
    if (!body || body->body == ir::kNone) return out;
    std::vector<std::pair<std::string, Value>> candidates;
    for (ir::Id sid : m.stmts[body->body].body) {
      const ir::Stmt& st = m.stmts[sid];
      if (st.kind != StmtKind::kAssign || !st.op.empty() || st.b == ir::kNone) continue;
      std::string key(ConstKey(m, st.a));
      if (key.empty()) continue;
      std::optional<Value> val = LiteralValue(m, st.b);
      if (!val) continue;
      candidates.emplace_back(std::move(key), std::move(*val));
    }
    if (candidates.empty()) return out;
    std::unordered_map<std::string, int> writes;
    for (const auto& [key, val] : candidates) writes[key] = 0;
    auto count = [&](ir::Id target, auto& self) -> void {
      if (target == ir::kNone) return;
      const ir::Expr& t = m.exprs[target];
      if (t.kind == ExprKind::kList) {
        for (ir::Id k : t.kids) self(k, self);
        return;
      }
      auto w = writes.find(std::string(ConstKey(m, target)));
      if (w != writes.end()) ++w->second;
    };
    for (const ir::Stmt& st : m.stmts) {
      if (st.kind == StmtKind::kAssign) count(st.a, count);
    }
    for (auto& [key, val] : candidates) {
      if (writes[key] == 1) out.emplace(key, std::move(val));
    }
    return out;
  }

  // The dotted text of a name or attribute chain, its first name resolved
  // through the module's imports ("" for anything else).
  static std::string DottedName(const ir::Module& m, ir::Id id) {
    std::vector<std::string> parts;
    ir::Id c = id;
    for (int guard = 0; guard < 8 && c != ir::kNone && m.exprs[c].kind == ExprKind::kAttr; ++guard) {
      parts.push_back(m.exprs[c].s);
      c = m.exprs[c].kids.empty() ? ir::kNone : m.exprs[c].kids[0];
    }
    if (c == ir::kNone || m.exprs[c].kind != ExprKind::kName) return {};
    auto imp = m.imports.find(m.exprs[c].s);
    std::string dotted = imp != m.imports.end() ? imp->second : m.exprs[c].s;
    for (auto p = parts.rbegin(); p != parts.rend(); ++p) dotted += "." + *p;
    return dotted;
  }

  // Views named by URLconf calls matching `globs` (path("p/<slug>/",
  // views.show), path("p/", PostView.as_view())): view function name ->
  // parameters its routes convert to numbers (<int:pk>); "class:Name" for a
  // routed class. Computed once per engine over every module.
  std::optional<std::unordered_map<std::string, std::set<std::string>>> routed_views;
  const std::unordered_map<std::string, std::set<std::string>>& RoutedViews(const std::vector<std::string>& globs) {
    if (routed_views) return *routed_views;
    routed_views.emplace();
    for (const auto& mp : program.modules) {
      if (!mp || mp->language != Language::kPython) continue;
      const ir::Module& m = *mp;
      for (const ir::Expr& call : m.exprs) {
        if (call.kind != ExprKind::kCall || call.kids.size() < 3 || call.kids[0] == ir::kNone) continue;
        const std::string callee = NormalizeName(DottedName(m, call.kids[0]));
        bool match = false;
        for (const std::string& g : globs) match |= !callee.empty() && GlobMatch(g, callee);
        if (!match || call.kids[2] == ir::kNone) continue;
        const ir::Expr& view = m.exprs[call.kids[2]];
        std::string key;
        if (view.kind == ExprKind::kName || view.kind == ExprKind::kAttr) {
          key = view.s;
        } else if (view.kind == ExprKind::kCall && !view.kids.empty() && view.kids[0] != ir::kNone &&
                   m.exprs[view.kids[0]].kind == ExprKind::kAttr && m.exprs[view.kids[0]].s == "as_view" &&
                   !m.exprs[view.kids[0]].kids.empty() && m.exprs[view.kids[0]].kids[0] != ir::kNone) {
          key = "class:" + LastOf(NormalizeName(DottedName(m, m.exprs[view.kids[0]].kids[0])));
        }
        if (key.empty() || key == "class:") continue;
        std::set<std::string>& numeric = (*routed_views)[key];
        if (call.kids[1] == ir::kNone) continue;
        const ir::Expr& route = m.exprs[call.kids[1]];
        if (route.kind != ExprKind::kConst || route.const_kind != ConstKind::kString) continue;
        for (std::string_view conv : {"<int:", "<uuid:"}) {
          for (std::size_t at = route.s.find(conv); at != std::string::npos; at = route.s.find(conv, at + 1)) {
            const std::size_t from = at + conv.size(), end = route.s.find('>', from);
            if (end != std::string::npos) numeric.insert(route.s.substr(from, end - from));
          }
        }
      }
    }
    return *routed_views;
  }

  // Whether parameter `i` of `f` is a routed view's URL value.
  bool RoutedParam(Frame& fr, const ParamSource& ps, const ir::Function& f, std::size_t i) {
    if (i == 0 || f.params.empty() || f.params[0].name != "request" || !RequestParam(fr, f.params[i])) return false;
    const auto& views = RoutedViews(ps.routed);
    auto it = f.cls.empty() ? views.find(f.name) : views.end();
    if (!f.cls.empty()) {
      static constexpr std::string_view kHandlers[] = {"get", "post", "put", "patch", "delete", "head", "dispatch"};
      bool handler = false;
      for (std::string_view h : kHandlers) handler |= f.name == h;
      if (handler) it = views.find("class:" + f.cls);
    }
    return it != views.end() && !it->second.count(f.params[i].name);
  }

  // Python: module-level objects made once by a class of a library or of
  // the project (`app = FastAPI()`, `bp = flask.Blueprint(...)`) -> the
  // class's dotted name with imports resolved, so a function's use of the
  // global reads as the class's method (fastapi.FastAPI.get).
  const std::unordered_map<std::string, std::string>& ModuleObjects(std::uint32_t module) {
    auto it = module_objects.find(module);
    if (it != module_objects.end()) return it->second;
    auto& out = module_objects[module];
    const ir::Module& m = *program.modules[module];
    if (m.language != Language::kPython) return out;
    const ir::Function* body = nullptr;
    for (const ir::Function& f : m.functions) {
      if (f.is_module_body) body = &f;
    }
    if (!body || body->body == ir::kNone) return out;
    std::unordered_map<std::string, int> writes;
    for (ir::Id sid : m.stmts[body->body].body) {
      const ir::Stmt& st = m.stmts[sid];
      if (st.kind != StmtKind::kAssign) continue;
      std::string key(ConstKey(m, st.a));
      if (key.empty() || ++writes[key] > 1 || !st.op.empty() || st.b == ir::kNone) continue;
      const ir::Expr& call = m.exprs[st.b];
      if (call.kind != ExprKind::kCall || call.kids.empty() || call.kids[0] == ir::kNone) continue;
      const std::string dotted = DottedName(m, call.kids[0]);
      const std::string last = LastOf(dotted);
      if (last.empty() || last[0] < 'A' || last[0] > 'Z') continue;  // a class, not a factory function
      out.emplace(key, NormalizeName(dotted));
    }
    std::erase_if(out, [&](const auto& e) { return writes[e.first] > 1; });
    return out;
  }

  // C/C++ globals defined with a literal in one file and written nowhere in
  // the program (`int globalFive = 5;` in one file, `extern int globalFive;`
  // in others): every function reads that value, so configuration flags
  // decide branches across files too. A declaration without a value is not
  // a write; an assignment anywhere, or passing the name to a call (which
  // may write through &g), disqualifies the name.
  const std::unordered_map<std::string, Value>& CProgramConsts() { return CFacts().consts; }

  // CGlobals, CProgramConsts and which functions write which globals
  // (syntactically) depend on the program only: made once, by the first
  // engine (main or field engine, on any worker) that asks.
  const Program::CGlobalFacts& CFacts() {
    std::call_once(program.c_facts_once, [this] { program.c_facts = ComputeCFacts(program); });
    return *program.c_facts;
  }

  static std::shared_ptr<const Program::CGlobalFacts> ComputeCFacts(const Program& program) {
    auto facts = std::make_shared<Program::CGlobalFacts>();
    // name -> (writes, the value of the first); names are viewed in the
    // modules, which outlive the scan.
    std::unordered_map<std::string_view, std::pair<int, Value>> writes;
    auto write = [&](std::string_view key, std::optional<Value> v) {
      if (key.empty()) return;
      auto& [count, val] = writes[key];
      if (++count == 1 && v) val = std::move(*v);  // a value only counts with one write
    };
    for (const auto& mp : program.modules) {
      if (!mp || !IsC(mp->language)) continue;
      const ir::Module& m = *mp;
      std::vector<bool> top(m.stmts.size());
      for (const ir::Function& f : m.functions) {
        if (!f.is_module_body || f.body == ir::kNone) continue;
        for (ir::Id sid : m.stmts[f.body].body) {
          const ir::Stmt& st = m.stmts[sid];
          if (st.kind != StmtKind::kAssign) continue;
          if (st.a != ir::kNone && m.exprs[st.a].kind == ExprKind::kName) facts->globals.insert(m.exprs[st.a].s);
          top[sid] = true;
          if (st.b == ir::kNone || !st.op.empty()) {
            write(ConstKey(m, st.a), std::nullopt);
            continue;
          }
          const ir::Expr& v = m.exprs[st.b];
          if (v.kind == ExprKind::kList && v.kids.empty()) continue;  // `extern int g;` / `int g;`
          write(ConstKey(m, st.a), LiteralValue(m, st.b));
        }
      }
      for (std::size_t sid = 0; sid < m.stmts.size(); ++sid) {
        const ir::Stmt& st = m.stmts[sid];
        if (st.kind == StmtKind::kAssign && !top[sid]) write(ConstKey(m, st.a), std::nullopt);
      }
      for (const ir::Expr& e : m.exprs) {
        if (e.kind != ExprKind::kCall) continue;
        for (std::size_t k = 1; k < e.kids.size(); ++k) {
          ir::Id id = e.kids[k];
          for (int guard = 0; guard < 16 && id != ir::kNone; ++guard) {
            const ir::Expr& a = m.exprs[id];
            if (a.kind == ExprKind::kName) {
              write(a.s, std::nullopt);
              break;
            }
            if (a.kids.empty() || a.kind == ExprKind::kCall) break;
            id = a.kids[0];
          }
        }
      }
    }
    for (auto& [name, cv] : writes) {
      if (cv.first == 1 && cv.second.IsConst()) facts->consts.emplace(name, std::move(cv.second));
    }
    for (std::uint32_t mi = 0; mi < program.modules.size(); ++mi) {
      const auto& m = program.modules[mi];
      if (!m || !IsC(m->language)) continue;
      for (std::uint32_t f = 0; f < m->functions.size(); ++f) {
        if (m->functions[f].is_module_body) continue;
        std::set<std::string> names;
        GlobalsWritten(facts->globals, *m, m->functions[f], names);
        for (const std::string& n : names) facts->writers[n].push_back({mi, f});
      }
    }
    return facts;
  }

  std::optional<Value> ModuleConst(Frame& fr, const std::string& name) {
    if (fr.f->is_module_body) return std::nullopt;  // top-level code runs in order
    const auto& consts = ModuleConsts(fr.module);
    auto it = consts.find(name);
    if (it != consts.end()) return it->second;
    if (!IsC(fr.lang) || Member(fr, name)) return std::nullopt;
    const auto& program_consts = CProgramConsts();
    auto pc = program_consts.find(name);
    if (pc == program_consts.end()) return std::nullopt;
    return pc->second;
  }

  // The variable an out-parameter writes into: `buf`, `data + len`,
  // `(char *)(data + len)` all write into the buffer `data` points at.
  std::optional<std::string> TargetPathOf(Frame& fr, ir::Id id) {
    for (int guard = 0; guard < 8 && id != ir::kNone; ++guard) {
      if (auto p = PathOf(fr, id)) return p;
      const ir::Expr& e = X(fr, id);
      if (e.kind == ExprKind::kBinary && (e.s == "+" || e.s == "-") && !e.kids.empty()) {
        id = e.kids[0];
      } else if (e.kind == ExprKind::kUnknown && e.kids.size() == 1) {
        id = e.kids[0];
      } else {
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  // An operand that did not parse is kNone (`switch (auto c = *p)` has no
  // subject, so its case tests are `kNone == label`): it reads as an empty
  // unknown expression wherever a check for kNone is missing.
  const ir::Expr& X(const Frame& fr, ir::Id id) const {
    static const ir::Expr kMissing;
    return id < fr.m->exprs.size() ? fr.m->exprs[id] : kMissing;
  }

  const Step* NewStep(const Step* prev, const Frame& fr, std::uint32_t line, std::uint32_t col, std::string note) {
    if (prev && prev->depth >= kMaxTraceDepth) return prev;  // keep paths readable and bounded
    return Intern(prev, fr.module, line, col, std::move(note));
  }
  // The step (prev, place, note), made once. Steps live as long as the
  // engine (summaries point into them), and summaries computed again under
  // another call stack make the same steps again: over the 3,400 files of
  // the JDK's java.base, 8 GB of copies. Equal steps are now one.
  const Step* Intern(const Step* prev, std::uint32_t module, std::uint32_t line, std::uint32_t col,
                     std::string note) {
    const std::size_t hash = StepHash({prev, module, line, col, note});
    std::size_t mask = step_slots.size() - 1;
    std::size_t at = hash & mask;
    for (; step_slots[at].second != nullptr; at = (at + 1) & mask) {
      const Step* e = step_slots[at].second;
      if (step_slots[at].first == hash && e->prev == prev && e->module == module && e->line == line &&
          e->col == col && e->note == note) {
        return e;
      }
    }
    steps.push_back(Step{prev, module, line, col, std::move(note), prev ? prev->depth + 1 : 0});
    const Step* s = &steps.back();
    if (2 * steps.size() > step_slots.size()) {  // grow, then find the new step's slot again
      std::vector<StepSlot> grown(2 * step_slots.size());
      mask = grown.size() - 1;
      for (const auto& slot : step_slots) {
        if (slot.second == nullptr) continue;
        std::size_t k = slot.first & mask;
        while (grown[k].second != nullptr) k = (k + 1) & mask;
        grown[k] = slot;
      }
      step_slots = std::move(grown);
      at = hash & mask;
      while (step_slots[at].second != nullptr) at = (at + 1) & mask;
    }
    step_slots[at] = {hash, s};
    return s;
  }
  // Copies `tail` (oldest first) on top of `base`.
  const Step* Concat(const Step* base, const Step* tail) {
    std::vector<const Step*> chain;
    for (const Step* s = tail; s; s = s->prev) chain.push_back(s);
    const Step* cur = base;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (cur && cur->depth >= kMaxTraceDepth) break;
      cur = Intern(cur, (*it)->module, (*it)->line, (*it)->col, (*it)->note);
    }
    return cur;
  }
  Value AddStep(const Value& v, const Frame& fr, std::uint32_t line, std::uint32_t col, const std::string& note) {
    if (v.o.empty()) return v;
    Value r = v;
    for (Origin& o : r.o) o.step = NewStep(o.step, fr, line, col, note);
    return r;
  }

  // ---------------------------------------------------------------- findings
  void Emit(int rule, std::uint32_t module, std::uint32_t line, std::uint32_t col, std::uint32_t stmt_line,
            std::uint32_t stmt_end, const Step* chain) {
    RawFinding f;
    f.rule = rule;
    f.module = module;
    f.line = line;
    f.col = col;
    f.stmt_line = stmt_line ? stmt_line : line;
    f.stmt_end_line = std::max(stmt_end, f.stmt_line);
    std::vector<const Step*> path;
    for (const Step* s = chain; s; s = s->prev) path.push_back(s);
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      f.trace.push_back(TraceStep{{}, (*it)->line, (*it)->col, (*it)->note});
      f.trace_modules.push_back((*it)->module);
    }
    auto [at, fresh] = seen.try_emplace({rule, module, line, col}, findings.size());
    if (fresh) findings.push_back(std::move(f));
    else if (PreferredTrace(f, findings[at->second])) findings[at->second] = std::move(f);
  }

  void EmitPattern(Frame& fr, int rule, std::uint32_t line, std::uint32_t col) {
    Emit(rule, fr.module, line, col, fr.stmt_line, fr.stmt_end, nullptr);
  }

  // A value reaches a sink of `kind` at (line, col).
  void ReportSink(Frame& fr, const Value& v, int kind, std::uint32_t line, std::uint32_t col,
                  const std::string& what) {
    std::vector<Origin> flat;
    FlattenInto(v, flat);
    const std::uint32_t bit = 1u << static_cast<unsigned>(kind);
    if (fr.st.safe_output & bit) return;
    if (fr.quiet_kinds & bit) return;
    for (const Origin& o : flat) {
      if (o.safe & bit) continue;
      if (o.key >= 0 && (o.unbuilt & bit)) continue;
      const Step* sink = NewStep(o.step, fr, line, col, "sink: " + what);
      if (o.key >= 0) {
        const auto& by_sink = rules.taint_rules_by_sink[static_cast<std::size_t>(RuleLanguage(fr.lang))];
        if (static_cast<std::size_t>(kind) >= by_sink.size()) continue;
        for (int r : by_sink[static_cast<std::size_t>(kind)]) {
          if (!(rules.rules[static_cast<std::size_t>(r)].source_mask & (1u << static_cast<unsigned>(o.key)))) continue;
          Emit(r, fr.module, line, col, fr.stmt_line, fr.stmt_end, sink);
        }
      } else if (fr.summary) {
        SinkHit h{-o.key - 1, kind, o.safe, o.unbuilt, sink, fr.module, line, col, fr.stmt_line, fr.stmt_end, {}, false};
        if (!fr.field_guards.empty()) std::tie(h.guard_field, h.guard_want) = fr.field_guards.back();
        AddHit(*fr.summary, h);
      }
    }
  }

  static void AddHit(Summary& summary, const SinkHit& h) {
    for (SinkHit& e : summary.hits) {
      if (e.param == h.param && e.kind == h.kind && e.line == h.line && e.col == h.col && e.module == h.module) {
        e.unbuilt &= h.unbuilt;  // built on some path: it counts
        if (e.guard_field != h.guard_field || e.guard_want != h.guard_want) e.guard_field.clear();  // reached either way
        return;
      }
    }
    if (summary.hits.size() < 64) summary.hits.push_back(h);
  }

  // ------------------------------------------------------------------ paths
  std::optional<std::string> PathOf(Frame& fr, ir::Id id) {
    if (id == ir::kNone) return std::nullopt;
    const ir::Expr& e = X(fr, id);
    switch (e.kind) {
      case ExprKind::kName: return e.s;
      case ExprKind::kThis: return std::string("this");
      case ExprKind::kAttr: {
        auto base = PathOf(fr, e.kids[0]);
        if (!base) return std::nullopt;
        return *base + "." + e.s;
      }
      case ExprKind::kIndex: {
        auto base = PathOf(fr, e.kids[0]);
        if (!base || e.kids.size() < 2 || e.kids[1] == ir::kNone) return std::nullopt;
        const ir::Expr& k = X(fr, e.kids[1]);
        if (k.kind == ExprKind::kConst && (k.const_kind == ConstKind::kString || k.const_kind == ConstKind::kInt)) {
          return *base + "." + (k.const_kind == ConstKind::kString ? k.s : std::to_string(k.i));
        }
        // A key held in a constant variable: fold it.
        if (k.kind == ExprKind::kName) {
          auto it = fr.st.env.find(k.s);
          if (it != fr.st.env.end() && it->second.IsConst() && it->second.ck != ConstKind::kNull) {
            return *base + "." + ConstText(it->second);
          }
        }
        return std::nullopt;
      }
      default: return std::nullopt;
    }
  }

  static bool IsChildOf(const std::string& key, const std::string& path) {
    return key.size() > path.size() && key.compare(0, path.size(), path) == 0 && key[path.size()] == '.';
  }

  // What is known about a path: itself, its nearest ancestor, or its children.
  std::optional<Value> ReadPath(Frame& fr, const std::string& path, bool ancestors = true) {
    auto& env = fr.st.env;
    auto it = env.find(path);
    std::optional<Value> result;
    if (it != env.end()) result = it->second;
    // children (path.x, path.y): reading the whole object sees them all
    auto child = env.lower_bound(path + ".");
    bool any_child = false;
    for (; child != env.end() && IsChildOf(child->first, path); ++child) {
      if (!result) result = Value{};
      FlattenInto(child->second, result->o);
      any_child = true;
    }
    if (any_child && result) {
      result->ck = ConstKind::kUnset;
      result->list.reset();
    }
    if (result || !ancestors) return result;
    // nearest ancestor: its taint covers unknown members
    std::string p = path;
    while (true) {
      std::size_t dot = p.find_last_of('.');
      if (dot == std::string::npos) break;
      p.resize(dot);
      auto a = env.find(p);
      if (a != env.end()) {
        const Value& av = a->second;
        // An element of a known list shape: `xs.1`.
        std::string rest = path.substr(p.size() + 1);
        if (av.list && rest.find('.') == std::string::npos && !rest.empty() &&
            std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }) && rest.size() < 6) {
          std::size_t idx = std::stoul(rest);
          if (idx < av.list->size()) return (*av.list)[idx];
          return Value{};
        }
        return Flat(av);
      }
    }
    return std::nullopt;
  }

  // In a field engine: a write through a Java/C++ field's bare name that is
  // not an assignment (fgets(data, ...), strcat(data, ...)) is a field write.
  void RecordBareField(Frame& fr, const std::string& path, const Value& v) {
    if (!ImplicitThis(fr) || fr.f->cls.empty()) return;
    std::string root = path.substr(0, path.find('.'));
    if (root == "this" || !fr.m->field_types.count(root) || fr.types.count(root)) return;
    RecordField(fr, "this." + path, v);
  }

  void WritePath(Frame& fr, const std::string& path, Value v) {
    if (field_pass) {
      RecordGlobal(fr, path, v);
      RecordBareField(fr, path, v);
    }
    auto& env = fr.st.env;
    auto child = env.lower_bound(path + ".");
    while (child != env.end() && IsChildOf(child->first, path)) child = env.erase(child);
    env[path] = std::move(v);
  }

  // buf[i] = v past the end of a buffer of known size: i a constant, or
  // bounded by the loop around it (for (i = 0; i < 100; i++)). Pattern
  // rules with an `index-write` entry report it.
  void CheckIndexWrite(Frame& fr, const ir::Expr& target, const Value& index) {
    const auto& list = rules.pattern_index_writes[static_cast<std::size_t>(RuleLanguage(fr.lang))];
    if (list.empty() || target.kids[0] == ir::kNone || X(fr, target.kids[0]).kind != ExprKind::kName) return;
    const std::string& name = X(fr, target.kids[0]).s;
    auto it = fr.st.env.find(name);
    if (it == fr.st.env.end() || it->second.cap < 0) return;
    const Value& buf = it->second;
    std::int64_t elem = buf.elem;
    if (elem == 0) {
      auto type = fr.types.find(name);
      if (type != fr.types.end()) elem = ir::CScalarSize(type->second);
    }
    std::int64_t hi = -1;
    constexpr std::int64_t kMax = std::int64_t{1} << 40;
    if (index.ck == ConstKind::kInt && index.i >= 0 && index.i <= kMax) hi = index.i;
    else if (!index.IsConst() && index.ub >= 0 && index.ub <= kMax) hi = index.ub;
    if (elem <= 0 || hi < 0 || (hi + 1) * elem <= buf.cap) return;
    for (const auto& [ri, ai] : list) {
      const PatternAlt& alt = rules.rules[static_cast<std::size_t>(ri)].patterns[static_cast<std::size_t>(ai)];
      if (alt.index_write_memory != 0 && alt.index_write_memory != buf.cap_kind) continue;
      EmitPattern(fr, ri, target.line, target.col);
    }
  }

  // A C loop `while (i < n)` / `for (...; i <= n; ...)` with a constant n:
  // inside the body, i is at most n - 1 (or n).
  void BoundLoopVariable(Frame& fr, ir::Id cond) {
    if (!IsC(fr.lang) || cond == ir::kNone) return;
    const ir::Expr& c = X(fr, cond);
    if (c.kind != ExprKind::kBinary || c.kids.size() != 2 || (c.s != "<" && c.s != "<=")) return;
    if (c.kids[0] == ir::kNone || X(fr, c.kids[0]).kind != ExprKind::kName) return;
    const Value limit = Eval(fr, c.kids[1]);
    if (limit.ck != ConstKind::kInt || limit.i <= 0 || limit.i > (std::int64_t{1} << 40)) return;
    auto it = fr.st.env.find(X(fr, c.kids[0]).s);
    if (it == fr.st.env.end() || it->second.IsConst()) return;
    it->second.ub = c.s == "<" ? limit.i - 1 : limit.i;
  }

  // New contents written into the buffer at `path` (strcpy, fgets): the
  // buffer, and so its size, stays the same.
  Value KeepBuffer(Frame& fr, const std::string& path, Value v) {
    auto it = fr.st.env.find(path);
    // The contents change, not where they live or whether it was checked.
    v.memory = it != fr.st.env.end() ? it->second.memory : Memory::kUnknown;
    v.maybe_null = it != fr.st.env.end() && it->second.maybe_null;
    v.not_null = it != fr.st.env.end() && it->second.not_null;
    if (it != fr.st.env.end() && (it->second.cap >= 0 || it->second.before_start)) {
      v.cap = it->second.cap;
      v.cap_kind = it->second.cap_kind;
      v.elem = it->second.elem;
      v.array = it->second.array;
      v.before_start = it->second.before_start;
    }
    return v;
  }

  // Weak update: the path may or may not hold `v` now.
  void JoinPath(Frame& fr, const std::string& path, const Value& v) {
    if (field_pass) {
      RecordGlobal(fr, path, v);
      RecordBareField(fr, path, v);
    }
    auto& env = fr.st.env;
    auto it = env.find(path);
    if (it == env.end()) {
      Value nv = Flat(v);
      env[path] = std::move(nv);
    } else {
      Value keep = it->second;
      keep.uninit = false;  // written, if only in part
      for (const Origin& o : Flat(v).o) AddOrigin(keep.o, o);
      keep.ck = ConstKind::kUnset;
      keep.freed = false;
      keep.pointer_param = -1;
      it->second = std::move(keep);
    }
  }

  // ------------------------------------------------------------------ names
  std::string TypeOf(Frame& fr, const std::string& var) {
    auto it = fr.types.find(var);
    if (it != fr.types.end()) return it->second;
    auto ft = fr.m->field_types.find(var);
    if (ft != fr.m->field_types.end()) return ft->second;
    return {};
  }

  // Dotted names for an expression, used to match models: the name as
  // written, with imports resolved, and with a variable's declared type.
  void Names(Frame& fr, ir::Id id, std::vector<std::string>& out, int depth = 0) {
    if (id == ir::kNone || depth > 12) {
      out.push_back("?");
      return;
    }
    const ir::Expr& e = X(fr, id);
    switch (e.kind) {
      case ExprKind::kName: {
        std::string n = NormalizeName(e.s);
        auto imp = fr.m->imports.find(e.s);
        if (imp != fr.m->imports.end() && !fr.st.env.count(e.s)) out.push_back(NormalizeName(imp->second));
        out.push_back(n);
        std::string t = TypeOf(fr, e.s);
        if (!t.empty() && t != n) out.push_back(t);
        if (t.empty() && fr.lang == Language::kPython && !fr.f->is_module_body && !fr.st.env.count(e.s)) {
          const auto& objects = ModuleObjects(fr.module);
          if (auto o = objects.find(e.s); o != objects.end()) out.push_back(o->second);
        }
        return;
      }
      case ExprKind::kThis:
        out.push_back("this");
        if (!fr.f->cls.empty()) {
          out.push_back(fr.f->cls);
          // Inherited library methods read as the base's: self.write(...) in
          // a tornado.web.RequestHandler subclass is RequestHandler.write.
          std::vector<std::string> todo{fr.f->cls};
          for (std::size_t i = 0; i < todo.size() && todo.size() < 8; ++i) {
            auto it = program.class_bases.find(Program::BasesKey(fr.lang, todo[i]));
            if (it == program.class_bases.end()) continue;
            for (const std::string& b : it->second) {
              if (std::find(todo.begin(), todo.end(), b) != todo.end()) continue;
              todo.push_back(b);
              out.push_back(b);
            }
          }
        }
        return;
      case ExprKind::kAttr: {
        std::vector<std::string> base;
        Names(fr, e.kids[0], base, depth + 1);
        for (const std::string& b : base) out.push_back(b + "." + e.s);
        // this.field with a declared field type
        const ir::Expr& obj = X(fr, e.kids[0]);
        if (obj.kind == ExprKind::kThis) {
          std::string t = TypeOf(fr, e.s);
          if (!t.empty()) out.push_back(t);
        }
        if (depth == 0 && fr.lang == Language::kJava) AddUnqualified(fr, id, out);
        return;
      }
      case ExprKind::kCall:
        if (!e.kids.empty()) Names(fr, e.kids[0], out, depth + 1);
        // Fluent APIs return their receiver (res.status(200).send): the
        // chain also reads as a call on the receiver itself.
        if (!e.kids.empty() && e.kids[0] != ir::kNone && out.size() < 16 &&
            (fr.lang == Language::kJavaScript || fr.lang == Language::kTypeScript) &&
            X(fr, e.kids[0]).kind == ExprKind::kAttr) {
          Names(fr, X(fr, e.kids[0]).kids[0], out, depth + 1);
        }
        return;
      case ExprKind::kNew:
        out.push_back(e.s);
        return;
      case ExprKind::kConst:
        out.push_back(e.const_kind == ConstKind::kString ? "String" : "?");
        return;
      case ExprKind::kIndex:
        if (!e.kids.empty()) {
          std::vector<std::string> base;
          Names(fr, e.kids[0], base, depth + 1);
          for (const std::string& b : base) out.push_back(b + "[]");
        }
        return;
      default:
        out.push_back("?");
        return;
    }
  }

  // Java code often names a class by its package: java.nio.file.Paths.get.
  // Models name classes simply, so also offer the name from the first
  // capitalized segment on, when the root is a package, not a variable.
  void AddUnqualified(Frame& fr, ir::Id id, std::vector<std::string>& out) {
    ir::Id root = id;
    while (root != ir::kNone && X(fr, root).kind == ExprKind::kAttr) root = X(fr, root).kids[0];
    if (root == ir::kNone) return;
    const ir::Expr& r = X(fr, root);
    if (r.kind != ExprKind::kName || r.s.empty() || !(r.s[0] >= 'a' && r.s[0] <= 'z')) return;
    if (fr.st.env.count(r.s) || fr.st.env.count("this." + r.s) || !TypeOf(fr, r.s).empty()) return;
    const std::string& full = out.front();
    std::size_t start = 0;
    while (start < full.size()) {
      if (full[start] >= 'A' && full[start] <= 'Z') break;
      std::size_t dot = full.find('.', start);
      if (dot == std::string::npos) return;
      start = dot + 1;
    }
    if (start == 0 || start >= full.size()) return;
    out.push_back(full.substr(start));
  }

  static std::string LastOf(const std::string& name) {
    std::size_t dot = name.find_last_of('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
  }

  // ------------------------------------------------------------ conditions
  // The text of argument `index` / option `name`, and whether it exists.
  struct ArgView {
    bool present = false;
    const Value* value = nullptr;
    ir::Id expr = ir::kNone;
  };

  ArgView FindArg(Frame& fr, const ir::Expr& call, std::size_t first_arg, const std::vector<Value>& args,
                  const Cond& c) {
    ArgView v;
    if (c.index >= 0) {
      // positional args only
      std::size_t pos = 0;
      for (std::size_t k = first_arg; k < call.kids.size(); ++k) {
        std::size_t ai = k - first_arg;
        bool keyword = ai < call.keys.size() && !call.keys[ai].empty();
        if (keyword) continue;
        if (pos == static_cast<std::size_t>(c.index)) {
          v.present = true;
          v.value = &args[ai];
          v.expr = call.kids[k];
          return v;
        }
        ++pos;
      }
      return v;
    }
    for (std::size_t k = first_arg; k < call.kids.size(); ++k) {
      std::size_t ai = k - first_arg;
      if (ai < call.keys.size() && call.keys[ai] == c.option) {
        v.present = true;
        v.value = &args[ai];
        v.expr = call.kids[k];
        return v;
      }
      // options object: f(x, {secure: true}); a dotted option names a
      // nested one: "cookie.secure" in session({cookie: {secure: false}}).
      ir::Id found = OptionIn(fr, call.kids[k], c.option);
      if (found != ir::kNone) {
        v.present = true;
        v.expr = found;
        return v;
      }
    }
    return v;
  }

  // The value under `path` ("a" or "a.b") in an object literal, or kNone.
  ir::Id OptionIn(Frame& fr, ir::Id dict, std::string_view path) {
    for (int depth = 0; depth < 4 && dict != ir::kNone && X(fr, dict).kind == ExprKind::kDict; ++depth) {
      const std::size_t dot = path.find('.');
      const std::string_view key = path.substr(0, dot);
      const ir::Expr& d = X(fr, dict);
      ir::Id value = ir::kNone;
      for (std::size_t j = 0; j < d.keys.size() && j < d.kids.size(); ++j) {
        if (d.keys[j] == key) value = d.kids[j];
      }
      if (value == ir::kNone || dot == std::string_view::npos) return value;
      dict = value;
      path.remove_prefix(dot + 1);
    }
    return ir::kNone;
  }

  std::string ExprText(Frame& fr, ir::Id id) {
    if (id == ir::kNone) return {};
    const ir::Expr& e = X(fr, id);
    if (e.kind == ExprKind::kConst) {
      Value v;
      v.ck = e.const_kind;
      v.s = e.s;
      v.i = e.i;
      return ConstText(v);
    }
    if (e.kind == ExprKind::kName || e.kind == ExprKind::kAttr) {
      std::vector<std::string> names;
      Names(fr, id, names);
      return names.empty() ? std::string() : names.back() == "?" ? names.front() : names.front();
    }
    if (e.kind == ExprKind::kUnary && (e.s == "-" || e.s == "!" || e.s == "not") && !e.kids.empty()) {
      return e.s + ExprText(fr, e.kids[0]);
    }
    if (e.kind == ExprKind::kUnknown) return e.s;  // a JS regex literal's /pattern/flags, a Java Type::method
    return {};
  }

  // The literal text a string expression starts with: "redirect:" for
  // "redirect:" + url, f"redirect:{url}" and String.format("redirect:%s", url).
  std::string LeftmostText(Frame& fr, ir::Id id) {
    for (int guard = 0; guard < 16 && id != ir::kNone; ++guard) {
      const ir::Expr& e = X(fr, id);
      if (e.kind == ExprKind::kConst) return e.const_kind == ConstKind::kString ? e.s : std::string();
      if ((e.kind == ExprKind::kBinary && e.s == "+" && e.kids.size() == 2) ||
          (e.kind == ExprKind::kFormat && !e.kids.empty())) {
        id = e.kids[0];
        continue;
      }
      break;
    }
    return {};
  }

  // Bytes a buffer write takes (Cond::buffer): known exactly, or at most
  // (the text a source can hold, a count bounded by strlen of such text);
  // -1 when unknown. `what` is the source or the count argument.
  static std::int64_t WriteBytes(const Cond& c, const Value& what) {
    constexpr std::int64_t kMax = std::int64_t{1} << 40;
    if (c.buffer_source >= 0) {
      if (what.ck == ConstKind::kString) return (static_cast<std::int64_t>(what.s.size()) + 1) * c.buffer_unit;
      if (what.len_max >= 0 && what.len_max <= kMax) return (what.len_max + 1) * c.buffer_unit;
      return what.cap;
    }
    if (what.ck == ConstKind::kInt && what.i >= 0 && what.i <= kMax) return what.i * c.buffer_unit;
    if (what.ck == ConstKind::kUnset && what.ub >= 0 && what.ub <= kMax) return what.ub * c.buffer_unit;
    return -1;
  }

  // The parameter a value is (a copy of), or -1.
  static int ParamOf(const Value& v) {
    for (const Origin& o : v.o) {
      if (o.key < 0 && static_cast<std::size_t>(-(o.key + 1)) < kFieldBase) return -(o.key + 1);
    }
    return -1;
  }

  // ------------------------------------------------------ released memory
  // C/C++: a pointer a release model (free, delete) was given is freed from
  // there on, on the paths where every branch released it (Join keeps
  // Value::freed only when both sides have it), until it is assigned again.
  // Releasing it again and using it (a dereference, an argument of a call
  // that is not the project's own) are reported by the pattern rules with
  // a `freed` entry. A project function's summary lists what it does with
  // each parameter (FreedUse), so the judgement is made where the caller
  // hands over memory it already released.
  bool TracksFreed(const Frame& fr) const {
    return IsC(fr.lang) && !rules.pattern_freed[static_cast<std::size_t>(RuleLanguage(fr.lang))].empty();
  }

  void EmitFreed(Frame& fr, PatternAlt::Freed what, std::uint32_t module, std::uint32_t line, std::uint32_t col,
                 std::uint32_t stmt_line, std::uint32_t stmt_end) {
    for (const auto& [ri, ai] : rules.pattern_freed[static_cast<std::size_t>(RuleLanguage(fr.lang))]) {
      if (rules.rules[static_cast<std::size_t>(ri)].patterns[static_cast<std::size_t>(ai)].freed == what) {
        Emit(ri, module, line, col, stmt_line, stmt_end, nullptr);
      }
    }
  }

  // How many calls in the program name each function (C/C++ call sites by
  // name; a function only taken by address has none).
  std::unordered_map<std::string_view, int> call_sites;
  bool call_sites_built = false;
  int CallSites(const std::string& name) {
    if (!call_sites_built) {
      call_sites_built = true;
      for (const auto& m : program.modules) {
        if (!m || !IsC(m->language)) continue;
        for (const ir::Expr& e : m->exprs) {
          if (e.kind != ExprKind::kCall || e.kids.empty() || e.kids[0] == ir::kNone) continue;
          const ir::Expr& callee = m->exprs[e.kids[0]];
          if (callee.kind == ExprKind::kName) ++call_sites[callee.s];
        }
      }
    }
    auto it = call_sites.find(name);
    return it == call_sites.end() ? 0 : it->second;
  }

  // One release and one use per parameter: the first seen. Whether a
  // release happens on every path is known at the exits (NoteExit).
  void RecordFreedUse(Frame& fr, int param, bool release, std::uint32_t module, std::uint32_t line,
                      std::uint32_t col, std::uint32_t stmt_line, std::uint32_t stmt_end,
                      Memory memory = Memory::kUnknown, bool deref = false) {
    for (FreedUse& u : fr.summary->freed_uses) {
      if (u.param == param && u.release == release && u.deref == deref) return;
    }
    fr.summary->freed_uses.push_back({param, release, false, memory, deref, module, line, col, stmt_line, stmt_end});
  }

  // A read or write through the pointer value `v` at (line, col): NULL on
  // every path, or an allocation's unchecked result. Reported once: the
  // path after a crash is not taken, so the pointer reads as checked.
  void CheckNull(Frame& fr, const Value& v, const std::optional<std::string>& path, std::uint32_t module,
                 std::uint32_t line, std::uint32_t col, std::uint32_t stmt_line, std::uint32_t stmt_end) {
    if (v.freed) return;  // a use after free, reported as such
    if (path && std::find(fr.not_null_here.begin(), fr.not_null_here.end(), *path) != fr.not_null_here.end()) return;
    // A lambda runs later: what it captured by reference is set by then.
    const bool null = v.ck == ConstKind::kNull && !fr.f->is_lambda;
    if (null || v.maybe_null) {
      // Once per variable and function: a loop's next pass or a later
      // use of the same unchecked pointer is the same defect.
      if (path && !fr.null_reported.insert(*path).second) return;
      EmitFreed(fr, null ? PatternAlt::Freed::kNullDeref : PatternAlt::Freed::kUncheckedNull, module, line, col,
                stmt_line, stmt_end);
      if (path) {
        if (auto it = fr.st.env.find(*path); it != fr.st.env.end()) {
          if (null) it->second.ck = ConstKind::kUnset;
          it->second.maybe_null = false;
        }
      }
      return;
    }
    if (fr.summary && v.pointer_param >= 0 && !v.not_null && fr.conditional == 0) {
      RecordFreedUse(fr, v.pointer_param, false, module, line, col, stmt_line, stmt_end, Memory::kUnknown, true);
    }
  }

  // NULL, nullptr, 0, or a macro spelled like one (BOOST_NULLPTR, Z_NULL).
  static bool NullLiteral(const ir::Expr& k) {
    if (k.kind == ExprKind::kConst) {
      return k.const_kind == ConstKind::kNull || (k.const_kind == ConstKind::kInt && k.i == 0);
    }
    return k.kind == ExprKind::kName &&
           (k.s == "NULL" || k.s.ends_with("_NULL") || k.s.ends_with("NULLPTR") || k.s.ends_with("_nullptr"));
  }

  // The variables a C condition proves are not NULL where it is `positive`:
  // `p`, `p != NULL`, `!(p == NULL)`, and each side of a conjunction.
  void NotNullWhere(Frame& fr, ir::Id cond, bool positive, std::vector<std::string>& out, int depth = 0) {
    if (cond == ir::kNone || depth > 8 || out.size() > 16) return;
    const ir::Expr& c = X(fr, cond);
    auto null_const = [&](ir::Id k) { return k != ir::kNone && NullLiteral(X(fr, k)); };
    if (c.kind == ExprKind::kName && c.pointer_op == 0) {
      if (positive) out.push_back(c.s);
    } else if (c.kind == ExprKind::kUnary && c.s == "!" && !c.kids.empty()) {
      NotNullWhere(fr, c.kids[0], !positive, out, depth + 1);
    } else if (c.kind == ExprKind::kBinary && c.kids.size() == 2) {
      if ((c.s == "&&" && positive) || (c.s == "||" && !positive)) {
        NotNullWhere(fr, c.kids[0], positive, out, depth + 1);
        NotNullWhere(fr, c.kids[1], positive, out, depth + 1);
      } else if ((c.s == "!=" && positive) || (c.s == "==" && !positive)) {
        for (int side = 0; side < 2; ++side) {
          const ir::Id other = c.kids[1 - side];
          if (null_const(c.kids[side]) && other != ir::kNone && X(fr, other).kind == ExprKind::kName &&
              X(fr, other).pointer_op == 0) {
            out.push_back(X(fr, other).s);
          }
        }
      }
    }
  }

  // `*p`, and a model's dereferenced argument: the pointer variable p.
  void CheckNullAt(Frame& fr, ir::Id ptr, std::uint32_t line, std::uint32_t col) {
    if (ptr == ir::kNone || !TracksFreed(fr)) return;
    const ir::Expr& b = X(fr, ptr);
    if (b.kind != ExprKind::kName) return;
    auto it = fr.st.env.find(b.s);
    if (it == fr.st.env.end()) return;
    const Value v = it->second;
    CheckNull(fr, v, b.s, fr.module, line, col, fr.stmt_line, fr.stmt_end);
  }

  // Memory of `v` given to a release of allocator family `family`: from
  // another family, or not from the heap at all. A parameter's memory is
  // judged where the caller's is known (FreedUse::memory).
  bool WrongRelease(Frame& fr, Memory family, const Value& v, std::uint32_t module, std::uint32_t line,
                    std::uint32_t col, std::uint32_t stmt_line, std::uint32_t stmt_end) {
    if (family == Memory::kUnknown || v.freed || v.memory == Memory::kUnknown) return false;
    if (v.memory == Memory::kStack || v.memory == Memory::kStatic) {
      EmitFreed(fr, PatternAlt::Freed::kNotHeap, module, line, col, stmt_line, stmt_end);
      return true;
    }
    if (v.memory == family) return false;
    EmitFreed(fr, PatternAlt::Freed::kMismatch, module, line, col, stmt_line, stmt_end);
    return true;
  }

  // A way out of the function: which parameters leave it released.
  void NoteExit(Frame& fr) {
    if (!fr.summary || !TracksFreed(fr)) return;
    ++fr.exits;
    fr.released_at_exit.resize(fr.f->params.size(), 0);
    for (std::size_t i = 0; i < fr.f->params.size(); ++i) {
      auto it = fr.st.env.find(fr.f->params[i].name);
      if (it == fr.st.env.end()) continue;
      const Value& v = it->second;
      // Released, or the null pointer on this path (a guard's early return).
      if ((v.freed && v.pointer_param == static_cast<int>(i)) || v.ck == ConstKind::kNull ||
          (v.ck == ConstKind::kInt && v.i == 0)) {
        ++fr.released_at_exit[i];
      }
    }
  }

  // After the body: a release is `must` when every exit left the parameter
  // released (an early `return` before free() does not).
  void SettleReleases(Frame& fr) {
    if (!fr.summary) return;
    for (FreedUse& u : fr.summary->freed_uses) {
      const auto k = static_cast<std::size_t>(u.param);
      u.must = u.release && fr.exits > 0 && k < fr.released_at_exit.size() && fr.released_at_exit[k] == fr.exits;
    }
  }

  // CWE-401: memory the function allocates into a local variable and that
  // no path gives back, returns, stores elsewhere or hands to a call that
  // may keep it. Syntactic over the whole body, so any use it cannot
  // classify (an alias, arithmetic, an unknown call) counts as an escape:
  // what is reported has nowhere to go.
  void CheckLeaks(Frame& fr, const ir::Function& f) {
    if (!IsC(fr.lang) || f.body == ir::kNone || f.is_module_body || f.is_lambda || !TracksFreed(fr)) return;
    bool rule = false;
    for (const auto& [ri, ai] : rules.pattern_freed[static_cast<std::size_t>(RuleLanguage(fr.lang))]) {
      rule |= rules.rules[static_cast<std::size_t>(ri)].patterns[static_cast<std::size_t>(ai)].freed ==
              PatternAlt::Freed::kLeak;
    }
    if (!rule) return;
    // Statements of the body, and the allocations into plain locals.
    std::vector<ir::Id> stmts;
    std::vector<ir::Id> todo{f.body};
    while (!todo.empty() && stmts.size() < 20000) {
      const ir::Id id = todo.back();
      todo.pop_back();
      if (id == ir::kNone) continue;
      stmts.push_back(id);
      const ir::Stmt& st = fr.m->stmts[id];
      todo.insert(todo.end(), st.body.begin(), st.body.end());
      todo.insert(todo.end(), st.orelse.begin(), st.orelse.end());
    }
    auto allocation = [&](ir::Id v) {
      if (v == ir::kNone) return false;
      const ir::Expr& e = X(fr, v);
      if (e.kind == ExprKind::kNew) return e.storage == 3 || e.s == "<new[]>";
      if (e.kind != ExprKind::kCall || e.kids.empty() || e.kids[0] == ir::kNone) return false;
      std::vector<std::string> names;
      Names(fr, e.kids[0], names);
      bool heap = false;
      fr.models->calls.Match(names, [&](const std::shared_ptr<const CallModel>& m) {
        heap |= m->role == CallModel::kAllocate && m->memory != Memory::kStack;
      });
      return heap;
    };
    // Locals only: a global or a parameter outlives the call.
    std::set<std::string> locals;
    for (ir::Id sid : stmts) {
      const ir::Stmt& st = fr.m->stmts[sid];
      if (st.kind == StmtKind::kAssign && !st.type.empty() && st.a != ir::kNone && X(fr, st.a).kind == ExprKind::kName) {
        locals.insert(X(fr, st.a).s);
      }
    }
    std::map<std::string, const ir::Stmt*> allocated;  // variable -> its (first) allocation
    for (ir::Id sid : stmts) {
      const ir::Stmt& st = fr.m->stmts[sid];
      if (st.kind != StmtKind::kAssign || !st.op.empty() || st.a == ir::kNone) continue;
      const ir::Expr& t = X(fr, st.a);
      if (t.kind == ExprKind::kName && t.pointer_op == 0 && locals.count(t.s) && allocation(st.b)) {
        allocated.emplace(t.s, &st);
      }
    }
    if (allocated.empty()) return;
    // Every other occurrence of each variable: a release, a borrow, or an escape.
    std::set<std::string> released, escaped;
    auto call_kind = [&](const ir::Expr& call, std::size_t arg) {  // 0 escape, 1 borrow, 2 release
      if (call.kids.empty() || call.kids[0] == ir::kNone) return 0;
      std::vector<std::string> names;
      Names(fr, call.kids[0], names);
      int kind = 0;
      fr.models->calls.Match(names, [&](const std::shared_ptr<const CallModel>& m) {
        const bool at = std::find(m->args.begin(), m->args.end(), static_cast<int>(arg)) != m->args.end();
        if (m->role == CallModel::kRelease && at) kind = 2;
        else if (kind == 0 && ((m->role == CallModel::kDereference && at) || m->role == CallModel::kClean)) kind = 1;
      });
      // Printing never takes ownership (printf, printLine, print_usage...).
      const std::string last = names.empty() ? std::string() : LastOf(names.back());
      if (kind == 0 && (last.starts_with("print") || last.starts_with("fprint") || last.starts_with("snprint") ||
                        last.starts_with("sprint") || last == "puts" || last == "fputs" || last == "fwrite")) {
        kind = 1;
      }
      return kind;
    };
    // visit(expr, how it is used by its parent): 0 plain value (escape), 1 borrowed.
    std::vector<std::pair<ir::Id, int>> work;
    for (ir::Id sid : stmts) {
      const ir::Stmt& st = fr.m->stmts[sid];
      if (st.kind == StmtKind::kAssign) {
        const bool alloc_stmt = st.a != ir::kNone && X(fr, st.a).kind == ExprKind::kName &&
                                allocated.count(X(fr, st.a).s) && allocation(st.b);
        if (st.a != ir::kNone) {
          const ir::Expr& t = X(fr, st.a);
          if (t.kind == ExprKind::kName && t.pointer_op == 0) {
            // Reassigned from something else: followed no further.
            if (!alloc_stmt && allocated.count(t.s) && st.b != ir::kNone &&
                X(fr, st.b).kind != ExprKind::kList && !NullLiteral(X(fr, st.b))) {
              escaped.insert(t.s);
            }
          } else {
            work.push_back({st.a, 1});  // p->f = v, p[i] = v, *p = v write through p
          }
        }
        if (!alloc_stmt) work.push_back({st.b, 0});
        else {
          for (ir::Id k : X(fr, st.b).kids) work.push_back({k, 1});  // the size arguments
        }
      } else if (st.kind == StmtKind::kReturn || st.kind == StmtKind::kThrow) {
        work.push_back({st.a, 0});
      } else {
        work.push_back({st.a, 1});  // conditions and expression statements
        work.push_back({st.b, 1});
      }
    }
    std::size_t guard = 0;
    while (!work.empty() && ++guard < 200000) {
      const auto [id, borrowed] = work.back();
      work.pop_back();
      if (id == ir::kNone) continue;
      const ir::Expr& e = X(fr, id);
      switch (e.kind) {
        case ExprKind::kName:
          if (allocated.count(e.s) && (!borrowed || e.pointer_op == '&')) escaped.insert(e.s);
          break;
        case ExprKind::kAttr:
        case ExprKind::kIndex:
          // Read through where a field is borrowed; as a value (`return
          // p->buf`, `q = &p[1]`) it may point into the block.
          if (!e.kids.empty()) work.push_back({e.kids[0], borrowed});
          for (std::size_t k = 1; k < e.kids.size(); ++k) work.push_back({e.kids[k], 0});
          break;
        case ExprKind::kCall:
          // p->method(): the object may register itself (worker->Queue()).
          if (!e.kids.empty() && e.kids[0] != ir::kNone && X(fr, e.kids[0]).kind != ExprKind::kName) {
            work.push_back({e.kids[0], 0});
          }
          for (std::size_t k = 1; k < e.kids.size(); ++k) {
            if (e.kids[k] == ir::kNone) continue;
            const ir::Expr& a = X(fr, e.kids[k]);
            const int how = call_kind(e, k - 1);
            if (how == 2 && a.kind == ExprKind::kName && allocated.count(a.s)) {
              released.insert(a.s);
            } else {
              work.push_back({e.kids[k], how == 1 ? 1 : 0});
            }
          }
          break;
        case ExprKind::kBinary:
          if (e.s == "==" || e.s == "!=" || e.s == "&&" || e.s == "||" || e.s == "<" || e.s == ">" ||
              e.s == "<=" || e.s == ">=") {
            for (ir::Id k : e.kids) work.push_back({k, 1});  // a test, not a copy
          } else {
            for (ir::Id k : e.kids) work.push_back({k, 0});
          }
          break;
        case ExprKind::kUnary:
          for (ir::Id k : e.kids) work.push_back({k, e.s == "!" ? 1 : 0});
          break;
        case ExprKind::kFunc:
          for (const auto& [name, st] : allocated) escaped.insert(name);  // a lambda may capture it
          break;
        default:
          for (ir::Id k : e.kids) work.push_back({k, 0});
          break;
      }
    }
    for (const auto& [name, st] : allocated) {
      if (released.count(name) || escaped.count(name)) continue;
      EmitFreed(fr, PatternAlt::Freed::kLeak, fr.module, st->line, st->col, st->line, st->end_line);
    }
  }

  // A release (`release`, by a release of allocator family `family`) or a
  // use of the pointer value `v` at (line, col).
  void NoteFreedUse(Frame& fr, const Value& v, bool release, std::uint32_t line, std::uint32_t col,
                    Memory family = Memory::kUnknown) {
    if (v.freed) {
      EmitFreed(fr, release ? PatternAlt::Freed::kRelease : PatternAlt::Freed::kUse, fr.module, line, col,
                fr.stmt_line, fr.stmt_end);
      return;
    }
    if (release && WrongRelease(fr, family, v, fr.module, line, col, fr.stmt_line, fr.stmt_end)) return;
    if (fr.summary && v.pointer_param >= 0) {
      RecordFreedUse(fr, v.pointer_param, release, fr.module, line, col, fr.stmt_line, fr.stmt_end, family);
    }
  }

  void MarkFreed(Frame& fr, ir::Id ptr) {
    if (auto p = PathOf(fr, ptr)) {
      fr.st.env[*p].freed = true;
      fr.any_freed = true;
    }
  }

  // `base->f`, `base[i]`: a dereference of the pointer `base`.
  void CheckDeref(Frame& fr, ir::Id base, std::uint32_t line, std::uint32_t col) {
    if (base == ir::kNone || !TracksFreed(fr)) return;
    const ir::Expr& b = X(fr, base);
    if (b.kind == ExprKind::kName) {
      auto it = fr.st.env.find(b.s);
      if (it != fr.st.env.end()) NoteFreedUse(fr, it->second, false, line, col);
      if (b.pointer_op != '&') {  // (&s)->f is s's own storage
        CheckUninitialized(fr, b);  // p->f = v, p[i] = v read p
        CheckNullAt(fr, base, line, col);
      }
    } else if (b.kind == ExprKind::kIndex && !b.kids.empty() && b.kids[0] != ir::kNone &&
               X(fr, b.kids[0]).kind == ExprKind::kName && X(fr, b.kids[0]).pointer_op == 0) {
      CheckNullAt(fr, b.kids[0], line, col);  // p[0].f reads through p
    } else if (fr.any_freed && b.kind == ExprKind::kAttr) {
      if (auto p = PathOf(fr, base)) {
        auto it = fr.st.env.find(*p);
        if (it != fr.st.env.end() && it->second.freed) NoteFreedUse(fr, it->second, false, line, col);
      }
    }
  }

  // A release model's call (free(p), delete p).
  void ReleaseArgs(Frame& fr, const CallModel& m, const ir::Expr& call, std::size_t first_arg,
                   const std::vector<Value>& args) {
    if (!TracksFreed(fr)) return;
    for (int a : m.args) {
      Cond c;
      c.index = a;
      ArgView av = FindArg(fr, call, first_arg, args, c);
      if (!av.present || !av.value) continue;
      // free(*pp): what pp points at is released, which is not tracked;
      // pp itself is read.
      const bool deref = av.expr != ir::kNone && X(fr, av.expr).pointer_op != 0;
      NoteFreedUse(fr, *av.value, !deref, call.line, call.col, m.memory);
      if (!deref) MarkFreed(fr, av.expr);
    }
  }

  // A call that is neither a release nor one of the project's functions
  // (whose summaries say what they do with each argument): each pointer
  // handed to it is used.
  void ExternalUses(Frame& fr, const ir::Expr& call, std::size_t first_arg, const std::vector<Value>& args) {
    if (!TracksFreed(fr)) return;
    for (std::size_t k = first_arg; k < call.kids.size() && k - first_arg < args.size(); ++k) {
      if (call.kids[k] == ir::kNone) continue;
      // The pointer itself, not a value computed from it (strlen(p) + 1),
      // nor the place it is kept (`&p`, an out-parameter; OutArgsWritten).
      const ir::Expr& a = X(fr, call.kids[k]);
      if (a.kind != ExprKind::kName && a.kind != ExprKind::kAttr && a.kind != ExprKind::kIndex) continue;
      if (a.pointer_op == '&') continue;
      NoteFreedUse(fr, args[k - first_arg], false, call.line, call.col);
    }
  }

  // `f(&p)`: f may store a new pointer in p, so p is no longer known to be
  // freed (redisFormatCommand(&cmd, ...) after free(cmd)).
  // C/C++: reading a local that holds no value yet (`int n; f(n);`).
  // Reported once; a lambda (which runs later) and the target of
  // `std::cin >> n` are not reads.
  void CheckUninitialized(Frame& fr, const ir::Expr& e) {
    if (!fr.any_uninit || fr.not_a_read > 0 || fr.f->is_lambda) return;
    auto it = fr.st.env.find(e.s);
    if (it == fr.st.env.end() || !it->second.uninit) return;
    it->second.uninit = false;
    EmitFreed(fr, PatternAlt::Freed::kUninitRead, fr.module, e.line, e.col, fr.stmt_line, fr.stmt_end);
  }

  // A call to an ALL_CAPS name the program does not define: a macro.
  bool MacroCall(Frame& fr, const ir::Expr& call) {
    if (call.kind != ExprKind::kCall || call.kids.empty() || call.kids[0] == ir::kNone) return false;
    const ir::Expr& callee = X(fr, call.kids[0]);
    if (callee.kind != ExprKind::kName || callee.s.size() < 2) return false;
    bool upper = false;
    for (char c : callee.s) {
      if (c >= 'a' && c <= 'z') return false;
      upper |= c >= 'A' && c <= 'Z';
    }
    return upper && !program.by_name.count(callee.s);
  }

  // C: a statement that is only a call to an ALL_CAPS name the program
  // does not define is a macro (CHECK_ARITY(0); GET_HASH(b, t)): it may
  // return or assign anything, so what follows is not on every path and no
  // variable is known to be NULL any more.
  void MacroStatement(Frame& fr, ir::Id id) {
    if (id == ir::kNone) return;
    const ir::Expr& call = X(fr, id);
    if (call.kind != ExprKind::kCall || call.kids.empty() || call.kids[0] == ir::kNone) return;
    const ir::Expr& callee = X(fr, call.kids[0]);
    if (callee.kind != ExprKind::kName || callee.s.size() < 3) return;
    // assert(p != NULL): past it, the condition holds.
    if ((callee.s == "assert" || callee.s == "_ASSERT" || callee.s == "ASSERT") && call.kids.size() == 2) {
      Refine(fr, call.kids[1], true);
      return;
    }
    if (!MacroCall(fr, call)) return;
    ++fr.conditional;  // for the rest of the function
    for (auto& [path, v] : fr.st.env) {
      if (v.ck == ConstKind::kNull) v.ck = ConstKind::kUnset;
      v.uninit = false;
    }
    // Q_CHECK_PTR(p), CHECK_NOTNULL(p): a pointer handed to a macro is
    // taken as checked.
    for (std::size_t k = 1; k < call.kids.size(); ++k) {
      if (call.kids[k] == ir::kNone || X(fr, call.kids[k]).kind != ExprKind::kName) continue;
      if (auto it = fr.st.env.find(X(fr, call.kids[k]).s); it != fr.st.env.end()) it->second.maybe_null = false;
    }
  }

  // Likewise a NULL pointer handed over as `&p`, or in C++ by name (a
  // reference parameter can rebind it: Find(key, out_ptr)), may be set.
  void OutArgsWritten(Frame& fr, const ir::Expr& call) {
    for (std::size_t k = 1; k < call.kids.size(); ++k) {
      if (call.kids[k] == ir::kNone) continue;
      const ir::Expr& a = X(fr, call.kids[k]);
      const bool address = a.pointer_op == '&';
      if (!address && !(a.kind == ExprKind::kName && a.pointer_op == 0 &&
                        (fr.lang == Language::kCpp || MacroCall(fr, call)))) {
        continue;
      }
      if (!address && !fr.st.env.count(a.s)) continue;
      if (auto p = PathOf(fr, call.kids[k])) {
        if (auto it = fr.st.env.find(*p); it != fr.st.env.end()) {
          if (address) it->second.freed = false;
          if (it->second.ck == ConstKind::kNull) it->second.ck = ConstKind::kUnset;
          it->second.uninit = false;
        }
        // f(&s) may set s's members too (s.buf = NULL before it).
        if (address) {
          for (auto it = fr.st.env.lower_bound(*p); it != fr.st.env.end() && it->first.starts_with(*p); ++it) {
            const char next = it->first.size() > p->size() ? it->first[p->size()] : '\0';
            if ((next == '.' || next == '[') && it->second.ck == ConstKind::kNull) it->second.ck = ConstKind::kUnset;
          }
        }
      }
    }
  }

  // A callee's releases and uses against the caller's arguments. A finding
  // lands at the callee's own release or use when the callee is called from
  // one place only (a sink written for this caller), otherwise at this
  // call: a shared helper (a logging function used everywhere) would
  // collect every caller's findings at one line of its own.
  void ApplyFreedUses(Frame& fr, const Summary& s, const FuncRef& ref, const ir::Expr& call,
                      const std::vector<Value>& args, const std::optional<std::string>& recv_path) {
    const bool inside = CallSites(program.modules[ref.module]->functions[ref.func].name) <= 1;
    for (const FreedUse& u : s.freed_uses) {
      std::optional<Value> at = ParamValue(fr, static_cast<std::size_t>(u.param), args, recv_path);
      if (!at) continue;
      const std::uint32_t module = inside ? u.module : fr.module;
      const std::uint32_t line = inside ? u.line : call.line, col = inside ? u.col : call.col;
      const std::uint32_t stmt_line = inside ? u.stmt_line : fr.stmt_line;
      const std::uint32_t stmt_end = inside ? u.stmt_end : fr.stmt_end;
      if (u.deref) {
        // C only: C++ resolves calls by name across overloads and passes
        // nullptr to optional parameters of another overload than the one
        // read here.
        if (fr.lang != Language::kC) continue;
        const std::size_t k = static_cast<std::size_t>(u.param) + 1;
        // f(&x) hands over x's address, which is never NULL.
        if (k < call.kids.size() && call.kids[k] != ir::kNone && X(fr, call.kids[k]).pointer_op == '&') continue;
        std::optional<std::string> path;
        if (k < call.kids.size() && call.kids[k] != ir::kNone && X(fr, call.kids[k]).kind == ExprKind::kName &&
            X(fr, call.kids[k]).pointer_op == 0) {
          path = X(fr, call.kids[k]).s;
        }
        CheckNull(fr, *at, path, module, line, col, stmt_line, stmt_end);
        continue;
      }
      if (at->freed) {
        EmitFreed(fr, u.release ? PatternAlt::Freed::kRelease : PatternAlt::Freed::kUse, module, line, col,
                  stmt_line, stmt_end);
        continue;
      }
      if (u.release && WrongRelease(fr, u.memory, *at, module, line, col, stmt_line, stmt_end)) continue;
      if (fr.summary && at->pointer_param >= 0) {
        RecordFreedUse(fr, at->pointer_param, u.release, module, line, col, stmt_line, stmt_end, u.memory);
      }
      if (u.release && u.must && static_cast<std::size_t>(u.param) + 1 < call.kids.size()) {
        const ir::Id arg = call.kids[static_cast<std::size_t>(u.param) + 1];
        if (arg != ir::kNone && X(fr, arg).pointer_op == 0) MarkFreed(fr, arg);
      }
    }
  }

  // A pattern alternative that is one buffer-overflow condition, when the
  // call cannot decide it because one side is a parameter of the function:
  // the write is judged where the function is called (BufferUse).
  void DeferBufferWrite(Frame& fr, int rule, int alt_index, const PatternAlt& alt, const ir::Expr& call,
                        std::size_t first_arg, const std::vector<Value>& args) {
    if (!fr.summary || alt.where.size() != 1 || !alt.unless.empty()) return;
    const Cond& c = alt.where[0];
    if (c.buffer != Cond::BufferTest::kOverflows || c.buffer_append) return;
    ArgView d = FindArg(fr, call, first_arg, args, c);
    Cond which;
    which.index = c.buffer_source >= 0 ? c.buffer_source : c.buffer_size;
    ArgView w = FindArg(fr, call, first_arg, args, which);
    if (!d.present || !w.present || !d.value || !w.value) return;
    BufferUse u;
    u.rule = rule;
    u.alt = alt_index;
    u.module = fr.module;
    u.line = call.line;
    u.col = call.col;
    u.stmt_line = fr.stmt_line;
    u.stmt_end = fr.stmt_end;
    const std::int64_t bytes = WriteBytes(c, *w.value);
    if (d.value->cap < 0 && bytes >= 0 && (u.param = ParamOf(*d.value)) >= 0) {
      u.param_is_dst = true;  // strcpy(data, source) with data the caller's buffer
      u.size = bytes;
    } else if (d.value->cap >= 0 && bytes < 0 && c.buffer_source >= 0 && (u.param = ParamOf(*w.value)) >= 0) {
      u.param_is_dst = false;  // strcpy(dest, data) with data the caller's text
      u.size = d.value->cap;
      u.kind = d.value->cap_kind;
    } else {
      return;
    }
    for (const BufferUse& e : fr.summary->buffer_uses) {
      if (e.rule == u.rule && e.line == u.line && e.col == u.col && e.module == u.module && e.param == u.param) return;
    }
    if (fr.summary->buffer_uses.size() < 64) fr.summary->buffer_uses.push_back(u);
  }

  // A callee's deferred buffer writes against the caller's arguments.
  void ApplyBufferUses(Frame& fr, const Summary& s, const ir::Expr& call, const std::vector<Value>& args,
                       const std::optional<std::string>& recv_path) {
    for (const BufferUse& u : s.buffer_uses) {
      std::optional<Value> at = ParamValue(fr, static_cast<std::size_t>(u.param), args, recv_path);
      if (!at) continue;
      // An array or a struct of buffers handed over whole (the callee takes
      // one of them out): the smallest buffer among its elements or fields.
      if (u.param_is_dst && at->cap < 0) {
        if (at->list) {
          for (const Value& e : *at->list) KeepSmallerBuffer(*at, e);
        }
        const std::size_t k = static_cast<std::size_t>(u.param) + 1;
        if (k < call.kids.size()) {
          if (auto base = PathOf(fr, call.kids[k])) {
            const std::string prefix = *base + ".";
            for (auto it = fr.st.env.lower_bound(prefix); it != fr.st.env.end() && it->first.starts_with(prefix); ++it) {
              KeepSmallerBuffer(*at, it->second);
            }
          }
        }
      }
      const PatternAlt& alt = rules.rules[static_cast<std::size_t>(u.rule)].patterns[static_cast<std::size_t>(u.alt)];
      const Cond& c = alt.where[0];
      bool overflow = false;
      if (u.param_is_dst && at->cap >= 0) {
        overflow = u.size > at->cap && (c.buffer_memory == 0 || at->cap_kind == c.buffer_memory);
      } else if (!u.param_is_dst) {
        const std::int64_t bytes = WriteBytes(c, *at);
        overflow = bytes > u.size && (c.buffer_memory == 0 || u.kind == c.buffer_memory);
        if (bytes < 0) overflow = false;
      }
      if (overflow) {
        Emit(u.rule, u.module, u.line, u.col, u.stmt_line, u.stmt_end, nullptr);
        continue;
      }
      // Still the caller's caller's value: pass the use up.
      if (!fr.summary || (u.param_is_dst ? at->cap >= 0 : WriteBytes(c, *at) >= 0)) continue;
      for (const Origin& o : at->o) {
        if (o.key >= 0 || static_cast<std::size_t>(-(o.key + 1)) >= kFieldBase) continue;
        BufferUse up = u;
        up.param = -(o.key + 1);
        bool dup = false;
        for (const BufferUse& e : fr.summary->buffer_uses) {
          dup |= e.rule == up.rule && e.line == up.line && e.col == up.col && e.module == up.module && e.param == up.param;
        }
        if (!dup && fr.summary->buffer_uses.size() < 64) fr.summary->buffer_uses.push_back(up);
      }
    }
  }

  // A buffer write's size against its destination's (Cond::buffer).
  bool BufferCond(Frame& fr, const Cond& c, const ir::Expr& call, std::size_t first_arg, const std::vector<Value>& args,
                  const Value& dst) {
    if (dst.cap < 0) return false;
    if (c.buffer == Cond::BufferTest::kOverflows && c.buffer_memory != 0 && dst.cap_kind != c.buffer_memory) {
      return false;
    }
    Cond which;
    which.index = c.buffer_source >= 0 ? c.buffer_source : c.buffer_size;
    ArgView w = FindArg(fr, call, first_arg, args, which);
    if (!w.present) return false;
    const Value what = w.value ? *w.value : Eval(fr, w.expr);
    std::int64_t bytes = WriteBytes(c, what);
    if (bytes < 0) return false;
    if (c.buffer_append) {  // strcat: after the text already there, if known
      if (dst.ck == ConstKind::kString) bytes += static_cast<std::int64_t>(dst.s.size()) * c.buffer_unit;
      else if (dst.len_max >= 0) bytes += dst.len_max * c.buffer_unit;
      else return false;
    }
    return c.buffer == Cond::BufferTest::kOverflows ? bytes > dst.cap : bytes <= dst.cap;
  }

  bool CondHolds(Frame& fr, const Cond& c, const ir::Expr& call, std::size_t first_arg,
                 const std::vector<Value>& args) {
    ArgView a = FindArg(fr, call, first_arg, args, c);
    if (c.absent) return !a.present;
    if (!a.present) return false;
    std::optional<Value> val;
    if (a.value) val = *a.value;
    else val = Eval(fr, a.expr);  // option inside an object literal
    if (!c.prefix.empty()) return LeftmostText(fr, a.expr).starts_with(c.prefix);
    if (c.literal) return val->IsConst() && val->ck == ConstKind::kString && !val->s.empty();
    if (c.trivial_function) {
      if (a.expr == ir::kNone || X(fr, a.expr).kind != ExprKind::kFunc) return false;
      const std::int64_t fi = X(fr, a.expr).i;
      return fi >= 0 && static_cast<std::size_t>(fi) < fr.m->functions.size() &&
             TrivialFunction(*fr.m, fr.m->functions[static_cast<std::size_t>(fi)]);
    }
    if (c.not_constant) return !val->IsConst();
    if (c.not_constant_here) {
      if (val->IsConst()) return false;
      std::vector<Origin> flat;
      FlattenInto(*val, flat);
      if (flat.empty()) return true;
      for (const Origin& o : flat) {
        if (o.key >= 0 || static_cast<std::size_t>(-(o.key + 1)) >= kFieldBase) return true;
      }
      return false;  // only parameters
    }
    if (c.redos) return val->ck == ConstKind::kString && ExponentialBacktracking(val->s);
    if (c.buffer != Cond::BufferTest::kNone) return BufferCond(fr, c, call, first_arg, args, *val);
    if (c.before_start) return val->before_start;
    if (c.type_matches) {
      if (a.expr == ir::kNone) return false;
      const ir::Expr& x = X(fr, a.expr);
      std::string type;
      if (x.kind == ExprKind::kNew) type = x.s;
      else if (x.kind == ExprKind::kName) type = TypeOf(fr, x.s);
      return !type.empty() && RE2::PartialMatch(type, *c.type_matches);
    }
    if (c.integer) {
      if (val->ck == ConstKind::kInt) return true;
      if (a.expr == ir::kNone || X(fr, a.expr).kind != ExprKind::kName) return false;
      auto t = fr.types.find(X(fr, a.expr).s);
      return t != fr.types.end() && IntegerType(t->second);
    }
    if (c.below) return val->ck == ConstKind::kInt && val->i < *c.below;
    if (c.any_bits) return val->ck == ConstKind::kInt && (val->i & *c.any_bits) != 0;
    std::vector<std::string> texts;
    if (val->IsConst()) texts.push_back(ConstText(*val));
    // A name stands for itself (a flag, an enum constant, a macro) unless it
    // is one of the function's variables: `spawn(cmd, ...)` is not `cmd.exe`.
    auto variable = [&](ir::Id id) {
      if (id == ir::kNone || X(fr, id).kind != ExprKind::kName) return false;
      const std::string& n = X(fr, id).s;
      return fr.types.count(n) > 0 || ReadPath(fr, n).has_value();
    };
    std::string et = variable(a.expr) ? std::string() : ExprText(fr, a.expr);
    if (!et.empty()) texts.push_back(et);
    // A list literal's constant elements: algorithms=["HS256", "none"].
    if (a.expr != ir::kNone && X(fr, a.expr).kind == ExprKind::kList) {
      for (ir::Id k : X(fr, a.expr).kids) {
        if (k == ir::kNone || X(fr, k).kind != ExprKind::kConst) continue;
        std::string t = ExprText(fr, k);
        if (!t.empty()) texts.push_back(std::move(t));
      }
    } else if (val->list) {
      // The same for a list kept in a variable: argv = ["sh", "-c", cmd].
      for (const Value& e : *val->list) {
        if (e.IsConst()) texts.push_back(ConstText(e));
      }
    }
    // Flags combined with | or + (S_IRWXU | S_IRWXO): each operand's name.
    std::vector<ir::Id> parts{a.expr};
    for (std::size_t k = 0; k < parts.size() && k < 16; ++k) {
      ir::Id p = parts[k];
      if (p == ir::kNone || X(fr, p).kind == ExprKind::kConst) continue;
      const ir::Expr& pe = X(fr, p);
      if (pe.kind == ExprKind::kBinary && (pe.s == "|" || pe.s == "+") && pe.kids.size() == 2) {
        parts.push_back(pe.kids[0]);
        parts.push_back(pe.kids[1]);
        continue;
      }
      if (variable(p)) continue;
      std::vector<std::string> names;
      Names(fr, p, names);
      for (auto& n : names) texts.push_back(n);
    }
    for (const std::string& t : texts) {
      if (!c.equals.empty()) {
        for (const std::string& e : c.equals) {
          if (e == t || (e == "true" && t == "True") || (e == "false" && t == "False")) return true;
        }
      }
      if (c.matches && RE2::PartialMatch(t, *c.matches)) return true;
    }
    return false;
  }

  bool AllHold(Frame& fr, const std::vector<Cond>& conds, const ir::Expr& call, std::size_t first_arg,
               const std::vector<Value>& args) {
    for (const Cond& c : conds) {
      if (!CondHolds(fr, c, call, first_arg, args)) return false;
    }
    return true;
  }
  bool AnyHolds(Frame& fr, const std::vector<Cond>& conds, const ir::Expr& call, std::size_t first_arg,
                const std::vector<Value>& args) {
    for (const Cond& c : conds) {
      if (CondHolds(fr, c, call, first_arg, args)) return true;
    }
    return false;
  }

  // ------------------------------------------------------------- patterns
  // `value` (when known): the assigned expression, so `equals` can also
  // name a library constant (`ctx.verify_mode = ssl.CERT_NONE`).
  void CheckAssignPattern(Frame& fr, const std::string& name, const Value& v, std::uint32_t line,
                          std::uint32_t col, ir::Id value = ir::kNone) {
    if (name.empty() || v.ck == ConstKind::kNull) return;
    std::vector<std::string> value_names;
    if (v.ck == ConstKind::kUnset) {
      if (value == ir::kNone) return;
      const ir::Expr& ve = X(fr, value);
      if (ve.kind != ExprKind::kName && ve.kind != ExprKind::kAttr) return;
      Names(fr, value, value_names);
    }
    const auto& list = rules.pattern_assigns[static_cast<std::size_t>(RuleLanguage(fr.lang))];
    for (const auto& [ri, ai] : list) {
      const PatternAlt& alt = rules.rules[static_cast<std::size_t>(ri)].patterns[static_cast<std::size_t>(ai)];
      if (!value_names.empty() && alt.assign_equals.empty()) continue;  // a literal is what it looks for
      if (!RE2::PartialMatch(name, *alt.assign_name)) continue;
      if (!value_names.empty()) {
        bool eq = false;
        for (const std::string& e : alt.assign_equals) {
          for (const std::string& n : value_names) eq |= e == n || e == LastOf(n);
        }
        if (eq) EmitPattern(fr, ri, line, col);
        continue;
      }
      std::string text = ConstText(v);
      if (alt.assign_equals.empty()) {
        // A secret-looking name given a literal: not empty, not just its own name.
        if (v.ck != ConstKind::kString || text.empty() || ToLower(text) == ToLower(name)) continue;
      } else {
        bool eq = false;
        for (const std::string& e : alt.assign_equals) eq |= e == text;
        if (!eq) continue;
      }
      EmitPattern(fr, ri, line, col);
    }
  }

  void CheckCallPatterns(Frame& fr, const ir::Expr& call, std::size_t first_arg, const std::vector<Value>& args,
                         const std::string& /*last*/, const std::vector<std::string>& names) {
    const auto& index = rules.pattern_calls[static_cast<std::size_t>(RuleLanguage(fr.lang))];
    std::vector<std::pair<int, int>> hits;
    index.Match(names, [&](const std::pair<int, int>& h) { hits.push_back(h); });
    for (const auto& [ri, ai] : hits) {
      const PatternAlt& alt = rules.rules[static_cast<std::size_t>(ri)].patterns[static_cast<std::size_t>(ai)];
      if (!AllHold(fr, alt.where, call, first_arg, args)) {
        DeferBufferWrite(fr, ri, ai, alt, call, first_arg, args);
        continue;
      }
      if (AnyHolds(fr, alt.unless, call, first_arg, args)) continue;
      if (!alt.requires_methods.empty()) {
        if (fr.assign_var.empty()) {
          EmitPattern(fr, ri, call.line, call.col);
        } else {
          fr.pending.push_back({ri, ai, fr.assign_var, call.line, call.col, fr.stmt_line, fr.stmt_end, false});
        }
        continue;
      }
      EmitPattern(fr, ri, call.line, call.col);
    }
  }

  void SatisfyPending(Frame& fr, const ir::Expr& call, const std::vector<Value>& args) {
    if (fr.pending.empty() || call.kids.empty()) return;
    const ir::Expr& callee = X(fr, call.kids[0]);
    if (callee.kind != ExprKind::kAttr) return;
    auto recv = PathOf(fr, callee.kids[0]);
    if (!recv) return;
    for (Pending& p : fr.pending) {
      if (p.satisfied || p.var != *recv) continue;
      const PatternAlt& alt =
          rules.rules[static_cast<std::size_t>(p.rule)].patterns[static_cast<std::size_t>(p.alt)];
      if (std::find(alt.requires_methods.begin(), alt.requires_methods.end(), callee.s) == alt.requires_methods.end()) {
        continue;
      }
      if (!alt.requires_equals.empty()) {
        if (args.empty() || !args[0].IsConst()) continue;
        std::string t = ConstText(args[0]);
        if (std::find(alt.requires_equals.begin(), alt.requires_equals.end(), t) == alt.requires_equals.end()) {
          continue;
        }
      }
      p.satisfied = true;
    }
  }

  // ----------------------------------------------------------- resolution
  std::vector<FuncRef> Resolve(Frame& fr, const ir::Expr& call, std::size_t nargs, bool model_matched) {
    std::vector<FuncRef> out;
    if (call.kids.empty() || call.kids[0] == ir::kNone) return out;
    const ir::Expr& callee = X(fr, call.kids[0]);
    std::string name;
    How how = kOther;
    std::string type;
    if (callee.kind == ExprKind::kName) {
      if (fr.st.env.count(callee.s)) {  // a variable holding a function
        auto refs = fr.fnrefs.find(callee.s);
        if (refs == fr.fnrefs.end()) return out;
        for (const std::string& target : refs->second) {
          std::string fn = NormalizeName(target);
          std::size_t dot = fn.find_last_of('.');
          if (dot != std::string::npos) fn = fn.substr(dot + 1);
          for (const FuncRef& r : Lookup(fr, fn, kFree, {}, nargs, model_matched)) {
            if (out.size() < 4) out.push_back(r);
          }
        }
        return out;
      }
      name = NormalizeName(callee.s);
      std::size_t dot = name.find_last_of('.');
      how = kFree;
      if (dot != std::string::npos) {
        // Class::Method(...) (C++ static member): the method of that class,
        // never a free function of the same name elsewhere.
        std::string qualifier = name.substr(0, dot);
        const std::size_t outer = qualifier.find_last_of('.');
        if (outer != std::string::npos) qualifier = qualifier.substr(outer + 1);
        if (IsC(fr.lang) && callee.s.find("::") != std::string::npos && ProgramClasses().count(qualifier)) {
          how = kTyped;
          type = qualifier;
        }
        name = name.substr(dot + 1);
      }
    } else if (callee.kind == ExprKind::kAttr) {
      name = callee.s;
      const ir::Expr& obj = X(fr, callee.kids[0]);
      if (obj.kind == ExprKind::kThis) {
        how = kSelf;
      } else if (obj.kind == ExprKind::kName) {
        type = TypeOf(fr, obj.s);
        if (!type.empty()) how = kTyped;
        else if (fr.m->imports.count(obj.s) || (!fr.st.env.count(obj.s) && !obj.s.empty() && obj.s[0] >= 'A' && obj.s[0] <= 'Z')) {
          how = kTyped;  // Module.func() or ClassName.staticMethod()
          type = obj.s;
          // `import * as security from "./lib/insecurity"`: the module's
          // file name, not the local alias.
          if (auto imp = fr.m->imports.find(obj.s);
              imp != fr.m->imports.end() && (imp->second.starts_with("./") || imp->second.starts_with("../"))) {
            std::string target = imp->second;
            if (std::size_t slash = target.find_last_of('/'); slash != std::string::npos) target = target.substr(slash + 1);
            if (!target.empty() && target != "." && target != "..") type = target;
          }
        }
      } else if (obj.kind == ExprKind::kNew) {
        how = kTyped;
        type = obj.s;
      } else if (fr.lang == Language::kJava && obj.kind == ExprKind::kAttr && QualifiedClass(fr, obj)) {
        // A qualified class, java.net.URI.create(s): that class's method,
        // never a project method that happens to share the name.
        how = kTyped;
        type = obj.s;
      } else if (obj.kind == ExprKind::kCall && !obj.kids.empty() && obj.kids[0] != ir::kNone &&
                 X(fr, obj.kids[0]).kind == ExprKind::kName && !X(fr, obj.kids[0]).s.empty() &&
                 X(fr, obj.kids[0]).s[0] >= 'A' && X(fr, obj.kids[0]).s[0] <= 'Z') {
        how = kTyped;  // Python/JS-style construction: Runner().run(x)
        type = X(fr, obj.kids[0]).s;
      }
    } else {
      return out;
    }
    return Lookup(fr, name, how, type, nargs, model_matched);
  }

  enum How { kFree, kSelf, kTyped, kOther };

  // A Java class named with its package (java.net.URI): by convention a
  // capitalized name after a lowercase package name (Foo.INSTANCE is a field).
  bool QualifiedClass(Frame& fr, const ir::Expr& attr) {
    if (attr.s.empty() || attr.s[0] < 'A' || attr.s[0] > 'Z' || attr.kids.empty() || attr.kids[0] == ir::kNone) {
      return false;
    }
    const ir::Expr& pkg = X(fr, attr.kids[0]);
    if (pkg.kind != ExprKind::kName && pkg.kind != ExprKind::kAttr) return false;
    if (pkg.kind == ExprKind::kName && (fr.st.env.count(pkg.s) || !TypeOf(fr, pkg.s).empty())) return false;
    return !pkg.s.empty() && pkg.s[0] >= 'a' && pkg.s[0] <= 'z';
  }

  // Whether `call` is obj.m(...) where obj's known class (this/self, a typed
  // variable, `new C()`) is a project class that defines m.
  bool ProjectMethodCall(Frame& fr, const ir::Expr& call) {
    if (call.kids.empty() || call.kids[0] == ir::kNone) return false;
    const ir::Expr& callee = X(fr, call.kids[0]);
    if (callee.kind != ExprKind::kAttr || callee.kids.empty() || callee.kids[0] == ir::kNone) return false;
    const ir::Expr& obj = X(fr, callee.kids[0]);
    std::string type;
    if (obj.kind == ExprKind::kThis) type = fr.f->cls;
    else if (obj.kind == ExprKind::kName) type = TypeOf(fr, obj.s);
    else if (obj.kind == ExprKind::kNew) type = obj.s;
    if (type.empty()) return false;
    auto it = program.by_name.find(callee.s);
    if (it == program.by_name.end()) return false;
    for (const FuncRef& r : it->second) {
      if (program.modules[r.module]->functions[r.func].cls == type) return true;
    }
    return false;
  }

  // A recursive deep merge, merge(target[key], source[key]), in a function
  // that writes computed properties into that parameter (target[k] = ...):
  // with key "__proto__" the inner call writes into Object.prototype.
  // `self`: the function being called, which is the one running or the one
  // whose callback is running (Object.keys(src).forEach((k) =>
  // merge(dst[k], src[k]))).
  void CheckRecursiveMerge(Frame& fr, const ir::Expr& call, std::size_t first_arg, const ir::Function& self) {
    if (!IsJs(fr.lang)) return;
    const int proto = SinkKindIndex("prototype");
    if (proto < 0) return;
    for (std::size_t k = first_arg; k < call.kids.size(); ++k) {
      const ir::Id arg = call.kids[k];
      if (arg == ir::kNone || X(fr, arg).kind != ExprKind::kIndex || X(fr, arg).kids.size() < 2) continue;
      const ir::Id key = X(fr, arg).kids[1];
      if (key == ir::kNone || X(fr, key).kind == ExprKind::kConst) continue;
      const std::size_t param = k - first_arg;
      if (param >= self.params.size() || !WritesComputedInto(fr, self, self.params[param].name)) continue;
      ReportSink(fr, Eval(fr, key), proto, call.line, call.col, "recursive merge into a chosen property");
    }
  }

  // Whether `f` (or a callback written in it) assigns `name[k] = ...` with
  // a non-constant k.
  bool WritesComputedInto(Frame& fr, const ir::Function& f, const std::string& name) {
    if (name.empty() || f.body == ir::kNone) return false;
    std::vector<ir::Id> todo{f.body};
    for (std::size_t i = 0; i < todo.size() && i < 4096; ++i) {
      const ir::Stmt& st = fr.m->stmts[todo[i]];
      // Function literals in the statement's expressions: their bodies too.
      std::vector<ir::Id> exprs{st.a, st.b};
      for (std::size_t e = 0; e < exprs.size() && e < 512; ++e) {
        if (exprs[e] == ir::kNone) continue;
        const ir::Expr& x = X(fr, exprs[e]);
        if (x.kind == ExprKind::kFunc) {
          if (x.i >= 0 && static_cast<std::size_t>(x.i) < fr.m->functions.size() &&
              fr.m->functions[static_cast<std::size_t>(x.i)].body != ir::kNone) {
            todo.push_back(fr.m->functions[static_cast<std::size_t>(x.i)].body);
          }
          continue;
        }
        exprs.insert(exprs.end(), x.kids.begin(), x.kids.end());
      }
      if (st.kind == StmtKind::kAssign && st.a != ir::kNone) {
        const ir::Expr& t = X(fr, st.a);
        if (t.kind == ExprKind::kIndex && t.kids.size() > 1 && t.kids[0] != ir::kNone && t.kids[1] != ir::kNone &&
            X(fr, t.kids[0]).kind == ExprKind::kName && X(fr, t.kids[0]).s == name &&
            X(fr, t.kids[1]).kind != ExprKind::kConst) {
          return true;
        }
      }
      todo.insert(todo.end(), st.body.begin(), st.body.end());
      todo.insert(todo.end(), st.orelse.begin(), st.orelse.end());
    }
    return false;
  }

  // A bare-name call of the project's own function: `merge(a, b)` with
  // `function merge` in this file (and no import of that name), or a name
  // imported from a relative path (`require("./merge")`). A library model
  // of the same name (lodash's merge) does not apply.
  bool ProjectFunctionCall(Frame& fr, const ir::Expr& call) {
    if (call.kids.empty() || call.kids[0] == ir::kNone) return false;
    const ir::Expr& callee = X(fr, call.kids[0]);
    if (callee.kind != ExprKind::kName) return false;
    if (auto imp = fr.m->imports.find(callee.s); imp != fr.m->imports.end()) {
      return imp->second.starts_with("./") || imp->second.starts_with("../");
    }
    auto it = program.by_name.find(callee.s);
    if (it == program.by_name.end()) return false;
    for (const FuncRef& r : it->second) {
      if (r.module == fr.module && program.modules[r.module]->functions[r.func].cls.empty()) return true;
    }
    return false;
  }

  // Summaries being computed, innermost last. A fallback taken for one of
  // them (recursion, depth cap) makes every summary on the stack depend on
  // where the analysis started.
  std::vector<std::uint64_t> active;
  void MarkActiveDirty(std::size_t from) {
    for (std::size_t i = from; i < active.size(); ++i) {
      auto it = summaries.find(active[i]);
      if (it != summaries.end() && !it->second.dirty) {
        it->second.dirty = true;
        dirty_keys.push_back(active[i]);
      }
    }
  }
  // Forget stack-dependent summaries, so what the next entry point computes
  // does not depend on what was analyzed before it (or by which worker).
  static constexpr int kMaxRecomputes = 200;
  int recomputed = 0;               // since the last DropDirty
  bool saturated = false;           // see DropDirty
  static constexpr std::size_t kSaturationFunctions = 1500;
  std::size_t program_functions = 0;
  std::size_t ProgramFunctions() {
    if (program_functions == 0) {
      for (const auto& m : program.modules) program_functions += m ? m->functions.size() : 0;
    }
    return program_functions;
  }
  std::vector<std::uint64_t> dirty_keys;  // summaries marked dirty since the last DropDirty
  void DropDirty() {
    // A module that used up its allowance: the call graph is too dense to
    // recompute per entry point (hundreds of mutually recursive functions,
    // as in libxml2's parser), and every further module would compute the
    // same cycle again from scratch. From here on, summaries computed under
    // another stack are kept and reused, so each function is analyzed about
    // once; what such a summary says may depend on which module reached it
    // first, and so on the number of jobs (in programs of at least
    // kSaturationFunctions functions).
    // Only large programs: the stack-independent results of smaller ones
    // cost little to recompute, and stay the same for any number of jobs.
    if (recomputed >= kMaxRecomputes && ProgramFunctions() >= kSaturationFunctions) saturated = true;
    recomputed = 0;
    if (saturated) {
      dirty_keys.clear();
      return;
    }
    for (std::uint64_t k : dirty_keys) {
      auto it = summaries.find(k);
      if (it != summaries.end() && it->second.done && it->second.dirty) summaries.erase(it);
    }
    dirty_keys.clear();
  }

  // The project functions `name` may call, by how it was called.
  std::vector<FuncRef> Lookup(Frame& fr, const std::string& name, How how, const std::string& type, std::size_t nargs,
                              bool model_matched) {
    std::vector<FuncRef> out;
    auto it = program.by_name.find(name);
    if (it == program.by_name.end()) return out;
    const bool exact_arity = fr.lang == Language::kJava || fr.lang == Language::kC || fr.lang == Language::kCpp;
    auto arity_ok = [&](const FuncRef& r) {
      const ir::Function& f = program.modules[r.module]->functions[r.func];
      if (f.variadic && nargs + 1 >= f.params.size()) return true;  // C `...` / Java `T... xs`
      return exact_arity ? f.params.size() == nargs : nargs <= f.params.size() + 0 || f.params.empty();
    };
    std::vector<FuncRef> same_module, same_class, typed, free_fns;
    const int family = LinkFamily(fr.lang);
    auto same_family = [&](const FuncRef& r) { return LinkFamily(program.modules[r.module]->language) == family; };
    for (const FuncRef& r : it->second) {
      if (!arity_ok(r) || !same_family(r)) continue;
      const ir::Function& f = program.modules[r.module]->functions[r.func];
      // A bare name in Python or JS never reaches another class's method
      // (`exec(cmd)` in a free function is not Runner.exec); Java and C++
      // call their own class's methods by bare name.
      const bool reachable_bare = exact_arity || f.cls.empty() || f.cls == fr.f->cls;
      if (r.module == fr.module && (how != kFree || reachable_bare)) {
        same_module.push_back(r);
        if (f.cls == fr.f->cls) same_class.push_back(r);
      }
      if (!type.empty() && (f.cls == type || (f.cls.empty() && program.modules[r.module]->path.find(type) != std::string::npos))) {
        typed.push_back(r);
      }
      if (f.cls.empty()) free_fns.push_back(r);
    }
    switch (how) {
      case kFree:
        if (!same_class.empty()) out = same_class;
        else if (!same_module.empty()) out = same_module;
        else if (free_fns.size() <= 3) out = free_fns;
        break;
      case kSelf:
        out = !same_class.empty() ? same_class : same_module;
        break;
      case kTyped: {
        // A class of that name in this file (an inner or local class, a
        // common name like `Test` or `Helper` in many files) wins over the
        // same name elsewhere.
        std::vector<FuncRef> local;
        for (const FuncRef& r : typed) {
          if (r.module == fr.module) local.push_back(r);
        }
        out = local.empty() ? typed : local;
        // Java: an interface (or abstract) method has no body; the call runs
        // one of the project's implementations, so it is their union. Only
        // for the project's own interfaces: a library one (Function,
        // Runnable) may be implemented by any number of unrelated classes.
        if (fr.lang == Language::kJava && !out.empty() && std::all_of(out.begin(), out.end(), [&](const FuncRef& r) {
              return program.modules[r.module]->functions[r.func].no_body;
            })) {
          std::vector<FuncRef> impls;
          for (const FuncRef& r : it->second) {
            const ir::Function& f = program.modules[r.module]->functions[r.func];
            if (!f.no_body && arity_ok(r) && same_family(r) && f.cls != type && DerivesFrom(fr.lang, f.cls, type)) {
              impls.push_back(r);
            }
          }
          if (!impls.empty()) out = std::move(impls);
        }
        break;
      }
      case kOther:
        if (!model_matched && it->second.size() == 1 && arity_ok(it->second[0]) && same_family(it->second[0])) {
          out = it->second;
        }
        break;
    }
    // Java: a method the class does not define itself is inherited from a
    // base class of the project (keep(x) or this.keep(x) in a subclass,
    // obj.keep(x) on one).
    const std::string& own = how == kTyped ? type : fr.f->cls;
    const bool none_own = how == kTyped ? typed.empty() : same_class.empty();
    if (fr.lang == Language::kJava && how != kOther && none_own && !own.empty()) {
      std::vector<FuncRef> inherited;
      for (const FuncRef& r : it->second) {
        const ir::Function& f = program.modules[r.module]->functions[r.func];
        if (!f.no_body && arity_ok(r) && same_family(r) && !f.cls.empty() && DerivesFrom(fr.lang, own, f.cls)) {
          inherited.push_back(r);
        }
      }
      if (!inherited.empty()) out = std::move(inherited);
    }
    if (out.size() > 4) out.resize(4);
    return out;
  }

  // Whether class `cls` extends or implements `base`, directly or through
  // the bases the program declares.
  bool DerivesFrom(Language lang, const std::string& cls, const std::string& base) {
    if (cls.empty() || base.empty()) return false;
    std::vector<std::string> todo{cls};
    for (std::size_t i = 0; i < todo.size() && todo.size() < 16; ++i) {
      auto it = program.class_bases.find(Program::BasesKey(lang, todo[i]));
      if (it == program.class_bases.end()) continue;
      for (const std::string& b : it->second) {
        if (b == base) return true;
        if (std::find(todo.begin(), todo.end(), b) == todo.end()) todo.push_back(b);
      }
    }
    return false;
  }

  // Classes that have a method defined in the program.
  std::optional<std::unordered_set<std::string>> program_classes;
  const std::unordered_set<std::string>& ProgramClasses() {
    if (program_classes) return *program_classes;
    program_classes.emplace();
    for (const auto& m : program.modules) {
      if (!m) continue;
      for (const ir::Function& f : m->functions) {
        if (!f.cls.empty()) program_classes->insert(f.cls);
      }
    }
    return *program_classes;
  }

  // Java bean accessors of classes the program does not define (libraries,
  // generated code): by the JavaBeans naming convention obj.setName(x)
  // stores x in obj.name and obj.getName() / obj.isActive() reads it back.
  // Project classes need no guess: their summaries record field writes and
  // reads (MapFieldWrites, ParamValue).
  std::optional<Value> BeanAccessor(Frame& fr, const ir::Expr& call, const std::vector<Value>& args,
                                    const std::optional<std::string>& recv_path, const std::string& method,
                                    const std::vector<FuncRef>& targets) {
    if (fr.lang != Language::kJava || !targets.empty() || !recv_path || recv_path->starts_with("this")) {
      return std::nullopt;
    }
    const bool setter = method.size() > 3 && method.starts_with("set") && std::isupper(static_cast<unsigned char>(method[3])) &&
                        args.size() == 1;
    std::size_t prefix = method.starts_with("get") ? 3 : method.starts_with("is") ? 2 : 0;
    const bool getter = prefix > 0 && method.size() > prefix &&
                        std::isupper(static_cast<unsigned char>(method[prefix])) && args.empty();
    if (!setter && !getter) return std::nullopt;
    std::string field = method.substr(setter ? 3 : prefix);
    field[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(field[0])));
    const std::string path = *recv_path + "." + field;
    if (setter) {
      Value v = args[0].o.empty() ? args[0] : AddStep(args[0], fr, call.line, call.col, "stored by " + method + "()");
      WritePath(fr, path, std::move(v));
      return Value{};
    }
    if (auto v = ReadPath(fr, path, /*ancestors=*/false)) {
      return v->o.empty() ? *v : AddStep(*v, fr, call.line, call.col, "read by " + method + "()");
    }
    return std::nullopt;
  }

  // `fp = handler;` where handler names a project function and no variable:
  // later calls through fp go to handler.
  void NoteFunctionRef(Frame& fr, const ir::Stmt& s) {
    if (s.a == ir::kNone || s.b == ir::kNone || !s.op.empty()) return;
    const ir::Expr& a = X(fr, s.a);
    const ir::Expr& b = X(fr, s.b);
    if (a.kind != ExprKind::kName || b.kind != ExprKind::kName || fr.st.env.count(b.s)) return;
    for (const ir::Param& p : fr.f->params) {
      if (p.name == b.s) return;
    }
    std::string fn = NormalizeName(b.s);
    std::size_t dot = fn.find_last_of('.');
    if (dot != std::string::npos) fn = fn.substr(dot + 1);
    if (!program.by_name.count(fn)) return;
    auto& refs = fr.fnrefs[a.s];
    if (refs.size() < 4 && std::find(refs.begin(), refs.end(), b.s) == refs.end()) refs.push_back(b.s);
  }

  // At each exit: the source taint in pointer/reference parameters.
  void RecordOutParams(Frame& fr) {
    if (!fr.summary || !IsC(fr.lang)) return;
    for (std::size_t i = 0; i < fr.f->params.size(); ++i) {
      const ir::Param& p = fr.f->params[i];
      if (!p.out || p.name.empty()) continue;
      auto it = fr.st.env.find(p.name);
      if (it == fr.st.env.end()) continue;
      Value kept;
      for (const Origin& o : Flat(it->second).o) {
        if (o.key >= 0) AddOrigin(kept.o, o);
      }
      if (kept.o.empty()) continue;
      auto& outs = fr.summary->out_params;
      auto at = std::find_if(outs.begin(), outs.end(), [&](const auto& e) { return e.first == i; });
      if (at == outs.end()) {
        outs.emplace_back(i, std::move(kept));
      } else {
        for (const Origin& o : kept.o) AddOrigin(at->second.o, o);
      }
    }
  }

  // No further callee is analyzed (its summary or an inlined callback).
  bool TooDeep() const { return call_depth > 40 || StackUsed() > kCalleeStack; }
  // Local function values run inline (CallLocalFunction) inside each other.
  static constexpr int kMaxLocalCalls = 4;
  int local_calls = 0;

  Summary* GetSummary(const FuncRef& r) {
    std::uint64_t key = (static_cast<std::uint64_t>(r.module) << 32) | r.func;
    Summary& s = summaries[key];
    if (s.done && !s.dirty) return &s;
    if (s.done) {
      // Computed under another stack. Compute it again under this one while
      // the module's allowance lasts (dense recursion would otherwise
      // recompute without end); after that, reuse it and make every caller
      // on the stack stack-dependent too. Both are dropped after the module.
      if (saturated || recomputed >= kMaxRecomputes) {
        MarkActiveDirty(0);
        return &s;
      }
      ++recomputed;
      s = Summary{};
    }
    if (s.in_progress) {  // recursion: the caller falls back
      // Only the frames above the recursive function depend on it being
      // on the stack; its own summary is the same from any entry point.
      auto at = std::find(active.begin(), active.end(), key);
      MarkActiveDirty(at == active.end() ? 0 : static_cast<std::size_t>(at - active.begin()) + 1);
      return nullptr;
    }
    if (TooDeep()) {  // depth cap: depends on how deep the entry point was
      MarkActiveDirty(0);
      return nullptr;
    }
    s.in_progress = true;
    ++call_depth;
    active.push_back(key);
    Analyze(r, s);
    active.pop_back();
    --call_depth;
    // `summaries` may have rehashed during Analyze; look the entry up again.
    Summary& done = summaries[key];
    done.in_progress = false;
    done.done = true;
    return &done;
  }

  // Whether the caller's object holds a known value in the field that
  // guards `h`, other than the one the sink's branch needs.
  bool GuardFails(Frame& fr, const SinkHit& h, const std::optional<std::string>& recv_path) {
    if (h.guard_field.empty() || !recv_path) return false;
    std::optional<Value> v = ReadPath(fr, *recv_path + "." + h.guard_field);
    if (!v && *recv_path == "this") v = ReadPath(fr, h.guard_field);
    if (!v) return false;
    std::optional<bool> t = Truthy(*v);
    return t && *t != h.guard_want;
  }

  // A Java branch condition that tests a field of `this` (flag, this.flag,
  // !flag): the field and the value that takes the branch.
  std::optional<std::pair<std::string, bool>> FieldGuard(Frame& fr, ir::Id cond) {
    if (fr.lang != Language::kJava || cond == ir::kNone || fr.f->cls.empty()) return std::nullopt;
    bool want = true;
    const ir::Expr* e = &X(fr, cond);
    if (e->kind == ExprKind::kUnary && e->s == "!" && !e->kids.empty() && e->kids[0] != ir::kNone) {
      want = false;
      e = &X(fr, e->kids[0]);
    }
    if (e->kind == ExprKind::kName && !fr.types.count(e->s) && fr.m->field_types.count(e->s)) {
      return std::make_pair(e->s, want);
    }
    if (e->kind == ExprKind::kAttr && !e->kids.empty() && e->kids[0] != ir::kNone &&
        X(fr, e->kids[0]).kind == ExprKind::kThis) {
      return std::make_pair(e->s, want);
    }
    return std::nullopt;
  }

  Value ApplySummary(Frame& fr, const Summary& s, const FuncRef& ref, const ir::Expr& call,
                     const std::vector<Value>& args, const std::optional<std::string>& recv_path = std::nullopt) {
    const ir::Function& callee = program.modules[ref.module]->functions[ref.func];
    std::string fname = callee.cls.empty() ? callee.name : callee.cls + "." + callee.name;
    for (const SinkHit& h : s.hits) {
      if (h.param < 0) continue;
      if (GuardFails(fr, h, recv_path)) continue;
      std::optional<Value> at = ParamValue(fr, static_cast<std::size_t>(h.param), args, recv_path);
      if (!at) continue;
      // Wrap-around is judged for parsed numbers only (Value::parsed_number).
      // The callee's parameter must be an integer: a string handed over is
      // not the number the callee computes from it.
      if (((1u << static_cast<unsigned>(h.kind)) & (OverflowBit() | UnderflowBit())) != 0) {
        const auto& params = program.modules[ref.module]->functions[ref.func].params;
        if (static_cast<std::size_t>(h.param) >= params.size() ||
            !IntegerType(params[static_cast<std::size_t>(h.param)].type) ||
            params[static_cast<std::size_t>(h.param)].indirect) {
          continue;
        }
        if (!at->parsed_number) {
          bool param_only = !at->o.empty();
          for (const Origin& o : at->o) param_only &= o.key < 0;
          if (!param_only) continue;
        }
      }
      std::vector<Origin> flat;
      FlattenInto(*at, flat);
      const std::uint32_t bit = 1u << static_cast<unsigned>(h.kind);
      if (fr.st.safe_output & bit) continue;  // the caller declared a non-HTML response
      for (const Origin& o : flat) {
        if ((o.safe | h.safe) & bit) continue;
        if (o.key >= 0 && (o.unbuilt & h.unbuilt & bit)) continue;  // reaches the sink whole
        const Step* at_call = NewStep(o.step, fr, call.line, call.col, "passed to " + fname + "()");
        const Step* chain = Concat(at_call, h.step);
        if (o.key >= 0) {
          const auto& by_sink = rules.taint_rules_by_sink[static_cast<std::size_t>(RuleLanguage(
              program.modules[h.module]->language))];
          if (static_cast<std::size_t>(h.kind) >= by_sink.size()) continue;
          for (int r : by_sink[static_cast<std::size_t>(h.kind)]) {
            if (!(rules.rules[static_cast<std::size_t>(r)].source_mask & (1u << static_cast<unsigned>(o.key)))) {
              continue;
            }
            Emit(r, h.module, h.line, h.col, h.stmt_line, h.stmt_end, chain);
          }
        } else if (fr.summary) {
          SinkHit nh = h;
          // The guard is a field of the callee's object: still this
          // object's only when the call ran on `this`.
          if (!recv_path || *recv_path != "this") nh.guard_field.clear();
          nh.param = -o.key - 1;
          nh.safe = o.safe | h.safe;
          nh.unbuilt = o.unbuilt & h.unbuilt;
          nh.step = chain;
          bool dup = false;
          for (const SinkHit& e : fr.summary->hits) {
            dup |= e.param == nh.param && e.kind == nh.kind && e.line == nh.line && e.module == nh.module &&
                   e.col == nh.col;
          }
          if (!dup && fr.summary->hits.size() < 64) fr.summary->hits.push_back(nh);
        }
      }
    }
    for (const auto& [index, v] : s.out_params) {
      if (index + 1 >= call.kids.size()) continue;
      auto p = TargetPathOf(fr, call.kids[index + 1]);
      if (!p) continue;
      Value w;
      for (Origin o : v.o) {
        o.step = NewStep(Concat(nullptr, o.step), fr, call.line, call.col, "written by " + fname + "()");
        AddOrigin(w.o, o);
      }
      JoinPath(fr, *p, w);
    }
    ApplyBufferUses(fr, s, call, args, recv_path);
    if (!s.freed_uses.empty() && TracksFreed(fr)) ApplyFreedUses(fr, s, ref, call, args, recv_path);
    Value ret;
    if (!s.has_ret) return ret;
    ret.freed = s.ret.freed;  // a source function that frees what it returns
    // Heap or static memory the callee returns (its own stack is gone).
    if (s.ret.memory != Memory::kStack) ret.memory = s.ret.memory;
    ret.maybe_null = s.ret.maybe_null;  // an allocation returned unchecked
    if (s.ret.IsConst()) {
      ret.ck = s.ret.ck;
      ret.s = s.ret.s;
      ret.i = s.ret.i;
    }
    // A buffer the callee made and returns (malloc'd in a source function).
    if (s.ret.cap >= 0 && s.ret.cap_kind == kHeapBuffer) {
      ret.cap = s.ret.cap;
      ret.cap_kind = s.ret.cap_kind;
      ret.len_max = s.ret.len_max;
    }
    MapOrigins(fr, s.ret, call, args, recv_path, "returned from " + fname + "()", "through " + fname + "()", ret);
    return ret;
  }

  // Adds a summary value's origins to `out` in the caller's terms: sources
  // as they are (with `source_note`), parameters and receiver fields as the
  // caller's values for them (with `param_note`), keeping what the callee
  // sanitized or normalized.
  void MapOrigins(Frame& fr, const Value& v, const ir::Expr& call, const std::vector<Value>& args,
                  const std::optional<std::string>& recv_path, const std::string& source_note,
                  const std::string& param_note, Value& out) {
    for (const Origin& o : v.o) {
      if (o.key >= 0) {
        Origin c = o;
        c.step = NewStep(Concat(nullptr, o.step), fr, call.line, call.col, source_note);
        AddOrigin(out.o, c);
        continue;
      }
      std::optional<Value> at = ParamValue(fr, static_cast<std::size_t>(-o.key - 1), args, recv_path);
      if (!at) continue;
      std::vector<Origin> flat;
      FlattenInto(*at, flat);
      for (Origin a : flat) {
        a.safe |= o.safe;
        a.normalized |= o.normalized;
        a.unbuilt &= o.unbuilt;  // the callee built it into text
        a.step = NewStep(a.step, fr, call.line, call.col, param_note);
        AddOrigin(out.o, a);
      }
    }
  }

  // A summary's parameter `p` at a call: an argument, or (p >= kFieldBase)
  // a field of the receiver.
  std::optional<Value> ParamValue(Frame& fr, std::size_t p, const std::vector<Value>& args,
                                  const std::optional<std::string>& recv_path) {
    if (p < kFieldBase) {
      if (p >= args.size()) return std::nullopt;
      return args[p];
    }
    if (!recv_path || p - kFieldBase >= field_names.size()) return std::nullopt;
    const std::string& field = field_names[p - kFieldBase];
    if (*recv_path == "this") {
      if (auto v = ReadPath(fr, "this." + field)) return v;
      return FieldOrigin(fr, field, fr.stmt_line, 1);
    }
    if (auto v = ReadPath(fr, *recv_path + "." + field, /*ancestors=*/false)) return v;
    // Known only as a whole (built from tainted arguments, a parameter):
    // the object's own value, not what other fields hold.
    auto whole = fr.st.env.find(*recv_path);
    if (whole != fr.st.env.end()) return Flat(whole->second);
    return std::nullopt;
  }

  // The summary's field writes in the caller's terms.
  std::vector<std::pair<std::string, Value>> MapFieldWrites(Frame& fr, const Summary& s, const std::string& fname,
                                                            const ir::Expr& call, const std::vector<Value>& args,
                                                            const std::optional<std::string>& recv_path) {
    std::vector<std::pair<std::string, Value>> out;
    const std::string note = "stored by " + fname + "()";
    for (const auto& [field, v] : s.field_writes) {
      Value w;
      MapOrigins(fr, v, call, args, recv_path, note, note, w);
      out.emplace_back(field, std::move(w));
    }
    return out;
  }

  // A method's read of its own field that nothing in the method set: a
  // parameter-like origin the caller resolves against its receiver.
  std::vector<std::string> field_names;
  std::unordered_map<std::string, std::size_t> field_ids;
  std::optional<Value> FieldOrigin(Frame& fr, const std::string& field, std::uint32_t line, std::uint32_t col) {
    if (field_pass || !fr.summary || fr.f->cls.empty() || fr.f->is_module_body || field.empty()) return std::nullopt;
    if (auto m = program.by_name.find(field); m != program.by_name.end()) {
      for (const FuncRef& r : m->second) {  // self.method: a bound method, not data
        if (program.modules[r.module]->functions[r.func].cls == fr.f->cls) return std::nullopt;
      }
    }
    auto [it, fresh] = field_ids.try_emplace(field, field_names.size());
    if (fresh) field_names.push_back(field);
    Value v;
    Origin o;
    o.key = -static_cast<int>(kFieldBase + it->second) - 1;
    o.unbuilt = kAllKinds;
    o.step = NewStep(nullptr, fr, line, col, "field " + field);
    v.o.push_back(o);
    return v;
  }

  // At each exit of a method: what it left in this.<field>.
  void RecordFieldWrites(Frame& fr) {
    if (!fr.summary || fr.f->cls.empty() || field_pass) return;
    auto record = [&](const std::string& field, const Value& v) {
      Value kept;
      for (const Origin& o : Flat(v).o) AddOrigin(kept.o, o);
      auto& writes = fr.summary->field_writes;
      auto at = std::find_if(writes.begin(), writes.end(), [&](const auto& e) { return e.first == field; });
      if (at == writes.end()) {
        if (writes.size() < 32) writes.emplace_back(field, std::move(kept));
      } else {
        for (const Origin& o : kept.o) AddOrigin(at->second.o, o);
      }
    };
    auto& env = fr.st.env;
    for (auto it = env.lower_bound("this."); it != env.end() && it->first.starts_with("this."); ++it) {
      std::size_t dot = it->first.find('.', 5);
      record(it->first.substr(5, dot == std::string::npos ? std::string::npos : dot - 5), it->second);
    }
    // Java/C++: a field assigned by its bare name (`cmd_ = c;`), not a local.
    if (!ImplicitThis(fr)) return;
    for (const auto& [key, v] : env) {
      if (key.find('.') != std::string::npos || !fr.m->field_types.count(key) || fr.types.count(key)) continue;
      bool param = false;
      for (const ir::Param& p : fr.f->params) param |= p.name == key;
      if (!param) record(key, v);
    }
  }

  // The constructor a `new T(...)` / Python `T(...)` runs, if the project defines it.
  std::optional<FuncRef> Constructor(const std::string& type, std::size_t nargs, Language lang) {
    std::string cls = LastOf(NormalizeName(type));
    for (const char* name : {"<init>", "__init__", cls.c_str()}) {
      auto it = program.by_name.find(name);
      if (it == program.by_name.end()) continue;
      for (const FuncRef& r : it->second) {
        const ir::Function& f = program.modules[r.module]->functions[r.func];
        if (LinkFamily(program.modules[r.module]->language) != LinkFamily(lang)) continue;
        if (f.cls == cls && (f.params.size() == nargs || program.modules[r.module]->language == Language::kPython ||
                             program.modules[r.module]->language == Language::kJavaScript)) {
          return r;
        }
      }
    }
    return std::nullopt;
  }

  // Runs T's constructor for its sinks and keeps its field writes for the
  // variable this statement assigns.
  void ApplyConstructor(Frame& fr, const std::string& type, const ir::Expr& call, const std::vector<Value>& args) {
    auto ctor = Constructor(type, args.size(), fr.lang);
    if (!ctor || TooDeep()) return;
    Summary* s = GetSummary(*ctor);
    if (!s) return;
    ApplySummary(fr, *s, *ctor, call, args);
    const ir::Function& f = program.modules[ctor->module]->functions[ctor->func];
    fr.ctor_fields = MapFieldWrites(fr, *s, f.cls, call, args, std::nullopt);
  }

  // ----------------------------------------------------------------- eval
  Value SourceValue(Frame& fr, int kind, std::uint32_t line, std::uint32_t col, const std::string& what,
                    std::uint32_t safe = 0) {
    Value v;
    Origin o;
    o.key = kind;
    o.safe = safe;
    o.step = NewStep(nullptr, fr, line, col, "source: " + what);
    v.o.push_back(o);
    v.parsed_number = true;
    return v;
  }

  std::optional<Value> AccessSource(Frame& fr, ir::Id id) {
    const LanguageModels& lm = *fr.models;
    if (lm.access.empty()) return std::nullopt;
    const ir::Expr& e = X(fr, id);
    std::vector<std::string> names;
    Names(fr, id, names);
    std::string last = e.kind == ExprKind::kAttr ? e.s : NormalizeName(e.s);
    std::optional<Value> out;
    lm.access.Match(names, [&](const AccessModel& am) {
      if (!out) out = SourceValue(fr, am.kind, e.line, e.col, names.front(), am.safe);
    });
    return out;
  }

  Value EvalName(Frame& fr, ir::Id id, const ir::Expr& e) {
    if (auto v = ReadPath(fr, e.s)) return *v;
    if (ImplicitThis(fr)) {  // Java/C++; in JS or Python a bare name is never a field
      if (auto v = ReadPath(fr, "this." + e.s)) return *v;
    }
    if (ImplicitThis(fr) && fr.m->field_types.count(e.s)) {
      if (auto v = ClassField(fr, "this." + e.s, e.line, e.col)) return *v;
    }
    if (auto s = AccessSource(fr, id)) return *s;
    if (auto c = ModuleConst(fr, e.s)) return *c;
    if (ImplicitThis(fr) && fr.m->field_types.count(e.s)) {
      if (auto v = FieldOrigin(fr, e.s, e.line, e.col)) return *v;
    }
    if (auto g = GlobalValue(fr, e.s, e.line, e.col)) return *g;
    return {};
  }

  Value Eval(Frame& fr, ir::Id id) {
    if (id == ir::kNone) return {};
    if (--fr.budget < 0) return {};
    if (StackUsed() > kMaxStack) return {};
    const ir::Expr& e = X(fr, id);
    switch (e.kind) {
      case ExprKind::kConst: {
        Value v;
        v.ck = e.const_kind;
        v.s = e.s;
        v.i = e.i;
        return v;
      }
      case ExprKind::kName: {
        if (IsC(fr.lang) && e.pointer_op != '&') CheckUninitialized(fr, e);
        if (e.pointer_op == '*' && IsC(fr.lang)) CheckNullAt(fr, id, e.line, e.col);  // *p
        if (e.storage == 0) return EvalName(fr, id, e);
        // `&x`: the address of a variable's own storage.
        Value v = EvalName(fr, id, e);
        v.memory = e.storage == 1 && !fr.f->is_module_body ? Memory::kStack : Memory::kStatic;
        return v;
      }
      case ExprKind::kThis: {
        if (auto v = ReadPath(fr, "this")) return Flat(*v);
        return {};
      }
      case ExprKind::kAttr: {
        if (IsC(fr.lang)) CheckDeref(fr, e.kids[0], e.line, e.col);
        if (auto s = AccessSource(fr, id)) return *s;
        // A Java array's length is an int, whatever the array holds.
        if (fr.lang == Language::kJava && e.s == "length") {
          Eval(fr, e.kids[0]);
          return {};
        }
        // A source on a prefix of a field's chain (this.route.snapshot.
        // queryParams.q, with route an injected service): the field's own
        // value below would hide it.
        if (!fr.models->access.empty() && e.kids[0] != ir::kNone && X(fr, e.kids[0]).kind == ExprKind::kAttr) {
          ir::Id k = e.kids[0];
          while (k != ir::kNone && X(fr, k).kind == ExprKind::kAttr && !X(fr, k).kids.empty()) k = X(fr, k).kids[0];
          if (k != ir::kNone && X(fr, k).kind == ExprKind::kThis) {
            for (ir::Id q = e.kids[0]; q != ir::kNone && X(fr, q).kind == ExprKind::kAttr; q = X(fr, q).kids[0]) {
              if (auto s = AccessSource(fr, q)) return *s;
            }
          }
        }
        // Exact knowledge of this path wins; otherwise the object's value
        // (evaluated, so sources on a prefix like req.query are seen).
        if (auto p = PathOf(fr, id)) {
          if (auto v = ReadPath(fr, *p, /*ancestors=*/false)) return *v;
          if (!ReadPath(fr, *p)) {
            if (auto v = ClassField(fr, *p, e.line, e.col)) return *v;
          }
        }
        if (e.kids[0] != ir::kNone) {
          const ir::Expr& base = X(fr, e.kids[0]);
          if (base.kind == ExprKind::kThis || (base.kind == ExprKind::kName && !fr.f->cls.empty() &&
                                               base.s == fr.f->cls && !fr.st.env.count(base.s))) {
            if (auto c = ModuleConst(fr, e.s)) return *c;
          }
          // Java: Other.field, a static field of another project class that
          // its methods set (a value handed over through a class).
          if (fr.lang == Language::kJava && base.kind == ExprKind::kName && base.s != fr.f->cls &&
              !fr.st.env.count(base.s) && TypeOf(fr, base.s).empty()) {
            if (auto m = JavaClassModule(base.s); m && program.modules[*m]->field_types.count(e.s)) {
              if (auto v = ClassFieldIn(fr, *m, base.s, "this." + e.s, e.line, e.col)) return *v;
            }
          }
        }
        if (auto p = PathOf(fr, id); p && p->starts_with("this.") && !ReadPath(fr, *p)) {
          std::string field = p->substr(5, p->find('.', 5) == std::string::npos ? std::string::npos
                                                                                  : p->find('.', 5) - 5);
          if (auto v = FieldOrigin(fr, field, e.line, e.col)) return *v;
        }
        Value obj = Eval(fr, e.kids[0]);
        if (e.s == "length" && obj.ck == ConstKind::kString) return IntConst(static_cast<std::int64_t>(obj.s.size()));
        return Flat(obj);
      }
      case ExprKind::kIndex: {
        if (IsC(fr.lang) && !e.kids.empty()) CheckDeref(fr, e.kids[0], e.line, e.col);
        if (auto p = PathOf(fr, id)) {
          if (auto v = ReadPath(fr, *p, /*ancestors=*/false)) return *v;
        }
        Value obj = Eval(fr, e.kids[0]);
        Value key = e.kids.size() > 1 ? Eval(fr, e.kids[1]) : Value{};
        if (e.kids.size() > 1) CheckArrayIndex(fr, e.kids[1], key, e.line, e.col);
        if (obj.list && key.ck == ConstKind::kInt) {
          std::int64_t k = key.i;
          if (k < 0) k += static_cast<std::int64_t>(obj.list->size());
          if (k >= 0 && static_cast<std::size_t>(k) < obj.list->size()) return (*obj.list)[static_cast<std::size_t>(k)];
        }
        if (obj.ck == ConstKind::kString && key.ck == ConstKind::kInt && key.i >= 0 &&
            static_cast<std::size_t>(key.i) < obj.s.size()) {
          return StrConst(std::string(1, obj.s[static_cast<std::size_t>(key.i)]));
        }
        if (!key.IsConst()) return AnyElement(obj);
        return Flat(obj);
      }
      case ExprKind::kCall: {
        Value v = EvalCall(fr, id);
        if (IsC(fr.lang)) OutArgsWritten(fr, X(fr, id));
        return v;
      }
      case ExprKind::kNew: {
        Value v = EvalNew(fr, id);
        if (e.storage == 3) v.memory = Memory::kNew;
        return v;
      }
      case ExprKind::kBinary: {
        Value a = Eval(fr, e.kids[0]);
        // Short-circuit: a known left side may decide without the right.
        if ((e.s == "&&" || e.s == "and") && Truthy(a) == false) return a.IsConst() ? BoolConst(false) : a;
        if ((e.s == "||" || e.s == "or") && Truthy(a) == true) return a;
        // C: `p && p->f`, `p == NULL || p->f`: the right side runs only
        // where the left proved p is not NULL.
        const std::size_t guards = fr.not_null_here.size();
        const bool stream_in = fr.lang == Language::kCpp && e.s == ">>";
        if (stream_in) ++fr.not_a_read;
        const bool short_circuit = IsC(fr.lang) && (e.s == "&&" || e.s == "||");
        if (short_circuit) {
          NotNullWhere(fr, e.kids[0], e.s == "&&", fr.not_null_here);
          ++fr.conditional;
        }
        Value b = Eval(fr, e.kids[1]);
        if (stream_in) {
          --fr.not_a_read;
          // `in >> n`: n is read into, whatever `in` is.
          if (X(fr, e.kids[1]).kind == ExprKind::kName) {
            if (auto it = fr.st.env.find(X(fr, e.kids[1]).s); it != fr.st.env.end()) it->second.uninit = false;
          }
        }
        fr.not_null_here.resize(guards);
        if (short_circuit) --fr.conditional;
        if (e.s == "/" || e.s == "%") CheckDivisor(fr, e.kids[1], b, e.line, e.col);
        if (e.s == "+" || e.s == "-" || e.s == "*") CheckArithmetic(fr, e.s, e.kids[0], a, e.kids[1], b, e.line, e.col);
        if (auto f = FoldBinary(e.s, a, b)) return *f;
        if (IsComparison(e.s)) return {};
        // strlen(s) + 1, (n + 1) * sizeof(char): an upper bound stays one.
        std::int64_t bound = -1;
        if ((e.s == "+" || e.s == "*") && IsC(fr.lang)) {
          const std::int64_t x = UpperBound(a), y = UpperBound(b);
          constexpr std::int64_t kMax = std::int64_t{1} << 40;
          if (x >= 0 && y >= 0 && x <= kMax && y <= kMax) {
            if (e.s == "+") bound = x + y;
            else if (y == 0 || x <= kMax / y) bound = x * y;
          }
        }
        if (fr.lang == Language::kCpp && (e.s == "<<" || e.s == ">>")) StreamOperator(fr, e, a, b);
        Value r;
        FlattenInto(a, r.o);
        std::optional<Value> named;  // "%(b)s" % d: only the entries it names
        if (e.s == "%" && a.ck == ConstKind::kString && fr.lang == Language::kPython) named = NamedEntries(fr, a.s, e.kids[1]);
        if (e.s == "%" && a.ck == ConstKind::kString && fr.lang == Language::kPython && NumericFormat(a.s)) {
          // "LIMIT %d" % n: only digits (or a TypeError) come out of b.
        } else if (named) {
          r.fixed_start = UrlStartKinds(std::string_view(a.s).substr(0, a.s.find('%')));
          AppendAfterStart(r, *named);
        } else if (e.s == "+" || (e.s == "%" && a.ck == ConstKind::kString)) {
          // What follows a fixed start cannot move it.
          r.fixed_start = e.s == "+" ? FixedStart(a) : UrlStartKinds(std::string_view(a.s).substr(0, a.s.find('%')));
          AppendAfterStart(r, b);
        } else {
          FlattenInto(b, r.o);
        }
        if (!EmptyText(a) && !EmptyText(b)) MarkBuilt(r);
        // C pointer arithmetic: buf - 8 points before the buffer.
        if (IsC(fr.lang) && a.cap >= 0 && b.ck == ConstKind::kInt &&
            ((e.s == "-" && b.i > 0) || (e.s == "+" && b.i < 0))) {
          r.before_start = true;
          r.cap_kind = a.cap_kind;
        }
        // Arithmetic and concatenation give a string or a number, never an object.
        for (Origin& o : r.o) o.safe |= TextOnlyKinds();
        r.ub = bound;
        return r;
      }
      case ExprKind::kUnary: {
        Value a = Eval(fr, e.kids[0]);
        if (e.s == "!" || e.s == "not") {
          auto t = Truthy(a);
          if (t) return BoolConst(!*t);
          return {};
        }
        if (e.s == "-" && a.ck == ConstKind::kInt && a.i != INT64_MIN) return IntConst(-a.i);
        if (e.s == "+" && a.ck == ConstKind::kInt) return a;
        // Arithmetic yields a number (JS +s converts a string, or NaN).
        if (e.s == "typeof" || e.s == "-" || e.s == "~" || e.s == "+") return {};
        return Flat(a);
      }
      case ExprKind::kCond: {
        Value c = Eval(fr, e.kids[0]);
        if (auto t = Truthy(c)) return Eval(fr, *t ? e.kids[1] : e.kids[2]);
        // What the condition proves holds in its branch only:
        // ok(x) ? x : "/" yields x where ok(x) held.
        std::map<std::string, Value> when_true, when_false;
        Facts(fr, e.kids[0], true, when_true);
        Facts(fr, e.kids[0], false, when_false);
        if (when_true.empty() && when_false.empty()) return Join(Eval(fr, e.kids[1]), Eval(fr, e.kids[2]));
        const State before = fr.st;
        ApplyFacts(fr, std::move(when_true));
        Value a = Eval(fr, e.kids[1]);
        fr.st = before;
        ApplyFacts(fr, std::move(when_false));
        Value b = Eval(fr, e.kids[2]);
        fr.st = before;
        return Join(std::move(a), std::move(b));
      }
      case ExprKind::kFormat: {
        Value r;
        bool all_const = true;
        std::string text;
        int parts = 0;
        for (ir::Id k : e.kids) {
          Value v = Eval(fr, k);
          if (!EmptyText(v)) ++parts;
          if (v.IsConst() && all_const) {
            text += ConstText(v);
            FlattenInto(v, r.o);
            continue;
          }
          if (all_const) {
            r.fixed_start = UrlStartKinds(text) | DirStartKinds(text) | (text.empty() ? 0 : PrefixedKeyKinds());
          }
          all_const = false;
          AppendAfterStart(r, v);
        }
        if (all_const && r.o.empty()) return StrConst(text);
        if (parts > 1) MarkBuilt(r);
        for (Origin& o : r.o) o.safe |= TextOnlyKinds();  // a string, whatever went in
        return r;
      }
      case ExprKind::kList: {
        auto elems = std::make_shared<std::vector<Value>>();
        Value r;
        for (ir::Id k : e.kids) {
          Value v = Eval(fr, k);
          if (elems->size() < kMaxListShape) elems->push_back(std::move(v));
          else FlattenInto(v, r.o);
        }
        r.list = std::move(elems);
        return r;
      }
      case ExprKind::kDict: {
        Value r;
        for (std::size_t k = 0; k < e.kids.size(); ++k) {
          Value v = Eval(fr, e.kids[k]);
          if (k < e.keys.size()) CheckAssignPattern(fr, e.keys[k], v, e.line, e.col);
          FlattenInto(v, r.o);
        }
        return r;
      }
      case ExprKind::kFunc: {
        Value r;
        if (e.i >= 0 && static_cast<std::size_t>(e.i) < fr.m->functions.size() && e.i <= INT32_MAX) {
          r.func = static_cast<std::int32_t>(e.i);
        }
        return r;
      }
      case ExprKind::kUnknown: {
        if (e.s == "sizeof" && e.kids.size() == 1 && IsC(fr.lang)) {  // sizeof(buf) of a declared array
          ++fr.not_a_read;  // sizeof x does not read x
          const Value v = Eval(fr, e.kids[0]);
          --fr.not_a_read;
          if (v.array && v.cap >= 0) return IntConst(v.cap);
          return {};
        }
        Value r;
        for (ir::Id k : e.kids) FlattenInto(Eval(fr, k), r.o);
        if (e.kids.empty() && e.s.size() > 2 && e.s[0] == '/' && IsJs(fr.lang)) RegexLiteralPatterns(fr, id);
        return r;
      }
    }
    return {};
  }

  // A JS regex literal /p/flags is judged by the pattern rules as the call
  // RegExp("p") it stands for.
  void RegexLiteralPatterns(Frame& fr, ir::Id id) {
    const ir::Expr& lit = X(fr, id);
    const std::size_t close = lit.s.find_last_of('/');
    if (close == 0 || close == std::string::npos) return;
    ir::Expr call;
    call.kind = ExprKind::kCall;
    call.line = lit.line;
    call.col = lit.col;
    call.kids = {ir::kNone, id};
    const std::vector<Value> args{StrConst(lit.s.substr(1, close - 1))};
    CheckCallPatterns(fr, call, 1, args, "RegExp", {"RegExp"});
  }

  // C++ streams: `os << x` puts x into the stream os; `in >> x` fills x from
  // the stream (std::cin is standard input). Only for variables whose
  // declared type is a stream, so integer shifts are left alone.
  void StreamOperator(Frame& fr, const ir::Expr& e, const Value& left, const Value& right) {
    ir::Id root = e.kids[0];
    while (root != ir::kNone && X(fr, root).kind == ExprKind::kBinary && X(fr, root).s == e.s) {
      root = X(fr, root).kids[0];
    }
    if (root == ir::kNone) return;
    const ir::Expr& r = X(fr, root);
    std::string name = r.kind == ExprKind::kName ? NormalizeName(r.s) : std::string();
    bool is_cin = name == "cin" || name == "wcin";
    std::string type = r.kind == ExprKind::kName ? TypeOf(fr, r.s) : std::string();
    if (!is_cin && type.find("stream") == std::string::npos) return;
    if (e.s == "<<") {
      if (auto p = PathOf(fr, root); p && !right.o.empty()) JoinPath(fr, *p, right);
      return;
    }
    auto target = PathOf(fr, e.kids[1]);
    if (!target) return;
    if (is_cin) {
      auto it = std::find(rules.source_kinds.begin(), rules.source_kinds.end(), "stdin");
      if (it == rules.source_kinds.end()) return;
      WritePath(fr, *target,
                SourceValue(fr, static_cast<int>(it - rules.source_kinds.begin()), e.line, e.col, "std::cin"));
    } else {
      Value v = Flat(left);
      v.ck = ConstKind::kUnset;
      WritePath(fr, *target, std::move(v));
    }
  }

  // Builtin constant folding of string methods on constant receivers.
  std::optional<Value> FoldMethod(const std::string& method, const Value& recv, const std::vector<Value>& args) {
    if (recv.ck != ConstKind::kString) return std::nullopt;
    const std::string& s = recv.s;
    auto arg_int = [&](std::size_t k) -> std::optional<std::int64_t> {
      if (k < args.size() && args[k].ck == ConstKind::kInt) return args[k].i;
      return std::nullopt;
    };
    if (method == "charAt" || method == "at") {
      auto k = arg_int(0);
      if (k && *k >= 0 && static_cast<std::size_t>(*k) < s.size()) return StrConst(std::string(1, s[static_cast<std::size_t>(*k)]));
    } else if (method == "substring" || method == "substr" || method == "slice") {
      auto a = arg_int(0);
      auto b = args.size() > 1 ? arg_int(1) : std::optional<std::int64_t>(static_cast<std::int64_t>(s.size()));
      if (a && b && *a >= 0 && *b >= *a && static_cast<std::size_t>(*b) <= s.size()) {
        return StrConst(s.substr(static_cast<std::size_t>(*a), static_cast<std::size_t>(*b - *a)));
      }
    } else if (method == "toUpperCase" || method == "upper") {
      std::string u = s;
      for (char& c : u) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      return StrConst(u);
    } else if (method == "toLowerCase" || method == "lower") {
      return StrConst(ToLower(s));
    } else if (method == "trim" || method == "strip") {
      std::size_t b = s.find_first_not_of(" \t\r\n");
      std::size_t e = s.find_last_not_of(" \t\r\n");
      return StrConst(b == std::string::npos ? "" : s.substr(b, e - b + 1));
    } else if (method == "equals" || method == "equalsIgnoreCase") {
      if (!args.empty() && args[0].ck == ConstKind::kString) {
        return BoolConst(method == "equals" ? s == args[0].s : ToLower(s) == ToLower(args[0].s));
      }
    } else if (method == "length" || method == "size") {
      return IntConst(static_cast<std::int64_t>(s.size()));
    } else if (method == "concat") {
      if (!args.empty() && args[0].ck == ConstKind::kString) return StrConst(s + args[0].s);
    } else if (method == "toString" || method == "intern" || method == "valueOf") {
      return recv;
    } else if (method == "toCharArray" || method == "getBytes" || method == "encode") {
      // The same text as characters or bytes: a key or password written
      // into the source stays one ("s3cr3t".getBytes(UTF_8)).
      return recv;
    }
    return std::nullopt;
  }

  // The variable a chain like `sb.append(a).append(b)` starts from.
  std::optional<std::string> ReceiverBasePath(Frame& fr, ir::Id obj) {
    for (int guard = 0; guard < 32 && obj != ir::kNone; ++guard) {
      const ir::Expr& e = X(fr, obj);
      if (e.kind == ExprKind::kCall && !e.kids.empty() && X(fr, e.kids[0]).kind == ExprKind::kAttr) {
        obj = X(fr, e.kids[0]).kids[0];
        continue;
      }
      return PathOf(fr, obj);
    }
    return std::nullopt;
  }

  Value EvalNew(Frame& fr, ir::Id id) {
    const ir::Expr& e = X(fr, id);
    if ((e.s == "<array>" || e.s == "<new[]>") && e.kids.size() >= 2 && IsC(fr.lang)) return EvalBuffer(fr, e);
    std::vector<Value> args;
    args.reserve(e.kids.size());
    for (ir::Id k : e.kids) args.push_back(Eval(fr, k));
    std::vector<std::string> names;
    std::string type = NormalizeName(e.s);
    auto imp = fr.m->imports.find(e.s);
    if (imp != fr.m->imports.end()) names.push_back(NormalizeName(imp->second));
    names.push_back(type);
    std::string last = LastOf(type);
    // Patterns and models see a constructor like a call with no receiver.
    ir::Expr as_call;
    as_call.kind = ExprKind::kCall;
    as_call.line = e.line;
    as_call.col = e.col;
    as_call.kids.push_back(ir::kNone);
    as_call.kids.insert(as_call.kids.end(), e.kids.begin(), e.kids.end());
    as_call.keys.assign(e.kids.size(), std::string());
    RunCallbacks(fr, as_call, 1, args, nullptr);  // new Promise((resolve) => ...)
    RunAnonymousClass(fr, id);
    CheckCallPatterns(fr, as_call, 1, args, last, names);
    Value r = ApplyModels(fr, as_call, 1, args, nullptr, std::nullopt, last, names, type, id);
    ApplyConstructor(fr, e.s, as_call, args);
    return r;
  }

  static bool UrlPartAccessor(const std::string& m) {
    return m == "getHost" || m == "getAuthority" || m == "getProtocol" || m == "getScheme" || m == "getPath" ||
           m == "getQuery" || m == "getPort" || m == "getFile" || m == "getRef" || m == "getFragment" ||
           m == "getUserInfo" || m == "getRawPath" || m == "getRawQuery";
  }

  Value EvalCall(Frame& fr, ir::Id id) {
    const ir::Expr& e = X(fr, id);
    if (e.kids.empty()) return {};
    ir::Id callee = e.kids[0];
    Value recv;
    bool has_recv = false;
    std::optional<std::string> recv_path;
    if (callee != ir::kNone && X(fr, callee).kind == ExprKind::kAttr) {
      has_recv = true;
      // new URL(u).getHost(): a URL parsed to read a part of it makes no
      // request (nor a redirect).
      // new File(p).getName() likewise opens no file.
      // Paths.get(p).getFileName() / Path.of(p).getFileName() (Java) too.
      const ir::Id r = X(fr, callee).kids[0];
      std::uint32_t quiet = 0;
      if (r != ir::kNone && X(fr, r).kind == ExprKind::kNew) {
        const std::string& m = X(fr, callee).s;
        if (UrlPartAccessor(m)) quiet = UrlBits();
        if (m == "getName" || m == "getParent" || m == "getPath" || m == "getAbsolutePath" || m == "toPath" ||
            m == "getFileName" || m == "isAbsolute") {
          quiet = SinkKindBit("path");
        }
      } else if (r != ir::kNone && fr.lang == Language::kJava && X(fr, r).kind == ExprKind::kCall &&
                 !X(fr, r).kids.empty() && X(fr, r).kids[0] != ir::kNone) {
        const std::string& m = X(fr, callee).s;
        const ir::Expr& made_by = X(fr, X(fr, r).kids[0]);
        const bool path_factory = made_by.kind == ExprKind::kAttr && (made_by.s == "get" || made_by.s == "of") &&
                                  !made_by.kids.empty() && made_by.kids[0] != ir::kNone &&
                                  (X(fr, made_by.kids[0]).s == "Paths" || X(fr, made_by.kids[0]).s == "Path");
        if (path_factory && (m == "getFileName" || m == "getParent" || m == "isAbsolute" || m == "getNameCount")) {
          quiet = SinkKindBit("path");
        }
      }
      const std::uint32_t saved_quiet = fr.quiet_kinds;
      fr.quiet_kinds |= quiet;
      recv = Eval(fr, r);
      fr.quiet_kinds = saved_quiet;
      recv_path = ReceiverBasePath(fr, r);
    } else if (callee != ir::kNone && X(fr, callee).kind != ExprKind::kName) {
      Eval(fr, callee);
    }
    const bool as_argument = fr.in_arguments;
    std::vector<Value> args;
    args.reserve(e.kids.size());
    fr.in_arguments = true;
    // A macro's (CUR_CHAR(l)) and, in C++, any call's bare variable
    // arguments may be written rather than read (a reference parameter).
    const bool lvalue_args = IsC(fr.lang) && (fr.lang == Language::kCpp || MacroCall(fr, e));
    for (std::size_t k = 1; k < e.kids.size(); ++k) {
      const bool bare = lvalue_args && e.kids[k] != ir::kNone && X(fr, e.kids[k]).kind == ExprKind::kName &&
                        X(fr, e.kids[k]).pointer_op == 0;
      if (bare) ++fr.not_a_read;
      args.push_back(Eval(fr, e.kids[k]));
      if (bare) --fr.not_a_read;
    }
    fr.in_arguments = as_argument;
    std::optional<Value> called_back = RunCallbacks(fr, e, 1, args, has_recv ? &recv : nullptr);
    if (callee != ir::kNone && X(fr, callee).kind == ExprKind::kName) {
      auto local = fr.st.env.find(X(fr, callee).s);
      if (local != fr.st.env.end() && local->second.func >= 0 && local_calls < kMaxLocalCalls &&
          static_cast<std::size_t>(local->second.func) < fr.m->functions.size()) {
        // Only where it can matter: tainted arguments or captured taint.
        // Otherwise the function's own summary (by name) says everything.
        const ir::Function& fn = fr.m->functions[static_cast<std::size_t>(local->second.func)];
        bool tainted = false;
        for (const Value& a : args) tainted |= !Flat(a).o.empty();
        if (tainted || CapturesTaint(fr, fn)) {
          return CallLocalFunction(fr, e, static_cast<std::size_t>(local->second.func), args);
        }
      }
    }
    std::vector<std::string> names;
    Names(fr, callee, names);
    std::string last = callee != ir::kNone && X(fr, callee).kind == ExprKind::kAttr ? X(fr, callee).s
                                                                                    : LastOf(names.back());
    // keyword arguments named like secrets: connect(password="...")
    for (std::size_t k = 0; k < e.keys.size() && k < args.size(); ++k) {
      if (!e.keys[k].empty()) CheckAssignPattern(fr, e.keys[k], args[k], e.line, e.col);
    }
    CheckCallPatterns(fr, e, 1, args, last, names);
    SatisfyPending(fr, e, args);
    if (IsC(fr.lang) && !has_recv) {
      fr.allocated = Memory::kUnknown;
      Value r = ApplyModels(fr, e, 1, args, nullptr, recv_path, last, names, "", id, as_argument);
      if (fr.allocated != Memory::kUnknown) r.memory = fr.allocated;
      if (fr.allocated == Memory::kMalloc) r.maybe_null = true;  // NULL when it fails
      NoteAllocation(last, args, r);
      CStringEffects(fr, e, last, args, r);
      return r;
    }
    if (recv_path && fr.lang == Language::kJava) {
      if (last == "load" && e.kids.size() == 2) {
        if (auto file = PropertiesFileIn(fr, e.kids[1], 0)) fr.properties_of[*recv_path] = *file;
      } else if (last == "getProperty" && !args.empty()) {
        if (auto v = ConfiguredProperty(fr, *recv_path, args)) return *v;
      }
    }
    // Java: stream.map(f), optional.map(f), future.thenApply(f) hold what f
    // returns for the elements, not the elements themselves.
    if (fr.lang == Language::kJava && has_recv && called_back && args.size() == 1 &&
        (last == "map" || last == "flatMap" || last == "mapToObj" || last == "thenApply" || last == "thenApplyAsync" ||
         last == "thenCompose")) {
      return *called_back;
    }
    Value r = ApplyModels(fr, e, 1, args, has_recv ? &recv : nullptr, recv_path, last, names, "", id, as_argument);
    if (IsC(fr.lang)) OutArgsWritten(fr, e);
    return r;
  }

  // The .properties resource an expression opens:
  // getResourceAsStream("benchmark.properties"), new FileInputStream(
  // "conf/app.properties"), or a variable that holds such a stream.
  std::optional<std::string> PropertiesFileIn(Frame& fr, ir::Id id, int depth) {
    if (id == ir::kNone || depth > 6) return std::nullopt;
    const ir::Expr& e = X(fr, id);
    if (e.kind == ExprKind::kConst && e.const_kind == ConstKind::kString && e.s.size() > 11 &&
        e.s.ends_with(".properties")) {
      const std::size_t slash = e.s.find_last_of("/\\");
      return slash == std::string::npos ? e.s : e.s.substr(slash + 1);
    }
    if (e.kind == ExprKind::kName) {
      auto it = fr.properties_streams.find(e.s);
      if (it != fr.properties_streams.end()) return it->second;
      return std::nullopt;
    }
    for (ir::Id k : e.kids) {
      if (auto f = PropertiesFileIn(fr, k, depth + 1)) return f;
    }
    return std::nullopt;
  }

  // props.getProperty("key"[, default]) on a Properties loaded from a file
  // of the scanned tree: the file's value (or the default when the file
  // lacks the key). The in-source default may say the opposite of what the
  // project configured ("SHA512" in code, MD5 in the file). Unknown when the
  // file is not in the tree or files of that name disagree.
  std::optional<Value> ConfiguredProperty(Frame& fr, const std::string& recv_path, const std::vector<Value>& args) {
    auto of = fr.properties_of.find(recv_path);
    if (of == fr.properties_of.end() || args[0].ck != ConstKind::kString) return std::nullopt;
    auto file = program.properties.find(of->second);
    if (file == program.properties.end()) return std::nullopt;
    auto entry = file->second.find(args[0].s);
    if (entry == file->second.end()) {
      if (args.size() > 1 && args[1].IsConst()) return args[1];
      return Value{};
    }
    if (!entry->second) return std::nullopt;
    return StrConst(*entry->second);
  }

  // `T a[N] = init` (kNew "<array>" {N, sizeof(T), init}) and `new T[N]`
  // ("<new[]>" {N, sizeof(T)}): the value (init's, or a fresh one) with the
  // buffer's size in bytes.
  Value EvalBuffer(Frame& fr, const ir::Expr& e) {
    const Value count = Eval(fr, e.kids[0]);
    const Value unit = Eval(fr, e.kids[1]);
    Value v = e.kids.size() > 2 ? Eval(fr, e.kids[2]) : Value{};
    v.memory = e.s == "<new[]>" ? Memory::kNewArray : fr.f->is_module_body ? Memory::kStatic : Memory::kStack;
    if (count.ck == ConstKind::kInt && unit.ck == ConstKind::kInt && count.i > 0 && count.i <= (std::int64_t{1} << 40) &&
        unit.i > 0 && unit.i <= 64) {
      v.cap = count.i * unit.i;
      v.elem = static_cast<std::uint8_t>(unit.i);
      v.cap_kind = e.s == "<new[]>" ? kHeapBuffer : fr.f->is_module_body ? kStaticBuffer : kStackBuffer;
      v.array = e.s == "<array>";
    }
    return v;
  }

  // malloc(n), calloc(n, size), realloc(p, n), alloca(n): the buffer's size.
  static void NoteAllocation(const std::string& fn, const std::vector<Value>& args, Value& result) {
    std::int64_t bytes = -1;
    std::uint8_t kind = kHeapBuffer;
    auto num = [&](std::size_t k) -> std::int64_t {
      return k < args.size() && args[k].ck == ConstKind::kInt && args[k].i > 0 && args[k].i <= (std::int64_t{1} << 40)
                 ? args[k].i
                 : -1;
    };
    if (fn == "malloc" || fn == "g_malloc" || fn == "xmalloc") {
      bytes = num(0);
    } else if (fn == "calloc") {
      const std::int64_t n = num(0), size = num(1);
      bytes = n > 0 && size > 0 && size <= 4096 ? n * size : -1;
    } else if (fn == "realloc") {
      bytes = num(1);
    } else if (fn == "alloca" || fn == "_alloca" || fn == "ALLOCA" || fn == "__builtin_alloca") {
      bytes = num(0);
      kind = kStackBuffer;
    } else {
      return;
    }
    if (bytes <= 0) return;
    result.cap = bytes;
    result.cap_kind = kind;
    result.array = false;
  }

  // What C string calls tell about lengths: strlen of known text, and the
  // text memset leaves in a buffer.
  void CStringEffects(Frame& fr, const ir::Expr& call, const std::string& fn, const std::vector<Value>& args,
                      Value& result) {
    if ((fn == "strlen" || fn == "wcslen") && args.size() == 1) {
      if (args[0].ck == ConstKind::kString) {
        std::vector<Origin> keep = result.o;
        result = IntConst(static_cast<std::int64_t>(args[0].s.size()));
        result.o = std::move(keep);
        if (!result.o.empty()) result.ck = ConstKind::kUnset;  // tainted text: a number, not a constant
      } else if (args[0].len_max >= 0) {
        result.ub = args[0].len_max;
      }
      return;
    }
    if ((fn == "memset" || fn == "wmemset") && args.size() == 3 && call.kids.size() > 1) {
      auto p = PathOf(fr, call.kids[1]);
      if (!p) return;
      auto it = fr.st.env.find(*p);
      if (it == fr.st.env.end() || it->second.cap < 0) return;
      // Zeros leave an empty string; anything else, text of unknown length.
      const bool zero = (args[1].ck == ConstKind::kInt && args[1].i == 0) ||
                        (args[1].ck == ConstKind::kString && (args[1].s.empty() || args[1].s == std::string(1, '\0')));
      WritePath(fr, *p, KeepBuffer(fr, *p, zero ? StrConst("") : Value{}));
    }
  }

  // Function literals passed to a call (forEach/map/filter/then callbacks,
  // Python map(lambda ...)) run with the call's input as their arguments: the
  // receiver's elements or value (xs.forEach, promise.then), or for a free
  // function the other arguments (map(f, xs)). A method's arguments are not
  // its callback's input: fs.readFile(path, cb) hands cb the file's content,
  // not the path. Each is analyzed
  // inline, like a loop body: its parameters carry the receiver's and the
  // other arguments' taint, and it sees the enclosing variables (and their
  // declared types) it captures. Only when some input is tainted; otherwise
  // the function's own analysis (parameters as unknowns) says everything.
  // Sink kinds a string starting with `s` cannot be steered for: a URL
  // with a scheme and a host ended by '/', '?' or '#' (SSRF and redirects),
  // or a same-site path "/x..." (redirects).
  int SinkKindIndex(std::string_view name) const {
    for (std::size_t k = 0; k < rules.sink_kinds.size() && k < 32; ++k) {
      if (rules.sink_kinds[k] == name) return static_cast<int>(k);
    }
    return -1;
  }

  std::uint32_t SinkKindBit(std::string_view name) const {
    for (std::size_t k = 0; k < rules.sink_kinds.size() && k < 32; ++k) {
      if (rules.sink_kinds[k] == name) return 1u << k;
    }
    return 0;
  }

  // "%(user)s ... %(id)d" % d with d a dict of known entries: the values of
  // the keys the text names (nullopt when a conversion is positional or an
  // entry is not known).
  std::optional<Value> NamedEntries(Frame& fr, std::string_view f, ir::Id dict) {
    auto base = PathOf(fr, dict);
    if (!base) return std::nullopt;
    Value out;
    bool any = false;
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '%') continue;
      if (i + 1 < f.size() && f[i + 1] == '%') {
        ++i;
        continue;
      }
      if (i + 1 >= f.size() || f[i + 1] != '(') return std::nullopt;
      const std::size_t close = f.find(')', i + 2);
      if (close == std::string_view::npos) return std::nullopt;
      auto v = ReadPath(fr, *base + "." + std::string(f.substr(i + 2, close - i - 2)), /*ancestors=*/false);
      if (!v) return std::nullopt;
      FlattenInto(*v, out.o);
      any = true;
      i = close;
    }
    if (!any) return std::nullopt;
    return out;
  }

  // Python printf-style text whose every conversion is numeric (%d, %i,
  // %f, %x, %(name)d, ...; %% is a literal): formatting it gives numbers
  // or raises, never the argument's text.
  static bool NumericFormat(std::string_view f) {
    bool any = false;
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '%') continue;
      std::size_t k = i + 1;
      if (k < f.size() && f[k] == '(') {
        const std::size_t close = f.find(')', k);
        if (close == std::string_view::npos) return false;
        k = close + 1;
      }
      while (k < f.size() && std::string_view("#0- +*.0123456789hlL").find(f[k]) != std::string_view::npos) ++k;
      if (k >= f.size()) return false;
      if (f[k] == '%') {
        i = k;
        continue;
      }
      if (std::string_view("diouxXeEfFgG").find(f[k]) == std::string_view::npos) return false;
      any = true;
      i = k;
    }
    return any;
  }

  // Sink kinds only an object or array can harm (NoSQL operator injection:
  // {"$ne": null}); text built from a value is safe for them.
  std::uint32_t TextOnlyKinds() {
    if (text_only_bits_ == UINT32_MAX) text_only_bits_ = SinkKindBit("nosql");
    return text_only_bits_;
  }
  std::uint32_t text_only_bits_ = UINT32_MAX;

  // The SSRF and redirect sink kinds.
  std::uint32_t UrlBits() {
    if (url_bits_ == UINT32_MAX) {
      url_bits_ = redirect_bit_ = 0;
      for (std::size_t k = 0; k < rules.sink_kinds.size() && k < 32; ++k) {
        if (rules.sink_kinds[k] == "ssrf") url_bits_ |= 1u << k;
        if (rules.sink_kinds[k] == "redirect") redirect_bit_ = 1u << k;
      }
      url_bits_ |= redirect_bit_;
    }
    return url_bits_;
  }

  std::uint32_t UrlStartKinds(std::string_view s) {
    UrlBits();
    std::size_t colon = s.find("://");
    if (colon != std::string_view::npos && colon > 0) {
      for (std::size_t k = 0; k < colon; ++k) {
        char c = s[k];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (k > 0 && ((c >= '0' && c <= '9') || c == '+' ||
                                                                                 c == '-' || c == '.'));
        if (!ok) return 0;
      }
      std::string_view rest = s.substr(colon + 3);
      std::size_t end = rest.find_first_of("/?#");
      if (end == std::string_view::npos || end == 0) return 0;
      if (rest.substr(0, end).find_first_of("@\\ ") != std::string_view::npos) return 0;
      return url_bits_;
    }
    if (s.size() >= 2 && s[0] == '/' && s[1] != '/' && s[1] != '\\') return redirect_bit_;
    return 0;
  }
  std::uint32_t url_bits_ = UINT32_MAX, redirect_bit_ = 0;

  std::uint32_t FixedStart(const Value& v) {
    if (v.ck == ConstKind::kString) {
      return UrlStartKinds(v.s) | DirStartKinds(v.s) | (v.s.empty() ? 0 : PrefixedKeyKinds());
    }
    return v.fixed_start;
  }

  // A constant absolute directory ("/srv/data/") fixes where a path built
  // on it points, for what cannot climb out of it (Origin::anchored).
  std::uint32_t DirStartKinds(std::string_view s) {
    if (s.size() < 2 || s.front() != '/' || s.back() != '/' || s.find("..") != std::string_view::npos) return 0;
    return SinkKindBit("path");
  }

  // A property name with a constant prefix ("user_" + k) cannot be
  // "__proto__" or "constructor".
  std::uint32_t PrefixedKeyKinds() {
    if (prefixed_key_bits_ == UINT32_MAX) prefixed_key_bits_ = SinkKindBit("prototype");
    return prefixed_key_bits_;
  }
  std::uint32_t prefixed_key_bits_ = UINT32_MAX;

  // Appends `tail`'s origins to `r`, marked safe for r's fixed start.
  static bool EmptyText(const Value& v) { return v.ck == ConstKind::kString && v.s.empty(); }

  // The value is text made of several parts: what a ParamSource::built_only
  // source put in it now reaches those sinks.
  static void MarkBuilt(Value& v) {
    for (Origin& o : v.o) o.unbuilt = 0;
  }

  // How many parts a call that builds text joins (0: not such a call).
  // join's separator is not a part: args.join(" ") is the caller's own list.
  static std::size_t TextParts(const std::string& method, const Value* recv, const std::vector<Value>& args) {
    auto parts = [](const Value& v) -> std::size_t { return v.list ? v.list->size() : (EmptyText(v) ? 0 : 1); };
    if (method == "join") {
      std::size_t n = recv && recv->list ? recv->list->size() : 0;
      if (!args.empty() && args[0].list) n = std::max(n, args[0].list->size());
      return n;
    }
    if (method != "format" && method != "concat" && method != "sprintf" && method != "vsprintf" &&
        method != "formatted" && method != "append") {
      return 0;
    }
    std::size_t n = recv ? parts(*recv) : 0;
    for (const Value& a : args) n += parts(a);
    return n;
  }

  void AppendAfterStart(Value& r, const Value& tail) {
    std::vector<Origin> flat;
    FlattenInto(tail, flat);
    const std::uint32_t conditional = SinkKindBit("path");  // only for what is anchored
    for (Origin o : flat) {
      o.safe |= (r.fixed_start & ~conditional) | (r.fixed_start & conditional & o.anchored);
      AddOrigin(r.o, o);
    }
  }

  static bool IsErrorParam(const std::string& n) {
    return n == "err" || n == "error" || n == "e" || n == "er" || n == "_err" || n == "_error" || n == "_e" ||
           n == "_";
  }

  // Returns what the callback returns when the call has exactly one and its
  // result is known (an unrun callback saw no taint: a clean result).
  std::optional<Value> RunCallbacks(Frame& fr, const ir::Expr& call, std::size_t first_arg,
                                    const std::vector<Value>& args, const Value* recv) {
    std::vector<std::size_t> fns;
    Value input;
    if (recv) FlattenInto(*recv, input.o);
    for (std::size_t k = 0; k < args.size(); ++k) {
      ir::Id a = call.kids[k + first_arg];
      if (a != ir::kNone && X(fr, a).kind == ExprKind::kFunc) fns.push_back(k);
      else if (!recv) FlattenInto(args[k], input.o);  // map(f, xs); but not readFile(path, cb)
    }
    if (fns.empty() || TooDeep()) return std::nullopt;
    std::optional<Value> result;
    for (std::size_t k : fns) {
      const ir::Expr& fn = X(fr, call.kids[k + first_arg]);
      if (fn.i < 0 || static_cast<std::size_t>(fn.i) >= fr.m->functions.size()) continue;
      const ir::Function& lambda = fr.m->functions[static_cast<std::size_t>(fn.i)];
      if (lambda.body == ir::kNone) continue;
      // With no input for its parameters, a callback still matters when it
      // uses the caller's tainted variables: new Promise((resolve) =>
      // exec("curl " + url, ...)). On its own it would see `url` unbound.
      if (input.o.empty() && !CapturesTaint(fr, lambda)) {
        result = Value{};
        continue;
      }
      // Node-style completion callbacks (`exec(cmd, (err, stdout) => ...)`)
      // receive results, not the call's input.
      if (!recv && IsJs(fr.lang) &&
          !lambda.params.empty() && IsErrorParam(lambda.params[0].name)) {
        continue;
      }
      result = RunLambda(fr, lambda, input, call);
    }
    if (fns.size() != 1) return std::nullopt;
    return result;
  }

  // Runs a callback's body in the caller's state, its parameters bound to
  // `input`; the sinks it reaches are the caller's.
  // Returns what the body returns, if it returns a value.
  std::optional<Value> RunLambda(Frame& fr, const ir::Function& lambda, const Value& input, const ir::Expr& call) {
    ir::Function shape = lambda;  // `this` is the enclosing class's
    Summary local;
    Frame inner = InlineFrame(fr, shape, local);
    for (const ir::Param& p : lambda.params) {
      if (p.name.empty()) continue;
      inner.st.env[p.name] = AddStep(input, fr, call.line, call.col, "passed to callback parameter " + p.name);
      if (!p.type.empty()) inner.types[p.name] = p.type;
    }
    ++call_depth;
    Exec(inner, lambda.body);
    --call_depth;
    fr.budget = inner.budget;
    MergeCaptured(fr, inner.st, lambda);
    // Flows from the enclosing function's parameters are its own.
    if (fr.summary) {
      for (const SinkHit& h : local.hits) AddHit(*fr.summary, h);
    }
    if (!local.has_ret) return std::nullopt;
    return local.ret;
  }

  // Java: `out = new ObjectOutputStream(bytes)` and the like: writes to
  // out reach bytes (read back with bytes.toByteArray()).
  void NoteWrappedStream(Frame& fr, const ir::Stmt& s) {
    if (fr.lang != Language::kJava || s.a == ir::kNone || s.b == ir::kNone || X(fr, s.a).kind != ExprKind::kName) return;
    const ir::Expr& made = X(fr, s.b);
    fr.wraps.erase(X(fr, s.a).s);
    if (made.kind != ExprKind::kNew || made.kids.empty() || made.kids[0] == ir::kNone) return;
    static constexpr std::string_view kWrappers[] = {
        "ObjectOutputStream", "DataOutputStream", "BufferedOutputStream", "PrintStream", "OutputStreamWriter",
        "BufferedWriter", "PrintWriter", "GZIPOutputStream", "DeflaterOutputStream", "FilterOutputStream"};
    if (std::find(std::begin(kWrappers), std::end(kWrappers), made.s) == std::end(kWrappers)) return;
    if (auto inner = PathOf(fr, made.kids[0]); inner && X(fr, made.kids[0]).kind == ExprKind::kName) {
      fr.wraps[X(fr, s.a).s] = *inner;
    }
  }

  // Java: `Runnable job = () -> { ... };` is kept to be run later (a
  // thread, an executor, a callback). The locals it reads are effectively
  // final, so their values now are the values it will see: its sinks are
  // checked here, as if it ran.
  void RunStoredLambda(Frame& fr, const ir::Stmt& s) {
    if (fr.lang != Language::kJava || s.b == ir::kNone || TooDeep()) return;
    const ir::Expr& fn = X(fr, s.b);
    if (fn.kind != ExprKind::kFunc || fn.i < 0 || static_cast<std::size_t>(fn.i) >= fr.m->functions.size()) return;
    const ir::Function& lambda = fr.m->functions[static_cast<std::size_t>(fn.i)];
    if (lambda.body == ir::kNone || !CapturesTaint(fr, lambda)) return;
    RunLambda(fr, lambda, Value{}, fn);
  }

  // Java: `new Runnable() { public void run() { ... } }` reads the locals
  // it captures (effectively final) as they are here; its methods that
  // read tainted ones are checked here, as if they ran.
  void RunAnonymousClass(Frame& fr, ir::Id id) {
    const ir::Expr& e = X(fr, id);
    if (fr.lang != Language::kJava || e.i <= 0 || TooDeep()) return;
    for (std::size_t f = static_cast<std::size_t>(e.i - 1); f < fr.m->functions.size(); ++f) {
      const ir::Function& method = fr.m->functions[f];
      if (method.anonymous_of != id) {
        if (method.is_lambda || method.anonymous_of != ir::kNone) continue;  // nested in its body
        break;
      }
      if (method.body == ir::kNone || !CapturesTaint(fr, method)) continue;
      RunLambda(fr, method, Value{}, e);
    }
  }

  // The frame a function literal runs in where it is used (a callback, a
  // local function called): the caller's variables and declared types,
  // `this` the enclosing class's, its own flows summarized in `local`.
  // `shape` is the function as it runs here (cls filled in, no decorators).
  Frame InlineFrame(Frame& fr, ir::Function& shape, Summary& local) {
    if (shape.cls.empty()) shape.cls = fr.f->cls;
    shape.decorators.clear();
    Frame inner;
    inner.module = fr.module;
    inner.m = fr.m;
    inner.f = &shape;
    inner.lang = fr.lang;
    inner.models = fr.models;
    inner.st = fr.st;
    inner.st.dead = false;
    inner.types = fr.types;
    inner.indirect = fr.indirect;
    inner.summary = &local;
    inner.budget = fr.budget;
    inner.stmt_line = fr.stmt_line;
    inner.stmt_end = fr.stmt_end;
    inner.enclosing = fr.enclosing ? fr.enclosing : fr.f;
    return inner;
  }

  static bool SameFlow(const Value& a, const Value& b) {
    if (a.o.size() != b.o.size() || a.list != b.list || a.ck != b.ck || a.s != b.s || a.i != b.i) return false;
    for (std::size_t k = 0; k < a.o.size(); ++k) {
      if (a.o[k].key != b.o[k].key || a.o[k].safe != b.o[k].safe) return false;
    }
    return true;
  }

  // JS: what a callback or local function run inline left in the caller's
  // variables it captured (`xs.forEach((x) => { out += x; })`) is added to
  // them, since it may run any number of times. Its parameters are its own.
  // (A Python function cannot rebind its enclosing function's names without
  // `nonlocal`, and a name it assigns is its own local.)
  void MergeCaptured(Frame& fr, const State& after, const ir::Function& fn) {
    if (after.dead || !IsJs(fr.lang)) return;
    for (const auto& [key, v] : after.env) {
      const std::string root = key.substr(0, key.find('.'));
      bool own = false;
      for (const ir::Param& p : fn.params) own |= p.name == root;
      if (own || !fr.st.env.count(root)) continue;
      auto it = fr.st.env.find(key);
      if (it == fr.st.env.end()) {
        fr.st.env.emplace(key, v);
      } else if (!SameFlow(it->second, v)) {
        it->second = Join(it->second, v);
      }
    }
  }

  // A call of a function value the caller holds (`const cb = (err, data) =>
  // {...}; cb(null, x)`, a nested def): run here, like a callback, so the
  // body sees the caller's variables it captures; its parameters take the
  // call's arguments (by keyword where named) and its return value is the
  // call's.
  Value CallLocalFunction(Frame& fr, const ir::Expr& call, std::size_t fi, const std::vector<Value>& args) {
    if (fi >= fr.m->functions.size()) return {};
    const ir::Function& fn = fr.m->functions[fi];
    if (fn.body == ir::kNone || TooDeep() || &fn == fr.f) return {};
    ir::Function shape = fn;
    Summary local;
    Frame inner = InlineFrame(fr, shape, local);
    const std::string what = fn.name.empty() ? std::string("function") : fn.name + "()";
    std::size_t positional = 0;
    for (std::size_t k = 0; k < fn.params.size(); ++k) inner.st.env.erase(fn.params[k].name);
    for (std::size_t k = 0; k < args.size(); ++k) {
      const std::string* key = k < call.keys.size() && !call.keys[k].empty() ? &call.keys[k] : nullptr;
      const ir::Param* p = nullptr;
      if (key) {
        for (const ir::Param& q : fn.params) {
          if (q.name == *key) p = &q;
        }
      } else if (positional < fn.params.size()) {
        p = &fn.params[positional++];
      }
      if (!p || p->name.empty()) continue;
      inner.st.env[p->name] = AddStep(args[k], fr, call.line, call.col, "passed to " + what);
      if (!p->type.empty()) inner.types[p->name] = p->type;
    }
    ++call_depth;
    ++local_calls;
    Exec(inner, fn.body);
    --local_calls;
    --call_depth;
    fr.budget = inner.budget;
    MergeCaptured(fr, inner.st, fn);
    if (fr.summary) {
      for (const SinkHit& h : local.hits) AddHit(*fr.summary, h);
    }
    if (!local.has_ret) return {};
    return AddStep(local.ret, fr, call.line, call.col, "returned from " + what);
  }

  // Whether `lambda`'s body reads a variable of the enclosing frame that
  // carries taint (a source or a parameter of the enclosing function).
  bool CapturesTaint(const Frame& fr, const ir::Function& lambda) {
    std::vector<ir::Id> stmts{lambda.body}, exprs;
    std::size_t visited = 0;
    auto tainted = [&](const std::string& name) {
      for (const ir::Param& p : lambda.params) {
        if (p.name == name) return false;
      }
      auto it = fr.st.env.find(name);
      if (it == fr.st.env.end()) return false;
      if (!it->second.o.empty()) return true;
      std::vector<Origin> flat;
      FlattenInto(it->second, flat);
      return !flat.empty();
    };
    while ((!stmts.empty() || !exprs.empty()) && ++visited < 4096) {
      if (!exprs.empty()) {
        const ir::Id id = exprs.back();
        exprs.pop_back();
        if (id == ir::kNone) continue;
        const ir::Expr& e = X(fr, id);
        if (e.kind == ExprKind::kName && tainted(e.s)) return true;
        if (e.kind == ExprKind::kFunc) continue;  // run when it is called
        exprs.insert(exprs.end(), e.kids.begin(), e.kids.end());
        continue;
      }
      const ir::Id id = stmts.back();
      stmts.pop_back();
      if (id == ir::kNone) continue;
      const ir::Stmt& st = fr.m->stmts[id];
      exprs.push_back(st.a);
      exprs.push_back(st.b);
      stmts.insert(stmts.end(), st.body.begin(), st.body.end());
      stmts.insert(stmts.end(), st.orelse.begin(), st.orelse.end());
    }
    return false;
  }

  Value ApplyModels(Frame& fr, const ir::Expr& call, std::size_t first_arg, std::vector<Value>& args,
                    const Value* recv, const std::optional<std::string>& recv_path, const std::string& last,
                    const std::vector<std::string>& names, const std::string& new_type, ir::Id id,
                    bool nested = false) {
    std::vector<const CallModel*> ms;
    fr.models->calls.Match(names, [&](const std::shared_ptr<const CallModel>& m) { ms.push_back(m.get()); });
    // A method of the project's own class (svc.find(x) on a UserService,
    // self.execute(q) in a DB wrapper) is judged by its summary, not by a
    // library sink that shares the name. Propagators stay: a summary of a
    // container-like class is coarser than the model.
    if (!ms.empty() && (ProjectMethodCall(fr, call) || ProjectFunctionCall(fr, call))) {
      std::erase_if(ms, [](const CallModel* m) { return m->role == CallModel::kSink; });
    }
    const std::string shown = names.front() == "?" && names.size() > 1 ? names[1] : names.front();
    const CallModel* source = nullptr;
    const CallModel* sanitizer = nullptr;
    const CallModel* collection = nullptr;
    const CallModel* release = nullptr;
    bool clean = false;
    std::uint32_t sanitized = 0, normalized = 0, decoded = 0;
    // Kinds each argument (and the receiver) was judged for as this call's
    // sink: when the result goes straight into another call, what it carries
    // of them is not reported again by a sink of the same kind around it
    // (execute(text(q))). A result kept in a variable is judged again where
    // it is used. `nested`: this call is an argument of another.
    std::vector<std::uint32_t> judged(args.size(), 0);
    std::uint32_t recv_judged = 0;
    for (const CallModel* m : ms) {
      if (m->role == CallModel::kOutputType) {
        if (!AllHold(fr, m->when, call, first_arg, args)) continue;  // not a Content-Type call
        bool safe = AllHold(fr, m->type, call, first_arg, args);
        fr.st.safe_output = safe ? (fr.st.safe_output | m->kinds) : (fr.st.safe_output & ~m->kinds);
        continue;
      }
      if (!m->when.empty() && !AllHold(fr, m->when, call, first_arg, args)) continue;
      if (!m->unless.empty() && AnyHolds(fr, m->unless, call, first_arg, args)) continue;
      switch (m->role) {
        case CallModel::kSink: {
          const std::uint32_t bit = 1u << static_cast<unsigned>(m->kind);
          for (int a : m->args) {
            if (a == -1) {
              for (const Value& v : args) ReportSink(fr, v, m->kind, call.line, call.col, shown);
              for (std::uint32_t& j : judged) j |= bit;
            } else if (a == -2) {
              if (recv) ReportSink(fr, *recv, m->kind, call.line, call.col, shown);
              recv_judged |= bit;
            } else {
              Cond c;
              c.index = a;
              ArgView av = FindArg(fr, call, first_arg, args, c);
              if (av.present && av.value && OperatorValuesOnly(fr, av.expr, bit)) {
                judged[static_cast<std::size_t>(av.value - args.data())] |= bit;
              } else if (av.present && av.value) {
                ReportSink(fr, *av.value, m->kind, call.line, call.col, shown);
                judged[static_cast<std::size_t>(av.value - args.data())] |= bit;
              }
            }
          }
          for (const std::string& opt : m->options) {
            Cond c;
            c.option = opt;
            ArgView av = FindArg(fr, call, first_arg, args, c);
            if (!av.present) continue;
            Value v = av.value ? *av.value : Eval(fr, av.expr);
            ReportSink(fr, v, m->kind, call.line, call.col, shown);
          }
          break;
        }
        case CallModel::kSource:
          if (m->to == -2) {
            if (recv_path) WritePath(fr, *recv_path, SourceValue(fr, m->kind, call.line, call.col, shown));
          } else if (m->to >= 0) {
            // out-parameter source: fgets(buf, ...) taints buf
            if (static_cast<std::size_t>(m->to) + first_arg < call.kids.size()) {
              ir::Id target = call.kids[static_cast<std::size_t>(m->to) + first_arg];
              if (auto p = TargetPathOf(fr, target)) {
                WritePath(fr, *p, KeepBuffer(fr, *p, SourceValue(fr, m->kind, call.line, call.col, shown)));
              }
            }
          } else if (!source) {
            source = m;
          }
          break;
        case CallModel::kSanitizer:
          sanitizer = m;
          if (m->normalizes) normalized |= m->kinds;
          else sanitized |= m->kinds;
          break;
        case CallModel::kPropagator: {
          Value from;
          for (int a : m->args) {
            if (a == -1) {
              for (const Value& v : args) FlattenInto(v, from.o);
            } else if (a == -2) {
              if (recv) FlattenInto(*recv, from.o);
            } else if (static_cast<std::size_t>(a) < args.size()) {
              FlattenInto(args[static_cast<std::size_t>(a)], from.o);
            }
          }
          if (m->to == -2 && recv_path) {
            // What writeObject puts in a stream is a well-formed serialization
            // of that value: reading it back runs no class the input chose.
            if (last == "writeObject" && fr.lang == Language::kJava) {
              if (const int de = SinkKindIndex("deserialization"); de >= 0) {
                for (Origin& o : from.o) o.safe |= 1u << static_cast<unsigned>(de);
              }
            }
            JoinPath(fr, *recv_path, from);
            std::string outer = *recv_path;
            for (int depth = 0; depth < 4; ++depth) {
              auto w = fr.wraps.find(outer);
              if (w == fr.wraps.end()) break;
              JoinPath(fr, w->second, from);
              outer = w->second;
            }
          } else if (m->to >= 0 && static_cast<std::size_t>(m->to) + first_arg < call.kids.size()) {
            ir::Id target = call.kids[static_cast<std::size_t>(m->to) + first_arg];
            if (auto p = TargetPathOf(fr, target)) {
              // Only a write to the whole variable replaces it; `buf + n` keeps the rest.
              // strcpy(buf, "fixed") leaves a known constant.
              const bool whole = PathOf(fr, target).has_value();
              const Value* only = m->args.size() == 1 && m->args[0] >= 0 &&
                                          static_cast<std::size_t>(m->args[0]) < args.size()
                                      ? &args[static_cast<std::size_t>(m->args[0])]
                                      : nullptr;
              if (whole && only && only->IsConst() && only->ck == ConstKind::kString) {
                WritePath(fr, *p, KeepBuffer(fr, *p, *only));
              } else if (from.o.empty() && whole) {
                WritePath(fr, *p, KeepBuffer(fr, *p, Value{}));
              } else {
                JoinPath(fr, *p, from);
              }
            }
          }
          break;
        }
        case CallModel::kClean: clean = true; break;
        case CallModel::kCollection: collection = m; break;
        case CallModel::kOutputType: break;
        case CallModel::kExit: fr.st.dead = true; break;  // the statement ends, then the path
        case CallModel::kValidator: clean = true; break;  // a yes/no answer carries no taint
        case CallModel::kRelease: release = m; break;
        case CallModel::kAllocate: fr.allocated = m->memory; break;
        case CallModel::kDereference:
          for (int a : m->args) {
            const std::size_t k = static_cast<std::size_t>(a) + first_arg;
            if (k < call.kids.size() && call.kids[k] != ir::kNone && X(fr, call.kids[k]).pointer_op == 0) {
              CheckNullAt(fr, call.kids[k], call.line, call.col);
            }
          }
          break;
        case CallModel::kDecoder: decoded |= m->kinds; break;
      }
    }
    if (release) ReleaseArgs(fr, *release, call, first_arg, args);
    // A method called on an object (even one of the project's classes)
    // reads through the object pointer.
    if (recv && TracksFreed(fr)) NoteFreedUse(fr, *recv, false, call.line, call.col);
    bool project = false;
    // Project functions: their summaries decide the result.
    if (!source && !sanitizer && new_type.empty()) {
      std::vector<FuncRef> targets = Resolve(fr, call, args.size(), !ms.empty());
      project = !targets.empty();
      if (ms.empty()) {  // a modelled call (sink, propagator, output type) keeps its model
        if (auto v = BeanAccessor(fr, call, args, recv_path, last, targets)) return *v;
      }
      // Python `Report(term)`: a class of the project, constructed.
      if (targets.empty() && fr.lang == Language::kPython && !call.kids.empty() && call.kids[0] != ir::kNone &&
          X(fr, call.kids[0]).kind == ExprKind::kName && ProgramClasses().count(X(fr, call.kids[0]).s)) {
        ApplyConstructor(fr, X(fr, call.kids[0]).s, call, args);
      }
      if (!targets.empty()) {
        Value result;
        bool first = true;
        bool any = false;
        for (const FuncRef& t : targets) {
          const ir::Function& callee_fn = program.modules[t.module]->functions[t.func];
          if (&callee_fn == fr.f || &callee_fn == fr.enclosing) CheckRecursiveMerge(fr, call, first_arg, callee_fn);
          Summary* s = GetSummary(t);
          if (!s) continue;
          // Java: a bare call of the class's own (or inherited) method runs
          // on `this`: the fields it reads and sets are this object's.
          std::optional<std::string> on = recv_path;
          if (!on && fr.lang == Language::kJava && !call.kids.empty() && call.kids[0] != ir::kNone &&
              X(fr, call.kids[0]).kind == ExprKind::kName && !fr.f->cls.empty() &&
              (callee_fn.cls == fr.f->cls || DerivesFrom(fr.lang, fr.f->cls, callee_fn.cls))) {
            on = "this";
          }
          Value r = ApplySummary(fr, *s, t, call, args, on);
          if (on && !s->field_writes.empty() && targets.size() == 1) {
            const ir::Function& tf = program.modules[t.module]->functions[t.func];
            for (auto& [field, v] : MapFieldWrites(fr, *s, tf.cls + "." + tf.name, call, args, on)) {
              WritePath(fr, *on + "." + field, std::move(v));
            }
          }
          result = first ? r : Join(result, r);
          first = false;
          any = true;
        }
        if (any) return result;
      }
    }
    if (!release && !project) ExternalUses(fr, call, first_arg, args);
    if (source) return SourceValue(fr, source->kind, call.line, call.col, shown, source->kinds);
    if (collection) {
      if (auto r = ApplyCollection(fr, collection->op, call, first_arg, args, recv, recv_path)) return *r;
    }
    if (clean) {
      if (recv) {
        if (auto f = FoldMethod(last, *recv, args)) return *f;
      }
      return {};
    }
    Value r;
    auto add = [&](const Value& v, std::uint32_t judged_kinds) {
      const std::size_t from = r.o.size();
      FlattenInto(v, r.o);
      if (!nested) return;
      for (std::size_t k = from; k < r.o.size(); ++k) r.o[k].safe |= judged_kinds;
    };
    if (recv) {
      if (auto f = FoldMethod(last, *recv, args)) {
        if (!sanitizer) return *f;
      }
      add(*recv, recv_judged);
    }
    for (std::size_t k = 0; k < args.size(); ++k) add(args[k], judged[k]);
    if (TextParts(last, recv, args) > 1) MarkBuilt(r);
    if (decoded) {
      for (Origin& o : r.o) o.safe &= ~decoded;
    }
    if (sanitizer) {
      if (sanitized == kAllKinds) return {};
      for (Origin& o : r.o) {
        o.safe |= sanitized;
        o.normalized |= normalized;
      }
      // atoi(s), Integer.parseInt(s): safe for text, not for arithmetic.
      if (!r.o.empty() && (sanitized & (OverflowBit() | UnderflowBit())) == 0 && sanitized != 0) {
        r.parsed_number = true;
      }
    }

    (void)id;
    return r;
  }

  std::optional<Value> ApplyCollection(Frame& fr, CollectionOp op, const ir::Expr& call, std::size_t first_arg,
                                       std::vector<Value>& args, const Value* recv,
                                       const std::optional<std::string>& recv_path) {
    // The first argument is a size (an integer variable), not a collection.
    auto capacity = [&]() {
      if (first_arg >= call.kids.size() || call.kids[first_arg] == ir::kNone) return false;
      const ir::Expr& a = X(fr, call.kids[first_arg]);
      if (a.kind != ExprKind::kName) return a.kind == ExprKind::kBinary;  // n * 2
      auto t = fr.types.find(a.s);
      return t != fr.types.end() && IntegerType(t->second);
    };
    auto key_text = [&](std::size_t k) -> std::optional<std::string> {
      if (k >= args.size() || !args[k].IsConst() || args[k].ck == ConstKind::kNull) return std::nullopt;
      return ConstText(args[k]);
    };
    switch (op) {
      case CollectionOp::kNewList: {
        // Java: new ArrayList<>(other) copies other; new ArrayList<>(16) is empty.
        if (fr.lang == Language::kJava && !args.empty() && !args[0].IsConst() && !capacity()) {
          if (args[0].list) {
            Value copy;
            copy.list = std::make_shared<std::vector<Value>>(*args[0].list);
            return copy;
          }
          return Flat(args[0]);
        }
        Value v;
        v.list = std::make_shared<std::vector<Value>>();
        return v;
      }
      case CollectionOp::kNewMap:
        // Java: new HashMap<>(other) holds what other holds.
        if (fr.lang == Language::kJava && !args.empty() && !args[0].IsConst() && !capacity()) return Flat(args[0]);
        return Value{};
      case CollectionOp::kListOf: {
        // Arrays.asList(a, b) / List.of(a, b): those elements, in order;
        // Arrays.asList(array) is the array's.
        if (args.size() == 1 && args[0].list) {
          Value copy;
          copy.list = std::make_shared<std::vector<Value>>(*args[0].list);
          return copy;
        }
        Value v;
        v.list = std::make_shared<std::vector<Value>>(args.begin(), args.end());
        return v;
      }
      case CollectionOp::kGet: {
        if (!recv) return std::nullopt;
        if (recv->list && !args.empty() && args[0].ck == ConstKind::kInt) {
          std::int64_t k = args[0].i;
          if (k < 0) k += static_cast<std::int64_t>(recv->list->size());
          if (k >= 0 && static_cast<std::size_t>(k) < recv->list->size()) return (*recv->list)[static_cast<std::size_t>(k)];
          return Value{};
        }
        auto key = key_text(0);
        // ConfigParser-style two-level keys: get(section, option) reads what
        // set(section, option, value) wrote.
        if (recv_path && key && args.size() >= 2) {
          if (auto key2 = key_text(1)) {
            std::string p2 = *recv_path + "." + *key + "." + *key2;
            if (fr.st.env.count(p2)) {
              if (auto v = ReadPath(fr, p2)) return *v;
            }
          }
        }
        if (recv_path && key) {
          std::string p = *recv_path + "." + *key;
          auto have = fr.st.env.find(*recv_path);
          bool tracked = have != fr.st.env.end() || fr.st.env.count(p);
          if (tracked) {
            Value r;
            if (auto v = ReadPath(fr, p)) r = *v;
            else r = Flat(*recv);
            if (args.size() > 1) r = Join(r, args[1]);  // getOrDefault / get(k, default)
            return r;
          }
        }
        Value r = Flat(*recv);
        if (args.size() > 1) FlattenInto(args[1], r.o);
        return r;
      }
      case CollectionOp::kSet: {
        if (!recv_path || args.size() < 2) return std::nullopt;
        auto it = fr.st.env.find(*recv_path);
        if (it != fr.st.env.end() && it->second.list && args[0].ck == ConstKind::kInt) {
          auto elems = std::make_shared<std::vector<Value>>(*it->second.list);
          std::int64_t k = args[0].i;
          if (k >= 0 && static_cast<std::size_t>(k) < elems->size()) {
            (*elems)[static_cast<std::size_t>(k)] = args[1];
            it->second.list = std::move(elems);
            return Value{};
          }
        }
        auto key = key_text(0);
        auto key2 = args.size() >= 3 ? key_text(1) : std::nullopt;
        if (key && key2) WritePath(fr, *recv_path + "." + *key + "." + *key2, args[2]);
        else if (args.size() >= 3) JoinPath(fr, *recv_path, args[2]);
        else if (key) WritePath(fr, *recv_path + "." + *key, args[1]);
        else JoinPath(fr, *recv_path, args[1]);
        (void)call;
        return Value{};
      }
      case CollectionOp::kAdd: {
        if (!recv_path || args.empty()) return std::nullopt;
        auto it = fr.st.env.find(*recv_path);
        const Value& added = args.size() >= 2 && args[0].ck == ConstKind::kInt ? args[1] : args[0];
        if (it != fr.st.env.end() && it->second.list) {
          auto elems = std::make_shared<std::vector<Value>>(*it->second.list);
          if (args.size() >= 2 && args[0].ck == ConstKind::kInt && args[0].i >= 0 &&
              static_cast<std::size_t>(args[0].i) <= elems->size()) {
            elems->insert(elems->begin() + args[0].i, args[1]);  // add(index, value)
          } else if (args.size() == 1 && elems->size() < kMaxListShape) {
            elems->push_back(args[0]);
          } else {
            Value collapsed = Flat(it->second);
            for (const Value& a : args) FlattenInto(a, collapsed.o);
            it->second = collapsed;
            return Value{};
          }
          it->second.list = std::move(elems);
          return Value{};
        }
        JoinPath(fr, *recv_path, added);
        return Value{};
      }
      case CollectionOp::kRemove: {
        if (!recv_path) return std::nullopt;
        auto it = fr.st.env.find(*recv_path);
        if (it != fr.st.env.end() && it->second.list) {
          auto elems = std::make_shared<std::vector<Value>>(*it->second.list);
          std::int64_t k = args.empty() ? static_cast<std::int64_t>(elems->size()) - 1  // pop()
                                        : (args[0].ck == ConstKind::kInt ? args[0].i : -1);
          if (args.empty() && call.kids.size() == 1 && LastOfCallee(fr, call) == "shift") k = 0;
          if (k >= 0 && static_cast<std::size_t>(k) < elems->size()) {
            Value removed = (*elems)[static_cast<std::size_t>(k)];
            elems->erase(elems->begin() + k);
            it->second.list = std::move(elems);
            return removed;
          }
          return Flat(it->second);
        }
        auto key = key_text(0);
        if (key) {
          std::string p = *recv_path + "." + *key;
          std::optional<Value> old = ReadPath(fr, p);
          fr.st.env.erase(p);
          return old ? *old : Value{};
        }
        return recv ? Flat(*recv) : Value{};
      }
      case CollectionOp::kNone: break;
    }
    return std::nullopt;
  }

  std::string LastOfCallee(Frame& fr, const ir::Expr& call) {
    if (call.kids.empty() || call.kids[0] == ir::kNone) return {};
    const ir::Expr& c = X(fr, call.kids[0]);
    return c.kind == ExprKind::kAttr ? c.s : c.s;
  }

  // ----------------------------------------------------------- statements
  void AssignTo(Frame& fr, ir::Id target, const Value& v, const ir::Stmt& s) {
    if (target == ir::kNone) return;
    const ir::Expr& t = X(fr, target);
    if (t.kind == ExprKind::kList) {
      for (std::size_t k = 0; k < t.kids.size(); ++k) {
        if (v.list && k < v.list->size()) AssignTo(fr, t.kids[k], (*v.list)[k], s);
        else AssignTo(fr, t.kids[k], Flat(v), s);
      }
      return;
    }
    if ((t.kind == ExprKind::kAttr || t.kind == ExprKind::kIndex) && !t.kids.empty() && IsC(fr.lang)) {
      CheckDeref(fr, t.kids[0], t.line, t.col);
    }
    // std::tie(a, b) = pair: each named variable is written.
    if (t.kind == ExprKind::kCall && IsC(fr.lang)) {
      for (std::size_t k = 1; k < t.kids.size(); ++k) {
        if (t.kids[k] == ir::kNone || X(fr, t.kids[k]).kind != ExprKind::kName) continue;
        if (auto it = fr.st.env.find(X(fr, t.kids[k]).s); it != fr.st.env.end()) it->second.uninit = false;
      }
    }
    if (t.kind == ExprKind::kName && t.pointer_op == '*' && IsC(fr.lang)) {
      CheckUninitialized(fr, t);  // `*p = v` reads p
      CheckNullAt(fr, target, t.line, t.col);
    }
    // Assignment sinks: session[...] = v, element.innerHTML = v
    if (t.kind == ExprKind::kAttr || t.kind == ExprKind::kIndex) {
      const LanguageModels& lm = *fr.models;
      if (!lm.stores.empty()) {
        // The written member itself (el.innerHTML) or its container (session[k]).
        std::vector<std::string> names;
        Names(fr, target, names);
        Names(fr, t.kids[0], names);
        // headers["Access-Control-Allow-Origin"] = v: the entry by its key.
        if (t.kind == ExprKind::kIndex && t.kids.size() > 1 && t.kids[1] != ir::kNone &&
            X(fr, t.kids[1]).kind == ExprKind::kConst && X(fr, t.kids[1]).const_kind == ConstKind::kString) {
          std::vector<std::string> base;
          Names(fr, t.kids[0], base);
          for (const std::string& b : base) names.push_back(b + "." + X(fr, t.kids[1]).s);
        }
        bool hit = false;
        lm.stores.Match(names, [&](const StoreModel& sm) {
          if (hit) return;
          hit = true;
          ReportSink(fr, v, sm.kind, t.line, t.col, names.front());
          // session[name] = v: an attacker-chosen key writes any entry.
          if (t.kind == ExprKind::kIndex && t.kids.size() > 1 && t.kids[1] != ir::kNone &&
              X(fr, t.kids[1]).kind != ExprKind::kCall) {
            ReportSink(fr, Eval(fr, t.kids[1]), sm.kind, t.line, t.col, names.front());
          }
        });
      }
    }
    // C/C++ buf[i] = v with an input-chosen i.
    if (t.kind == ExprKind::kIndex && t.kids.size() > 1 && t.kids[1] != ir::kNone) {
      const Value index = Eval(fr, t.kids[1]);
      CheckArrayIndex(fr, t.kids[1], index, t.line, t.col);
      if (IsC(fr.lang)) CheckIndexWrite(fr, t, index);
    }
    // JS cur[b] = v where cur = obj[a] earlier (a loop walking a dotted
    // path: set(obj, "__proto__.polluted", v)).
    if (t.kind == ExprKind::kIndex && t.kids.size() > 1 && t.kids[0] != ir::kNone && t.kids[1] != ir::kNone &&
        X(fr, t.kids[0]).kind == ExprKind::kName && X(fr, t.kids[1]).kind != ExprKind::kConst) {
      auto reached = fr.st.reached_by_key.find(X(fr, t.kids[0]).s);
      const int proto = SinkKindIndex("prototype");
      if (reached != fr.st.reached_by_key.end() && proto >= 0) {
        ReportSink(fr, reached->second, proto, t.line, t.col, "computed property write");
      }
    }
    // JS obj[a][b] = v with a request-chosen a: a = "__proto__" (or
    // "constructor" then b = "prototype") writes into Object.prototype.
    if (t.kind == ExprKind::kIndex && t.kids.size() > 1 && t.kids[0] != ir::kNone &&
        IsJs(fr.lang)) {
      const ir::Expr& inner = X(fr, t.kids[0]);
      const int proto = SinkKindIndex("prototype");
      if (proto >= 0 && inner.kind == ExprKind::kIndex && inner.kids.size() > 1 && inner.kids[1] != ir::kNone &&
          X(fr, inner.kids[1]).kind != ExprKind::kCall && X(fr, inner.kids[1]).kind != ExprKind::kConst) {
        ReportSink(fr, Eval(fr, inner.kids[1]), proto, t.line, t.col, "computed property write");
      }
    }
    std::string name = t.kind == ExprKind::kName ? t.s : t.kind == ExprKind::kAttr ? t.s : std::string();
    if (t.kind == ExprKind::kIndex && t.kids.size() > 1 && t.kids[1] != ir::kNone &&
        X(fr, t.kids[1]).kind == ExprKind::kConst) {
      name = X(fr, t.kids[1]).s;
    }
    CheckAssignPattern(fr, name, v, t.line ? t.line : s.line, t.col ? t.col : s.col, s.a == target ? s.b : ir::kNone);
    if (auto p = PathOf(fr, target)) {
      Value nv = v;
      if (!v.o.empty()) nv = AddStep(v, fr, s.line, s.col, "assigned to " + *p);
      // `*p = v` writes where p points: p itself is not NULL after it
      // (`*out = NULL` stores a NULL, it does not make out one).
      if (t.pointer_op == '*' && IsC(fr.lang)) {
        nv = KeepBuffer(fr, *p, std::move(nv));
        if (nv.ck == ConstKind::kNull || (nv.ck == ConstKind::kInt && nv.i == 0)) nv.ck = ConstKind::kUnset;
      }
      if (!s.type.empty() && t.kind == ExprKind::kName) {  // a declaration: a local
        fr.types[t.s] = s.type;
        if (s.indirect) fr.indirect.insert(t.s);
        else fr.indirect.erase(t.s);
      }
      if (field_pass) {
        if (p->starts_with("this.")) {
          RecordField(fr, *p, nv);
        } else if (t.kind == ExprKind::kName && s.type.empty() && ImplicitThis(fr) && !fr.types.count(t.s) &&
                   fr.m->field_types.count(t.s)) {
          // Java/C++ field assigned by its bare name (not a declared local or
          // parameter), each time it is assigned.
          RecordField(fr, "this." + t.s, nv);
        }
      }
      WritePath(fr, *p, std::move(nv));
      if (!s.type.empty() && t.kind == ExprKind::kName) fr.types[t.s] = s.type;
    } else if (t.kind == ExprKind::kIndex || t.kind == ExprKind::kAttr) {
      // Unknown key: the container as a whole may now hold v.
      if (auto base = PathOf(fr, t.kids[0])) JoinPath(fr, *base, v);
    }
  }

  // The `if` that is all of an else branch (an else-if), when Exec would run it.
  static const ir::Stmt* ElseIf(const Frame& fr, const std::vector<ir::Id>& branch) {
    if (branch.size() != 1 || branch[0] == ir::kNone || fr.st.dead || fr.budget < 0) return nullptr;
    const ir::Stmt& s = fr.m->stmts[branch[0]];
    return s.kind == StmtKind::kIf ? &s : nullptr;
  }

  void Exec(Frame& fr, ir::Id sid) {
    if (sid == ir::kNone || fr.st.dead || fr.budget < 0 || StackUsed() > kMaxStack) return;
    const ir::Stmt& s = fr.m->stmts[sid];
    switch (s.kind) {
      case StmtKind::kBlock:
        for (ir::Id c : s.body) {
          if (fr.st.dead) break;
          Exec(fr, c);
        }
        return;
      case StmtKind::kExpr:
        fr.stmt_line = s.line;
        fr.stmt_end = s.end_line;
        fr.assign_var.clear();
        Eval(fr, s.a);
        if (IsC(fr.lang)) MacroStatement(fr, s.a);
        return;
      case StmtKind::kAssign: {
        fr.stmt_line = s.line;
        fr.stmt_end = s.end_line;
        fr.assign_var.clear();
        fr.ctor_fields.clear();
        if (s.a != ir::kNone && X(fr, s.a).kind == ExprKind::kName) {
          fr.assign_var = X(fr, s.a).s;
          // parts = urlparse(url): a host check on parts is about url.
          fr.parsed_url_of.erase(fr.assign_var);
          fr.host_of.erase(fr.assign_var);
          fr.relative_of.erase(fr.assign_var);
          NoteFlagCheck(fr, s);
          fr.st.path_checks.erase(fr.assign_var);
          if (ir::Id target = RelativeTarget(fr, s.b); target != ir::kNone) {
            if (auto tp = PathOf(fr, target)) fr.relative_of[fr.assign_var] = *tp;
          }
          NoteReachedByKey(fr, fr.assign_var, s.b);
          if (ir::Id url = ParsedUrlArg(fr, s.b); url != ir::kNone) {
            if (auto up = PathOf(fr, url)) fr.parsed_url_of[fr.assign_var] = *up;
          }
          // host = urlparse(url).hostname / new URL(u).getHost()
          if (ir::Id url = HostCheckTarget(fr, s.b); url != ir::kNone) {
            if (auto up = PathOf(fr, url)) fr.host_of[fr.assign_var] = *up;
          }
          // in = loader.getResourceAsStream("app.properties"); props.load(in)
          if (fr.lang == Language::kJava) {
            auto file = PropertiesFileIn(fr, s.b, 0);
            if (file) fr.properties_streams[fr.assign_var] = *file;
            else fr.properties_streams.erase(fr.assign_var);
          }
        }
        Value v;
        if (s.b != ir::kNone) {
          v = Eval(fr, s.b);
          // Only the array's own declaration makes an array: `char *p = buf`
          // is a pointer (sizeof p is not the buffer's size).
          if (v.array && !(X(fr, s.b).kind == ExprKind::kNew && X(fr, s.b).s == "<array>")) v.array = false;
        } else if (!s.type.empty() && s.a != ir::kNone && X(fr, s.a).kind == ExprKind::kName) {
          fr.types[X(fr, s.a).s] = s.type;
          if (s.indirect) fr.indirect.insert(X(fr, s.a).s);
          else fr.indirect.erase(X(fr, s.a).s);
        }
        // `int n;`: garbage until assigned (a scalar, or any pointer).
        if (s.uninitialized && TracksFreed(fr) &&
            (s.indirect || IntegerType(s.type) || FloatType(s.type) || CharType(s.type))) {
          v.uninit = true;
          fr.any_uninit = true;
        }
        if (!s.op.empty()) {
          Value old = Eval(fr, s.a);
          if (s.op == "+" || s.op == "-" || s.op == "*") CheckArithmetic(fr, s.op, s.a, old, s.b, v, s.line, s.col);
          if (auto f = FoldBinary(s.op, old, v)) {
            v = *f;
          } else {
            Value r;
            FlattenInto(old, r.o);
            FlattenInto(v, r.o);
            if (!EmptyText(old) && !EmptyText(v)) MarkBuilt(r);
            v = r;
          }
        }
        // C: buf[0] = '\0' empties the string; the buffer stays (strcat then
        // writes from its start). buf[k] = '\0': the text ends by k.
        if (IsC(fr.lang) && s.a != ir::kNone && s.op.empty() && X(fr, s.a).kind == ExprKind::kIndex &&
            X(fr, s.a).kids.size() == 2 && X(fr, s.a).kids[0] != ir::kNone && X(fr, s.a).kids[1] != ir::kNone &&
            X(fr, X(fr, s.a).kids[0]).kind == ExprKind::kName &&
            ((v.ck == ConstKind::kInt && v.i == 0) ||
             (v.ck == ConstKind::kString && (v.s.empty() || v.s == std::string(1, '\0'))))) {
          const std::string& buf = X(fr, X(fr, s.a).kids[0]).s;
          auto it = fr.st.env.find(buf);
          if (it != fr.st.env.end() && it->second.cap >= 0) {
            const Value at = Eval(fr, X(fr, s.a).kids[1]);
            if (at.ck == ConstKind::kInt && at.i == 0) {
              const ir::Expr& t = X(fr, s.a);
              CheckDeref(fr, t.kids[0], t.line, t.col);  // a write through buf all the same
              WritePath(fr, buf, KeepBuffer(fr, buf, StrConst("")));
              return;
            }
            it = fr.st.env.find(buf);  // Eval may have added entries
            if (at.ck == ConstKind::kInt && at.i > 0 && it != fr.st.env.end() && it->second.ck != ConstKind::kString &&
                (it->second.len_max < 0 || it->second.len_max > at.i)) {
              it->second.len_max = at.i;
            }
          }
        }
        // An object/dict literal with constant keys: each key is its own path.
        if (s.b != ir::kNone && s.op.empty() && X(fr, s.b).kind == ExprKind::kDict) {
          if (auto p = PathOf(fr, s.a)) {
            const ir::Expr& d = X(fr, s.b);
            Value base;
            std::vector<std::pair<std::string, Value>> members;
            for (std::size_t k = 0; k < d.kids.size(); ++k) {
              Value mv = Eval(fr, d.kids[k]);
              if (k < d.keys.size()) CheckAssignPattern(fr, d.keys[k], mv, d.line, d.col);
              if (k < d.keys.size() && !d.keys[k].empty()) members.emplace_back(d.keys[k], std::move(mv));
              else FlattenInto(mv, base.o);
            }
            AssignTo(fr, s.a, base, s);
            for (auto& [key, mv] : members) {
              Value nv = mv.o.empty() ? mv : AddStep(mv, fr, s.line, s.col, "assigned to " + *p + "." + key);
              fr.st.env[*p + "." + key] = std::move(nv);
            }
            fr.assign_var.clear();
            return;
          }
        }
        // C++: `Base* o = new Derived;` / `const Base& o = Derived();` calls
        // Derived's methods, when the program defines that class (Java:
        // `Iface o = new Impl();`).
        std::string dynamic_type;
        if ((fr.lang == Language::kCpp || fr.lang == Language::kJava) && !s.type.empty() && s.b != ir::kNone &&
            s.a != ir::kNone &&
            X(fr, s.a).kind == ExprKind::kName) {
          const ir::Expr& b = X(fr, s.b);
          std::string made;
          if (b.kind == ExprKind::kNew) made = b.s;
          else if (b.kind == ExprKind::kCall && !b.kids.empty() && b.kids[0] != ir::kNone &&
                   X(fr, b.kids[0]).kind == ExprKind::kName) made = X(fr, b.kids[0]).s;
          // Java: only for a declared type of the project's own (a library
          // type's name is what its models match).
          if (!made.empty() && made != s.type && ProgramClasses().count(made) &&
              (fr.lang != Language::kJava || ProgramClasses().count(s.type))) {
            dynamic_type = made;
          }
        }
        // Remember a constructed object's type: x = new T() / x = T(...)
        if (s.type.empty() && s.b != ir::kNone && s.a != ir::kNone && X(fr, s.a).kind == ExprKind::kName) {
          const ir::Expr& b = X(fr, s.b);
          if (b.kind == ExprKind::kNew && !b.s.starts_with("<")) {  // not a buffer (<array>, <new[]>)
            fr.types[X(fr, s.a).s] = b.s;
          } else if (fr.lang == Language::kPython && b.kind == ExprKind::kCall && !b.kids.empty() &&
                     b.kids[0] != ir::kNone && X(fr, b.kids[0]).kind == ExprKind::kName &&
                     !X(fr, b.kids[0]).s.empty() && X(fr, b.kids[0]).s[0] >= 'A' && X(fr, b.kids[0]).s[0] <= 'Z' &&
                     program.by_name.count(X(fr, b.kids[0]).s) == 0) {
            // A class (by convention capitalized, and not a function of the project).
            fr.types[X(fr, s.a).s] = X(fr, b.kids[0]).s;
          } else if (fr.lang == Language::kPython && b.kind == ExprKind::kCall && !b.kids.empty() &&
                     b.kids[0] != ir::kNone && X(fr, b.kids[0]).kind == ExprKind::kAttr) {
            // A library factory: tar = tarfile.open(p) reads as a
            // "tarfile.open" object, so models can name its methods
            // (tarfile.open.extractall). Only a call on an imported module.
            const ir::Expr& callee = X(fr, b.kids[0]);
            const ir::Id base = callee.kids.empty() ? ir::kNone : callee.kids[0];
            if (base != ir::kNone && X(fr, base).kind == ExprKind::kName && !fr.st.env.count(X(fr, base).s)) {
              auto imp = fr.m->imports.find(X(fr, base).s);
              if (imp != fr.m->imports.end()) fr.types[X(fr, s.a).s] = NormalizeName(imp->second) + "." + callee.s;
            }
          }
        }
        NoteFunctionRef(fr, s);
        RunStoredLambda(fr, s);
        NoteWrappedStream(fr, s);
        AssignTo(fr, s.a, v, s);
        if (!dynamic_type.empty()) fr.types[X(fr, s.a).s] = std::move(dynamic_type);
        if (!fr.ctor_fields.empty()) {  // obj = new T(x): the fields T's constructor set
          if (auto target = PathOf(fr, s.a)) {
            for (auto& [field, fv] : fr.ctor_fields) WritePath(fr, *target + "." + field, std::move(fv));
          }
          fr.ctor_fields.clear();
        }
        fr.assign_var.clear();
        return;
      }
      case StmtKind::kThrow:
        NoteExit(fr);
        fr.st.dead = true;
        return;
      case StmtKind::kContinue:
        // The state goes back to the loop's head; what follows in the body
        // runs only on the other paths (`if (bad(key)) continue;`).
        if (!fr.continues.empty()) {
          fr.continues.back().push_back(fr.st);
          fr.st.dead = true;
        }
        return;
      case StmtKind::kBreak:
        // The state leaves the loop: it joins the loop's exit.
        if (!fr.breaks.empty()) {
          fr.breaks.back().push_back(fr.st);
          fr.st.dead = true;
        }
        return;
      case StmtKind::kReturn: {
        fr.stmt_line = s.line;
        fr.stmt_end = s.end_line;
        Value v = Eval(fr, s.a);
        // A handler returning a dict / object literal answers with JSON
        // (Flask, FastAPI, NestJS serialize it): not a response body sink.
        const bool object_literal = s.a != ir::kNone && X(fr, s.a).kind == ExprKind::kDict;
        for (const ReturnSink& rs : fr.models->return_sinks) {
          if (object_literal || !DecoratedWith(fr, rs.decorators)) continue;
          if (!rs.unless_decorators.empty() && DecoratedWith(fr, rs.unless_decorators)) continue;
          if (!rs.own_decorators.empty() && !DecoratedWith(fr, rs.own_decorators, /*own_only=*/true)) continue;
          if (!rs.when.empty() && !DecoratorHolds(fr, rs.decorators, rs.when)) continue;
          if (!rs.return_types.empty() &&
              std::find(rs.return_types.begin(), rs.return_types.end(), fr.f->ret_type) == rs.return_types.end()) {
            continue;
          }
          if (!rs.prefix.empty() || !rs.unless_prefix.empty()) {
            const std::string lead = LeftmostText(fr, s.a);
            if (!rs.prefix.empty() && !lead.starts_with(rs.prefix)) continue;
            if (!rs.unless_prefix.empty() && lead.starts_with(rs.unless_prefix)) continue;
          }
          ReportSink(fr, v, rs.kind, s.line, s.col,
                     (rs.prefix.empty() ? "response body of " : "view returned by ") + fr.f->name + "()");
        }
        if (fr.summary) {
          fr.summary->ret = fr.summary->has_ret ? Join(fr.summary->ret, v) : v;
          fr.summary->has_ret = true;
          RecordProof(fr, s.a, v);
        }
        RecordOutParams(fr);
        RecordFieldWrites(fr);
        NoteExit(fr);
        fr.st.dead = true;
        return;
      }
      case StmtKind::kIf: {
        // An else-if chain (elif, switch arms) is walked in this loop rather
        // than by recursing into each `else`: generated code has thousands of
        // arms, and a frame per arm overflowed the stack. Same steps and the
        // same merges (innermost first) as the recursion.
        std::vector<State> taken;  // leaving the body of each undecided arm
        int undecided = 0;         // arms entered with an unknown condition (Frame::conditional)
        const ir::Stmt* cur = &s;
        for (;;) {
          fr.stmt_line = cur->line;
          fr.stmt_end = cur->line;
          std::optional<bool> decided;
          if (cur->a != ir::kNone) decided = Truthy(Eval(fr, cur->a));
          if (decided) {
            const auto& branch = *decided ? cur->body : cur->orelse;
            if (const ir::Stmt* next = ElseIf(fr, branch)) {
              cur = next;
              continue;
            }
            for (ir::Id c : branch) {
              if (fr.st.dead) break;
              Exec(fr, c);
            }
            break;
          }
          State before = fr.st;
          Refine(fr, cur->a, true);
          ++fr.conditional;
          ++undecided;
          const std::optional<std::pair<std::string, bool>> guard = FieldGuard(fr, cur->a);
          if (guard) fr.field_guards.push_back(*guard);
          for (ir::Id c : cur->body) {
            if (fr.st.dead) break;
            Exec(fr, c);
          }
          if (guard) fr.field_guards.pop_back();
          taken.push_back(std::move(fr.st));
          fr.st = std::move(before);
          Refine(fr, cur->a, false);
          if (const ir::Stmt* next = ElseIf(fr, cur->orelse)) {
            cur = next;
            continue;
          }
          if (guard) fr.field_guards.emplace_back(guard->first, !guard->second);
          for (ir::Id c : cur->orelse) {
            if (fr.st.dead) break;
            Exec(fr, c);
          }
          if (guard) fr.field_guards.pop_back();
          break;
        }
        fr.conditional -= undecided;
        for (auto t = taken.rbegin(); t != taken.rend(); ++t) fr.st = Merge(std::move(*t), std::move(fr.st));
        return;
      }
      case StmtKind::kLoop: {
        fr.stmt_line = s.line;
        fr.stmt_end = s.line;
        int entry = -1;  // the condition on entry: 0 false, 1 true, -1 unknown
        if (s.a != ir::kNone) {
          CheckLoopBound(fr, s.a);
          // An assignment in the condition (`(c = s[i])`) is lowered before
          // the loop only: its variable is not read uninitialized here.
          ++fr.not_a_read;
          if (std::optional<bool> t = Truthy(Eval(fr, s.a))) entry = *t ? 1 : 0;
          --fr.not_a_read;
        }
        if (entry == 0) return;
        // C/C++ `break`s: a loop whose condition is a constant true
        // (`while (1)`, `for (;;)`) is left only through them, and one that
        // certainly runs once and then certainly stops (`for (i = 0; i < 1;
        // i++)`) leaves with its first pass.
        fr.breaks.emplace_back();
        std::optional<State> exit;
        const int body_conditional = entry == 1 ? 0 : 1;  // a loop true on entry runs its body
        fr.conditional += body_conditional;
        for (int round = 0; round < 2; ++round) {
          State before = fr.st;
          BoundLoopVariable(fr, s.a);
          fr.continues.emplace_back();
          for (ir::Id c : s.body) {
            if (fr.st.dead) break;
            Exec(fr, c);
          }
          std::vector<State> skipped = std::move(fr.continues.back());
          fr.continues.pop_back();
          const bool ended = fr.st.dead;
          fr.st.dead = false;  // return inside: the loop may also be skipped
          for (State& c : skipped) fr.st = Merge(std::move(fr.st), std::move(c));
          if (round == 0 && entry == 1 && !ended && IsC(fr.lang) && Truthy(Eval(fr, s.a)) == false) {
            exit = std::move(fr.st);
            break;
          }
          fr.st = Merge(std::move(before), std::move(fr.st));
        }
        fr.conditional -= body_conditional;
        std::vector<State> left = std::move(fr.breaks.back());
        fr.breaks.pop_back();
        if (exit) {
          fr.st = std::move(*exit);
        } else if (entry == 1 && !left.empty()) {
          fr.st = std::move(left.back());  // only the breaks leave it
          left.pop_back();
        }
        for (State& b : left) fr.st = Merge(std::move(fr.st), std::move(b));
        return;
      }
    }
  }

  // What a branch condition proves about variables, when the branch runs
  // (`positive`) or when it does not: in `if x == "a"` the then-branch knows
  // x is "a"; `x in ("a", "b")`, `"a".equals(x)`, `List.of("a", "b")
  // .contains(x)` and `["a", "b"].includes(x)` make x one of the program's
  // own constants; a full regex match whose characters can only be letters,
  // digits or '_' leaves nothing to inject into any sink. Each fact replaces
  // the variable's value inside the branch only; the join after the branch
  // brings the other path's taint back.
  void Facts(Frame& fr, ir::Id id, bool positive, std::map<std::string, Value>& out, int depth = 0) {
    if (id == ir::kNone || depth > 8) return;
    const ir::Expr& e = X(fr, id);
    auto constant = [&](ir::Id k) -> std::optional<Value> {
      if (k == ir::kNone) return std::nullopt;
      return ConstOf(X(fr, k));
    };
    auto all_constants = [&](const std::vector<ir::Id>& kids, std::size_t from) {
      if (kids.size() <= from) return false;
      for (std::size_t k = from; k < kids.size(); ++k) {
        if (!constant(kids[k])) return false;
      }
      return true;
    };
    auto one_of = [&](const std::vector<ir::Id>& kids, std::size_t from) {
      std::optional<Value> first = constant(kids[from]);
      for (std::size_t k = from + 1; k < kids.size(); ++k) {
        if (!first || !constant(kids[k])->SameConst(*first)) return Value{};
      }
      return *first;
    };
    // `*p == ' '` is about what p points at, not p (which `*p` lowers to).
    auto pointee = [&](ir::Id target) { return target != ir::kNone && X(fr, target).pointer_op == '*'; };
    auto fact = [&](ir::Id target, Value v) {
      if (pointee(target)) return;
      if (auto p = PathOf(fr, target)) out[*p] = std::move(v);
    };
    // `text` proven absent from `target`: ".." or "/" (see kNoDotDotMark).
    auto path_mark = [&](ir::Id text, ir::Id target) {
      auto c = constant(text);
      if (!c || c->ck != ConstKind::kString || (c->s != ".." && c->s != "/")) return;
      if (auto p = PathOf(fr, target)) out[std::string(c->s == ".." ? kNoDotDotMark : kNoSlashMark) + *p] = Value{};
    };
    // C: strstr(s, "..") / strchr(s, '/') found nothing: s lacks that text.
    auto c_absent = [&](ir::Id call_id) {
      if (!IsC(fr.lang) || call_id == ir::kNone) return;
      const ir::Expr& c = X(fr, call_id);
      if (c.kind != ExprKind::kCall || c.kids.size() != 3 || c.kids[0] == ir::kNone) return;
      const ir::Expr& fn = X(fr, c.kids[0]);
      if (fn.kind != ExprKind::kName ||
          (fn.s != "strstr" && fn.s != "strchr" && fn.s != "strrchr" && fn.s != "std::strstr" &&
           fn.s != "std::strchr" && fn.s != "std::strrchr")) {
        return;
      }
      auto needle = constant(c.kids[2]);
      if (needle && needle->ck == ConstKind::kInt && needle->i == '/') {
        if (auto p = PathOf(fr, c.kids[1])) out[std::string(kNoSlashMark) + *p] = Value{};
        return;
      }
      path_mark(c.kids[2], c.kids[1]);
    };
    // `host` was proven to be one of the program's values: if it is the
    // host of a URL, that URL is safe for SSRF and redirects.
    auto host_fact = [&](ir::Id host, std::uint32_t bits = 0) {
      if (bits == 0) bits = UrlBits();
      std::optional<std::string> p;
      if (ir::Id url = HostCheckTarget(fr, host); url != ir::kNone) {
        p = PathOf(fr, url);
      } else if (host != ir::kNone && X(fr, host).kind == ExprKind::kName) {
        if (auto h = fr.host_of.find(X(fr, host).s); h != fr.host_of.end()) p = h->second;
      }
      if (!p) return;
      MarkSafe(fr, out, *p, bits);
      // The parsed copy was checked: the URL it was parsed from is the same.
      if (auto from = fr.parsed_url_of.find(*p); from != fr.parsed_url_of.end()) {
        MarkSafe(fr, out, from->second, bits);
      }
    };
    // C/C++: where `!p` holds (or `p` fails), p is the null pointer, and
    // an early `if (p == NULL) return;` releases nothing (NoteExit).
    auto null_pointer = [&](ir::Id target) {
      if (pointee(target)) return;
      if (auto p = PathOf(fr, target)) {
        Value v;
        v.ck = ConstKind::kNull;
        out[*p] = std::move(v);
      }
    };
    // Where `p` holds (or `p != NULL`), an allocation's result was checked.
    auto checked_pointer = [&](ir::Id target) {
      if (pointee(target)) return;
      if (auto p = PathOf(fr, target)) {
        auto have = out.find(*p);
        std::optional<Value> v = have != out.end() ? std::optional<Value>(have->second) : ReadPath(fr, *p);
        if (!v || (!v->maybe_null && v->pointer_param < 0)) return;
        // Copies of the same parameter are checked with it
        // (`ctxt = (ParserCtxt *) ctx; if (ctx == NULL) return;`).
        if (v->pointer_param >= 0 && !v->maybe_null) {
          for (const auto& [path, w] : fr.st.env) {
            if (w.pointer_param != v->pointer_param || path == *p || out.count(path)) continue;
            Value copy = w;
            copy.not_null = true;
            out[path] = std::move(copy);
          }
        }
        v->maybe_null = false;
        v->not_null = true;
        out[*p] = std::move(*v);
      }
    };
    switch (e.kind) {
      case ExprKind::kName:
        if (IsC(fr.lang)) {
          if (positive) checked_pointer(id);
          else null_pointer(id);
        }
        // const ok = allowed.includes(x); if (ok) ...: ok true says the
        // check it holds held (NoteFlagCheck keeps only a flag's one check).
        if (positive && !IsC(fr.lang)) {
          auto f = fr.flag_checks.find(e.s);
          if (f != fr.flag_checks.end() && f->second != ir::kNone && f->second != id) {
            Facts(fr, f->second, true, out, depth + 1);
          }
        }
        return;
      case ExprKind::kUnary:
        if ((e.s == "!" || e.s == "not") && !e.kids.empty()) Facts(fr, e.kids[0], !positive, out, depth + 1);
        return;
      case ExprKind::kBinary: {
        if (e.kids.size() != 2) return;
        const bool conj = e.s == "&&" || e.s == "and";
        const bool disj = e.s == "||" || e.s == "or";
        if (conj || disj) {
          std::map<std::string, Value> a, b;
          Facts(fr, e.kids[0], positive, a, depth + 1);
          Facts(fr, e.kids[1], positive, b, depth + 1);
          if (conj == positive) {  // both hold
            for (auto& [k, v] : b) a[k] = std::move(v);
            for (auto& [k, v] : a) out[k] = std::move(v);
            // `x >= 0 && x < n`: a signed number inside both ends.
            if (BoundKinds() != 0) {
              std::set<std::string> lower, upper;
              Ranges(fr, id, positive, lower, upper, depth);
              for (const std::string& p : upper) {
                if (lower.contains(p)) MarkSafe(fr, out, p, BoundKinds());
              }
            }
          } else {  // one of them holds: only what both prove
            for (auto& [k, v] : a) {
              auto it = b.find(k);
              if (it != b.end()) out[k] = Join(v, it->second);
            }
          }
          return;
        }
        // Away from zero: safe to divide by. Bounded: safe to add to or
        // subtract from.
        if ((IsC(fr.lang) || fr.lang == Language::kJava) && DivisorBit() != 0) {
          if (auto p = NonZeroBy(fr, e, positive)) MarkSafe(fr, out, *p, DivisorBit());
        }
        if ((IsC(fr.lang) || fr.lang == Language::kJava) && (OverflowBit() | UnderflowBit() | LoopBit()) != 0) {
          ArithmeticBounds(fr, e, positive, out);
        }
        // An upper bound: `x < 10` / `x <= N` where it holds (or `x >= 10`
        // where it does not) keeps x inside an allocation limit, and an
        // unsigned x inside an array. A signed index also needs a lower
        // bound (see the conjunction above): `if (x < 10) buf[x]` takes -1.
        if (e.s == "<" || e.s == "<=" || e.s == ">" || e.s == ">=") {
          if (BoundKinds() == 0) return;
          std::set<std::string> lower, upper;
          Ranges(fr, id, positive, lower, upper, depth);
          for (const std::string& p : upper) {
            MarkSafe(fr, out, p, SignedNumber(fr, p) ? BoundKinds() & SinkKindBit("alloc") : BoundKinds());
          }
          return;
        }
        const bool eq = e.s == "==" || e.s == "===";
        const bool ne = e.s == "!=" || e.s == "!==";
        if (IsC(fr.lang) && ((eq && positive) || (ne && !positive))) {  // p == NULL, p == 0
          for (int side = 0; side < 2; ++side) {
            if (e.kids[side] == ir::kNone) continue;
            const ir::Expr& k = X(fr, e.kids[side]);
            if (NullLiteral(k)) {
              null_pointer(e.kids[1 - side]);
            }
          }
        }
        if (IsC(fr.lang) && ((ne && positive) || (eq && !positive))) {  // p != NULL
          for (int side = 0; side < 2; ++side) {
            if (e.kids[side] == ir::kNone) continue;
            const ir::Expr& k = X(fr, e.kids[side]);
            if (NullLiteral(k)) {
              checked_pointer(e.kids[1 - side]);
            }
          }
        }
        // C/C++: where `p != q` holds, p does not point where q does, so
        // memory they were both known to come from (p = buf before a
        // `base != buf` guard) is no longer known for either.
        if (IsC(fr.lang) && ((ne && positive) || (eq && !positive)) && e.kids[0] != ir::kNone &&
            e.kids[1] != ir::kNone) {
          auto pa = PathOf(fr, e.kids[0]), pb = PathOf(fr, e.kids[1]);
          std::optional<Value> va = pa ? ReadPath(fr, *pa) : std::nullopt;
          std::optional<Value> vb = pb ? ReadPath(fr, *pb) : std::nullopt;
          if (va && vb && va->memory != Memory::kUnknown && va->memory == vb->memory) {
            for (auto& [path, v] : {std::pair{*pa, *va}, std::pair{*pb, *vb}}) {
              auto have = out.find(path);
              Value w = have != out.end() ? have->second : v;
              w.memory = Memory::kUnknown;
              out[path] = std::move(w);
            }
          }
        }
        // x.indexOf(base) === 0 (Python x.find(base) == 0): x starts with
        // base, as x.startsWith(base) says: a resolved path under base, and
        // a URL whose start a constant fixes.
        if ((eq && positive) || (ne && !positive)) {
          for (int side = 0; side < 2; ++side) {
            auto zero = constant(e.kids[1 - side]);
            if (e.kids[side] == ir::kNone) continue;  // an operand that did not parse
            const ir::Expr& c = X(fr, e.kids[side]);
            if (!zero || zero->ck != ConstKind::kInt || zero->i != 0 || c.kind != ExprKind::kCall ||
                c.kids.size() != 2 || c.kids[0] == ir::kNone || X(fr, c.kids[0]).kind != ExprKind::kAttr) {
              continue;
            }
            const ir::Expr& m = X(fr, c.kids[0]);
            if ((m.s != "indexOf" && m.s != "find") || m.kids.empty() || m.kids[0] == ir::kNone) continue;
            auto p = PathOf(fr, m.kids[0]);
            if (!p) continue;
            std::uint32_t kinds = 0;
            if (Value base = Eval(fr, c.kids[1]); base.ck == ConstKind::kString) kinds = UrlStartKinds(base.s);
            const int path = SinkKindIndex("path");
            auto have = out.find(*p);
            std::optional<Value> v = have != out.end() ? std::optional<Value>(have->second) : ReadPath(fr, *p);
            if (!v) continue;
            for (Origin& o : v->o) {
              o.safe |= kinds;
              if (path >= 0) o.safe |= (1u << static_cast<unsigned>(path)) & o.normalized;
            }
            out[*p] = std::move(*v);
          }
        }
        // Python os.path.commonpath([p, base]) == base where it holds (or
        // != where it fails): a normalized p lies under base.
        if ((eq && positive) || (ne && !positive)) {
          for (int side = 0; side < 2; ++side) {
            const ir::Expr& c = X(fr, e.kids[side]);
            if (fr.lang != Language::kPython || c.kind != ExprKind::kCall || c.kids.size() != 2 ||
                c.kids[0] == ir::kNone || c.kids[1] == ir::kNone || X(fr, c.kids[1]).kind != ExprKind::kList) {
              continue;
            }
            std::vector<std::string> names;
            Names(fr, c.kids[0], names);
            if (std::find(names.begin(), names.end(), "os.path.commonpath") == names.end() &&
                std::find(names.begin(), names.end(), "posixpath.commonpath") == names.end()) {
              continue;
            }
            const int path = SinkKindIndex("path");
            if (path < 0) continue;
            const std::uint32_t bit = 1u << static_cast<unsigned>(path);
            for (ir::Id k : X(fr, c.kids[1]).kids) {
              auto p = PathOf(fr, k);
              if (!p) continue;
              auto have = out.find(*p);
              std::optional<Value> v = have != out.end() ? std::optional<Value>(have->second) : ReadPath(fr, *p);
              if (!v) continue;
              for (Origin& o : v->o) o.safe |= bit & o.normalized;  // only what abspath/realpath resolved
              out[*p] = std::move(*v);
            }
          }
        }
        // `key !== "__proto__"` / `key != "constructor"` where it holds (or
        // `===` where it fails): see kNoProtoMark.
        if ((ne && positive) || (eq && !positive)) {
          for (int side = 0; side < 2; ++side) {
            auto c = constant(e.kids[side]);
            if (!c || c->ck != ConstKind::kString || (c->s != "__proto__" && c->s != "constructor")) continue;
            if (auto p = PathOf(fr, e.kids[1 - side])) {
              out[std::string(c->s == "__proto__" ? kNoProtoMark : kNoCtorMark) + *p] = Value{};
            }
          }
        }
        // JS `typeof x === "string"` where it holds (or `!==` where it
        // fails): x is no object, so no `{"$ne": null}` operator.
        if ((eq && positive) || (ne && !positive)) {
          auto typeof_of = [&](ir::Id k) {
            if (k == ir::kNone) return ir::kNone;
            const ir::Expr& u = X(fr, k);
            return u.kind == ExprKind::kUnary && u.s == "typeof" && !u.kids.empty() ? u.kids[0] : ir::kNone;
          };
          ir::Id subject = typeof_of(e.kids[0]);
          std::optional<Value> type = constant(e.kids[1]);
          if (subject == ir::kNone) {
            subject = typeof_of(e.kids[1]);
            type = constant(e.kids[0]);
          }
          if (subject != ir::kNone) {
            if (type && type->ck == ConstKind::kString) {
              if (auto p = PathOf(fr, subject)) MarkSafe(fr, out, *p, TypeKinds(type->s));
            }
            return;
          }
        }
        if (IsC(fr.lang) && ((eq && positive) || (ne && !positive))) {  // strstr(s, "..") == NULL
          auto null = [&](ir::Id k) {
            if (k == ir::kNone) return false;
            const ir::Expr& x = X(fr, k);
            if (x.kind == ExprKind::kName) return x.s == "NULL";
            return x.kind == ExprKind::kConst && (x.const_kind == ConstKind::kNull ||
                                                  (x.const_kind == ConstKind::kInt && x.i == 0));
          };
          if (null(e.kids[1])) c_absent(e.kids[0]);
          else if (null(e.kids[0])) c_absent(e.kids[1]);
        }
        // Java: uri.getHost() == null where it holds: a URI without a host
        // is a path on this site, safe to redirect to (not to fetch:
        // file:/etc/passwd has no host either).
        if (fr.lang == Language::kJava && ((eq && positive) || (ne && !positive))) {
          auto is_null = [&](ir::Id k) {
            return k != ir::kNone && X(fr, k).kind == ExprKind::kConst && X(fr, k).const_kind == ConstKind::kNull;
          };
          const ir::Id host = is_null(e.kids[1]) ? e.kids[0] : is_null(e.kids[0]) ? e.kids[1] : ir::kNone;
          if (host != ir::kNone) {
            UrlBits();
            if (redirect_bit_ != 0) host_fact(host, redirect_bit_);
            return;
          }
        }
        if ((eq && positive) || (ne && !positive)) {
          // JS loose equality converts: x == 1 also holds for " 1\n".
          const bool loose = (e.s == "==" || e.s == "!=") &&
                             IsJs(fr.lang);
          auto usable = [&](const std::optional<Value>& c) { return c && (!loose || c->ck == ConstKind::kString); };
          if (auto c = constant(e.kids[1]); usable(c)) {
            fact(e.kids[0], *c);
            host_fact(e.kids[0]);
          } else if (auto c0 = constant(e.kids[0]); usable(c0)) {
            fact(e.kids[1], *c0);
            host_fact(e.kids[1]);
          }
          return;
        }
        // ".." not in name / "/" not in name (Python): a path check.
        if ((e.s == "in" && !positive) || (e.s == "not in" && positive)) {
          path_mark(e.kids[0], e.kids[1]);
          return;
        }
        if (((e.s == "in" && positive) || (e.s == "not in" && !positive)) && e.kids[1] != ir::kNone) {
          const ir::Expr& set = X(fr, e.kids[1]);
          if (e.kids[1] != ir::kNone && set.kind != ExprKind::kList && TrustedContainer(fr, e.kids[1])) {
            fact(e.kids[0], Value{});  // x in ALLOWED: one of the program's own values
            host_fact(e.kids[0]);
            return;
          }
          if (e.kids[1] != ir::kNone && set.kind == ExprKind::kList && all_constants(set.kids, 0)) {
            host_fact(e.kids[0]);
            fact(e.kids[0], one_of(set.kids, 0));
          }
        }
        return;
      }
      case ExprKind::kCall: {
        if (e.kids.empty() || e.kids[0] == ir::kNone) return;
        {
          // A same-site path: x starts with "/" but not with "//" (nor "/\\"),
          // proven by two checks; the markers meet in Refine.
          const ir::Expr& cal = X(fr, e.kids[0]);
          if (cal.kind == ExprKind::kAttr && (cal.s == "startswith" || cal.s == "startsWith") &&
              e.kids.size() == 2 && !cal.kids.empty()) {
            if (auto c = constant(e.kids[1]); c && c->ck == ConstKind::kString) {
              if (auto p = PathOf(fr, cal.kids[0])) {
                if (positive && c->s == "/") out[std::string(kSlashMark) + *p] = Value{};
                if (!positive && (c->s == "//" || c->s == "/\\")) out[std::string(kNoDoubleSlashMark) + *p] = Value{};
              }
            }
            // url.startsWith("https://app.example.com/"): the text starts
            // with a constant that fixes where it points (Python: also a
            // tuple of such constants, every one of them fixing it).
            if (positive) {
              std::uint32_t kinds = 0;
              const ir::Expr& arg = X(fr, e.kids[1]);
              if (arg.kind == ExprKind::kList && !arg.kids.empty()) {
                kinds = kAllKinds;
                for (ir::Id k : arg.kids) {
                  auto c = constant(k);
                  kinds &= c && c->ck == ConstKind::kString ? UrlStartKinds(c->s) : 0;
                }
              } else if (Value c = Eval(fr, e.kids[1]); c.ck == ConstKind::kString) {
                kinds = UrlStartKinds(c.s);
              } else if (c.o.empty()) {
                kinds = c.fixed_start & UrlBits();  // one of several such constants
              }
              if (kinds != 0) {
                if (auto p = PathOf(fr, cal.kids[0])) MarkSafe(fr, out, *p, kinds);
              }
            }
          }
        }
        ProjectCheckFacts(fr, e, positive, out);
        if (positive) QuantifiedCheckFacts(fr, e, out, depth);
        if (!positive) {
          // !rel.startsWith("..") with rel = path.relative(base, target).
          const ir::Expr& cal0 = X(fr, e.kids[0]);
          if (cal0.kind == ExprKind::kAttr && cal0.s == "startsWith" && e.kids.size() == 2 && !cal0.kids.empty() &&
              cal0.kids[0] != ir::kNone && X(fr, cal0.kids[0]).kind == ExprKind::kName) {
            auto c = constant(e.kids[1]);
            auto rel = fr.relative_of.find(X(fr, cal0.kids[0]).s);
            const int path = SinkKindIndex("path");
            if (c && c->ck == ConstKind::kString && c->s == ".." && rel != fr.relative_of.end() && path >= 0) {
              MarkSafe(fr, out, rel->second, 1u << static_cast<unsigned>(path));
            }
          }
          // !name.includes("..") (JS) / !name.contains("/") (Java): a path check.
          const ir::Expr& cal = X(fr, e.kids[0]);
          if (cal.kind == ExprKind::kAttr && (cal.s == "includes" || cal.s == "contains") && e.kids.size() == 2 &&
              !cal.kids.empty()) {
            path_mark(e.kids[1], cal.kids[0]);
            // !["__proto__", "constructor", "prototype"].includes(key)
            if (cal.kids[0] != ir::kNone && X(fr, cal.kids[0]).kind == ExprKind::kList) {
              for (ir::Id k : X(fr, cal.kids[0]).kids) {
                auto c = constant(k);
                if (!c || c->ck != ConstKind::kString || (c->s != "__proto__" && c->s != "constructor")) continue;
                if (auto p = PathOf(fr, e.kids[1])) {
                  out[std::string(c->s == "__proto__" ? kNoProtoMark : kNoCtorMark) + *p] = Value{};
                }
              }
            }
          }
          c_absent(id);  // !strstr(s, "..")
          return;
        }
        const ir::Expr& callee = X(fr, e.kids[0]);
        const std::size_t nargs = e.kids.size() - 1;
        if (callee.kind == ExprKind::kAttr && !callee.kids.empty() && callee.kids[0] != ir::kNone) {
          const ir::Id recv = callee.kids[0];
          const ir::Expr& r = X(fr, recv);
          const std::string& m = callee.s;
          if ((m == "equals" || m == "contentEquals") && nargs == 1) {  // Java
            if (auto c = constant(e.kids[1])) {
              fact(recv, *c);
              host_fact(recv);
            } else if (auto c0 = constant(recv)) {
              fact(e.kids[1], *c0);
              host_fact(e.kids[1]);
            }
            return;
          }
          if (m == "equalsIgnoreCase" && nargs == 1) {  // a case variant of a constant
            if (constant(e.kids[1])) {
              fact(recv, Value{});
              host_fact(recv);
            } else if (constant(recv)) {
              fact(e.kids[1], Value{});
              host_fact(e.kids[1]);
            }
            return;
          }
          if ((m == "contains" || m == "includes") && nargs == 1) {
            // ["a", "b"].includes(x); Arrays.asList/List.of/Set.of("a", "b").contains(x)
            bool literal = r.kind == ExprKind::kList && all_constants(r.kids, 0);
            if (!literal && r.kind == ExprKind::kCall && !r.kids.empty() && r.kids[0] != ir::kNone &&
                X(fr, r.kids[0]).kind == ExprKind::kAttr && fr.lang == Language::kJava) {
              const ir::Expr& mk = X(fr, r.kids[0]);
              literal = (mk.s == "asList" || mk.s == "of") && all_constants(r.kids, 1);
            }
            if (literal || (r.kind != ExprKind::kList && TrustedContainer(fr, recv))) {
              fact(e.kids[1], Value{});
              host_fact(e.kids[1]);
            }
            return;
          }
          if (m == "has" && nargs == 1 && IsJs(fr.lang)) {
            if (TrustedContainer(fr, recv)) {  // ALLOWED.has(x) on a Set
              fact(e.kids[1], Value{});
              host_fact(e.kids[1]);
            }
            return;
          }
          if (m == "test" && nargs == 1 && r.kind == ExprKind::kUnknown && r.s.starts_with("/")) {
            // JS /^...$/.test(s): anchored at both ends, without the m flag
            std::size_t close = r.s.find_last_of('/');
            std::string_view pattern = std::string_view(r.s).substr(1, close - 1);
            std::string_view flags = std::string_view(r.s).substr(close + 1);
            if (close > 1 && flags.find('m') == std::string_view::npos && pattern.starts_with("^") &&
                WordCharsOnly(pattern, /*whole=*/false, /*dollar_is_end=*/true)) {
              fact(e.kids[1], Value{});
            }
            return;
          }
          if (m == "matches" && nargs == 1 && fr.lang == Language::kJava) {  // s.matches(regex): whole string
            auto c = constant(e.kids[1]);
            if (c && c->ck == ConstKind::kString && WordCharsOnly(c->s, true, true)) fact(recv, Value{});
            return;
          }
        }
        // Regex functions: re.fullmatch(p, s) / re.match(p, s) (Python),
        // Pattern.matches(p, s) (Java).
        std::vector<std::string> names;
        Names(fr, e.kids[0], names);
        // Python isinstance(x, str) / isinstance(x, (int, float)): the
        // value is of that type (a str is no dict of operators).
        if (fr.lang == Language::kPython && callee.kind == ExprKind::kName && callee.s == "isinstance" &&
            nargs == 2) {
          const ir::Expr& t = X(fr, e.kids[2]);
          std::vector<ir::Id> types;
          if (t.kind == ExprKind::kList) types = t.kids;
          else types.push_back(e.kids[2]);
          std::uint32_t kinds = kAllKinds;
          for (ir::Id k : types) {
            const bool name = k != ir::kNone && X(fr, k).kind == ExprKind::kName;
            const std::string& n = name ? X(fr, k).s : std::string();
            kinds &= TypeKinds(n == "str" ? "string" : n == "int" || n == "float" ? "number" : n == "bool" ? "boolean" : "");
          }
          if (kinds != 0) {
            if (auto p = PathOf(fr, e.kids[1])) MarkSafe(fr, out, *p, kinds);
          }
          return;
        }
        for (const std::string& n : names) {
          const bool full = n == "re.fullmatch" || n == "Pattern.matches" || n == "java.util.regex.Pattern.matches";
          const bool from_start = n == "re.match";
          if ((!full && !from_start) || nargs < 2) continue;
          auto c = constant(e.kids[1]);
          if (c && c->ck == ConstKind::kString && WordCharsOnly(c->s, full, /*dollar_is_end=*/false)) {
            fact(e.kids[2], Value{});
          }
          return;
        }
        // Modeled validators (`if url_has_allowed_host_and_scheme(url, ...)`):
        // where the check held, the checked argument is safe for its kinds
        // only (a redirect check does not make a value safe for SQL).
        std::vector<const CallModel*> validators;
        fr.models->calls.Match(names, [&](const std::shared_ptr<const CallModel>& m) {
          if (m->role == CallModel::kValidator) validators.push_back(m.get());
        });
        for (const CallModel* m : validators) {
          auto mark = [&](ir::Id target) {
            // f.toPath().normalize().startsWith(root) checks f: conversions
            // between path forms are looked through, and a normalizing one
            // in the checked expression counts as the normalization.
            bool normalized_here = false;
            for (int guard = 0; guard < 6 && target != ir::kNone; ++guard) {
              const ir::Expr& t = X(fr, target);
              if (t.kind != ExprKind::kCall || t.kids.size() != 1 || t.kids[0] == ir::kNone) break;
              const ir::Expr& c = X(fr, t.kids[0]);
              if (c.kind != ExprKind::kAttr || c.kids.empty()) break;
              const bool normalizing = c.s == "normalize" || c.s == "toRealPath" || c.s == "getCanonicalFile" ||
                                       c.s == "getCanonicalPath";
              if (!normalizing && c.s != "toPath" && c.s != "toFile" && c.s != "toAbsolutePath" &&
                  c.s != "getAbsoluteFile" && c.s != "getAbsolutePath") {
                break;
              }
              normalized_here |= normalizing;
              target = c.kids[0];
            }
            std::optional<std::string> p = PathOf(fr, target);
            if (!p) return;
            // Build on what this condition already proved about the path.
            auto have = out.find(*p);
            std::optional<Value> current = have != out.end() ? std::optional<Value>(have->second) : ReadPath(fr, *p);
            if (!current) return;
            Value v = std::move(*current);
            for (Origin& o : v.o) {
              o.safe |= m->after_normalize && !normalized_here ? (m->kinds & o.normalized) : m->kinds;
            }
            out[*p] = std::move(v);
          };
          // s.isdigit(): the receiver is what is checked.
          if (std::find(m->args.begin(), m->args.end(), -2) != m->args.end() && callee.kind == ExprKind::kAttr &&
              !callee.kids.empty() && callee.kids[0] != ir::kNone) {
            mark(callee.kids[0]);
          }
          int pos = 0;
          for (std::size_t k = 1; k < e.kids.size(); ++k) {
            const std::size_t ai = k - 1;
            const bool keyword = ai < e.keys.size() && !e.keys[ai].empty();
            const bool checked =
                keyword ? std::find(m->options.begin(), m->options.end(), e.keys[ai]) != m->options.end()
                        : std::find(m->args.begin(), m->args.end(), pos) != m->args.end();
            if (!keyword) ++pos;
            if (!checked || e.kids[k] == ir::kNone) continue;
            mark(e.kids[k]);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  // C/C++: an integer index into an array (`buf[data]`, read or written)
  // that input chose without an upper-bound check (CWE-129).
  void CheckArrayIndex(Frame& fr, ir::Id index, const Value& v, std::uint32_t line, std::uint32_t col) {
    if ((!IsC(fr.lang) && fr.lang != Language::kJava) || v.IsConst() || v.o.empty()) return;
    const int kind = SinkKindIndex("index");
    if (kind < 0) return;
    const ir::Expr& e = X(fr, index);
    if (e.kind != ExprKind::kName) return;
    auto t = fr.types.find(e.s);
    if (t == fr.types.end() || !IntegerType(t->second)) return;  // map keys, iterators, pointers
    ReportSink(fr, v, kind, line, col, "array index");
  }

  static bool ScalarJavaType(std::string_view t) {
    for (std::string_view n : {"int", "long", "short", "byte", "double", "float", "boolean", "Integer", "Long",
                               "Short", "Byte", "Double", "Float", "Boolean", "BigDecimal", "BigInteger", "UUID",
                               "LocalDate", "LocalDateTime", "Instant"}) {
      if (t == n) return true;
    }
    return false;
  }

  // Java containers whose elements a framework binds one by one.
  static bool ScalarContainer(std::string_view t) {
    for (std::string_view n : {"List", "Set", "Collection", "Iterable", "Optional", "ArrayList", "LinkedList",
                               "HashSet", "LinkedHashSet", "TreeSet", "SortedSet"}) {
      if (t == n) return true;
    }
    return false;
  }

  static bool IntegerType(std::string_view t) {
    for (std::string_view n : {"int", "long", "short", "size_t", "ssize_t", "int8_t", "int16_t", "int32_t",
                               "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "intptr_t", "uintptr_t",
                               "ptrdiff_t", "longlong", "longint", "shortint", "off_t", "DWORD", "UINT", "INT",
                               "byte", "Integer", "Long", "Short", "Byte"}) {
      if (t == n) return true;
    }
    return false;
  }

  // The sink kinds a number can still harm (an array index, an allocation
  // size) and that an upper-bound check clears.
  // `x / d`, `x % d` with d a number from input (C, C++, Java).
  void CheckDivisor(Frame& fr, ir::Id divisor, const Value& v, std::uint32_t line, std::uint32_t col) {
    if ((!IsC(fr.lang) && fr.lang != Language::kJava) || v.IsConst() || v.o.empty() || DivisorBit() == 0) return;
    const ir::Expr& d = X(fr, divisor);
    if (d.kind != ExprKind::kName || fr.indirect.count(d.s)) return;
    auto t = fr.types.find(d.s);
    if (t == fr.types.end() || !(IntegerType(t->second) || FloatType(t->second))) return;
    ReportSink(fr, v, SinkKindIndex("divisor"), line, col, "divisor");
  }

  // `a + b`, `a - b`, `a * b` (and `a += b`, `a++`) on integers, one of
  // them from input: wrap-around past the type's largest value (overflow
  // kind: +, *) or below its smallest (underflow kind: -, *). Only plain
  // integer arithmetic: both operands integer variables or constants, so
  // Java's `"" + n` and pointer arithmetic are not it.
  void CheckArithmetic(Frame& fr, const std::string& op, ir::Id left, const Value& lv, ir::Id right,
                       const Value& rv, std::uint32_t line, std::uint32_t col) {
    if ((!IsC(fr.lang) && fr.lang != Language::kJava) || (lv.o.empty() && rv.o.empty())) return;
    if (OverflowBit() == 0 && UnderflowBit() == 0) return;
    auto integer = [&](ir::Id id) {
      if (id == ir::kNone) return false;
      const ir::Expr& x = X(fr, id);
      if (x.kind == ExprKind::kConst) return x.const_kind == ConstKind::kInt;
      if (x.kind != ExprKind::kName || x.pointer_op != 0 || fr.indirect.count(x.s)) return false;
      auto t = fr.types.find(x.s);
      return t != fr.types.end() && IntegerType(t->second);
    };
    if (!integer(left) || !integer(right)) return;
    // A parsed number, or a parameter (judged at the call by its argument).
    auto tainted_var = [&](ir::Id id, const Value& v) {
      if (X(fr, id).kind != ExprKind::kName || v.IsConst() || v.o.empty()) return false;
      if (v.parsed_number) return true;
      for (const Origin& o : v.o) {
        if (o.key >= 0) return false;
      }
      return fr.summary != nullptr;
    };
    const int over = SinkKindIndex("overflow"), under = SinkKindIndex("underflow");
    for (int side = 0; side < 2; ++side) {
      const ir::Id id = side == 0 ? left : right;
      const Value& v = side == 0 ? lv : rv;
      if (!tainted_var(id, v)) continue;
      // x + 0, x - 0, x * 1 (n * sizeof(char)) cannot wrap.
      const Value& other = side == 0 ? rv : lv;
      if (other.ck == ConstKind::kInt && (other.i == 0 || (op == "*" && other.i == 1))) continue;
      if ((op == "+" || op == "*") && over >= 0) ReportSink(fr, v, over, line, col, "integer arithmetic");
      // An unsigned product only wraps past the top.
      const bool below = (op == "-" && side == 0) || (op == "*" && SignedNumber(fr, X(fr, id).s));
      if (below && under >= 0) ReportSink(fr, v, under, line, col, "integer arithmetic");
    }
  }

  std::uint32_t OverflowBit() {
    if (overflow_bit_ == UINT32_MAX) overflow_bit_ = SinkKindBit("overflow");
    return overflow_bit_;
  }
  std::uint32_t UnderflowBit() {
    if (underflow_bit_ == UINT32_MAX) underflow_bit_ = SinkKindBit("underflow");
    return underflow_bit_;
  }
  std::uint32_t overflow_bit_ = UINT32_MAX, underflow_bit_ = UINT32_MAX;
  std::uint32_t LoopBit() {
    if (loop_bit_ == UINT32_MAX) loop_bit_ = SinkKindBit("loop");
    return loop_bit_;
  }
  std::uint32_t loop_bit_ = UINT32_MAX;

  // `i < n` / `n > i` as a loop's condition, n a number as input gave it
  // (Value::parsed_number): the input decides how many times the loop runs.
  void CheckLoopBound(Frame& fr, ir::Id cond) {
    if ((!IsC(fr.lang) && fr.lang != Language::kJava) || cond == ir::kNone || LoopBit() == 0) return;
    const ir::Expr& c = X(fr, cond);
    if (c.kind != ExprKind::kBinary || c.kids.size() != 2 || c.kids[0] == ir::kNone || c.kids[1] == ir::kNone) return;
    ir::Id bound = ir::kNone;
    if (c.s == "<" || c.s == "<=") bound = c.kids[1];
    else if (c.s == ">" || c.s == ">=") bound = c.kids[0];
    if (bound == ir::kNone) return;
    const ir::Expr& b = X(fr, bound);
    if (b.kind != ExprKind::kName || b.pointer_op != 0 || fr.indirect.count(b.s)) return;
    auto t = fr.types.find(b.s);
    if (t == fr.types.end() || !IntegerType(t->second)) return;
    auto v = fr.st.env.find(b.s);
    if (v == fr.st.env.end() || v->second.IsConst() || v->second.o.empty() || !v->second.parsed_number) return;
    ReportSink(fr, v->second, SinkKindIndex("loop"), c.line, c.col, "loop bound");
  }

  // What a comparison bounds where it holds (`positive`) or fails: `x < k`
  // and `x <= k` give x an upper bound, `x > k` / `x >= k` a lower one,
  // whatever k is (INT_MAX from a header the scan does not see), and
  // `abs(x) <= k` both.
  void ArithmeticBounds(Frame& fr, const ir::Expr& e, bool positive, std::map<std::string, Value>& out) {
    if (e.kind != ExprKind::kBinary || e.kids.size() != 2 || e.kids[0] == ir::kNone || e.kids[1] == ir::kNone) return;
    std::string op = e.s;
    if (op != "<" && op != "<=" && op != ">" && op != ">=") return;
    if (!positive) op = op == "<" ? ">=" : op == "<=" ? ">" : op == ">" ? "<=" : "<";
    for (int side = 0; side < 2; ++side) {
      const ir::Expr& x = X(fr, e.kids[side]);
      const std::string o = side == 0 ? op : op == "<" ? ">" : op == "<=" ? ">=" : op == ">" ? "<" : "<=";
      std::optional<std::string> p;
      bool both = false;
      if (x.kind == ExprKind::kName) {
        p = PathOf(fr, e.kids[side]);
      } else if (x.kind == ExprKind::kCall && x.kids.size() == 2 && x.kids[0] != ir::kNone && x.kids[1] != ir::kNone &&
                 (o == "<" || o == "<=")) {
        std::vector<std::string> names;
        Names(fr, x.kids[0], names);
        const std::string last = names.empty() ? std::string() : LastOf(names.back());
        if (last == "abs" || last == "labs" || last == "llabs" || last == "fabs" || last == "imaxabs") {
          p = PathOf(fr, x.kids[1]);
          both = true;
        }
      }
      if (!p) continue;
      const bool upper = o == "<" || o == "<=";
      // An upper bound also limits how long a loop or a sleep can run.
      const std::uint32_t above = OverflowBit() | LoopBit() | SinkKindBit("sleep");
      MarkSafe(fr, out, *p, both ? above | UnderflowBit() : upper ? above : UnderflowBit());
      return;
    }
  }

  static bool CharType(std::string_view t) {
    return t == "char" || t == "wchar_t" || t == "bool" || t == "_Bool" || t == "char16_t" || t == "char32_t" ||
           t == "unsignedchar" || t == "signedchar" || t == "BOOL" || t == "BYTE";
  }

  static bool FloatType(std::string_view t) {
    return t == "float" || t == "double" || t == "longdouble" || t == "Float" || t == "Double";
  }

  std::uint32_t DivisorBit() {
    if (divisor_bit_ == UINT32_MAX) divisor_bit_ = SinkKindBit("divisor");
    return divisor_bit_;
  }
  std::uint32_t divisor_bit_ = UINT32_MAX;

  // A comparison that keeps `x` (or abs(x)) away from zero where it holds
  // (`positive`) or fails: x != 0, x > 0, x < -1, fabs(x) > 0.000001.
  std::optional<std::string> NonZeroBy(Frame& fr, const ir::Expr& e, bool positive) {
    if (e.kind != ExprKind::kBinary || e.kids.size() != 2 || e.kids[0] == ir::kNone || e.kids[1] == ir::kNone) {
      return std::nullopt;
    }
    std::string op = e.s;
    if (op == "===") op = "==";
    if (op == "!==") op = "!=";
    auto flip = [](const std::string& o) -> std::string {  // the operator with its sides swapped
      if (o == "<") return ">";
      if (o == ">") return "<";
      if (o == "<=") return ">=";
      if (o == ">=") return "<=";
      return o;
    };
    auto negate = [](const std::string& o) -> std::string {
      if (o == "==") return "!=";
      if (o == "!=") return "==";
      if (o == "<") return ">=";
      if (o == ">") return "<=";
      if (o == "<=") return ">";
      if (o == ">=") return "<";
      return "";
    };
    if (!positive) op = negate(op);
    if (op.empty()) return std::nullopt;
    for (int side = 0; side < 2; ++side) {
      const ir::Expr& x = X(fr, e.kids[side]);
      const ir::Expr& c = X(fr, e.kids[1 - side]);
      const std::string o = side == 0 ? op : flip(op);  // read as `x o c`
      // abs(x) > c / fabs(x) >= c: a magnitude bound, whatever c is.
      if (x.kind == ExprKind::kCall && x.kids.size() == 2 && x.kids[0] != ir::kNone && x.kids[1] != ir::kNone &&
          (o == ">" || o == ">=")) {
        std::vector<std::string> names;
        Names(fr, x.kids[0], names);
        const std::string last = names.empty() ? std::string() : LastOf(names.back());
        if (last == "abs" || last == "fabs" || last == "fabsf" || last == "fabsl" || last == "labs" ||
            last == "llabs") {
          if (auto p = PathOf(fr, x.kids[1])) return p;
        }
        continue;
      }
      if (x.kind != ExprKind::kName || c.kind != ExprKind::kConst || c.const_kind != ConstKind::kInt) continue;
      const std::int64_t k = c.i;
      const bool away = (o == "!=" && k == 0) || (o == "==" && k != 0) || (o == ">" && k >= 0) ||
                        (o == ">=" && k > 0) || (o == "<" && k <= 0) || (o == "<=" && k < 0);
      if (away) return PathOf(fr, e.kids[side]);
    }
    return std::nullopt;
  }

  std::uint32_t BoundKinds() {
    if (bound_bits_ == UINT32_MAX) bound_bits_ = SinkKindBit("index") | SinkKindBit("alloc");
    return bound_bits_;
  }
  std::uint32_t bound_bits_ = UINT32_MAX;

  // A MongoDB update document made only of operators over literal field
  // maps (`{$set: {message: x}}`): x becomes a field's value, whatever its
  // shape, and cannot add an operator. For the nosql kind only; a filter
  // or a whole request body as the update still reports.
  bool OperatorValuesOnly(Frame& fr, ir::Id id, std::uint32_t kind_bit) {
    if (id == ir::kNone || !(kind_bit & TextOnlyKinds())) return false;
    const ir::Expr& d = X(fr, id);
    if (d.kind != ExprKind::kDict || d.kids.empty() || d.keys.size() != d.kids.size()) return false;
    for (std::size_t k = 0; k < d.kids.size(); ++k) {
      if (!d.keys[k].starts_with("$") || d.kids[k] == ir::kNone) return false;
      const ir::Expr& fields = X(fr, d.kids[k]);
      if (fields.kind != ExprKind::kDict || fields.keys.size() != fields.kids.size()) return false;
      for (const std::string& f : fields.keys) {
        if (f.empty() || f.starts_with("$")) return false;  // a computed or operator key
      }
    }
    return true;
  }

  // Where `any(url.startswith(p) for p in ALLOWED)` (Python; also all())
  // or `ALLOWED.some((p) => url.startsWith(p))` (JS; also every()) held, the
  // check held for some element p: what it proves for every possible p
  // holds (p is one of the collection's values, see kIndex).
  void QuantifiedCheckFacts(Frame& fr, const ir::Expr& call, std::map<std::string, Value>& out, int depth) {
    if (call.kids.size() != 2 || call.kids[0] == ir::kNone || call.kids[1] == ir::kNone) return;
    const ir::Expr& callee = X(fr, call.kids[0]);
    const ir::Expr& arg = X(fr, call.kids[1]);
    if (fr.lang == Language::kPython && callee.kind == ExprKind::kName && (callee.s == "any" || callee.s == "all") &&
        !fr.st.env.count(callee.s)) {
      // A generator lowers to its loop assignments (already run) and the
      // body inside a list literal.
      if (arg.kind != ExprKind::kUnknown || arg.kids.size() != 1 || arg.kids[0] == ir::kNone) return;
      const ir::Expr& list = X(fr, arg.kids[0]);
      if (list.kind != ExprKind::kList || list.kids.size() != 1) return;
      Facts(fr, list.kids[0], true, out, depth + 1);
      return;
    }
    if (!IsJs(fr.lang) || callee.kind != ExprKind::kAttr || (callee.s != "some" && callee.s != "every") ||
        callee.kids.empty() || callee.kids[0] == ir::kNone || arg.kind != ExprKind::kFunc || arg.i < 0 ||
        static_cast<std::size_t>(arg.i) >= fr.m->functions.size()) {
      return;
    }
    const ir::Function& fn = fr.m->functions[static_cast<std::size_t>(arg.i)];
    if (fn.params.size() != 1 || fn.params[0].name.empty() || fn.body == ir::kNone) return;
    const ir::Stmt& body = fr.m->stmts[fn.body];
    if (body.body.size() != 1 || fr.m->stmts[body.body[0]].kind != StmtKind::kReturn) return;
    const ir::Id check = fr.m->stmts[body.body[0]].a;
    const std::string& param = fn.params[0].name;
    if (check == ir::kNone || fr.st.env.count(param)) return;  // the name is taken here: leave it
    // Bind the parameter to "an element of the receiver" while the check's
    // facts are computed, then drop it.
    fr.st.env[param] = AnyElement(Eval(fr, callee.kids[0]));
    std::map<std::string, Value> found;
    Facts(fr, check, true, found, depth + 1);
    fr.st.env.erase(param);
    for (auto& [path, v] : found) {
      if (path == param || path.starts_with(param + ".")) continue;
      out[path] = std::move(v);
    }
  }

  // Some element of `coll`, not knowing which (a loop variable, a callback's
  // parameter): its taint, and for a list of constants (an allowlist) the
  // start every element fixes (all "https://x/...").
  Value AnyElement(const Value& coll) {
    Value r = Flat(coll);
    if (coll.list && !coll.list->empty() && r.o.empty()) {
      std::uint32_t fixed = kAllKinds;
      for (const Value& el : *coll.list) fixed &= el.ck == ConstKind::kString ? FixedStart(el) : 0;
      r.fixed_start = fixed;
    }
    return r;
  }

  // The sink kinds a value of a primitive type (JS typeof names) cannot
  // harm: a string no operator object, a number no text (but still an index
  // or a size), a boolean or undefined nothing.
  std::uint32_t TypeKinds(std::string_view type) {
    if (type == "string") return TextOnlyKinds();
    if (type == "number" || type == "bigint") return kAllKinds & ~BoundKinds();
    if (type == "boolean" || type == "undefined") return kAllKinds;
    return 0;
  }

  // The paths a condition, where it holds (`positive`) or fails, keeps at
  // or above zero (`x >= 0`, `x > -1`, `0 <= x`) and below a limit (`x < 10`,
  // `x <= MAX`, `x < buf.length`, `x < v.size()`). Looks through `!` and
  // through && (where it holds) / || (where it fails): every part holds.
  void Ranges(Frame& fr, ir::Id id, bool positive, std::set<std::string>& lower, std::set<std::string>& upper,
              int depth) {
    if (id == ir::kNone || depth > 32) return;
    const ir::Expr& e = X(fr, id);
    if (e.kind == ExprKind::kUnary && (e.s == "!" || e.s == "not") && !e.kids.empty()) {
      Ranges(fr, e.kids[0], !positive, lower, upper, depth + 1);
      return;
    }
    if (e.kind != ExprKind::kBinary || e.kids.size() != 2) return;
    const bool conj = e.s == "&&" || e.s == "and";
    const bool disj = e.s == "||" || e.s == "or";
    if (conj || disj) {
      if (conj == positive) {
        Ranges(fr, e.kids[0], positive, lower, upper, depth + 1);
        Ranges(fr, e.kids[1], positive, lower, upper, depth + 1);
      }
      return;
    }
    if (e.s != "<" && e.s != "<=" && e.s != ">" && e.s != ">=") return;
    // Normalize to `x < k` / `x <= k` / `x > k` / `x >= k` with x on the left,
    // then negate when the condition fails.
    std::string op = e.s;
    ir::Id x = e.kids[0], k = e.kids[1];
    auto int_const = [&](ir::Id c) -> std::optional<std::int64_t> {
      if (c == ir::kNone) return std::nullopt;
      const ir::Expr& ce = X(fr, c);
      if (ce.kind == ExprKind::kConst && ce.const_kind == ConstKind::kInt) return ce.i;
      if (ce.kind == ExprKind::kUnary && ce.s == "-" && !ce.kids.empty()) {
        const ir::Expr& in = X(fr, ce.kids[0]);
        if (in.kind == ExprKind::kConst && in.const_kind == ConstKind::kInt) return -in.i;
      }
      if (ce.kind == ExprKind::kName) {
        Value v = Eval(fr, c);
        if (v.ck == ConstKind::kInt) return v.i;
      }
      return std::nullopt;
    };
    // A limit: a constant, a name holding one (#define MAX 10), or the
    // length of a container (`buf.length`, `v.size()`, `s.length()`).
    auto limit = [&](ir::Id c) {
      if (c == ir::kNone) return false;
      const ir::Expr& ce = X(fr, c);
      if (ce.kind == ExprKind::kConst) return true;
      if (ce.kind == ExprKind::kName && Eval(fr, c).IsConst()) return true;
      if (ce.kind == ExprKind::kAttr && ce.s == "length") return true;
      if (ce.kind == ExprKind::kCall && ce.kids.size() == 1 && ce.kids[0] != ir::kNone) {
        const ir::Expr& fn = X(fr, ce.kids[0]);
        return fn.kind == ExprKind::kAttr && (fn.s == "size" || fn.s == "length");
      }
      return false;
    };
    auto is_var = [&](ir::Id v) {
      return v != ir::kNone && (X(fr, v).kind == ExprKind::kName || X(fr, v).kind == ExprKind::kAttr);
    };
    if ((!is_var(x) || limit(x)) && is_var(k) && !limit(k)) {
      std::swap(x, k);
      op = op == "<" ? ">" : op == "<=" ? ">=" : op == ">" ? "<" : "<=";
    }
    if (!is_var(x)) return;
    if (!positive) op = op == "<" ? ">=" : op == "<=" ? ">" : op == ">" ? "<=" : "<";
    auto p = PathOf(fr, x);
    if (!p) return;
    if (op == "<" || op == "<=") {
      if (limit(k)) upper.insert(*p);
    } else {
      auto c = int_const(k);
      if (c && ((op == ">=" && *c >= 0) || (op == ">" && *c >= -1))) lower.insert(*p);
    }
  }

  // A path whose declared type is a signed integer: Java's int/long/short,
  // C's int, long, ssize_t, int32_t... (size_t and unsigned types are not).
  bool SignedNumber(Frame& fr, const std::string& path) {
    if (fr.lang == Language::kJava) return true;
    if (!IsC(fr.lang)) return false;
    auto t = fr.types.find(path);
    if (t == fr.types.end() || !IntegerType(t->second)) return false;
    const std::string& n = t->second;
    return !(n.starts_with("u") || n.starts_with("size_t") || n == "DWORD" || n == "UINT");
  }

  // A yes/no answer: a comparison, a membership test, a negation or a call
  // (a validator).
  static bool IsCheck(const ir::Expr& v) {
    if (v.kind == ExprKind::kCall) return true;
    if (v.kind == ExprKind::kUnary) return v.s == "!" || v.s == "not";
    if (v.kind != ExprKind::kBinary) return false;
    static constexpr std::string_view kOps[] = {"==", "!=", "===", "!==", "<", ">", "<=", ">=", "in", "not in",
                                                "instanceof", "is", "is not"};
    for (std::string_view op : kOps) {
      if (v.s == op) return true;
    }
    return false;
  }

  // ok = ok || check (or ok ||= check), or ok = check: remember the check
  // for `return ok` and `if (ok)` (read as the check on the variables it
  // names as they are at the condition).
  // Flow-insensitive, so it must be the only way ok becomes true: ok = false
  // (a reset to "not yet") keeps it; any other assignment, or a second,
  // different check, rules the flag out for good (kNone).
  void NoteFlagCheck(Frame& fr, const ir::Stmt& s) {
    const std::string& var = fr.assign_var;
    ir::Id check = ir::kNone;
    bool reset = false;
    if (s.b != ir::kNone) {
      const ir::Expr& v = X(fr, s.b);
      if (s.op == "||" || s.op == "or") {
        check = s.b;
      } else if (s.op.empty() && v.kind == ExprKind::kBinary && (v.s == "||" || v.s == "or") && v.kids.size() == 2 &&
                 v.kids[0] != ir::kNone && X(fr, v.kids[0]).kind == ExprKind::kName && X(fr, v.kids[0]).s == var) {
        check = v.kids[1];
      } else if (s.op.empty() && IsCheck(v)) {
        check = s.b;  // ok = check: ok holds the check's answer
      } else {
        reset = s.op.empty() && v.kind == ExprKind::kConst && v.const_kind == ConstKind::kBool && v.i == 0;
      }
    }
    if (reset) return;
    auto it = fr.flag_checks.find(var);
    if (check == ir::kNone || (it != fr.flag_checks.end() && it->second != check)) {
      fr.flag_checks[var] = ir::kNone;
    } else if (it == fr.flag_checks.end()) {
      fr.flag_checks[var] = check;
    }
  }

  // Node: path.relative(base, target) -> target. It resolves both, so a
  // result that does not start with ".." names a place under base.
  ir::Id RelativeTarget(Frame& fr, ir::Id id) {
    if (id == ir::kNone || !IsJs(fr.lang)) return ir::kNone;
    const ir::Expr& e = X(fr, id);
    if (e.kind != ExprKind::kCall || e.kids.size() != 3 || e.kids[0] == ir::kNone) return ir::kNone;
    std::vector<std::string> names;
    Names(fr, e.kids[0], names);
    for (const std::string& n : names) {
      if (n == "path.relative" || n == "path.posix.relative" || n == "node:path.relative") return e.kids[2];
    }
    return ir::kNone;
  }

  // The URL a host comparison is about: `u.hostname`, `urlparse(u).netloc`,
  // `new URL(u).getHost()`, `URI.create(u).getHost()` -> u. Where the host
  // is proven to be one of the program's own values, u can only reach that
  // host (safe for SSRF and redirects).
  ir::Id HostCheckTarget(Frame& fr, ir::Id id) {
    if (id == ir::kNone) return ir::kNone;
    const ir::Expr& e = X(fr, id);
    ir::Id base = ir::kNone;
    if (e.kind == ExprKind::kAttr && !e.kids.empty() &&
        (e.s == "hostname" || e.s == "host" || e.s == "netloc" || e.s == "origin")) {
      base = e.kids[0];
    } else if (e.kind == ExprKind::kCall && e.kids.size() == 1 && e.kids[0] != ir::kNone) {
      const ir::Expr& c = X(fr, e.kids[0]);
      if (c.kind == ExprKind::kAttr && !c.kids.empty() && (c.s == "getHost" || c.s == "getAuthority")) {
        base = c.kids[0];
      }
    }
    if (base == ir::kNone) return ir::kNone;
    const ir::Expr& b = X(fr, base);
    if (b.kind == ExprKind::kName || b.kind == ExprKind::kAttr) return base;
    return ParsedUrlArg(fr, base);
  }

  // The URL a parser is applied to: urlparse(u), new URL(u), URI.create(u) -> u.
  ir::Id ParsedUrlArg(Frame& fr, ir::Id id) {
    if (id == ir::kNone) return ir::kNone;
    const ir::Expr& b = X(fr, id);
    auto url_like = [](std::string name) {
      for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      return name.find("url") != std::string::npos || name.find("uri") != std::string::npos;
    };
    if (b.kind == ExprKind::kNew && !b.kids.empty() && url_like(b.s)) return b.kids[0];
    if (b.kind == ExprKind::kCall && b.kids.size() >= 2 && b.kids[0] != ir::kNone) {
      std::vector<std::string> names;
      Names(fr, b.kids[0], names);
      for (const std::string& n : names) {
        if (url_like(n)) return b.kids[1];
      }
    }
    return ir::kNone;
  }

  // A named collection (or string) that carries no untrusted data: a value
  // found in it equals one of the program's own values (`x in ALLOWED`,
  // `ALLOWED.contains(x)`). Only names and fields are read, so a check
  // does not evaluate a call a second time.
  bool TrustedContainer(Frame& fr, ir::Id id) {
    if (id == ir::kNone) return false;
    const ir::Expr& e = X(fr, id);
    if (e.kind != ExprKind::kName && e.kind != ExprKind::kAttr) return false;
    if (e.kind == ExprKind::kAttr && (e.kids.empty() || e.kids[0] == ir::kNone)) return false;
    if (AccessSource(fr, id)) return false;  // request.args and the like
    // A field of this object is the program's own state; a source or a
    // caller's argument is not.
    for (const Origin& o : Flat(Eval(fr, id)).o) {
      if (o.key >= 0 || static_cast<std::size_t>(-(o.key + 1)) < kFieldBase) return false;
    }
    return true;
  }

  // At a return in a summary: what the returned truth value proves about
  // each parameter (see Summary::proves). A constant return proves what the
  // path to it established; any other value adds what it proves itself.
  void RecordProof(Frame& fr, ir::Id ret, const Value& v) {
    const std::size_t n = fr.f->params.size();
    if (n == 0 || n > 8 || ret == ir::kNone) return;
    std::optional<bool> truth;
    if (v.ck == ConstKind::kBool || v.ck == ConstKind::kInt) truth = Truthy(v);
    bool flag = false;  // `return ok` with ok accumulated from a check: true says it held once
    if (!truth) {
      const ExprKind k = X(fr, ret).kind;
      if (k == ExprKind::kName) {
        auto f = fr.flag_checks.find(X(fr, ret).s);
        if (f == fr.flag_checks.end() || f->second == ir::kNone) return;
        ret = f->second;
        flag = true;
      } else if (k != ExprKind::kBinary && k != ExprKind::kUnary && k != ExprKind::kCall) {
        return;  // not a yes/no answer
      }
    }
    for (int when = 0; when < 2; ++when) {
      if (truth && *truth != (when == 1)) continue;
      if (flag && when == 0) continue;  // false says only that it never held: nothing to use
      State saved = fr.st;
      if (!truth) Refine(fr, ret, when == 1);
      std::vector<std::uint32_t> kinds(n, 0);
      for (std::size_t i = 0; i < n; ++i) {
        const std::string& name = fr.f->params[i].name;
        if (name.empty()) continue;
        std::optional<Value> now = ReadPath(fr, name);
        if (!now) continue;
        std::vector<Origin> flat;
        FlattenInto(*now, flat);
        if (flat.empty()) {  // replaced by a fact: one of the program's own values
          kinds[i] = kAllKinds;
          continue;
        }
        std::uint32_t k = kAllKinds;
        bool found = false;
        for (const Origin& o : flat) {
          if (o.key != -static_cast<int>(i) - 1) continue;
          k &= o.safe;
          found = true;
        }
        kinds[i] = found ? k : 0;
      }
      fr.st = std::move(saved);
      Summary& s = *fr.summary;
      if (!s.returns[when]) {
        s.proves[when] = std::move(kinds);
        s.returns[when] = true;
      } else {
        for (std::size_t i = 0; i < n; ++i) s.proves[when][i] &= kinds[i];
      }
    }
  }

  // `if is_allowed(x)` / `if (!isSafe(url)) return;` on a project function:
  // the checked arguments are safe for what its summary proves.
  void ProjectCheckFacts(Frame& fr, const ir::Expr& call, bool positive, std::map<std::string, Value>& out) {
    std::size_t nargs = call.kids.size() - 1;
    std::vector<FuncRef> targets = Resolve(fr, call, nargs, false);
    if (targets.empty()) return;
    std::vector<std::uint32_t> kinds;
    for (const FuncRef& r : targets) {
      auto it = summaries.find((static_cast<std::uint64_t>(r.module) << 32) | r.func);
      if (it == summaries.end() || !it->second.done || !it->second.returns[positive ? 1 : 0]) return;
      const std::vector<std::uint32_t>& p = it->second.proves[positive ? 1 : 0];
      if (kinds.empty()) {
        kinds = p;
      } else {
        for (std::size_t i = 0; i < kinds.size() && i < p.size(); ++i) kinds[i] &= p[i];
        if (p.size() < kinds.size()) kinds.resize(p.size());
      }
    }
    std::size_t pos = 0;
    for (std::size_t k = 1; k < call.kids.size(); ++k) {
      const std::size_t ai = k - 1;
      if (ai < call.keys.size() && !call.keys[ai].empty()) continue;  // keyword arguments: not mapped
      const std::size_t param = pos++;
      if (param >= kinds.size() || kinds[param] == 0 || call.kids[k] == ir::kNone) continue;
      if (auto path = PathOf(fr, call.kids[k])) MarkSafe(fr, out, *path, kinds[param]);
    }
  }

  void Refine(Frame& fr, ir::Id cond, bool positive) {
    std::map<std::string, Value> facts;
    Facts(fr, cond, positive, facts);
    ApplyFacts(fr, std::move(facts));
  }

  // Writes what a condition proved (Facts) into the state, resolving the
  // marker facts first.
  void ApplyFacts(Frame& fr, std::map<std::string, Value> facts) {
    // Marker facts are not values: a path proven to start with "/" and not
    // with "//" is a same-site path, safe for redirects.
    std::vector<std::string> local_paths;
    for (const auto& [key, v] : facts) {
      if (!key.starts_with(kSlashMark)) continue;
      std::string p = key.substr(kSlashMark.size());
      if (facts.count(std::string(kNoDoubleSlashMark) + p)) local_paths.push_back(p);
    }
    std::vector<std::string> single_names, plain_keys, no_dotdot;
    for (auto it = facts.begin(); it != facts.end();) {
      const bool dotdot = it->first.starts_with(kNoDotDotMark);
      const bool noproto = it->first.starts_with(kNoProtoMark);
      if (noproto || it->first.starts_with(kNoCtorMark)) {
        std::string p = it->first.substr(noproto ? kNoProtoMark.size() : kNoCtorMark.size());
        int& checks = fr.st.path_checks[p];
        checks |= noproto ? 4 : 8;
        if ((checks & 12) == 12) plain_keys.push_back(std::move(p));
        it = facts.erase(it);
      } else if (dotdot || it->first.starts_with(kNoSlashMark)) {
        std::string p = it->first.substr(dotdot ? kNoDotDotMark.size() : kNoSlashMark.size());
        int& checks = fr.st.path_checks[p];
        checks |= dotdot ? 1 : 2;
        if (dotdot) no_dotdot.push_back(p);
        if ((checks & 3) == 3) single_names.push_back(std::move(p));
        it = facts.erase(it);
      } else if (it->first.starts_with(kSlashMark) || it->first.starts_with(kNoDoubleSlashMark)) {
        it = facts.erase(it);
      } else {
        ++it;
      }
    }
    UrlBits();
    for (const std::string& p : local_paths) MarkSafe(fr, facts, p, redirect_bit_);
    if (!single_names.empty()) {
      const int path = SinkKindIndex("path");
      if (path >= 0) {
        for (const std::string& p : single_names) MarkSafe(fr, facts, p, 1u << static_cast<unsigned>(path));
      }
    }
    for (const std::string& p : no_dotdot) MarkSafe(fr, facts, p, SinkKindBit("path"), /*anchored=*/true);
    if (!plain_keys.empty()) {
      const int proto = SinkKindIndex("prototype");
      if (proto >= 0) {
        for (const std::string& p : plain_keys) MarkSafe(fr, facts, p, 1u << static_cast<unsigned>(proto));
      }
    }
    for (auto& [path, v] : facts) WritePath(fr, path, std::move(v));
  }

  // A fact that a path is safe for `kinds`: its value (as already refined in
  // `out`, else as it is now) with those kinds marked on every origin.
  // (`anchored`: safe for them only after a fixed start, Origin::anchored.)
  void MarkSafe(Frame& fr, std::map<std::string, Value>& out, const std::string& path, std::uint32_t kinds,
                bool anchored = false) {
    auto have = out.find(path);
    std::optional<Value> current = have != out.end() ? std::optional<Value>(have->second) : ReadPath(fr, path);
    if (!current) return;
    for (Origin& o : current->o) (anchored ? o.anchored : o.safe) |= kinds;
    out[path] = std::move(*current);
  }

  // `x = y[k]` / `x = y[k] || (y[k] = {})` in JS with k not a constant:
  // x may be Object.prototype when k is "__proto__". Any other assignment
  // to x forgets it.
  void NoteReachedByKey(Frame& fr, const std::string& var, ir::Id value) {
    fr.st.reached_by_key.erase(var);
    if (value == ir::kNone || !IsJs(fr.lang)) return;
    ir::Id read = value;
    const ir::Expr& v = X(fr, value);
    if (v.kind == ExprKind::kBinary && (v.s == "||" || v.s == "??") && !v.kids.empty()) read = v.kids[0];
    const ir::Expr& r = X(fr, read);
    if (r.kind != ExprKind::kIndex || r.kids.size() < 2 || r.kids[1] == ir::kNone) return;
    // A variable, a field or an element as the key: reading it again here
    // (the assignment evaluates it too) does nothing twice.
    const ir::Expr& key = X(fr, r.kids[1]);
    if (key.kind != ExprKind::kName && key.kind != ExprKind::kAttr && key.kind != ExprKind::kIndex) return;
    Value k = Eval(fr, r.kids[1]);
    if (k.IsConst() || k.o.empty()) return;
    fr.st.reached_by_key[var] = std::move(k);
  }

  State Merge(State a, State b) {
    if (a.dead) return b;
    if (b.dead) return a;
    State r;
    r.safe_output = a.safe_output & b.safe_output;
    // May-facts: an object reached by a chosen key on either path.
    r.reached_by_key = std::move(a.reached_by_key);
    for (auto& [var, v] : b.reached_by_key) {
      auto it = r.reached_by_key.find(var);
      if (it == r.reached_by_key.end()) r.reached_by_key.emplace(var, std::move(v));
      else it->second = Join(it->second, v);
    }
    for (const auto& [path, bits] : a.path_checks) {
      auto other = b.path_checks.find(path);
      if (other != b.path_checks.end() && (bits & other->second) != 0) r.path_checks[path] = bits & other->second;
    }
    auto ia = a.env.begin();
    auto ib = b.env.begin();
    while (ia != a.env.end() || ib != b.env.end()) {
      if (ib == b.env.end() || (ia != a.env.end() && ia->first < ib->first)) {
        Value v = ia->second;
        v.ck = ConstKind::kUnset;
        v.freed = false;
        v.pointer_param = -1;
        v.memory = Memory::kUnknown;
        v.uninit = false;
        r.env.emplace_hint(r.env.end(), ia->first, std::move(v));
        ++ia;
      } else if (ia == a.env.end() || ib->first < ia->first) {
        Value v = ib->second;
        v.ck = ConstKind::kUnset;
        v.freed = false;
        v.pointer_param = -1;
        v.memory = Memory::kUnknown;
        v.uninit = false;
        r.env.emplace_hint(r.env.end(), ib->first, std::move(v));
        ++ib;
      } else {
        r.env.emplace_hint(r.env.end(), ia->first, Join(ia->second, ib->second));
        ++ia;
        ++ib;
      }
    }
    return r;
  }

  // Whether a route handler's parameter carries request data (a path or
  // query value) rather than a framework object, an injected dependency or
  // a value the framework already converted to a number.
  bool RequestParam(Frame& fr, const ir::Param& p) {
    static constexpr std::string_view kFramework[] = {"self", "cls", "request", "req", "response", "res", "resp",
                                                      "db", "session", "background_tasks", "websocket"};
    static constexpr std::string_view kSafeTypes[] = {
        "Request", "Response", "HTTPConnection", "WebSocket", "Session", "AsyncSession", "BackgroundTasks",
        "int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "Decimal", "SecurityScopes"};
    for (std::string_view n : kFramework) {
      if (p.name == n) return false;
    }
    for (std::string_view t : kSafeTypes) {
      if (p.type == t) return false;
    }
    for (const std::string& a : p.annotations) {
      if (a == "Depends" || a == "Security" || a.ends_with(".Depends") || a.ends_with(".Security")) return false;
    }
    // Flask/Werkzeug converters that only match numbers: /user/<int:uid>
    for (ir::Id d : fr.f->decorators) {
      const ir::Expr& call = X(fr, d);
      if (call.kids.size() < 2 || call.kids[1] == ir::kNone) continue;
      const ir::Expr& route = X(fr, call.kids[1]);
      if (route.kind != ExprKind::kConst || route.const_kind != ConstKind::kString) continue;
      for (std::string_view conv : {"<int:", "<float:", "<uuid:"}) {
        if (route.s.find(std::string(conv) + p.name + ">") != std::string::npos) return false;
      }
    }
    return true;
  }

  // Whether a decorator matching `globs` has arguments for which `conds`
  // hold (judged on their text: option values are names and literals).
  bool DecoratorHolds(Frame& fr, const std::vector<std::string>& globs, const std::vector<Cond>& conds) {
    for (ir::Id d : fr.f->decorators) {
      const ir::Expr& call = X(fr, d);
      if (call.kids.empty()) continue;
      std::vector<std::string> names;
      Names(fr, call.kids[0], names);
      bool match = false;
      for (const std::string& n : names) {
        for (const std::string& g : globs) match |= GlobMatch(g, n);
      }
      if (!match) continue;
      const std::vector<Value> args(call.kids.size() - 1);
      if (AllHold(fr, conds, call, 1, args)) return true;
    }
    return false;
  }

  bool DecoratedWith(Frame& fr, const std::vector<std::string>& globs, bool own_only = false) {
    const std::size_t count =
        own_only ? std::min(fr.f->own_decorators, fr.f->decorators.size()) : fr.f->decorators.size();
    for (std::size_t i = 0; i < count; ++i) {
      const ir::Expr& call = X(fr, fr.f->decorators[i]);
      if (call.kids.empty()) continue;
      std::vector<std::string> names;
      Names(fr, call.kids[0], names);
      for (const std::string& n : names) {
        for (const std::string& g : globs) {
          if (GlobMatch(g, n)) return true;
        }
      }
    }
    return false;
  }

  // Definition-form pattern rules: a method named like a security check
  // whose body does nothing or only returns a constant.
  // A body that does nothing, or only returns a constant other than false:
  // a check that accepts everything.
  static bool TrivialFunction(const ir::Module& m, const ir::Function& f) {
    if (f.body == ir::kNone) return false;
    const ir::Stmt& body = m.stmts[f.body];
    if (body.body.empty()) return true;
    if (body.body.size() != 1) return false;
    const ir::Stmt& only = m.stmts[body.body[0]];
    if (only.kind != StmtKind::kReturn) return false;
    if (only.a == ir::kNone) return true;
    const ir::Expr& c = m.exprs[only.a];
    if (c.kind == ExprKind::kName && c.s == "undefined") return true;  // JS: "no error"
    return c.kind == ExprKind::kConst && !(c.const_kind == ConstKind::kBool && c.i == 0);
  }

  void CheckTrivialMethod(Frame& fr) {
    if (field_pass || fr.f->name.empty()) return;
    const auto& list = rules.pattern_methods[static_cast<std::size_t>(RuleLanguage(fr.lang))];
    if (list.empty() || !TrivialFunction(*fr.m, *fr.f)) return;
    for (const auto& [ri, ai] : list) {
      const PatternAlt& alt = rules.rules[static_cast<std::size_t>(ri)].patterns[static_cast<std::size_t>(ai)];
      if (std::find(alt.trivial_methods.begin(), alt.trivial_methods.end(), fr.f->name) != alt.trivial_methods.end()) {
        EmitPattern(fr, ri, fr.f->line, 1);
      }
    }
  }

  void Analyze(const FuncRef& ref, Summary& summary) {
    const ir::Module& m = *program.modules[ref.module];
    const ir::Function& f = m.functions[ref.func];
    Frame fr;
    fr.module = ref.module;
    fr.m = &m;
    fr.f = &f;
    fr.lang = m.language;
    fr.models = &rules.models[static_cast<std::size_t>(RuleLanguage(m.language))];
    fr.summary = &summary;
    fr.budget = 200000;
    CheckTrivialMethod(fr);
    int caller_kind = -1;  // the source kind of an exported function's parameters
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      const ir::Param& p = f.params[i];
      if (p.name.empty()) continue;
      Value v;
      Origin o;
      o.key = -static_cast<int>(i) - 1;
      o.unbuilt = kAllKinds;  // recorded in the summary's hits: does the value reach a sink whole?
      o.step = NewStep(nullptr, fr, f.line, 1, "parameter " + p.name + " of " + (f.name.empty() ? "lambda" : f.name) + "()");
      v.o.push_back(o);
      if (i < 0x7fff) v.pointer_param = static_cast<std::int16_t>(i);
      for (const ParamSource& ps : fr.models->param_sources) {
        bool hit = false;
        for (const std::string& a : ps.annotations) {
          hit |= std::find(p.annotations.begin(), p.annotations.end(), a) != p.annotations.end();
        }
        if (!ps.function.empty() && ps.function == f.name && ps.index == static_cast<int>(i)) hit = true;
        if (!ps.decorators.empty() && RequestParam(fr, p) && DecoratedWith(fr, ps.decorators)) hit = true;
        if (!ps.routed.empty() && RoutedParam(fr, ps, f, i)) hit = true;
        if (ps.exported && f.exported) {
          hit = true;
          caller_kind = ps.kind;
        }
        if (hit) {
          Origin so;
          so.key = ps.kind;
          so.unbuilt = ps.built_only;
          so.step = NewStep(nullptr, fr, f.line, 1, "source: parameter " + p.name);
          // Java binds a request value to an int/long/boolean/UUID parameter
          // only if it parses: no text for any sink (but a number can still
          // be an index or a size).
          // So does a list, set or Optional of such values (List<Long> ids).
          if (fr.lang == Language::kJava &&
              (ScalarJavaType(p.type) || (ScalarJavaType(p.type_arg) && ScalarContainer(p.type)))) {
            so.safe = kAllKinds & ~BoundKinds();
          }
          AddOrigin(v.o, so);
        }
      }
      fr.st.env[p.name] = std::move(v);
      if (!p.type.empty()) fr.types[p.name] = p.type;
      if (p.indirect) fr.indirect.insert(p.name);
    }
    for (ir::Id d : f.decorators) {
      fr.stmt_line = X(fr, d).line;
      fr.stmt_end = X(fr, d).line;
      Eval(fr, d);
    }
    Exec(fr, f.body);
    if (!fr.st.dead) {
      RecordOutParams(fr);
      RecordFieldWrites(fr);
      NoteExit(fr);
    }
    SettleReleases(fr);
    CheckLeaks(fr, f);
    for (const Pending& p : fr.pending) {
      if (!p.satisfied) Emit(p.rule, fr.module, p.line, p.col, p.stmt_line, p.stmt_end, nullptr);
    }
    // What an exported function's callers pass in is judged inside it, at
    // its own sinks. Its results carry only what its parameters carry, so a
    // project caller passing a constant gets a clean value back.
    if (caller_kind >= 0) {
      DropOrigins(summary.ret, caller_kind);
      for (auto& [index, w] : summary.out_params) DropOrigins(w, caller_kind);
      for (auto& [field, w] : summary.field_writes) DropOrigins(w, caller_kind);
    }
  }

  static void DropOrigins(Value& v, int key, int depth = 0) {
    std::erase_if(v.o, [key](const Origin& o) { return o.key == key; });
    if (!v.list || depth >= 4) return;
    auto copy = std::make_shared<std::vector<Value>>(*v.list);
    for (Value& e : *copy) DropOrigins(e, key, depth + 1);
    v.list = std::move(copy);
  }
};

bool PreferredTrace(const RawFinding& a, const RawFinding& b) {
  if (a.trace.size() != b.trace.size()) return a.trace.size() < b.trace.size();
  for (std::size_t k = 0; k < a.trace.size(); ++k) {
    const TraceStep& x = a.trace[k];
    const TraceStep& y = b.trace[k];
    auto kx = std::tie(a.trace_modules[k], x.line, x.col, x.note);
    auto ky = std::tie(b.trace_modules[k], y.line, y.col, y.note);
    if (kx != ky) return kx < ky;
  }
  return false;
}

Engine::Engine(const RuleSetData& rules, const Program& program) : impl_(std::make_unique<Impl>(rules, program)) {}
Engine::~Engine() = default;

void Engine::AnalyzeModule(std::uint32_t module) {
  StackAnchor anchor;
  const ir::Module* m = impl_->program.modules[module].get();
  if (!m) return;
  for (std::uint32_t f = 0; f < m->functions.size(); ++f) impl_->GetSummary({module, f});
  impl_->DropDirty();
}

std::size_t Engine::StepCount() const { return impl_->steps.size(); }

std::vector<RawFinding> Engine::TakeFindings() {
  std::vector<RawFinding> out;
  out.swap(impl_->findings);
  impl_->seen.clear();  // it indexes `findings`
  return out;
}

}  // namespace bulwark::review
