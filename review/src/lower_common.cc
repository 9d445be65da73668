#include <tree_sitter/api.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "lower.h"

namespace bulwark::review {

std::unique_ptr<Lowerer> MakePythonLowerer(std::string_view source, ir::Module& module);
std::unique_ptr<Lowerer> MakeJavaLowerer(std::string_view source, ir::Module& module);
std::unique_ptr<Lowerer> MakeJsLowerer(std::string_view source, ir::Module& module);
std::unique_ptr<Lowerer> MakeCLowerer(std::string_view source, ir::Module& module);

Lowerer::~Lowerer() {
  if (has_cursor_) ts_tree_cursor_delete(&cursor_);
}

std::string_view Lowerer::Text(TSNode n) const {
  // A missing field (`class {}` has no name) is a null node, which
  // tree-sitter's accessors dereference.
  if (Null(n)) return {};
  std::uint32_t start = ts_node_start_byte(n);
  std::uint32_t end = ts_node_end_byte(n);
  if (start > src_.size() || end > src_.size() || end < start) return {};
  return src_.substr(start, end - start);
}

TSNode Lowerer::Field(TSNode n, const char* name) {
  // Field names resolve to ids by a linear string search over the grammar's
  // field table; lowering asks for the same few literals millions of times,
  // so the id is cached per (grammar, literal).
  struct Key {
    const TSLanguage* language;
    const char* name;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return std::hash<const void*>()(k.language) * 31u ^ std::hash<const void*>()(k.name);
    }
  };
  thread_local std::unordered_map<Key, TSFieldId, KeyHash> ids;
  const TSLanguage* language = ts_tree_language(n.tree);
  Key key{language, name};
  auto it = ids.find(key);
  if (it == ids.end()) {
    TSFieldId id = ts_language_field_id_for_name(language, name,
                                                 static_cast<std::uint32_t>(std::char_traits<char>::length(name)));
    it = ids.emplace(key, id).first;
  }
  if (it->second == 0) return TSNode{};
  return ts_node_child_by_field_id(n, it->second);
}

std::vector<TSNode> Lowerer::Named(TSNode n) {
  // A cursor walks the children in one pass; ts_node_named_child(i) would
  // rescan from the first child each time (quadratic on long bodies).
  // One cursor for the whole tree: the loop ends before any nested call.
  std::vector<TSNode> out;
  out.reserve(ts_node_named_child_count(n));
  if (has_cursor_) {
    ts_tree_cursor_reset(&cursor_, n);
  } else {
    cursor_ = ts_tree_cursor_new(n);
    has_cursor_ = true;
  }
  if (ts_tree_cursor_goto_first_child(&cursor_)) {
    do {
      TSNode c = ts_tree_cursor_current_node(&cursor_);
      if (!ts_node_is_named(c)) continue;
      if (std::string_view(ts_node_type(c)) == "comment") continue;
      out.push_back(c);
    } while (ts_tree_cursor_goto_next_sibling(&cursor_));
  }
  return out;
}

ir::Id Lowerer::NewExpr(ir::ExprKind kind, TSNode at) {
  ir::Expr e;
  e.kind = kind;
  if (!Null(at)) {
    TSPoint p = ts_node_start_point(at);
    e.line = p.row + 1;
    e.col = p.column + 1;
  }
  m_.exprs.push_back(std::move(e));
  return static_cast<ir::Id>(m_.exprs.size() - 1);
}

ir::Id Lowerer::NewStmt(ir::StmtKind kind, TSNode at) {
  ir::Stmt s;
  s.kind = kind;
  if (!Null(at)) {
    TSPoint p = ts_node_start_point(at);
    s.line = p.row + 1;
    s.col = p.column + 1;
    s.end_line = ts_node_end_point(at).row + 1;
  }
  m_.stmts.push_back(std::move(s));
  return static_cast<ir::Id>(m_.stmts.size() - 1);
}

