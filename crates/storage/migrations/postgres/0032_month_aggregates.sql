-- Month aggregates (issue #16): grain 2, `at` the number of the month's first day in the
-- tenant's zone. A report's total over a long range sums whole months from these rows and
-- only the days at either end from day rows. The server keeps them from now on (with the
-- buckets and days, and again when a tenant's zone changes); this fills them once from the
-- days already stored.

INSERT INTO stat_queue (tenant_id, grain, at, queue_id, offered, transferred_in, overflowed_in, answered, answered_in_target, answer_wait_ms, abandoned, abandoned_short, abandon_wait_ms, timed_out, overflowed_out, cancelled, outbound, handled, talk_ms, hold_ms, wrap_ms, transferred_out, no_answers, max_wait_ms)
SELECT tenant_id, 2,
    CAST(CAST(date_trunc('month', CAST(DATE '1970-01-01' + CAST(at AS INTEGER) AS TIMESTAMP)) AS DATE)
        - DATE '1970-01-01' AS BIGINT),
    queue_id, CAST(SUM(offered) AS BIGINT), CAST(SUM(transferred_in) AS BIGINT), CAST(SUM(overflowed_in) AS BIGINT), CAST(SUM(answered) AS BIGINT), CAST(SUM(answered_in_target) AS BIGINT), CAST(SUM(answer_wait_ms) AS BIGINT), CAST(SUM(abandoned) AS BIGINT), CAST(SUM(abandoned_short) AS BIGINT), CAST(SUM(abandon_wait_ms) AS BIGINT), CAST(SUM(timed_out) AS BIGINT), CAST(SUM(overflowed_out) AS BIGINT), CAST(SUM(cancelled) AS BIGINT), CAST(SUM(outbound) AS BIGINT), CAST(SUM(handled) AS BIGINT), CAST(SUM(talk_ms) AS BIGINT), CAST(SUM(hold_ms) AS BIGINT), CAST(SUM(wrap_ms) AS BIGINT), CAST(SUM(transferred_out) AS BIGINT), CAST(SUM(no_answers) AS BIGINT), MAX(max_wait_ms)
FROM stat_queue WHERE grain = 1
GROUP BY tenant_id, 3, queue_id;

INSERT INTO stat_agent (tenant_id, grain, at, agent_id, channel, offers, answered, outbound, handled, talk_ms, hold_ms, wrap_ms, transferred_out, no_answers)
SELECT tenant_id, 2,
    CAST(CAST(date_trunc('month', CAST(DATE '1970-01-01' + CAST(at AS INTEGER) AS TIMESTAMP)) AS DATE)
        - DATE '1970-01-01' AS BIGINT),
    agent_id, channel, CAST(SUM(offers) AS BIGINT), CAST(SUM(answered) AS BIGINT), CAST(SUM(outbound) AS BIGINT), CAST(SUM(handled) AS BIGINT), CAST(SUM(talk_ms) AS BIGINT), CAST(SUM(hold_ms) AS BIGINT), CAST(SUM(wrap_ms) AS BIGINT), CAST(SUM(transferred_out) AS BIGINT), CAST(SUM(no_answers) AS BIGINT)
FROM stat_agent WHERE grain = 1
GROUP BY tenant_id, 3, agent_id, channel;

INSERT INTO stat_agent_state (tenant_id, grain, at, agent_id, state, reason, ms)
SELECT tenant_id, 2,
    CAST(CAST(date_trunc('month', CAST(DATE '1970-01-01' + CAST(at AS INTEGER) AS TIMESTAMP)) AS DATE)
        - DATE '1970-01-01' AS BIGINT),
    agent_id, state, reason, CAST(SUM(ms) AS BIGINT)
FROM stat_agent_state WHERE grain = 1
GROUP BY tenant_id, 3, agent_id, state, reason;
