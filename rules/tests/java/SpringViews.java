package samples.spring;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.servlet.ModelAndView;

// Spring MVC handlers: a String result is a view name ("redirect:" + url is
// a redirect) in a @Controller and the response body under @ResponseBody.
@Controller
public class SpringViews {
  @GetMapping("/login/done")
  public String done(@RequestParam String next) {
    // ruleid: open-redirect
    return "redirect:" + next;
  }

  @GetMapping("/login/home")
  public String home(@RequestParam String next) {
    // ok: open-redirect
    return "redirect:/home";
  }

  @GetMapping("/view")
  public ModelAndView view(@RequestParam String url) {
    // ruleid: open-redirect
    return new ModelAndView("redirect:" + url);
  }

  @GetMapping("/page")
  public ModelAndView page(@RequestParam String name) {
    // ok: open-redirect
    return new ModelAndView("page", "name", name);
  }

  @GetMapping("/greet")
  @ResponseBody
  public String greet(@RequestParam String name) {
    // ruleid: xss
    return "<h1>Hello " + name + "</h1>";
  }

  @GetMapping("/count")
  @ResponseBody
  public int count(@RequestParam String name) {
    // ok: xss
    return name.length();
  }
}

@RestController
class SpringApi {
  @GetMapping("/api/echo")
  public String echo(@RequestParam String text) {
    // In a @RestController "redirect:" is body text, not a view.
    // ok: open-redirect
    // ruleid: xss
    return "redirect:" + text;
  }

  @GetMapping("/api/label")
  public String label(@RequestParam String text) {
    // ruleid: xss
    return decorate(text);
  }

  // A request value bound to an int or a UUID parsed first: no markup in it.
  @GetMapping("/api/count")
  @ResponseBody
  public String count(@RequestParam int n, @RequestParam java.util.UUID id, @RequestParam String label) {
    String a = "<b>" + n + " " + id + "</b>";
    if (n > 0) {
      // ok: xss
      return a;
    }
    // ruleid: xss
    return "<b>" + label + "</b>";
  }

  // A helper method answers nobody: only what the handler returns is the body.
  private String decorate(String text) {
    // ok: xss
    return "<b>" + text + "</b>";
  }
}
