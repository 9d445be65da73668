// JavaScript / TypeScript (and TSX) -> IR. `require("m")` and ES imports
// become import aliases so models can say "child_process.exec"; callbacks
// (express handlers, promise chains) are lowered as functions of their own.
#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "lower.h"

namespace bulwark::review {
namespace {

class JsLowerer final : public Lowerer {
 public:
  using Lowerer::Lowerer;

 protected:
  void LowerStmt(TSNode n, std::vector<ir::Id>& out) override {
    std::string_view t = Type(n);
    if (t == "program" || t == "statement_block" || t == "class_body" ||
        t == "labeled_statement" || t == "with_statement" || t == "ambient_declaration" ||
        t == "internal_module" || t == "module" || t == "export_clause") {
      LowerChildren(n, out);
      if (t == "program") MarkExports(n);
    } else if (t == "export_statement") {
      TSNode decl = Field(n, "declaration");
      if (!Null(decl)) {
        Stmt(decl, out);
      } else {
        TSNode value = Field(n, "value");
        if (!Null(value)) ExprStmt(value, out);
      }
    } else if (t == "expression_statement") {
      for (TSNode c : Named(n)) ExprStmt(c, out);
    } else if (t == "lexical_declaration" || t == "variable_declaration") {
      for (TSNode d : Named(n)) {
        if (Type(d) != "variable_declarator") continue;
        TSNode name = Field(d, "name");
        TSNode value = Field(d, "value");
        std::string type;
        if (!Null(Field(d, "type"))) type = SimpleType(TypeText(Field(d, "type")));
        if (!Null(value) && IsRequire(value) && Type(name) == "identifier") {
          m_.imports[std::string(Text(name))] = RequireTarget(value);
          continue;
        }
        // const quote = require("shell-quote").quote;
        if (!Null(value) && Type(value) == "member_expression" && Type(name) == "identifier" &&
            IsRequire(Field(value, "object")) && Type(Field(value, "property")) == "property_identifier") {
          m_.imports[std::string(Text(name))] =
              RequireTarget(Field(value, "object")) + "." + std::string(Text(Field(value, "property")));
          continue;
        }
        if (!Null(value) && IsRequire(value) && Type(name) == "object_pattern") {
          std::string module = RequireTarget(value);
          for (TSNode p : Named(name)) {
            if (Type(p) == "shorthand_property_identifier_pattern") {
              m_.imports[std::string(Text(p))] = module + "." + std::string(Text(p));
            } else if (Type(p) == "pair_pattern") {
              m_.imports[std::string(Text(Field(p, "value")))] =
                  module + "." + std::string(Text(Field(p, "key")));
            }
          }
          continue;
        }
        // `const check = (x) => ...`: the function is known by the
        // variable's name, so calls to it resolve like a declaration's.
        if (!Null(value) && Type(name) == "identifier") {
          std::string_view vt = Type(value);
          if ((vt == "arrow_function" || vt == "function_expression" || vt == "function") &&
              Null(Field(value, "name"))) {
            binding_name_ = std::string(Text(name));
          }
        }
        ir::Id v = Null(value) ? ir::kNone : Expr(value);
        binding_name_.clear();
        DestructureAssign(name, v, d, type, out);
      }
    } else if (t == "return_statement") {
      ir::Id s = NewStmt(ir::StmtKind::kReturn, n);
      auto kids = Named(n);
      ir::Id v = kids.empty() ? ir::kNone : Expr(kids[0]);
      S(s).a = v;
      out.push_back(s);
    } else if (t == "if_statement") {
      ir::Id s = NewStmt(ir::StmtKind::kIf, n);
      ir::Id cond = Expr(Field(n, "condition"));
      ir::Id body = LowerBlock(Field(n, "consequence"));
      S(s).a = cond;
      S(s).body = {body};
      TSNode alt = Field(n, "alternative");
      if (!Null(alt)) {
        std::vector<ir::Id> e;
        for (TSNode c : Named(alt)) Stmt(c, e);
        S(s).orelse = std::move(e);
      }
      out.push_back(s);
    } else if (t == "for_statement") {
      Stmt(Field(n, "initializer"), out);
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      std::vector<ir::Id> body;
      Stmt(Field(n, "body"), body);
      TSNode inc = Field(n, "increment");
      if (!Null(inc)) WithOwnPre(body, [&](std::vector<ir::Id>& o) { ExprStmt(inc, o); });
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "for_in_statement") {
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      ir::Id iter = Expr(Field(n, "right"));
      ir::Id elem = NewExpr(ir::ExprKind::kIndex, n);
      E(elem).kids = {iter, NewExpr(ir::ExprKind::kUnknown, n)};
      std::vector<ir::Id> body;
      DestructureAssign(Field(n, "left"), elem, n, "", body);
      Stmt(Field(n, "body"), body);
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "while_statement" || t == "do_statement") {
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      ir::Id cond = Expr(Field(n, "condition"));
      if (t == "while_statement") S(loop).a = cond;
      std::vector<ir::Id> body;
      Stmt(Field(n, "body"), body);
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "try_statement") {
      ++try_depth_;
      Stmt(Field(n, "body"), out);
      --try_depth_;
      TSNode handler = Field(n, "handler");
      if (!Null(handler)) {
        ir::Id s = NewStmt(ir::StmtKind::kIf, handler);
        std::vector<ir::Id> body;
        Stmt(Field(handler, "body"), body);
        S(s).body = std::move(body);
        out.push_back(s);
      }
      TSNode fin = Field(n, "finalizer");
      if (!Null(fin)) Stmt(Field(fin, "body"), out);
    } else if (t == "switch_statement") {
      LowerSwitch(n, out);
    } else if (t == "function_declaration" || t == "generator_function_declaration") {
      LowerFunction(n, std::string(Text(Field(n, "name"))), "");
    } else if (t == "class_declaration" || t == "abstract_class_declaration" || t == "class") {
      std::string saved = cls_;
      cls_ = std::string(Text(Field(n, "name")));
      TSNode body = Field(n, "body");
      if (!Null(body)) {
        for (TSNode m : Named(body)) {
          std::string_view mt = Type(m);
          if (mt == "method_definition") {
            std::string name(Text(Field(m, "name")));
            LowerFunction(m, name == "constructor" ? "<init>" : name, cls_);
          } else if (mt == "public_field_definition" || mt == "field_definition") {
            TSNode name = Field(m, "name");
            if (Null(name)) name = Field(m, "property");
            TSNode value = Field(m, "value");
            if (!Null(name) && !Null(Field(m, "type"))) {
              m_.field_types[std::string(Text(name))] = SimpleType(TypeText(Field(m, "type")));
            }
            if (!Null(name) && !Null(value)) {
              out.push_back(Assign(Attr(NewExpr(ir::ExprKind::kThis, m), std::string(Text(name)), m),
                                   Expr(value), m));
            }
          }
        }
      }
      cls_ = saved;
    } else if (t == "import_statement") {
      LowerImport(n);
    } else if (t == "throw_statement") {
      for (TSNode c : Named(n)) ExprStmt(c, out);
      EndPath(n, out);
    } else if (t == "continue_statement") {
      out.push_back(NewStmt(ir::StmtKind::kContinue, n));
    } else if (t == "break_statement" || t == "comment" ||
               t == "empty_statement" || t == "debugger_statement" ||
               t == "interface_declaration" || t == "type_alias_declaration" ||
               t == "enum_declaration" || t == "hash_bang_line" || t == "function_signature") {
      // no data flow
    } else if (t.find("expression") != std::string_view::npos || t == "identifier" ||
               t == "call_expression") {
      ExprStmt(n, out);
    } else {
      LowerChildren(n, out);
    }
  }

