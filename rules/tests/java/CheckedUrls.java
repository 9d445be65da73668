package samples.urls;

import java.io.File;
import java.net.URL;
import javax.servlet.http.*;

// Checks that pin a URL's host, keep a redirect on the site, or keep only
// a file's last name.
public class CheckedUrls extends HttpServlet {
  public void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String u = request.getParameter("u");
    // ok: ssrf
    if (!new URL(u).getHost().equals("api.example.com")) {
      response.sendError(400);
      return;
    }
    // ok: ssrf
    new URL(u).openConnection();

    String v = request.getParameter("v");
    // ruleid: ssrf
    new URL(v).openConnection();
    // ruleid: ssrf
    java.net.URI.create(v).toURL().openStream();

    // A host check on the URL object: opening it is the request.
    // ok: ssrf
    URL w = new URL(request.getParameter("w"));
    if (!"api.example.com".equals(w.getHost())) {
      response.sendError(400);
      return;
    }
    // ok: ssrf
    w.openStream().close();
    URL x = new URL(request.getParameter("x"));
    // ruleid: ssrf
    x.openStream().close();

    String next = request.getParameter("next");
    if (next.startsWith("/") && !next.startsWith("//")) {
      // ok: open-redirect
      response.sendRedirect(next);
    }
    if (next.startsWith("/")) {
      // ruleid: open-redirect
      response.sendRedirect(next);
    }
    if (next.startsWith("https://accounts.example.com/")) {
      // ok: open-redirect
      response.sendRedirect(next);
    }
    if (next.startsWith("https://accounts.example.com")) {
      // ruleid: open-redirect
      response.sendRedirect(next);
    }

    String f = request.getParameter("f");
    // ok: path-traversal
    File kept = new File("/srv/files", new File(f).getName());
    // ok: path-traversal
    File named = new File("/srv/files", org.apache.commons.io.FilenameUtils.getName(f));
    // ruleid: path-traversal
    File raw = new File("/srv/files", f);
  }
}
