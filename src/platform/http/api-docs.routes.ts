import type { FastifyInstance } from 'fastify';

/**
 * The API description (OpenAPI 3.1, generated from the routes' schemas). What the public sees is
 * the customer portal's API only, under a neutral title — no team routes, no vendor name in front
 * of customers. The whole document (team and portal) is for signed-in team members, and for
 * anyone in development.
 */
export function registerPublicApiDocs(app: FastifyInstance, options: { readonly development: boolean }): void {
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => (options.development ? app.swagger() : portalOnly(app)));
}

/** Inside the team surface's signed-in routes: the whole document. */
export function registerTeamApiDocs(team: FastifyInstance): void {
  team.get('/api/team/openapi.json', { schema: { hide: true } }, async () => team.swagger());
}

interface OpenApiDocument {
  readonly info?: Record<string, unknown>;
  readonly paths?: Record<string, unknown>;
  readonly tags?: readonly { readonly name: string }[];
  readonly [key: string]: unknown;
}

function portalOnly(app: FastifyInstance): OpenApiDocument {
  const full = app.swagger() as unknown as OpenApiDocument;
  const paths = Object.fromEntries(Object.entries(full.paths ?? {}).filter(([path]) => path.startsWith('/portal/')));
  return {
    ...full,
    info: { title: 'Customer portal API', version: String(full.info?.version ?? '1') },
    paths,
    tags: [],
  };
}
