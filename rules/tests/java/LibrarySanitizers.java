package samples.sanitizers;

import java.io.PrintWriter;
import java.sql.Statement;
import javax.naming.directory.DirContext;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.owasp.esapi.ESAPI;

// Encoders, sanitizer policies and validators of common libraries: each
// clears the kinds it is made for, and only those.
public class LibrarySanitizers {
  private Statement st;
  private DirContext ctx;

  public void handle(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String in = request.getParameter("in");
    PrintWriter out = response.getWriter();
    // ok: xss
    out.print(org.jsoup.Jsoup.clean(in, org.jsoup.safety.Safelist.basic()));
    // ok: xss
    out.print(org.apache.commons.text.StringEscapeUtils.escapeXml11(in));
    // ok: xss
    out.print(ESAPI.encoder().encodeForXML(in));
    // ok: xss
    out.print(new org.owasp.html.HtmlPolicyBuilder().allowElements("b").toFactory().sanitize(in));
    // Markup cleaned for HTML is still anything in SQL.
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a = '" + org.jsoup.Jsoup.clean(in, org.jsoup.safety.Safelist.none()) + "'");

    // ok: ldap-injection
    ctx.search("ou=people", "(uid=" + org.springframework.ldap.support.LdapEncoder.filterEncode(in) + ")", null);
    // ruleid: ldap-injection
    ctx.search("ou=people", "(uid=" + ESAPI.encoder().encodeForHTML(in) + ")", null);

    javax.xml.xpath.XPath xp = javax.xml.xpath.XPathFactory.newInstance().newXPath();
    String user = org.apache.commons.lang.StringEscapeUtils.escapeXml(in);
    // ok: xpath-injection
    xp.evaluate("//users/user[name/text()='" + user + "']/secret/text()", (Object) null);
    // Cleaned markup keeps its quotes.
    // ruleid: xpath-injection
    xp.evaluate("//users/user[name/text()='" + org.jsoup.Jsoup.clean(in, org.jsoup.safety.Safelist.none()) + "']",
                (Object) null);

    String safe = ESAPI.validator().getValidInput("search", in, "SafeString", 64, false);
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a = '" + safe + "'");
    // ok: xss
    out.print(safe);
    // A checked URL is still a URL of the caller's choosing.
    String next = ESAPI.validator().getValidInput("next", in, "URL", 256, false);
    // ruleid: open-redirect
    response.sendRedirect(next);

    String name = ESAPI.validator().getValidFileName("upload", in, java.util.Arrays.asList("txt"), false);
    // ok: path-traversal
    new java.io.File("/srv/uploads", name).delete();
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM files WHERE name = '" + name + "'");
  }
}
