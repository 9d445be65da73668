package samples;

import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.naming.directory.DirContext;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.xpath.XPath;
import org.owasp.encoder.Encode;

public class ServletSamples extends HttpServlet {
  private Connection connection;

  private static String passthrough(String value) {
    return value;
  }

  private static String constant(String value) {
    return "fixed";
  }

  private void runQuery(String sql) throws Exception {
    Statement st = connection.createStatement();
    // ruleid: sql-injection
    st.executeQuery(sql);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String param = request.getParameter("id");
    try {
      Statement statement = connection.createStatement();
      // ruleid: sql-injection
      statement.executeQuery("SELECT * FROM users WHERE id = '" + param + "'");
      // ok: sql-injection
      statement.executeQuery("SELECT * FROM users WHERE id = '" + constant(param) + "'");
      // ruleid: sql-injection
      statement.execute("SELECT * FROM users WHERE id = '" + passthrough(param) + "'");
      PreparedStatement ps = connection.prepareStatement("SELECT * FROM users WHERE id = ?");
      ps.setString(1, param);
      // ok: sql-injection
      ps.executeQuery();
      // The HTML encoder is the wrong sanitizer for SQL.
      // ruleid: sql-injection
      statement.executeQuery("SELECT * FROM users WHERE id = '" + Encode.forHtml(param) + "'");
      runQuery("SELECT * FROM t WHERE c = '" + param + "'");

      String bar;
      int num = 106;
      bar = (7 * 18) + num > 200 ? "This_should_always_happen" : param;
      // ok: sql-injection
      statement.executeQuery("SELECT * FROM users WHERE id = '" + bar + "'");
      String bar2 = (7 * 18) + num > 200 ? param : "never";
      // ruleid: sql-injection
      statement.executeQuery("SELECT * FROM users WHERE id = '" + bar2 + "'");

      Map<String, Object> map = new HashMap<String, Object>();
      map.put("keyA", "a_Value");
      map.put("keyB", param);
      String safe = (String) map.get("keyA");
      // ok: sql-injection
      statement.executeUpdate("DELETE FROM t WHERE c = '" + safe + "'");
      String unsafe = (String) map.get("keyB");
      // ruleid: sql-injection
      statement.executeUpdate("DELETE FROM t WHERE c = '" + unsafe + "'");

      List<String> values = new ArrayList<String>();
      values.add("safe");
      values.add(param);
      values.add("moresafe");
      values.remove(0);
      // ruleid: sql-injection
      statement.executeUpdate("DELETE FROM t WHERE c = '" + values.get(0) + "'");
      // ok: sql-injection
      statement.executeUpdate("DELETE FROM t WHERE c = '" + values.get(1) + "'");

      StringBuilder sb = new StringBuilder();
      sb.append("SELECT * FROM t WHERE c = '").append(param).append("'");
      // ruleid: sql-injection
      statement.executeQuery(sb.toString());

      char guess = "ABC".charAt(1);
      String chosen;
      switch (guess) {
        case 'A':
          chosen = param;
          break;
        case 'B':
          chosen = "bob";
          break;
        default:
          chosen = param;
          break;
      }
      // ok: sql-injection
      statement.executeQuery("SELECT * FROM t WHERE c = '" + chosen + "'");
    } catch (Exception e) {
      throw new IOException(e);
    }

    String cmd = request.getHeader("X-Cmd");
    // ruleid: command-injection
    Runtime.getRuntime().exec("sh -c " + cmd);
    // ok: command-injection
    Runtime.getRuntime().exec("uptime");
    ProcessBuilder pb = new ProcessBuilder();
    // ruleid: command-injection
    pb.command("sh", "-c", cmd);
    // An argument vector for a fixed program: no shell parses it.
    // ok: command-injection
    new ProcessBuilder("ping", "-c", "1", cmd).start();
    List<String> argv = new ArrayList<>();
    argv.add(request.getParameter("tool"));
    argv.add(cmd);
    // ruleid: command-injection
    new ProcessBuilder(argv).start();

    String file = request.getParameter("file");
    // ruleid: path-traversal
    File f = new File("/srv/files/" + file);
    // ok: path-traversal
    File g = new File("/srv/files/index.html");

    // ruleid: xss
    response.getWriter().println("<p>" + param + "</p>");
    // ok: xss
    response.getWriter().println("<p>" + Encode.forHtml(param) + "</p>");
    // ok: xss
    response.getWriter().println("<p>" + Integer.parseInt(param) + "</p>");
    // ok: xss
    response.getWriter().println("<p>" + param.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>");
    // ruleid: xss
    response.getWriter().println("<p>" + param.replace("\"", "&quot;") + "</p>");

    // ruleid: open-redirect
    response.sendRedirect(request.getParameter("next"));
    // ok: open-redirect
    response.sendRedirect("/home");
    // ok: open-redirect
    response.sendRedirect("/account?tab=" + request.getParameter("tab"));
    // ruleid: open-redirect
    response.sendRedirect("//" + request.getParameter("host") + "/account");

    // ruleid: trust-boundary-violation
    request.getSession().setAttribute("user", param);
    // ok: trust-boundary-violation
    request.getSession().setAttribute("user", "anonymous");
  }

  void directory(HttpServletRequest request, DirContext ctx, XPath xp, org.w3c.dom.Document doc)
      throws Exception {
    String user = request.getParameter("user");
    // ruleid: ldap-injection
    ctx.search("ou=people,dc=example,dc=com", "(uid=" + user + ")", null);
    // ok: ldap-injection
    ctx.search("ou=people,dc=example,dc=com", "(uid=admin)", null);
    // ruleid: xpath-injection
    xp.evaluate("//user[@name='" + user + "']", doc);
    // ok: xpath-injection
    xp.evaluate("//user[@name='admin']", doc);
  }

  void clients(HttpServletRequest request) throws Exception {
    String target = request.getParameter("target");
    // ruleid: ssrf
    org.jsoup.Jsoup.connect(target).get();
    // ruleid: ssrf
    okhttp3.Request r = new okhttp3.Request.Builder().url(target).build();
    // ok: ssrf
    okhttp3.Request fixed = new okhttp3.Request.Builder().url("https://api.example.com/status").build();
  }

  void lookups(HttpServletRequest request) throws Exception {
    String name = request.getParameter("name");
    javax.naming.InitialContext ctx = new javax.naming.InitialContext();
    // A request-chosen JNDI name (ldap://attacker/x) loads remote code.
    // ruleid: code-injection
    ctx.lookup(name);
    // ok: code-injection
    ctx.lookup("java:comp/env/jdbc/app");
    javax.el.ExpressionFactory factory = javax.el.ExpressionFactory.newInstance();
    // ruleid: code-injection
    factory.createValueExpression(null, "${" + name + "}", Object.class);
  }

  void parse(HttpServletRequest request, javax.xml.parsers.DocumentBuilder builder) throws Exception {
    // ruleid: xxe
    builder.parse(request.getInputStream());
    // ruleid: unsafe-deserialization
    java.io.ObjectInputStream in = new java.io.ObjectInputStream(request.getInputStream());
    // ok: unsafe-deserialization
    java.io.ObjectInputStream local = new java.io.ObjectInputStream(new java.io.FileInputStream("cache.bin"));
    String body = new String(request.getInputStream().readAllBytes(), "UTF-8");
    // fastjson with autoType: the JSON names the class to instantiate.
    // ruleid: unsafe-deserialization
    Object any = com.alibaba.fastjson.JSON.parseObject(body);
    // ruleid: unsafe-deserialization
    Object copy = org.apache.commons.lang3.SerializationUtils.deserialize(request.getInputStream());
    // SnakeYAML before 2.0 builds any class a YAML tag names.
    // ruleid: unsafe-deserialization
    Object typed = new org.yaml.snakeyaml.Yaml().loadAs(body, Object.class);
    // ok: xxe
    builder.parse(new File("config.xml"));
  }

  void parseHardened(HttpServletRequest request) throws Exception {
    javax.xml.parsers.DocumentBuilderFactory dbf = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    javax.xml.parsers.DocumentBuilder builder = dbf.newDocumentBuilder();
    // ok: xxe
    builder.parse(request.getInputStream());
    // Switched back on: parses after this are exposed again.
    dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    javax.xml.parsers.DocumentBuilder loose = dbf.newDocumentBuilder();
    // ruleid: xxe
    loose.parse(request.getInputStream());
  }

  void streamHardened(HttpServletRequest request) throws Exception {
    javax.xml.stream.XMLInputFactory xif = javax.xml.stream.XMLInputFactory.newFactory();
    xif.setProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD, false);
    // ok: xxe
    xif.createXMLStreamReader(request.getInputStream());
  }