ir::Id Lowerer::Str(std::string value, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kConst, at);
  E(id).const_kind = ir::ConstKind::kString;
  E(id).s = std::move(value);
  return id;
}
ir::Id Lowerer::Int(std::int64_t value, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kConst, at);
  E(id).const_kind = ir::ConstKind::kInt;
  E(id).i = value;
  return id;
}
ir::Id Lowerer::Bool(bool value, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kConst, at);
  E(id).const_kind = ir::ConstKind::kBool;
  E(id).i = value ? 1 : 0;
  return id;
}
ir::Id Lowerer::NullConst(TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kConst, at);
  E(id).const_kind = ir::ConstKind::kNull;
  return id;
}
ir::Id Lowerer::Name(std::string name, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kName, at);
  E(id).s = std::move(name);
  return id;
}
ir::Id Lowerer::Attr(ir::Id object, std::string field, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kAttr, at);
  E(id).s = std::move(field);
  E(id).kids.push_back(object);
  return id;
}
ir::Id Lowerer::Unary(std::string op, ir::Id operand, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kUnary, at);
  E(id).s = std::move(op);
  E(id).kids.push_back(operand);
  return id;
}
ir::Id Lowerer::Binary(std::string op, ir::Id l, ir::Id r, TSNode at) {
  ir::Id id = NewExpr(ir::ExprKind::kBinary, at);
  E(id).s = std::move(op);
  E(id).kids = {l, r};
  return id;
}

ir::Id Lowerer::Unknown(TSNode n) {
  std::vector<ir::Id> kids;
  for (TSNode c : Named(n)) {
    ir::Id k = Expr(c);
    if (k != ir::kNone) kids.push_back(k);
  }
  if (kids.size() == 1) return kids[0];  // wrappers (parentheses, casts, await)
  ir::Id id = NewExpr(ir::ExprKind::kUnknown, n);
  E(id).kids = std::move(kids);
  return id;
}

ir::Id Lowerer::UpdateExpr(TSNode n, TSNode operand) {
  if (Null(operand)) return Unknown(n);
  ir::Id target = Expr(operand);
  ir::Id s = Assign(target, Int(1, n), n);
  S(s).op = Text(n).find("--") != std::string_view::npos ? "-" : "+";
  EmitPre(s);
  return CopyExpr(target);
}

ir::Id Lowerer::AssignedValue(const std::vector<ir::Id>& assigns, TSNode at) {
  std::vector<ir::Id> targets;
  for (ir::Id s : assigns) {
    if (S(s).kind == ir::StmtKind::kAssign && S(s).a != ir::kNone) targets.push_back(S(s).a);
  }
  if (targets.size() == 1) return CopyExpr(targets[0]);
  ir::Id id = NewExpr(ir::ExprKind::kUnknown, at);
  for (ir::Id t : targets) {
    ir::Id copy = CopyExpr(t);
    E(id).kids.push_back(copy);
  }
  return id;
}

ir::Id Lowerer::CopyExpr(ir::Id id) {
  if (id == ir::kNone) return ir::kNone;
  ir::Expr copy = E(id);  // by value: pushing below may move m_.exprs
  for (ir::Id& kid : copy.kids) kid = CopyExpr(kid);
  m_.exprs.push_back(std::move(copy));
  return static_cast<ir::Id>(m_.exprs.size() - 1);
}

ir::Id Lowerer::Expr(TSNode n) {
  if (Null(n)) return ir::kNone;
  if (depth_ >= kMaxDepth) return NewExpr(ir::ExprKind::kUnknown, n);
  ++depth_;
  ir::Id id = LowerExpr(n);
  --depth_;
  return id;
}

void Lowerer::Stmt(TSNode n, std::vector<ir::Id>& out) {
  if (Null(n)) return;
  if (depth_ >= kMaxDepth) return;
  ++depth_;
  std::vector<ir::Id> saved;
  saved.swap(pre_);
  std::vector<ir::Id> produced;
  LowerStmt(n, produced);
  out.insert(out.end(), pre_.begin(), pre_.end());
  out.insert(out.end(), produced.begin(), produced.end());
  pre_.swap(saved);
  --depth_;
}

ir::Id Lowerer::Block(TSNode at, std::vector<ir::Id> body) {
  ir::Id id = NewStmt(ir::StmtKind::kBlock, at);
  S(id).body = std::move(body);
  return id;
}

ir::Id Lowerer::LowerBlock(TSNode n) {
  std::vector<ir::Id> body;
  Stmt(n, body);
  return Block(n, std::move(body));
}

