// ES module exports: `export function`, `export const`, `export default`,
// `export { name }` and exported classes all face the package's callers.
import { exec, execSync } from "child_process";

export function fetchRepo(url: string): void {
  // ruleid: command-injection
  exec(`git fetch ${url}`);
}

export const prune = (remote: string) => {
  // ruleid: command-injection
  execSync("git remote prune " + remote);
};

function status(dir: string): string {
  // ruleid: command-injection
  return execSync("git -C " + dir + " status").toString();
}

function log(dir: string): string {
  // Not exported: no caller outside this file.
  // ok: command-injection
  return execSync("git -C " + dir + " log").toString();
}

export { status };

export default function blame(file: string): string {
  // ruleid: command-injection
  return execSync("git blame " + file).toString();
}

export class Runner {
  run(script: string): string {
    // ruleid: command-injection
    return execSync("sh -c '" + script + "'").toString();
  }
  exec(command: string): string {
    // ok: command-injection
    return execSync(command).toString();
  }
}

console.log(log("."));

function Injectable(): ClassDecorator {
  return () => {};
}

// A framework service: the project's own code calls it, not a package's
// users, so its parameters are judged by what its callers pass.
@Injectable()
export class ThumbnailService {
  render(name: string): string {
    // ok: command-injection
    return execSync("convert " + name + " thumb.png").toString();
  }
}

new ThumbnailService().render("logo.png");
