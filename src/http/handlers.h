/*
 * handlers: every route handler, one function per route, grouped in
 * h_<resource>.c files. Each has the sc_http_handler shape (http.h): parse
 * and validate input, call one store or core function, fill the response.
 * Not for: the route table (routes.c) or anything that writes the wire.
 */
#ifndef SC_HANDLERS_H
#define SC_HANDLERS_H

#include "http/http.h"

#define SC_HANDLER(name)                                                       \
    enum sc_err name(struct sc_http_req *req, struct sc_http_resp *resp,       \
                     struct sc_error *err)

/* h_public.c */
SC_HANDLER(sc_h_healthz);
SC_HANDLER(sc_h_metrics);
SC_HANDLER(sc_h_registry_get);
SC_HANDLER(sc_h_registry_search);

/* h_audits.c */
SC_HANDLER(sc_h_audits_list);
SC_HANDLER(sc_h_audits_plan);
SC_HANDLER(sc_h_audits_get);
SC_HANDLER(sc_h_audits_confirm);
SC_HANDLER(sc_h_audits_start);
SC_HANDLER(sc_h_audits_report);
SC_HANDLER(sc_h_audits_result_put);
SC_HANDLER(sc_h_audits_results_post);
SC_HANDLER(sc_h_audits_special);
SC_HANDLER(sc_h_audits_finding);

/* h_decisions.c */
SC_HANDLER(sc_h_decision_vote);
SC_HANDLER(sc_h_decision_close);
SC_HANDLER(sc_h_decision_get);

/* h_certificates.c */
SC_HANDLER(sc_h_certificates_list);
SC_HANDLER(sc_h_certificates_get);
SC_HANDLER(sc_h_certificates_suspend);
SC_HANDLER(sc_h_certificates_restore);
SC_HANDLER(sc_h_certificates_withdraw);
SC_HANDLER(sc_h_certificates_cancel);
SC_HANDLER(sc_h_certificates_reissue);
SC_HANDLER(sc_h_certificates_confidential);
SC_HANDLER(sc_h_due);

/* h_events.c */
SC_HANDLER(sc_h_events_list);
SC_HANDLER(sc_h_events_verify);

/* h_organisations.c */
SC_HANDLER(sc_h_org_list);
SC_HANDLER(sc_h_org_create);
SC_HANDLER(sc_h_org_get);
SC_HANDLER(sc_h_org_update);
SC_HANDLER(sc_h_outlet_list);
SC_HANDLER(sc_h_outlet_add);

/* h_users.c */
SC_HANDLER(sc_h_user_list);
SC_HANDLER(sc_h_user_create);
SC_HANDLER(sc_h_user_get);
SC_HANDLER(sc_h_user_deactivate);
SC_HANDLER(sc_h_user_reactivate);
SC_HANDLER(sc_h_qualification_list);
SC_HANDLER(sc_h_qualification_add);
SC_HANDLER(sc_h_link_list);
SC_HANDLER(sc_h_link_declare);
SC_HANDLER(sc_h_link_end);

/* h_session.c */
SC_HANDLER(sc_h_session_create);
SC_HANDLER(sc_h_session_get);
SC_HANDLER(sc_h_session_delete);
SC_HANDLER(sc_h_registration_create);
SC_HANDLER(sc_h_token_create);
SC_HANDLER(sc_h_token_list);
SC_HANDLER(sc_h_token_revoke);
SC_HANDLER(sc_h_user_password);

/* h_applications.c */
SC_HANDLER(sc_h_application_list);
SC_HANDLER(sc_h_application_create);
SC_HANDLER(sc_h_application_get);
SC_HANDLER(sc_h_application_submit);
SC_HANDLER(sc_h_application_accept);
SC_HANDLER(sc_h_application_return);
SC_HANDLER(sc_h_application_reject);
SC_HANDLER(sc_h_application_withdraw);
SC_HANDLER(sc_h_application_prepare);
SC_HANDLER(sc_h_application_manager_add);
SC_HANDLER(sc_h_application_contract);
SC_HANDLER(sc_h_review_revise);
SC_HANDLER(sc_h_review_approve);
SC_HANDLER(sc_h_finding_get);
SC_HANDLER(sc_h_finding_correct);
SC_HANDLER(sc_h_finding_verify);

/* h_documents.c */
SC_HANDLER(sc_h_document_upload);
SC_HANDLER(sc_h_document_list);
SC_HANDLER(sc_h_document_get);
SC_HANDLER(sc_h_document_content);

#endif
