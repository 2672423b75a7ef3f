/*
 * cmd_document: `starcert document upload|list|get`, the application
 * materials stored in the database. upload reads a file (at most the cap of
 * the scheme recorded on the application, plus one byte so the store sees
 * and refuses an oversize file itself) and stores it; the media type comes
 * from the bytes, never from the name. get writes the bytes to --out FILE
 * and prints the metadata. Not for: rules (the store and core/filetype).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store_document.h"

static const char usage[] =
    "usage: starcert document upload --application ID --kind KIND\n"
    "                 [--name NAME] FILE [BASE]\n"
    "       starcert document list --application ID [BASE]\n"
    "       starcert document get ID --out FILE [BASE]\n"
    "\n"
    "Application materials, stored in the database with their size, SHA-256\n"
    "and media type detected from the bytes (PDF, PNG, JPEG, DOCX, XLSX;\n"
    "anything else is refused), at most the scheme's document_max_bytes\n"
    "(20 MiB). Uploads are taken while the application is a draft, or\n"
    "contracted (revised documents during the document review); a newer\n"
    "upload of a kind supersedes the older one (\"current\"), both are kept.\n"
    "\n"
    "KIND: application_form, business_licence, legal_licences,\n"
    "  product_description, laws_and_standards, company_profile,\n"
    "  organisation_chart, sales_and_service_policy, outlet_list,\n"
    "  delivery_mode, other_certificates, system_document_list,\n"
    "  service_manual. All but legal_licences and other_certificates are\n"
    "  required before the application is submitted.\n"
    "\n"
    "  --application ID   the application\n"
    "  --kind KIND        the material's kind\n"
    "  --name NAME        file name recorded (default: FILE's base name)\n"
    "  --out FILE         where `get` writes the bytes\n"
    "BASE options:\n"
    "  --db PATH          database (env STARCERT_DB)\n"
    "  --as LOGIN         the acting user (env STARCERT_AS)\n"
    "  --today DATE       the day of the action (env STARCERT_TODAY)\n"
    "\n"
    "Output: {\"id\", \"application\", \"kind\", \"name\", \"size\", "
    "\"sha256\",\n"
    "\"media_type\", \"uploaded_by\", \"uploaded_at\", \"current\"}; list: an\n"
    "array of them.\n";

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static enum sc_err write_file(const char *path, const void *p, size_t n,
                              struct sc_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return sc_error_set(err, SC_ERR_IO, "out", "cannot create %s", path);
    bool ok = fwrite(p, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        remove(path);
        return sc_error_set(err, SC_ERR_IO, "out", "cannot write %s", path);
    }
    return SC_OK;
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"application", required_argument, NULL, 'A'},
        {"kind", required_argument, NULL, 'k'},
        {"name", required_argument, NULL, 'n'},
        {"out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required: upload, "
                                        "list, get");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return sc_cli_help(self);
    const char *sub = argv[1];
    bool upload = strcmp(sub, "upload") == 0, list = strcmp(sub, "list") == 0,
         get = strcmp(sub, "get") == 0;
    if (!upload && !list && !get)
        return sc_cli_usage_error(self, "unknown subcommand \"%s\"", sub);
    argc--;
    argv++;
    struct sc_cli_base base = {0};
    const char *app = NULL, *kind = NULL, *name = NULL, *out_path = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'A':
            app = optarg;
            break;
        case 'k':
            kind = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    int n_pos = argc - optind;
    if (upload && (!app || !kind || n_pos != 1 || out_path))
        return sc_cli_usage_error(self, "document upload needs --application, "
                                        "--kind and one FILE");
    if (list && (!app || n_pos != 0 || kind || name || out_path))
        return sc_cli_usage_error(self, "document list needs --application "
                                        "only");
    if (get && (n_pos != 1 || !out_path || app || kind || name))
        return sc_cli_usage_error(self, "document get needs one ID and --out "
                                        "FILE");
    if (get && strcmp(out_path, "-") == 0)
        return sc_cli_usage_error(self, "--out needs a file: standard output "
                                        "carries the JSON");

    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long app_id = 0, doc_id = 0;
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (app)
        rc = sc_cli_parse_int(app, "application", 1, INT64_MAX, &app_id, &err);
    if (rc == SC_OK && get)
        rc = sc_cli_parse_int(argv[optind], "document", 1, INT64_MAX, &doc_id,
                              &err);
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor,
                            &err);
    if (rc != SC_OK)
        return sc_cli_finish(self, st, rc, &err, out);

    if (list) {
        rc = sc_store_document_list(st, &actor, app_id, &out, &err);
    } else if (get) {
        void *bytes = NULL;
        size_t len = 0;
        rc =
            sc_store_document_get(st, &actor, doc_id, &out, &bytes, &len, &err);
        if (rc == SC_OK)
            rc = write_file(out_path, bytes, len, &err);
        free(bytes);
    } else {
        const char *path = argv[optind];
        int64_t cap = 0, new_id = 0;
        char *bytes = NULL;
        size_t len = 0;
        rc = sc_store_document_max_bytes(st, app_id, &cap, &err);
        if (rc == SC_OK && (cap < 0 || (uint64_t)cap >= SIZE_MAX - 2))
            rc = sc_error_set(&err, SC_ERR_INTERNAL, "file",
                              "the scheme's upload cap is out of range");
        /* Reading stops one byte past the cap. An oversize file still goes
         * to the store, as cap + 1 bytes it never reads: the store makes
         * its checks in its own order (who, state, kind, name) and refuses
         * the size itself. */
        if (rc == SC_OK) {
            rc = sc_cli_read_file(path, (size_t)cap + 1, &bytes, &len, &err);
            if (rc == SC_ERR_TOO_LARGE) {
                bytes = NULL;
                len = (size_t)cap + 1;
                rc = SC_OK;
            }
        }
        if (rc == SC_OK)
            rc = sc_store_document_upload(st, &clk, &actor, app_id, kind,
                                          name ? name : base_name(path), bytes,
                                          len, &new_id, &err);
        free(bytes);
        if (rc == SC_OK)
            rc = sc_store_document_get(st, &actor, new_id, &out, NULL, NULL,
                                       &err);
    }
    return sc_cli_finish(self, st, rc, &err, out);
}

const struct sc_cli_cmd sc_cmd_document = {
    "document", "upload, list and fetch application materials", usage, run};
