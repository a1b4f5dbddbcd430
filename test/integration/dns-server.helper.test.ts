import { Resolver } from 'node:dns/promises';
import { expect, it } from 'vitest';
import { startDnsServer } from '../helpers/dns-server.js';
it('the test DNS server answers CNAME (followed for A), TXT and NXDOMAIN like a recursive resolver', async () => {
  const dns = await startDnsServer({
    'support.acme.test': { cname: 'portal.servelo.test' },
    'portal.servelo.test': { a: ['127.0.0.1'] },
    '_servelo-challenge.support.acme.test': { txt: ['tok123'] },
  });
  const r = new Resolver();
  r.setServers([dns.address]);
  expect(await r.resolveCname('support.acme.test')).toEqual(['portal.servelo.test']);
  expect(await r.resolve4('support.acme.test')).toEqual(['127.0.0.1']);
  expect(await r.resolveTxt('_servelo-challenge.support.acme.test')).toEqual([['tok123']]);
  await expect(r.resolveTxt('nope.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  await dns.close();
});
