// Java -> IR. Declared types of locals, fields and parameters are kept
// (simple names) so models can name receiver types ("Statement.executeQuery").
// Annotations become decorator calls; parameter annotations are kept for
// framework sources (@RequestParam and friends).
#include <memory>

#include "lower.h"

namespace bulwark::review {
namespace {

class JavaLowerer final : public Lowerer {
 public:
  using Lowerer::Lowerer;

 protected:
  void LowerStmt(TSNode n, std::vector<ir::Id>& out) override {
    std::string_view t = Type(n);
    if (t == "program" || t == "block" || t == "class_body" || t == "interface_body" ||
        t == "enum_body" || t == "enum_body_declarations" || t == "static_initializer" ||
        t == "constructor_body" || t == "switch_block_statement_group" ||
        t == "labeled_statement" || t == "synchronized_statement") {
      LowerChildren(n, out);
    } else if (t == "class_declaration" || t == "interface_declaration" ||
               t == "enum_declaration" || t == "record_declaration") {
      std::string saved = cls_;
      cls_ = std::string(Text(Field(n, "name")));
      RecordBases(n);
      std::vector<ir::Id> annotations = Annotations(n);
      for (ir::Id a : annotations) {
        ir::Id s = NewStmt(ir::StmtKind::kExpr, n);
        S(s).a = a;
        out.push_back(s);
      }
      // @RestController / @ResponseBody on a class apply to its methods.
      std::vector<ir::Id> saved_annotations = std::move(class_annotations_);
      class_annotations_ = annotations;
      TSNode body = Field(n, "body");
      if (!Null(body)) LowerChildren(body, out);
      class_annotations_ = std::move(saved_annotations);
      cls_ = saved;
    } else if (t == "method_declaration" || t == "constructor_declaration" ||
               t == "compact_constructor_declaration") {
      LowerMethod(n);
    } else if (t == "field_declaration" || t == "local_variable_declaration" ||
               t == "constant_declaration") {
      std::string type = SimpleType(Text(Field(n, "type")));
      for (TSNode c : Named(n)) {
        if (Type(c) != "variable_declarator") continue;
        std::string name(Text(Field(c, "name")));
        TSNode value = Field(c, "value");
        ir::Id target = t == "field_declaration" ? Attr(NewExpr(ir::ExprKind::kThis, c), name, c)
                                                 : Name(name, c);
        ir::Id v = Null(value) ? ir::kNone : Expr(value);
        out.push_back(Assign(target, v, n, type));
        if (t == "field_declaration") m_.field_types[name] = type;
      }
    } else if (t == "expression_statement") {
      for (TSNode c : Named(n)) LowerExprStmt(c, out);
    } else if (t == "return_statement" || t == "yield_statement") {
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
      if (!Null(alt)) S(s).orelse = {LowerBlock(alt)};
      out.push_back(s);
    } else if (t == "while_statement" || t == "do_statement") {
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      ir::Id cond = Expr(Field(n, "condition"));
      std::vector<ir::Id> body;
      Stmt(Field(n, "body"), body);
      S(loop).a = t == "while_statement" ? cond : ir::kNone;
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "for_statement") {
      for (TSNode c : Named(n)) {
        if (ts_node_eq(c, Field(n, "body")) || ts_node_eq(c, Field(n, "condition"))) continue;
        if (Type(c) == "local_variable_declaration") Stmt(c, out);
        else if (ts_node_eq(c, Field(n, "init"))) LowerExprStmt(c, out);
      }
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      // The condition: a loop that cannot start is skipped, and a bound
      // from input is judged (unchecked-loop-condition), as in C.
      if (TSNode cond = Field(n, "condition"); !Null(cond)) S(loop).a = Expr(cond);
      std::vector<ir::Id> body;
      Stmt(Field(n, "body"), body);
      // The updates (i++) run at the end of each iteration: without them a
      // counter would read as its initial constant in the body.
      TSTreeCursor cursor = ts_tree_cursor_new(n);
      for (bool more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
        const char* field = ts_tree_cursor_current_field_name(&cursor);
        if (field == nullptr || std::string_view(field) != "update") continue;
        TSNode u = ts_tree_cursor_current_node(&cursor);
        WithOwnPre(body, [&](std::vector<ir::Id>& o) { LowerExprStmt(u, o); });
      }
      ts_tree_cursor_delete(&cursor);
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "enhanced_for_statement") {
      ir::Id loop = NewStmt(ir::StmtKind::kLoop, n);
      ir::Id iter = Expr(Field(n, "value"));
      ir::Id elem = NewExpr(ir::ExprKind::kIndex, n);
      E(elem).kids = {iter, NewExpr(ir::ExprKind::kUnknown, n)};
      std::vector<ir::Id> body;
      body.push_back(Assign(Name(std::string(Text(Field(n, "name"))), n), elem, n,
                            SimpleType(Text(Field(n, "type")))));
      Stmt(Field(n, "body"), body);
      S(loop).body = std::move(body);
      out.push_back(loop);
    } else if (t == "try_statement" || t == "try_with_resources_statement") {
      TSNode resources = Field(n, "resources");
      if (!Null(resources)) {
        for (TSNode r : Named(resources)) {
          TSNode name = Field(r, "name");
          TSNode value = Field(r, "value");
          if (!Null(name) && !Null(value)) {
            out.push_back(Assign(Name(std::string(Text(name)), r), Expr(value), r,
                                 SimpleType(Text(Field(r, "type")))));
          } else {
            LowerExprStmt(r, out);
          }
        }
      }
      ++try_depth_;
      Stmt(Field(n, "body"), out);
      --try_depth_;
      for (TSNode c : Named(n)) {
        if (Type(c) == "catch_clause") {
          ir::Id s = NewStmt(ir::StmtKind::kIf, c);
          std::vector<ir::Id> body;
          Stmt(Field(c, "body"), body);
          S(s).body = std::move(body);
          out.push_back(s);
        } else if (Type(c) == "finally_clause") {
          for (TSNode k : Named(c)) Stmt(k, out);
        }
      }
    } else if (t == "switch_expression" || t == "switch_statement") {
      LowerSwitch(n, out);
    } else if (t == "throw_statement") {
      for (TSNode c : Named(n)) LowerExprStmt(c, out);
      EndPath(n, out);
    } else if (t == "explicit_constructor_invocation") {
      ir::Id s = NewStmt(ir::StmtKind::kExpr, n);
      S(s).a = Unknown(n);
      out.push_back(s);
    } else if (t == "continue_statement") {
      out.push_back(NewStmt(ir::StmtKind::kContinue, n));
    } else if (t == "import_declaration" || t == "package_declaration" || t == "break_statement" ||
               t == "line_comment" || t == "block_comment" ||
               t == "modifiers" || t == "marker_annotation" || t == "annotation" ||
               t == "annotation_type_declaration" || t == "assert_statement" || t == ";") {
      // no data flow we model
    } else {
      LowerChildren(n, out);
    }
  }

