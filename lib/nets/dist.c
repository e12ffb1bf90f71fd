/* dist.c - MPI for data-parallel training (dist.h); a stub of one
 * process when built without RK_MPI. */
#include <limits.h>
#include <stddef.h>

#include "dist.h"
#include "util.h"

#ifdef RK_MPI
#include <mpi.h>

static int rank, size = 1, started;

/* die() on one rank: the others would wait for it for ever */
static void
abort_job(int status)
{
	if (started)
		MPI_Abort(MPI_COMM_WORLD, status);
}

int
rk_dist_enabled(void)
{
	return 1;
}

void
rk_dist_init(int *argc, char ***argv)
{
	if (started || rk_mpi_size() < 2)
		return;
	if (MPI_Init(argc, argv) != MPI_SUCCESS)
		die(EX_SOFTWARE, "cannot start MPI");
	started = 1;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	rk_fatal_hook = abort_job;
}

int
rk_dist_rank(void)
{
	return rank;
}

int
rk_dist_size(void)
{
	return size;
}

int
rk_dist_bcast(void *buf, size_t bytes, int root)
{
	char *p = buf;

	if (size == 1)
		return 0;
	/* MPI counts are int: pieces of at most 1 GiB */
	while (bytes > 0) {
		int n = bytes > (1u << 30) ? 1 << 30 : (int)bytes;

		if (MPI_Bcast(p, n, MPI_BYTE, root, MPI_COMM_WORLD) !=
		    MPI_SUCCESS)
			return -1;
		p += n;
		bytes -= (size_t)n;
	}
	return 0;
}

void
rk_dist_finalize(void)
{
	if (!started)
		return;
	rk_fatal_hook = NULL;
	MPI_Finalize();
	started = 0;
}

#else

int
rk_dist_enabled(void)
{
	return 0;
}

void
rk_dist_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
}

int
rk_dist_rank(void)
{
	return 0;
}

int
rk_dist_size(void)
{
	return 1;
}

int
rk_dist_bcast(void *buf, size_t bytes, int root)
{
	(void)buf;
	(void)bytes;
	(void)root;
	return 0;
}

void
rk_dist_finalize(void)
{
}

#endif
