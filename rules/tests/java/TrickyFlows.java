package samples.tricky;

import java.io.*;
import java.net.URLDecoder;
import java.sql.*;
import java.util.*;
import javax.servlet.http.*;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.commons.lang3.StringUtils;
import org.springframework.jdbc.core.JdbcTemplate;

public class TrickyFlows extends HttpServlet {
  private Connection conn;
  private JdbcTemplate jdbcTemplate;

  public void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String param = "";
    Enumeration<String> headers = request.getHeaders("X-Value");
    if (headers != null && headers.hasMoreElements()) {
      param = headers.nextElement();
    }
    param = URLDecoder.decode(param, "UTF-8");
    Statement st = conn.createStatement();
    // ruleid: sql-injection
    st.execute("SELECT * FROM t WHERE a='" + param + "'");

    String[] parts = param.split(" ");
    String first = parts[0];
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + first + "'");

    String s2 = new String(param.getBytes(), "UTF-8");
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + s2 + "'");

    String fmt = String.format("SELECT * FROM t WHERE a='%s'", param);
    // ruleid: sql-injection
    st.executeQuery(fmt);

    String rep = param.replace("'", "''").substring(0, 3).trim().toLowerCase();
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + rep + "'");

    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + StringEscapeUtils.escapeSql(param) + "'");
    // An SQL escape does not make HTML safe.
    // ruleid: xss
    response.getWriter().print(StringEscapeUtils.escapeSql(param));

    String overwritten = param;
    overwritten = "constant";
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + overwritten + "'");

    // PreparedStatement with bound parameters
    PreparedStatement ps = conn.prepareStatement("SELECT * FROM t WHERE a=?");
    ps.setString(1, param);
    // ok: sql-injection
    ps.execute();

    // ok: sql-injection
    jdbcTemplate.query("SELECT * FROM t WHERE a=?", new Object[] {param}, (rs, i) -> rs.getString(1));
    // ruleid: sql-injection
    jdbcTemplate.queryForList("SELECT * FROM t WHERE a='" + param + "'");

    CallableStatement cs = conn.prepareCall("{call proc(?)}");
    cs.setString(1, param);
    // ok: sql-injection
    cs.execute();

    String helped = new Helper().doSomething(param);
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + helped + "'");
    String fixed = new Helper().constantOut(param);
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + fixed + "'");

    byte[] decoded = Base64.getDecoder().decode(param);
    String fromBytes = new String(decoded);
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + fromBytes + "'");

    String bar = "safe!";
    int x = 86;
    if ((7 * 42) - x > 200) bar = "This_should_always_happen";
    else bar = param;
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + bar + "'");

    String tern = (500 / 42) + 196 > 200 ? param : "No such";
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + tern + "'");

    java.util.List<String> list = new java.util.ArrayList<String>();
    list.add("safe");
    list.add(param);
    list.add("moresafe");
    list.remove(0);
    String l0 = list.get(1);
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + l0 + "'");

    StringBuilder sb = new StringBuilder(param);
    sb.append(" suffix");
    // ruleid: command-injection
    Runtime.getRuntime().exec(sb.toString());

    String[] argsArr = {"sh", "-c", param};
    // ruleid: command-injection
    Runtime.getRuntime().exec(argsArr);
    // ruleid: command-injection
    ProcessBuilder pb = new ProcessBuilder(argsArr);
    pb.start();

    List<String> all = new ArrayList<>();
    all.addAll(Arrays.asList("echo", param));
    // ruleid: command-injection
    Runtime.getRuntime().exec(String.join(" ", all));
    List<String> fixedArgs = new ArrayList<>();
    fixedArgs.addAll(Arrays.asList("echo", "hello"));
    // ok: command-injection
    Runtime.getRuntime().exec(String.join(" ", fixedArgs));

    org.jooq.DSLContext jooq = org.jooq.impl.DSL.using(conn);
    // ruleid: sql-injection
    jooq.fetch("SELECT * FROM t WHERE a = '" + param + "'");
    // ok: sql-injection
    jooq.fetch("SELECT * FROM t WHERE a = ?", param);
    // An array's length is a number.
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t LIMIT " + param.split(",").length);

    String esc = StringEscapeUtils.escapeHtml(param);
    // ok: xss
    response.getWriter().print(esc);
    // ruleid: xss
    response.getWriter().format("<p>%s</p>", param);
    // ruleid: xss
    response.getWriter().write(param.toCharArray());
    Object[] objs = {"a", param};
    // ruleid: xss
    response.getWriter().printf(java.util.Locale.US, "%s %s", objs);
    // ok: xss
    response.getWriter().write("hello".toCharArray());

    int n = Integer.parseInt(param);
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a=" + n);

    String cval = "";
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        if (c.getName().equals("k")) cval = URLDecoder.decode(c.getValue(), "UTF-8");
      }
    }
    // ruleid: path-traversal
    FileInputStream fis = new FileInputStream(new File("/tmp/" + cval));
    // ruleid: path-traversal
    java.nio.file.Path p = java.nio.file.Paths.get("/tmp", cval);

    Map<String, String[]> pm = request.getParameterMap();
    String[] vals = pm.get("v");
    String v0 = vals != null ? vals[0] : "";
    // ruleid: trust-boundary-violation
    request.getSession().putValue("k", v0);

    String q = request.getQueryString();
    int idx = q.indexOf("v=");
    String qv = q.substring(idx + 2);
    // ruleid: ldap-injection
    new javax.naming.directory.InitialDirContext().search("ou=x", "(uid=" + qv + ")", new javax.naming.directory.SearchControls());

    Map<String, Object> m2 = new HashMap<>();
    m2.put("a", param);
    m2.put("b", "ok");
    String mb = (String) m2.get("b");
    // ok: command-injection
    Runtime.getRuntime().exec(mb);

    String sw = param;
    String guess = "ABC";
    char switchTarget = guess.charAt(2);
    switch (switchTarget) {
      case 'A': sw = param; break;
      case 'C': sw = "bob"; break;
      default: sw = param; break;
    }
    // ok: command-injection
    Runtime.getRuntime().exec(sw);

    String body = new BufferedReader(new InputStreamReader(request.getInputStream())).readLine();
    // ruleid: xss
    response.getWriter().println(body);

    String count = request.getParameter("count");
    if (!StringUtils.isNumeric(count)) {
      return;
    }
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t LIMIT " + count);
    String label = request.getParameter("label");
    if (StringUtils.isNumeric(count)) {
      // ruleid: sql-injection
      st.executeQuery("SELECT * FROM t WHERE l='" + label + "'");
    }
  }
}

class LoopCounters extends HttpServlet {
  // A for loop's counter changes every iteration: `i > 0` is not dead code.
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String p = req.getParameter("cmd");
    for (int i = 0; i < 3; i++) {
      if (i > 0) {
        // ruleid: command-injection
        Runtime.getRuntime().exec(p);
      }
    }
    for (int i = 0, j = 10; i < j; i++, j--) {
      if (j < 10) {
        // ruleid: command-injection
        Runtime.getRuntime().exec(new String[] {"sh", "-c", p});
      }
    }
  }
}

class Helper {
  public String doSomething(String v) {
    StringBuilder b = new StringBuilder();
    b.append(v);
    return b.toString();
  }
  public String constantOut(String v) {
    String r = v;
    r = "fixed";
    return r;
  }
}
