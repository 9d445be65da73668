package samples.copies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// Collections built from other collections or from listed elements.
public class CollectionCopies {
  public void handle(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String name = request.getParameter("name");
    List<String> names = new ArrayList<>();
    names.add(name);
    List<String> copy = new ArrayList<>(names);
    // ruleid: xss
    response.getWriter().print(copy.get(0));
    int size = names.size();
    List<String> sized = new ArrayList<>(size);
    sized.add("fixed");
    // ok: xss
    response.getWriter().print(sized.get(0));

    Map<String, String> form = new HashMap<>();
    form.put("name", name);
    Map<String, String> snapshot = new HashMap<>(form);
    // ruleid: xss
    response.getWriter().print(snapshot.get("name"));

    List<String> listed = Arrays.asList("a", name, "c");
    // ruleid: xss
    response.getWriter().print(listed.get(1));
    // ok: xss
    response.getWriter().print(listed.get(2));
    List<String> fixed = List.of("x", "y");
    // ok: xss
    response.getWriter().print(fixed.get(0));
  }
}
