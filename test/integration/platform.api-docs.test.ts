import { expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** The public API description is the customer portal's, under a neutral title; the team's is not public. */
describeEachDialect('the public API description', (getDb) => {
  const t = useTestApp(getDb);

  it('lists only portal routes, without the vendor name', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ info: { title: string }; paths: Record<string, unknown> }>();
    expect(doc.info.title).toBe('Customer portal API');
    expect(JSON.stringify(doc)).not.toMatch(/servelo/i);
    const paths = Object.keys(doc.paths);
    expect(paths).toContain('/portal/{slug}/api/tickets');
    expect(paths.filter((p) => !p.startsWith('/portal/'))).toEqual([]);
  });

  it('does not give the whole document to someone who is not signed in to the team app', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/team/openapi.json' })).statusCode).toBe(401);
  });
});
