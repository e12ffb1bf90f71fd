/* replay.c - run a fuzz target over corpus files, without libFuzzer: each
 * file in a child process, so that a sanitizer report (abort) or a crash
 * fails it; what the target prints is shown only then. Usage:
 * replay FILE... ; exit 0 when every file passed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t cap = 0, k;

	*n = 0;
	if (!f)
		return NULL;
	if (!(p = malloc(1)))
		abort();
	do {
		if (*n == cap) {
			cap = 2 * cap + 65536;
			if (!(p = realloc(p, cap)))
				abort();
		}
		k = fread(p + *n, 1, cap - *n, f);
		*n += k;
	} while (k);
	fclose(f);
	return p;
}

int
main(int argc, char *argv[])
{
	int i, bad = 0, st;
	char log[] = "/tmp/rnnkit-replay.XXXXXX";
	int lfd = mkstemp(log);

	if (lfd < 0) {
		perror("replay: mkstemp");
		return 70;
	}
	unlink(log);
	for (i = 1; i < argc; i++) {
		pid_t pid;

		if (ftruncate(lfd, 0) < 0 || lseek(lfd, 0, SEEK_SET) < 0)
			return 70;
		fflush(NULL);
		if ((pid = fork()) < 0) {
			perror("replay: fork");
			return 70;
		}
		if (pid == 0) {
			size_t n;
			unsigned char *d = slurp(argv[i], &n);

			if (!d) {
				perror(argv[i]);
				_exit(66);
			}
			dup2(lfd, 2);
			LLVMFuzzerTestOneInput(d, n);
			free(d);
			exit(0);
		}
		if (waitpid(pid, &st, 0) < 0)
			return 70;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			char buf[4096];
			ssize_t k;

			bad++;
			fprintf(stderr, "replay: %s: %s %d\n", argv[i],
			        WIFEXITED(st) ? "exit status" : "signal",
			        WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
			lseek(lfd, 0, SEEK_SET);
			while ((k = read(lfd, buf, sizeof buf)) > 0)
				fwrite(buf, 1, (size_t)k, stderr);
		}
	}
	printf("replay: %d file%s, %d failed\n", argc - 1, argc == 2 ? "" : "s",
	       bad);
	return bad ? 1 : 0;
}
