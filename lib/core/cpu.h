/* cpu.h - the vector instruction level the numeric kernels run at.
 *
 * 4: x86-64-v4 (AVX-512), 3: x86-64-v3 (AVX2 + FMA), 0: baseline. The
 * environment variable RNNKIT_CPU=baseline|avx2|avx512 lowers the level
 * (to test every kernel on one machine, or to compare speeds); it never
 * raises it above what the CPU has.
 */
#ifndef RK_CPU_H
#define RK_CPU_H

int rk_cpu_level(void);

#endif
