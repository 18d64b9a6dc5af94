import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { SessionSinger } from './session-singer';

export const CurrentSinger = createParamDecorator((_: unknown, context: ExecutionContext): SessionSinger => {
  const req = context.switchToHttp().getRequest<FastifyRequest>();
  return req.session.singer as SessionSinger;
});
