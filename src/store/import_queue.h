/*
 * import_queue: a bounded first-in first-out queue of pointers between two
 * threads, for the CSV import (store_import.c), whose reading thread hands
 * checked batches of rows to the thread that writes them and gets the
 * emptied batches back through a second queue.
 *
 * Bounded: at most `cap` items (cap <= SC_IMPORT_QUEUE_MAX); a push waits
 * while the queue is full, a pop while it is empty. Closing wakes every
 * waiter: after it a push refuses its item and a pop returns NULL (items
 * still queued are not handed out; their owner frees them), so either side
 * can stop the other. The queue never owns or frees what it carries. Not
 * for: more than a handful of items, or NULL items.
 */
#ifndef SC_IMPORT_QUEUE_H
#define SC_IMPORT_QUEUE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define SC_IMPORT_QUEUE_MAX 16

struct sc_import_queue {
    pthread_mutex_t mu;
    pthread_cond_t changed; /* an item came or went, or the queue closed */
    void *slot[SC_IMPORT_QUEUE_MAX];
    size_t head, n, cap;
    bool closed;
};

/* SC_ERR_INTERNAL when the mutex or condition cannot be made, or cap is 0
 * or above SC_IMPORT_QUEUE_MAX. */
enum sc_err sc_import_queue_init(struct sc_import_queue *q, size_t cap,
                                 struct sc_error *err);
/* No thread may be waiting on it any more. */
void sc_import_queue_destroy(struct sc_import_queue *q);

/* Waits for room; false (item not queued) once the queue is closed. */
bool sc_import_queue_push(struct sc_import_queue *q, void *item);
/* Waits for an item; NULL once the queue is closed. */
void *sc_import_queue_pop(struct sc_import_queue *q);
void sc_import_queue_close(struct sc_import_queue *q);

#endif
