#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

static std::string Quote(const std::string &s) { return "'" + s + "'"; }
static std::string Fixed(const std::string &) { return "uptime"; }

int main(int argc, char **argv) {
  std::string line;
  std::getline(std::cin, line);
  std::string cmd = "grep " + Quote(line) + " /var/log/app.log";
  // ruleid: command-injection
  std::system(cmd.c_str());
  // ok: command-injection
  std::system(Fixed(line).c_str());
  int n = std::stoi(line);
  std::string numeric = "head -n " + std::to_string(n) + " /var/log/app.log";
  // ok: command-injection
  std::system(numeric.c_str());

  std::ostringstream os;
  os << "cat " << argv[1];
  // ruleid: command-injection
  std::system(os.str().c_str());

  std::map<std::string, std::string> opts;
  opts["mode"] = "fast";
  opts["file"] = argv[1];
  // ok: path-traversal
  std::ifstream a(opts["mode"]);
  // ruleid: path-traversal
  std::ifstream b(opts["file"]);
  std::ofstream out;
  // ruleid: path-traversal
  out.open(opts["file"]);
  // ok: path-traversal
  out.open("/var/log/app.log");

  std::vector<std::string> parts;
  parts.push_back("ls");
  parts.push_back(argv[2]);
  // ok: command-injection
  std::system(parts.at(0).c_str());
  // ruleid: command-injection
  std::system(parts.at(1).c_str());

  std::string word;
  std::cin >> word;
  // ruleid: path-traversal
  std::ofstream out("/tmp/" + word);
  int count = 0;
  std::cin >> count;
  std::string shifted = std::to_string(count << 2);
  // ok: command-injection
  std::system(("echo " + std::string("fixed")).c_str());
  return 0;
}

// Calls through a base-class reference or pointer reach the constructed
// class's override.
namespace dispatch {
class Action {
 public:
  virtual ~Action() = default;
  virtual void Run(const char *arg) const = 0;
};
class ShellAction : public Action {
 public:
  void Run(const char *arg) const override {
    // ruleid: command-injection
    std::system(arg);
  }
};
class EchoAction : public Action {
 public:
  void Run(const char *arg) const override {
    // ok: format-string
    std::printf("%s\n", arg);
  }
};
void by_reference() {
  const Action &a = ShellAction();
  a.Run(std::getenv("TASK"));
}
void by_pointer() {
  Action *e = new EchoAction;
  e->Run(std::getenv("TASK"));
  delete e;
}
}  // namespace dispatch

// A constructor stores its argument; a later method uses it.
namespace members {
class Job {
 public:
  explicit Job(const char *command) : unused_(0) { command_ = command; }
  void Run() const {
    // ruleid: command-injection
    std::system(command_);
  }
  void RunDefault() const {
    // ok: command-injection
    std::system(kDefault);
  }

 private:
  static constexpr const char *kDefault = "true";
  const char *command_;
  int unused_;
};
void schedule() {
  Job job(std::getenv("JOB"));
  job.Run();
  job.RunDefault();
}
}  // namespace members
