/*
 * h_documents: the application materials over HTTP, the twins of
 * `starcert document upload|list|get`. An upload is the file's raw bytes
 * as the request body (any Content-Type: the store decides the type from
 * the magic bytes, never from the header or the name), with the kind and
 * the file name in the query: POST /api/v1/applications/{id}/documents?
 * kind=service_manual&name=%E6%89%8B%E5%86%8C.pdf. The server caps the
 * body; the store enforces the scheme's cap (413), the accepted types (415)
 * and records the SHA-256. A download answers the stored bytes with the
 * detected media type and an RFC 6266 attachment disposition carrying an
 * ASCII fallback and the UTF-8 name (RFC 5987).
 * Not for: the rules on kinds, states and sizes (store_document) or type
 * detection (core/filetype).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"

/* RFC 5987 attr-char: sent as is; every other byte is percent-encoded. */
static bool attr_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c) != NULL;
}

/*
 * `attachment; filename="FALLBACK"; filename*=UTF-8''ENCODED` for the
 * UTF-8 file name `name`: the fallback has each non-ASCII character (one
 * UTF-8 sequence), control character, quote and backslash replaced by '_';
 * the encoded form percent-encodes every byte that is not an attr-char.
 * NULL when out of memory. The name is at most SC_DOCUMENT_NAME_MAX bytes
 * (the store refuses longer ones), so the sizes below cannot overflow.
 */
static char *content_disposition(struct sc_arena *arena, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(name);
    size_t cap = sizeof "attachment; filename=\"\"; filename*=UTF-8''" +
                 n + 3 * n + 1;
    char *out = sc_arena_alloc(arena, cap);
    if (!out)
        return NULL;
    size_t k = 0;
    const char *head = "attachment; filename=\"";
    memcpy(out, head, strlen(head));
    k = strlen(head);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 0x80) {
            out[k++] = '_';
            i++;
            while (i < n && ((unsigned char)name[i] & 0xC0) == 0x80)
                i++; /* the continuation bytes of this character */
            continue;
        }
        out[k++] = (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
                       ? '_'
                       : (char)c;
        i++;
    }
    const char *mid = "\"; filename*=UTF-8''";
    memcpy(out + k, mid, strlen(mid));
    k += strlen(mid);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (attr_char(c)) {
            out[k++] = (char)c;
        } else {
            out[k++] = '%';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 0x0F];
        }
    }
    out[k] = '\0';
    return out;
}

SC_HANDLER(sc_h_document_upload)
{
    const char *kind = sc_http_query(req, "kind");
    const char *name = sc_http_query(req, "name");
    int64_t app = 0, id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &app, err);
    /* Absent kind or name go to the store as "" so that its refusals keep
     * their order (application, owner, state, then the values). */
    if (rc == SC_OK)
        rc = sc_store_document_upload(req->store, &req->clock, &req->actor,
                                      app, kind ? kind : "", name ? name : "",
                                      req->body, req->body_len, &id, err);
    if (rc == SC_OK)
        rc = sc_store_document_get(req->store, &req->actor, id, &resp->json,
                                   NULL, NULL, err);
    if (rc != SC_OK)
        return rc;
    char *location = sc_arena_printf(req->arena, "/api/v1/documents/%lld",
                                     (long long)id);
    if (location)
        sc_http_resp_header(resp, "Location", location);
    resp->status = 201;
    return SC_OK;
}

SC_HANDLER(sc_h_document_list)
{
    int64_t app = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &app, err);
    return rc == SC_OK ? sc_store_document_list(req->store, &req->actor, app,
                                                &resp->json, err)
                       : rc;
}

SC_HANDLER(sc_h_document_get)
{
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "document", &id, err);
    return rc == SC_OK ? sc_store_document_get(req->store, &req->actor, id,
                                               &resp->json, NULL, NULL, err)
                       : rc;
}

SC_HANDLER(sc_h_document_content)
{
    json_t *meta = NULL;
    void *bytes = NULL;
    size_t len = 0;
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "document", &id, err);
    if (rc == SC_OK)
        rc = sc_store_document_get(req->store, &req->actor, id, &meta, &bytes,
                                   &len, err);
    if (rc != SC_OK)
        return rc;
    /* The response takes arena or static storage: copy, then drop the
     * store's heap copy and the view. */
    const char *type = json_string_value(json_object_get(meta, "media_type"));
    const char *name = json_string_value(json_object_get(meta, "name"));
    char *copy = sc_arena_alloc(req->arena, len ? len : 1);
    char *type_copy = type ? sc_arena_strdup(req->arena, type) : NULL;
    char *disposition =
        name ? content_disposition(req->arena, name) : NULL;
    if (copy)
        memcpy(copy, bytes, len);
    free(bytes);
    json_decref(meta);
    if (!copy || !type_copy || !disposition)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    resp->bytes = copy;
    resp->len = len;
    resp->content_type = type_copy;
    sc_http_resp_header(resp, "Content-Disposition", disposition);
    return SC_OK;
}