ir::Id Lowerer::Assign(ir::Id target, ir::Id value, TSNode at, std::string type) {
  ir::Id id = NewStmt(ir::StmtKind::kAssign, at);
  S(id).a = target;
  S(id).b = value;
  S(id).type = std::move(type);
  return id;
}

std::size_t Lowerer::AddFunction(ir::Function f) {
  m_.functions.push_back(std::move(f));
  return m_.functions.size() - 1;
}

std::string Lowerer::ParseInt(std::string_view text, std::int64_t& out, bool& ok) {
  std::string t;
  for (char c : text) {
    if (c == '_' || c == '\'') continue;  // digit separators
    t.push_back(c);
  }
  while (!t.empty() && (t.back() == 'l' || t.back() == 'L' || t.back() == 'u' || t.back() == 'U')) {
    t.pop_back();
  }
  ok = false;
  if (t.empty()) return t;
  int base = 10;
  std::size_t start = 0;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    start = 2;
  } else if (t.size() > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) {
    base = 2;
    start = 2;
  } else if (t.size() > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) {
    base = 8;
    start = 2;
  } else if (t.size() > 1 && t[0] == '0' && t.find_first_not_of("01234567") == std::string::npos) {
    base = 8;  // C, C++, Java (and sloppy JS) octal: 0644
    start = 1;
  }
  std::int64_t v = 0;
  for (std::size_t i = start; i < t.size(); ++i) {
    char c = t[i];
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return t;  // a float or something else
    if (d >= base) return t;
    if (v > (INT64_MAX - d) / base) return t;  // overflow: not a constant we fold
    v = v * base + d;
  }
  out = v;
  ok = true;
  return t;
}

std::string Lowerer::Unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 == raw.size()) {
      out.push_back(c);
      continue;
    }
    char n = raw[++i];
    switch (n) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case '0': out.push_back('\0'); break;
      case '\\': out.push_back('\\'); break;
      case '"': out.push_back('"'); break;
      case '\'': out.push_back('\''); break;
      case '\n': break;  // line continuation
      default:
        out.push_back('\\');
        out.push_back(n);
    }
  }
  return out;
}

std::string Lowerer::SimpleType(std::string_view type) {
  // Drop generic arguments, qualifiers, pointers and namespaces.
  std::string t;
  int angle = 0;
  for (char c : type) {
    if (c == '<') ++angle;
    else if (c == '>') --angle;
    else if (angle == 0) t.push_back(c);
  }
  for (std::string_view q : {"const ", "volatile ", "final ", "struct ", "class ", "unsigned "}) {
    std::size_t p;
    while ((p = t.find(q)) != std::string::npos) t.erase(p, q.size());
  }
  std::string clean;
  for (char c : t) {
    if (c == '*' || c == '&' || c == ' ' || c == '[' || c == ']' || c == '\n' || c == '\t') continue;
    clean.push_back(c);
  }
  std::size_t cut = clean.find_last_of(".:");
  if (cut != std::string::npos) clean = clean.substr(cut + 1);
  return clean;
}

ir::Id Lowerer::AnyOf(const std::vector<std::pair<ir::Id, TSNode>>& tests, std::size_t begin, std::size_t end) {
  if (end - begin > kMaxChain) {
    const std::size_t mid = begin + (end - begin) / 2;
    return Binary("||", AnyOf(tests, begin, mid), AnyOf(tests, mid, end), tests[end - 1].second);
  }
  ir::Id cond = ir::kNone;
  for (std::size_t i = begin; i < end; ++i) {
    cond = cond == ir::kNone ? tests[i].first : Binary("||", cond, tests[i].first, tests[i].second);
  }
  return cond;
}