  ir::Id LowerExpr(TSNode n) override {
    std::string_view t = Type(n);
    if (t == "identifier" || t == "shorthand_property_identifier") {
      std::string name(Text(n));
      if (name == "undefined") return NullConst(n);
      return Name(name, n);
    }
    if (t == "this" || t == "super") return NewExpr(ir::ExprKind::kThis, n);
    if (t == "string") {
      std::string value;
      for (TSNode c : Named(n)) {
        if (Type(c) == "string_fragment") value += Text(c);
        else if (Type(c) == "escape_sequence") value += Unescape(Text(c));
      }
      return Str(value, n);
    }
    if (t == "template_string") {
      ir::Id id = NewExpr(ir::ExprKind::kFormat, n);
      bool interp = false;
      std::string value;
      std::vector<ir::Id> parts;
      for (TSNode c : Named(n)) {
        std::string_view ct = Type(c);
        if (ct == "string_fragment") {
          value += Text(c);
          parts.push_back(Str(std::string(Text(c)), c));
        } else if (ct == "escape_sequence") {
          value += Unescape(Text(c));
          parts.push_back(Str(Unescape(Text(c)), c));
        } else if (ct == "template_substitution") {
          interp = true;
          for (TSNode k : Named(c)) parts.push_back(Expr(k));
        }
      }
      if (!interp) {
        E(id).kind = ir::ExprKind::kConst;
        E(id).const_kind = ir::ConstKind::kString;
        E(id).s = value;
        return id;
      }
      E(id).kids = std::move(parts);
      return id;
    }
    if (t == "number") {
      std::int64_t v = 0;
      bool ok = false;
      ParseInt(Text(n), v, ok);
      return ok ? Int(v, n) : NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "true") return Bool(true, n);
    if (t == "false") return Bool(false, n);
    if (t == "null" || t == "undefined") return NullConst(n);
    if (t == "member_expression") {
      ir::Id o = Expr(Field(n, "object"));
      return Attr(o, std::string(Text(Field(n, "property"))), n);
    }
    if (t == "subscript_expression") {
      ir::Id id = NewExpr(ir::ExprKind::kIndex, n);
      ir::Id o = Expr(Field(n, "object"));
      ir::Id i = Expr(Field(n, "index"));
      E(id).kids = {o, i == ir::kNone ? NewExpr(ir::ExprKind::kUnknown, n) : i};
      return id;
    }
    if (t == "call_expression") {
      TSNode fn = Field(n, "function");
      if (IsRequire(n)) {
        // require("x") used inline: a name for the module.
        return Name(RequireTarget(n), n);
      }
      ir::Id id = NewExpr(ir::ExprKind::kCall, n);
      std::vector<ir::Id> kids{Expr(fn)};
      TSNode args = Field(n, "arguments");
      if (!Null(args) && Type(args) == "template_string") {
        kids.push_back(Expr(args));  // tagged template: sql`...`
      } else if (!Null(args)) {
        for (TSNode a : Named(args)) kids.push_back(Expr(a));
      }
      E(id).kids = std::move(kids);
      E(id).keys.assign(E(id).kids.size() - 1, std::string());
      return id;
    }
    if (t == "new_expression") {
      ir::Id id = NewExpr(ir::ExprKind::kNew, n);
      TSNode ctor = Field(n, "constructor");
      std::string type(Text(ctor));
      std::size_t dot = type.find_last_of('.');
      E(id).s = dot == std::string::npos ? type : type.substr(dot + 1);
      std::vector<ir::Id> kids;
      TSNode args = Field(n, "arguments");
      if (!Null(args)) {
        for (TSNode a : Named(args)) kids.push_back(Expr(a));
      }
      E(id).kids = std::move(kids);
      return id;
    }
    if (t == "binary_expression") {
      ir::Id l = Expr(Field(n, "left"));
      ir::Id r = Expr(Field(n, "right"));
      return Binary(std::string(Type(Field(n, "operator"))), l, r, n);
    }
    if (t == "unary_expression") {
      return Unary(std::string(Type(Field(n, "operator"))), Expr(Field(n, "argument")), n);
    }
    if (t == "ternary_expression") {
      ir::Id id = NewExpr(ir::ExprKind::kCond, n);
      ir::Id c = Expr(Field(n, "condition"));
      ir::Id a = Expr(Field(n, "consequence"));
      ir::Id b = Expr(Field(n, "alternative"));
      E(id).kids = {c, a, b};
      return id;
    }
    if (t == "assignment_expression" || t == "augmented_assignment_expression") {
      std::vector<ir::Id> tmp;
      ExprStmt(n, tmp);
      for (ir::Id s : tmp) EmitPre(s);
      return AssignedValue(tmp, n);
    }
    if (t == "array") {
      ir::Id id = NewExpr(ir::ExprKind::kList, n);
      for (TSNode c : Named(n)) {
        ir::Id k = Expr(c);
        E(id).kids.push_back(k);
      }
      return id;
    }
    if (t == "object") {
      ir::Id id = NewExpr(ir::ExprKind::kDict, n);
      for (TSNode c : Named(n)) {
        std::string_view ct = Type(c);
        if (ct == "pair") {
          TSNode key = Field(c, "key");
          std::string k;
          if (Type(key) == "property_identifier") k = std::string(Text(key));
          else if (Type(key) == "string") {
            ir::Id ke = Expr(key);
            k = E(ke).s;
          }
          ir::Id v = Expr(Field(c, "value"));
          E(id).kids.push_back(v);
          E(id).keys.push_back(k);
        } else if (ct == "shorthand_property_identifier") {
          ir::Id v = Name(std::string(Text(c)), c);
          E(id).kids.push_back(v);
          E(id).keys.emplace_back(Text(c));
        } else if (ct == "method_definition") {
          LowerFunction(c, std::string(Text(Field(c, "name"))), "");
        } else {
          ir::Id v = Expr(c);
          E(id).kids.push_back(v);
          E(id).keys.emplace_back();
        }
      }
      return id;
    }
    if (t == "arrow_function" || t == "function_expression" || t == "function" ||
        t == "generator_function") {
      std::string fname = Null(Field(n, "name")) ? std::move(binding_name_) : std::string(Text(Field(n, "name")));
      binding_name_.clear();
      std::size_t index = LowerFunction(n, std::move(fname), cls_);
      m_.functions[index].is_lambda = true;
      ir::Id id = NewExpr(ir::ExprKind::kFunc, n);
      E(id).i = static_cast<std::int64_t>(index);
      return id;
    }
    if (t == "as_expression" || t == "satisfies_expression" || t == "non_null_expression" ||
        t == "type_assertion" || t == "parenthesized_expression" || t == "await_expression" ||
        t == "spread_element" || t == "sequence_expression") {
      auto kids = Named(n);
      if (t == "type_assertion" && kids.size() == 2) return Expr(kids[1]);
      if ((t == "as_expression" || t == "satisfies_expression") && !kids.empty()) return Expr(kids[0]);
      // [...items] / f(...args): the spread value stands for its elements.
      if (t == "spread_element" && !kids.empty()) return Expr(kids[0]);
      return Unknown(n);
    }
    if (t == "regex") {  // no data flow; the text (/pattern/flags) for allowlist checks
      ir::Id id = NewExpr(ir::ExprKind::kUnknown, n);
      E(id).s = std::string(Text(n));
      return id;
    }
    if (t == "type_arguments" || t == "type_annotation") {
      return NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "jsx_expression") return Unknown(n);
    // <div dangerouslySetInnerHTML={{ __html: x }} /> reads as a call of that
    // name on the object, so a model can make __html an HTML sink.
    if (t == "jsx_attribute") {
      auto kids = Named(n);
      if (kids.size() == 2 && Text(kids[0]) == "dangerouslySetInnerHTML") {
        ir::Id id = NewExpr(ir::ExprKind::kCall, n);
        E(id).kids = {Name("dangerouslySetInnerHTML", kids[0]), Expr(kids[1])};
        E(id).keys.assign(1, std::string());
        return id;
      }
      return Unknown(n);
    }
    if (t == "update_expression") return UpdateExpr(n, Field(n, "argument"));
    return Unknown(n);
  }

