/* tests/support/proc.c — see proc.h. */
#include "proc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(FILE *f) {
    fflush(f);
    long n = ftell(f);
    if (n < 0) n = 0;
    char *buf = malloc((size_t)n + 1);
    rewind(f);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    return buf;
}

int proc_run(const char *const argv[], int timeout_s, proc_result *r) {
    memset(r, 0, sizeof *r);
    FILE *out = tmpfile(), *err = tmpfile();
    if (!out || !err) return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        alarm((unsigned)timeout_s); /* survives exec: a hang becomes SIGALRM */
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot exec %s\n", argv[0]);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    fseek(out, 0, SEEK_END);
    fseek(err, 0, SEEK_END);
    r->out = slurp(out);
    r->err = slurp(err);
    fclose(out);
    fclose(err);
    return 0;
}

void proc_result_free(proc_result *r) {
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

const char *build_path(const char *rel) {
    static char bufs[4][4096];
    static int next;
    char *b = bufs[next++ % 4];
    const char *root = getenv("STREAMLAB_BUILD");
    snprintf(b, sizeof bufs[0], "%s/%s", root && *root ? root : "build", rel);
    return b;
}

int count_lines_starting(const char *s, const char *prefix) {
    int n = 0;
    size_t pl = strlen(prefix);
    for (const char *p = s; p && *p;) {
        if (strncmp(p, prefix, pl) == 0) n++;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return n;
}

int digest_of(const char *out, char digest[17]) {
    const char *p = strstr(out, "trace digest: ");
    if (!p) return -1;
    p += 14;
    for (int i = 0; i < 16; i++) {
        if (!p[i] || !strchr("0123456789abcdef", p[i])) return -1;
        digest[i] = p[i];
    }
    digest[16] = '\0';
    return 0;
}