void Lowerer::SwitchChain(ir::Id subject, const char* eq, std::vector<SwitchArm> arms, std::vector<ir::Id>& out) {
  ir::Id first = ir::kNone, last = ir::kNone;
  std::vector<ir::Id> default_body, pending;
  bool has_default = false;
  for (SwitchArm& arm : arms) {
    if (arm.is_default) {
      has_default = true;
      default_body = std::move(arm.body);
      pending.clear();  // labels falling into default behave like default
      continue;
    }
    pending.insert(pending.end(), arm.labels.begin(), arm.labels.end());
    if (arm.body.empty()) continue;  // falls through to the next arm
    std::vector<std::pair<ir::Id, TSNode>> tests;
    for (ir::Id l : pending) tests.emplace_back(Binary(eq, subject, l, arm.at), arm.at);
    ir::Id cond = AnyOf(tests, 0, tests.size());
    pending.clear();
    ir::Id s = NewStmt(ir::StmtKind::kIf, arm.at);
    S(s).a = cond;
    S(s).body = std::move(arm.body);
    if (first == ir::kNone) first = s;
    else S(last).orelse = {s};
    last = s;
  }
  if (first == ir::kNone) {
    out.insert(out.end(), default_body.begin(), default_body.end());
    return;
  }
  if (has_default) S(last).orelse = std::move(default_body);
  out.push_back(first);
}

void Lowerer::EndPath(TSNode at, std::vector<ir::Id>& out) {
  if (try_depth_ == 0) out.push_back(NewStmt(ir::StmtKind::kThrow, at));
}

void Lowerer::LowerChildren(TSNode n, std::vector<ir::Id>& out) {
  for (TSNode c : Named(n)) Stmt(c, out);
}

void Lowerer::Run(TSNode root) {
  ir::Function body_fn;
  body_fn.name = "<module>";
  body_fn.is_module_body = true;
  body_fn.line = 1;
  std::size_t index = AddFunction(std::move(body_fn));
  std::vector<ir::Id> body;
  Stmt(root, body);
  ir::Id block = Block(root, std::move(body));
  m_.functions[index].body = block;
}

namespace {

void CountErrors(TSNode root, ir::Module& module, std::uint32_t& error_bytes) {
  // Iterative walk: hostile inputs can nest deeply.
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool more = true;
  while (more) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    bool descend = true;
    if (std::string_view(ts_node_type(n)) == "ERROR" || ts_node_is_missing(n)) {
      ++module.error_nodes;
      error_bytes += ts_node_end_byte(n) - ts_node_start_byte(n);
      descend = false;
    } else if (!ts_node_has_error(n)) {
      descend = false;
    }
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        more = false;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&cursor);
}

}  // namespace

void LowerTree(Language language, std::string_view source, TSNode root, ir::Module& module) {
  std::unique_ptr<Lowerer> lowerer;
  switch (language) {
    case Language::kPython: lowerer = MakePythonLowerer(source, module); break;
    case Language::kJava: lowerer = MakeJavaLowerer(source, module); break;
    case Language::kJavaScript:
    case Language::kTypeScript:
    case Language::kTsx: lowerer = MakeJsLowerer(source, module); break;
    case Language::kC:
    case Language::kCpp: lowerer = MakeCLowerer(source, module); break;
  }
  lowerer->Run(root);
}

namespace {

// A per-thread bump allocator for one parse. tree-sitter allocates (and
// frees) every subtree, stack node and cursor frame through its allocator
// hooks; during a parse those go here, frees are no-ops, and the whole tree
// is dropped at once when the file is lowered, instead of a free per node
// (malloc/free and ts_subtree_release were a fifth of the scan time).
// Outside a parse (or on another thread) the hooks fall through to libc, and
// pointers that did not come from the arena are always freed by libc.
//
// Frees being no-ops turns work into memory: tree-sitter's error recovery
// is quadratic on some inputs (`#if/#else/#endif/#define (` repeated), and
// an 80 KB file made over a gigabyte of short-lived subtrees before the parse
// timed out. So the arena holds at most a limit set per parse (a multiple of
// the source size); past it, allocations "spill" to libc, where frees work
// again, and the tree is deleted node by node at the end.
class ParseArena {
 public:
  ParseArena() = default;
  ~ParseArena() {
    for (Chunk& c : chunks_) std::free(c.base);
  }
  ParseArena(const ParseArena&) = delete;
  ParseArena& operator=(const ParseArena&) = delete;

  // Bytes the arena may hold until Reset (chunks kept from earlier files count).
  void SetLimit(std::size_t bytes) { limit_ = bytes; }
  // Some allocation did not fit under the limit and went to libc.
  bool spilled() const { return spilled_; }
  // The usable size of a block from Alloc.
  static std::size_t SizeOf(const void* ptr) {
    std::size_t n = 0;
    std::memcpy(&n, static_cast<const char*>(ptr) - kHeader, sizeof n);
    return n;
  }

