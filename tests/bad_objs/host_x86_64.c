/* host_x86_64.c - source of host_x86_64.elf, an ordinary x86-64 relocatable
 * object (not BPF) that the loader must refuse by its machine type:
 *   gcc -O2 -c tests/bad_objs/host_x86_64.c -o tests/bad_objs/host_x86_64.elf
 * (kept as a file so the test does not need a host compiler; ".elf" because
 * .gitignore ignores "*.o"). */
int host_function(int x)
{
	return x * 3 + 1;
}

int host_data = 42;
