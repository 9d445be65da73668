package samples.uploads;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.multipart.MultipartFile;

// Uploaded file names are the client's: only their last name component is
// safe to place under an upload directory.
@RestController
public class Uploads {
  @PostMapping("/upload")
  public String upload(@RequestParam("file") MultipartFile file) throws Exception {
    String name = file.getOriginalFilename();
    // ruleid: path-traversal
    file.transferTo(new java.io.File("/srv/uploads/" + name));
    // ok: path-traversal
    Path target = Paths.get("/srv/uploads").resolve(Paths.get(name).getFileName());
    file.transferTo(target);
    // ok: path-traversal
    Path other = Paths.get("/srv/uploads").resolve(java.nio.file.Path.of(name).getFileName());
    file.transferTo(other);
    // ruleid: path-traversal
    Path direct = Paths.get("/srv/uploads", name);
    file.transferTo(direct);
    return "ok";
  }
}