  // Null when the block would take the arena past its limit.
  void* Alloc(std::size_t n) {
    n = (n + kAlign - 1) & ~(kAlign - 1);
    const std::size_t need = n + kHeader;
    if (static_cast<std::size_t>(end_ - next_) < need && !NextChunk(need)) return nullptr;
    char* p = next_;
    next_ += need;
    std::memcpy(p, &n, sizeof n);
    last_ = p + kHeader;
    return last_;
  }
  void* Realloc(void* ptr, std::size_t n) {
    if (ptr == nullptr) return Alloc(n);
    const std::size_t old = SizeOf(ptr);
    if (n <= old) return ptr;
    // Growing the most recent block: extend it in place when there is room.
    if (ptr == last_) {
      std::size_t grown = (n + kAlign - 1) & ~(kAlign - 1);
      if (static_cast<std::size_t>(end_ - next_) >= grown - old) {
        next_ += grown - old;
        std::memcpy(static_cast<char*>(ptr) - kHeader, &grown, sizeof grown);
        return ptr;
      }
    }
    void* fresh = Alloc(n);
    if (fresh != nullptr) std::memcpy(fresh, ptr, old);
    return fresh;
  }
  bool Owns(const void* ptr) const {
    auto p = static_cast<const char*>(ptr);
    for (std::size_t k = 0; k <= current_ && k < chunks_.size(); ++k) {
      if (p >= chunks_[k].base && p < chunks_[k].base + chunks_[k].size) return true;
    }
    return false;
  }
  // Forgets every allocation; keeps up to kKeep bytes of chunks for the next file.
  void Reset() {
    std::size_t kept = 0;
    std::vector<Chunk> keep;
    for (Chunk& c : chunks_) {
      if (kept + c.size <= kKeep) {
        kept += c.size;
        keep.push_back(c);
      } else {
        std::free(c.base);
      }
    }
    chunks_ = std::move(keep);
    held_ = kept;
    current_ = 0;
    next_ = chunks_.empty() ? nullptr : chunks_[0].base;
    end_ = chunks_.empty() ? nullptr : chunks_[0].base + chunks_[0].size;
    last_ = nullptr;
    limit_ = SIZE_MAX;
    spilled_ = false;
  }

 private:
  struct Chunk {
    char* base = nullptr;
    std::size_t size = 0;
  };
  static constexpr std::size_t kAlign = 16;
  static constexpr std::size_t kHeader = 16;  // the block size, keeping kAlign
  static constexpr std::size_t kChunk = std::size_t{1} << 20;
  static constexpr std::size_t kKeep = std::size_t{16} << 20;

  // Makes the next chunk with room for `need` bytes current (chunks after
  // the current one are unused). Out of line: Alloc's fast path stays small.
  [[gnu::noinline]] bool NextChunk(std::size_t need) {
    while (current_ + 1 < chunks_.size()) {
      ++current_;
      if (chunks_[current_].size >= need) {
        next_ = chunks_[current_].base;
        end_ = next_ + chunks_[current_].size;
        return true;
      }
    }
    std::size_t size = chunks_.empty() ? kChunk : chunks_.back().size * 2;
    if (size < need) size = need;
    if (size > limit_ || held_ > limit_ - size) {
      spilled_ = true;
      return false;
    }
    char* base = static_cast<char*>(std::malloc(size));
    if (base == nullptr) return false;
    held_ += size;
    chunks_.push_back({base, size});
    current_ = chunks_.size() - 1;
    next_ = base;
    end_ = base + size;
    return true;
  }

