#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "holder.h"

#define SHELL_PATH "/bin/sh"
#define SHELL_ARG "-c"
#define COMMAND_TEXT data

CommandHolder::CommandHolder(char *buffer) {
  data = buffer;
  std::size_t len = std::strlen(data);
  if (100 - len > 1) {
    if (std::fgets(data + len, static_cast<int>(100 - len), stdin) == nullptr) data[len] = '\0';
  }
}

CommandHolder::~CommandHolder() {
  // ruleid: command-injection
  execl(SHELL_PATH, SHELL_PATH, SHELL_ARG, COMMAND_TEXT, nullptr);
}

FixedHolder::FixedHolder(char *buffer) {
  data = buffer;
  std::strcat(data, "*.*");
}

FixedHolder::~FixedHolder() {
  // ok: command-injection
  execl(SHELL_PATH, SHELL_PATH, SHELL_ARG, COMMAND_TEXT, nullptr);
}

void RunBoth() {
  char one[100] = "ls ";
  CommandHolder read_one(one);
  char two[100] = "ls ";
  FixedHolder fixed_one(two);
}
