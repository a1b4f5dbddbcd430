import type { FastifyInstance, RouteHandlerMethod } from 'fastify';

/**
 * Route handlers still running. A shutdown must wait for them, not only for their connections:
 * when a connection is cut (a client gone, or a shutdown that ran out of time), the handler goes
 * on cleaning up — an upload deletes its half-written files and rows — and the database must not
 * close under it.
 */
export interface InFlightHandlers {
  readonly count: () => number;
  /** Resolves once every handler running now (and any started meanwhile) has settled. */
  settled(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    inFlightHandlers: InFlightHandlers;
  }
}

/** Wraps every route registered after this call; register it before the routes. */
export function trackInFlightHandlers(app: FastifyInstance): InFlightHandlers {
  const running = new Set<Promise<unknown>>();
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function tracked(this: FastifyInstance, request, reply) {
      const result = handler.call(this, request, reply) as unknown;
      if (result instanceof Promise) {
        const done = result.then(
          () => undefined,
          () => undefined,
        );
        running.add(done);
        void done.then(() => running.delete(done));
      }
      return result;
    } as RouteHandlerMethod;
  });
  const tracker: InFlightHandlers = {
    count: () => running.size,
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
  app.decorate('inFlightHandlers', tracker);
  return tracker;
}
