/* Portability macros, wide-character APIs, out-parameters, pointer aliases
 * and calls through function pointers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#ifdef _WIN32
#define RUN_SHELL _wsystem
#define READ_ENV _wgetenv
#define SHELL_PREFIX L"cmd /c "
#else
#define RUN_SHELL system
#define READ_ENV getenv
#define SHELL_PREFIX "sh -c "
#endif
#define USER_ARG line

void run_configured(void) {
  char buf[128] = "ls ";
  char *extra = READ_ENV("LIST_DIR");
  if (extra != NULL) strncat(buf, extra, sizeof buf - strlen(buf) - 1);
  /* ruleid: command-injection */
  RUN_SHELL(buf);
}

void run_fixed(void) {
  char buf[128] = "ls ";
  strcat(buf, "-l");
  /* ok: command-injection */
  RUN_SHELL(buf);
}

void macro_names_a_variable(void) {
  char line[256];
  if (fgets(line, sizeof line, stdin) == NULL) return;
  /* ruleid: format-string */
  /* ok: non-literal-format (the taint finding proves it) */
  printf(USER_ARG);
}

void wide_input(void) {
  wchar_t cmd[128] = L"dir ";
  size_t used = wcslen(cmd);
  if (fgetws(cmd + used, (int)(128 - used), stdin) == NULL) return;
  /* ruleid: command-injection */
  _wsystem(cmd);
  /* ruleid: format-string */
  /* ok: non-literal-format (the taint finding proves it) */
  wprintf(cmd);
  /* ok: format-string */
  wprintf(L"%ls\n", cmd);
}

void wide_env(void) {
  wchar_t path[260] = L"C:\\data\\";
  wchar_t *name = _wgetenv(L"REPORT");
  if (name == NULL) return;
  wcsncat(path, name, 260 - wcslen(path) - 1);
  /* ruleid: path-traversal */
  FILE *f = _wfopen(path, L"r");
  if (f) fclose(f);
}

/* Writes the environment into the caller's buffer. */
static void read_setting(char *out, size_t n) {
  const char *v = getenv("SETTING");
  if (v == NULL) return;
  strncpy(out, v, n - 1);
  out[n - 1] = '\0';
}

/* Writes a constant: callers' buffers stay clean. */
static void default_setting(char *out, size_t n) { snprintf(out, n, "%s", "default"); }

/* Reads only: a const pointer cannot carry anything back. */
static size_t measure(const char *s) { return strlen(s); }

void out_parameters(void) {
  char setting[64] = "";
  read_setting(setting, sizeof setting);
  /* ruleid: command-injection */
  system(setting);

  char fallback[64] = "";
  default_setting(fallback, sizeof fallback);
  /* ok: command-injection */
  system(fallback);

  char fixed[16] = "uptime";
  (void)measure(fixed);
  /* ok: command-injection */
  system(fixed);
}

void pointer_alias(void) {
  char *data;
  char **first = &data;
  char **second = &data;
  char buf[128] = "ls ";
  data = buf;
  {
    char *p = *first;
    char *e = getenv("DIR");
    if (e != NULL) strncat(p, e, 100);
    *first = p;
  }
  /* ruleid: command-injection */
  system(*second);
}

static void exec_it(char *cmd) {
  /* ruleid: command-injection */
  system(cmd);
}

static void log_it(char *msg) {
  /* ok: format-string */
  printf("%s\n", msg);
}

void through_function_pointer(void) {
  void (*handler)(char *) = exec_it;
  handler(getenv("CMD"));
  void (*logger)(char *) = log_it;
  logger(getenv("CMD"));
}