 private:
  // A type_annotation node is ": T"; the type is its named child.
  std::string TypeText(TSNode type_annotation) {
    auto kids = Named(type_annotation);
    return std::string(kids.empty() ? Text(type_annotation) : Text(kids[0]));
  }

  bool IsRequire(TSNode n) {
    if (Null(n) || Type(n) != "call_expression") return false;
    TSNode fn = Field(n, "function");
    if (Null(fn) || Type(fn) != "identifier" || Text(fn) != "require") return false;
    TSNode args = Field(n, "arguments");
    if (Null(args)) return false;
    auto kids = Named(args);
    return kids.size() == 1 && Type(kids[0]) == "string";
  }
  std::string RequireTarget(TSNode call) {
    auto kids = Named(Field(call, "arguments"));
    std::string value;
    for (TSNode c : Named(kids[0])) {
      if (Type(c) == "string_fragment") value += Text(c);
    }
    if (value.starts_with("node:")) value = value.substr(5);
    return value;
  }

  void LowerImport(TSNode n) {
    TSNode source = Field(n, "source");
    if (Null(source)) return;
    std::string module;
    for (TSNode c : Named(source)) {
      if (Type(c) == "string_fragment") module += Text(c);
    }
    if (module.starts_with("node:")) module = module.substr(5);
    for (TSNode c : Named(n)) {
      if (Type(c) != "import_clause") continue;
      for (TSNode k : Named(c)) {
        std::string_view kt = Type(k);
        if (kt == "identifier") {
          m_.imports[std::string(Text(k))] = module;  // default import
        } else if (kt == "namespace_import") {
          for (TSNode id : Named(k)) m_.imports[std::string(Text(id))] = module;
        } else if (kt == "named_imports") {
          for (TSNode spec : Named(k)) {
            if (Type(spec) != "import_specifier") continue;
            std::string name(Text(Field(spec, "name")));
            TSNode alias = Field(spec, "alias");
            m_.imports[Null(alias) ? name : std::string(Text(alias))] = module + "." + name;
          }
        }
      }
    }
  }