  void spring(@org.springframework.web.bind.annotation.RequestParam String q, javax.script.ScriptEngine engine,
      java.util.logging.Logger logger) throws Exception {
    // ruleid: code-injection
    engine.eval(q);
    // ok: code-injection
    engine.eval("1 + 1");
    // ruleid: log-injection
    logger.info("query " + q);
    // ok: log-injection
    logger.info("query " + q.replace("\n", "_"));
    // ruleid: ssrf
    new java.net.URL(q).openStream();
    // ok: ssrf
    new java.net.URL("https://api.example.com/").openStream();
    String base = "https://api.example.com/v1/items?id=";
    // ok: ssrf
    new java.net.URL(base + q + "&lang=" + q).openStream();
    // ruleid: ssrf
    new java.net.URL("https://" + q + "/v1/items").openStream();
    // ruleid: unsafe-reflection
    Class.forName(q).getDeclaredConstructor().newInstance();
    // ok: unsafe-reflection
    Class.forName("org.postgresql.Driver");
    // ruleid: log-injection
    org.slf4j.LoggerFactory.getLogger(ServletSamples.class).info("query " + q);
    // ok: log-injection
    org.slf4j.LoggerFactory.getLogger(ServletSamples.class).info("query received");
  }

  org.springframework.web.servlet.view.RedirectView next(@org.springframework.web.bind.annotation.RequestParam String to) {
    if (to.isEmpty()) {
      // ok: open-redirect
      return new org.springframework.web.servlet.view.RedirectView("/home");
    }
    // ruleid: open-redirect
    return new org.springframework.web.servlet.view.RedirectView(to);
  }
}
