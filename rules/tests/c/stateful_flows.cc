// Flows through members, allowlist checks and callbacks.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

class Deployer {
 public:
  void Configure() { target_ = std::getenv("DEPLOY_TARGET"); }
  void Deploy() {
    // ruleid: command-injection
    std::system(("rsync -a build/ " + target_).c_str());
    // ruleid: command-injection
    std::system(("rsync -a build/ " + this->target_).c_str());
    // ok: command-injection
    std::system(("rsync -a build/ " + mirror_).c_str());
  }

 private:
  std::string target_;
  std::string mirror_ = "backup:/srv";
};

void Cleanup(std::vector<std::string>& dirs) {
  dirs.push_back(std::getenv("EXTRA_DIR"));
  std::for_each(dirs.begin(), dirs.end(), [](const std::string& d) {
    // ruleid: command-injection
    std::system(("rm -rf " + d).c_str());
  });
}

void Mode() {
  std::string mode = std::getenv("MODE");
  if (mode == "fast" || mode == "safe") {
    // ok: command-injection
    std::system(("runner --" + mode).c_str());
  } else {
    // ruleid: command-injection
    std::system(("runner --" + mode).c_str());
  }
}

void Level() {
  std::string level = std::getenv("LEVEL");
  if (level != "1" && level != "2") {
    std::exit(2);
  }
  // ok: command-injection
  std::system(("runner --level " + level).c_str());
  std::string zone = std::getenv("ZONE");
  if (zone != "a") {
    throw std::runtime_error("bad zone");
  }
  // ok: command-injection
  std::system(("runner --zone " + zone).c_str());
}

void Pick(int which) {
  const char* arg = "--none";
  switch (2) {
    case 1:
    case 2:
      arg = std::getenv("ARG");
      break;
    default:
      break;
  }
  // ruleid: command-injection
  std::system(arg);
  const char* other = "--none";
  switch (3) {
    case 1:
    case 2:
      other = std::getenv("ARG");
      break;
  }
  // ok: command-injection
  std::system(other);
  (void)which;
}
