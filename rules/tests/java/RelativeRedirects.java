package samples.relative;

import java.net.URI;
import java.net.URISyntaxException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// A redirect target parsed as a URI with no host stays on this site.
public class RelativeRedirects {
  public void next(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String target = request.getParameter("next");
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      response.sendError(400);
      return;
    }
    if (uri.getHost() == null) {
      // ok: open-redirect
      response.sendRedirect(target);
    } else {
      // ruleid: open-redirect
      response.sendRedirect(target);
    }
  }

  public void fetch(HttpServletRequest request) throws Exception {
    String target = request.getParameter("u");
    URI uri = new URI(target);
    if (uri.getHost() == null) {
      // No host is no safer to fetch: file:/etc/passwd has none.
      // ruleid: ssrf
      uri.toURL().openStream().close();
    }
  }
}
