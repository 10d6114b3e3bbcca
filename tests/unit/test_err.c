/* test_err - a request's refusals collected, field by field */
#include <string.h>

#include "postbus.h"
#include "test.h"

int
main(void)
{
	struct err e, s;
	char names[ERR_FIELDS_MAX + 4][8];
	size_t i;

	test_begin("every field's refusal is kept, in order; the first is err.field");
	memset(&e, 0, sizeof(e));
	test_assert(err_field(&e, "address", "bad address") == -1);
	test_assert(err_set(&e, ERR_INVALID, "password", "weak") == -1);
	err_field(&e, "quota", "no size");
	test_assert(err_fields(&e) == 3);
	test_assert(e.kind == ERR_INVALID);
	test_assert_str(e.field, "address");
	test_assert_str(e.msg, "bad address");
	test_assert_str(e.fields[1].field, "password");
	test_assert_str(err_field_msg(&e, "quota"), "no size");
	test_assert(err_field_msg(&e, "extra") == NULL);
	test_assert(err_is_input(&e));
	test_end();

	test_begin("the first word on a field stays");
	err_field(&e, "address", "something else");
	test_assert(err_fields(&e) == 3);
	test_assert_str(err_field_msg(&e, "address"), "bad address");
	test_end();

	test_begin("a database failure is no refusal of the input and stays one");
	memset(&e, 0, sizeof(e));
	err_field(&e, "name", "taken");
	err_db(&e);
	test_assert(e.kind == ERR_DB);
	test_assert(!err_is_input(&e));
	err_field(&e, "prefix", "bad");
	test_assert(e.kind == ERR_DB);
	test_assert(err_fields(&e) == 2);
	test_end();

	test_begin("a refusal that names no field replaces the message, keeps the list");
	memset(&e, 0, sizeof(e));
	err_field(&e, "quota", "too big");
	err_set(&e, ERR_LIMIT, NULL, "all mailboxes in use");
	test_assert(e.kind == ERR_LIMIT);
	test_assert(e.field == NULL);
	test_assert_str(e.msg, "all mailboxes in use");
	test_assert(err_fields(&e) == 1);
	test_end();

	test_begin("a stale refusal of another kind gives way to the form's");
	memset(&e, 0, sizeof(e));
	err_set(&e, ERR_FORBIDDEN, NULL, "no");
	err_field(&e, "real_name", "markup");
	test_assert(e.kind == ERR_INVALID);
	test_assert_str(e.field, "real_name");
	test_end();

	test_begin("merge and rename: a helper's fields under the form's names");
	memset(&e, 0, sizeof(e));
	memset(&s, 0, sizeof(s));
	err_field(&e, "name", "bad name");
	err_field(&s, "login", "bad login");
	err_field(&s, "password", "weak");
	err_rename(&s, "login", "owner_login");
	err_rename(&s, "password", "owner_password");
	test_assert_str(s.field, "owner_login");
	err_merge(&e, &s);
	test_assert(err_fields(&e) == 3);
	test_assert_str(e.field, "name");
	test_assert_str(err_field_msg(&e, "owner_password"), "weak");
	memset(&s, 0, sizeof(s));
	err_db(&s);
	err_merge(&e, &s);
	test_assert(e.kind == ERR_DB);
	test_end();

	test_begin("the list is bounded; what does not fit is dropped");
	memset(&e, 0, sizeof(e));
	for (i = 0; i < ERR_FIELDS_MAX + 4; i++) {
		snprintf(names[i], sizeof(names[i]), "f%zu", i);
		err_field(&e, names[i], "bad");
	}
	test_assert(err_fields(&e) == ERR_FIELDS_MAX);
	test_assert_str(e.field, "f0");
	test_end();
	return test_done();
}
