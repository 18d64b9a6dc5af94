import type { Request, Response } from 'express';
import { config } from './config';
import { createLoaders, type Loaders } from './loaders';
import { services, type Services } from './services';
import type { Session } from './services/AuthService';
import { unauthenticated } from './errors';

export interface ApiaryContext {
  req?: Request;
  res?: Response;
  token?: string;
  viewer?: Session;
  services: Services;
  loaders: Loaders;
}

export function tokenFrom(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return req.cookies?.[config.cookieName];
}

export async function buildContext({ req, res }: { req: Request; res: Response }): Promise<ApiaryContext> {
  const token = tokenFrom(req);
  return {
    req,
    res,
    token,
    viewer: services.auth.sessionFor(token),
    services,
    loaders: createLoaders(),
  };
}

export function requireViewer(ctx: ApiaryContext): Session {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
