/*
 * store_document: the application materials of domain.md section 1, stored
 * in the database (bytes, name, kind, size, SHA-256, media type detected
 * from the bytes by src/core/filetype), and the list of material kinds with
 * the ones an application needs before it can be submitted.
 *
 * Documents are never changed or deleted: uploading a document of a kind
 * already present adds a newer version; the newest of each kind is the
 * "current" one (a revised service manual supersedes the reviewed one, the
 * old one stays for the record).
 *
 * Uploads follow the store's action shape (docs/store.md): own transaction
 * when none is open, policy check ("document.upload"), state check, write,
 * one event ("document.upload"), commit; any refusal leaves the database as
 * it was. Not for: the application's state machine (store_application) or
 * detecting types (core/filetype).
 */
#ifndef SC_STORE_DOCUMENT_H
#define SC_STORE_DOCUMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/actor.h"
#include "store/store.h"

/* The material kinds (wire names in brackets). */
enum sc_document_kind {
    SC_DOC_APPLICATION_FORM,         /* application_form */
    SC_DOC_BUSINESS_LICENCE,         /* business_licence (with the USCC) */
    SC_DOC_LEGAL_LICENCES,           /* legal_licences: licences required by
                                        law, where the business needs any */
    SC_DOC_PRODUCT_DESCRIPTION,      /* product_description */
    SC_DOC_LAWS_AND_STANDARDS,       /* laws_and_standards */
    SC_DOC_COMPANY_PROFILE,          /* company_profile */
    SC_DOC_ORGANISATION_CHART,       /* organisation_chart */
    SC_DOC_SALES_AND_SERVICE_POLICY, /* sales_and_service_policy */
    SC_DOC_OUTLET_LIST,              /* outlet_list */
    SC_DOC_DELIVERY_MODE,            /* delivery_mode: direct / outsourced,
                                        indicators that do not apply */
    SC_DOC_OTHER_CERTIFICATES,       /* other_certificates, if any held */
    SC_DOC_SYSTEM_DOCUMENT_LIST,     /* system_document_list */
    SC_DOC_SERVICE_MANUAL,           /* service_manual (preparation item 2) */
    SC_DOC_KIND_COUNT_
};

#define SC_DOC_KIND_BIT(k) ((uint32_t)1 << (k))
#define SC_DOCUMENT_NAME_MAX 255 /* bytes of a file name (UTF-8) */

/* Wire name of a kind, "unknown" out of range. Static strings. */
const char *sc_document_kind_name(enum sc_document_kind k);

/* Exact wire name to kind; SC_ERR_INVALID with `field` and the list of
 * names otherwise, *out untouched. */
enum sc_err sc_document_kind_parse(const char *s, const char *field,
                                   enum sc_document_kind *out,
                                   struct sc_error *err);

/* true for the kinds required before submit: every kind except
 * legal_licences and other_certificates (which depend on the business). */
bool sc_document_kind_required(enum sc_document_kind k);

/*
 * Stores a document for application `application_id`. Checks, in order:
 *   SC_ERR_NOT_FOUND ("application");
 *   SC_ERR_FORBIDDEN ("as") by policy "document.upload" (enterprise users
 *     only for their own organisation);
 *   SC_ERR_STATE ("application") unless the application is a draft or
 *     contracted (document review: revised documents);
 *   SC_ERR_INVALID on "kind" or "name" (empty, longer than
 *     SC_DOCUMENT_NAME_MAX, control characters or '/');
 *   SC_ERR_TOO_LARGE ("file") above the document_max_bytes of the scheme
 *     recorded on the application;
 *   SC_ERR_MEDIA_TYPE ("file") unless the bytes are PDF, PNG, JPEG, DOCX or
 *     XLSX.
 * `bytes` is borrowed; it is read only after the size check, so a front end
 * that stopped reading past the cap may pass NULL with len = cap + 1 and
 * get the refusal in the order above. *id (may be NULL) receives the new
 * document's id.
 * Event "document.upload" (entity "document") with the metadata.
 */
enum sc_err
sc_store_document_upload(struct sc_store *st, const struct sc_clock *clk,
                         const struct sc_actor *actor, int64_t application_id,
                         const char *kind, const char *name, const void *bytes,
                         size_t len, int64_t *id, struct sc_error *err);

/* The upload cap (bytes) of the scheme recorded on the application, so a
 * front end can stop reading early. SC_ERR_NOT_FOUND ("application"). No
 * policy: the cap is no secret. */
enum sc_err sc_store_document_max_bytes(struct sc_store *st,
                                        int64_t application_id, int64_t *cap,
                                        struct sc_error *err);

/*
 * One document (policy "document.view": CB office roles, auditors on an
 * audit of the application, the enterprise for its own): *meta is a new
 * JSON view {"id", "application", "kind", "name", "size", "sha256",
 * "media_type", "uploaded_by", "uploaded_at", "current"}; when `bytes` is
 * not NULL, *bytes receives a heap copy of the content (caller frees with
 * free(); an empty document is impossible) and *len its size.
 * SC_ERR_NOT_FOUND ("document").
 */
enum sc_err sc_store_document_get(struct sc_store *st,
                                  const struct sc_actor *actor, int64_t id,
                                  json_t **meta, void **bytes, size_t *len,
                                  struct sc_error *err);

/* Every document of an application, oldest first, as a JSON array of the
 * views above (policy "document.view"). */
enum sc_err sc_store_document_list(struct sc_store *st,
                                   const struct sc_actor *actor,
                                   int64_t application_id, json_t **out,
                                   struct sc_error *err);

/* For the store's own rules (no policy): the kinds present (bit set of
 * SC_DOC_KIND_BIT), and the id of the newest document of `kind` (0 when
 * none). */
enum sc_err sc_store_document_kinds(struct sc_store *st, int64_t application_id,
                                    uint32_t *present, struct sc_error *err);
enum sc_err sc_store_document_latest(struct sc_store *st,
                                     int64_t application_id,
                                     enum sc_document_kind kind, int64_t *id,
                                     struct sc_error *err);

/* The JSON array of views, without policy (the application view embeds
 * it after its own policy check). */
enum sc_err sc_store_document_views(struct sc_store *st, int64_t application_id,
                                    json_t **out, struct sc_error *err);

#endif
