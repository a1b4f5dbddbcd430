import type { JobHandler } from '../../platform/jobs/worker.js';
import { parseInput } from '../../platform/validation.js';
import { type InboundProcessingDeps, processInboundMessage, ZInboundProcessJob } from './inbound-processing.service.js';

export { INBOUND_PROCESS_JOB } from './inbound-mail.service.js';

/**
 * The worker's handler of `inbound.process`: one accepted message, decided and recorded once
 * (inbound-processing.service.ts). Delivery is at least once; the row's compare-and-set makes a
 * second run of the same job, or a run after a crash, post nothing twice.
 */
export function createInboundProcessHandler(deps: InboundProcessingDeps, log?: { info: (obj: object, msg: string) => void }): JobHandler {
  return async (payload) => {
    const job = parseInput(ZInboundProcessJob, payload);
    const outcome = await processInboundMessage(deps, job);
    log?.info({ inboundMessageId: job.inboundMessageId, tenantId: job.tenantId, ...outcome }, `inbound message ${outcome.status}`);
  };
}
