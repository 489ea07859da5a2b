/**
 * A real authoritative DNS server on loopback (UDP, `dns2`), whose records a test adds and
 * removes while certtrail's resolver asks it over the wire.
 */
import dns2 from 'dns2';

const { Packet } = dns2;

type Rec = { type: 'CNAME'; value: string } | { type: 'CAA'; flags: number; tag: string; value: string };

export interface TestDns {
  /** `127.0.0.1:<port>`, for CERTTRAIL_DNS_SERVERS. */
  server: string;
  setCname(name: string, value: string): void;
  addCaa(name: string, tag: string, value: string, flags?: number): void;
  remove(name: string): void;
  /** How many questions were asked for `name` (any type). */
  asked(name: string): number;
  close(): Promise<void>;
}

const key = (n: string) => n.toLowerCase().replace(/\.$/, '');

export async function startDns(): Promise<TestDns> {
  const zone = new Map<string, Rec[]>();
  const questions = new Map<string, number>();
  const server = dns2.createServer({
    udp: true,
    handle: (request: any, send: (r: any) => void) => {
      const response: any = Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const name = key(q.name);
      questions.set(name, (questions.get(name) ?? 0) + 1);
      const recs = zone.get(name);
      if (!recs) response.header.rcode = Packet.RCODE.NXDOMAIN;
      for (const r of recs ?? []) {
        if (r.type === 'CNAME' && (q.type === Packet.TYPE.CNAME || q.type === Packet.TYPE.A))
          response.answers.push({ name: q.name, type: Packet.TYPE.CNAME, class: Packet.CLASS.IN, ttl: 1, domain: key(r.value) });
        if (r.type === 'CAA' && q.type === Packet.TYPE.CAA)
          response.answers.push({ name: q.name, type: Packet.TYPE.CAA, class: Packet.CLASS.IN, ttl: 1, flags: r.flags, tag: r.tag, value: r.value });
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const port = (server as any).addresses().udp.port as number;
  return {
    server: `127.0.0.1:${port}`,
    setCname(name, value) {
      zone.set(key(name), [...(zone.get(key(name)) ?? []).filter((r) => r.type !== 'CNAME'), { type: 'CNAME', value }]);
    },
    addCaa(name, tag, value, flags = 0) {
      zone.set(key(name), [...(zone.get(key(name)) ?? []), { type: 'CAA', flags, tag, value }]);
    },
    remove(name) {
      zone.delete(key(name));
    },
    asked: (name) => questions.get(key(name)) ?? 0,
    close: () => server.close(),
  };
}