  void DestructureAssign(TSNode pattern, ir::Id value, TSNode at, const std::string& type,
                         std::vector<ir::Id>& out) {
    if (Null(pattern)) return;
    std::string_view pt = Type(pattern);
    if (pt == "object_pattern") {
      // const {a, b: c} = v  ->  a = v.a; c = v.b
      for (TSNode p : Named(pattern)) {
        std::string_view t = Type(p);
        if (t == "shorthand_property_identifier_pattern") {
          std::string name(Text(p));
          out.push_back(Assign(Name(name, p), value == ir::kNone ? ir::kNone : Attr(value, name, p), at));
        } else if (t == "pair_pattern") {
          std::string key(Text(Field(p, "key")));
          DestructureAssign(Field(p, "value"), value == ir::kNone ? ir::kNone : Attr(value, key, p), at,
                            "", out);
        } else if (t == "object_assignment_pattern") {
          // const {a = "x"} = v  ->  a = v.a (the default only when it is missing)
          TSNode left = Field(p, "left");
          if (!Null(left) && (Type(left) == "shorthand_property_identifier_pattern" || Type(left) == "identifier")) {
            std::string name(Text(left));
            out.push_back(Assign(Name(name, left), value == ir::kNone ? ir::kNone : Attr(value, name, left), at));
          } else {
            DestructureAssign(left, value, at, "", out);
          }
        } else if (t == "rest_pattern") {
          for (TSNode k : Named(p)) DestructureAssign(k, value, at, "", out);
        }
      }
      return;
    }
    if (pt == "array_pattern") {
      std::int64_t index = 0;
      for (TSNode p : Named(pattern)) {
        ir::Id elem = ir::kNone;
        if (value != ir::kNone) {
          elem = NewExpr(ir::ExprKind::kIndex, p);
          E(elem).kids = {value, Int(index, p)};
        }
        DestructureAssign(p, elem, at, "", out);
        ++index;
      }
      return;
    }
    if (pt == "assignment_pattern") {
      DestructureAssign(Field(pattern, "left"), value, at, type, out);
      return;
    }
    out.push_back(Assign(Expr(pattern), value, at, type));
  }

