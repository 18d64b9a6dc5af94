/** What both editor suites expect of the example workspace (examples/legacy-shop), as `describeDiagnostic` lines. */
export const ORDERS_DIAGNOSTICS = ['20:5 no-in-memory-counter Warning', '24:7 no-in-process-lock Warning', '72:27 no-replica-read-after-write Warning', '117:19 no-blocking-request-work Warning'];
