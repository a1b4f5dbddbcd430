import { challengeRecordName, type DnsObservation } from './custom-domain.domain.js';
import { type DnsResolver, isNoRecord, isNoSuchName } from './dns-resolver.js';

/*
 * A custom domain's DNS check: what the resolver answers for the host, its addresses, the TXT
 * proof and the CNAME target, and what is wrong with it in words (custom-domain.service.ts applies it).
 */

/** What DNS answered, with whether it could be asked at all. */
export interface DnsFindings {
  readonly observation: DnsObservation;
  readonly targetAddresses: readonly string[];
  readonly nameExists: boolean;
  readonly unreachable: boolean;
}

export const bareName = (name: string) => name.toLowerCase().replace(/\.$/, '');

export async function lookUp(resolver: DnsResolver, host: string, target: string): Promise<DnsFindings> {
  let unreachable = false;
  let nameExists = true;
  const ask = async <T>(question: () => Promise<T>, none: T, onNoName?: () => void): Promise<T> => {
    try {
      return await question();
    } catch (error) {
      if (isNoRecord(error)) {
        if (isNoSuchName(error)) onNoName?.();
        return none;
      }
      unreachable = true;
      return none;
    }
  };
  const noName = () => {
    nameExists = false;
  };
  const [cnames, v4, v6, txt, target4, target6] = await Promise.all([
    ask(() => resolver.resolveCname(host), [] as string[], noName),
    ask(() => resolver.resolve4(host), [] as string[], noName),
    ask(() => resolver.resolve6(host), [] as string[]),
    ask(() => resolver.resolveTxt(challengeRecordName(host)), [] as string[][]),
    ask(() => resolver.resolve4(target), [] as string[]),
    ask(() => resolver.resolve6(target), [] as string[]),
  ]);
  return {
    observation: {
      cname: cnames[0] ? bareName(cnames[0]) : null,
      addresses: [...v4, ...v6],
      txt: txt.map((chunks) => chunks.join('')),
    },
    targetAddresses: [...target4, ...target6],
    nameExists,
    unreachable,
  };
}

/** Why the host does not point at us, in words; null when it does (CNAME to the target, or the target's addresses). */
export function pointingProblem(host: string, found: Omit<DnsFindings, 'unreachable'>, target: string): string | null {
  const { cname, addresses } = found.observation;
  if (cname === target) return null;
  if (addresses.length > 0 && addresses.every((a) => found.targetAddresses.includes(a))) return null;
  if (cname !== null) return `${host} points to ${cname}, not ${target}.`;
  if (addresses.length > 0) return `${host} has no CNAME; it resolves to ${addresses.join(', ')}, not to ${target}.`;
  if (!found.nameExists) return `${host} does not exist in DNS yet: add a CNAME record pointing to ${target}.`;
  return `${host} has no CNAME record; add one pointing to ${target}.`;
}

/** Why the TXT proof is missing, in words; null when the record holds the claim's token. */
export function proofProblem(host: string, observation: DnsObservation, token: string): string | null {
  if (observation.txt.includes(token)) return null;
  if (observation.txt.length === 0) return `No TXT record ${challengeRecordName(host)} was found.`;
  return `The TXT record ${challengeRecordName(host)} holds a different value.`;
}
