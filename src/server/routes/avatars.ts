import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import * as z from 'zod';
import { ApiId } from '../../shared/api/common';
import { IdPrefix, newId } from '../../shared/lib/ids';
import type { ServerContext } from '../context';
import { ApiError, notFound } from '../http/errors';
import { defineRoute, RawReply } from '../http/route';

const AVATAR_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/jpg', 'image/png', 'image/webp']);
const MAX_AVATAR_BYTES = 10 * 1024 * 1024;
export const AVATAR_SIZE = 500;

const notAnImage = () =>
  new ApiError(400, 'avatar_file_not_uploaded', 'No avatar file was uploaded.', [
    { path: 'body', message: 'Request body must contain a valid JPEG, PNG, or WebP image' },
  ]);

/** Avatars: raw JPEG/PNG/WebP bytes in, a 500×500 JPEG out (cropped to fill), stored under the data dir. */
export function avatarRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const directory = join(ctx.dataDir, 'avatars');
  app.register(async (scope) => {
    // Any body is read as bytes here; the handler decides whether it is an image we accept.
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_AVATAR_BYTES },
      (_request, body, done) => done(null, body),
    );
    defineRoute(scope, ctx, {
      method: 'POST',
      url: '/avatars',
      handler: async ({ user, request }) => {
        const type =
          String(request.headers['content-type'] ?? '')
            .split(';')[0]
            ?.trim()
            .toLowerCase() ?? '';
        const body = request.body;
        if (!AVATAR_TYPES.has(type) || !Buffer.isBuffer(body) || body.length === 0) throw notAnImage();
        let jpeg: Buffer;
        try {
          jpeg = await sharp(body, { limitInputPixels: 40_000_000 })
            .rotate()
            .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover' })
            .jpeg({ quality: 85 })
            .toBuffer();
        } catch {
          throw notAnImage(); // undecodable or hostile input is the client's problem, never a 5xx
        }
        const id = newId(IdPrefix.avatar);
        await mkdir(directory, { recursive: true });
        await writeFile(join(directory, `${id}.jpg`), jpeg);
        ctx.repo.transaction(() => ctx.repo.insertAvatar(id, user.id, ctx.now()));
        return { success: true, id };
      },
    });
  });
  defineRoute(app, ctx, {
    method: 'GET',
    url: '/avatars/:avatarId',
    params: z.object({ avatarId: ApiId }),
    handler: async ({ params }) => {
      if (!ctx.repo.hasAvatar(params.avatarId)) throw notFound('Avatar not found.');
      const jpeg = await readFile(join(directory, `${params.avatarId}.jpg`));
      return new RawReply('image/jpeg', jpeg, 200, {
        'cache-control': 'private, max-age=31536000, immutable',
      });
    },
  });
}