  ir::Id LowerExpr(TSNode n) override {
    std::string_view t = Type(n);
    if (t == "identifier") return Name(std::string(Text(n)), n);
    if (t == "this") return NewExpr(ir::ExprKind::kThis, n);
    if (t == "string_literal") {
      std::string value;
      bool has_interp = false;
      for (TSNode c : Named(n)) {
        std::string_view ct = Type(c);
        if (ct == "string_fragment" || ct == "multiline_string_fragment") value += Text(c);
        else if (ct == "escape_sequence") value += Unescape(Text(c));
        else if (ct == "string_interpolation") has_interp = true;
      }
      if (has_interp) return Unknown(n);
      return Str(value, n);
    }
    if (t == "character_literal") {
      std::string_view raw = Text(n);
      if (raw.size() >= 2) return Str(Unescape(raw.substr(1, raw.size() - 2)), n);
      return NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "decimal_integer_literal" || t == "hex_integer_literal" ||
        t == "octal_integer_literal" || t == "binary_integer_literal") {
      std::int64_t v = 0;
      bool ok = false;
      ParseInt(Text(n), v, ok);
      return ok ? Int(v, n) : NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "true") return Bool(true, n);
    if (t == "false") return Bool(false, n);
    if (t == "null_literal") return NullConst(n);
    if (t == "field_access") {
      ir::Id o = Expr(Field(n, "object"));
      return Attr(o, std::string(Text(Field(n, "field"))), n);
    }
    if (t == "array_access") {
      ir::Id id = NewExpr(ir::ExprKind::kIndex, n);
      ir::Id a = Expr(Field(n, "array"));
      ir::Id i = Expr(Field(n, "index"));
      E(id).kids = {a, i};
      return id;
    }
    if (t == "method_invocation") {
      ir::Id id = NewExpr(ir::ExprKind::kCall, n);
      TSNode obj = Field(n, "object");
      std::string name(Text(Field(n, "name")));
      ir::Id callee = Null(obj) ? Name(name, Field(n, "name")) : Attr(Expr(obj), name, Field(n, "name"));
      std::vector<ir::Id> kids{callee};
      Args(Field(n, "arguments"), kids);
      E(id).kids = std::move(kids);
      E(id).keys.assign(E(id).kids.size() - 1, std::string());
      return id;
    }
    if (t == "object_creation_expression") {
      ir::Id id = NewExpr(ir::ExprKind::kNew, n);
      std::string type = SimpleType(Text(Field(n, "type")));
      std::vector<ir::Id> kids;
      Args(Field(n, "arguments"), kids);
      E(id).s = type;
      E(id).kids = std::move(kids);
      // Anonymous class bodies: their methods are functions of their own,
      // linked to this expression (they see the locals it captures).
      for (TSNode c : Named(n)) {
        if (Type(c) == "class_body") {
          std::vector<ir::Id> ignored;
          std::string saved = cls_;
          cls_ = type;
          const std::size_t first = m_.functions.size();
          LowerChildren(c, ignored);
          cls_ = saved;
          for (std::size_t f = first; f < m_.functions.size(); ++f) {
            if (m_.functions[f].cls == type && !m_.functions[f].is_lambda) m_.functions[f].anonymous_of = id;
          }
          E(id).i = static_cast<std::int64_t>(first) + 1;  // where its methods start, plus one
        }
      }
      return id;
    }
    if (t == "binary_expression") {
      ir::Id l = Expr(Field(n, "left"));
      ir::Id r = Expr(Field(n, "right"));
      return Binary(std::string(Type(Field(n, "operator"))), l, r, n);
    }
    if (t == "unary_expression") {
      return Unary(std::string(Type(Field(n, "operator"))), Expr(Field(n, "operand")), n);
    }
    if (t == "ternary_expression") {
      ir::Id id = NewExpr(ir::ExprKind::kCond, n);
      ir::Id c = Expr(Field(n, "condition"));
      ir::Id a = Expr(Field(n, "consequence"));
      ir::Id b = Expr(Field(n, "alternative"));
      E(id).kids = {c, a, b};
      return id;
    }
    if (t == "cast_expression") return Expr(Field(n, "value"));
    if (t == "parenthesized_expression") return Unknown(n);
    if (t == "assignment_expression") {
      // Used as a value: `while ((line = r.readLine()) != null)`.
      std::vector<ir::Id> tmp;
      LowerExprStmt(n, tmp);
      for (ir::Id s : tmp) EmitPre(s);
      return AssignedValue(tmp, n);
    }
    if (t == "array_creation_expression") {
      TSNode value = Field(n, "value");
      if (!Null(value)) return Expr(value);
      ir::Id id = NewExpr(ir::ExprKind::kList, n);
      return id;
    }
    if (t == "array_initializer") {
      ir::Id id = NewExpr(ir::ExprKind::kList, n);
      for (TSNode c : Named(n)) {
        ir::Id k = Expr(c);
        E(id).kids.push_back(k);
      }
      return id;
    }
    if (t == "lambda_expression") {
      ir::Function f;
      f.is_lambda = true;
      f.cls = cls_;
      f.line = ts_node_start_point(n).row + 1;
      TSNode params = Field(n, "parameters");
      if (!Null(params)) {
        if (Type(params) == "identifier") {
          f.params.push_back({std::string(Text(params)), "", {}});
        } else {
          for (TSNode p : Named(params)) {
            if (Type(p) == "identifier") f.params.push_back({std::string(Text(p)), "", {}});
            else if (!Null(Field(p, "name")))
              f.params.push_back({std::string(Text(Field(p, "name"))), SimpleType(Text(Field(p, "type"))), {}});
          }
        }
      }
      std::size_t index = AddFunction(std::move(f));
      TSNode body = Field(n, "body");
      ir::Id block;
      if (!Null(body) && Type(body) == "block") {
        block = LowerBlock(body);
      } else {
        ir::Id ret = NewStmt(ir::StmtKind::kReturn, n);
        ir::Id v = Expr(body);
        S(ret).a = v;
        block = Block(n, {ret});
      }
      m_.functions[index].body = block;
      ir::Id id = NewExpr(ir::ExprKind::kFunc, n);
      E(id).i = static_cast<std::int64_t>(index);
      return id;
    }
    if (t == "update_expression") {
      auto kids = Named(n);
      return UpdateExpr(n, kids.empty() ? TSNode{} : kids[0]);
    }
    if (t == "instanceof_expression") {
      // `o instanceof String s`: s is o where the test holds (a pattern
      // binding); the test itself is a truth value.
      TSNode name = Field(n, "name");
      if (!Null(name)) {
        ir::Id from = Expr(Field(n, "left"));
        TSNode type = Field(n, "right");
        EmitPre(Assign(Name(std::string(Text(name)), name), from, n, Null(type) ? "" : SimpleType(Text(type))));
      }
      return NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "method_reference") {  // no data flow; the text (Type::method) for model conditions
      ir::Id id = NewExpr(ir::ExprKind::kUnknown, n);
      E(id).s = std::string(Text(n));
      return id;
    }
    if (t == "class_literal" || t == "type_identifier" || t == "scoped_type_identifier" || t == "generic_type") {
      return NewExpr(ir::ExprKind::kUnknown, n);
    }
    if (t == "scoped_identifier") {
      ir::Id scope = Expr(Field(n, "scope"));
      return Attr(scope, std::string(Text(Field(n, "name"))), n);
    }
    if (t == "switch_expression") {
      // A value-producing switch: a choice among its arms, or (arms with
      // blocks and yield) the join of them.
      if (ir::Id chosen = SwitchValue(n); chosen != ir::kNone) return chosen;
      return Unknown(n);
    }
    return Unknown(n);
  }

