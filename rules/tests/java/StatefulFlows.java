package samples.stateful;

import java.io.*;
import java.sql.*;
import java.util.*;
import javax.servlet.http.*;

// Flows through fields, allowlist checks, declared output types and callbacks.
public class StatefulFlows extends HttpServlet {
  private Connection conn;
  private String sortColumn;
  private String region = "eu";
  private String theme;

  private void readOptions(HttpServletRequest request) {
    this.sortColumn = request.getParameter("sort");
    theme = request.getParameter("theme");
  }

  private void listOrders() throws SQLException {
    Statement st = conn.createStatement();
    // ruleid: sql-injection
    st.executeQuery("SELECT id FROM orders ORDER BY " + sortColumn);
    // ruleid: sql-injection
    st.executeQuery("SELECT id FROM orders WHERE theme = '" + this.theme + "'");
    // ok: sql-injection
    st.executeQuery("SELECT id FROM orders WHERE region = '" + region + "'");
  }

  private void listLocal() throws SQLException {
    sortColumn = "id";
    Statement st = conn.createStatement();
    // ok: sql-injection
    st.executeQuery("SELECT id FROM orders ORDER BY " + sortColumn);
  }

  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, SQLException {
    readOptions(request);
    listOrders();
    Statement st = conn.createStatement();
    String dir = request.getParameter("dir");
    if (dir.equals("asc") || "desc".equals(dir)) {
      // ok: sql-injection
      st.executeQuery("SELECT id FROM orders ORDER BY id " + dir);
    } else {
      // ruleid: sql-injection
      st.executeQuery("SELECT id FROM orders ORDER BY id " + dir);
    }
    if (!dir.equalsIgnoreCase("asc")) {
      return;
    }
    // ok: sql-injection
    st.executeQuery("SELECT id FROM orders ORDER BY id " + dir);

    String col = request.getParameter("col");
    if (Arrays.asList("id", "total", "created").contains(col)) {
      // ok: sql-injection
      st.executeQuery("SELECT " + col + " FROM orders");
    }
    if (col.length() < 20) {
      // ruleid: sql-injection
      st.executeQuery("SELECT " + col + " FROM orders");
    }
    String code = request.getParameter("code");
    if (code.matches("[A-Za-z0-9_]{1,16}")) {
      // ok: sql-injection
      st.executeQuery("SELECT * FROM items WHERE code = '" + code + "'");
    }
    if (code.matches("[A-Za-z0-9_' ]+")) {
      // ruleid: sql-injection
      st.executeQuery("SELECT * FROM items WHERE code = '" + code + "'");
    }
  }

  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String note = request.getParameter("note");
    PrintWriter out = response.getWriter();
    // ruleid: xss
    out.println("<p>" + note + "</p>");
    response.setContentType("text/plain; charset=UTF-8");
    // ok: xss
    out.println(note);
    response.setContentType("text/html");
    // ruleid: xss
    out.println(note);
  }

  protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("Content-Type", "application/json");
    // ok: xss
    response.getWriter().write("{\"echo\":\"" + request.getParameter("q") + "\"}");
  }

  protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException, SQLException {
    Statement st = conn.createStatement();
    String id = request.getParameter("id");
    if (!id.matches("\\d{1,9}")) {
      throw new IllegalArgumentException("bad id");
    }
    // ok: sql-injection
    st.executeQuery("SELECT * FROM orders WHERE id = " + id);
    String tag = request.getParameter("tag");
    try {
      if (!tag.equals("new")) {
        throw new IllegalStateException("handled below");
      }
    } catch (IllegalStateException e) {
      response.sendError(400);
    }
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM orders WHERE tag = '" + tag + "'");
    if (tag.isEmpty()) {
      System.exit(1);
    }
    String mode = request.getParameter("mode");
    if (!"fast".equals(mode)) {
      System.exit(2);
    }
    // ok: sql-injection
    st.executeQuery("SELECT * FROM orders WHERE mode = '" + mode + "'");
  }

  protected void doOptions(HttpServletRequest request, HttpServletResponse response) throws IOException, SQLException {
    Statement st = conn.createStatement();
    String param = request.getParameter("q");
    String picked;
    char which = "xyz".charAt(1);
    switch (which) {
      case 'x':
        picked = "fixed";
        break;
      case 'y':
      case 'w':
        picked = param;
        break;
      default:
        picked = "other";
        break;
    }
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE q = '" + picked + "'");
    String other;
    switch (which) {
      case 'w':
      case 'x':
        other = param;
        break;
      default:
        other = "safe";
    }
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE q = '" + other + "'");
  }

  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    List<String> names = Arrays.asList(request.getParameterValues("name"));
    PrintWriter out = response.getWriter();
    // ruleid: xss
    names.forEach(n -> out.println("<li>" + n + "</li>"));
    names.stream().filter(n -> !n.isEmpty()).forEach(n -> {
      // ruleid: xss
      out.println(n);
    });
    List<String> fixed = Arrays.asList("a", "b");
    // ok: xss
    fixed.forEach(n -> out.println(n));
  }
}
