/* main: argv → cli_parse → the command → exit status:
 *   0 every project loaded and validated, no row rejected
 *   1 a project failed (or the run could not start)
 *   2 usage error
 *   3 interrupted by SIGINT/SIGTERM at a batch boundary (rerun to continue)
 *   4 nothing failed, but projects another run had claimed were left to it
 *   5 every project loaded, but rows were rejected
 * (enum report_exit); and for status: 0 every project done, 1 a project failed, 4 one
 * is not done. */
#include <stdio.h>

#include "cli.h"
#include "command.h"
#include "login.h"
#include "pipeline.h"
#include "status.h"
#include "target.h"

int main(int argc, char **argv)
{
    struct config cfg;
    enum cli_command cmd;
    int status = cli_parse(argc, argv, &cfg, &cmd);
    if (status != CLI_RUN)
        return status;
    struct error err;
    struct login login;
    if (login_prepare(&cfg, &login, &err) != 0) { /* a usage error: nothing ran */
        fprintf(stderr, "litelift: %s\n", err.msg);
        cli_free(&cfg);
        return 2;
    }
    target_set_login(&login);
    if (cmd == CLI_MIGRATE || cmd == CLI_VERIFY) {
        status = command_run(&cfg, cmd, &err);
    } else {
        int rc = cmd == CLI_STATUS ? status_run(&cfg, stdout, &err)
                                   : pipeline_schema(&cfg, stdout, &err);
        if (rc < 0)
            fprintf(stderr, "litelift: %s\n", err.msg);
        status = rc < 0 ? 1 : rc;
    }
    target_set_login(NULL);
    login_free(&login);
    cli_free(&cfg);
    return status;
}
