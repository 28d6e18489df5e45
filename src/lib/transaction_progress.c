/* Progress of a transaction: each phase owns a share of 0-100 percent,
 * and the fraction of the phase done moves the percentage inside that
 * share, so PercentComplete never goes back. */
#include <stdio.h>
#include <string.h>

#include "lib/transaction_private.h"
#include "swim/error.h"
#include "util/str.h"

static const char *const phase_names[] = {
	[SWIM_TRANSACTION_RESOLVE] = "resolve",
	[SWIM_TRANSACTION_DOWNLOAD] = "download",
	[SWIM_TRANSACTION_VERIFY] = "verify",
	[SWIM_TRANSACTION_STAGE] = "stage",
	[SWIM_TRANSACTION_COMMIT] = "commit",
	[SWIM_TRANSACTION_CLEANUP] = "cleanup",
};

/* Where each phase starts, in percent; the last entry is 100. */
static const unsigned phase_start[SWIM_TRANSACTION_PHASES + 1] = {
	0, 5, 20, 40, 85, 95, 100
};

const char *swim_transaction_phase_name(swim_transaction_phase phase)
{
	return (unsigned)phase < SWIM_ARRAY_SIZE(phase_names)
	       ? phase_names[phase] : "unknown";
}

static int call(swim_txn_meter *m, double fraction)
{
	swim_transaction_progress p;
	unsigned lo = phase_start[m->phase], hi = phase_start[m->phase + 1];
	unsigned pct;

	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	pct = lo + (unsigned)((hi - lo) * fraction);
	if (pct < m->percent)
		pct = m->percent;
	m->percent = pct;
	if (!m->fn)
		return 0;
	p.phase = m->phase;
	p.fraction = fraction;
	p.percent = pct;
	p.status = m->status;
	if (m->fn(m->ctx, &p) == 0 || m->locked)
		return 0;
	return swim_error_set(SWIM_ECANCELLED, "cancelled while %s",
	                      m->status[0] ? m->status : phase_names[m->phase]);
}

int swim_txn_meter_phase(swim_txn_meter *m, swim_transaction_phase phase,
                         uint64_t total, const char *status)
{
	m->phase = phase;
	m->total = total;
	atomic_store(&m->done, 0);
	(void)snprintf(m->status, sizeof(m->status), "%s", status ? status : "");
	return call(m, 0);
}

int swim_txn_meter_report(swim_txn_meter *m)
{
	uint64_t done = atomic_load(&m->done);

	return call(m, m->total ? (double)done / (double)m->total : 0);
}

int swim_txn_meter_status(swim_txn_meter *m, const char *status)
{
	(void)snprintf(m->status, sizeof(m->status), "%s", status ? status : "");
	return swim_txn_meter_report(m);
}

void swim_txn_meter_done(swim_txn_meter *m, const char *status)
{
	m->phase = SWIM_TRANSACTION_CLEANUP;
	m->locked = true;
	(void)snprintf(m->status, sizeof(m->status), "%s", status ? status : "");
	(void)call(m, 1);
}
