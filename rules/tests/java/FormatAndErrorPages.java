package samples;

import java.io.IOException;
import java.util.Formatter;
import java.util.Locale;
import java.text.SimpleDateFormat;
import java.util.Date;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.owasp.encoder.Encode;

// Format strings chosen by input (CWE-134) and error pages that echo input
// (CWE-81, reported as XSS).
public class FormatAndErrorPages extends HttpServlet {
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String data = request.getParameter("name");

    // ruleid: format-string
    System.out.printf(data);
    // ruleid: format-string
    System.out.format(data, 1);
    // ruleid: format-string
    String line = String.format("Hello " + data);
    // ruleid: format-string
    String other = data.formatted(line);
    Formatter formatter = new Formatter();
    // ruleid: format-string
    formatter.format(data);

    // The input is an argument of a literal format.
    // ok: format-string
    System.out.printf("%s%n", data);
    // ok: format-string
    String safe = String.format("Hello %s", data);
    // ok: format-string
    String fixed = "Hello %s".formatted(data);
    // A date format's argument is a date, not a pattern.
    SimpleDateFormat dates = new SimpleDateFormat("yyyy-MM-dd");
    // ok: format-string
    String day = dates.format(new Date(Long.parseLong(data)));
    // A constant chosen on a dead branch never reaches the format.
    String pattern = "%s";
    if (false) {
      pattern = data;
    }
    // ok: format-string
    System.out.printf(pattern, data);

    // ruleid: xss
    response.sendError(404, "<br>No user named " + data);
    // ok: xss
    response.sendError(404, "<br>No user named " + Encode.forHtml(data));
    // ok: xss
    response.sendError(400);

    Cookie[] cookies = request.getCookies();
    String lang = cookies != null ? cookies[0].getValue() : "en";
    // ruleid: xss
    response.sendError(400, "Unknown language " + lang);
  }
}
