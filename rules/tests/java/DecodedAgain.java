package samples.decoding;

import java.net.URLDecoder;
import java.net.URLEncoder;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.commons.text.StringEscapeUtils;

// Decoding undoes the encoding: the value is as unsafe as before.
public class DecodedAgain {
  public void handle(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String name = request.getParameter("name");
    String escaped = StringEscapeUtils.escapeHtml4(name);
    // ok: xss
    response.getWriter().println(escaped);
    // ruleid: xss
    response.getWriter().println(StringEscapeUtils.unescapeHtml4(escaped));

    String encoded = URLEncoder.encode(name, "UTF-8");
    // ok: open-redirect
    response.sendRedirect("/search?q=" + encoded);
    // ruleid: open-redirect
    response.sendRedirect(URLDecoder.decode(encoded, "UTF-8"));
    // A constant decoded is still that constant.
    // ok: open-redirect
    response.sendRedirect(URLDecoder.decode("%2Fhome", "UTF-8"));
  }
}