 private:
  void Args(TSNode args, std::vector<ir::Id>& kids) {
    if (Null(args)) return;
    for (TSNode a : Named(args)) kids.push_back(Expr(a));
  }

  std::vector<ir::Id> Annotations(TSNode decl) {
    std::vector<ir::Id> out;
    for (TSNode c : Named(decl)) {
      if (Type(c) != "modifiers") continue;
      for (TSNode a : Named(c)) {
        std::string_view at = Type(a);
        if (at != "annotation" && at != "marker_annotation") continue;
        ir::Id id = NewExpr(ir::ExprKind::kCall, a);
        std::string name(Text(Field(a, "name")));
        std::size_t dot = name.find_last_of('.');
        if (dot != std::string::npos) name = name.substr(dot + 1);
        std::vector<ir::Id> kids{Name(name, a)};
        std::vector<std::string> keys;
        TSNode args = Field(a, "arguments");
        if (!Null(args)) {
          for (TSNode arg : Named(args)) {
            if (Type(arg) == "element_value_pair") {
              kids.push_back(Expr(Field(arg, "value")));
              keys.emplace_back(Text(Field(arg, "key")));
            } else {
              kids.push_back(Expr(arg));
              keys.emplace_back();
            }
          }
        }
        E(id).kids = std::move(kids);
        E(id).keys = std::move(keys);
        out.push_back(id);
      }
    }
    return out;
  }

