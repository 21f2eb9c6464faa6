/* test_grants: the SHOW GRANTS lines of src/grants.h, table-driven: which
 * lines grant what on which objects (global, schema with wildcards and
 * escaped underscores, table, ALL PRIVILEGES, a role's, columns, routines),
 * and the names and GRANT targets the pre-flight prints. */
#include <criterion/criterion.h>
#include <string.h>

#include "grants.h"

/* g with the lines, NULL-terminated. */
static void load(struct grants *g, const char *const *lines)
{
    memset(g, 0, sizeof *g);
    for (size_t i = 0; lines[i] != NULL; i++)
        cr_assert_eq(grants_add_line(g, lines[i]), 0, "line %zu", i);
}

Test(grants, what_each_line_grants)
{
    static const char *const lines[] = {
        "GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*7B9E'",
        "GRANT SELECT, INSERT ON `app`.* TO `u`@`%`",
        "GRANT UPDATE (`a`, `b)c`), DELETE ON `app`.`files` TO `u`@`%`",
        "GRANT ALL PRIVILEGES ON `lp\\_x`.* TO `u`@`%` WITH GRANT OPTION",
        "GRANT CREATE ON `tmp%`.* TO `r`",
        "GRANT `r` TO `u`@`%`",
        "GRANT PROXY ON ''@'%' TO 'u'@'%'",
        "GRANT EXECUTE, ALTER ON PROCEDURE `app`.`p` TO `u`@`%`",
        "GRANT INSERT ON `we``ird`.`t``1` TO `u`@`%`",
        "SET DEFAULT ROLE `r` FOR `u`@`%`",
        NULL};
    struct grants g;
    load(&g, lines);
    cr_assert_eq(g.n, 5);
    static const struct {
        unsigned privs;
        const char *db, *table;
        unsigned missing;
    } cases[] = {
        {GRANTS_SELECT | GRANTS_INSERT, "app", "t", 0},
        {GRANTS_UPDATE, "app", "files", GRANTS_UPDATE}, /* only on a column */
        {GRANTS_DELETE | GRANTS_UPDATE, "app", "files", GRANTS_UPDATE},
        {GRANTS_DELETE, "app", "other", GRANTS_DELETE},
        {GRANTS_DELETE, "App", "files", GRANTS_DELETE},
        {GRANTS_ALL, "lp_x", "litelift_progress", 0},
        {GRANTS_SELECT, "lpxx", "t", GRANTS_SELECT}, /* the '_' was escaped */
        {GRANTS_SELECT, "lpXx", "t", GRANTS_SELECT},
        {GRANTS_CREATE, "tmp", "", 0},
        {GRANTS_CREATE, "tmp_1", "", 0},
        {GRANTS_CREATE | GRANTS_SELECT, "tm", "", GRANTS_CREATE | GRANTS_SELECT},
        {GRANTS_ALTER, "app", "p", GRANTS_ALTER}, /* a routine's */
        {GRANTS_INSERT, "we`ird", "t`1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        cr_expect_eq(grants_missing(&g, cases[i].privs, cases[i].db, cases[i].table),
                     cases[i].missing, "case %zu", i);
    grants_free(&g);
}

Test(grants, global_grants_cover_everything)
{
    static const char *const lines[] = {"GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost`", NULL};
    struct grants g;
    load(&g, lines);
    cr_expect_eq(grants_missing(&g, GRANTS_ALL, "any", "table"), 0);
    grants_free(&g);
    static const char *const some[] = {"GRANT SELECT, CREATE ON *.* TO `u`@`%`", NULL};
    load(&g, some);
    cr_expect_eq(grants_missing(&g, GRANTS_ALL, "any", "t"),
                 GRANTS_ALL & ~(GRANTS_SELECT | GRANTS_CREATE));
    grants_free(&g);
}

Test(grants, names_and_schema_targets)
{
    struct buf b;
    buf_init(&b, BUF_CAP_NAME);
    cr_assert_eq(grants_names(&b, GRANTS_SELECT | GRANTS_DELETE | GRANTS_REFERENCES), 0);
    cr_expect_str_eq(b.data, "SELECT, DELETE, REFERENCES");
    buf_reset(&b);
    cr_assert_eq(grants_quote_schema(&b, "app_db%`x"), 0);
    cr_expect_str_eq(b.data, "`app\\_db\\%``x`.*");
    buf_free(&b);
}
