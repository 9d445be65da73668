package samples.allow;

import java.util.*;
import javax.servlet.http.*;

// Membership in the program's own collections validates a value;
// membership in request data does not.
public class Allowlists extends HttpServlet {
  private static final Set<String> ALLOWED = Set.of("ls", "uptime");

  public void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String cmd = request.getParameter("cmd");
    if (!ALLOWED.contains(cmd)) {
      response.sendError(400);
      return;
    }
    // ok: command-injection
    Runtime.getRuntime().exec(cmd);
  }

  public void doPost(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String cmd = request.getParameter("cmd");
    List<String> given = Arrays.asList(request.getParameterValues("list"));
    if (given.contains(cmd)) {
      // ruleid: command-injection
      Runtime.getRuntime().exec(cmd);
    }
    if (ALLOWED.contains(cmd)) {
      // ok: command-injection
      Runtime.getRuntime().exec(cmd);
    }
    // ruleid: command-injection
    Runtime.getRuntime().exec(cmd);
  }

  // Checks the project writes itself prove what their body proves.
  private static boolean isPlain(String s) {
    return s.matches("[a-zA-Z0-9]+");
  }

  private static boolean allowed(String s) {
    return ALLOWED.contains(s);
  }

  public void doDelete(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String name = request.getParameter("name");
    if (!isPlain(name)) {
      response.sendError(400);
      return;
    }
    // ok: command-injection
    Runtime.getRuntime().exec("ls " + name);
    String cmd = request.getParameter("cmd");
    if (allowed(cmd)) {
      // ok: command-injection
      Runtime.getRuntime().exec(cmd);
    }
    // ruleid: command-injection
    Runtime.getRuntime().exec(cmd);
  }

  // Deleting every character outside letters, digits, '_' and '-' leaves
  // nothing to inject; keeping '.' and '/' leaves a path.
  public void doPut(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String name = request.getParameter("name").replaceAll("[^a-zA-Z0-9_-]", "");
    // ok: command-injection
    Runtime.getRuntime().exec("convert " + name);
    String file = request.getParameter("file").replaceAll("[^a-zA-Z0-9./]", "");
    // ruleid: path-traversal
    new java.io.FileInputStream(file);
  }
}
