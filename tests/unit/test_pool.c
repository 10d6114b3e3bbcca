/* test_pool - arenas and growable buffers */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "test.h"

int
main(void)
{
	struct pool *p = pool_new(0);
	struct buf b;
	char *s, *big;
	size_t i;

	test_begin("pool_alloc alignment and reuse after clear");
	for (i = 1; i < 200; i++) {
		void *x = pool_alloc(p, i);

		test_assert(((uintptr_t)x & 15) == 0);
		memset(x, 0xaa, i);
	}
	pool_clear(p);
	test_assert(pool_used(p) == 0);
	test_end();

	test_begin("large allocations get their own block");
	big = pool_alloc(p, 1 << 20);
	memset(big, 1, 1 << 20);
	s = pool_strdup(p, "after big");
	test_assert_str(s, "after big");
	test_end();

	test_begin("pool_printf and strndup");
	test_assert_str(pool_printf(p, "%s-%04u", "monsite", 7u), "monsite-0007");
	test_assert_str(pool_strndup(p, "abcdef", 3), "abc");
	test_assert(pool_strdup(p, NULL) == NULL);
	test_end();

	test_begin("pool_printf at every length across the end of a block "
	    "(room not a multiple of 16 too): each text whole, in the pool");
	{
		char want[64];
		size_t room, len;
		int ok = 1;

		/* a first block of 8,200 bytes: after 8,200 - room bytes
		 * handed out, room are left */
		for (room = 8; room <= 56; room += 16)
			for (len = 0; len < sizeof(want); len++) {
				struct pool *q = pool_new(8200);
				char *got;

				memset(want, 'a' + (int)(len % 26), len);
				want[len] = '\0';
				(void)pool_alloc(q, 8200 - room);
				got = pool_printf(q, "%s", want);
				if (strcmp(got, want) != 0)
					ok = 0;
				/* the next allocation does not overlap it */
				memset(pool_alloc(q, 16), 'x', 16);
				if (strcmp(got, want) != 0)
					ok = 0;
				pool_free(&q);
			}
		test_assert(ok);
	}
	test_end();

	test_begin("buf grows and stays terminated");
	buf_init(&b, p, 1);
	for (i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	test_assert(b.len == 10000);
	test_assert(b.data[10000] == '\0');
	buf_printf(&b, "%d", 42);
	test_assert(strcmp(b.data + 10000, "42") == 0);
	buf_truncate(&b, 3);
	test_assert_str(b.data, "abc");
	test_end();

	pool_free(&p);
	test_begin("pool_free clears the pointer");
	test_assert(p == NULL);
	pool_free(&p);
	test_end();
	return test_done();
}