  std::vector<Chunk> chunks_;
  std::size_t held_ = 0;  // bytes in chunks_
  std::size_t current_ = 0;
  char* next_ = nullptr;  // the free part of chunks_[current_]: [next_, end_)
  char* end_ = nullptr;
  void* last_ = nullptr;
  std::size_t limit_ = SIZE_MAX;
  bool spilled_ = false;
};

thread_local ParseArena* tl_arena = nullptr;

// Past the arena's limit, allocations come from libc (ArenaFree tells them apart).
void* ArenaMalloc(std::size_t n) {
  if (tl_arena) {
    if (void* p = tl_arena->Alloc(n)) return p;
  }
  return std::malloc(n);
}
void* ArenaCalloc(std::size_t count, std::size_t size) {
  if (!tl_arena) return std::calloc(count, size);
  if (size != 0 && count > SIZE_MAX / size) return nullptr;
  void* p = tl_arena->Alloc(count * size);
  if (p == nullptr) return std::calloc(count, size);
  std::memset(p, 0, count * size);
  return p;
}
void* ArenaRealloc(void* p, std::size_t n) {
  if (tl_arena && (p == nullptr || tl_arena->Owns(p))) {
    if (void* q = tl_arena->Realloc(p, n)) return q;
    // Over the limit: move the block to libc.
    void* q = std::malloc(n);
    if (q != nullptr && p != nullptr) std::memcpy(q, p, std::min(n, ParseArena::SizeOf(p)));
    return q;
  }
  return std::realloc(p, n);
}
void ArenaFree(void* p) {
  if (p == nullptr || (tl_arena && tl_arena->Owns(p))) return;
  std::free(p);
}

// Installs the hooks once; makes this thread's arena current for a scope.
class ArenaScope {
 public:
  explicit ArenaScope(std::size_t limit) {
    static std::once_flag once;
    std::call_once(once, [] { ts_set_allocator(ArenaMalloc, ArenaCalloc, ArenaRealloc, ArenaFree); });
    thread_local ParseArena arena;
    arena.SetLimit(limit);
    tl_arena = &arena;
  }
  bool spilled() const { return tl_arena->spilled(); }
  ~ArenaScope() {
    ParseArena* a = tl_arena;
    tl_arena = nullptr;
    a->Reset();
  }
  ArenaScope(const ArenaScope&) = delete;
  ArenaScope& operator=(const ArenaScope&) = delete;
};

// C/C++: a macro statement whose first argument declares a variable,
// `ASSIGN_OR_RETURN(Table t, Load(x));`, is no expression, and
// tree-sitter's recovery can swallow the rest of the file. For a retry,
// such statements become the assignment they stand for, `Table t =
// Load(x);`, padded with spaces so every line keeps its number. Returns
// false when nothing was rewritten.
bool RewriteDeclaringMacros(std::string& text) {
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  bool changed = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!ident(text[i]) || (i > 0 && ident(text[i - 1]))) {
      ++i;
      continue;
    }
    std::size_t name_end = i;
    bool upper = true, underscore = false;
    while (name_end < text.size() && ident(text[name_end])) {
      const char c = text[name_end];
      if (c >= 'a' && c <= 'z') upper = false;
      if (c == '_') underscore = true;
      ++name_end;
    }
    std::size_t open = name_end;
    while (open < text.size() && (text[open] == ' ' || text[open] == '\t')) ++open;
    if (!upper || !underscore || name_end - i < 4 || open >= text.size() || text[open] != '(') {
      i = name_end;
      continue;
    }
    // The matching ')', skipping strings and character literals; the one
    // top-level comma.
    int depth = 0;
    std::size_t close = std::string::npos, comma = std::string::npos, commas = 0;
    for (std::size_t k = open; k < text.size() && k - open < 4096; ++k) {
      const char c = text[k];
      if (c == '"' || c == '\'') {
        for (++k; k < text.size() && text[k] != c && text[k] != '\n'; ++k) {
          if (text[k] == '\\') ++k;
        }
        continue;
      }
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') {
        if (--depth == 0) {
          close = k;
          break;
        }
      }
      if (c == ',' && depth == 1) {
        ++commas;
        comma = k;
      }
      if (c == ';') break;
    }
    std::size_t semi = close == std::string::npos ? close : close + 1;
    while (semi != std::string::npos && semi < text.size() && (text[semi] == ' ' || text[semi] == '\t')) ++semi;
    if (close == std::string::npos || commas != 1 || semi >= text.size() || text[semi] != ';') {
      i = name_end;
      continue;
    }
    // The first argument must declare: at least two words (`Table t`,
    // `auto& [a, b]`, `const std::string s`).
    std::string_view decl(text.data() + open + 1, comma - open - 1);
    while (!decl.empty() && std::isspace(static_cast<unsigned char>(decl.front())) != 0) decl.remove_prefix(1);
    while (!decl.empty() && std::isspace(static_cast<unsigned char>(decl.back())) != 0) decl.remove_suffix(1);
    const std::size_t gap = decl.find_first_of(" \t\n&*");
    if (decl.empty() || !ident(decl.front()) || gap == std::string_view::npos ||
        decl.find_first_of("=;") != std::string_view::npos) {
      i = name_end;
      continue;
    }
    std::string rewritten(decl);
    rewritten += " =";
    rewritten.append(text, comma + 1, close - comma - 1);
    rewritten += ';';
    const std::size_t span = semi + 1 - i;
    if (rewritten.size() > span) {
      i = name_end;
      continue;
    }
    rewritten.append(span - rewritten.size(), ' ');
    // Keep the line breaks where they were (the text only got shorter).
    std::size_t lines_before = 0, lines_after = 0;
    for (std::size_t k = i; k < i + span; ++k) lines_before += text[k] == '\n' ? 1 : 0;
    for (char c : rewritten) lines_after += c == '\n' ? 1 : 0;
    for (std::size_t k = rewritten.size(); lines_after < lines_before && k > 0; --k) {
      if (rewritten[k - 1] == ' ') {
        rewritten[k - 1] = '\n';
        ++lines_after;
      }
    }
    text.replace(i, span, rewritten);
    changed = true;
    i += span;
  }
  return changed;
}

