import javax.servlet.http.HttpServletRequest;

public class LoopBounds {
  public void repeat(HttpServletRequest request) throws InterruptedException {
    int count = Integer.parseInt(request.getParameter("count"));
    StringBuilder out = new StringBuilder();
    // ruleid: unchecked-loop-condition
    for (int i = 0; i < count; i++) {
      out.append("x");
    }
    if (count < 50) {
      // ok: unchecked-loop-condition
      for (int i = 0; i < count; i++) {
        out.append("y");
      }
    }
    int delay = Integer.parseInt(request.getParameter("delay"));
    // ruleid: uncontrolled-resource-consumption
    Thread.sleep(delay);
    // ok: uncontrolled-resource-consumption
    Thread.sleep(100);
  }
}
