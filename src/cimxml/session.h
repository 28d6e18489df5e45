/* Pull enumeration sessions (DSP0200 OpenEnumerateInstances and the other
 * Open operations, the Pulls, CloseEnumeration): what an Open leaves for
 * the Pulls that follow, found again by its enumeration context.
 *
 * A session holds a cursor (cimom.h: parameters and a position, or the
 * paths of association results still to go), its owner and namespace,
 * and expires OperationTimeout seconds after the request that last used
 * it; a thread frees expired sessions as they expire. The context is 128
 * random bits (getrandom) in hex: opaque, unguessable, never reused.
 * A session belongs to the user who opened it: to anyone else, and in
 * another namespace, it does not exist (CIM_ERR_INVALID_ENUMERATION_
 * CONTEXT). Each user has at most cim_max_open_contexts_per_user at once
 * (CIM_ERR_SERVER_LIMITS_EXCEEDED past it).
 *
 * One request uses a session at a time: take() hands it out, put()
 * returns it (its timeout starts again) and end() frees it. The store is
 * shared by every request thread (it has its own lock).
 */
#ifndef SWIM_CIMXML_SESSION_H
#define SWIM_CIMXML_SESSION_H

#include <stdint.h>

#include "cimxml/cimom.h"

#define SWIM_CIM_SESSION_ID_LEN 32

typedef struct swim_cim_sessions swim_cim_sessions;

typedef struct swim_cim_session {
	char id[SWIM_CIM_SESSION_ID_LEN + 1];  /* the EnumerationContext */
	int kind;                  /* the caller's: what its Pulls return */
	swim_cimom_cursor *cur;
	char *user;
	const char *ns;            /* the cursor's (canonical) */
	uint32_t timeout;          /* seconds */
	uint64_t expires_ms;       /* monotonic; while not in use */
	bool in_use;
} swim_cim_session;

/* lim is borrowed (cim_max_open_contexts_per_user). The expiry thread
 * starts with the first session, so that creating the store starts no
 * thread (swimd sets its signal mask before any thread exists).
 * @param[out] out freed with swim_cim_sessions_free(). */
int swim_cim_sessions_new(swim_cim_sessions **out, const swim_limits *lim);

/* Stops the expiry thread and frees every session. NULL is allowed. */
void swim_cim_sessions_free(swim_cim_sessions *ss);

/* A new session of call->user with cur (taken in every case), in use by
 * the caller. SWIM_ELIMIT (status SERVER_LIMITS_EXCEEDED) when the user
 * has cim_max_open_contexts_per_user sessions already. */
int swim_cim_session_open(swim_cim_session **out, swim_cim_sessions *ss,
                          swim_cim_call *call, swim_cimom_cursor *cur,
                          int kind, uint32_t timeout);

/* The session named id when it belongs to call->user and call->ns, has
 * not expired and is not in use by another request; it is then in use
 * by the caller. SWIM_ENOTFOUND, status INVALID_ENUMERATION_CONTEXT,
 * otherwise. */
int swim_cim_session_take(swim_cim_session **out, swim_cim_sessions *ss,
                          swim_cim_call *call, const char *id);

/* Returns a session taken or opened: it expires `timeout` seconds from
 * now unless taken again. */
void swim_cim_session_put(swim_cim_sessions *ss, swim_cim_session *s);

/* Frees a session taken or opened (the enumeration is over or failed). */
void swim_cim_session_end(swim_cim_sessions *ss, swim_cim_session *s);

/* CloseEnumeration: frees the session named id. As take(), and
 * SWIM_EBUSY with status PULL_CANNOT_BE_ABANDONED while a request uses
 * it. */
int swim_cim_session_close(swim_cim_sessions *ss, swim_cim_call *call,
                           const char *id);

/* The object manager's store (made with it, freed with it). */
swim_cim_sessions *swim_cimom_sessions(const swim_cimom *om);

/* How many sessions are open (the tests' view of the expiry). */
size_t swim_cim_sessions_count(swim_cim_sessions *ss);

#endif