  // The single type argument of a generic type's text ("List<Long>" ->
  // "Long"); "" for none or several (Map<String, Long>).
  static std::string SingleTypeArg(std::string_view text) {
    const std::size_t open = text.find('<');
    const std::size_t close = text.rfind('>');
    if (open == std::string_view::npos || close == std::string_view::npos || close <= open) return {};
    std::string_view inner = text.substr(open + 1, close - open - 1);
    int depth = 0;
    for (char c : inner) {
      if (c == '<') ++depth;
      else if (c == '>') --depth;
      else if (c == ',' && depth == 0) return {};
    }
    return SimpleType(inner);
  }

  // The class's superclass and interfaces (an interface's extended
  // interfaces), by simple name: a call through an interface-typed variable
  // reaches the implementations the project defines.
  void RecordBases(TSNode n) {
    std::vector<std::string> bases;
    for (TSNode c : Named(n)) {
      std::string_view ct = Type(c);
      if (ct != "superclass" && ct != "super_interfaces" && ct != "extends_interfaces") continue;
      for (TSNode k : Named(c)) {
        if (Type(k) == "type_list") {
          for (TSNode ty : Named(k)) bases.push_back(SimpleType(Text(ty)));
        } else {
          bases.push_back(SimpleType(Text(k)));
        }
      }
    }
    std::erase_if(bases, [](const std::string& b) { return b.empty(); });
    if (!bases.empty()) m_.class_bases[cls_] = std::move(bases);
  }