// The most a parse may keep in its arena: kArenaBase + kArenaPerByte per source byte.
constexpr std::size_t kArenaBase = std::size_t{64} << 20;
constexpr std::size_t kArenaPerByte = 64;

// One parse into the current arena (null on timeout).
TSTree* Parse(Language language, std::string_view source) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, GrammarFor(language));
  // A bound on pathological inputs; real files parse in milliseconds.
  ts_parser_set_timeout_micros(parser, 10'000'000);
  TSTree* tree = ts_parser_parse_string(parser, nullptr, source.data(), static_cast<std::uint32_t>(source.size()));
  ts_parser_delete(parser);
  return tree;
}

}  // namespace

bool ParseAndLower(Language language, std::string_view source, ir::Module& module) {
  module.language = language;
  std::uint32_t lines = 0;
  for (char c : source) lines += c == '\n' ? 1u : 0u;
  module.lines = lines + (source.empty() || source.back() == '\n' ? 0u : 1u);
  // The parser, the trees and cursors live until the end of this function.
  // Real files need a fraction of this; see ParseArena on the limit.
  ArenaScope arena(kArenaBase + kArenaPerByte * source.size());
  TSTree* tree = Parse(language, source);
  if (tree == nullptr) return false;
  TSTree* retry = nullptr;
  TSNode root = ts_tree_root_node(tree);
  std::uint32_t error_bytes = 0;
  if (ts_node_has_error(root)) CountErrors(root, module, error_bytes);
  bool ok = !(source.size() > 0 && error_bytes * 2 > source.size());
  std::string rewritten;
  if (!ok && (language == Language::kC || language == Language::kCpp)) {
    rewritten.assign(source);
    if (RewriteDeclaringMacros(rewritten)) {
      if (retry = Parse(language, rewritten); retry != nullptr) {
        TSNode retry_root = ts_tree_root_node(retry);
        std::uint32_t retry_errors = 0;
        ir::Module scratch;
        if (ts_node_has_error(retry_root)) CountErrors(retry_root, scratch, retry_errors);
        if (rewritten.empty() || retry_errors * 2 <= rewritten.size()) {
          module.error_nodes = scratch.error_nodes;
          source = rewritten;
          root = retry_root;
          ok = true;
        }
      }
    }
  }
  if (ok) LowerTree(language, source, root, module);
  // No ts_tree_delete: the arena drops the whole tree at once, unless part
  // of it spilled to libc.
  if (arena.spilled()) {
    ts_tree_delete(tree);
    if (retry != nullptr) ts_tree_delete(retry);
  }
  return ok;
}

}  // namespace bulwark::review
