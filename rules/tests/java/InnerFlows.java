package samples;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class InnerFlows extends HttpServlet {

  @Override
  public void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String param = "";
    java.util.Enumeration<String> names = request.getParameterNames();
    while (names.hasMoreElements()) {
      String name = names.nextElement();
      String[] values = request.getParameterValues(name);
      if (values != null && values.length > 0 && values[0].equals("flag")) {
        param = name;
        break;
      }
    }
    String bar = new Processor().process(param);
    String quiet = new Processor().ignore(param);
    String cmd = "echo ";
    // ruleid: command-injection
    Runtime.getRuntime().exec(new String[] {"sh", "-c", cmd + bar});
    // ok: command-injection
    Runtime.getRuntime().exec(new String[] {"sh", "-c", cmd + quiet});

    java.util.Map<String, String> headers = new java.util.HashMap<>();
    java.util.Enumeration<String> hn = request.getHeaderNames();
    while (hn.hasMoreElements()) {
      String h = hn.nextElement();
      headers.put(h, request.getHeader(h));
    }
    // ruleid: xpath-injection
    javax.xml.xpath.XPathFactory.newInstance().newXPath().compile("//u[@n='" + headers.get("x-user") + "']");

    String encoded = java.net.URLEncoder.encode(param, "UTF-8");
    // ok: open-redirect
    response.sendRedirect("/search?q=" + encoded);
  }

  private class Processor {
    String process(String in) {
      String out = "";
      if (in != null) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        parts.add("safe");
        parts.add(in);
        out = parts.get(1);
      }
      return out;
    }

    String ignore(String in) {
      java.util.List<String> parts = new java.util.ArrayList<>();
      parts.add("safe");
      parts.add(in);
      return parts.get(0);
    }
  }
}
