import { readdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';

/** Unauthenticated liveness and metrics. */
export function systemRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/health', async (request) => ({
    status: 'ok',
    service: 'notes',
    built: null,
    started: ctx.startedAt,
    memory: { rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed },
    fds: openFileDescriptors(),
    pid: process.pid,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  }));
  app.get('/metrics', async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(ctx.metrics.render()),
  );
}

function openFileDescriptors(): number | null {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null; // not Linux
  }
}