  void LowerMethod(TSNode n) {
    ir::Function f;
    f.name = Type(n) == "method_declaration" ? std::string(Text(Field(n, "name"))) : "<init>";
    f.cls = cls_;
    f.line = ts_node_start_point(n).row + 1;
    f.decorators = Annotations(n);
    f.own_decorators = f.decorators.size();
    f.decorators.insert(f.decorators.end(), class_annotations_.begin(), class_annotations_.end());
    if (Type(n) == "method_declaration" && !Null(Field(n, "type"))) f.ret_type = SimpleType(Text(Field(n, "type")));
    TSNode params = Field(n, "parameters");
    if (!Null(params)) {
      for (TSNode p : Named(params)) {
        std::string_view pt = Type(p);
        if (pt != "formal_parameter" && pt != "spread_parameter") continue;
        if (pt == "spread_parameter") f.variadic = true;
        ir::Param param;
        TSNode name = Field(p, "name");
        if (Null(name)) {
          for (TSNode k : Named(p)) {
            if (Type(k) == "variable_declarator") name = Field(k, "name");
          }
        }
        param.name = Null(name) ? "" : std::string(Text(name));
        TSNode type = Field(p, "type");
        if (Null(type)) {
          for (TSNode k : Named(p)) {
            std::string_view kt = Type(k);
            if (kt.find("type") != std::string_view::npos) type = k;
          }
        }
        if (!Null(type)) {
          param.type = SimpleType(Text(type));
          param.type_arg = SingleTypeArg(Text(type));
        }
        for (TSNode k : Named(p)) {
          if (Type(k) != "modifiers") continue;
          for (TSNode a : Named(k)) {
            if (Type(a) == "annotation" || Type(a) == "marker_annotation") {
              std::string an(Text(Field(a, "name")));
              std::size_t dot = an.find_last_of('.');
              param.annotations.push_back(dot == std::string::npos ? an : an.substr(dot + 1));
            }
          }
        }
        f.params.push_back(std::move(param));
      }
    }
    std::size_t index = AddFunction(std::move(f));
    TSNode body = Field(n, "body");
    m_.functions[index].body = Null(body) ? Block(n, {}) : LowerBlock(body);
    m_.functions[index].no_body = Null(body);
  }

