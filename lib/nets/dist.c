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

/* An MPI type of unit bytes (counts are int: pieces of 1 GiB beyond). */
static int
unit_type(size_t unit, MPI_Datatype *t)
{
	MPI_Datatype g;
	size_t q = unit >> 30, rem = unit & ((1u << 30) - 1);
	int len[2];
	MPI_Aint at[2];
	MPI_Datatype of[2];

	if (unit == 0 || q > INT_MAX)
		return -1;
	if (q == 0) {
		if (MPI_Type_contiguous((int)unit, MPI_BYTE, t) != MPI_SUCCESS)
			return -1;
	} else {
		if (MPI_Type_contiguous(1 << 30, MPI_BYTE, &g) != MPI_SUCCESS)
			return -1;
		len[0] = (int)q;
		len[1] = (int)rem;
		at[0] = 0;
		at[1] = (MPI_Aint)(q << 30);
		of[0] = g;
		of[1] = MPI_BYTE;
		if (MPI_Type_create_struct(2, len, at, of, t) != MPI_SUCCESS) {
			MPI_Type_free(&g);
			return -1;
		}
		MPI_Type_free(&g);
	}
	if (MPI_Type_commit(t) != MPI_SUCCESS) {
		MPI_Type_free(t);
		return -1;
	}
	return 0;
}

int
rk_dist_scatterv(void *buf, size_t unit, const int *count, const int *first,
                 int root)
{
	MPI_Datatype t;
	int rc;

	if (size == 1)
		return 0;
	if (unit_type(unit, &t) < 0)
		return -1;
	if (rank == root)
		rc = MPI_Scatterv(buf, count, first, t, MPI_IN_PLACE, 0, t,
		                  root, MPI_COMM_WORLD);
	else
		rc = MPI_Scatterv(NULL, NULL, NULL, t, buf, count[rank], t,
		                  root, MPI_COMM_WORLD);
	MPI_Type_free(&t);
	return rc == MPI_SUCCESS ? 0 : -1;
}

int
rk_dist_gatherv(void *buf, size_t unit, const int *count, const int *first,
                int root)
{
	MPI_Datatype t;
	int rc;

	if (size == 1)
		return 0;
	if (unit_type(unit, &t) < 0)
		return -1;
	if (rank == root)
		rc = MPI_Gatherv(MPI_IN_PLACE, 0, t, buf, count, first, t,
		                 root, MPI_COMM_WORLD);
	else
		rc = MPI_Gatherv(buf, count[rank], t, NULL, NULL, NULL, t,
		                 root, MPI_COMM_WORLD);
	MPI_Type_free(&t);
	return rc == MPI_SUCCESS ? 0 : -1;
}

int
rk_dist_allgatherv(void *buf, size_t unit, const int *count,
                   const int *first)
{
	MPI_Datatype t;
	int rc;

	if (size == 1)
		return 0;
	if (unit_type(unit, &t) < 0)
		return -1;
	rc = MPI_Allgatherv(MPI_IN_PLACE, 0, t, buf, count, first, t,
	                    MPI_COMM_WORLD);
	MPI_Type_free(&t);
	return rc == MPI_SUCCESS ? 0 : -1;
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

int
rk_dist_scatterv(void *buf, size_t unit, const int *count, const int *first,
                 int root)
{
	(void)buf;
	(void)unit;
	(void)count;
	(void)first;
	(void)root;
	return 0;
}

int
rk_dist_gatherv(void *buf, size_t unit, const int *count, const int *first,
                int root)
{
	(void)buf;
	(void)unit;
	(void)count;
	(void)first;
	(void)root;
	return 0;
}

int
rk_dist_allgatherv(void *buf, size_t unit, const int *count,
                   const int *first)
{
	(void)buf;
	(void)unit;
	(void)count;
	(void)first;
	return 0;
}

void
rk_dist_finalize(void)
{
}

#endif
