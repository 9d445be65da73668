#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *passthrough(const char *s) { return s; }

static void run(const char *cmd) {
  /* ruleid: command-injection */
  system(cmd);
}

int main(int argc, char **argv) {
  char buf[256];
  char query[512];
  sqlite3 *db = NULL;
  /* ruleid: command-injection */
  system(argv[1]);
  /* ok: command-injection */
  system("uptime");
  run(argv[2]);
  snprintf(query, sizeof query, "SELECT * FROM t WHERE name = '%s'", argv[1]);
  /* ruleid: sql-injection */
  /* ok: non-literal-sql (the taint finding proves it) */
  sqlite3_exec(db, query, NULL, NULL, NULL);
  /* ok: sql-injection */
  sqlite3_exec(db, "SELECT 1", NULL, NULL, NULL);
  if (fgets(buf, sizeof buf, stdin) != NULL) {
    /* ruleid: format-string */
    /* ok: non-literal-format (the taint finding proves it) */
    printf(buf);
    /* ok: format-string */
    printf("%s", buf);
  }
  const char *home = getenv("HOME");
  /* ruleid: path-traversal */
  FILE *f = fopen(passthrough(home), "r");
  /* ok: path-traversal */
  FILE *g = fopen("/etc/app.conf", "r");
  int n = atoi(argv[3]);
  char small[16];
  sprintf(small, "%d", n);
  /* ok: command-injection */
  system(small);
  (void)f;
  (void)g;
  /* A single name: no ".." and no '/'. */
  char path[512];
  if (strstr(argv[4], "..") == NULL && !strchr(argv[4], '/')) {
    snprintf(path, sizeof path, "/srv/files/%s", argv[4]);
    /* ok: path-traversal */
    fopen(path, "r");
  }
  if (strstr(argv[5], "..") == NULL) {
    /* No "..", but an absolute name is still any file. */
    /* ruleid: path-traversal */
    fopen(argv[5], "r");
  }
  /* An argument vector for a fixed program: no shell parses it. */
  char *ping[] = {"/bin/ping", "-c", "1", argv[2], NULL};
  /* ok: command-injection */
  execv("/bin/ping", ping);
  /* ruleid: command-injection */
  execl("/bin/sh", "sh", "-c", argv[2], NULL);
  /* ruleid: command-injection */
  execvp(argv[3], ping);
  return 0;
}