  void ExprStmt(TSNode n, std::vector<ir::Id>& out) {
    if (Null(n)) return;
    std::string_view t = Type(n);
    if (t == "assignment_expression") {
      TSNode left = Field(n, "left");
      ir::Id value = Expr(Field(n, "right"));
      if (Type(left) == "object_pattern" || Type(left) == "array_pattern") {
        DestructureAssign(left, value, n, "", out);
        return;
      }
      // module.exports = require(...) and friends need no special handling.
      out.push_back(Assign(Expr(left), value, n));
      return;
    }
    if (t == "augmented_assignment_expression") {
      ir::Id target = Expr(Field(n, "left"));
      ir::Id value = Expr(Field(n, "right"));
      ir::Id s = Assign(target, value, n);
      std::string op(Type(Field(n, "operator")));
      if (!op.empty() && op.back() == '=') op.pop_back();
      S(s).op = op;
      out.push_back(s);
      return;
    }
    ir::Id s = NewStmt(ir::StmtKind::kExpr, n);
    ir::Id e = Expr(n);
    S(s).a = e;
    out.push_back(s);
  }

  void LowerSwitch(TSNode n, std::vector<ir::Id>& out) {
    ir::Id subject = Expr(Field(n, "value"));
    TSNode body = Field(n, "body");
    if (Null(body)) return;
    std::vector<SwitchArm> arms;
    for (TSNode c : Named(body)) {
      std::string_view ct = Type(c);
      if (ct != "switch_case" && ct != "switch_default") continue;
      SwitchArm arm;
      arm.at = c;
      arm.is_default = ct == "switch_default";
      TSNode value = Field(c, "value");
      for (TSNode k : Named(c)) {
        if (!Null(value) && ts_node_eq(k, value)) continue;
        Stmt(k, arm.body);
      }
      if (!arm.is_default) arm.labels.push_back(Expr(value));
      arms.push_back(std::move(arm));
    }
    SwitchChain(subject, "===", std::move(arms), out);
  }

