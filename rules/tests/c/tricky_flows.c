#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ALWAYS_ON 1
static const int kEnabled = 1;
static const int kDisabled = 0;
static int global_flag = 5;

static int returns_true(void) { return 1; }

static void sink_cmd(char *cmd) {
  /* ruleid: command-injection */
  system(cmd);
}

void from_env_appended(void) {
  char buffer[100] = "ls ";
  char *data = buffer;
  size_t len = strlen(data);
  char *env = getenv("ADD");
  if (env != NULL) {
    strncat(data + len, env, 100 - len - 1);
  }
  /* ruleid: command-injection */
  system(data);
}

void from_stdin_offset(void) {
  char buffer[100] = "ls ";
  char *data = buffer;
  size_t len = strlen(data);
  if (fgets(data + len, (int)(100 - len), stdin) == NULL) {
    data[len] = '\0';
  }
  /* ruleid: command-injection */
  popen(data, "r");
}

void from_socket(int sock) {
  char buffer[100] = "";
  char *data = buffer;
  size_t len = strlen(data);
  ssize_t got = recv(sock, (char *)(data + len), sizeof(char) * (100 - len - 1), 0);
  if (got > 0) data[len + (size_t)got] = '\0';
  /* ruleid: format-string */
  /* ok: non-literal-format (the taint finding proves it) */
  printf(data);
}

void dead_branch_const(void) {
  char buffer[100] = "ls ";
  char *data = buffer;
  if (kDisabled) {
    char *env = getenv("ADD");
    if (env) strcat(data, env);
  } else {
    strcat(data, "*.txt");
  }
  /* ok: command-injection */
  system(data);
}

void dead_branch_macro(void) {
  char buffer[100] = "ls ";
  char *data = buffer;
  if (ALWAYS_ON) {
    strcat(data, "*.txt");
  } else {
    char *env = getenv("ADD");
    if (env) strcat(data, env);
  }
  /* ok: command-injection */
  system(data);
}

void dead_branch_func(void) {
  char *data = "ls";
  if (!returns_true()) {
    data = getenv("ADD");
  }
  /* ok: command-injection */
  system(data);
}

void live_branch_const(void) {
  char buffer[100] = "ls ";
  char *data = buffer;
  if (kEnabled) {
    char *env = getenv("ADD");
    /* ruleid: banned-c-function */
    if (env) strcat(data, env);
  }
  /* ruleid: command-injection */
  system(data);
}

void through_helper(void) {
  char *data = getenv("ADD");
  sink_cmd(data);
  /* ok: command-injection */
  sink_cmd("ls");
}

void via_global_flag(void) {
  char *data = "ls";
  if (global_flag == 5) {
    data = getenv("ADD");
  }
  /* ruleid: command-injection */
  system(data);
}

void format_ok(void) {
  char buffer[100];
  if (fgets(buffer, 100, stdin) == NULL) return;
  /* ok: format-string */
  fprintf(stdout, "%s\n", buffer);
  /* ruleid: format-string */
  /* ok: non-literal-format (the taint finding proves it) */
  fprintf(stdout, buffer);
}

/* A variadic sink helper: the format comes from its caller. */
static void log_line(char *format, ...) {
  va_list args;
  va_start(args, format);
  /* ruleid: format-string */
  vprintf(format, args);
  va_end(args);
}

void variadic_caller(void) {
  char buffer[100] = "";
  if (fgets(buffer, 100, stdin) == NULL) return;
  log_line(buffer, buffer);
}

void appended_input(void) {
  char path[256] = "/srv/data/";
  char name[64];
  if (fgets(name, sizeof name, stdin) == NULL) return;
  /* Both sizes are known: 10 bytes of text plus at most 64 fit in 256. */
  /* ok: banned-c-function, stack-buffer-overflow */
  strcat(path, name);
  /* Appending a constant keeps what the buffer held. */
  strcat(path, ".txt");
  /* ruleid: path-traversal */
  fopen(path, "r");
}

void copied_constant(void) {
  char format[64];
  strcpy(format, "fixed: %d\n");
  /* ok: non-literal-format */
  printf(format, 1);
}

/* A for loop's counter changes every iteration: `i > 0` is not dead code. */
void retry_loop(void) {
  int i;
  const char *command = getenv("RETRY_COMMAND");
  for (i = 0; i < 3; i++) {
    if (i > 0 && command != NULL) {
      /* ruleid: command-injection */
      system(command);
    }
  }
}
