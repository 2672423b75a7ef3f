/*
 * import_queue: the bounded queue between the import's two threads (see
 * import_queue.h). One mutex and one condition variable: there is one
 * waiter on each side at most, so a broadcast per change costs nothing.
 */
#include "store/import_queue.h"

enum sc_err sc_import_queue_init(struct sc_import_queue *q, size_t cap,
                                 struct sc_error *err)
{
    q->head = 0;
    q->n = 0;
    q->cap = cap;
    q->closed = false;
    if (cap == 0 || cap > SC_IMPORT_QUEUE_MAX)
        return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                            "a queue holds 1..%d items", SC_IMPORT_QUEUE_MAX);
    if (pthread_mutex_init(&q->mu, NULL) != 0)
        return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                            "the queue's mutex could not be made");
    if (pthread_cond_init(&q->changed, NULL) != 0) {
        pthread_mutex_destroy(&q->mu);
        return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                            "the queue's condition could not be made");
    }
    return SC_OK;
}

void sc_import_queue_destroy(struct sc_import_queue *q)
{
    pthread_cond_destroy(&q->changed);
    pthread_mutex_destroy(&q->mu);
}

bool sc_import_queue_push(struct sc_import_queue *q, void *item)
{
    bool ok;
    pthread_mutex_lock(&q->mu);
    while (!q->closed && q->n == q->cap)
        pthread_cond_wait(&q->changed, &q->mu);
    ok = !q->closed;
    if (ok) {
        q->slot[(q->head + q->n) % q->cap] = item;
        q->n++;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->mu);
    return ok;
}

void *sc_import_queue_pop(struct sc_import_queue *q)
{
    void *item = NULL;
    pthread_mutex_lock(&q->mu);
    while (!q->closed && q->n == 0)
        pthread_cond_wait(&q->changed, &q->mu);
    if (!q->closed) {
        item = q->slot[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->mu);
    return item;
}

void sc_import_queue_close(struct sc_import_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->mu);
}