  std::size_t LowerFunction(TSNode n, std::string name, const std::string& cls) {
    ir::Function f;
    f.name = std::move(name);
    f.cls = cls;
    f.line = ts_node_start_point(n).row + 1;
    TSNode params = Field(n, "parameters");
    TSNode single = Field(n, "parameter");
    if (!Null(single)) f.params.push_back({std::string(Text(single)), "", {}});
    std::vector<std::pair<TSNode, std::size_t>> destructured;
    if (!Null(params)) {
      for (TSNode p : Named(params)) {
        std::string_view pt = Type(p);
        ir::Param param;
        TSNode pattern = p;
        if (pt == "required_parameter" || pt == "optional_parameter") {
          pattern = Field(p, "pattern");
          TSNode type = Field(p, "type");
          if (!Null(type)) {
            auto tk = Named(type);
            if (!tk.empty()) param.type = SimpleType(Text(tk[0]));
          }
          // NestJS-style parameter decorators: @Query('q'), @Body(), @Param('id').
          for (TSNode d : Named(p)) {
            if (Type(d) != "decorator") continue;
            for (TSNode e : Named(d)) {
              TSNode callee = Type(e) == "call_expression" ? Field(e, "function") : e;
              if (!Null(callee)) param.annotations.emplace_back(Text(callee));
            }
          }
        } else if (pt == "assignment_pattern") {
          pattern = Field(p, "left");
        } else if (pt == "rest_pattern") {
          auto k = Named(p);
          if (!k.empty()) pattern = k[0];
        }
        if (Null(pattern)) continue;
        if (Type(pattern) == "identifier") {
          param.name = std::string(Text(pattern));
        } else {
          param.name = "$arg" + std::to_string(f.params.size());
          destructured.emplace_back(pattern, f.params.size());
        }
        f.params.push_back(std::move(param));
      }
    }
    // A handler that destructures its request, `({ body, query }: Request,
    // res) => ...`, reads the same fields as `req.body`: name the hidden
    // parameter `req` so the request models apply. It is a request when its
    // type says so or when the next parameter is the response.
    if (!destructured.empty() && destructured.front().second == 0) {
      const ir::Param& first = f.params[0];
      bool request_type = first.type.size() >= 7 && first.type.ends_with("Request");
      bool before_response = f.params.size() > 1 &&
                             (f.params[1].name == "res" || f.params[1].name == "response" ||
                              f.params[1].name == "reply" || f.params[1].type == "Response");
      bool taken = std::any_of(f.params.begin(), f.params.end(), [](const ir::Param& p) { return p.name == "req"; });
      if ((request_type || before_response) && !taken) f.params[0].name = "req";
    }
    std::size_t index = AddFunction(std::move(f));
    fn_at_[ts_node_start_byte(n)] = index;
    std::string saved = cls_;
    cls_ = cls;
    TSNode body = Field(n, "body");
    std::vector<ir::Id> stmts;
    for (auto& [pattern, i] : destructured) {
      DestructureAssign(pattern, Name(m_.functions[index].params[i].name, pattern), pattern, "", stmts);
    }
    if (!Null(body) && Type(body) == "statement_block") {
      Stmt(body, stmts);
    } else if (!Null(body)) {
      ir::Id ret = NewStmt(ir::StmtKind::kReturn, body);
      ir::Id v = Expr(body);
      S(ret).a = v;
      stmts.push_back(ret);
    }
    m_.functions[index].body = Block(n, std::move(stmts));
    cls_ = saved;
    return index;
  }

