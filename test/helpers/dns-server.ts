import dns2 from 'dns2';

const { Packet } = dns2;

/** What one name answers: a CNAME (followed for address queries, as a recursive resolver would), addresses, TXT values. */
export interface DnsRecords {
  readonly cname?: string;
  readonly a?: readonly string[];
  readonly txt?: readonly string[];
}

export interface TestDnsServer {
  /** `127.0.0.1:<port>`: what DNS_SERVERS (and pebble's `-dnsserver`) take. */
  readonly address: string;
  readonly port: number;
  /** Replaces the records of one name (lower-case, no trailing dot); undefined removes it (NXDOMAIN). */
  set(name: string, records: DnsRecords | undefined): void;
  /** How many questions the server answered (a check that asked nothing cannot pass). */
  readonly questions: () => number;
  close(): Promise<void>;
}

/**
 * A real DNS server over UDP on 127.0.0.1 (dns2, in process), holding the zone a test sets: the
 * code under test reaches it through the same resolver it uses in production (DNS_SERVERS), and a
 * name the zone does not hold answers NXDOMAIN.
 */
export async function startDnsServer(initial: Record<string, DnsRecords> = {}): Promise<TestDnsServer> {
  const zone = new Map<string, DnsRecords>(Object.entries(initial).map(([name, r]) => [normalise(name), r]));
  let asked = 0;
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      asked++;
      const response = Packet.createResponseFromRequest(request);
      // dns2's Resource type wants the class instance; plain records encode the same on the wire.
      const answers = response.answers as unknown as object[];
      const [question] = request.questions;
      if (!question) {
        void send(response);
        return;
      }
      const name = normalise(question.name);
      const records = zone.get(name);
      if (!records) {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
        void send(response);
        return;
      }
      const answer = { name: question.name, class: Packet.CLASS.IN, ttl: 1 };
      if (question.type === Packet.TYPE.TXT) {
        for (const value of records.txt ?? []) answers.push({ ...answer, type: Packet.TYPE.TXT, data: value });
      } else if (records.cname) {
        answers.push({ ...answer, type: Packet.TYPE.CNAME, domain: records.cname });
        // Follow the chain inside the zone, as a recursive resolver hands back the whole answer.
        if (question.type === Packet.TYPE.A) {
          let target: string | undefined = records.cname;
          for (let hops = 0; target && hops < 8; hops++) {
            const next = zone.get(normalise(target));
            if (!next) break;
            if (next.cname) {
              answers.push({ name: target, class: Packet.CLASS.IN, ttl: 1, type: Packet.TYPE.CNAME, domain: next.cname });
              target = next.cname;
              continue;
            }
            for (const address of next.a ?? [])
              answers.push({ name: target, class: Packet.CLASS.IN, ttl: 1, type: Packet.TYPE.A, address });
            break;
          }
        }
      } else if (question.type === Packet.TYPE.A) {
        for (const address of records.a ?? []) answers.push({ ...answer, type: Packet.TYPE.A, address });
      }
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = addresses.udp?.port;
  if (!port) throw new Error('the test DNS server did not bind a UDP port');
  return {
    address: `127.0.0.1:${port}`,
    port,
    set(name, records) {
      if (records) zone.set(normalise(name), records);
      else zone.delete(normalise(name));
    },
    questions: () => asked,
    close: () => server.close(),
  };
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