  void LowerExprStmt(TSNode n, std::vector<ir::Id>& out) {
    if (Null(n)) return;
    if (Type(n) == "assignment_expression") {
      ir::Id target = Expr(Field(n, "left"));
      ir::Id value = Expr(Field(n, "right"));
      ir::Id s = Assign(target, value, n);
      std::string op(Type(Field(n, "operator")));
      if (op.size() > 1 && op.back() == '=') {
        op.pop_back();
        S(s).op = op;
      }
      out.push_back(s);
      return;
    }
    ir::Id s = NewStmt(ir::StmtKind::kExpr, n);
    ir::Id e = Expr(n);
    S(s).a = e;
    out.push_back(s);
  }

  // switch (x) { case A -> a; case B, C -> b; default -> d; } as
  // x == A ? a : (x == B || x == C ? b : d), so a constant subject picks its
  // arm. kNone when an arm is not a single expression (a block, a throw).
  ir::Id SwitchValue(TSNode n) {
    TSNode body = Field(n, "body");
    if (Null(body)) return ir::kNone;
    struct Arm {
      TSNode at;
      std::vector<TSNode> labels;
      bool is_default = false;
      TSNode value;
    };
    std::vector<Arm> arms;
    for (TSNode rule : Named(body)) {
      if (Type(rule) != "switch_rule") return ir::kNone;
      Arm arm;
      arm.at = rule;
      bool have_value = false;
      for (TSNode c : Named(rule)) {
        if (Type(c) == "switch_label") {
          auto vals = Named(c);
          if (vals.empty()) arm.is_default = true;
          for (TSNode v : vals) arm.labels.push_back(v);
        } else if (Type(c) == "expression_statement" && Named(c).size() == 1) {
          arm.value = Named(c)[0];
          have_value = true;
        } else {
          return ir::kNone;
        }
      }
      if (!have_value) return ir::kNone;
      arms.push_back(arm);
    }
    if (arms.empty()) return ir::kNone;
    ir::Id subject = Expr(Field(n, "condition"));
    ir::Id acc = ir::kNone;
    for (const Arm& a : arms) {
      if (a.is_default) acc = Expr(a.value);
    }
    for (auto it = arms.rbegin(); it != arms.rend(); ++it) {
      if (it->is_default) continue;
      ir::Id value = Expr(it->value);
      if (acc == ir::kNone) {  // no default: the last arm is what is left
        acc = value;
        continue;
      }
      std::vector<std::pair<ir::Id, TSNode>> tests;
      for (TSNode l : it->labels) tests.emplace_back(Binary("==", subject, Expr(l), it->at), it->at);
      if (tests.empty()) return ir::kNone;
      ir::Id cond = NewExpr(ir::ExprKind::kCond, it->at);
      E(cond).kids = {AnyOf(tests, 0, tests.size()), value, acc};
      acc = cond;
    }
    return acc;
  }

  // switch (x) { case A: ...; case B: ... default: ... } -> if x == A ... else if ...
  void LowerSwitch(TSNode n, std::vector<ir::Id>& out) {
    ir::Id subject = Expr(Field(n, "condition"));
    TSNode body = Field(n, "body");
    if (Null(body)) return;
    std::vector<SwitchArm> arms;
    for (TSNode group : Named(body)) {
      std::string_view gt = Type(group);
      if (gt != "switch_block_statement_group" && gt != "switch_rule") continue;
      SwitchArm arm;
      arm.at = group;
      for (TSNode c : Named(group)) {
        if (Type(c) == "switch_label") {
          auto vals = Named(c);
          if (vals.empty()) arm.is_default = true;
          for (TSNode v : vals) arm.labels.push_back(Expr(v));
        } else {
          Stmt(c, arm.body);
        }
      }
      arms.push_back(std::move(arm));
    }
    SwitchChain(subject, "==", std::move(arms), out);
  }

  std::string cls_;
  std::vector<ir::Id> class_annotations_;  // of the class being lowered
};

}  // namespace

std::unique_ptr<Lowerer> MakeJavaLowerer(std::string_view source, ir::Module& module) {
  return std::make_unique<JavaLowerer>(source, module);
}

}  // namespace bulwark::review