  // What the module hands to other code: `export` declarations and clauses,
  // `export default`, and CommonJS `module.exports = ...` /
  // `exports.name = ...` (a function, a name, a class, or an object of
  // them). Methods named _x or #x are private by convention and stay out.
  void MarkExports(TSNode program) {
    std::vector<std::string> names;
    auto mark_value = [&](auto& self, TSNode v, int depth) -> void {
      if (Null(v) || depth > 4) return;
      std::string_view vt = Type(v);
      if (vt == "identifier") {
        names.emplace_back(Text(v));
      } else if (vt == "parenthesized_expression") {
        for (TSNode k : Named(v)) self(self, k, depth + 1);
      } else if (vt == "assignment_expression") {  // module.exports = exports = f
        self(self, Field(v, "right"), depth + 1);
      } else if (vt == "function_declaration" || vt == "generator_function_declaration" ||
                 vt == "arrow_function" || vt == "function_expression" || vt == "function" ||
                 vt == "generator_function" || vt == "method_definition") {
        if (auto it = fn_at_.find(ts_node_start_byte(v)); it != fn_at_.end()) {
          m_.functions[it->second].exported = true;
        }
      } else if (vt == "class_declaration" || vt == "abstract_class_declaration" || vt == "class") {
        if (Decorated(v)) return;
        TSNode body = Field(v, "body");
        if (Null(body)) return;
        for (TSNode m : Named(body)) {
          if (Type(m) != "method_definition") continue;
          std::string_view name = Text(Field(m, "name"));
          if (name.starts_with("_") || name.starts_with("#")) continue;
          self(self, m, depth + 1);
        }
      } else if (vt == "object") {
        for (TSNode c : Named(v)) {
          std::string_view ct = Type(c);
          if (ct == "pair") self(self, Field(c, "value"), depth + 1);
          else if (ct == "shorthand_property_identifier") names.emplace_back(Text(c));
          else if (ct == "method_definition") self(self, c, depth + 1);
        }
      } else if (vt == "lexical_declaration" || vt == "variable_declaration") {
        for (TSNode d : Named(v)) {
          if (Type(d) == "variable_declarator") self(self, Field(d, "value"), depth + 1);
        }
      }
    };
    for (TSNode c : Named(program)) {
      std::string_view ct = Type(c);
      if (ct == "export_statement") {
        // @Injectable() / @Controller() classes are wired by a framework to
        // the project's own code, not handed to a package's users.
        if (Decorated(c)) continue;
        mark_value(mark_value, Field(c, "declaration"), 0);
        mark_value(mark_value, Field(c, "value"), 0);
        for (TSNode k : Named(c)) {
          if (Type(k) != "export_clause") continue;
          for (TSNode spec : Named(k)) {
            if (Type(spec) == "export_specifier") names.emplace_back(Text(Field(spec, "name")));
          }
        }
      } else if (ct == "expression_statement") {
        for (TSNode e : Named(c)) {
          if (Type(e) != "assignment_expression") continue;
          std::string_view left = Text(Field(e, "left"));
          if (left == "module.exports" || left.starts_with("module.exports.") || left.starts_with("exports.")) {
            mark_value(mark_value, Field(e, "right"), 0);
          }
        }
      }
    }
    if (names.empty()) return;
    for (ir::Function& f : m_.functions) {
      if (f.is_module_body) continue;
      const bool own = f.cls.empty() && std::find(names.begin(), names.end(), f.name) != names.end();
      // A callback inside a method (xs.map((c) => ...)) is called by the
      // method, not by the package's users; an arrow bound to a class
      // property (`handle = (x) => ...`) is a method.
      const bool method = !f.cls.empty() && !f.name.starts_with("_") && !f.name.starts_with("#") &&
                          !(f.is_lambda && f.name.empty()) &&
                          std::find(names.begin(), names.end(), f.cls) != names.end();
      if (own || method) f.exported = true;
    }
  }

  bool Decorated(TSNode n) {
    for (TSNode k : Named(n)) {
      if (Type(k) == "decorator") return true;
    }
    return false;
  }

  std::unordered_map<std::uint32_t, std::size_t> fn_at_;  // function node start byte -> function index
  std::string cls_;
  std::string binding_name_;  // the variable a function literal being lowered is assigned to
};

}  // namespace

std::unique_ptr<Lowerer> MakeJsLowerer(std::string_view source, ir::Module& module) {
  return std::make_unique<JsLowerer>(source, module);
}

}  // namespace bulwark::review
